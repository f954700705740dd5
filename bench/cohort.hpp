// Deterministic synthetic cohorts for benchmarks and the oracle property test:
//   * make_rules(n, seed)    — a rule set of exactly n criteria (rules + trial arms +
//                               PRECISION 2 cohorts) in the real rule language (dsl.md),
//                               with a `ruleset` header, shared `define`s, trials with arms,
//                               require / exclude clauses, biomarkers, fusions, CNVs, exon
//                               events, wildtype, `not`, and/or, tumour sets with `except`;
//   * make_patients(n, seed) — patient records as JSON text (patient.md): an OncoTree tumour
//                               code, findings on the rule genes and on passenger genes,
//                               declared tests (panel coverage) for most patients, closed
//                               world for some, clinical fields sometimes absent.
// Everything is a pure function of (n, seed): one std::mt19937_64 per call, no global state.
// Random draws use only the engine's raw output (no std::*_distribution) and happen one per
// statement (never two operands of one `+`), so the text is the same with every standard
// library and compiler. Gene symbols are approved HGNC symbols (checked against
// rules/reference/hgnc_symbols.tsv), tumour codes are OncoTree 2025-10-03 codes; the oracle
// test checks that every generated rule set compiles with zero errors and zero warnings and
// that every generated record reads without errors.
//
// Header-only so that both actionable_bench and actionable_tests can include it.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/catalog/catalog.hpp"
#include "actionable/diagnostics.hpp"
#include "actionable/detail/dsl/parser.hpp"
#include "actionable/detail/graph/decision_graph.hpp"
#include "actionable/detail/io/patient_json.hpp"
#include "actionable/detail/ir/rule_set.hpp"
#include "actionable/model/patient.hpp"
#include "actionable/detail/sema/check.hpp"
#include "actionable/source.hpp"

namespace actionable::bench {

// ---- randomness -----------------------------------------------------------------------

/// Thin, library-independent helpers over std::mt19937_64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : g_(seed) {}
  std::uint64_t next() { return g_(); }
  /// Uniform in [0, n) (n > 0; modulo bias is irrelevant here).
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(g_() % n); }
  /// Uniform integer in [lo, hi].
  int between(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::size_t>(hi - lo + 1))); }
  /// Uniform in [0, 1).
  double unit() { return static_cast<double>(g_() >> 11) * (1.0 / 9007199254740992.0); }
  bool chance(double p) { return unit() < p; }
  template <typename C>
  auto const& pick(C const& c) {
    return c[below(std::size(c))];
  }

 private:
  std::mt19937_64 g_;
};

inline std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// ---- vocabulary (real HGNC symbols, OncoTree codes, drugs) ---------------------------

