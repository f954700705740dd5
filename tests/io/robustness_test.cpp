// Every reader against the ways real lab files differ from the textbook (issue 9): a UTF-8
// BOM, CRLF line ends, leading blank lines, '#' comment lines, extra columns (or, for JSON
// inputs, extra fields). Each fixture is read as written and under each variation, with its
// explicit flag and through content detection (--input); the facts read must not change and
// no row may be lost.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "actionable/detail/io/readers/assemble.hpp"
#include "helpers.hpp"

using namespace actionable::io;

namespace {

enum Variation : unsigned {
  kAsIs = 0,
  kBom = 1,
  kCrlf = 2,
  kBlank = 4,
  kComments = 8,
  kExtra = 16,
};
constexpr unsigned kAllVariations = kBom | kCrlf | kBlank | kComments | kExtra;

struct Fixture {
  char const* name;
  InputKind kind;
  std::string text;
  std::size_t findings;  ///< findings read (all variations)
  std::size_t samples;   ///< samples named
  unsigned variations;   ///< which variations apply
  /// How to add extra columns / fields / comments when the format is not a plain table.
  std::function<std::string(std::string const&)> extra;
  std::function<std::string(std::string const&)> comments;
};

std::string replace_all(std::string s, std::string const& a, std::string const& b) {
  for (std::size_t p = 0; (p = s.find(a, p)) != std::string::npos; p += b.size()) s.replace(p, a.size(), b);
  return s;
}

/// Appends a column to every non-comment line of a tab-separated table (header: "EXTRA_COL").
std::string extra_column(std::string const& text) {
  std::istringstream in(text);
  std::string line, out;
  bool header = true;
  while (std::getline(in, line)) {
    if (!line.empty() && !(line[0] == '#' && line.find('\t') == std::string::npos) &&
        !(line[0] == '#' && header && line.rfind("#FusionName", 0) != 0)) {
      line += header ? "\tEXTRA_COL" : "\tsome value";
      header = false;
    }
    out += line + "\n";
  }
  return out;
}

std::string hash_comments(std::string const& text) {
  return "# exported by the lab's pipeline v1.2, 2026-11-30\n#\n# free text, no columns\n" + text;
}

std::string apply(Fixture const& f, unsigned v) {
  std::string s = f.text;
  if (v & kExtra) s = f.extra ? f.extra(s) : extra_column(s);
  if (v & kComments) s = f.comments ? f.comments(s) : hash_comments(s);
  if (v & kBlank) s = "\n\n   \n" + s;
  if (v & kCrlf) s = replace_all(s, "\n", "\r\n");
  if (v & kBom) s = "\xEF\xBB\xBF" + s;
  return s;
}

std::string vcf_text() {
  std::ifstream f(iotest::local("vep_tumour_normal.vcf"), std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<Fixture> fixtures() {
  std::vector<Fixture> fs;
  fs.push_back({"MAF",
                InputKind::kMaf,
                "Hugo_Symbol\tTumor_Sample_Barcode\tVariant_Classification\tHGVSp_Short\tt_ref_count\tt_alt_count\n"
                "BRAF\tS1\tMissense_Mutation\tp.V600E\t60\t40\n"
                "KRAS\tS2\tMissense_Mutation\tp.G12D\t.\t.\n",
                2,
                2,
                kAllVariations,
                {},
                {}});
  fs.push_back({"vcf2maf MAF",
                InputKind::kMaf,
                [] {
                  std::ifstream f(iotest::local("vcf2maf_style.maf"), std::ios::binary);
                  std::ostringstream ss;
                  ss << f.rdbuf();
                  return ss.str();
                }(),
                3,
                2,
                kAllVariations,
                {},
                {}});
  fs.push_back({"CNA matrix",
                InputKind::kCna,
                "Hugo_Symbol\tEntrez_Gene_Id\tS1\tS2\nERBB2\t2064\t2\t0\nCDKN2A\t1029\t-2\t-1\n",
                3,
                2,
                kBom | kCrlf | kBlank | kComments,
                {},
                {}});  // an extra column would be a sample
  fs.push_back({"CNA table",
                InputKind::kCna,
                "Tumor_Sample_Barcode\tHugo_Symbol\tCopy_Number_Alteration\nS1\tERBB2\t2\nS2\tCDKN2A\t-2\n",
                2,
                2,
                kAllVariations,
                {},
                {}});
  fs.push_back({"called CNAs (MOAlmanac)",
                InputKind::kCna,
                "gene\tcall\nTP53\tDeletion\nCDK4\tAmplification\n",
                2,
                0,
                kAllVariations,
                {},
                {}});
  fs.push_back({"cBioPortal data_sv",
                InputKind::kSv,
                "Sample_Id\tSite1_Hugo_Symbol\tSite2_Hugo_Symbol\tSV_Status\tClass\n"
                "S1\tEML4\tALK\tSOMATIC\tFUSION\nS2\tCD74\tROS1\tSOMATIC\tFUSION\n",
                2,
                2,
                kAllVariations,
                {},
                {}});
  fs.push_back({"STAR-Fusion",
                InputKind::kSv,
                "#FusionName\tJunctionReads\tSpanningFragCount\tLeftGene\tRightGene\n"
                "EML4--ALK\t10\t2\tEML4^ENSG00000143924.19\tALK^ENSG00000171094.18\n",
                1,
                0,
                kAllVariations,
                {},
                {}});
  fs.push_back({"clinical sample file",
                InputKind::kClinical,
                "#Sample Identifier\tPatient Identifier\tCancer Type Detailed\tAge\n"
                "#Sample id\tPatient id\tOncoTree code\tAge at sequencing\n"
                "#STRING\tSTRING\tSTRING\tNUMBER\n#1\t1\t1\t1\n"
                "SAMPLE_ID\tPATIENT_ID\tONCOTREE_CODE\tAGE\nS1\tP1\tLUAD\t61\nS2\tP2\tCOAD\t70\n",
                0,
                2,
                kAllVariations,
                {},
                {}});
  fs.push_back({"gene-panel matrix",
                InputKind::kPanel,
                "SAMPLE_ID\tmutations\tcna\nS1\tFOCUS\tFOCUS\n",
                0,
                1,
                kAllVariations,
                {},
                {}});
  fs.push_back({"gene-panel file",
                InputKind::kPanel,
                "stable_id: FOCUS\ndescription: five genes\ngene_list: EGFR\tKRAS\tBRAF\tALK\tMET\n",
                0,
                0,
                kBom | kCrlf | kBlank | kExtra,
                [](std::string const& s) { return s + "extra_key: some value\n"; },
                {}});
  fs.push_back({"OncoKB atypical alterations",
                InputKind::kAuto,
                "SAMPLE_ID\tHUGO_SYMBOL\tALTERATION\nS1\tEGFR\tvIII\nS1\tBRAF\tV600E\nS2\t\tMSI-H\n",
                3,
                2,
                kAllVariations,
                {},
                {}});
  fs.push_back({"MOAlmanac simplified input",
                InputKind::kAuto,
                "feature_type\tfeature\talteration_type\talteration\nSomatic Variant\tBRAF\tMissense\tp.V600E\n"
                "Copy Number\tCDK4\tAmplification\t\n",
                2,
                0,
                kAllVariations,
                {},
                {}});
  fs.push_back({"VCF (VEP)", InputKind::kVcf, vcf_text(), 5, 1, kBom | kCrlf | kBlank | kComments | kExtra,
                // extra column: a third sample; comments: extra ## meta lines
                [](std::string const& s) {
                  std::string out;
                  std::istringstream in(s);
                  std::string line;
                  while (std::getline(in, line)) {
                    if (line.rfind("#CHROM", 0) == 0)
                      line += "\tOTHER_SAMPLE";
                    else if (!line.empty() && line[0] != '#')
                      line += "\t0/0:30,0:0.0:30";
                    out += line + "\n";
                  }
                  return out;
                },
                [](std::string const& s) {
                  auto nl = s.find('\n');
                  return s.substr(0, nl + 1) + "##comment=exported by the lab's pipeline\n##another=1\n" +
                         s.substr(nl + 1);
                }});
  fs.push_back({"Phenopacket",
                InputKind::kPhenopacket,
                R"({"id": "pp1", "subject": {"id": "S1", "sex": "FEMALE"},
  "diseases": [{"term": {"id": "oncotree:LUAD", "label": "Lung Adenocarcinoma"}}],
  "interpretations": [{"id": "i1", "progressStatus": "SOLVED", "diagnosis": {"disease": {"id": "oncotree:LUAD"},
    "genomicInterpretations": [{"subjectOrBiosampleId": "S1", "interpretationStatus": "CAUSATIVE",
      "variantInterpretation": {"variationDescriptor": {"id": "v1", "geneContext": {"valueId": "HGNC:3236", "symbol": "EGFR"},
        "expressions": [{"syntax": "hgvs.p", "value": "NP_005219.2:p.Leu858Arg"}]}}}]}}],
  "metaData": {"phenopacketSchemaVersion": "2.0"}}
)",
                1,
                1,
                kBom | kCrlf | kBlank | kExtra,
                [](std::string const& s) {
                  return replace_all(s, R"("id": "pp1",)", R"("id": "pp1", "x_lab_field": {"a": [1, 2]},)");
                },
                {}});
  fs.push_back(
      {"CTIMS genomic documents",
       InputKind::kCtims,
       R"({"CLINICAL_ID": "S1", "VARIANT_CATEGORY": "MUTATION", "TRUE_HUGO_SYMBOL": "BRAF", "TRUE_PROTEIN_CHANGE": "p.V600E"}
{"CLINICAL_ID": "S1", "VARIANT_CATEGORY": "CNV", "TRUE_HUGO_SYMBOL": "ERBB2", "CNV_CALL": "High level amplification"}
)",
       2,
       1,
       kBom | kCrlf | kBlank | kExtra,
       [](std::string const& s) { return replace_all(s, R"({"CLINICAL_ID")", R"({"x_extra": null, "CLINICAL_ID")"); },
       {}});
  return fs;
}

