// The typed result of matching one patient (patient.md "Match result", docs/api.md): value
// types an integrator reads directly, with enums for classes, pathway options and coverage.
// io::write_outcome (actionable/io/json.hpp) renders it as the canonical result JSON, byte for
// byte what `actionable match` prints. Self-contained: no reference into the rule set.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace actionable {

/// Identity of a compiled rule set (what a result's "ruleset" object holds).
struct RuleSetInfo {
  std::string name;
  std::string version;
  std::string sha256;  ///< hex SHA-256 over the sources (see docs/language.md, "Rule-set identity")
};

/// One problem with a patient record: JSON pointer ("/findings/2/hgvsp", "" = whole record)
/// and a message.
struct RecordError {
  std::string pointer;
  std::string message;
  friend bool operator==(RecordError const&, RecordError const&) = default;
};

/// The class of an option (dsl.md §3).
enum class OptionClass : std::uint8_t {
  kApproved,
  kStandardOfCare,
  kResistance,
  kMatchedTrial,
  kPrecision2Candidate,
  /// Literature / knowledge-base evidence (CIViC): shown with its level and direction, never
  /// a standard-of-care option (docs/language.md, "Evidence").
  kEvidence,
};
/// "approved", "standard_of_care", "resistance", "matched_trial", "precision2_candidate",
/// "evidence".
std::string_view to_string(OptionClass c) noexcept;
std::optional<OptionClass> parse_option_class(std::string_view text) noexcept;

/// The protocol's pathway options (PRECISION 1: standard of care → matched trial →
/// PRECISION 2 → empirical).
enum class PathwayOption : std::uint8_t { kStandardOfCare, kMatchedTrial, kPrecision2, kEmpirical };
/// "standard_of_care", "matched_trial", "precision2", "empirical".
std::string_view to_string(PathwayOption o) noexcept;
std::optional<PathwayOption> parse_pathway_option(std::string_view text) noexcept;

/// Whether absence of a finding was judged against declared tests or the closed world.
enum class Coverage : std::uint8_t { kDeclared, kAssumed };
std::string_view to_string(Coverage c) noexcept;  ///< "declared" | "assumed"

/// What kind of criterion an entry comes from.
enum class CriterionKind : std::uint8_t { kRule, kTrialArm, kCohort };

/// The criterion an entry names: a rule, a trial arm or a PRECISION 2 cohort.
struct CriterionRef {
  CriterionKind kind = CriterionKind::kRule;
  std::string name;     ///< rule name, trial id (NCT…) or cohort name
  std::string arm;      ///< trial arm (kTrialArm only)
  std::string title;    ///< trial / cohort title ("" for rules)
  std::string source;   ///< "rules/lung.rules:16": where the criterion is written (not in the JSON)
  std::string ruleset;  ///< the rule set it comes from, when several are used side by side ("" otherwise)
};

/// One "because" line: why an entry holds ("EGFR p.L858R matches EGFR_SENSITIZING (lung.rules:16)").
struct Reason {
  std::string text;
};

/// A test that would decide an indeterminate entry ("NRAS (somatic)", "ROS1 fusion (FISH)", "ecog").
struct Missing {
  std::string test;
};

/// A trial's recruitment at one centre (`site CODE STATUS [slots N]`).
enum class SiteStatus : std::uint8_t { kRecruiting, kSuspended, kClosed };
std::string_view to_string(SiteStatus s) noexcept;  ///< "recruiting" | "suspended" | "closed"

struct TrialSite {
  std::string centre;  ///< registry centre code ("BE-UZL")
  SiteStatus status = SiteStatus::kRecruiting;
  int slots = -1;  ///< open slots; -1 when not stated
};

/// Where a matched trial arm recruits, seen from the patient's centre (docs/language.md,
/// "Trials at sites"). kUnstated: the trial names no centre sites. (An arm that recruits
/// nowhere in the patient's country is never a match: it is an Excluded entry.)
enum class TrialAvailability : std::uint8_t { kUnstated, kAtCentre, kInCountry };
std::string_view to_string(TrialAvailability a) noexcept;  ///< "", "at_centre", "in_country"