namespace vocab {

using sv = std::string_view;

/// Genes with most of the actionable rules (drawn more often).
inline constexpr sv kActionable[] = {
    "ALK",   "ROS1",   "RET",    "NTRK1", "NTRK2",   "NTRK3",  "EGFR",   "ERBB2",  "ERBB3",  "BRAF",  "KRAS", "NRAS",
    "HRAS",  "MET",    "PIK3CA", "AKT1",  "PTEN",    "IDH1",   "IDH2",   "FGFR1",  "FGFR2",  "FGFR3", "KIT",  "PDGFRA",
    "BRCA1", "BRCA2",  "PALB2",  "ATM",   "CDK12",   "ESR1",   "MAP2K1", "TP53",   "CDKN2A", "CCNE1", "MDM2", "CDK4",
    "MYC",   "NF1",    "STK11",  "KEAP1", "SMARCA4", "POLE",   "TSC1",   "TSC2",   "NRG1",   "H3-3A", "JAK2", "GNAQ",
    "GNA11", "CTNNB1", "APC",    "SMAD4", "MTOR",    "ARID1A", "CHEK2",  "RAD51C", "RAD51D", "BRIP1", "MLH1", "MSH2"};

/// A few hundred cancer genes (COSMIC Cancer Gene Census style), all approved HGNC symbols.
inline constexpr sv kPool[] = {
    "ABL1",   "ACVR1",  "AGK",     "AKT1",    "AKT2",    "AKT3",   "ALK",     "AMER1",    "APC",     "AR",
    "ARAF",   "ARID1A", "ARID1B",  "ARID2",   "ASPSCR1", "ASXL1",  "ATM",     "ATR",      "ATRX",    "AURKA",
    "AXIN1",  "AXL",    "B2M",     "BAP1",    "BARD1",   "BCL2",   "BCL6",    "BCOR",     "BCR",     "BICC1",
    "BLM",    "BRAF",   "BRCA1",   "BRCA2",   "BRD3",    "BRD4",   "BRIP1",   "BTK",      "CALR",    "CARD11",
    "CASP8",  "CBL",    "CCDC170", "CCDC6",   "CCND1",   "CCND2",  "CCND3",   "CCNE1",    "CD274",   "CD44",
    "CD74",   "CD79A",  "CD79B",   "CDH1",    "CDK12",   "CDK4",   "CDK6",    "CDKN1A",   "CDKN1B",  "CDKN2A",
    "CDKN2B", "CDKN2C", "CEBPA",   "CHEK1",   "CHEK2",   "CIC",    "CLTC",    "CREBBP",   "CRLF2",   "CSF1R",
    "CTCF",   "CTNNB1", "CUL3",    "CXCR4",   "CYLD",    "DAXX",   "DCTN1",   "DDIT3",    "DDR2",    "DICER1",
    "DNMT3A", "DOT1L",  "EED",     "EGFR",    "EML4",    "EP300",  "EPHA2",   "ERBB2",    "ERBB3",   "ERBB4",
    "ERCC2",  "ERCC4",  "ERG",     "ESR1",    "ETV1",    "ETV4",   "ETV6",    "EWSR1",    "EZH2",    "EZR",
    "FANCA",  "FANCC",  "FANCD2",  "FAT1",    "FBXW7",   "FGF19",  "FGF3",    "FGF4",     "FGFR1",   "FGFR2",
    "FGFR3",  "FGFR4",  "FH",      "FLCN",    "FLT1",    "FLT3",   "FLT4",    "FOXA1",    "FOXL2",   "FOXO1",
    "FUBP1",  "FUS",    "GATA1",   "GATA2",   "GATA3",   "GNA11",  "GNAQ",    "GNAS",     "H3-3A",   "HGF",
    "HIP1",   "HNF1A",  "HRAS",    "IDH1",    "IDH2",    "IGF1R",  "IKZF1",   "IL7R",     "INPP4B",  "IRS2",
    "JAK1",   "JAK2",   "JAK3",    "KDM5C",   "KDM6A",   "KDR",    "KEAP1",   "KIAA1549", "KIF5B",   "KIT",
    "KLC1",   "KMT2A",  "KMT2C",   "KMT2D",   "KRAS",    "LATS1",  "LATS2",   "LMNA",     "MAP2K1",  "MAP2K2",
    "MAP2K4", "MAP3K1", "MAX",     "MCL1",    "MDM2",    "MDM4",   "MED12",   "MEN1",     "MET",     "MITF",
    "MLH1",   "MPL",    "MRE11",   "MSH2",    "MSH3",    "MSH6",   "MTOR",    "MUTYH",    "MYC",     "MYCL",
    "MYCN",   "MYD88",  "NBN",     "NCOA4",   "NF1",     "NF2",    "NFE2L2",  "NKX2-1",   "NOTCH1",  "NOTCH2",
    "NOTCH3", "NPM1",   "NRAS",    "NRG1",    "NSD1",    "NTRK1",  "NTRK2",   "NTRK3",    "NUTM1",   "PALB2",
    "PAX3",   "PAX5",   "PAX8",    "PBRM1",   "PDCD1",   "PDGFRA", "PDGFRB",  "PHF6",     "PIK3CA",  "PIK3CB",
    "PIK3R1", "PIM1",   "PMS2",    "POLD1",   "POLE",    "PPM1D",  "PPP2R1A", "PRDM1",    "PRKACA",  "PRKAR1A",
    "PTCH1",  "PTEN",   "PTPN11",  "PTPRZ1",  "RAC1",    "RAD21",  "RAD50",   "RAD51B",   "RAD51C",  "RAD51D",
    "RAD54L", "RAF1",   "RARA",    "RB1",     "RBM10",   "RET",    "RHOA",    "RICTOR",   "RIT1",    "RNF43",
    "ROS1",   "RUNX1",  "SDC4",    "SDHA",    "SDHB",    "SDHC",   "SDHD",    "SETD2",    "SF3B1",   "SLC34A2",
    "SMAD2",  "SMAD3",  "SMAD4",   "SMARCA4", "SMARCB1", "SMO",    "SOCS1",   "SOX2",     "SOX9",    "SPOP",
    "SQSTM1", "SRC",    "SRSF2",   "SS18",    "SSX1",    "STAG2",  "STAT3",   "STK11",    "STRN",    "SUFU",
    "SUZ12",  "TACC3",  "TERT",    "TET2",    "TFE3",    "TFEB",   "TGFBR2",  "TMPRSS2",  "TNFAIP3", "TP53",
    "TPM3",   "TPR",    "TRIM24",  "TSC1",    "TSC2",    "U2AF1",  "VCL",     "VHL",      "WT1",     "XPO1",
    "ZFHX3",  "ZRSR2"};

/// Frequently mutated passenger genes (not used by rules).
inline constexpr sv kPassenger[] = {"TTN",   "MUC16", "OBSCN", "LRP1B",  "CSMD3",   "SYNE1", "RYR2",
                                    "FLG",   "USH2A", "PCLO",  "ZFHX4",  "DNAH5",   "HMCN1", "XIRP2",
                                    "CSMD1", "SPTA1", "FAT4",  "AHNAK2", "PKHD1L1", "MUC17"};

/// A known variant: gene, protein change, exon (0 = not given), VEP consequence.
struct Hotspot {
  sv gene, change;
  int exon;
  sv consequence;
};
inline constexpr Hotspot kHotspots[] = {
    {"BRAF", "p.V600E", 15, "missense_variant"},
    {"BRAF", "p.V600K", 15, "missense_variant"},
    {"BRAF", "p.K601E", 15, "missense_variant"},
    {"BRAF", "p.G469A", 11, "missense_variant"},
    {"BRAF", "p.L597V", 15, "missense_variant"},
    {"KRAS", "p.G12C", 2, "missense_variant"},
    {"KRAS", "p.G12D", 2, "missense_variant"},
    {"KRAS", "p.G12V", 2, "missense_variant"},
    {"KRAS", "p.G13D", 2, "missense_variant"},
    {"KRAS", "p.Q61H", 3, "missense_variant"},
    {"KRAS", "p.A146T", 4, "missense_variant"},
    {"NRAS", "p.Q61K", 3, "missense_variant"},
    {"NRAS", "p.Q61R", 3, "missense_variant"},
    {"NRAS", "p.G12D", 2, "missense_variant"},
    {"NRAS", "p.G13R", 2, "missense_variant"},
    {"HRAS", "p.G12V", 2, "missense_variant"},
    {"HRAS", "p.Q61R", 3, "missense_variant"},
    {"EGFR", "p.L858R", 21, "missense_variant"},
    {"EGFR", "p.T790M", 20, "missense_variant"},
    {"EGFR", "p.C797S", 20, "missense_variant"},
    {"EGFR", "p.G719S", 18, "missense_variant"},
    {"EGFR", "p.L861Q", 21, "missense_variant"},
    {"EGFR", "p.S768I", 20, "missense_variant"},
    {"EGFR", "p.E746_A750del", 19, "inframe_deletion"},
    {"EGFR", "p.L747_P753delinsS", 19, "inframe_deletion"},
    {"EGFR", "p.A767_V769dup", 20, "inframe_insertion"},
    {"EGFR", "p.D770_N771insSVD", 20, "inframe_insertion"},
    {"EGFR", "p.A763_Y764insFQEA", 20, "inframe_insertion"},
    {"ERBB2", "p.S310F", 8, "missense_variant"},
    {"ERBB2", "p.L755S", 19, "missense_variant"},
    {"ERBB2", "p.V777L", 20, "missense_variant"},
    {"ERBB2", "p.Y772_A775dup", 20, "inframe_insertion"},
    {"ERBB3", "p.V104M", 0, "missense_variant"},
    {"PIK3CA", "p.H1047R", 21, "missense_variant"},
    {"PIK3CA", "p.E545K", 10, "missense_variant"},
    {"PIK3CA", "p.E542K", 10, "missense_variant"},
    {"PIK3CA", "p.H1047L", 21, "missense_variant"},
    {"AKT1", "p.E17K", 3, "missense_variant"},
    {"IDH1", "p.R132H", 4, "missense_variant"},
    {"IDH1", "p.R132C", 4, "missense_variant"},
    {"IDH2", "p.R140Q", 4, "missense_variant"},
    {"IDH2", "p.R172K", 4, "missense_variant"},
    {"KIT", "p.D816V", 17, "missense_variant"},
    {"KIT", "p.V560D", 11, "missense_variant"},
    {"KIT", "p.W557_K558del", 11, "inframe_deletion"},
    {"KIT", "p.K642E", 13, "missense_variant"},
    {"PDGFRA", "p.D842V", 18, "missense_variant"},
    {"PDGFRA", "p.V561D", 12, "missense_variant"},
    {"MET", "p.D1228N", 0, "missense_variant"},
    {"MET", "p.Y1230C", 0, "missense_variant"},
    {"ESR1", "p.Y537S", 8, "missense_variant"},
    {"ESR1", "p.D538G", 8, "missense_variant"},
    {"FGFR3", "p.S249C", 7, "missense_variant"},
    {"FGFR3", "p.R248C", 7, "missense_variant"},
    {"FGFR3", "p.Y373C", 10, "missense_variant"},
    {"FGFR2", "p.N549K", 0, "missense_variant"},
    {"MAP2K1", "p.K57N", 2, "missense_variant"},
    {"TP53", "p.R175H", 5, "missense_variant"},
    {"TP53", "p.R248Q", 7, "missense_variant"},
    {"TP53", "p.R273H", 8, "missense_variant"},
    {"TP53", "p.R213*", 6, "stop_gained"},
    {"CTNNB1", "p.S45F", 3, "missense_variant"},
    {"CTNNB1", "p.T41A", 3, "missense_variant"},
    {"GNAQ", "p.Q209L", 5, "missense_variant"},
    {"GNA11", "p.Q209L", 5, "missense_variant"},
    {"SF3B1", "p.K700E", 15, "missense_variant"},
    {"POLE", "p.P286R", 9, "missense_variant"},
    {"POLE", "p.V411L", 13, "missense_variant"},
    {"ALK", "p.F1174L", 23, "missense_variant"},
    {"ALK", "p.R1275Q", 25, "missense_variant"},
    {"RET", "p.M918T", 16, "missense_variant"},
    {"RET", "p.C634R", 11, "missense_variant"},
    {"ROS1", "p.G2032R", 0, "missense_variant"},
    {"JAK2", "p.V617F", 14, "missense_variant"},
    {"H3-3A", "p.K28M", 2, "missense_variant"},
    {"SMAD4", "p.R361H", 9, "missense_variant"},
    {"APC", "p.R1450*", 16, "stop_gained"},
    {"BRCA2", "p.S1982Rfs*22", 11, "frameshift_variant"},
    {"BRCA1", "p.E23Vfs*17", 2, "frameshift_variant"},
    {"BRCA1", "p.Q1756Pfs*74", 20, "frameshift_variant"},
    {"PTEN", "p.R130*", 5, "stop_gained"},
    {"PTEN", "p.R130Q", 5, "missense_variant"},
    {"MTOR", "p.S2215Y", 0, "missense_variant"},
    {"CDKN2A", "p.R80*", 2, "stop_gained"},
    {"STK11", "p.Q37*", 1, "stop_gained"},
    {"KEAP1", "p.G333C", 0, "missense_variant"},
};

/// Exon events that exist in the shipped exon table (gene, event text).
inline constexpr sv kExonEvents[] = {
    "EGFR exon 19 deletion",   "EGFR exon 20 insertion",  "EGFR exon 18-21 mutation", "EGFR exon 21 missense",
    "ERBB2 exon 20 insertion", "MET exon 14 skipping",    "KIT exon 11 mutation",     "KIT exon 9 mutation",
    "KIT exon 17 missense",    "PDGFRA exon 18 mutation", "PDGFRA exon 12 inframe",   "BRAF exon 15 mutation",
    "KRAS exon 2 mutation",    "NRAS exon 3 missense",    "BRAF exon 11 missense",    "TP53 exon 5-8 mutation",
    "PIK3CA exon 21 missense", "PIK3CA exon 10 mutation", "CTNNB1 exon 3 mutation",   "MET exon 14 splice"};

/// Fusions: gene, known partners (5' partner first when the order is canonical).
struct FusionGene {
  sv gene;
  sv partners[3];  ///< "" = none
  bool partner_is_5p;
};
inline constexpr FusionGene kFusions[] = {{"ALK", {"EML4", "KIF5B", "TPM3"}, true},
                                          {"ROS1", {"CD74", "SLC34A2", "EZR"}, true},
                                          {"RET", {"KIF5B", "CCDC6", "NCOA4"}, true},
                                          {"NTRK1", {"TPM3", "LMNA", "TPR"}, true},
                                          {"NTRK2", {"QKI", "", ""}, true},
                                          {"NTRK3", {"ETV6", "", ""}, true},
                                          {"FGFR2", {"BICC1", "", ""}, false},
                                          {"FGFR3", {"TACC3", "", ""}, false},
                                          {"NRG1", {"CD74", "SDC4", ""}, true},
                                          {"BRAF", {"KIAA1549", "AGK", ""}, true},
                                          {"ABL1", {"BCR", "", ""}, true},
                                          {"ERG", {"TMPRSS2", "", ""}, true},
                                          {"EWSR1", {"FLI1", "", ""}, false},
                                          {"MET", {"KIF5B", "", ""}, true}};

inline constexpr sv kAmplified[] = {"ERBB2", "MET",   "EGFR", "FGFR1", "FGFR2", "CCNE1",  "CDK4", "MDM2", "MYC",
                                    "KRAS",  "CCND1", "MYCN", "AR",    "KIT",   "PDGFRA", "MCL1", "CDK6", "FGF19"};
inline constexpr sv kSuppressors[] = {"TP53",  "BRCA1", "BRCA2",   "PALB2",  "ATM",   "PTEN",  "CDKN2A", "RB1",  "NF1",
                                      "STK11", "KEAP1", "SMARCA4", "ARID1A", "APC",   "SMAD4", "TSC1",   "TSC2", "BAP1",
                                      "CDK12", "CHEK2", "RAD51C",  "RAD51D", "BRIP1", "MLH1",  "MSH2",   "MSH6", "PMS2",
                                      "VHL",   "NF2",   "FBXW7",   "KMT2D",  "PBRM1", "SETD2", "RNF43"};
inline constexpr sv kGermline[] = {"BRCA1", "BRCA2",  "PALB2",  "ATM",   "CHEK2", "MLH1", "MSH2", "MSH6",
                                   "PMS2",  "RAD51C", "RAD51D", "BRIP1", "TP53",  "CDH1", "APC",  "MUTYH"};

/// Rule tumour anchors (subtrees and specific codes), weighted by repetition.
inline constexpr sv kRuleTumours[] = {
    "NSCLC", "NSCLC",   "NSCLC", "LUAD",    "LUAD",          "LUSC",   "LUNG",   "COADREAD", "COADREAD",
    "COAD",  "READ",    "BOWEL", "BREAST",  "BREAST",        "BRCA",   "IDC",    "ILC",      "MEL",
    "MEL",   "SKCM",    "ACRM",  "THYROID", "THPA",          "WDTC",   "PAAD",   "PANCREAS", "PRAD",
    "BLCA",  "BLADDER", "UCEC",  "USC",     "OVARY",         "HGSOC",  "SOC",    "STAD",     "EGC",
    "GEJ",   "ESCA",    "CHOL",  "IHCH",    "BILIARY_TRACT", "GBC",    "HCC",    "GIST",     "SOFT_TISSUE",
    "LMS",   "RCC",     "CCRCC", "KIDNEY",  "HNSC",          "NPC",    "DIFG",   "GB",       "ODG",
    "BONE",  "OS",      "ES",    "PANET",   "CESC",          "CERVIX", "THYM",   "PLMESO",   "ACC",
    "NBL",   "SEM",     "UM",    "SIC",     "AML",           "MNM",    "CLLSLL", "HL"};
/// `except` codes paired with a parent anchor (parent, child).
struct ExceptPair {
  sv parent, child;
};
inline constexpr ExceptPair kExcepts[] = {{"NSCLC", "LUSC"}, {"BREAST", "ILC"},       {"COADREAD", "READ"},
                                          {"MEL", "UM"},     {"THYROID", "THME"},     {"LUNG", "SCLC"},
                                          {"UCEC", "UCS"},   {"BONE", "ES"},          {"KIDNEY", "WT"},
                                          {"EGC", "ESCA"},   {"SOFT_TISSUE", "GIST"}, {"OVARY", "LGSOC"}};
/// Codes excluded from SOLID / any baskets.
inline constexpr sv kBasketExcepts[] = {"NSCLC", "COADREAD", "MEL",  "THPA", "BREAST",
                                        "GIST",  "THYROID",  "PRAD", "LUNG", "HGSOC"};

/// Patients' tumour codes (mostly specific), weighted by repetition.
inline constexpr sv kPatientTumours[] = {
    "LUAD", "LUAD", "LUAD", "LUAD", "LUSC", "LUSC", "LCLC", "SCLC", "COAD", "COAD", "COAD", "READ", "MACR", "IDC",
    "IDC", "IDC", "ILC", "MDLC", "BRCA", "SKCM", "SKCM", "ACRM", "MUP", "UM", "THPA", "THFO", "THAP", "THME", "PAAD",
    "PAAD", "PAASC", "PRAD", "PRAD", "BLCA", "BLCA", "UTUC", "UCEC", "USC", "UCS", "HGSOC", "HGSOC", "LGSOC", "STAD",
    "DSTAD", "GEJ", "ESCA", "IHCH", "EHCH", "GBC", "HCC", "GIST", "LMS", "DDLS", "CCRCC", "PRCC", "CHRCC", "HNSC",
    "OPHSC", "OCSC", "NPC", "GB", "ODG", "ASTR", "OS", "ES", "NBL", "WT", "SEM", "PLMESO", "ACC", "PANET", "CESC",
    "ANSC", "THYM", "CUPNOS", "AML", "CLLSLL", "PCM",
    // a few records coded at an inner node only
    "NSCLC", "COADREAD", "BREAST", "MEL", "SOFT_TISSUE"};

inline constexpr sv kDrugs[] = {"osimertinib",
                                "gefitinib",
                                "erlotinib",
                                "afatinib",
                                "dacomitinib",
                                "amivantamab",
                                "alectinib",
                                "brigatinib",
                                "lorlatinib",
                                "crizotinib",
                                "entrectinib",
                                "larotrectinib",
                                "repotrectinib",
                                "selpercatinib",
                                "pralsetinib",
                                "dabrafenib + trametinib",
                                "encorafenib + cetuximab",
                                "vemurafenib + cobimetinib",
                                "sotorasib",
                                "adagrasib",
                                "cetuximab",
                                "panitumumab",
                                "trastuzumab",
                                "trastuzumab deruxtecan",
                                "pertuzumab + trastuzumab",
                                "tucatinib",
                                "lapatinib",
                                "alpelisib + fulvestrant",
                                "capivasertib + fulvestrant",
                                "elacestrant",
                                "olaparib",
                                "niraparib",
                                "rucaparib",
                                "talazoparib",
                                "pembrolizumab",
                                "nivolumab",
                                "dostarlimab",
                                "ivosidenib",
                                "vorasidenib",
                                "pemigatinib",
                                "futibatinib",
                                "erdafitinib",
                                "imatinib",
                                "ripretinib",
                                "avapritinib",
                                "sunitinib",
                                "capmatinib",
                                "tepotinib",
                                "everolimus",
                                "palbociclib",
                                "ribociclib",
                                "abemaciclib",
                                "trametinib",
                                "binimetinib",
                                "selumetinib",
                                "infigratinib",
                                "zenocutuzumab"};
inline constexpr sv kChemo[] = {"carboplatin", "cisplatin",    "pemetrexed",  "docetaxel",
                                "paclitaxel",  "oxaliplatin",  "irinotecan",  "fluorouracil",
                                "gemcitabine", "capecitabine", "doxorubicin", "temozolomide"};
inline constexpr sv kLevels[] = {"ESCAT:I-A",  "ESCAT:I-A",   "ESCAT:I-B",  "ESCAT:I-C", "ESCAT:II-A",
                                 "ESCAT:II-B", "ESCAT:III-A", "ESCAT:IV-A", "OncoKB:1",  "OncoKB:2",
                                 "OncoKB:3A",  "OncoKB:R1",   "AMP:I-A",    "AMP:II-C"};
inline constexpr sv kSites[] = {"UZ Leuven",
                                "Institut Jules Bordet",
                                "UZ Gent",
                                "CHU Liège",
                                "AZ Groeninge",
                                "GZA Antwerpen",
                                "Cliniques universitaires Saint-Luc",
                                "UZ Brussel",
                                "AZ Delta",
                                "Jessa Ziekenhuis"};
inline constexpr char kAminoAcids[] = "ACDEFGHIKLMNPQRSTVWY";

inline bool contains(auto const& list, sv x) {
  return std::find(std::begin(list), std::end(list), x) != std::end(list);
}

/// Exon count of the genes in the shipped exon table (rules/reference/exon_aa_ranges.tsv).
inline int table_exons(sv gene) {
  if (gene == "EGFR") return 28;
  if (gene == "ERBB2") return 27;
  if (gene == "PDGFRA") return 23;
  if (gene == "MET" || gene == "KIT") return 21;
  if (gene == "BRAF") return 18;
  if (gene == "NRAS") return 7;
  if (gene == "KRAS") return 6;
  return 0;
}

/// Protein changes of a gene that rules and patients share: the curated hotspots, else two
/// substitutions and one stop derived from the symbol only (so rule sets and patients of any
/// seed meet on them).
inline std::vector<std::string> gene_changes(sv gene) {
  std::vector<std::string> out;
  for (auto const& h : kHotspots)
    if (h.gene == gene) out.emplace_back(h.change);
  if (out.size() >= 2) return out;
  Rng r(fnv1a(gene));
  for (int k = 0; k < 3; ++k) {
    int pos = 12 + static_cast<int>(r.below(900));
    char ref = kAminoAcids[r.below(20)];
    char alt = kAminoAcids[r.below(20)];
    if (alt == ref) alt = ref == 'A' ? 'V' : 'A';
    if (ref == 'M' && pos == 1) pos = 2;
    out.push_back("p." + std::string(1, ref) + std::to_string(pos) + (k == 2 ? std::string("*") : std::string(1, alt)));
  }
  return out;
}

}  // namespace vocab

