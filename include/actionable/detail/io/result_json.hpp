// Outcome → result JSON (patient.md "Match result"), with a fixed key order and array order so
// that the same rule set and record give the same bytes. The public entry points are
// io::write_outcome / io::outcome_text (actionable/io/json.hpp); these are for code that holds
// the evaluator's outcome (the oracle test, the benchmarks).
#pragma once

#include <string>

#include "actionable/detail/eval/pathway.hpp"
#include "actionable/engine.hpp"
#include "actionable/io/json.hpp"

namespace actionable::io {

/// The result JSON (write_outcome's bytes) of the evaluator's outcome, converted with the
/// rule set it refers to.
std::string result_json(eval::Outcome const& outcome, ir::RuleSet const& rules, RuleSetInfo const& info);

}  // namespace actionable::io
