// Lab files that never lose a patient (issue 9): an explicit format is obeyed, a lost row is
// never silent, a gene name never costs a record, the assembly says what it did, and the
// same fact from two inputs is one finding with both sources.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "actionable/detail/io/readers/assemble.hpp"
#include "actionable/detail/io/readers/maf.hpp"
#include "helpers.hpp"

using namespace actionable::io;
using iotest::shared;

namespace {

std::string write(std::string const& name, std::string const& text) {
  auto dir = std::filesystem::temp_directory_path() / "actionable_io_lab_files";
  std::filesystem::create_directories(dir);
  auto p = dir / name;
  std::ofstream f(p, std::ios::binary);
  f << text;
  return p.string();
}

/// A stand-in for the HGNC catalog: a few approved symbols, one alias, one ambiguous
/// previous symbol (as in HGNC: "NEU" is ERBB2's alias and NEU1's previous symbol).
GeneResolver fake_hgnc() {
  GeneResolver g;
  g.lookup = [](std::string_view s) {
    GeneResolution r;
    static std::vector<std::string> const approved = {"ALK",  "BRAF", "CD2AP", "EML4", "ERBB2",
                                                      "KRAS", "NEU1", "TP53",  "CDK4"};
    for (auto const& a : approved)
      if (s == a) return GeneResolution{GeneResolution::Kind::kResolved, a, {}};
    if (s == "HER2") return GeneResolution{GeneResolution::Kind::kResolved, "ERBB2", {}};
    if (s == "NEU") return GeneResolution{GeneResolution::Kind::kAmbiguous, "", {"ERBB2", "NEU1"}};
    return r;
  };
  g.symbol_of_id = [](std::string_view id) { return id == "HGNC:3430" ? std::string("ERBB2") : std::string(); };
  return g;
}

bool has_issue(std::vector<Issue> const& is, IssueLevel level, std::string const& text) {
  for (auto const& i : is)
    if (i.level == level && i.to_string().find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a vcf2maf MAF given with --maf is read as a MAF, also when detected") {
  auto path = iotest::local("vcf2maf_style.maf");
  for (auto kind : {InputKind::kMaf, InputKind::kAuto}) {
    auto r = read_input(Input{kind, path, ""});
    CHECK(r.format == "maf");
    CHECK(r.error_count() == 0);
    CHECK(r.counts.rows == 3);
    CHECK(r.counts.variants == 3);
    CHECK(r.counts.samples == 2);
    auto fs = iotest::findings(r);
    REQUIRE(fs.size() == 3);
    CHECK(fs[0]["gene"] == "BRAF");
    CHECK(fs[0]["hgvsp"] == "p.V600E");
    CHECK(fs[0]["hgnc_id"] == "HGNC:1097");
    CHECK(fs[0]["exon"] == 15);
    CHECK(fs[0]["vaf"] == 0.4);
    CHECK_FALSE(fs[1].contains("vaf"));  // t_ref_count "." is no count
  }
  CHECK(detect_format(Source::file(path)) == InputKind::kMaf);
}

TEST_CASE("the flag decides: a MOAlmanac table given as --maf is read (and fails) as a MAF") {
  auto simplified = shared("moalmanac/example_inputs/example_patient.simplified_input.txt");
  auto r = read_input(Input{InputKind::kMaf, simplified, ""});
  CHECK(r.format == "maf");
  CHECK(r.error_count() > 0);
  CHECK(has_issue(r.issues, IssueLevel::kWarning, "looks like a moalmanac file"));
  // Given without a flag it is detected.
  auto d = read_input(Input{InputKind::kAuto, simplified, ""});
  CHECK(d.format == "moalmanac-simplified");
  CHECK(d.counts.findings() == 4);
}

TEST_CASE("a file that yields nothing stops the run; so does one whose rows all fail") {
  auto bad_rows = write("all_bad.maf", "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\n\tS1\tp.V600E\n\tS1\tp.G12D\n");
  auto good = write("good.maf", "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nBRAF\tS1\tp.V600E\n");
  auto a = assemble_inputs({{InputKind::kMaf, good, ""}, {InputKind::kMaf, bad_rows, ""}});
  REQUIRE(a.fatal.size() == 1);
  CHECK(a.fatal[0].file == bad_rows);
  CHECK(a.fatal[0].message.find("nothing could be read from this file (2 rows, none read") != std::string::npos);
  auto empty = write("header_only.maf", "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\n");
  auto e = assemble_inputs({{InputKind::kMaf, good, ""}, {InputKind::kMaf, empty, ""}});
  REQUIRE(e.fatal.size() == 1);
  CHECK(e.fatal[0].message.find("no data rows") != std::string::npos);
  auto ok = assemble_inputs({{InputKind::kMaf, good, ""}});
  CHECK(ok.fatal.empty());
  CHECK_FALSE(ok.records[0].contains("input"));
}

TEST_CASE("a row that fails makes its own record incomplete, and only that one") {
  auto maf = write("one_bad_row.maf",
                   "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\n"
                   "BRAF\tS1\tp.V600E\n"
                   "two words\tS2\tp.G12D\n"  // not a gene symbol: S2 lost a row
                   "KRAS\tS2\tp.G12C\n"
                   "TP53\tS3\tp.R175H\n");
  auto a = assemble_inputs({{InputKind::kMaf, maf, ""}});
  CHECK(a.fatal.empty());
  REQUIRE(a.records.size() == 3);
  auto const* s1 = iotest::record(a, "S1");
  auto const* s2 = iotest::record(a, "S2");
  REQUIRE(s1);
  REQUIRE(s2);
  CHECK_FALSE(s1->contains("input"));
  CHECK((*s2)["input"] == "incomplete");
  REQUIRE((*s2)["input_issues"].size() == 1);
  CHECK((*s2)["input_issues"][0].get<std::string>().find(":3: error: 'two words' is not a gene symbol") !=
        std::string::npos);
  CHECK(a.summaries[1].incomplete());
  CHECK_FALSE(a.summaries[2].incomplete());
  // A row lost before its sample was known concerns every record of the file.
  auto ragged = write("ragged.maf",
                      "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\n"
                      "BRAF\tS1\tp.V600E\n"
                      "KRAS\tS2\tp.G12D\textra\tfields\n"
                      "TP53\tS3\tp.R175H\n");
  auto b = assemble_inputs({{InputKind::kMaf, ragged, ""}});
  REQUIRE(b.records.size() == 2);  // S2's only row is the ragged one
  for (auto const& r : b.records) CHECK(r["input"] == "incomplete");
  // A row whose sample appears nowhere else still yields its record, marked incomplete.
  auto lone = write("lone.maf", "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nBRAF\tS1\tp.V600E\n\tS9\tp.G12D\n");
  auto c = assemble_inputs({{InputKind::kMaf, lone, ""}});
  auto const* s9 = iotest::record(c, "S9");
  REQUIRE(s9);
  CHECK((*s9)["input"] == "incomplete");
}

TEST_CASE("gene symbols: unknown and ambiguous ones never cost the record") {
  auto genes = fake_hgnc();
  AssembleOptions opt;
  opt.genes = &genes;
  auto sv = write("fusions.tsv",
                  "Sample_Id\tSite1_Hugo_Symbol\tSite2_Hugo_Symbol\n"
                  "S1\tEML4\tALK\n"
                  "S1\tRP11-123A4.5\tALK\n"           // clone-based locus: partner unresolved
                  "S1\tAC012345.1\tCTD-2000O1.1\n");  // neither side resolves: kept anyway
  auto maf = write("genes.maf",
                   "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\tHGNC_ID\n"
                   "NEU\tS1\tp.V777L\tHGNC:3430\n"  // ambiguous, resolved by HGNC_ID
                   "NEU\tS1\tp.A1B\t\n"             // ambiguous: ERBB2 is in the record (context)
                   "HER2\tS1\tp.S310F\t\n"          // alias: passed on (the engine resolves it)
                   "LOC100\tS1\tp.G12D\t\n");       // unknown
  auto a = assemble_inputs({{InputKind::kSv, sv, ""}, {InputKind::kMaf, maf, ""}}, {}, opt);
  REQUIRE(a.records.size() == 1);
  auto const& fs = a.records[0]["findings"];
  REQUIRE(fs.size() == 7);
  CHECK_FALSE(a.records[0].contains("input"));  // a name is no lost row
  CHECK_FALSE(fs[0].contains("unresolved"));
  CHECK(fs[1]["unresolved"] == nlohmann::json::array({"gene5"}));
  CHECK(fs[1]["gene3"] == "ALK");
  CHECK(fs[2]["unresolved"] == nlohmann::json::array({"gene5", "gene3"}));
  CHECK(fs[3]["gene"] == "ERBB2");
  CHECK(fs[4]["gene"] == "ERBB2");
  CHECK(fs[5]["gene"] == "HER2");
  CHECK(fs[6]["unresolved"] == nlohmann::json::array({"gene"}));
  CHECK(fs[6]["gene"] == "LOC100");
  CHECK(a.summaries[0].unresolved == std::vector<std::string>{"RP11-123A4.5", "AC012345.1", "CTD-2000O1.1", "LOC100"});
  CHECK(has_issue(a.issues, IssueLevel::kWarning,
                  "ambiguous gene symbol 'NEU' (ERBB2, NEU1) read as ERBB2 by its HGNC_ID HGNC:3430"));
  CHECK(has_issue(a.issues, IssueLevel::kWarning, "read as ERBB2 by the record's other genes"));
  CHECK(has_issue(a.issues, IssueLevel::kWarning,
                  "'RP11-123A4.5' is not an HGNC gene symbol: finding kept, symbol unresolved"));
  // An ambiguous symbol with nothing to decide it stays unresolved.
  auto lone = write("lone_neu.maf", "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nNEU\tS2\tp.A1B\n");
  auto b = assemble_inputs({{InputKind::kMaf, lone, ""}}, {}, opt);
  CHECK(b.records[0]["findings"][0]["unresolved"] == nlohmann::json::array({"gene"}));
  // --unknown-genes error: symbols are left as written (the engine then rejects the record).
  opt.unknown_genes = UnknownGenes::kError;
  auto c = assemble_inputs({{InputKind::kSv, sv, ""}}, {}, opt);
  for (auto const& f : c.records[0]["findings"]) CHECK_FALSE(f.contains("unresolved"));
}

TEST_CASE("--sample that names no sample of the other inputs: two records, and it is said") {
  std::string d = "moalmanac/example_inputs/";
  AssembleOptions opt;
  opt.sample = "example";
  auto a = assemble_inputs({{InputKind::kMaf, shared(d + "example_patient.capture.somatic.indels.maf"), ""},
                            {InputKind::kCna, shared(d + "example_patient.capture.somatic.called.cna.txt"), ""}},
                           {}, opt);
  CHECK(a.records.size() == 2);
  CHECK(has_issue(a.issues, IssueLevel::kWarning, "did you mean --sample example_tumor_profile?"));
  REQUIRE(a.summaries.size() == 2);
  CHECK(a.summaries[0].id == "example_tumor_profile");
  CHECK(a.summaries[0].inputs.size() == 1);
  CHECK(a.summaries[1].id == "example");
  CHECK(a.summaries[1].counts.cnvs == 5);
}

TEST_CASE("the same fact from two inputs is one finding with both sources; conflicts are reported") {
  auto tissue = write("tissue.maf",
                      "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\tt_ref_count\tt_alt_count\n"
                      "EGFR\tP1\tp.L858R\t70\t30\nEGFR\tP1\tp.T790M\t95\t5\n");
  auto plasma = write("plasma.maf",
                      "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\tt_ref_count\tt_alt_count\n"
                      "EGFR\tP1\tp.L858R\t980\t20\n");
  auto cna_a =
      write("cna_tissue.txt",
            "Tumor_Sample_Barcode\tHugo_Symbol\tCopy_Number_Alteration\nP1\tMET\tAmplification\nP1\tERBB2\t2\n");
  auto cna_b =
      write("cna_fish.txt",
            "Tumor_Sample_Barcode\tHugo_Symbol\tCopy_Number_Alteration\nP1\tMET\tNeutral\nP1\tERBB2\tAmplification\n");
  auto a = assemble_inputs({{InputKind::kMaf, tissue, ""},
                            {InputKind::kMaf, plasma, ""},
                            {InputKind::kCna, cna_a, ""},
                            {InputKind::kCna, cna_b, ""}});
  REQUIRE(a.records.size() == 1);
  auto const& fs = a.records[0]["findings"];
  REQUIRE(fs.size() == 4);  // L858R (merged), T790M, MET amp, ERBB2 amp (merged)
  CHECK(fs[0]["hgvsp"] == "p.L858R");
  REQUIRE(fs[0]["sources"].size() == 2);
  CHECK(fs[0]["sources"][0]["input"] == tissue);
  CHECK(fs[0]["sources"][0]["vaf"] == 0.3);
  CHECK(fs[0]["sources"][1]["input"] == plasma);
  CHECK(fs[0]["sources"][1]["vaf"] == 0.02);
  CHECK_FALSE(fs[1].contains("sources"));
  CHECK(fs[3]["gene"] == "ERBB2");
  CHECK(fs[3]["sources"].size() == 2);
  CHECK(a.summaries[0].merged == 2);
  CHECK(has_issue(a.issues, IssueLevel::kWarning, "conflicting calls for copy number of MET (somatic): amplification"));
  CHECK(has_issue(a.issues, IssueLevel::kWarning, "but neutral here"));
  // Within one file, two rows are two findings (e.g. two transcripts): never merged.
  auto twice =
      write("twice.maf", "Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nKRAS\tP2\tp.G12D\nKRAS\tP2\tp.G12D\n");
  auto b = assemble_inputs({{InputKind::kMaf, twice, ""}});
  CHECK(b.records[0]["findings"].size() == 2);
}

TEST_CASE(
    "MOAlmanac example patient, every file at once: one record, nothing lost to a name, the edited fusion row said") {
  std::string d = "moalmanac/example_inputs/";
  auto genes = fake_hgnc();
  AssembleOptions opt;
  opt.genes = &genes;
  auto a = assemble_inputs({{InputKind::kMaf, shared(d + "example_patient.capture.somatic.snvs.maf"), ""},
                            {InputKind::kMaf, shared(d + "example_patient.capture.somatic.indels.maf"), ""},
                            {InputKind::kMaf, shared(d + "example_patient.capture.germline.maf"), "germline"},
                            {InputKind::kCna, shared(d + "example_patient.capture.somatic.called.cna.txt"), ""},
                            {InputKind::kSv, shared(d + "example_patient.rna.star.fusions.txt"), ""}},
                           {}, opt);
  CHECK(a.fatal.empty());
  REQUIRE(a.records.size() == 1);
  // STAR-Fusion line 2 (#FusionName EML4--ALK over CD2AP/C11orf80) is not read: the record is
  // marked incomplete and says which row, every other row is in it.
  CHECK(a.records[0]["input"] == "incomplete");
  REQUIRE(a.records[0]["input_issues"].size() == 1);
  CHECK(a.records[0]["input_issues"][0].get<std::string>().find("example_patient.rna.star.fusions.txt:2: ") !=
        std::string::npos);
  CHECK(a.records[0]["findings"].size() == 299 + 2 + 10 + 5 + 177);
}