std::filesystem::path write_temp(std::string const& name, std::string const& text) {
  auto dir = std::filesystem::temp_directory_path() / "actionable_io_robustness";
  std::filesystem::create_directories(dir);
  auto p = dir / name;
  std::ofstream f(p, std::ios::binary);
  f << text;
  return p;
}

}  // namespace

TEST_CASE("every reader: BOM, CRLF, leading blank lines, # comments, extra columns") {
  auto const names = std::vector<std::pair<unsigned, char const*>>{{kAsIs, "as written"},
                                                                   {kBom, "BOM"},
                                                                   {kCrlf, "CRLF"},
                                                                   {kBlank, "leading blank lines"},
                                                                   {kComments, "# comments"},
                                                                   {kExtra, "extra columns"},
                                                                   {kAllVariations, "all at once"}};
  std::size_t n = 0;
  for (auto const& f : fixtures()) {
    for (auto const& name : names) {
      auto const v = name.first;  // not a structured binding: clang 14 cannot capture one
      auto const* vname = name.second;
      if ((v & f.variations) != v) continue;
      auto text = apply(f, v);
      auto path = write_temp("fixture_" + std::to_string(n++) + ".txt", text);
      for (InputKind flag : {f.kind, InputKind::kAuto}) {
        CAPTURE(f.name);
        CAPTURE(vname);
        CAPTURE(kind_name(flag));
        auto r = read_input(Input{flag, path.string(), ""});
        for (auto const& i : r.issues)
          if (i.level == IssueLevel::kError) MESSAGE(i.to_string());
        CHECK(r.error_count() == 0);
        CHECK(r.counts.findings() == f.findings);
        CHECK(r.counts.samples == f.samples);
        if (flag == InputKind::kAuto && f.kind != InputKind::kAuto)
          CHECK(detect_format(Source::file(path.string())) == f.kind);
      }
    }
  }
  CHECK(n >= 90);  // 15 fixtures × up to 7 forms: the table itself must not shrink unseen
}
