// Every real input in ../shared/data read in place (AGPL / GPL data are never copied into the
// repo). Counts are asserted exactly and compared with each folder's SOURCE.md; where they
// differ, the comment says which rows and why.
#include <doctest/doctest.h>

#include <map>

#include "actionable/detail/io/readers/assemble.hpp"
#include "actionable/detail/io/readers/tumour_resolver.hpp"
#include "helpers.hpp"

using namespace actionable::io;
using iotest::shared;

namespace {

ReadResult read(std::string const& rel, InputKind kind = InputKind::kAuto, std::string origin = {},
                ReadOptions opts = {}) {
  return read_input(Input{kind, shared(rel), std::move(origin)}, opts);
}

std::map<std::string, std::size_t> consequences(ReadResult const& r) {
  std::map<std::string, std::size_t> m;
  for (auto const& f : iotest::findings(r)) ++m[f.value("consequence", std::string("-"))];
  return m;
}

}  // namespace

TEST_CASE("OncoKB annotator examples (SOURCE.md: 17, 14, 4x2, 12, 7, 7, 12, 9 rows)") {
  std::string d = "oncokb_annotator_examples/";
  auto maf = read(d + "example_maf.txt");
  CHECK(maf.format == "maf");
  CHECK(maf.counts.rows == 17);
  CHECK(maf.counts.variants == 17);
  CHECK(maf.counts.samples == 4);
  CHECK(maf.error_count() == 0);
  // Line 14: NF1 "p.X1445_splice" is no HGVS: kept as a splice-site finding without hgvsp.
  CHECK(iotest::issue_lines(maf.issues, IssueLevel::kNote) == std::vector<std::size_t>{14});
  auto fs = iotest::findings(maf);
  CHECK(fs[16]["hgvsp"] == "p.T790M");                      // HGVSp_Short without "p."
  CHECK(fs[6]["hgvsp"] == "p.Q212K");                       // HGVSp_Short wins over the inconsistent HGVSp Gln121Lys
  CHECK(fs[14]["consequence"] == "upstream_gene_variant");  // TERT 5'Flank, no protein change
  CHECK_FALSE(fs[14].contains("hgvsp"));

  auto maf38 = read(d + "example_maf_grch38.txt");
  CHECK(maf38.counts.rows == 14);
  CHECK(maf38.counts.variants == 14);
  CHECK(iotest::issue_lines(maf38.issues, IssueLevel::kNote) == std::vector<std::size_t>{13});

  auto cna = read(d + "example_cna.txt", InputKind::kCna);
  CHECK(cna.format == "cbioportal-cna-matrix");
  CHECK(cna.counts.rows == 4);  // 4 gene rows (CDK4 twice)
  CHECK(cna.counts.samples == 2);
  CHECK(cna.counts.cnvs == 8);  // every cell is non-zero
  CHECK(cna.issues.empty());

  auto ind = read(d + "example_individual_cna.txt", InputKind::kCna);  // CRLF, no final newline
  CHECK(ind.format == "cna-table");
  CHECK(ind.counts.rows == 12);
  CHECK(ind.counts.cnvs == 12);
  CHECK(ind.issues.empty());

  // 7 rows = 4 fusions + 3 intragenic rearrangements (MLL2-, EGFR-, ERBB2-intragenic), which are
  // not fusions: read as structural variants of one gene (type variant).
  auto fus = read(d + "example_fusions.txt", InputKind::kSv);
  CHECK(fus.counts.rows == 7);
  CHECK(fus.counts.fusions == 4);
  CHECK(fus.counts.variants == 3);
  CHECK(fus.issues.empty());
  auto sv = read(d + "example_sv.txt", InputKind::kSv);
  CHECK(sv.counts.rows == 7);
  CHECK(sv.counts.fusions == 4);
  CHECK(sv.counts.variants == 3);  // the 3 DELETION rows with GeneA == GeneB

  auto atyp = read(d + "example_atypical_alterations.txt");
  CHECK(atyp.format == "alterations");
  CHECK(atyp.counts.rows == 12);
  CHECK(atyp.counts.biomarkers == 4);     // MSI-H x2, TMB-H x2
  CHECK(atyp.counts.exon_skipping == 1);  // EGFR vIII
  CHECK(atyp.counts.variants == 7);       // vV, ITD x2, KDD x2, CTD x2
  CHECK(atyp.issues.empty());

  auto clin = read(d + "example_clinical.txt");
  CHECK(clin.counts.rows == 9);
  CHECK(clin.counts.samples == 9);

  auto a = assemble({maf, cna, ind, fus, clin});
  CHECK(a.records.size() == 9);  // 4 MAF samples + 5 clinical-only
  CHECK(a.error_count() == 0);
  auto const* luad = iotest::record(a, "TCGA-05-4417-01");
  REQUIRE(luad);
  CHECK((*luad)["tumour"]["oncotree"] == "LUAD");
  // MAF + matrix + individual CNA + fusions; the individual CNA file repeats the matrix's 4
  // calls (lines 2-5): merged, both sources kept (issue 9). Its own repeats stay apart.
  CHECK((*luad)["findings"].size() == 9 + 4 + 8 + 2 - 4);
  std::size_t merged = 0;
  for (auto const& f : (*luad)["findings"]) merged += f.contains("sources");
  CHECK(merged == 4);
}

