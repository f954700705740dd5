// Golden files (STYLE habit 9): tests/golden/check/NAME.rules → NAME.err (the exact text
// `actionable check` prints), tests/golden/match/NAME.json → NAME.expect.json (the result on
// the shipped default rules rules/precision1 + rules/precision2, or on NAME.rules when present).
// Set ACTIONABLE_UPDATE_GOLDEN=1 to rewrite the expected files (then review the diff).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../unit/support.hpp"

namespace fs = std::filesystem;
using namespace actionable;

namespace {

std::string const kRoot = ACTIONABLE_SOURCE_DIR;

std::string read_golden(fs::path const& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool update() { return std::getenv("ACTIONABLE_UPDATE_GOLDEN") != nullptr; }

void compare(fs::path const& expected_path, std::string const& actual) {
  if (update()) {
    std::ofstream(expected_path, std::ios::binary) << actual;
    return;
  }
  INFO(expected_path.string());
  REQUIRE(fs::exists(expected_path));
  CHECK(read_golden(expected_path) == actual);
}

/// Rule sources read with repository-relative paths, sorted (as `actionable check` does).
std::vector<RuleSource> sources_under(std::vector<std::string> const& dirs) {
  std::vector<RuleSource> out;
  for (auto const& d : dirs) {
    std::vector<std::string> files;
    for (auto const& e : fs::recursive_directory_iterator(kRoot + "/" + d))
      if (e.is_regular_file() && e.path().extension() == ".rules")
        files.push_back(fs::relative(e.path(), kRoot).generic_string());
    std::sort(files.begin(), files.end());
    for (auto const& f : files) out.push_back({f, read_golden(kRoot + "/" + f)});
  }
  return out;
}

std::vector<fs::path> files_with(std::string const& dir, std::string const& ext) {
  std::vector<fs::path> out;
  for (auto const& e : fs::directory_iterator(kRoot + "/" + dir))
    if (e.path().extension() == ext) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

/// The sha256 of the rules changes with every rule edit; goldens compare everything else.
std::string without_sha(nlohmann::json j) {
  if (j.contains("ruleset")) j["ruleset"]["sha256"] = "<sha256>";
  return j.dump(2) + "\n";
}

}  // namespace

TEST_CASE("golden: check diagnostics") {
  auto files = files_with("tests/golden/check", ".rules");
  REQUIRE(files.size() >= 5);
  for (auto const& f : files) {
    CAPTURE(f.string());
    Diagnostics d;
    auto rel = fs::relative(f, kRoot).generic_string();
    Engine::from_sources({{rel, read_golden(f)}}, actionable::testing::shared_catalog(), d);
    compare(fs::path(f).replace_extension(".err"), d.format());
  }
}

TEST_CASE("golden: match results on the shipped default rules") {
  Diagnostics d;
  auto engine = Engine::from_sources(sources_under({"rules/precision1", "rules/precision2"}),
                                     actionable::testing::shared_catalog(), d);
  INFO(d.format());
  REQUIRE(engine);
  auto files = files_with("tests/golden/match", ".json");
  REQUIRE(files.size() >= 10);
  for (auto const& f : files) {
    if (f.string().find(".expect.json") != std::string::npos) continue;
    CAPTURE(f.string());
    auto own = fs::path(f).replace_extension(".rules");
    std::shared_ptr<Engine const> e = engine;
    if (fs::exists(own)) {
      Diagnostics d2;
      e = Engine::from_sources({{fs::relative(own, kRoot).generic_string(), read_golden(own)}},
                               actionable::testing::shared_catalog(), d2);
      REQUIRE(e);
    }
    auto r = e->match_json(read_golden(f));
    std::string actual;
    if (r.ok) {
      actual = without_sha(nlohmann::json::parse(r.json));
    } else {
      for (auto const& x : r.errors) actual += x.pointer + ": " + x.message + "\n";
    }
    auto expected = f.parent_path() / (f.stem().string() + ".expect.json");
    compare(expected, actual);
  }
}