// ---- breadth-growing profile ------------------------------------------------------------

/// The vocabulary of the *broad* rule-set profile: rule sets that grow in breadth (new genes,
/// new tumour types) rather than in density. The dense profile (make_rules without a
/// vocabulary) draws every size from the same ~350 genes and ~70 tumour anchors, so a
/// patient's lineage and findings reach ~10-20 % of all criteria at every size; the broad
/// profile draws the genes of an n-criterion set from the first max(352, n / 4) symbols of
/// `genes` (about four criteria per gene at every size above 1,400) and tumour anchors from
/// every code in `tumours`, with tumour-agnostic (SOLID / any) clauses scaled by
/// min(1, 1000 / n), and so are the other terms that hold without a finding of the rule's
/// genes (biomarker-only, wild-type-only, `not`-only: RuleSetGenerator::ungated). Patients
/// are the same in both profiles.
struct Vocabulary {
  std::vector<std::string> genes;    ///< kActionable, then kPool, then further HGNC symbols
  std::vector<std::string> tumours;  ///< OncoTree codes (not the root)
};

/// The broad vocabulary from the shipped catalogs: the 352 cancer genes first, then every
/// 7th approved HGNC symbol that is a plain identifier ([A-Z][A-Z0-9]{2,}), then the
/// OncoTree codes that are plain identifiers. A pure function of the catalog files.
inline Vocabulary broad_vocabulary(catalog::Catalog const& catalog) {
  Vocabulary v;
  auto plain = [](std::string_view s, bool allow_underscore) {
    if (s.size() < 3 || !(s[0] >= 'A' && s[0] <= 'Z')) return false;
    for (char c : s)
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (allow_underscore && c == '_'))) return false;
    return true;
  };
  auto push_gene = [&](std::string_view g) {
    if (std::find(v.genes.begin(), v.genes.end(), g) == v.genes.end()) v.genes.emplace_back(g);
  };
  for (auto g : vocab::kActionable) push_gene(g);
  for (auto g : vocab::kPool) push_gene(g);
  std::size_t core = v.genes.size();
  auto const& symbols = catalog.genes.symbols();
  for (std::size_t i = 0; i < symbols.size(); i += 7) {
    auto const& g = symbols[i];
    if (!plain(g, false) || vocab::contains(vocab::kPassenger, g)) continue;
    if (std::find(v.genes.begin(), v.genes.begin() + static_cast<std::ptrdiff_t>(core), g) !=
        v.genes.begin() + static_cast<std::ptrdiff_t>(core))
      continue;
    v.genes.push_back(g);
  }
  auto const& tree = catalog.oncotree;
  for (std::size_t t = 0; t < tree.size(); ++t) {
    auto const& code = tree.code(static_cast<catalog::TumourId>(t));
    if (code != "TISSUE" && plain(code, true)) v.tumours.push_back(code);
  }
  return v;
}

