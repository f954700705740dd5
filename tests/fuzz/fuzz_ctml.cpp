// Fuzz target: the CTML importer (import::import_ctml).
//
// Input: one CTML document, JSON text (target ctml) or, compiled with FUZZ_CTML_NAME
// "fuzz.yaml", YAML text read through yaml-cpp (target ctml_yaml, fuzz_ctml_yaml.cpp). Invariants:
//  - what an import writes always compiles (docs/ctml.md: `actionable check` on an import
//    succeeds): the generated files build an engine with no error;
//  - that engine matches every fixed patient and agrees with the reference evaluator;
//  - the counts are consistent (written <= seen) and every issue is one line.
#include <cstdint>
#include <string>
#include <vector>

#include "actionable/import/ctml.hpp"
#include "fuzz_match.hpp"

using namespace actionable;

#ifndef FUZZ_CTML_NAME
#define FUZZ_CTML_NAME "fuzz.json"  // the name decides the format (docs/ctml.md)
#endif

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::fixed_patients();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  auto const& cat = fuzz::reference_catalog();
  std::vector<import::CtmlInput> inputs{{FUZZ_CTML_NAME, std::string(fuzz::as_text(data, size))}};
  auto r = import::import_ctml(inputs, cat);
  FUZZ_CHECK(r.trials_written <= r.trials, "more trials written than read");
  FUZZ_CHECK(r.match_trees_written <= r.match_trees, "more match trees written than read");
  for (auto const& i : r.issues)
    FUZZ_CHECK(!i.message.empty() && i.message.find('\n') == std::string::npos, "bad issue: " + i.to_string());
  if (r.files.empty() || r.trials_written == 0) return 0;

  std::vector<RuleSource> sources;
  for (auto const& f : r.files) sources.push_back({f.path, f.text()});
  Diagnostics diags;
  auto engine = Engine::from_sources(sources, cat, diags);
  std::string all;
  for (auto const& s : sources) all += "--- " + s.path + "\n" + s.text;
  FUZZ_CHECK(engine != nullptr, "the import does not compile:\n" + diags.format() + all);
  fuzz::check_against_reference(*engine);
  return 0;
}
