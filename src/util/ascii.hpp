// Private to the library sources (never installed): ASCII case folding, the one copy the
// catalogue, the rule checker, the record and lab-file readers, the patient model, the
// evaluator, the registry, the portal, the report and the importers share. Locale-independent:
// only 'A'–'Z' and 'a'–'z' change, every other byte (UTF-8 included) is kept as it is.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace actionable::util {

constexpr char to_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char to_upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = to_lower(c);
  return out;
}

inline std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = to_upper(c);
  return out;
}

/// Equal but for ASCII case.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  return true;
}

/// An ASCII letter (locale-independent; false for every byte >= 0x80).
constexpr bool is_alpha(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

}  // namespace actionable::util
