// MAF reader: one variant finding per row (see maf.hpp for the column mapping).
#include "actionable/detail/io/readers/maf.hpp"

#include "actionable/detail/io/readers/table.hpp"
#include "actionable/detail/io/readers/variant_text.hpp"
#include "collector.hpp"

namespace actionable::io {

ReadResult read_maf(Source const& source, ReadOptions const& options) {
  ReadResult r;
  detail::Collector out(r, source, "maf", options);
  TableReader t(source, TableOptions{'\t', {"Hugo_Symbol"}});
  if (!out.table_opened(t)) return r;
  auto c_gene = t.column("Hugo_Symbol");
  auto c_sample = t.column({"Tumor_Sample_Barcode", "SAMPLE_ID", "Sample"});
  auto c_class = t.column("Variant_Classification");
  auto c_csq = t.column({"Consequence", "One_Consequence"});
  auto c_short = t.column("HGVSp_Short");
  auto c_pchange = t.column({"Protein_Change", "Amino_Acid_Change", "AAChange"});
  auto c_hgvsp = t.column("HGVSp");
  auto c_hgvsc = t.column({"HGVSc", "cDNA_Change"});
  auto c_tx = t.column({"Transcript_ID", "Annotation_Transcript", "RefSeq", "i_transcript_name"});
  auto c_exon = t.column({"Exon_Number", "EXON", "Transcript_Exon"});
  auto c_intron = t.column("INTRON");
  auto c_alt = t.column("t_alt_count");
  auto c_ref = t.column("t_ref_count");
  auto c_tf = t.column({"tumor_f", "i_tumor_f", "t_vaf", "VAF"});
  auto c_wu = t.column("i_TumorVAF_WU");
  auto c_status = t.column("Mutation_Status");
  auto c_hgnc = t.column("HGNC_ID");  // vcf2maf (VEP): resolves an ambiguous Hugo_Symbol
  if (!c_sample) {
    out.issue(IssueLevel::kError, t.header_line(), "no sample column (Tumor_Sample_Barcode or SAMPLE_ID)");
    return r;
  }

  Row row;
  while (t.next(row)) {
    std::string sample;
    if (!out.begin_table_row(row, c_sample, sample, "no Tumor_Sample_Barcode", true)) continue;
    std::string gene(row.get(c_gene));
    if (gene.empty()) {
      out.skip(IssueLevel::kError, row.line, "no Hugo_Symbol");
      continue;
    }
    if (text::iequals(gene, "Unknown")) {
      out.skip(IssueLevel::kNote, row.line, "Hugo_Symbol 'Unknown' (intergenic): nothing to match");
      continue;
    }
    if (!text::is_gene_symbol(gene)) {
      out.skip(IssueLevel::kError, row.line, "'" + gene + "' is not a gene symbol");
      continue;
    }
    auto status = text::lower(row.get(c_status));
    if (status == "wildtype" || status == "wild type" || status == "none") {
      out.skip(IssueLevel::kNote, row.line, "Mutation_Status '" + std::string(row.get(c_status)) + "': not a variant");
      continue;
    }
    nlohmann::json f = nlohmann::json::object();
    f["origin"] = out.origin(row.get(c_status));
    f["gene"] = gene;

    auto hgvsc = clean_hgvsc(row.get(c_hgvsc));
    std::string consequence;
    if (!text::is_missing(row.get(c_csq))) consequence = most_severe_consequence(row.get(c_csq));
    if (consequence.empty() && !text::is_missing(row.get(c_class))) {
      auto so = so_from_classification(row.get(c_class), hgvsc ? *hgvsc : std::string());
      if (so)
        consequence = *so;
      else
        out.issue(IssueLevel::kWarning, row.line,
                  "unknown Variant_Classification '" + std::string(row.get(c_class)) + "': consequence left out");
    }

    std::string_view protein = row.get(c_short);
    if (text::is_missing(protein)) protein = row.get(c_pchange);
    if (text::is_missing(protein)) protein = row.get(c_hgvsp);
    out.add_protein(f, protein, row.line);
    if (hgvsc) f["hgvsc"] = *hgvsc;
    if (!text::is_missing(row.get(c_tx))) f["transcript"] = std::string(row.get(c_tx));
    if (auto id = hgnc_id(row.get(c_hgnc)); !id.empty()) f["hgnc_id"] = id;
    if (!consequence.empty()) f["consequence"] = consequence;
    if (auto e = text::leading_int(row.get(c_exon)); e && *e > 0) f["exon"] = *e;
    if (auto i = text::leading_int(row.get(c_intron)); i && *i > 0) f["intron"] = *i;

    auto alt = text::to_double(row.get(c_alt));
    auto ref = text::to_double(row.get(c_ref));
    if (alt && ref && *alt >= 0 && *ref >= 0 && *alt + *ref > 0) {
      f["vaf"] = detail::round4(*alt / (*alt + *ref));
    } else if (auto tf = text::to_double(row.get(c_tf)); tf && *tf >= 0 && *tf <= 1) {
      f["vaf"] = detail::round4(*tf);
    } else if (auto wu = text::to_double(row.get(c_wu)); wu && *wu >= 0 && *wu <= 100) {
      f["vaf"] = detail::round4(*wu / 100.0);
    }
    out.finding(sample, row.line, std::move(f));
  }
  out.finish();
  return r;
}

}  // namespace actionable::io
