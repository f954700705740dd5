// UTF-8 validation, shared by the readers, the rule parser and the CIViC importer. Every string a reader puts into an entry
// ends up in JSON (records, results), and nlohmann::json refuses to serialise invalid UTF-8
// (type_error 316, which used to end `actionable convert` / `match --maf` with "internal
// error" for a whole run because of one Latin-1 byte). Readers check each line instead and
// skip a line that is not UTF-8 with a row error naming the byte (found by tests/fuzz).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace actionable::util {

/// Offset of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629: no
/// overlong forms, no surrogates, nothing above U+10FFFF), or nullopt when `s` is valid.
inline std::optional<std::size_t> invalid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  auto const n = s.size();
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < n) {
    unsigned char c = byte(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    // One branch per row of the table of well-formed sequences (Unicode §3.9, Table 3-7):
    // alike in shape because the table is.
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF)
      len = 2;
    else if (c == 0xE0)
      len = 3, lo = 0xA0;
    else if (c == 0xED)
      len = 3, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF)
      len = 3;
    else if (c == 0xF0)
      len = 4, lo = 0x90;
    else if (c == 0xF4)
      len = 4, hi = 0x8F;
    else if (c >= 0xF1 && c <= 0xF3)
      len = 4;
    else
      return i;
    if (i + len > n) return i;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return i;
    i += len;
  }
  return std::nullopt;
}

/// "0xD0" for a byte.
inline std::string hex_byte(char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  auto const b = static_cast<unsigned char>(c);
  return std::string("0x") + kHex[b >> 4] + kHex[b & 15];
}

/// "not valid UTF-8 (byte 0xD0 at column 12)" for line `s`, or "" when it is valid.
inline std::string utf8_problem(std::string_view s) {
  auto at = invalid_utf8(s);
  if (!at) return {};
  return "not valid UTF-8 (byte " + hex_byte(s[*at]) + " at column " + std::to_string(*at + 1) + ")";
}

}  // namespace actionable::util
