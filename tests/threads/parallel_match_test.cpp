// The threaded part of `actionable match`, of Engine::match_many and of the Python module's
// match_many: one Engine shared by the house's one pool (util::parallel_for,
// include/actionable/detail/util/parallel.hpp), whose workers call match_json / explain_json /
// report_text (the CLI; the Python module calls match_json with the GIL released) or match on
// Patient values (Engine::match_many), as a test of its own, so that it runs under
// ThreadSanitizer (CMakePresets.json "tsan", docs/reliability.md) without building the command
// line or a Python interpreter. Also part of the normal suite (ctest parallel_match).
//
// One engine (the shipped precision1 + precision2 rules) and a few hundred records (the golden
// records and the example patient, each under several ids, plus bad records) are matched by
// 4 threads at once, several rounds; every result must equal the sequential one. Then
// Engine::match_many over the records that read, three rounds, against match one by one; and a
// worker's exception must reach the caller. Prints "N passed, N failed".
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/detail/util/parallel.hpp"
#include "actionable/engine.hpp"
#include "actionable/io/json.hpp"

using namespace actionable;

int main(int argc, char** argv) {
  std::string const src = argc > 1 ? argv[1] : ACTIONABLE_SOURCE_DIR;
  unsigned const threads = argc > 2 ? static_cast<unsigned>(std::stoul(argv[2])) : 4;
  std::string err;
  auto cat = catalog::Catalog::load(catalog::Catalog::default_dir(), &err);
  if (!cat) {
    std::fprintf(stderr, "cannot load the catalog: %s\n", err.c_str());
    return 2;
  }
  auto catalog = std::make_shared<catalog::Catalog const>(std::move(*cat));
  Diagnostics diags;
  auto engine = Engine::from_paths({src + "/rules/precision1", src + "/rules/precision2"}, catalog, diags);
  if (!engine) {
    std::fprintf(stderr, "%s", diags.format().c_str());
    return 2;
  }

  std::vector<std::string> records;
  std::vector<std::filesystem::path> files;
  for (auto const& e : std::filesystem::directory_iterator(src + "/tests/golden/match"))
    if (e.path().extension() == ".json" && e.path().string().find(".expect.") == std::string::npos)
      files.push_back(e.path());
  files.push_back(src + "/rules/examples/patient_P1-000123.json");
  std::sort(files.begin(), files.end());
  for (auto const& f : files) {
    std::ifstream in(f);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto j = nlohmann::json::parse(text, nullptr, false);
    for (int copy = 0; copy < 6; ++copy) {
      if (j.is_object()) j["patient"] = f.stem().string() + "-" + std::to_string(copy);
      records.push_back(j.is_discarded() ? text : j.dump());
    }
  }
  records.push_back("not json");
  records.push_back(R"({"patient":"bad","tumour":{"oncotree":"NOPE"}})");

  enum Kind { kMatch, kExplain, kReport };
  auto run = [&](Kind k, std::string const& r) {
    auto o = k == kMatch ? engine->match_json(r) : k == kExplain ? engine->explain_json(r) : engine->report_text(r);
    return o.ok ? o.json : "error: " + (o.errors.empty() ? std::string() : o.errors.front().message);
  };
  std::vector<std::string> want;
  for (int k = 0; k < 3; ++k)
    for (auto const& r : records) want.push_back(run(static_cast<Kind>(k), r));

  std::size_t passed = 0, failed = 0;
  for (int round = 0; round < 3; ++round) {
    std::vector<std::string> got(want.size());
    util::parallel_for(got.size(), threads, [&](std::size_t i) {
      got[i] = run(static_cast<Kind>(i / records.size()), records[i % records.size()]);
    });
    for (std::size_t i = 0; i < got.size(); ++i) {
      if (got[i] == want[i]) {
        ++passed;
      } else {
        ++failed;
        if (failed <= 3)
          std::fprintf(stderr, "FAIL: round %d, item %zu differs from the sequential result\n", round, i);
      }
    }
  }
  // The typed API's own pool: Engine::match_many over Patient values, against match one by one.
  std::vector<model::Patient> patients;
  for (auto const& r : records)
    if (auto p = io::read_patient_json(r, engine->catalog())) patients.push_back(std::move(*p.value));
  std::vector<std::string> typed_want;
  for (auto const& p : patients) {
    auto o = engine->match(p);
    typed_want.push_back(o ? io::write_outcome(*o.value) : "error");
  }
  for (int round = 0; round < 3; ++round) {
    auto many = engine->match_many(patients, threads);
    for (std::size_t i = 0; i < many.size(); ++i) {
      bool same = (many[i] ? io::write_outcome(*many[i].value) : "error") == typed_want[i];
      same ? ++passed : ++failed;
      if (!same && failed <= 3) std::fprintf(stderr, "FAIL: match_many round %d, patient %zu differs\n", round, i);
    }
  }
  // An exception in one worker reaches the caller once every thread has joined.
  std::atomic<std::size_t> calls{0};
  bool rethrown = false;
  try {
    util::parallel_for(1000, threads, [&](std::size_t i) {
      ++calls;
      if (i == 10) throw std::runtime_error("item 10");
    });
  } catch (std::runtime_error const& e) {
    rethrown = std::string(e.what()) == "item 10";
  }
  rethrown&& calls.load() <= 1000 ? ++passed : ++failed;
  if (!rethrown) std::fprintf(stderr, "FAIL: a worker's exception was not rethrown to the caller\n");
  std::printf(
      "parallel match: %zu records x 3 kinds x 3 rounds, %zu patients x 3 rounds of match_many, on %u threads\n",
      records.size(), patients.size(), threads);
  std::printf("%zu passed, %zu failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