// ---- rule-set generator ---------------------------------------------------------------

/// Counts of what make_rules produced.
struct RuleSetStats {
  std::size_t criteria = 0, rules = 0, trials = 0, arms = 0, cohorts = 0, defines = 0;
};

class RuleSetGenerator {
 public:
  RuleSetGenerator(std::size_t n, std::uint64_t seed, Vocabulary const* broad = nullptr)
      : n_(n), seed_(seed), r_(seed ^ 0x52554c4553ull), broad_(broad) {
    if (broad_) {
      genes_ = std::min(broad_->genes.size(), std::max<std::size_t>(352, n / 4));
      basket_scale_ = std::min(1.0, 1000.0 / static_cast<double>(std::max<std::size_t>(n, 1)));
    }
  }

  std::string run(RuleSetStats* stats = nullptr) {
    out_.clear();
    out_.reserve(n_ * 220);
    out_ += "# Synthetic rule set (bench/cohort.hpp): " + std::to_string(n_) + " criteria, seed " +
            std::to_string(seed_) + ".\n";
    out_ += "ruleset \"synthetic-" + std::string(broad_ ? "broad-" : "") + std::to_string(n_) + "\" version \"1.0." +
            std::to_string(seed_) + "\"\n\n";
    std::size_t made = 0;
    while (made < n_) {
      // A shared define every ~8 criteria (before the criteria that use it).
      if (defines_.empty() || r_.chance(0.12)) make_define();
      double k = r_.unit();
      std::size_t left = n_ - made;
      if (k < 0.70 || left == 1) {
        make_rule();
        ++made;
        ++st_.rules;
      } else if (k < 0.90) {
        std::size_t arms = std::min<std::size_t>(left, 1 + r_.below(3));
        make_trial(arms);
        made += arms;
        st_.arms += arms;
        ++st_.trials;
      } else {
        make_cohort();
        ++made;
        ++st_.cohorts;
      }
    }
    st_.criteria = made;
    st_.defines = defines_.size();
    if (stats) *stats = st_;
    return std::move(out_);
  }

 private:
  using sv = std::string_view;

  sv rule_gene() {
    if (broad_) return broad_->genes[r_.below(genes_)];
    return r_.chance(0.6) ? sv(r_.pick(vocab::kActionable)) : sv(r_.pick(vocab::kPool));
  }
  /// Broad profile: features of fixed gene lists (exon table, fusion partners, amplified,
  /// suppressor and germline sets) would concentrate the rule set on those genes, so a
  /// broad atom keeps to the gene drawn for it (`exon` events only where the table has it).
  std::string broad_atom(sv gene, double x) {
    std::string g(gene);
    if (x < 0.46) {
      if (vocab::table_exons(gene) > 0)
        for (auto const& e : vocab::kExonEvents)
          if (e.substr(0, gene.size() + 1) == g + " ") return origin(0.9) + std::string(e);
      return origin() + g + " mutation";
    }
    if (x < 0.56) {
      std::string s = (r_.chance(0.85) ? "somatic " : "") + g + " fusion";
      if (r_.chance(0.3)) s += " with " + std::string(rule_gene());
      return s;
    }
    if (x < 0.66) {
      std::string s = "somatic " + g + " amplification";
      if (r_.chance(0.35)) s += " (cn >= " + std::to_string(r_.between(4, 10)) + ")";
      return s;
    }
    if (x < 0.72) return "somatic " + g + " deletion";
    if (x < 0.90) return (r_.chance(0.4) ? "germline " : origin(0.9)) + g + " oncogenic";
    std::string h(rule_gene());
    if (h == g) return origin() + g + " mutation";
    return origin() + "(" + g + " | " + h + ") mutation";
  }
  std::string origin(double p_somatic = 0.75) {
    double x = r_.unit();
    if (x < p_somatic) return "somatic ";
    if (x < p_somatic + 0.05) return "germline ";
    return "";
  }

