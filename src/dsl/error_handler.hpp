// How a failed parse becomes a diagnostic: where it failed, what was found, what was expected.
//
// X3 reports a hard failure as an expectation_failure naming the parser that was expected
// (a rule's name, a literal, or a C++ type name for unnamed parsers); a soft failure leaves the
// iterator where the file stopped matching; a semantic action can flag ParseState::failed.
// Each becomes one error at the first non-blank byte of the failure point.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>

#include "actionable/diagnostics.hpp"
#include "actionable/source.hpp"

namespace actionable::dsl::grammar {

/// The first byte at or after `p` that is neither blank nor inside a `#` comment.
inline char const* skip_blank(char const* p, char const* end) {
  for (;;) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\f' || *p == '\v')) ++p;
    if (p < end && *p == '#') {
      while (p < end && *p != '\n') ++p;
      continue;
    }
    return p;
  }
}

/// The token at `p` as the message shows it: a word (up to 40 characters), one character,
/// "end of line" or "end of file".
inline std::string describe_found(char const* p, char const* end) {
  if (p >= end) return "end of file";
  std::size_t n = 0;
  auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-' || c == ':' || c == '*';
  };
  if (is_word(*p)) {
    while (p + n < end && n < 40 && is_word(p[n])) ++n;
  } else {
    n = 1;
  }
  std::string tok(p, n);
  if (tok == "\n") return "end of line";
  return "'" + tok + "'";
}

/// What an expectation failure expected, as the message shows it.
inline std::string clean_which(std::string const& which) {
  // Named rules carry readable names; anything that looks like a C++ type name does not.
  if (which.empty() || which.find("boost") != std::string::npos || which.find("::") != std::string::npos ||
      which.find('<') != std::string::npos)
    return "something else";
  return which;
}

/// The file stopped matching at `stop` without a failed expectation.
inline void report_unexpected(SourceFile const& source, Diagnostics& diags, char const* base, char const* stop,
                              char const* last) {
  char const* at = skip_blank(stop, last);
  diags.error("E001", Span{&source, static_cast<std::uint32_t>(at - base), static_cast<std::uint32_t>(at - base + 1)},
              "syntax error: unexpected " + describe_found(at, last));
}

/// An expectation failed at `where`; `which` is X3's description of the expected parser
/// (shown raw as well when ACTIONABLE_DEBUG_X3 is set).
inline void report_expected(SourceFile const& source, Diagnostics& diags, char const* base, char const* where,
                            char const* last, std::string const& which) {
  char const* at = skip_blank(where, last);
  auto off = static_cast<std::uint32_t>(at - base);
  diags.error("E001", Span{&source, off, off + 1},
              "expected " + clean_which(which) + ", found " +
                  (std::getenv("ACTIONABLE_DEBUG_X3") ? "[" + which + "] " : std::string()) + "" +
                  describe_found(at, last));
}

}  // namespace actionable::dsl::grammar
