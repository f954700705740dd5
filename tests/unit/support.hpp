// Test helpers: the shipped catalog (loaded once per test binary), compiling rule text, and
// matching a JSON record. Test-only code.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "actionable/catalog/catalog.hpp"
#include "actionable/engine.hpp"

namespace actionable::testing {

inline std::shared_ptr<catalog::Catalog const> shared_catalog() {
  static std::shared_ptr<catalog::Catalog const> c = [] {
    std::string error;
    auto cat = catalog::Catalog::load(std::string(ACTIONABLE_SOURCE_DIR) + "/rules/reference", &error);
    REQUIRE_MESSAGE(cat.has_value(), error);
    return std::make_shared<catalog::Catalog const>(std::move(*cat));
  }();
  return c;
}

/// Compile rule text (a `ruleset` line is added when absent). Diagnostics go to `diags`.
inline std::shared_ptr<Engine const> compile(std::string text, Diagnostics& diags, std::string path = "test.rules") {
  if (text.find("ruleset ") == std::string::npos) text = "ruleset \"t\" version \"1\"\n" + text;
  return Engine::from_sources({{path, text}}, shared_catalog(), diags);
}

inline std::shared_ptr<Engine const> compile_ok(std::string const& text) {
  Diagnostics diags;
  auto e = compile(text, diags);
  INFO(diags.format());
  REQUIRE(e != nullptr);
  return e;
}

inline nlohmann::json match(Engine const& e, nlohmann::json const& record) {
  auto r = e.match_json(record.dump());
  std::string errs;
  for (auto const& x : r.errors) errs += x.pointer + ": " + x.message + "\n";
  INFO(errs);
  REQUIRE(r.ok);
  return nlohmann::json::parse(r.json);
}

/// The first error / warning code in a diagnostics set ("" when none).
inline std::string first_code(Diagnostics const& d) {
  auto s = d.sorted();
  return s.empty() ? std::string() : s.front().code;
}

}  // namespace actionable::testing