  /// One gene atom about `gene` (or a related gene set).
  std::string gene_atom(sv gene) {
    std::string g(gene);
    double x = r_.unit();
    // Feature families that fit the gene, tried in turn.
    if (x < 0.30) {  // protein changes
      auto changes = vocab::gene_changes(gene);
      std::string s = origin() + g + " ";
      std::size_t k = 1 + r_.below(std::min<std::size_t>(3, changes.size()));
      std::size_t start = r_.below(changes.size());
      for (std::size_t i = 0; i < k; ++i) s += (i ? " | " : "") + changes[(start + i) % changes.size()];
      return s;
    }
    if (broad_ && x >= 0.38 && x < 0.95) return broad_atom(gene, x);
    if (x < 0.38) {  // codon / position
      auto changes = vocab::gene_changes(gene);
      auto const& c = r_.pick(changes);
      auto pc = c.substr(2);  // "V600E" → position "V600"
      std::size_t end = 1;
      while (end < pc.size() && std::isdigit(static_cast<unsigned char>(pc[end]))) ++end;
      if (end < 2 || c.find('_') != std::string::npos) return origin() + g + " mutation";
      if (r_.chance(0.5)) return origin() + g + " p." + pc.substr(0, end);
      std::string s = origin() + g + " codon " + pc.substr(1, end - 1);
      if (r_.chance(0.4)) s += ", " + std::to_string(std::stoi(pc.substr(1, end - 1)) + 1);
      return s;
    }
    if (x < 0.46) {  // exon events
      auto const& e = r_.pick(vocab::kExonEvents);
      std::string s = origin(0.9) + std::string(e);
      if (e == "EGFR exon 20 insertion" && r_.chance(0.5)) s += " excluding p.A763_Y764insFQEA";
      return s;
    }
    if (x < 0.56) {  // fusions
      if (auto const* f = fusion_of(gene); f || r_.chance(0.7)) {
        auto const& fg = f ? *f : r_.pick(vocab::kFusions);
        std::string fgene(fg.gene);
        double y = r_.unit();
        std::size_t np = 0;
        while (np < 3 && !fg.partners[np].empty()) ++np;
        std::string partner(fg.partners[r_.below(np)]);
        std::string o = r_.chance(0.85) ? "somatic " : "";
        if (y < 0.5) return o + fgene + " fusion";
        if (y < 0.75) return o + fgene + " fusion with " + partner;
        return o + (fg.partner_is_5p ? partner + "::" + fgene : fgene + "::" + partner) + " fusion";
      }
      return origin() + g + " fusion";
    }
    if (x < 0.66) {  // copy number
      sv ag = vocab::contains(vocab::kAmplified, gene) ? gene : sv(r_.pick(vocab::kAmplified));
      std::string s = "somatic " + std::string(ag) + " amplification";
      double y = r_.unit();
      if (y < 0.35)
        s += " (cn >= " + std::to_string(r_.between(4, 10)) + ")";
      else if (y < 0.5)
        s += r_.chance(0.5) ? " (ratio >= 2.0)" : " (ratio >= 2.2)";
      return s;
    }
    if (x < 0.72) {
      sv sg = vocab::contains(vocab::kSuppressors, gene) ? gene : sv(r_.pick(vocab::kSuppressors));
      return "somatic " + std::string(sg) + " deletion";
    }
    if (x < 0.82) {  // consequence classes
      static constexpr sv kinds[] = {"mutation", "missense", "truncating", "inframe",
                                     "splice",   "mutation", "truncating"};
      std::string s = origin() + g + " ";
      s += r_.pick(kinds);  // (one draw per statement: the text must not depend on the compiler)
      return s;
    }
    if (x < 0.90) {  // oncogenic / germline pathogenic
      if (r_.chance(0.4)) {
        auto const& a = r_.pick(vocab::kGermline);
        auto const& b = r_.pick(vocab::kGermline);
        if (a != b && r_.chance(0.5)) return "germline (" + std::string(a) + " | " + std::string(b) + ") oncogenic";
        return "germline " + std::string(a) + " oncogenic";
      }
      return origin(0.9) + g + " oncogenic";
    }
    if (x < 0.95) {  // gene sets
      sv h = r_.pick(vocab::kActionable);
      if (h == gene) return origin() + g + " mutation";
      return origin() + "(" + g + " | " + std::string(h) + ") mutation";
    }
    // wildtype (broad: bounded, see ungated())
    if (broad_ && !ungated()) return origin() + g + " mutation";
    return std::string(r_.chance(0.3) ? "somatic " : "") + g + " wildtype";
  }

  static vocab::FusionGene const* fusion_of(sv gene) {
    for (auto const& f : vocab::kFusions)
      if (f.gene == gene) return &f;
    return nullptr;
  }

  std::string biomarker() {
    double x = r_.unit();
    if (x < 0.30) return "MSI high";
    if (x < 0.45) return "MSI high or dMMR";
    if (x < 0.55) return "dMMR";
    if (x < 0.75) return "TMB >= " + std::to_string(r_.chance(0.7) ? 10 : r_.between(5, 20));
    if (x < 0.85) return "HRD positive";
    if (x < 0.93) return "biomarker PDL1 >= " + std::to_string(r_.chance(0.5) ? 50 : 1);
    return "TMB >= 10 and not MSI high";
  }

  /// Broad profile: whether to keep a term that holds without any finding of the rule's
  /// own genes (biomarker-only, wild-type-only, `not`-only, tumour-agnostic). Their
  /// vocabulary does not grow with the rule set — MSI, MMR, TMB, HRD, PD-L1, "RAS wild
  /// type" — so a breadth-growing set keeps them at their 1,000-criteria count: kept with
  /// probability basket_scale_ = min(1, 1000 / n), else replaced by a gene-specific term.
  bool ungated() { return !broad_ || r_.chance(basket_scale_); }

  /// A biomarker term, or (broad profile, see ungated()) a gene atom instead.
  std::string biomarker_or_atom(sv g) {
    if (!ungated()) return gene_atom(g);
    return biomarker();
  }

  /// A `when` expression around gene `g`.
  std::string when_expr(sv g) {
    double x = r_.unit();
    if (x < 0.34) return gene_atom(g);
    if (x < 0.50 && !defines_.empty()) {
      std::string s = r_.pick(defines_);
      if (r_.chance(0.35)) s += " and not " + gene_atom(g);
      return s;
    }
    // Each draw in its own statement: operands of `+` are evaluated in unspecified order.
    if (x < 0.62) {
      std::string a = gene_atom(g);
      return a + " or " + gene_atom(rule_gene());
    }
    if (x < 0.72) {
      std::string a = gene_atom(g);
      return a + " and not " + gene_atom(r_.chance(0.5) ? g : rule_gene());
    }
    if (x < 0.78 && broad_) {  // wild type pattern over the rule's own genes
      if (!ungated()) return gene_atom(g);
      std::string a(g), b(rule_gene());
      std::string s = a + " wildtype";
      if (b != a) s += " and " + b + " wildtype";
      return s;
    }
    if (x < 0.78) {  // RAS wild type pattern
      static constexpr sv ras[] = {"KRAS", "NRAS", "HRAS", "BRAF", "EGFR", "ALK", "PIK3CA"};
      std::string a(r_.pick(ras)), b(r_.pick(ras));
      std::string s = a + " wildtype";
      if (b != a) s += " and " + b + " wildtype";
      if (r_.chance(0.5)) s += " and not BRAF p.V600E";
      return s;
    }
    if (x < 0.86) return biomarker_or_atom(g);
    if (x < 0.93) {
      std::string a = gene_atom(g);
      std::string b = gene_atom(rule_gene());
      std::string c = gene_atom(rule_gene());
      std::string d = biomarker_or_atom(g);
      return "(" + a + " or " + b + ") and (" + c + " or " + d + ")";
    }
    if (!ungated()) return gene_atom(g);
    if (x < 0.96) return "tested somatic " + std::string(g) + " and not " + gene_atom(g);
    return "not " + gene_atom(g);
  }

