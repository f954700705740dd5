// The checked, resolved, immutable IR of a rule set (STYLE habit 6).
//
// Atoms are interned (one Atom per distinct resolved meaning, shared by every rule that
// uses it), expressions are hash-consed into a DAG of Nodes (a `define` is just a shared
// node), and rules / trial arms / PRECISION 2 cohorts are uniform Criteria. Spans point into
// the SourceFiles the RuleSet keeps alive. Built only by sema::check; read-only afterwards.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actionable/catalog/oncotree.hpp"
#include "actionable/detail/dsl/ast.hpp"
#include "actionable/model/hgvs.hpp"
#include "actionable/model/patient.hpp"
#include "actionable/source.hpp"

namespace actionable::ir {

using AtomId = std::uint32_t;
using NodeId = std::uint32_t;
using CriterionId = std::uint32_t;
inline constexpr NodeId kNoNode = 0xFFFFFFFFu;

enum class AtomKind : std::uint8_t {
  kGene,
  kBiomarker,
  kClinical,
  kTested,
  kProtein,  ///< a protein (IHC / ISH) result or a derived HER2 status (model/protein.hpp)
};

/// A resolved leaf. Which fields matter depends on kind (and, for kGene, on feature).
struct Atom {
  AtomKind kind = AtomKind::kGene;
  // kGene
  ast::Origin origin = ast::Origin::kAny;
  std::vector<std::string> genes;       ///< approved symbols; the atom holds if any gene does
  std::vector<std::uint32_t> gene_ids;  ///< the same genes as catalog ids (GeneCatalog::index)
  std::string gene5;                    ///< ordered fusion GENE5::genes[0]
  ast::FeatureKind feature = ast::FeatureKind::kMutation;
  std::vector<hgvs::ProteinChange> proteins;
  std::vector<int> codons;
  int exon_first = 0, exon_last = 0;
  ast::ExonEvent exon_event = ast::ExonEvent::kMutation;
  std::string measure;  ///< amplification threshold: "cn" / "ratio" / ""
  ast::Cmp cmp = ast::Cmp::kGe;
  double threshold = 0;
  std::string partner;  ///< fusion with PARTNER
  std::vector<hgvs::ProteinChange> excluding;
  // kBiomarker: name (MSI, MMR, TMB, HRD or other), cmp, number or text
  std::string name;
  std::optional<double> number;
  std::string text;
  // kProtein: name (HER2, PDL1, CLDN18…), method (IHC | ISH; "" for a derived HER2 status,
  // whose category is `text`: positive, low, ultralow, negative), a comparison (number) or
  // the accepted results (values), the PD-L1 score and the assay ("" = any)
  std::string method, score, assay;
  std::vector<std::string> values;
  // kClinical (lab: name = canonical test, number = limit in its canonical unit or as a
  // multiple of ULN when text = "x ULN"; washout: number = days; brain metastases, disease
  // status, prior class: text)
  ast::ClinicalField field = ast::ClinicalField::kAge;
  /// A criterion on a value that may change (a laboratory value, a washout): failing only such
  /// criteria makes a near miss (docs/language.md, "Near misses"), not a permanent failure.
  bool recoverable = false;
  // kTested: genes (above) and biomarker names (tested_biomarkers; "HER2 IHC" for a protein
  // marker with its method)
  std::vector<std::string> tested_biomarkers;

  std::string display;  ///< canonical text: "somatic EGFR p.L858R", "MSI high", "age >= 18"
  Span span;            ///< first occurrence
};

enum class Op : std::uint8_t { kAtom, kAnd, kOr, kNot };

struct Node {
  Op op = Op::kAtom;
  AtomId atom = 0;           ///< kAtom
  std::vector<NodeId> kids;  ///< kAnd / kOr (≥2), kNot (1)
  std::string define;        ///< name of the `define` whose body this node is ("" if none)
  Span define_span;
};

enum class CriterionKind : std::uint8_t { kRule, kArm, kCohort };
enum class Class : std::uint8_t {
  kApproved,
  kStandardOfCare,
  kResistance,
  kMatchedTrial,
  kPrecision2,
  kEvidence,  ///< literature / knowledge-base evidence (CIViC): never an option by itself
};
enum class Status : std::uint8_t { kRecruiting, kSuspended, kClosed };

char const* class_name(Class c) noexcept;    ///< "approved", …, "precision2_candidate"
char const* status_name(Status s) noexcept;  ///< "recruiting" | "suspended" | "closed"

struct TumourSet {
  bool any = false;                        ///< `any`
  bool solid = false;                      ///< `SOLID`
  std::vector<catalog::TumourId> include;  ///< codes (descendants included)
  std::vector<catalog::TumourId> except;   ///< codes (descendants excluded)
  std::vector<std::string> include_codes;  ///< as written, for reports ("SOLID", "NSCLC")
  std::vector<std::string> except_codes;
  Span span;

