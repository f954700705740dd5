// Structural-variant / fusion readers (see sv.hpp).
#include "actionable/detail/io/readers/sv.hpp"

#include <set>
#include <tuple>

#include "actionable/detail/io/readers/table.hpp"
#include "actionable/detail/io/readers/variant_text.hpp"
#include "collector.hpp"

namespace actionable::io {

namespace {

nlohmann::json fusion(std::string const& origin, std::string const& g5, std::string const& g3) {
  nlohmann::json f = nlohmann::json::object();
  f["origin"] = origin;
  f["type"] = "fusion";
  if (!g5.empty()) f["gene5"] = g5;
  if (!g3.empty()) f["gene3"] = g3;
  return f;
}

nlohmann::json intragenic(std::string const& origin, std::string const& gene, std::string_view sv_class,
                          std::string const& label) {
  nlohmann::json f = nlohmann::json::object();
  f["origin"] = origin;
  f["gene"] = gene;
  auto c = text::lower(sv_class);
  if (c.find("del") != std::string::npos)
    f["consequence"] = "feature_truncation";
  else if (c.find("dup") != std::string::npos || c.find("tandem") != std::string::npos)
    f["consequence"] = "feature_elongation";
  else
    f["consequence"] = "structural_variant";
  f["sv"] = label;
  return f;
}

}  // namespace

ReadResult read_sv_table(Source const& source, ReadOptions const& options) {
  ReadResult r;
  detail::Collector out(r, source, "", options);
  TableReader t(source, TableOptions{0,
                                     {"Site1_Hugo_Symbol", "GeneA", "Fusion", "FusionName", "LeftGene", "partner",
                                      "Site2_Hugo_Symbol"}});
  if (!out.table_opened(t)) return r;
  auto c_sample = t.column({"Sample_Id", "Tumor_Sample_Barcode", "SAMPLE_ID", "model_id", "Sample"});
  auto c_site1 = t.column({"Site1_Hugo_Symbol", "GeneA", "feature"});
  auto c_site2 = t.column({"Site2_Hugo_Symbol", "GeneB", "partner"});
  auto c_fusion = t.column({"Fusion", "FusionName", "Event_Info"});
  auto c_left = t.column("LeftGene");
  auto c_right = t.column("RightGene");
  auto c_left_bp = t.column("LeftBreakpoint");
  auto c_right_bp = t.column("RightBreakpoint");
  auto c_class = t.column({"Class", "Sv_Type", "SV_Type", "Variant_Type"});
  auto c_status = t.column({"SV_Status", "Mutation_Status"});
  auto c_hugo = t.column("Hugo_Symbol");  // old cBioPortal data_fusions: one row per partner
  bool star = t.column("FusionName").has_value() && c_left && c_right;
  bool by_name = !c_site1 && c_fusion;
  r.format = star ? "star-fusion" : c_site1 ? (t.column("feature") ? "moalmanac-fusions" : "sv-table") : "fusion-table";
  if (!c_site1 && !c_fusion && !(c_left && c_right)) {
    out.issue(IssueLevel::kError, t.header_line(),
              "no gene columns (Site1_Hugo_Symbol/Site2_Hugo_Symbol, GeneA/GeneB, Fusion, "
              "#FusionName/LeftGene/RightGene)");
    return r;
  }
  std::set<std::tuple<std::string, std::string, std::string>> seen;  // old data_fusions repeats

  Row row;
  while (t.next(row)) {
    std::string sample;
    if (!out.begin_table_row(row, c_sample, sample, "no sample id")) continue;
    std::string origin = out.origin(row.get(c_status));
    std::string g5, g3, label;
    bool intra = false;
    std::string why;
    if (star || by_name) {
      std::string name(row.get(c_fusion));
      auto parsed = parse_fusion_name(name, &why);
      if (!parsed && star) {
        // Fall back on the gene columns.
        g5 = strip_gene_id(row.get(c_left));
        g3 = strip_gene_id(row.get(c_right));
        if (text::is_gene_symbol(g5) && text::is_gene_symbol(g3)) parsed = FusionName{g5, g3, g5 == g3};
      }
      if (!parsed) {
        out.skip(IssueLevel::kError, row.line, why);
        continue;
      }
      g5 = parsed->gene5;
      g3 = parsed->gene3;
      intra = parsed->intragenic || g5 == g3;
      label = name;
      if (star) {
        // STAR-Fusion writes #FusionName as LeftGene--RightGene: a name that names other genes
        // than the breakpoints' is an edited row that contradicts itself. Neither side is
        // trusted (a hand-written EML4--ALK over CD2AP/C11orf80 breakpoints would otherwise
        // open ALK inhibitors); the row is not read and the record is marked incomplete.
        auto l = strip_gene_id(row.get(c_left));
        auto rr = strip_gene_id(row.get(c_right));
        if (!l.empty() && !rr.empty() && (l != g5 || rr != g3)) {
          std::string where;
          auto lb = row.get(c_left_bp), rb = row.get(c_right_bp);
          if (!lb.empty() && !rb.empty()) where = " (breakpoints " + std::string(lb) + ", " + std::string(rb) + ")";
          out.skip(IssueLevel::kError, row.line,
                   "#FusionName " + name + " disagrees with LeftGene/RightGene " + l + "/" + rr + where +
                       ": STAR-Fusion names a fusion after its genes, so the row contradicts itself; not read");
          continue;
        }
      }
      if (c_hugo && !sample.empty()) {
        if (!seen.emplace(sample, g5, g3).second) {
          out.skip(IssueLevel::kNote, row.line,
                   "fusion " + name + " already listed for " + sample + " (one row per partner)");
          continue;
        }
      }
    } else {
      g5 = strip_gene_id(row.get(c_site1));
      g3 = strip_gene_id(row.get(c_site2));
      if (text::is_missing(g5)) g5.clear();
      if (text::is_missing(g3)) g3.clear();
      if (g5.empty() && g3.empty()) {
        out.skip(IssueLevel::kError, row.line, "no gene on either side");
        continue;
      }
      if ((!g5.empty() && !text::is_gene_symbol(g5)) || (!g3.empty() && !text::is_gene_symbol(g3))) {
        out.skip(IssueLevel::kError, row.line, "'" + g5 + "'/'" + g3 + "' is not a gene pair");
        continue;
      }
      intra = g5 == g3;
      if (intra) {
        auto cls = row.get(c_class);
        label = g5 + (text::is_missing(cls) ? std::string("-intragenic") : " intragenic " + text::lower(cls));
      }
    }
    if (intra) {
      std::string_view cls = row.get(c_class);
      out.finding(sample, row.line, intragenic(origin, g5, cls, label));
    } else {
      out.finding(sample, row.line, fusion(origin, g5, g3));
    }
  }
  out.finish();
  return r;
}

}  // namespace actionable::io
