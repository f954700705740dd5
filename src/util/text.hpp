// Private to the library sources (never installed): two small text helpers the importers, the
// readers and the registry each wrote for themselves (issue 10 item 6).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace actionable::util {

/// The fields of `s` between separators `sep`, empty ones kept ("a,,b" → "a", "", "b"; "" →
/// one empty field) — a TSV line or a VEP CSQ entry, where a field's position is its meaning.
inline std::vector<std::string> split_exact(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

/// One reference token of a JSON pointer (RFC 6901 §3: '~' → "~0", '/' → "~1").
inline std::string json_pointer_token(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

}  // namespace actionable::util
