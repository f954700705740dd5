// Copy-number readers (see cna.hpp).
#include "actionable/detail/io/readers/cna.hpp"

#include "actionable/detail/io/readers/table.hpp"
#include "actionable/detail/io/readers/variant_text.hpp"
#include "collector.hpp"

namespace actionable::io {

namespace {

bool is_annotation_column(std::string_view h) {
  return text::iequals(h, "Hugo_Symbol") || text::iequals(h, "Gene Symbol") || text::iequals(h, "Entrez_Gene_Id") ||
         text::iequals(h, "Locus ID") || text::iequals(h, "Cytoband") || text::iequals(h, "Gene ID") ||
         text::iequals(h, "Gene");
}

nlohmann::json cnv(std::string const& origin, std::string const& gene, CnaCall const& call) {
  nlohmann::json f = nlohmann::json::object();
  f["origin"] = origin;
  f["type"] = "cnv";
  f["gene"] = gene;
  f["call"] = call.call;
  if (call.copies) f["copies"] = detail::number(*call.copies);
  return f;
}

}  // namespace

ReadResult read_cna_matrix(Source const& source, ReadOptions const& options) {
  ReadResult r;
  detail::Collector out(r, source, "cbioportal-cna-matrix", options);
  TableReader t(source, TableOptions{'\t', {"Hugo_Symbol", "Gene Symbol"}});
  if (!out.table_opened(t)) return r;
  auto c_gene = t.column({"Hugo_Symbol", "Gene Symbol"});
  std::vector<std::size_t> sample_cols;
  for (std::size_t i = 0; i < t.header().size(); ++i)
    if (!is_annotation_column(t.header()[i]) && !t.header()[i].empty()) sample_cols.push_back(i);
  for (auto i : sample_cols) out.sample(t.header()[i], t.header_line());

  Row row;
  while (t.next(row)) {
    if (!out.begin_table_row(row)) continue;
    std::string gene(row.get(c_gene));
    if (!text::is_gene_symbol(gene)) {
      out.skip(IssueLevel::kError, row.line, gene.empty() ? "no gene symbol" : "'" + gene + "' is not a gene symbol");
      continue;
    }
    std::size_t produced = 0;
    for (auto i : sample_cols) {
      auto cell = row.fields[i];
      if (text::is_missing(cell)) continue;
      auto call = parse_cna_call(cell);
      if (!call) {
        out.issue(IssueLevel::kError, row.line,
                  "sample " + t.header()[i] + ": '" + cell + "' is not a copy-number call (-2..2)", t.header()[i]);
        continue;
      }
      if (call->call.empty()) continue;
      out.finding(t.header()[i], row.line, cnv(out.origin(), gene, *call));
      ++produced;
    }
    if (produced == 0) ++r.counts.skipped;  // a neutral gene row: nothing to report
  }
  out.finish();
  return r;
}

ReadResult read_cna_table(Source const& source, ReadOptions const& options) {
  ReadResult r;
  detail::Collector out(r, source, "cna-table", options);
  TableReader t(source, TableOptions{0, {"Hugo_Symbol", "gene", "feature", "HUGO_SYMBOL"}});
  if (!out.table_opened(t)) return r;
  auto c_sample = t.column({"Tumor_Sample_Barcode", "SAMPLE_ID", "Sample", "model_id", "sample_id"});
  auto c_gene = t.column({"Hugo_Symbol", "gene", "feature"});
  auto c_call = t.column({"Copy_Number_Alteration", "call", "alteration_type", "CNV_CALL", "Alteration", "CNA", "cnv"});
  auto c_copies = t.column({"Copy_Number", "copies", "CN", "copy_number", "total_cn"});
  auto c_origin = t.column({"Mutation_Status", "origin"});
  if (!c_call) {
    out.issue(IssueLevel::kError, t.header_line(),
              "no copy-number call column (Copy_Number_Alteration, call, alteration_type)");
    return r;
  }
  Row row;
  while (t.next(row)) {
    std::string sample;
    if (!out.begin_table_row(row, c_sample, sample, "no sample id")) continue;
    std::string gene(row.get(c_gene));
    if (!text::is_gene_symbol(gene)) {
      out.skip(IssueLevel::kError, row.line, gene.empty() ? "no gene symbol" : "'" + gene + "' is not a gene symbol");
      continue;
    }
    auto call = parse_cna_call(row.get(c_call));
    if (!call) {
      out.skip(IssueLevel::kError, row.line, "'" + std::string(row.get(c_call)) + "' is not a copy-number call");
      continue;
    }
    if (call->call.empty()) {
      if (!sample.empty()) out.sample(sample, row.line);
      out.neutral(sample, row.line, cnv(out.origin(row.get(c_origin)), gene, *call));
      out.skip(IssueLevel::kNote, row.line,
               gene + " '" + std::string(row.get(c_call)) + "': copy-number neutral, no finding");
      continue;
    }
    if (auto cn = text::to_double(row.get(c_copies)); cn && *cn >= 0) call->copies = *cn;
    out.finding(sample, row.line, cnv(out.origin(row.get(c_origin)), gene, *call));
  }
  out.finish();
  return r;
}

}  // namespace actionable::io