TEST_CASE("MOAlmanac example patient (MAF, called CNAs, STAR-Fusion, germline MAF)") {
  std::string d = "moalmanac/example_inputs/";
  auto snv = read(d + "example_patient.capture.somatic.snvs.maf", InputKind::kMaf);
  // SOURCE.md says 298 rows, counting newline characters: the file has 299 data rows, the
  // last one (ZSCAN1 p.E216K, line 300) without a final newline. All 299 are read.
  CHECK(snv.counts.rows == 299);
  CHECK(snv.counts.variants == 299);
  CHECK(snv.issues.empty());
  auto indel = read(d + "example_patient.capture.somatic.indels.maf", InputKind::kMaf);
  CHECK(indel.counts.variants == 2);
  auto germ = read(d + "example_patient.capture.germline.maf", InputKind::kMaf, "germline");
  CHECK(germ.counts.variants == 10);
  for (auto const& f : iotest::findings(germ)) CHECK(f["origin"] == "germline");
  auto cna = read(d + "example_patient.capture.somatic.called.cna.txt", InputKind::kCna);
  CHECK(cna.counts.rows == 6);
  CHECK(cna.counts.cnvs == 5);  // line 6: BLM "Wild type" is no alteration (note)
  CHECK(iotest::issues(cna.issues, IssueLevel::kNote) ==
        std::vector<std::string>{"6: BLM 'Wild type': copy-number neutral, no finding"});
  auto star = read(d + "example_patient.rna.star.fusions.txt", InputKind::kSv);
  CHECK(star.format == "star-fusion");
  CHECK(star.counts.rows == 178);
  CHECK(star.counts.fusions == 177);
  // Line 2: the example edits #FusionName to EML4--ALK but leaves CD2AP/C11orf80 as genes (and
  // their breakpoints, on chromosomes 6 and 11): a row that contradicts itself is not read.
  CHECK(iotest::issue_lines(star.issues, IssueLevel::kError) == std::vector<std::size_t>{2});
  CHECK(star.issues.size() == 1);
  auto rna = read(d + "example_patient.rna.somatic.snvs.maf", InputKind::kMaf);
  // SOURCE.md says 351: as above, the last row has no final newline; 352 data rows.
  CHECK(rna.counts.variants == 352);
  auto simp = read(d + "example_patient.simplified_input.txt");
  CHECK(simp.counts.rows == 4);
  CHECK(simp.counts.findings() == 4);

  auto a = assemble({snv, indel, germ, cna, star});
  REQUIRE(a.records.size() == 1);
  auto const& rec = a.records[0];
  CHECK(rec["patient"] == "example_tumor_profile");
  CHECK(rec["findings"].size() == 299 + 2 + 10 + 5 + 177);
  CHECK(rec["input"] == "incomplete");
  auto const& fs = rec["findings"];
  auto has = [&](nlohmann::json const& want) {
    for (auto const& f : fs) {
      bool all = true;
      for (auto const& [k, v] : want.items()) all = all && f.contains(k) && f[k] == v;
      if (all) return true;
    }
    return false;
  };
  CHECK(has({{"gene", "BRAF"}, {"hgvsp", "p.V600E"}, {"origin", "somatic"}}));
  CHECK(has({{"gene", "CDK4"}, {"call", "amplification"}}));
  CHECK(has({{"gene", "CDKN2A"}, {"call", "deletion"}}));
  CHECK_FALSE(has({{"type", "fusion"}, {"gene5", "EML4"}, {"gene3", "ALK"}}));
  CHECK_FALSE(has({{"type", "fusion"}, {"gene5", "CD2AP"}, {"gene3", "C11orf80"}}));
  CHECK(has({{"type", "fusion"}, {"gene5", "PHRF1"}, {"gene3", "PDIA4"}}));
  CHECK(has({{"gene", "BRAF"}, {"hgvsp", "p.R509*"}, {"origin", "germline"}}));
}

