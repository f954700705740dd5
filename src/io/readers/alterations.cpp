// Gene + free-text alteration tables (see alterations.hpp).
#include "actionable/detail/io/readers/alterations.hpp"

#include "actionable/detail/io/readers/table.hpp"
#include "actionable/detail/io/readers/variant_text.hpp"
#include "collector.hpp"

namespace actionable::io {

ReadResult read_alterations(Source const& source, ReadOptions const& options) {
  ReadResult r;
  detail::Collector out(r, source, "alterations", options);
  TableReader t(source, TableOptions{0, {"ALTERATION"}});
  if (!out.table_opened(t)) return r;
  auto c_gene = t.column({"HUGO_SYMBOL", "gene"});
  auto c_sample = t.column({"SAMPLE_ID", "Tumor_Sample_Barcode"});
  auto c_alt = t.column("ALTERATION");
  Row row;
  while (t.next(row)) {
    std::string sample;
    if (!out.begin_table_row(row, c_sample, sample, "no sample id")) continue;
    std::string gene(row.get(c_gene));
    std::string alt(row.get(c_alt));
    auto a = text::lower(alt);
    auto bm = [&](char const* name, char const* value) {
      out.finding(sample, row.line, {{"type", "biomarker"}, {"name", name}, {"value", value}});
    };
    if (a == "msi-h" || a == "microsatellite instability-high" || a == "msi high") {
      bm("MSI", "high");
      continue;
    }
    if (a == "tmb-h" || a == "tumor mutational burden-high" || a == "tmb high") {
      bm("TMB", "high");
      continue;
    }
    if (!text::is_gene_symbol(gene)) {
      out.skip(IssueLevel::kError, row.line,
               gene.empty() ? "no gene" : "'" + gene + "' is not a gene symbol for '" + alt + "'");
      continue;
    }
    auto variant = [&](char const* consequence) {
      out.finding(sample, row.line,
                  {{"origin", out.origin()}, {"gene", gene}, {"consequence", consequence}, {"alteration", alt}});
    };
    if (a == "viii" && text::iequals(gene, "EGFR")) {
      out.finding(sample, row.line,
                  {{"origin", out.origin()},
                   {"type", "exon_skipping"},
                   {"gene", gene},
                   {"exons", {2, 3, 4, 5, 6, 7}},
                   {"alteration", alt}});
    } else if (a == "itd" || a == "internal tandem duplication") {
      variant("inframe_insertion");
    } else if (a == "kdd" || a == "kinase domain duplication") {
      variant("feature_elongation");
    } else if (a == "ctd" || a == "c-terminal domain" || a == "vii" || a == "viv" || a == "vv" ||
               a == "truncating mutations") {
      variant("feature_truncation");
    } else if (auto call = parse_cna_call(alt); call && !text::to_double(alt)) {
      if (call->call.empty()) {
        out.skip(IssueLevel::kNote, row.line, "copy-number neutral: no finding");
        continue;
      }
      out.finding(sample, row.line, {{"origin", out.origin()}, {"type", "cnv"}, {"gene", gene}, {"call", call->call}});
    } else if (a.find("fusion") != std::string::npos || alt.find("::") != std::string::npos ||
               alt.find("--") != std::string::npos) {
      std::string why;
      auto fn = parse_fusion_name(alt, &why);
      nlohmann::json f = {{"origin", out.origin()}, {"type", "fusion"}};
      if (fn) {
        f["gene5"] = fn->gene5;
        f["gene3"] = fn->gene3;
      } else {
        f["gene5"] = gene;  // "Fusion" alone: partner unknown
      }
      out.finding(sample, row.line, std::move(f));
    } else {
      nlohmann::json f = {{"origin", out.origin()}, {"gene", gene}};
      if (!out.add_protein(f, alt, row.line) || !f.contains("hgvsp")) {
        out.skip(IssueLevel::kError, row.line, "alteration '" + alt + "' is not understood");
        continue;
      }
      out.finding(sample, row.line, std::move(f));
    }
  }
  out.finish();
  return r;
}

}  // namespace actionable::io
