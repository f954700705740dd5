// Shared helpers of the io tests: data paths, issue look-ups, finding filters.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/detail/io/readers/assemble.hpp"
#include "actionable/detail/io/readers/common.hpp"

namespace iotest {

inline std::string shared(std::string const& rel) { return std::string(ACTIONABLE_SHARED_DATA) + "/" + rel; }
inline std::string local(std::string const& rel) { return std::string(ACTIONABLE_IO_TEST_DATA) + "/" + rel; }
inline std::string source_dir(std::string const& rel) { return std::string(ACTIONABLE_SOURCE_DIR) + "/" + rel; }

inline actionable::io::Source mem(std::string text, std::string name = "mem.tsv") {
  return actionable::io::Source::memory(std::move(name), std::move(text));
}

/// Issues of `level` as "line: message" strings (line 0 for whole-file issues).
inline std::vector<std::string> issues(std::vector<actionable::io::Issue> const& all,
                                       actionable::io::IssueLevel level) {
  std::vector<std::string> out;
  for (auto const& i : all)
    if (i.level == level) out.push_back(std::to_string(i.line) + ": " + i.message);
  return out;
}

inline std::vector<std::size_t> issue_lines(std::vector<actionable::io::Issue> const& all,
                                            actionable::io::IssueLevel level) {
  std::vector<std::size_t> out;
  for (auto const& i : all)
    if (i.level == level) out.push_back(i.line);
  return out;
}

/// Findings of all entries (in order).
inline std::vector<nlohmann::json> findings(actionable::io::ReadResult const& r) {
  std::vector<nlohmann::json> out;
  for (auto const& e : r.entries)
    if (e.kind == actionable::io::Entry::Kind::kFinding) out.push_back(e.value);
  return out;
}

inline nlohmann::json const* record(actionable::io::Assembly const& a, std::string const& id) {
  for (auto const& r : a.records)
    if (r.value("patient", std::string()) == id) return &r;
  return nullptr;
}

inline std::size_t count_if_key(std::vector<nlohmann::json> const& fs, char const* key, std::string const& value) {
  return static_cast<std::size_t>(std::count_if(fs.begin(), fs.end(), [&](nlohmann::json const& f) {
    return f.contains(key) && f[key].is_string() && f[key].get<std::string>() == value;
  }));
}

}  // namespace iotest
