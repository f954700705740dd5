// Outcome → result JSON (patient.md "Match result"), with a fixed key order and array order so
// that the same rule set and record give the same bytes. Also the text form for people.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "actionable/engine.hpp"
#include "actionable/eval/pathway.hpp"

namespace actionable::io {

nlohmann::ordered_json result_json(eval::Outcome const& outcome, ir::RuleSet const& rules,
                                   RuleSetInfo const& info);

/// A readable report of one outcome (`actionable match --format text`).
std::string result_text(eval::Outcome const& outcome, ir::RuleSet const& rules,
                        model::Patient const& patient);

}  // namespace actionable::io
