// The rule language's syntax tree (dsl.md §1–§4, §7): data only, no logic.
//
// Every node records its byte range [begin, end) in its SourceFile (`Located`), which the
// parser fills and sema turns into Spans. Expressions live in a per-file pool (ExprPool) and
// refer to each other by index, so deep expressions are walked with worklists, never by
// unbounded recursion (STYLE habit 10). We use plain offsets rather than x3::position_tagged:
// a span is then a value that needs no position cache to outlive the parse.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace actionable::ast {

inline constexpr std::uint32_t kNoExpr = 0xFFFFFFFFu;

struct Located {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

/// A token with its text: identifier, gene symbol, OncoTree code, protein change, string.
struct Name : Located {
  std::string text;
};

enum class Origin : std::uint8_t { kAny, kSomatic, kGermline };
enum class Cmp : std::uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

enum class FeatureKind : std::uint8_t {
  kProtein,   ///< p.V600E | p.V600K (also bare positions p.G12)
  kCodon,     ///< codon 12, 13
  kExon,      ///< exon 19 deletion, exon 18-21 mutation, exon 14 skipping
  kMutation,  ///< any non-synonymous coding or splice-site change
  kMissense,
  kTruncating,
  kInframe,
  kSplice,
  kOncogenic,
  kAmplification,  ///< optionally with a threshold (cn >= 6) / (ratio >= 2.0)
  kDeletion,       ///< homozygous copy-number deletion
  kFusion,         ///< fusion, fusion with GENE, A::B fusion
  kWildtype,
};

enum class ExonEvent : std::uint8_t {
  kDeletion,
  kInsertion,
  kSkipping,
  kMutation,
  kMissense,
  kTruncating,
  kInframe,
  kSplice,
};

struct Feature : Located {
  FeatureKind kind = FeatureKind::kMutation;
  std::vector<Name> proteins;         ///< kProtein
  std::vector<int> codons;            ///< kCodon
  int exon_first = 0, exon_last = 0;  ///< kExon (inclusive)
  ExonEvent exon_event = ExonEvent::kMutation;
  std::string measure;  ///< kAmplification threshold: "cn" or "ratio" ("" none)
  Cmp cmp = Cmp::kGe;
  double threshold = 0;
  std::optional<Name> partner;  ///< kFusion: "fusion with EML4"
  std::vector<Name> excluding;  ///< "excluding p.X, …"
};

/// origin? genes feature — or origin? GENE5 '::' GENE3 'fusion'.
struct Atom : Located {
  Origin origin = Origin::kAny;
  std::vector<Name> genes;    ///< one or more genes ("(KRAS | NRAS)"); the 3' gene for A::B
  std::optional<Name> gene5;  ///< the 5' gene of an ordered fusion A::B
  Feature feature;
};

/// MSI high, dMMR, TMB >= 10, HRD positive, biomarker NAME op VALUE; and the protein
/// atoms HER2 IHC 1+ | 2+, HER2 ISH negative, PDL1 CPS >= 10, CLDN18 IHC >= 75, MLH1 IHC loss,
/// HER2-low (docs/language.md, "Protein biomarkers").
struct Biomarker : Located {
  std::string name;  ///< canonical: MSI, MMR, TMB, HRD, or the author's NAME
  Cmp cmp = Cmp::kEq;
  std::optional<double> number;  ///< numeric comparison value
  std::string text;              ///< categorical value, lower-case (high, deficient, positive…)
  // protein atoms
  bool protein = false;      ///< a protein atom (method given, or a derived HER2 status)
  std::string method;        ///< IHC | ISH ("" for a derived HER2 status)
  std::string score;         ///< PD-L1: TPS, CPS, TC, IC, TAP
  std::vector<Name> values;  ///< categorical results (HER2 IHC 1+ | 2+)
  std::string assay;         ///< assay "22C3" ("" = any)
  std::string derived;       ///< HER2-positive / -low / -ultralow / -negative: that word
  Name marker;               ///< the marker as written (for diagnostics)
};

enum class ClinicalField : std::uint8_t {
  kAge,
  kLines,
  kEcog,
  kSex,
  kStage,
  kPrior,
  kDiseaseStatus,  ///< disease_status "metastatic"
  kLab,            ///< lab creatinine_clearance >= 50 mL/min, lab alt <= 3 x ULN
  kWashout,        ///< washout >= 28 days (days since the last systemic therapy ended)
  kBrainMets,      ///< brain_metastases none | treated_stable | active
  kMeasurable,     ///< measurable disease (RECIST 1.1)
  kPriorClass,     ///< prior class L01EB (a drug of that ATC class)
  kPregnant,       ///< pregnant
};

/// age >= 18, lines >= 1, ecog <= 1, sex = F, stage >= III, prior "osimertinib", and the
/// eligibility facts above.
struct Clinical : Located {
  ClinicalField field = ClinicalField::kAge;
  Cmp cmp = Cmp::kEq;
  double number = 0;  ///< age, lines, ecog, lab value, washout days; stage as its numeric rank
  std::string text;   ///< sex (upper-case), stage (as written), prior drug, status, ATC code
  std::string name;   ///< lab test as written
  std::string unit;   ///< lab unit as written ("x ULN" for a multiple of ULN)
};

/// tested [origin] GENE, GENE…  (true when every listed gene was tested for that origin)
struct Tested : Located {
  Origin origin = Origin::kAny;
  std::vector<Name> genes;
};

enum class ExprOp : std::uint8_t { kOr, kAnd, kNot, kAtom, kBiomarker, kClinical, kTested, kRef };

/// One node of an expression. `payload` indexes the pool vector of its kind (atoms,
/// biomarkers, clinicals, tested, refs); `kids` are node indices (kOr/kAnd: ≥2, kNot: 1).
struct ExprNode : Located {
  ExprOp op = ExprOp::kAtom;
  std::uint32_t payload = 0;
  std::vector<std::uint32_t> kids;
};

struct ExprPool {
  std::vector<ExprNode> nodes;
  std::vector<Atom> atoms;
  std::vector<Biomarker> biomarkers;
  std::vector<Clinical> clinicals;
  std::vector<Tested> tested;
  std::vector<Name> refs;  ///< define names referenced
};

struct TumourSet : Located {
  std::vector<Name> include;  ///< OncoTree codes, "SOLID" or "any"
  std::vector<Name> except;
};

enum class ClauseKind : std::uint8_t {
  kWhen,
  kTumour,
  kRequire,
  kExclude,
  kClass,
  kTherapy,
  kLevel,
  kCite,
  kStatus,
  kSite,
  kDirection,  ///< evidence rules: [not] sensitivity | resistance | reduced_sensitivity | adverse_response
  kPhase,      ///< trials: phase 1 | 1/2 | 2 | 2/3 | 3
  kCentre,     ///< trials: `site CODE STATUS [slots N]`: values = code, status[, slots]
};
inline constexpr int kClauseKinds = 13;

/// One clause of a rule / arm / cohort / trial. Which fields are set depends on `kind`:
/// expr (when, require, exclude), tumour, values (class, therapy, level, cite, status, site,
/// phase, centre).
struct Clause : Located {
  ClauseKind kind = ClauseKind::kWhen;
  std::uint32_t expr = kNoExpr;
  TumourSet tumour;
  std::vector<Name> values;
};

struct Arm : Located {
  Name name;
  std::vector<Clause> clauses;
};

enum class BlockKind : std::uint8_t { kRule, kTrial, kPrecision2 };

struct Block : Located {
  BlockKind kind = BlockKind::kRule;
  Name name;
  std::optional<Name> title;
  std::vector<Clause> clauses;
  std::vector<Arm> arms;  ///< trials only
};

struct Define : Located {
  Name name;
  std::uint32_t expr = kNoExpr;
};

struct RulesetDecl : Located {
  Name name;
  Name version;
};

// ---- rule-author tests (dsl.md §7) ----------------------------------------------------

enum class PatientItemKind : std::uint8_t {
  kTumour,
  kAge,
  kLines,
  kEcog,
  kSex,
  kStage,
  kPrior,
  kVariant,        ///< origin GENE p.X [exon N] [classification]
  kFusion,         ///< origin [GENE5::]GENE3 fusion
  kAmplification,  ///< origin GENE amplification [(cn N) | (ratio R)]
  kDeletion,       ///< origin GENE deletion
  kExonSkipping,   ///< origin GENE exon N skipping
  kBiomarker,      ///< MSI high, dMMR, TMB 12, HRD positive, biomarker NAME VALUE
  kTested,         ///< tested [origin] NAME, NAME (genes or biomarkers)
  // eligibility facts (docs/language.md, "Eligibility facts")
  kLab,            ///< lab TEST N UNIT (value = test, number, text = unit)
  kAsOf,           ///< as_of YYYY-MM-DD (text)
  kBrainMets,      ///< brain_metastases none | treated_stable | active (text)
  kMeasurable,     ///< measurable_disease yes | no (number 1 / 0)
  kPregnant,       ///< pregnant yes | no (number 1 / 0)
  kDiseaseStatus,  ///< disease_status "metastatic", … (names)
};

struct PatientItem : Located {
  PatientItemKind kind = PatientItemKind::kTumour;
  Origin origin = Origin::kAny;
  Name gene;                         ///< variant/cnv/exon skipping gene; fusion 3' gene
  std::optional<Name> gene5;         ///< fusion 5' gene
  Name value;                        ///< tumour code, sex, stage, prior drug, protein change, biomarker name
  std::optional<double> number;      ///< age, lines, ecog, exon, copies, ratio, biomarker number
  std::string measure;               ///< amplification: "cn" | "ratio"
  std::string text;                  ///< biomarker categorical value / variant classification
  std::vector<Name> names;           ///< tested: genes / biomarkers ("HER2 IHC"); prior: drugs; disease status
  std::string ended;                 ///< prior … ended YYYY-MM-DD: the line's end date
  std::string method, score, assay;  ///< protein biomarker: IHC | ISH, PD-L1 score, assay
};

struct Expect : Located {
  bool negated = false;
  Name what;                   ///< approved, standard_of_care, …, pathway, option, coverage, rule
  std::optional<Name> target;  ///< therapy string, rule / trial / cohort name, option
  std::optional<Name> arm;     ///< matched_trial NCT… arm "A"
};

struct TestBlock : Located {
  Name title;
  std::vector<PatientItem> patient;
  std::vector<Expect> expects;
};

/// One parsed file.
struct File {
  std::vector<RulesetDecl> rulesets;
  std::vector<Define> defines;
  std::vector<Block> blocks;
  std::vector<TestBlock> tests;
  ExprPool pool;
};

}  // namespace actionable::ast