  std::string require_expr() {
    double x = r_.unit();
    std::vector<std::string> parts;
    if (x < 0.5) parts.push_back(r_.chance(0.5) ? "lines >= 1" : "lines <= 0");
    if (r_.chance(0.4)) parts.push_back("age >= " + std::to_string(r_.chance(0.8) ? 18 : 12));
    if (r_.chance(0.35)) parts.push_back("ecog <= " + std::to_string(r_.between(1, 2)));
    if (r_.chance(0.15)) parts.push_back("sex = F");
    if (r_.chance(0.12)) parts.push_back(r_.chance(0.5) ? "stage >= III" : "stage = IV");
    if (r_.chance(0.25)) {
      std::string a(r_.pick(vocab::kChemo)), b(r_.pick(vocab::kChemo));
      parts.push_back(a == b ? "prior \"" + a + "\"" : "(prior \"" + a + "\" or prior \"" + b + "\")");
    }
    if (r_.chance(0.15)) parts.push_back("not prior \"" + std::string(r_.pick(vocab::kDrugs)) + "\"");
    if (parts.empty()) parts.push_back("lines >= 1");
    std::string s;
    for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? " and " : "") + parts[i];
    if (r_.chance(0.1)) s = "(" + s + ") or lines <= 0";
    return s;
  }

  /// A tumour set: SOLID / any with probability `p_basket` (half of them with `except`),
  /// a subtree with `except` 8% of the time, else one or two OncoTree codes.
  std::string tumour_clause(double p_basket) {
    if (broad_) {
      p_basket *= basket_scale_;
      double x = r_.unit();
      if (x >= p_basket) {
        std::string s = r_.pick(broad_->tumours);
        if (r_.chance(0.25)) {
          std::string b = r_.pick(broad_->tumours);
          if (b != s) s += ", " + b;
        }
        return s;
      }
      std::string s = r_.chance(0.85) ? "SOLID" : "any";
      if (r_.chance(0.5)) s += " except " + std::string(r_.pick(vocab::kBasketExcepts));
      return s;
    }
    double x = r_.unit();
    if (x < p_basket) {
      std::string s = r_.chance(0.85) ? "SOLID" : "any";
      if (r_.chance(0.5)) {
        std::string a(r_.pick(vocab::kBasketExcepts)), b(r_.pick(vocab::kBasketExcepts));
        s += " except " + a;
        if (b != a) s += ", " + b;
      }
      return s;
    }
    if (x < p_basket + 0.08) {
      auto const& e = r_.pick(vocab::kExcepts);
      return std::string(e.parent) + " except " + std::string(e.child);
    }
    std::string s(r_.pick(vocab::kRuleTumours));
    if (r_.chance(0.25)) {
      std::string b(r_.pick(vocab::kRuleTumours));
      if (b != s) s += ", " + b;
    }
    return s;
  }

  std::string therapies(sv gene) {
    // Genes get two stable drugs, so approved and resistance rules overlap.
    std::uint64_t h = fnv1a(gene);
    std::size_t n = std::size(vocab::kDrugs);
    sv a = vocab::kDrugs[h % n], b = vocab::kDrugs[(h / n) % n];
    std::string s;
    s += '"';
    s += r_.chance(0.75) ? a : r_.pick(vocab::kDrugs);
    s += '"';
    if (r_.chance(0.3) && b != a) {
      s += ", \"";
      s += b;
      s += '"';
    }
    return s;
  }

  std::string ident_of(sv gene) {
    std::string s;
    for (char c : gene) s += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    return s;
  }

  void make_define() {
    sv g = rule_gene();
    std::string name = "DEF_" + std::to_string(defines_.size()) + "_";
    for (char c : g) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    std::string body = gene_atom(g);
    int extra = static_cast<int>(r_.below(3));
    for (int i = 0; i < extra; ++i) body += "\n or " + gene_atom(r_.chance(0.6) ? g : rule_gene());
    if (!defines_.empty() && r_.chance(0.15)) body += "\n or " + r_.pick(defines_);
    out_ += "define " + name + " =\n    " + body + "\n\n";
    defines_.push_back(std::move(name));
  }

  void make_rule() {
    sv g = rule_gene();
    double c = r_.unit();
    char const* cls = c < 0.50 ? "approved" : c < 0.80 ? "standard_of_care" : "resistance";
    std::string name = "r" + std::to_string(st_.rules) + "_" + ident_of(g) + "_" + cls[0] + cls[1];
    out_ += "rule " + name + " {\n";
    out_ += "  when    " + when_expr(g) + "\n";
    out_ += "  tumour  " + tumour_clause(0.03) + "\n";
    if (r_.chance(0.3)) out_ += "  require " + require_expr() + "\n";
    if (r_.chance(0.04)) out_ += "  exclude somatic " + std::string(r_.pick(vocab::kActionable)) + " mutation\n";
    out_ += std::string("  class   ") + cls + "\n";
    out_ += "  therapy " + therapies(g) + "\n";
    if (r_.chance(0.8)) out_ += "  level   " + std::string(r_.pick(vocab::kLevels)) + "\n";
    if (r_.chance(0.7)) {
      out_ += "  cite    PMID:" + std::to_string(20000000 + r_.below(19000000));
      if (r_.chance(0.4)) out_ += ", \"EMA EPAR synthetic " + std::to_string(st_.rules) + "\"";
      out_ += "\n";
    }
    out_ += "}\n\n";
  }

  void make_trial(std::size_t arms) {
    sv g = rule_gene();
    char id[16];
    std::snprintf(id, sizeof id, "NCT%08llu", static_cast<unsigned long long>(10000000 + st_.trials * 7919 % 89999999));
    out_ += "trial " + std::string(id) + " \"Synthetic basket trial " + std::to_string(st_.trials) + "\" {\n";
    double s = r_.unit();
    out_ += std::string("  status  ") + (s < 0.8 ? "recruiting" : s < 0.9 ? "suspended" : "closed") + "\n";
    std::string a(r_.pick(vocab::kSites)), b(r_.pick(vocab::kSites));
    out_ += "  site    \"" + a + "\"" + (b != a ? ", \"" + b + "\"" : std::string()) + "\n";
    bool shared_tumour = r_.chance(0.3);
    if (shared_tumour) out_ += "  tumour  " + tumour_clause(0.15) + "\n";
    bool shared_require = r_.chance(0.4);
    if (shared_require) out_ += "  require age >= 18 and ecog <= " + std::to_string(r_.between(1, 2)) + "\n";
    for (std::size_t i = 0; i < arms; ++i) {
      out_ += "  arm \"" + std::string(1, static_cast<char>('A' + i)) + "\" {\n";
      out_ += "    when    " + when_expr(i == 0 ? g : rule_gene()) + "\n";
      if (!shared_tumour || r_.chance(0.2)) out_ += "    tumour  " + tumour_clause(0.15) + "\n";
      if (!shared_require && r_.chance(0.7)) out_ += "    require " + require_expr() + "\n";
      if (r_.chance(0.2)) {
        double e = r_.unit();
        out_ += "    exclude " +
                (e < 0.4   ? "somatic " + std::string(r_.pick(vocab::kActionable)) + " mutation"
                 : e < 0.7 ? "prior \"" + std::string(r_.pick(vocab::kDrugs)) + "\""
                           : std::string("ecog >= 3")) +
                "\n";
      }
      if (r_.chance(0.9)) out_ += "    therapy " + therapies(g) + "\n";
      if (r_.chance(0.1)) out_ += "    status  suspended\n";
      out_ += "  }\n";
    }
    out_ += "}\n\n";
  }

  void make_cohort() {
    sv g = rule_gene();
    out_ += "precision2 P2_" + std::to_string(st_.cohorts) + "_" + ident_of(g) + " \"Synthetic " + std::string(g) +
            " cohort\" {\n";
    out_ += std::string("  status  ") + (r_.chance(0.85) ? "recruiting" : "closed") + "\n";
    out_ += "  when    " + when_expr(g) + "\n";
    out_ += "  tumour  " + tumour_clause(0.6) + "\n";
    if (r_.chance(0.6)) out_ += "  require " + require_expr() + "\n";
    out_ += "  therapy " + therapies(g) + "\n";
    if (r_.chance(0.3)) out_ += "  level   ESCAT:II-B\n";
    out_ += "}\n\n";
  }

  std::size_t n_;
  std::uint64_t seed_;
  Rng r_;
  Vocabulary const* broad_ = nullptr;
  std::size_t genes_ = 0;      ///< broad: genes drawn from broad_->genes[0 .. genes_)
  double basket_scale_ = 1.0;  ///< broad: factor on the SOLID / any probabilities
  std::string out_;
  std::vector<std::string> defines_;
  RuleSetStats st_;
};

