// Private to the library sources (never installed): ASCII case folding, the one copy the
// rule checker, the record reader, the patient model and the importers share.
#pragma once

#include <cctype>
#include <string>

namespace actionable::util {

inline std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

inline std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

/// An ASCII letter (locale-independent; false for every byte >= 0x80).
constexpr bool is_alpha(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

}  // namespace actionable::util
