// Evaluation + IR spans → the decision trace (`actionable explain`, Engine::explain): the
// patient as read, then each criterion the patient's tumour and findings reach, step by step
// (tumour, every atom with its value and supporting findings, require, exclusions). Criteria
// are named by id here; the engine turns this into the public actionable::Trace (trace.hpp),
// as it turns eval::Outcome into Outcome.
#pragma once

#include <string>
#include <vector>

#include "actionable/detail/eval/pathway.hpp"

namespace actionable::explain {

struct Line {
  bool is_define = false;
  std::string text, source;
  eval::Tri value = eval::Tri::kUnknown;
  std::vector<std::uint32_t> findings;
  std::vector<std::string> missing;
};

struct Step {
  ir::CriterionId criterion = 0;
  bool tumour = false;
  std::string tumour_reason;
  eval::Tri when = eval::Tri::kUnknown;
  std::vector<Line> lines;
  eval::Tri require = eval::Tri::kTrue;  ///< kTrue when the criterion has no require
  std::vector<eval::Tri> excludes;       ///< per ir::Criterion::excludes
};

struct Steps {
  std::vector<std::string> lineage;
  bool solid = false;
  std::vector<Step> steps;
};

/// Reuses the evaluation's memo (atom values are not computed again).
Steps trace(ir::RuleSet const& rules, eval::PatientView const& patient, eval::Evaluation const& evaluation);

}  // namespace actionable::explain