/// Rule-set source text with exactly `n` criteria (rules + trial arms + cohorts), dense
/// profile (the same vocabulary at every size).
inline std::string make_rules(std::size_t n, std::uint64_t seed, RuleSetStats* stats = nullptr) {
  return RuleSetGenerator(n, seed).run(stats);
}

/// make_rules(n, 1), generated once per size and kept for the process (the benchmarks of
/// parsing and compiling time the same texts).
inline std::string const& cached_rules(std::size_t n) {
  static std::map<std::size_t, std::string> cache;
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, make_rules(n, /*seed=*/1)).first;
  return it->second;
}

/// make_rules with the broad profile (see Vocabulary): the vocabulary grows with n.
inline std::string make_rules_broad(std::size_t n, std::uint64_t seed, Vocabulary const& vocabulary,
                                    RuleSetStats* stats = nullptr) {
  return RuleSetGenerator(n, seed, &vocabulary).run(stats);
}

// ---- patient generator ----------------------------------------------------------------

class PatientGenerator {
 public:
  explicit PatientGenerator(std::uint64_t seed) : seed_(seed), r_(seed ^ 0x504154494e54ull) {}

  nlohmann::json make(std::size_t index) {
    using nlohmann::json;
    json p = json::object();
    p["patient"] = "SYN-" + std::to_string(seed_) + "-" + std::to_string(index);
    p["centre"] = r_.chance(0.5) ? "BE-UZL" : "BE-JBI";
    std::string code(r_.pick(vocab::kPatientTumours));
    json tum = {{"oncotree", code}};
    if (r_.chance(0.85)) {
      static constexpr char const* stages[] = {"IV", "IV", "IV", "IIIB", "III", "II", "IVA", "I"};
      tum["stage"] = r_.pick(stages);
    }
    p["tumour"] = tum;
    bool female_only = code == "IDC" || code == "ILC" || code == "MDLC" || code == "BRCA" || code == "UCEC" ||
                       code == "USC" || code == "UCS" || code == "HGSOC" || code == "LGSOC" || code == "CESC";
    if (r_.chance(0.9)) p["age"] = r_.between(19, 88);
    bool male_only = code == "PRAD" || code == "SEM";
    if (r_.chance(0.92)) p["sex"] = female_only ? "F" : male_only ? "M" : r_.chance(0.5) ? "F" : "M";
    if (r_.chance(0.75)) p["ecog"] = r_.between(0, 3);
    int lines = r_.between(0, 4);
    if (r_.chance(0.88)) p["lines"] = lines;

    // Findings.
    json findings = json::array();
    std::vector<std::string> genes_found;
    int n_find = static_cast<int>(r_.below(4));
    n_find += static_cast<int>(r_.below(4));
    for (int i = 0; i < n_find; ++i) findings.push_back(finding(genes_found));
    // Biomarkers.
    bool msi_tested = r_.chance(0.5), tmb_tested = r_.chance(0.4), hrd_tested = r_.chance(0.1),
         mmr_tested = r_.chance(0.2);
    if (msi_tested && r_.chance(0.8))
      findings.push_back({{"type", "biomarker"},
                          {"name", "MSI"},
                          {"value", r_.chance(0.15) ? (r_.chance(0.5) ? "MSI-H" : "high") : "stable"}});
    if (tmb_tested && r_.chance(0.9))
      findings.push_back(
          {{"type", "biomarker"}, {"name", "TMB"}, {"value", static_cast<double>(r_.below(400)) / 10.0}});
    if (hrd_tested && r_.chance(0.9))
      findings.push_back({{"type", "biomarker"}, {"name", "HRD"}, {"value", r_.chance(0.3) ? "positive" : "negative"}});
    if (mmr_tested && r_.chance(0.7))
      findings.push_back({{"type", "biomarker"}, {"name", "MMR"}, {"value", r_.chance(0.15) ? "dMMR" : "pMMR"}});
    // Written "PDL1": the rule checker folds "PD-L1" to PDL1 but the record reader does not
    // (a record saying "PD-L1" never meets `biomarker PD-L1 >= 50`; reported separately).
    if (r_.chance(0.1))
      findings.push_back({{"type", "biomarker"}, {"name", "PDL1"}, {"value", static_cast<double>(r_.below(101))}});
    p["findings"] = findings;

    // Tests: most records declare them; the rest are closed world.
    if (r_.chance(0.8)) {
      json tests = json::array();
      json genes = json::array();
      double panel = r_.unit();
      std::string panel_name;
      if (panel < 0.5) {
        panel_name = "Comprehensive 300";
        for (auto g : vocab::kPool) genes.push_back(std::string(g));
      } else if (panel < 0.85) {
        panel_name = "Solid Tumour 120";
        for (auto g : vocab::kActionable) genes.push_back(std::string(g));
        for (std::size_t i = 0; i < 60; ++i) genes.push_back(std::string(r_.pick(vocab::kPool)));
      } else {
        panel_name = "Focus 30";
        for (std::size_t i = 0; i < 30; ++i) genes.push_back(std::string(vocab::kActionable[i]));
      }
      // Some labs report findings outside their panel; sometimes the panel names them.
      for (auto const& g : genes_found)
        if (r_.chance(0.6)) genes.push_back(g);
      tests.push_back(
          {{"origin", "somatic"}, {"method", "NGS"}, {"specimen", "tissue"}, {"panel", panel_name}, {"genes", genes}});
      if (r_.chance(0.3))
        tests.push_back({{"origin", "somatic"}, {"method", "FISH"}, {"genes", json::array({"ALK", "ROS1"})}});
      if (r_.chance(0.12))
        tests.push_back({{"origin", "somatic"}, {"method", "RT-PCR"}, {"genes", json::array({"MET", "NTRK1"})}});
      if (r_.chance(0.08))
        tests.push_back({{"origin", "somatic"}, {"method", "PCR"}, {"genes", json::array({"KRAS", "NRAS", "BRAF"})}});
      if (r_.chance(0.25))
        tests.push_back({{"origin", "germline"},
                         {"method", "NGS"},
                         {"genes", json::array({"BRCA1", "BRCA2", "PALB2", "ATM", "CHEK2", "MLH1", "MSH2"})}});
      if (msi_tested) tests.push_back({{"biomarker", "MSI"}, {"method", "PCR"}});
      if (tmb_tested) tests.push_back({{"biomarker", "TMB"}, {"method", "NGS"}});
      if (hrd_tested) tests.push_back({{"biomarker", "HRD"}, {"method", "NGS"}});
      if (mmr_tested) tests.push_back({{"biomarker", "MMR"}, {"method", "IHC"}});
      p["tests"] = tests;
    }

    // Treatments (for `prior`).
    if (r_.chance(0.6) && lines > 0) {
      json tr = json::array();
      for (int l = 1; l <= lines; ++l) {
        json drugs = json::array();
        drugs.push_back(std::string(r_.pick(vocab::kChemo)));
        if (r_.chance(0.5)) drugs.push_back(std::string(r_.pick(vocab::kChemo)));
        if (r_.chance(0.3)) drugs.push_back(std::string(r_.pick(vocab::kDrugs)));
        tr.push_back({{"line", l}, {"drugs", drugs}, {"start", "2025-0" + std::to_string(l) + "-01"}});
      }
      p["treatments"] = tr;
    }
    return p;
  }

