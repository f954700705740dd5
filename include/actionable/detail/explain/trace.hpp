// Evaluation + IR spans → a decision trace for people (`actionable explain`): the patient as
// read, then each criterion the patient's tumour and findings reach, step by step (tumour,
// every atom with its value and supporting findings, require, exclusions), then the outcome.
#pragma once

#include <string>

#include "actionable/detail/eval/pathway.hpp"

namespace actionable::explain {

std::string trace(ir::RuleSet const& rules, eval::PatientView const& patient,
                  eval::Evaluation const& evaluation, eval::Outcome const& outcome);

}  // namespace actionable::explain