struct Match {
  OptionClass cls = OptionClass::kApproved;
  CriterionRef criterion;
  std::vector<std::string> therapies;
  std::string level;                    ///< "ESCAT:I-A", "" when none
  std::string direction;                ///< evidence: "sensitivity" | "resistance" |
                                        ///< "reduced_sensitivity" | "adverse_response"; else ""
  bool supports = true;                 ///< evidence: false when it does NOT support `direction`
  std::vector<std::uint32_t> findings;  ///< indices into the patient's findings
  std::vector<std::string> cites;
  std::vector<std::string> sites;  ///< `site "name", …` as written
  std::string phase;               ///< trial phase ("1", "1/2", "2", "2/3", "3"; "" = not stated)
  std::vector<TrialSite> centres;  ///< `site CODE STATUS …` lines
  TrialAvailability availability = TrialAvailability::kUnstated;
  std::vector<Reason> because;
  bool eligible = true;  ///< PRECISION 2 cohorts: eligible by the protocol (no SoC, no trial)
};

struct Suppressed {
  OptionClass cls = OptionClass::kApproved;  ///< the suppressed criterion's class
  CriterionRef criterion;
  std::string by;          ///< the resistance rule that suppresses it
  std::string by_ruleset;  ///< its rule set, when several are used side by side ("" otherwise)
  std::vector<std::string> therapies;
};

struct Indeterminate {
  OptionClass cls = OptionClass::kApproved;
  CriterionRef criterion;
  std::vector<Missing> missing;
};

struct OffLabel {
  OptionClass cls = OptionClass::kApproved;
  CriterionRef criterion;
  std::vector<std::string> therapies;
  std::vector<std::string> approved_in;  ///< tumour codes of the label, as written
  std::vector<std::string> except;
  std::string level;
  std::vector<std::uint32_t> findings;
  std::vector<std::string> cites;
  std::vector<Reason> because;
};

/// A near miss: the findings matched, a requirement failed.
struct Excluded {
  OptionClass cls = OptionClass::kApproved;
  CriterionRef criterion;
  std::string reason;
};

/// A near miss (docs/language.md, "Near misses"): the findings matched and only recoverable
/// criteria (a laboratory value, a washout) failed; eligible once `eligible_once` all hold.
struct NearMiss {
  OptionClass cls = OptionClass::kApproved;
  CriterionRef criterion;
  std::string reason;
  std::vector<std::string> eligible_once;
};

struct FindingSummary {
  std::uint32_t index = 0;
  std::string normalised;            ///< "EGFR p.L858R", "RP11-100N3.2?::ALK fusion …"
  std::vector<OptionClass> classes;  ///< classes of the matches it drives, in match order
};

/// A gene symbol of a finding that HGNC does not resolve (it satisfied no gene atom).
struct UnresolvedGene {
  std::uint32_t finding = 0;
  std::string field;   ///< "gene", "gene5" or "gene3"
  std::string symbol;  ///< as the record wrote it
};

struct Pathway {
  std::vector<PathwayOption> options;  ///< never empty: at least kEmpirical
  PathwayOption recommended = PathwayOption::kEmpirical;
  bool precision2_eligible = false;
  bool provisional = false;  ///< the input was incomplete: the recommendation may change
};

struct Outcome {
  std::string patient;
  RuleSetInfo ruleset;                ///< with several rule sets, the combined identity
  std::vector<RuleSetInfo> rulesets;  ///< several rule sets side by side: each one (empty otherwise)
  Coverage coverage = Coverage::kAssumed;
  bool input_incomplete = false;          ///< built from lab files that lost rows
  std::vector<std::string> input_issues;  ///< which rows ("file:line: error: …")
  Pathway pathway;
  std::vector<Match>
      matches;  ///< by class (approved, SoC, resistance, trial, PRECISION 2, evidence), then source order
  std::vector<Suppressed> suppressed;
  std::vector<Indeterminate> indeterminate;
  std::vector<OffLabel> off_label;
  std::vector<Excluded> excluded;     ///< permanent failures, exclusions, closed trials
  std::vector<NearMiss> near_misses;  ///< failed only recoverable criteria (empty unless such criteria are used)
  std::vector<FindingSummary> findings;
  std::vector<UnresolvedGene> unresolved;
};

/// A value or the record errors that prevented it (never both).
template <class T>
struct Result {
  std::optional<T> value;
  std::vector<RecordError> errors;

  bool ok() const noexcept { return value.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  T const& operator*() const& { return *value; }
  T const* operator->() const { return &*value; }
};

}  // namespace actionable