 private:
  nlohmann::json finding(std::vector<std::string>& genes_found) {
    using nlohmann::json;
    double x = r_.unit();
    auto variant = [&](std::string const& gene, std::string const& change, int exon, std::string const& consequence,
                       char const* origin) {
      json f = {{"origin", origin}, {"gene", gene}};
      if (!change.empty() && r_.chance(0.95)) f["hgvsp"] = change;
      if (!consequence.empty() && r_.chance(0.8)) f["consequence"] = consequence;
      if (exon > 0 && r_.chance(0.4)) f["exon"] = exon;
      if (r_.chance(0.3)) {
        static constexpr char const* cls[] = {"oncogenic", "likely_oncogenic", "VUS", "oncogenic"};
        f["classification"] = std::string(origin) == "germline" ? "pathogenic" : r_.pick(cls);
      }
      f["vaf"] = static_cast<double>(5 + r_.below(90)) / 100.0;
      f["method"] = "NGS";
      genes_found.push_back(gene);
      return f;
    };
    if (x < 0.40) {  // a known hotspot
      auto const& h = r_.pick(vocab::kHotspots);
      return variant(std::string(h.gene), std::string(h.change), h.exon, std::string(h.consequence), "somatic");
    }
    if (x < 0.55) {  // a rule gene, shared generated change
      std::string g(r_.pick(vocab::kPool));
      auto changes = vocab::gene_changes(g);
      auto const& c = r_.pick(changes);
      bool stop = c.back() == '*';
      return variant(g, c, 0, stop ? "stop_gained" : "missense_variant", "somatic");
    }
    if (x < 0.62) {  // passenger gene, random change (sometimes synonymous or unannotated)
      std::string g(r_.pick(vocab::kPassenger));
      int pos = r_.between(2, 3000);
      char ref = vocab::kAminoAcids[r_.below(20)];
      if (r_.chance(0.2))
        return variant(g, "p." + std::string(1, ref) + std::to_string(pos) + "=", 0, "synonymous_variant", "somatic");
      char alt = vocab::kAminoAcids[r_.below(20)];
      if (alt == ref) alt = ref == 'A' ? 'V' : 'A';
      return variant(g, "p." + std::string(1, ref) + std::to_string(pos) + alt, 0, "missense_variant", "somatic");
    }
    if (x < 0.64) {  // a variant known only by consequence (protein unknown)
      std::string g(r_.pick(vocab::kActionable));
      json f = {{"gene", g}, {"hgvsc", "c.1234+1G>A"}};
      if (r_.chance(0.7)) f["consequence"] = r_.chance(0.5) ? "splice_donor_variant" : "intron_variant";
      if (r_.chance(0.5)) f["intron"] = r_.between(1, 20);
      genes_found.push_back(g);
      return f;
    }
    if (x < 0.74) {  // fusion
      auto const& fg = r_.pick(vocab::kFusions);
      std::size_t np = 0;
      while (np < 3 && !fg.partners[np].empty()) ++np;
      std::string gene(fg.gene), partner(fg.partners[r_.below(np)]);
      genes_found.push_back(gene);
      if (r_.chance(0.25))  // FISH break-apart: partner unknown
        return {{"type", "fusion"}, {"gene", gene}, {"method", "FISH"}};
      std::string g5 = fg.partner_is_5p ? partner : gene, g3 = fg.partner_is_5p ? gene : partner;
      if (r_.chance(0.1)) std::swap(g5, g3);  // the unusual orientation
      return {{"type", "fusion"}, {"gene5", g5}, {"gene3", g3}, {"method", r_.chance(0.5) ? "NGS" : "RNA-seq"}};
    }
    if (x < 0.86) {  // copy number
      double y = r_.unit();
      if (y < 0.7) {
        std::string g(r_.pick(vocab::kAmplified));
        genes_found.push_back(g);
        json f = {{"type", "cnv"}, {"gene", g}};
        double z = r_.unit();
        if (z < 0.75) f["call"] = r_.chance(0.85) ? "amplification" : "gain";
        if (z >= 0.5 || !f.contains("call")) f["copies"] = r_.between(3, 25);
        if (r_.chance(0.15)) f["ratio"] = static_cast<double>(r_.between(12, 60)) / 10.0;
        return f;
      }
      std::string g(r_.pick(vocab::kSuppressors));
      genes_found.push_back(g);
      return {{"type", "cnv"}, {"gene", g}, {"call", r_.chance(0.7) ? "deletion" : "loss"}};
    }
    if (x < 0.90) {  // MET exon 14 skipping (RNA) or a splice variant
      genes_found.push_back("MET");
      if (r_.chance(0.6))
        return {{"type", "exon_skipping"}, {"gene", "MET"}, {"exons", json::array({14})}, {"method", "RT-PCR"}};
      return {{"gene", "MET"}, {"hgvsc", "c.3028+1G>T"}, {"consequence", "splice_donor_variant"}, {"intron", 14}};
    }
    if (x < 0.95) {  // germline pathogenic variant
      static constexpr vocab::Hotspot gl[] = {{"BRCA2", "p.S1982Rfs*22", 11, "frameshift_variant"},
                                              {"BRCA1", "p.E23Vfs*17", 2, "frameshift_variant"},
                                              {"BRCA1", "p.Q1756Pfs*74", 20, "frameshift_variant"},
                                              {"PALB2", "p.Y1183*", 0, "stop_gained"},
                                              {"ATM", "p.R3008C", 0, "missense_variant"}};
      auto const& h = r_.pick(gl);
      auto f = variant(std::string(h.gene), std::string(h.change), h.exon, std::string(h.consequence), "germline");
      f["classification"] = r_.chance(0.8) ? "pathogenic" : "likely_pathogenic";
      return f;
    }
    // a rule gene, truncating change of its own
    std::string g(r_.pick(vocab::kSuppressors));
    int pos = r_.between(20, 1500);
    char ref = vocab::kAminoAcids[r_.below(20)];
    if (r_.chance(0.5))
      return variant(g, "p." + std::string(1, ref) + std::to_string(pos) + "*", 0, "stop_gained", "somatic");
    return variant(g, "p." + std::string(1, ref) + std::to_string(pos) + "fs", 0, "frameshift_variant", "somatic");
  }

  std::uint64_t seed_;
  Rng r_;
};

/// `n` patient records as JSON text (one line each, no newline).
inline std::vector<std::string> make_patients(std::size_t n, std::uint64_t seed) {
  PatientGenerator g(seed);
  std::vector<std::string> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(g.make(i).dump());
  return out;
}

// ---- pipeline helpers (shared by the benches and the oracle test) ----------------------

/// A compiled synthetic rule set.
struct CompiledRules {
  Diagnostics diags;
  ir::RuleSetPtr rules;                               ///< null on errors
  std::shared_ptr<graph::DecisionGraph const> graph;  ///< null on errors
};

/// parse → sema::check → graph::compile, as Engine::from_sources does (without the SHA-256).
inline CompiledRules compile_rules(std::string const& text, std::shared_ptr<catalog::Catalog const> const& catalog) {
  CompiledRules out;
  auto src = std::make_shared<SourceFile const>("synthetic.rules", text);
  out.diags.keep(src);
  auto file = dsl::parse(*src, out.diags);
  if (!file) return out;
  std::vector<sema::ParsedFile> parsed;
  parsed.push_back({src, std::move(*file)});
  auto rs = sema::check(parsed, *catalog, out.diags);
  if (!rs) return out;
  out.rules = std::make_shared<ir::RuleSet const>(std::move(*rs));
  out.graph = graph::compile(out.rules, catalog);
  return out;
}

/// Read generated records; records that fail are reported in `errors` (never expected).
inline std::vector<model::Patient> read_patients(std::vector<std::string> const& records,
                                                 catalog::Catalog const& catalog,
                                                 std::vector<std::string>* errors = nullptr) {
  std::vector<model::Patient> out;
  out.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    std::vector<RecordError> errs;
    auto p = io::read_patient_text(records[i], catalog, errs);
    if (p) {
      out.push_back(std::move(*p));
    } else if (errors) {
      for (auto const& e : errs) errors->push_back("record " + std::to_string(i) + " " + e.pointer + ": " + e.message);
    }
  }
  return out;
}

/// The shipped reference catalog (rules/reference), loaded once per call.
inline std::shared_ptr<catalog::Catalog const> load_catalog(std::string dir = {}) {
  if (dir.empty()) dir = catalog::Catalog::default_dir();
  std::string err;
  auto c = catalog::Catalog::load(dir, &err);
  if (!c) return nullptr;
  return std::make_shared<catalog::Catalog const>(std::move(*c));
}

}  // namespace actionable::bench
