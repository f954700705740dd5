// The fixed patients of the rule-language and importer targets, and the check that an engine's
// compiled decision graph agrees with the reference evaluator on them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/engine.hpp"
#include "actionable/detail/eval/evaluate.hpp"
#include "actionable/detail/eval/pathway.hpp"
#include "actionable/detail/eval/patient_view.hpp"
#include "actionable/detail/io/patient_json.hpp"
#include "actionable/detail/io/result_json.hpp"
#include "actionable/detail/ir/rule_set.hpp"
#include "fuzz_common.hpp"

namespace actionable::fuzz {

struct Fixed {
  std::string text;
  model::Patient patient;
  std::unique_ptr<eval::PatientView> view;
};

inline std::vector<Fixed> const& fixed_patients() {
  static auto const patients = [] {
    std::vector<Fixed> out;
    auto const& cat = reference_catalog();
    for (char const* text : kPatients) {
      std::vector<RecordError> errors;
      auto p = io::read_patient_text(text, *cat, errors);
      FUZZ_CHECK(p.has_value(), std::string("fixed patient does not read: ") + text);
      out.push_back(Fixed{text, std::move(*p), nullptr});
    }
    for (auto& f : out) f.view = std::make_unique<eval::PatientView>(f.patient, *cat);
    return out;
  }();
  return patients;
}

/// Every fixed patient matches (one line of JSON), and the compiled graph's result equals the
/// reference evaluator's (eval::evaluate_reference, as in tests/property/oracle_test.cpp).
inline void check_against_reference(Engine const& engine) {
  auto const& rules = *engine.rules();
  for (auto const& f : fixed_patients()) {
    auto got = engine.match_json(f.text);
    FUZZ_CHECK(got.ok && got.errors.empty(),
               "a valid fixed patient was rejected: " + (got.errors.empty() ? std::string() : got.errors[0].message));
    FUZZ_CHECK(!got.json.empty() && got.json.find('\n') == std::string::npos, "result is not one line: " + got.json);
    FUZZ_CHECK(nlohmann::json::accept(got.json), "result is not JSON: " + got.json);
    auto slow = eval::evaluate_reference(rules, *f.view);
    auto outcome = eval::classify(rules, *f.view, slow);
    auto want = io::result_json(outcome, rules, engine.info());
    FUZZ_CHECK(got.json == want, "compiled graph and reference evaluator differ for " + f.patient.id +
                                     "\n  graph:     " + got.json + "\n  reference: " + want);
  }
}

}  // namespace actionable::fuzz
