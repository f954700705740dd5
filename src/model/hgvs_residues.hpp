// The residue table and character classes shared by the HGVS parser and printer (docs/hgvs.md).
//
// Residues are stored 1-letter ('*' = stop). Everything here is constexpr or inline: no
// dynamically initialised globals.
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace actionable::hgvs::detail {

struct Residue {
  char aa1;
  std::string_view aa3;
};

// The 20 standard residues, selenocysteine, pyrrolysine and the stop. Ambiguity codes
// (Asx/B, Glx/Z, Xle/J, Xaa) are deliberately absent: they do not name one residue.
inline constexpr std::array<Residue, 23> kResidues{{
    {'A', "Ala"}, {'R', "Arg"}, {'N', "Asn"}, {'D', "Asp"}, {'C', "Cys"}, {'Q', "Gln"}, {'E', "Glu"}, {'G', "Gly"},
    {'H', "His"}, {'I', "Ile"}, {'L', "Leu"}, {'K', "Lys"}, {'M', "Met"}, {'F', "Phe"}, {'P', "Pro"}, {'S', "Ser"},
    {'T', "Thr"}, {'W', "Trp"}, {'Y', "Tyr"}, {'V', "Val"}, {'U', "Sec"}, {'O', "Pyl"}, {'*', "Ter"},
}};

constexpr bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
constexpr char to_lower(char c) noexcept { return is_upper(c) ? char(c - 'A' + 'a') : c; }

/// 1-letter code for a 1-letter spelling ('X' is the legacy stop); 0 when unknown.
constexpr char canonical_aa1(char c) noexcept {
  if (c == 'X') return '*';
  for (auto const& r : kResidues) {
    if (r.aa1 == c) return c;
  }
  return 0;
}

/// 3-letter code (title case "Val" or capitals "VAL") to 1-letter; 0 when unknown. The body of
/// hgvs::aa3_to_aa1, inline here for the parser's inner loop.
constexpr char aa3_to_aa1(std::string_view aa3) noexcept {
  if (aa3.size() != 3) return 0;
  bool const caps = is_upper(aa3[1]) && is_upper(aa3[2]) && is_upper(aa3[0]);
  bool const title = is_lower(aa3[1]) && is_lower(aa3[2]);
  if (!caps && !title) return 0;
  for (auto const& r : kResidues) {
    if (to_lower(aa3[0]) == to_lower(r.aa3[0]) && to_lower(aa3[1]) == r.aa3[1] && to_lower(aa3[2]) == r.aa3[2]) {
      return r.aa1;
    }
  }
  return 0;
}

inline void append_int(std::string& out, std::int32_t v) {
  char buf[16];
  auto const res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

}  // namespace actionable::hgvs::detail