  /// Does the set contain tumour `t`? On success `why` (when non-null) gets a phrase such as
  /// "LUAD is under NSCLC".
  bool contains(catalog::OncoTree const& tree, catalog::TumourId t, std::string* why = nullptr) const;
};

struct Exclusion {
  NodeId node = kNoNode;
  std::string text;  ///< source text of the criterion, for "excluded: …"
  Span span;
};

/// The alteration kinds (model::DetectKind) a test must detect to decide a gene atom
/// (shared by graph::compile's gating and eval's leaf semantics: they must agree).
std::uint8_t detect_kinds_needed(Atom const& atom) noexcept;

/// The value a categorical biomarker that was measured but not reported reads as (docs/
/// language.md): "stable" for MSI, "proficient" for MMR, "negative" for HRD; "" for others.
std::string_view normal_biomarker_value(std::string_view name) noexcept;

/// One `site CODE STATUS [slots N]` line of a trial or arm: a registry centre code, whether
/// it recruits there, and the open slots when stated (-1 = not stated).
struct TrialSite {
  std::string centre;
  Status status = Status::kRecruiting;
  int slots = -1;
  Span span;
};

/// The country of a centre code ("BE" of "BE-UZL"): the two letters before the first '-', in
/// upper case, or "" when the code has no such prefix.
std::string centre_country(std::string_view centre);

/// A rule, a trial arm or a PRECISION 2 cohort: everything that can match a patient.
struct Criterion {
  CriterionKind kind = CriterionKind::kRule;
  Class cls = Class::kApproved;
  std::string name;   ///< rule name, trial id (NCT…) or cohort name
  std::string arm;    ///< trial arm name
  std::string title;  ///< trial / cohort title
  NodeId when = kNoNode;
  TumourSet tumour;
  NodeId require = kNoNode;
  std::string require_text;
  std::vector<Exclusion> excludes;
  std::vector<std::string> therapies;
  std::string level;
  std::string direction;  ///< evidence rules: "sensitivity" | "resistance" | "reduced_sensitivity" |
                          ///< "adverse_response" ("" otherwise)
  bool supports = true;   ///< false: `direction not …`, the evidence does not support it
  std::vector<std::string> cites;
  std::vector<std::string> sites;       ///< `site "name", …`: names as written
  std::vector<TrialSite> centres;       ///< `site CODE STATUS …` lines (the arm's, else the trial's)
  std::string phase;                    ///< "1", "1/2", "2", "2/3", "3"; "" when not stated
  Status status = Status::kRecruiting;  ///< effective: the trial's and the arm's
  std::uint32_t ruleset = 0;            ///< index into RuleSet::parts (0 in a single rule set)
  Span span;
  Span when_span;
};

/// One rule-author test (dsl.md §7), with its patient already built.
struct Expectation {
  bool negated = false;
  std::string what;               ///< approved, standard_of_care, resistance, matched_trial,
                                  ///< precision2_candidate, evidence, indeterminate, suppressed, off_label,
                                  ///< excluded, rule, pathway, option, coverage
  std::string target;             ///< "" when absent
  bool target_is_string = false;  ///< a quoted therapy rather than a criterion name
  std::string arm;
  Span span;
};
struct TestCase {
  std::string title;
  model::Patient patient;
  std::vector<Expectation> expects;
  Span span;
};

struct Define {
  std::string name;
  NodeId node = kNoNode;
  Span span;
};

/// One of several rule sets used side by side (link()).
struct RuleSetPart {
  std::string name, version, sha256;
};

class RuleSet {
 public:
  std::string name, version, sha256;
  /// Rule sets side by side (issue 13): each part's identity; criteria name theirs by index.
  /// Empty for a single rule set.
  std::vector<RuleSetPart> parts;
  std::vector<SourcePtr> sources;  ///< keeps Spans valid
  std::vector<Atom> atoms;
  std::vector<Node> nodes;  ///< topologically ordered: kids before parents
  std::vector<Define> defines;
  std::vector<Criterion> criteria;  ///< in source order (files sorted by path)
  std::vector<TestCase> tests;
};

using RuleSetPtr = std::shared_ptr<RuleSet const>;

/// Several checked rule sets as one, side by side: atoms, nodes, defines and criteria
/// concatenated with their ids shifted (each part's nodes stay topologically ordered), every
/// criterion tagged with its part, `parts` holding each identity (sha256 filled by the
/// caller). Names stay per part: two parts may both define `egfr_osimertinib`. Tests are not
/// carried over (a part's tests run against that part alone). Identity fields of the result
/// are left to the caller.
RuleSet link(std::vector<RuleSet> parts);

}  // namespace actionable::ir
