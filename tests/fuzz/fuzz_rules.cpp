// Fuzz target: the rule language, end to end (parse → check → compile → evaluate).
//
// Input: one rule file. Invariants:
//  - Engine::from_sources returns an engine exactly when the diagnostics hold no error;
//  - a rule set that checks clean compiles and matches every fixed patient (kPatients): each
//    match_json succeeds and returns one line of JSON;
//  - the compiled decision graph agrees with the reference evaluator (eval::evaluate_reference,
//    the oracle of tests/property/oracle_test.cpp) on every fixed patient, byte for byte;
//  - explain, the rule set's own `test` blocks and the DOT export run without a crash, and the
//    test report counts what it lists.
#include <cstdint>
#include <vector>

#include "actionable/engine.hpp"
#include "fuzz_match.hpp"

using namespace actionable;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::fixed_patients();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  auto const& cat = fuzz::reference_catalog();
  auto const& patients = fuzz::fixed_patients();
  Diagnostics diags;
  std::vector<RuleSource> sources{{"fuzz.rules", std::string(fuzz::as_text(data, size))}};
  auto engine = Engine::from_sources(std::move(sources), cat, diags);
  FUZZ_CHECK((engine != nullptr) == (diags.error_count() == 0),
             "engine built despite errors, or refused without one:\n" + diags.format());
  (void)diags.format();  // rendering diagnostics (source line and caret) must not crash
  if (!engine) return 0;

  fuzz::check_against_reference(*engine);
  auto explained = engine->explain_json(patients.front().text);
  FUZZ_CHECK(explained.ok, "explain rejected a valid fixed patient");
  auto report = engine->run_tests();
  FUZZ_CHECK(report.failures.size() == report.failed, "test report lists " + std::to_string(report.failures.size()) +
                                                          " failures but counts " + std::to_string(report.failed));
  (void)engine->dot();
  return 0;
}
