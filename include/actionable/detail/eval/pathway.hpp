// Evaluation → Outcome (dsl.md §6): matches by class, resistance suppression, indeterminate
// criteria with the tests that would decide them, off-label evidence, exclusions, and the
// protocol pathway (standard_of_care → matched_trial → precision2 → empirical). Every entry
// carries its reasons ("because" lines). Deterministic: entries sorted by class, then by
// source order.
#pragma once

#include <string>
#include <vector>

#include "actionable/detail/eval/evaluate.hpp"

namespace actionable::eval {

/// Where a matched trial arm with `site CODE STATUS` lines recruits, seen from the patient's
/// centre (docs/language.md, "Trials at sites"). kUnstated: the arm has no such lines.
enum class Availability : std::uint8_t { kUnstated, kAtCentre, kInCountry, kNotInCountry };

struct MatchEntry {
  ir::Class cls = ir::Class::kApproved;
  ir::CriterionId criterion = 0;
  std::vector<std::string> therapies;
  std::vector<std::uint32_t> findings;
  std::vector<std::string> because;
  bool eligible = true;                                 ///< PRECISION 2 only
  Availability availability = Availability::kUnstated;  ///< trial arms with centre sites
};
struct SuppressedEntry {
  ir::CriterionId criterion = 0;
  ir::CriterionId by = 0;
  std::vector<std::string> therapies;
};
struct IndeterminateEntry {
  ir::CriterionId criterion = 0;
  std::vector<std::string> missing;
};
struct OffLabelEntry {
  ir::CriterionId criterion = 0;
  std::vector<std::uint32_t> findings;
  std::vector<std::string> because;
};
struct ExcludedEntry {
  ir::CriterionId criterion = 0;
  std::string reason;
  /// Non-empty: a near miss — only recoverable criteria (labs, washout) failed, and these are
  /// what must hold ("lab creatinine_clearance >= 50 mL/min").
  std::vector<std::string> eligible_once;
};
struct FindingSummary {
  std::uint32_t index = 0;
  std::string normalised;
  std::vector<std::string> classes;
};

/// A gene symbol of a finding that HGNC does not resolve (it satisfied no gene atom).
struct UnresolvedSymbol {
  std::uint32_t finding = 0;
  std::string field;   ///< "gene", "gene5" or "gene3"
  std::string symbol;  ///< as the record wrote it
};

struct Outcome {
  std::string patient;
  bool coverage_declared = false;
  /// The record was built from lab files some rows of which could not be read: every entry
  /// below may change once they are (the pathway is provisional).
  bool input_incomplete = false;
  std::vector<std::string> input_issues;
  std::vector<std::string> options;  ///< standard_of_care, matched_trial, precision2, empirical
  std::string recommended;
  bool precision2_eligible = false;
  std::vector<MatchEntry> matches;
  std::vector<SuppressedEntry> suppressed;
  std::vector<IndeterminateEntry> indeterminate;
  std::vector<OffLabelEntry> off_label;
  std::vector<ExcludedEntry> excluded;
  std::vector<FindingSummary> findings;
  std::vector<UnresolvedSymbol> unresolved;
};

Outcome classify(ir::RuleSet const& rules, PatientView const& patient, Evaluation const& eval);

/// Lower-cased, blank-trimmed therapy name used to compare therapies for suppression.
std::string therapy_key(std::string const& therapy);

}  // namespace actionable::eval
