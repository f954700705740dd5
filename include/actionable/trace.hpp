// The decision trace as data (docs/api.md, "Explaining a result"): what `actionable explain`
// prints, as values an integrator can read — the patient as read, every criterion the patient's
// tumour and findings reach with its tumour test, each atom of its `when` with its three-valued
// value, supporting findings and missing tests, its require / exclude values and status — and
// the Outcome it led to. io::trace_text renders it as `actionable explain` prints it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actionable/outcome.hpp"

namespace actionable {

/// A three-valued (Kleene) value: false, unknown (a test or value is missing), true.
enum class Truth : std::uint8_t { kFalse, kUnknown, kTrue };
std::string_view to_string(Truth t) noexcept;  ///< "false" | "unknown" | "true"

/// One line of a criterion's `when`: a named `define` reached, or an atom with its value.
struct TraceAtom {
  bool is_define = false;
  std::string text;    ///< the atom's canonical text ("somatic EGFR p.L858R"), or the define's name
  std::string source;  ///< defines: where it is written ("lung.rules:3"); "" for atoms
  Truth value = Truth::kUnknown;
  std::vector<std::uint32_t> findings;  ///< atoms: indices of the findings that support it
  std::vector<std::string> missing;     ///< atoms: tests that would decide it
};

/// One criterion reached by the patient's tumour and findings.
struct TraceStep {
  CriterionRef criterion;
  OptionClass cls = OptionClass::kApproved;
  bool tumour = false;        ///< the patient's tumour is in the criterion's set
  std::string tumour_reason;  ///< "LUAD is under NSCLC" / "LUAD is not in COADREAD"
  Truth when = Truth::kUnknown;
  std::vector<TraceAtom> atoms;  ///< depth-first, each node once
  std::string require_text;      ///< "" when the criterion has no require
  Truth require = Truth::kTrue;
  std::vector<std::pair<std::string, Truth>> excludes;  ///< each exclude's text and value
  std::string status;  ///< trials and cohorts: "recruiting" | "suspended" | "closed"; rules: ""
};

struct Trace {
  std::string patient;
  std::string tumour_code, tumour_name;
  std::vector<std::string> lineage;  ///< OncoTree codes from the root to the tumour
  bool solid = false;
  bool closed_world = false;          ///< no tests declared
  std::size_t tests = 0;              ///< tests declared
  std::vector<std::string> findings;  ///< each finding as normalised
  std::size_t criteria_total = 0;     ///< criteria in the rule set (steps: those reached)
  std::vector<TraceStep> steps;
  Outcome outcome;
};

}  // namespace actionable
