// MOAlmanac / CCLE tables (see moalmanac.hpp).
#include "actionable/detail/io/readers/moalmanac.hpp"

#include "actionable/detail/io/readers/clinical.hpp"
#include "actionable/detail/io/readers/sv.hpp"
#include "actionable/detail/io/readers/table.hpp"
#include "actionable/detail/io/readers/variant_text.hpp"
#include "collector.hpp"

namespace actionable::io {

namespace {

void variant_row(detail::Collector& out, std::string const& sample, std::size_t line, std::string const& gene,
                 std::string_view type, std::string_view alteration, std::string const& origin) {
  nlohmann::json f = {{"origin", origin}, {"gene", gene}};
  out.add_protein(f, alteration, line);
  if (auto so = so_from_classification(type))
    f["consequence"] = *so;
  else if (!text::is_missing(type))
    out.issue(IssueLevel::kWarning, line, "unknown alteration_type '" + std::string(type) + "'");
  out.finding(sample, line, std::move(f));
}

void read_summary(TableReader& t, detail::Collector& out) {
  ReadResult& r = out.result();
  r.format = "ccle-summary";
  auto c_broad = t.column("broad");
  auto c_ccle = t.column("ccle_name");
  auto c_sanger = t.column("sanger");
  auto c_alt_ccle = t.column("alt_ccle");
  auto c_alt_broad = t.column("alt_broad");
  Row row;
  while (t.next(row)) {
    if (!out.begin_table_row(row)) continue;
    std::string id(row.get(c_ccle));
    if (text::is_missing(id)) id = std::string(row.get(c_broad));
    if (text::is_missing(id)) id = std::string(row.get(c_sanger));
    out.row_sample(id);
    if (text::is_missing(id)) {
      out.skip(IssueLevel::kError, row.line, "no cell-line id");
      continue;
    }
    out.sample(id, row.line);
    for (auto c : {c_broad, c_sanger, c_alt_ccle, c_alt_broad}) {
      std::string_view v = row.get(c);
      if (text::is_missing(v) || v == id) continue;
      for (auto const& a : text::split_any(v, ",;|")) out.alias(id, row.line, a);
    }
  }
}

}  // namespace

ReadResult read_moalmanac_table(Source const& source, ReadOptions const& options) {
  ReadResult r;
  detail::Collector out(r, source, "moalmanac", options);
  TableReader t(source, TableOptions{'\t', {"feature", "ccle_name", "feature_type"}});
  if (!out.table_opened(t)) return r;
  if (t.column("partner")) return read_sv_table(source, options);
  if (t.column("ccle_name")) {
    read_summary(t, out);
    out.finish();
    return r;
  }
  auto c_sample = t.column({"model_id", "Tumor_Sample_Barcode", "SAMPLE_ID"});
  auto c_ftype = t.column("feature_type");
  auto c_gene = t.column("feature");
  auto c_type = t.column("alteration_type");
  auto c_alt = t.column("alteration");
  r.format = c_ftype ? "moalmanac-simplified" : "moalmanac-annotated";
  Row row;
  while (t.next(row)) {
    std::string sample;
    if (!out.begin_table_row(row, c_sample, sample, "no model_id")) continue;
    std::string gene(row.get(c_gene));
    std::string ftype = c_ftype ? text::lower(row.get(c_ftype)) : std::string();
    std::string_view type = row.get(c_type);
    std::string_view alt = row.get(c_alt);
    bool gene_needed = ftype.find("microsatellite") == std::string::npos && ftype.find("burden") == std::string::npos;
    if (gene_needed && !text::is_gene_symbol(gene)) {
      out.skip(IssueLevel::kError, row.line,
               gene.empty() ? "no gene (feature)" : "'" + gene + "' is not a gene symbol");
      continue;
    }
    bool is_cn = ftype == "copy number" || text::iequals(type, "Amplification") ||
                 (!c_ftype && text::iequals(type, "Deletion") && text::is_missing(alt));
    if (is_cn) {
      auto call = parse_cna_call(type);
      if (!call || call->call.empty()) {
        out.skip(IssueLevel::kError, row.line, "'" + std::string(type) + "' is not a copy-number call");
        continue;
      }
      out.finding(sample, row.line, {{"origin", out.origin()}, {"type", "cnv"}, {"gene", gene}, {"call", call->call}});
    } else if (ftype == "rearrangement") {
      std::string why;
      auto fn = parse_fusion_name(alt, &why);
      if (!fn) {
        out.skip(IssueLevel::kError, row.line, why);
        continue;
      }
      out.finding(sample, row.line,
                  {{"origin", out.origin()}, {"type", "fusion"}, {"gene5", fn->gene5}, {"gene3", fn->gene3}});
    } else if (ftype.find("microsatellite") != std::string::npos) {
      auto v = msi_value(type.empty() ? alt : type);
      if (v.empty()) v = msi_value(gene);
      if (v.empty()) {
        out.skip(IssueLevel::kError, row.line, "no MSI status");
        continue;
      }
      out.finding(sample, row.line, {{"type", "biomarker"}, {"name", "MSI"}, {"value", v}});
    } else if (ftype.find("burden") != std::string::npos) {
      auto v = text::to_double(alt);
      if (!v) {
        out.skip(IssueLevel::kError, row.line, "no mutational burden number");
        continue;
      }
      out.finding(sample, row.line, {{"type", "biomarker"}, {"name", "TMB"}, {"value", detail::number(*v)}});
    } else if (ftype.empty() || ftype == "somatic variant" || ftype == "germline variant") {
      variant_row(out, sample, row.line, gene, type, alt, ftype == "germline variant" ? "germline" : out.origin());
    } else {
      out.skip(IssueLevel::kNote, row.line, "feature_type '" + std::string(row.get(c_ftype)) + "' is not read");
    }
  }
  out.finish();
  return r;
}

}  // namespace actionable::io