TEST_CASE("TCGA-LAML (SOURCE.md: 2,207 variants, 193 samples; 200 annotated patients)") {
  auto maf = read("cohorts/tcga_laml_maftools/tcga_laml.maf");
  CHECK(maf.counts.rows == 2207);
  CHECK(maf.counts.variants == 2207);
  CHECK(maf.counts.samples == 193);
  CHECK(maf.error_count() == 0);
  // The variant classes of SOURCE.md, as SO terms.
  auto c = consequences(maf);
  CHECK(c["missense_variant"] == 1342);
  CHECK(c["synonymous_variant"] == 449);
  CHECK(c["stop_gained"] == 103);
  CHECK(c["splice_site_variant"] == 92);
  CHECK(c["frameshift_variant"] == 91 + 52);
  CHECK(c["inframe_insertion"] == 42);
  CHECK(c["inframe_deletion"] == 10);
  // Protein changes written without residues (p.-920fs, p.317_318insM) are not protein
  // changes: 48 rows keep their gene and consequence but no hgvsp (warning with the line).
  CHECK(maf.count(IssueLevel::kWarning) == 48);
  auto dnmt3a = 0;
  for (auto const& f : iotest::findings(maf))
    if (f["gene"] == "DNMT3A" && f.value("hgvsp", std::string()).rfind("p.R882", 0) == 0) ++dnmt3a;
  CHECK(dnmt3a > 0);
  CHECK(iotest::findings(maf)[0]["vaf"] == 0.4566);  // i_TumorVAF_WU 45.66 (percent)

  auto annot = read("cohorts/tcga_laml_maftools/tcga_laml_annot.tsv", InputKind::kClinical);
  CHECK(annot.counts.rows == 200);
  AssembleOptions opt;
  opt.tumour = "AML";
  auto a = assemble({maf, annot}, opt);
  CHECK(a.records.size() == 200);  // 193 with variants + 7 annotated patients without any
  for (auto const& r : a.records) CHECK(r["tumour"]["oncotree"] == "AML");
}

