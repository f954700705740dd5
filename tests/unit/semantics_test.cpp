// Atom semantics and three-valued evaluation (dsl.md §2, §5), as a table: each row is a
// `when` expression, a patient (findings, tests, clinical facts) and the expected outcome of
// a rule `when EXPR tumour any`: "match", "indeterminate" (with what is missing) or "none".
#include "support.hpp"

using nlohmann::json;

namespace {

struct SemanticsRow {
  char const* when;
  char const* patient;   // JSON object merged into {"patient": "p", "tumour": "LUAD"}
  char const* expected;  // match | indeterminate | none
  char const* missing;   // for indeterminate: one expected entry of "missing" ("" = skip)
};

SemanticsRow const kRows[] = {
    // protein changes, spellings, origin and coverage
    {"EGFR p.L858R", R"J({"findings":[{"gene":"EGFR","hgvsp":"p.Leu858Arg"}]})J", "match", ""},
    {"EGFR p.L858R", R"J({"findings":[{"gene":"EGFR","hgvsp":"p.(Leu858Arg)"}]})J", "match", ""},
    {"EGFR p.L858R", R"J({"findings":[{"gene":"EGFR","hgvsp":"L858R"}]})J", "match", ""},
    {"BRAF p.V600E", R"J({"findings":[{"gene":"BRAF","hgvsp":"p.V600K"}]})J", "none", ""},
    {"EGFR p.L858R", R"J({"tests":[{"genes":["EGFR"]}]})J", "none", ""},
    {"EGFR p.L858R", R"J({"tests":[{"genes":["KRAS"]}]})J", "indeterminate", "EGFR"},
    {"somatic EGFR p.L858R", R"J({"tests":[{"origin":"germline","genes":["EGFR"]}]})J", "indeterminate",
     "EGFR (somatic)"},
    {"EGFR p.L858R", R"J({"tests":[{"origin":"germline","genes":["EGFR"]}]})J", "none", ""},
    {"germline EGFR p.L858R", R"J({"findings":[{"gene":"EGFR","hgvsp":"p.L858R"}]})J", "none", ""},
    {"EGFR p.L858R",
     R"J({"findings":[{"gene":"EGFR","consequence":"missense_variant"}],"tests":[{"genes":["EGFR"]}]})J",
     "indeterminate", "EGFR protein change"},
    {"EGFR mutation", R"J({"findings":[{"gene":"EGFR","consequence":"intron_variant"}],"tests":[{"genes":["EGFR"]}]})J",
     "none", ""},
    {"ERBB2 amplification", R"J({"findings":[{"type":"cnv","gene":"HER2","call":"amplification"}]})J", "match", ""},
    // exons
    {"EGFR exon 19 deletion", R"J({"findings":[{"gene":"EGFR","hgvsp":"p.E746_A750del"}]})J", "match", ""},
    {"EGFR exon 19 deletion", R"J({"findings":[{"gene":"EGFR","hgvsp":"p.L747_P753delinsS"}]})J", "match", ""},
    {"EGFR exon 20 insertion", R"J({"findings":[{"gene":"EGFR","hgvsp":"p.A767_V769dup"}]})J", "match", ""},
    {"EGFR exon 20 insertion", R"J({"findings":[{"gene":"EGFR","hgvsp":"p.D770_N771insSVD"}]})J", "match", ""},
    {"EGFR exon 19 deletion", R"J({"findings":[{"gene":"EGFR","hgvsp":"p.A767_V769dup"}]})J", "none", ""},
    {"EGFR exon 19 deletion", R"J({"findings":[{"gene":"EGFR","hgvsp":"p.E746_A750del","exon":20}]})J", "none", ""},
    {"EGFR exon 20 insertion excluding p.A763_Y764insFQEA",
     R"J({"findings":[{"gene":"EGFR","hgvsp":"p.A763_Y764insFQEA"}]})J", "none", ""},
    {"EGFR exon 20 insertion excluding p.A763_Y764insFQEA",
     R"J({"findings":[{"gene":"EGFR","hgvsp":"p.D770_N771insSVD"}]})J", "match", ""},
    {"EGFR exon 18-21 mutation", R"J({"findings":[{"gene":"EGFR","hgvsp":"p.G719S"}]})J", "match", ""},
    {"EGFR exon 18-21 mutation", R"J({"findings":[{"gene":"EGFR","hgvsp":"p.R108K"}]})J", "none", ""},
    {"MET exon 14 skipping", R"J({"findings":[{"type":"exon_skipping","gene":"MET","exons":[14]}]})J", "match", ""},
    {"MET exon 14 skipping", R"J({"findings":[{"gene":"MET","consequence":"splice_donor_variant","intron":14}]})J",
     "match", ""},
    {"MET exon 14 skipping", R"J({"findings":[{"gene":"MET","consequence":"splice_acceptor_variant","intron":13}]})J",
     "match", ""},
    {"MET exon 14 skipping", R"J({"tests":[{"method":"RT-PCR","genes":["MET"]}]})J", "none", ""},
    // codons
    {"KRAS p.G12", R"J({"findings":[{"gene":"KRAS","hgvsp":"p.G12D"}]})J", "match", ""},
    {"KRAS p.G12", R"J({"findings":[{"gene":"KRAS","hgvsp":"p.G13D"}]})J", "none", ""},
    {"KRAS codon 12, 13", R"J({"findings":[{"gene":"KRAS","hgvsp":"p.Gly13Asp"}]})J", "match", ""},
    {"KRAS codon 12", R"J({"findings":[{"gene":"KRAS","hgvsp":"p.G12="}]})J", "none", ""},
    // fusions and test methods
    {"ALK fusion", R"J({"findings":[{"type":"fusion","gene5":"EML4","gene3":"ALK"}]})J", "match", ""},
    {"ALK fusion", R"J({"findings":[{"type":"fusion","gene3":"ALK","method":"FISH"}]})J", "match", ""},
    {"EML4::ALK fusion", R"J({"findings":[{"type":"fusion","gene3":"ALK","method":"FISH"}]})J", "indeterminate",
     "ALK fusion partner"},
    {"EML4::ALK fusion", R"J({"findings":[{"type":"fusion","gene5":"EML4","gene3":"ALK","method":"FISH"}]})J",
     "indeterminate", "ALK fusion partner"},
    {"EML4::ALK fusion", R"J({"findings":[{"type":"fusion","gene5":"EML4","gene3":"ALK"}]})J", "match", ""},
    {"EML4::ALK fusion", R"J({"findings":[{"type":"fusion","gene5":"ALK","gene3":"EML4"}]})J", "none", ""},
    {"ALK fusion with EML4", R"J({"findings":[{"type":"fusion","gene5":"EML4","gene3":"ALK"}]})J", "match", ""},
    {"ALK fusion with EML4", R"J({"findings":[{"type":"fusion","gene5":"KIF5B","gene3":"ALK"}]})J", "none", ""},
    {"ALK fusion", R"J({"tests":[{"method":"FISH","genes":["ALK"]}]})J", "none", ""},
    {"ALK p.F1174L", R"J({"tests":[{"method":"FISH","genes":["ALK"]}]})J", "indeterminate", "ALK"},
    {"RET fusion", R"J({"tests":[{"method":"PCR","genes":["RET"]}]})J", "indeterminate", "RET"},
    // copy number
    {"MET amplification", R"J({"findings":[{"type":"cnv","gene":"MET","call":"amplification"}]})J", "match", ""},
    {"MET amplification", R"J({"findings":[{"type":"cnv","gene":"MET","call":"gain"}]})J", "none", ""},
    {"MET amplification (cn >= 6)", R"J({"findings":[{"type":"cnv","gene":"MET","call":"amplification","copies":8}]})J",
     "match", ""},
    {"MET amplification (cn >= 6)", R"J({"findings":[{"type":"cnv","gene":"MET","call":"amplification","copies":5}]})J",
     "none", ""},
    {"MET amplification (cn >= 6)", R"J({"findings":[{"type":"cnv","gene":"MET","call":"amplification"}]})J",
     "indeterminate", "MET copy number"},
    {"ERBB2 amplification (ratio >= 2.0)",
     R"J({"findings":[{"type":"cnv","gene":"ERBB2","call":"amplification","ratio":2.5}]})J", "match", ""},
    {"CDKN2A deletion", R"J({"findings":[{"type":"cnv","gene":"CDKN2A","call":"deletion"}]})J", "match", ""},
    {"CDKN2A deletion", R"J({"findings":[{"type":"cnv","gene":"CDKN2A","call":"loss"}]})J", "none", ""},
    {"ERBB2 amplification", R"J({"tests":[{"method":"SNP array","genes":["ERBB2"]}]})J", "none", ""},
    // wild type
    {"KRAS wildtype", R"J({"tests":[{"genes":["KRAS"]}]})J", "match", ""},
    {"KRAS wildtype", R"J({"findings":[{"gene":"KRAS","hgvsp":"p.G12C"}],"tests":[{"genes":["KRAS"]}]})J", "none", ""},
    {"KRAS wildtype", R"J({"findings":[{"gene":"KRAS","hgvsp":"p.G12="}],"tests":[{"genes":["KRAS"]}]})J", "match", ""},
    {"KRAS wildtype", R"J({"tests":[{"genes":["NRAS"]}]})J", "indeterminate", "KRAS (somatic)"},
    {"KRAS wildtype", R"J({"tests":[{"origin":"germline","genes":["KRAS"]}]})J", "indeterminate", "KRAS (somatic)"},
    {"KRAS wildtype", R"J({})J", "match", ""},
    // consequence classes and classification
    {"germline BRCA2 oncogenic",
     R"J({"findings":[{"origin":"germline","gene":"BRCA2","hgvsp":"p.S1982Rfs*22","classification":"pathogenic"}]})J",
     "match", ""},
    {"germline BRCA2 oncogenic",
     R"J({"findings":[{"gene":"BRCA2","hgvsp":"p.S1982Rfs*22","classification":"pathogenic"}]})J", "none", ""},
    {"BRCA2 oncogenic", R"J({"findings":[{"gene":"BRCA2","hgvsp":"p.S1982Rfs*22"}],"tests":[{"genes":["BRCA2"]}]})J",
     "indeterminate", "BRCA2 variant classification"},
    {"BRCA2 truncating", R"J({"findings":[{"gene":"BRCA2","hgvsp":"p.Ser1982ArgfsTer22"}]})J", "match", ""},
    {"TP53 missense", R"J({"findings":[{"gene":"TP53","hgvsp":"p.R175H"}]})J", "match", ""},
    {"TP53 truncating", R"J({"findings":[{"gene":"TP53","hgvsp":"p.R175H"}]})J", "none", ""},
    {"TP53 truncating", R"J({"findings":[{"gene":"TP53","hgvsp":"p.R213*"}]})J", "match", ""},
    {"TP53 truncating", R"J({"findings":[{"gene":"TP53","consequence":"splice_acceptor_variant"}]})J", "match", ""},
    {"EGFR inframe", R"J({"findings":[{"gene":"EGFR","hgvsp":"p.E746_A750del"}]})J", "match", ""},
    {"MET splice", R"J({"findings":[{"gene":"MET","consequence":"splice_region_variant&intron_variant"}]})J", "match",
     ""},
    {"(KRAS | NRAS) mutation", R"J({"findings":[{"gene":"NRAS","hgvsp":"p.Q61K"}]})J", "match", ""},
    // biomarkers
    {"MSI high", R"J({"findings":[{"type":"biomarker","name":"MSI","value":"MSI-H"}]})J", "match", ""},
    {"MSI high", R"J({"findings":[{"type":"biomarker","name":"MSI","value":"stable"}]})J", "none", ""},
    {"MSI high", R"J({"tests":[{"genes":["KRAS"]}]})J", "indeterminate", "MSI"},
    {"MSI high", R"J({"tests":[{"biomarker":"MSI"}]})J", "none", ""},
    {"MSI high", R"J({})J", "none", ""},
    {"dMMR", R"J({"findings":[{"type":"biomarker","name":"MMR","value":"deficient"}]})J", "match", ""},
    {"TMB >= 10", R"J({"findings":[{"type":"biomarker","name":"TMB","value":12.4}]})J", "match", ""},
    {"TMB >= 10", R"J({"findings":[{"type":"biomarker","name":"TMB","value":5}]})J", "none", ""},
    {"TMB >= 10", R"J({"tests":[{"biomarker":"TMB"}]})J", "indeterminate", "TMB value"},
    {"HRD positive", R"J({"findings":[{"type":"biomarker","name":"HRD","value":"positive"}]})J", "match", ""},
    {"biomarker PDL1 >= 50", R"J({"findings":[{"type":"biomarker","name":"PDL1","value":80}]})J", "match", ""},
    // regression: PD-L1 is spelled with a hyphen in records and rules alike
    {"biomarker PD-L1 >= 50", R"J({"findings":[{"type":"biomarker","name":"PD-L1","value":80}]})J", "match", ""},
    {"biomarker PD-L1 >= 50", R"J({"tests":[{"biomarker":"PD-L1","method":"IHC"}]})J", "indeterminate", "PDL1 value"},
    // protein biomarkers (issue 15 item 4): HER2 categories, method-aware coverage
    {"HER2 IHC 1+", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":"1+"}]})J", "match", ""},
    {"HER2 IHC 1+ | 2+", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":2}]})J", "match",
     ""},
    {"HER2 IHC 1+", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"ISH","value":"negative"}]})J",
     "indeterminate", "HER2 IHC"},
    {"HER2 IHC 1+", R"J({})J", "indeterminate", "HER2 IHC"},
    {"HER2 IHC 1+", R"J({"tests":[{"biomarker":"HER2","method":"IHC"}]})J", "indeterminate", "HER2 IHC value"},
    {"HER2-low", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":"1+"}]})J", "match", ""},
    {"HER2-low", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":"2+"},
                                  {"type":"biomarker","name":"HER2","method":"ISH","value":"negative"}]})J",
     "match", ""},
    {"HER2-low", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":"2+"}]})J", "indeterminate",
     "HER2 ISH"},
    {"HER2-low", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":"2+"}],
                      "tests":[{"biomarker":"HER2","method":"IHC"},{"biomarker":"HER2","method":"ISH"}]})J",
     "match", ""},
    {"HER2-low", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":"3+"}]})J", "none", ""},
    {"HER2-low", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":"0"}]})J", "none", ""},
    {"HER2-low", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":"1+"},
                                  {"type":"biomarker","name":"HER2","method":"ISH","value":"positive"}]})J",
     "none", ""},
    {"HER2-low",
     R"J({"findings":[{"type":"cnv","gene":"ERBB2","call":"amplification"}],"tests":[{"genes":["ERBB2"]}]})J",
     "indeterminate", "HER2 IHC"},
    {"HER2-ultralow", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":"0+"}]})J", "match",
     ""},
    {"HER2-ultralow", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":"1+"}]})J", "none", ""},
    {"HER2-positive", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":"3+"}]})J", "match",
     ""},
    {"HER2-positive", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"FISH","value":"amplified"}]})J",
     "match", ""},
    {"HER2-positive", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":"2+"}]})J",
     "indeterminate", "HER2 ISH"},
    {"HER2-negative", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":"1+"}]})J", "match",
     ""},
    {"HER2-negative", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":"3+"}]})J", "none", ""},
    // the DNA and protein sides never decide each other
    {"ERBB2 amplification", R"J({"findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":"3+"}],
                                 "tests":[{"biomarker":"HER2","method":"IHC"}]})J",
     "indeterminate", "ERBB2"},
    {"ERBB2 amplification", R"J({"tests":[{"genes":["ERBB2"],"method":"IHC"}]})J", "indeterminate", "ERBB2"},
    {"HER2 IHC 3+", R"J({"tests":[{"genes":["ERBB2"],"method":"NGS"}]})J", "indeterminate", "HER2 IHC"},
    {"HER2 IHC 3+", R"J({"tests":[{"genes":["ERBB2"],"method":"IHC"}]})J", "indeterminate", "HER2 IHC value"},
    {"HER2 ISH positive", R"J({"tests":[{"biomarker":"HER2","method":"IHC"}]})J", "indeterminate", "HER2 ISH"},
    {"HER2 ISH positive", R"J({"tests":[{"biomarker":"HER2","method":"ISH"}]})J", "none", ""},
    {"tested HER2 IHC", R"J({"tests":[{"biomarker":"HER2","method":"IHC"}]})J", "match", ""},
    {"tested HER2 ISH", R"J({"tests":[{"biomarker":"HER2","method":"IHC"}]})J", "none", ""},
    // PD-L1 scores with the assay
    {"PDL1 CPS >= 10",
     R"J({"findings":[{"type":"biomarker","name":"PDL1","method":"IHC","score":"CPS","value":10,"assay":"22C3"}]})J",
     "match", ""},
    {"PDL1 CPS >= 10", R"J({"findings":[{"type":"biomarker","name":"PD-L1","method":"IHC","score":"CPS","value":5}]})J",
     "none", ""},
    {"PDL1 CPS >= 10", R"J({"findings":[{"type":"biomarker","name":"PDL1","method":"IHC","score":"TPS","value":80}]})J",
     "indeterminate", "PDL1 IHC CPS"},
    {"PDL1 TPS >= 50 assay \"22C3\"",
     R"J({"findings":[{"type":"biomarker","name":"PDL1","method":"IHC","score":"TPS","value":60,"assay":"22c3"}]})J",
     "match", ""},
    {"PDL1 TPS >= 50 assay \"22C3\"",
     R"J({"findings":[{"type":"biomarker","name":"PDL1","method":"IHC","score":"TPS","value":60,"assay":"SP263"}]})J",
     "none", ""},
    {"PDL1 TPS >= 50 assay \"22C3\"",
     R"J({"findings":[{"type":"biomarker","name":"PDL1","method":"IHC","score":"TPS","value":60}]})J", "indeterminate",
     "PDL1 IHC TPS assay"},
    // Claudin 18.2, FRα, c-MET, screening IHC
    {"CLDN18 IHC >= 75", R"J({"findings":[{"type":"biomarker","name":"CLDN18","method":"IHC","value":80}]})J", "match",
     ""},
    {"CLDN18 IHC >= 75", R"J({"findings":[{"type":"biomarker","name":"CLDN18.2","method":"IHC","value":"60%"}]})J",
     "none", ""},
    {"CLDN18 IHC >= 75", R"J({"tests":[{"genes":["KRAS"]}]})J", "indeterminate", "CLDN18 IHC"},
    {"FOLR1 IHC >= 75", R"J({"findings":[{"type":"biomarker","name":"FRα","method":"IHC","value":90}]})J", "match", ""},
    {"MET IHC >= 50", R"J({"findings":[{"type":"biomarker","name":"c-MET","method":"IHC","value":55}]})J", "match", ""},
    {"PANTRK IHC positive", R"J({"tests":[{"biomarker":"pan-TRK","method":"IHC"}]})J", "none", ""},
    {"PANTRK IHC positive",
     R"J({"findings":[{"type":"biomarker","name":"pan-TRK","method":"IHC","value":"positive"}]})J", "match", ""},
    {"NTRK1 fusion", R"J({"findings":[{"type":"biomarker","name":"pan-TRK","method":"IHC","value":"positive"}],
                          "tests":[{"biomarker":"pan-TRK","method":"IHC"}]})J",
     "indeterminate", "NTRK1"},
    {"ALK IHC positive assay \"D5F3\"",
     R"J({"findings":[{"type":"biomarker","name":"ALK","method":"IHC","value":"positive","assay":"D5F3"}]})J", "match",
     ""},
    // MMR proteins by IHC → dMMR / pMMR
    {"dMMR", R"J({"findings":[{"type":"biomarker","name":"MLH1","method":"IHC","value":"loss"}]})J", "match", ""},
    {"MLH1 IHC loss", R"J({"findings":[{"type":"biomarker","name":"MLH1","method":"IHC","value":"loss"}]})J", "match",
     ""},
    {"dMMR", R"J({"findings":[{"type":"biomarker","name":"MLH1","method":"IHC","value":"intact"}],
                  "tests":[{"biomarker":"MSH2","method":"IHC"},{"biomarker":"MSH6","method":"IHC"}]})J",
     "indeterminate", "PMS2 IHC"},
    {"pMMR", R"J({"tests":[{"biomarker":"MLH1","method":"IHC"},{"biomarker":"MSH2","method":"IHC"},
                           {"biomarker":"MSH6","method":"IHC"},{"biomarker":"PMS2","method":"IHC"}]})J",
     "match", ""},
    {"dMMR", R"J({"tests":[{"biomarker":"MMR","method":"IHC"}]})J", "none", ""},
    // clinical terms
    {"age >= 18", R"J({"age":61})J", "match", ""},
    {"age >= 18", R"J({})J", "indeterminate", "age"},
    {"lines >= 1", R"J({"lines":0})J", "none", ""},
    {"ecog <= 1", R"J({"ecog":2})J", "none", ""},
    {"sex = F", R"J({"sex":"F"})J", "match", ""},
    {"stage >= III", R"J({"tumour":{"oncotree":"LUAD","stage":"IVA"}})J", "match", ""},
    {"prior \"osimertinib\"", R"J({"treatments":[{"line":1,"drugs":["Osimertinib"]}]})J", "match", ""},
    {"prior \"osimertinib\"", R"J({"lines":0})J", "none", ""},
    {"prior \"osimertinib\"", R"J({"lines":2})J", "indeterminate", "prior treatments"},
    {"prior \"dabrafenib + trametinib\"", R"J({"treatments":[{"line":1,"drugs":["dabrafenib","trametinib"]}]})J",
     "match", ""},
    // logic
    {"not EGFR p.T790M", R"J({"tests":[{"genes":["EGFR"]}]})J", "match", ""},
    {"not EGFR p.T790M", R"J({"tests":[{"genes":["KRAS"]}]})J", "indeterminate", "EGFR"},
    {"EGFR mutation or KRAS mutation",
     R"J({"findings":[{"gene":"KRAS","hgvsp":"p.G12C"}],"tests":[{"genes":["KRAS"]}]})J", "match", ""},
    {"EGFR mutation and KRAS mutation", R"J({"tests":[{"genes":["KRAS"]}]})J", "none", ""},
    {"EGFR mutation and KRAS mutation",
     R"J({"findings":[{"gene":"KRAS","hgvsp":"p.G12C"}],"tests":[{"genes":["KRAS"]}]})J", "indeterminate", "EGFR"},
    {"tested EGFR, KRAS", R"J({"tests":[{"genes":["EGFR","KRAS"]}]})J", "match", ""},
    {"tested EGFR, KRAS", R"J({"tests":[{"genes":["EGFR"]}]})J", "none", ""},
};

}  // namespace

TEST_CASE("semantics: atoms, coverage and Kleene evaluation") {
  for (auto const& row : kRows) {
    CAPTURE(row.when);
    CAPTURE(row.patient);
    auto engine = actionable::testing::compile_ok(std::string("rule r {\n  when ") + row.when +
                                                  "\n  tumour any\n  class approved\n  therapy \"x\"\n}\n");
    json p = {{"patient", "p"}, {"tumour", "LUAD"}};
    p.update(json::parse(row.patient));
    auto r = actionable::testing::match(*engine, p);
    std::string got = !r["matches"].empty() ? "match" : !r["indeterminate"].empty() ? "indeterminate" : "none";
    CHECK(got == row.expected);
    if (got == "indeterminate" && *row.missing) {
      auto const& m = r["indeterminate"][0]["missing"];
      CAPTURE(m.dump());
      CHECK(std::find(m.begin(), m.end(), json(row.missing)) != m.end());
    }
  }
}
