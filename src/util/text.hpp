// Private to the library sources (never installed): small text helpers the importers, the
// readers and the registry each wrote for themselves (issue 10 item 6).
#pragma once

#include <algorithm>
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

/// `msg` on one line: its control characters (a line end decoded from a quoted value's \n, a
/// stray CR) written as \n, \r, \t or \xNN — the messages of the record and lab-file readers
/// are one line each (docs/errors.md), whatever input they quote.
inline std::string one_line(std::string msg) {
  auto const is_ctl = [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; };
  if (std::none_of(msg.begin(), msg.end(), is_ctl)) return msg;
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(msg.size() + 8);
  for (char c : msg) {
    if (!is_ctl(c))
      out += c;
    else if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else {
      auto const u = static_cast<unsigned char>(c);
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

}  // namespace actionable::util