TEST_CASE("CCLE cell lines (SOURCE.md: 58,848 variants / 1,570 models, 58,161 CNAs / 1,028, 7,069 fusions / 924)") {
  std::string d = "cohorts/ccle_cell_lines_moalmanac/";
  auto var = read(d + "cell-lines.somatic-variants.annotated.txt");
  CHECK(var.counts.rows == 58848);
  CHECK(var.counts.variants == 58848);
  CHECK(var.counts.samples == 1570);
  CHECK(var.error_count() == 0);
  // Old-style changes without residues (p.495_496insAQ, p.-123fs): hgvsp dropped, one warning each.
  CHECK(var.count(IssueLevel::kWarning) == 149);
  auto cn = read(d + "cell-lines.copy-numbers.annotated.txt");
  CHECK(cn.counts.cnvs == 58161);
  CHECK(cn.counts.samples == 1028);
  std::size_t amp = 0, del = 0;
  for (auto const& f : iotest::findings(cn)) (f["call"] == "amplification" ? amp : del) += 1;
  CHECK(amp == 25276);
  CHECK(del == 32885);
  auto fu = read(d + "cell-lines.fusions.annotated.txt");
  CHECK(fu.counts.rows == 7069);
  // Line 6 of the table lists NT5DC3 with itself (SIDM00789): an intragenic rearrangement, read
  // as a one-gene structural variant; the other 7,068 rows are fusions.
  CHECK(fu.counts.fusions == 7068);
  CHECK(fu.counts.variants == 1);
  CHECK(fu.counts.samples == 924);
  auto sum = read(d + "cell-lines.summary.txt");
  CHECK(sum.counts.rows == 1898);

  auto alone = assemble({var, cn, fu});
  CHECK(alone.records.size() == 2531);  // distinct model ids (CCLE names and Sanger ids mixed)
  auto a = assemble({sum, var, cn, fu});
  // With the summary, Sanger ids and alternative CCLE names join their cell line: 1,893 cell
  // lines (5 summary rows are alternative names of another row, note each), 1,608 with data.
  CHECK(a.records.size() == 1893);
  std::size_t with_data = 0;
  for (auto const& r : a.records) with_data += !r["findings"].empty();
  CHECK(with_data == 1608);
  std::size_t merged = 0;
  for (auto const& i : a.issues) merged += i.message.find("is another name of") != std::string::npos;
  CHECK(merged == 5);  // e.g. H103_BUCCAL, alt_ccle of H103_UPPER_AERODIGESTIVE_TRACT
  CHECK(a.error_count() == 0);
}

TEST_CASE("CTIMS seed patients (SOURCE.md: 130 patients, 448 alterations)") {
  auto tumours = TumourResolver::load(Source::file(iotest::source_dir("rules/reference/oncotree_2025_10_03.tsv")));
  REQUIRE(tumours);
  ReadOptions opts;
  opts.tumours = &*tumours;
  auto clin = read("matchminer_ctml/ctims_seed_patients/clinical.ejson", InputKind::kAuto, {}, opts);
  CHECK(clin.format == "ctims-clinical");
  CHECK(clin.counts.rows == 130);
  CHECK(clin.counts.samples == 130);
  // 10 diagnosis names are not names of OncoTree 2025-10-03 (e.g. "Glioblastoma",
  // "Multiple Myeloma", "No OncoTree Node Found"): kept as tumour.name with a warning.
  CHECK(clin.count(IssueLevel::kWarning) == 10);
  auto gen = read("matchminer_ctml/ctims_seed_patients/genomic.ejson", InputKind::kAuto, {}, opts);
  CHECK(gen.format == "ctims-genomic");
  CHECK(gen.counts.rows == 448);
  // 448 = 310 MUTATION + 80 CNV + 26 SV + 32 SIGNATURE documents.
  // Read: 310 variants + 1 SV with EML4 on both sides (a one-gene structural variant) = 311;
  // 80 CNVs; 12 fusions; 47 biomarkers (26 signature documents give MMR and MSI or a
  // *_STATUS = yes). Skipped, each with its line: 10 SVs given only as a free-text comment
  // (note), 3 SVs whose "genes" are sentences ("this should only match to any_gene": error),
  // 6 signatures whose MMR_STATUS is "Cannot assess" / "Indeterminate" (note).
  CHECK(gen.counts.variants == 311);
  CHECK(gen.counts.cnvs == 80);
  CHECK(gen.counts.fusions == 12);
  CHECK(gen.counts.biomarkers == 47);
  CHECK(gen.counts.skipped == 19);
  CHECK(gen.error_count() == 3);
  auto a = assemble({clin, gen});
  CHECK(a.records.size() == 130);
  std::size_t coded = 0, findings = 0;
  for (auto const& r : a.records) {
    coded += r.contains(nlohmann::json::json_pointer("/tumour/oncotree"));
    findings += r["findings"].size();
  }
  CHECK(coded == 119);  // 130 - the 10 names above - line 125, whose diagnosis is "NA"
  CHECK(findings == 311 + 80 + 12 + 47 + clin.counts.findings());
  // The 3 clinical documents whose SAMPLE_ID differs from _id get their genomic documents too.
  CHECK(a.error_count() == 3);
}
