// What the benchmark fixtures share (bench_json.cpp, bench_report.cpp): the shipped catalogue,
// loaded once per process, and files of the source tree read whole. Header-only; needs
// ACTIONABLE_SOURCE_DIR (bench/CMakeLists.txt defines it for the targets that include this).
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include "actionable/actionable.hpp"

namespace actionable::bench {

/// The whole file at `path` (a benchmark without its input is an error, not an empty run).
inline std::string slurp(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// `relative` under the source tree (e.g. "rules/examples/patient_P1-000123.json").
inline std::string source_path(std::string const& relative) {
  return std::string(ACTIONABLE_SOURCE_DIR) + "/" + relative;
}

/// The shipped catalogue (Catalog::default_dir()), loaded once.
inline std::shared_ptr<catalog::Catalog const> const& shipped_catalog() {
  static auto const c = [] {
    std::string err;
    auto loaded = catalog::Catalog::load(catalog::Catalog::default_dir(), &err);
    if (!loaded) throw std::runtime_error("the shipped catalogue does not load: " + err);
    return std::make_shared<catalog::Catalog const>(std::move(*loaded));
  }();
  return c;
}

/// The README example patient's record text.
inline std::string readme_patient_text() { return slurp(source_path("rules/examples/patient_P1-000123.json")); }

}  // namespace actionable::bench
