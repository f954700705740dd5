// The one translation unit that instantiates the Spirit X3 grammar (STYLE habit 5), and the
// public parse() entry point: input limits (size, nesting depth) are checked by a linear
// pre-scan before X3 runs, so pathological input gives a clean error, never a stack overflow.
#include <boost/spirit/home/x3.hpp>
#include <cstdlib>

#include "actionable/dsl/parser.hpp"
#include "dsl/grammar_def.hpp"
#include "io/readers/utf8.hpp"

namespace actionable::dsl {
namespace {

/// Nesting depth of ( and { outside strings and comments; returns the offset where the limit
/// is first exceeded, or npos.
std::size_t find_too_deep(std::string const& text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"' || c == '\n') {
        in_string = false;
      }
      continue;
    }
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '(' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ')' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string::npos;
}

std::string describe_found(char const* p, char const* end) {
  if (p >= end) return "end of file";
  std::size_t n = 0;
  auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-' || c == ':' || c == '*';
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

std::string clean_which(std::string const& which) {
  // Named rules carry readable names; anything that looks like a C++ type name does not.
  if (which.empty() || which.find("boost") != std::string::npos ||
      which.find("::") != std::string::npos || which.find('<') != std::string::npos)
    return "something else";
  return which;
}

}  // namespace

std::optional<ast::File> parse(SourceFile const& source, Diagnostics& diags,
                               ParseLimits const& limits) {
  auto const& text = source.text();
  if (text.size() > limits.max_bytes) {
    diags.error("E004", Span{&source, 0, 0},
                "file is too large (" + std::to_string(text.size()) + " bytes; limit " +
                    std::to_string(limits.max_bytes) + ")");
    return std::nullopt;
  }
  // Names, strings and comments end up in result JSON, which must be UTF-8 (found by
  // tests/fuzz: a Latin-1 byte in a therapy name compiled, then every match threw).
  if (auto bad = io::detail::invalid_utf8(text)) {
    diags.error("E006", Span{&source, static_cast<std::uint32_t>(*bad), static_cast<std::uint32_t>(*bad + 1)},
                "file is not valid UTF-8 (byte " + io::detail::hex_byte(text[*bad]) + ")");
    return std::nullopt;
  }
  if (auto at = find_too_deep(text, limits.max_depth); at != std::string::npos) {
    diags.error("E005", Span{&source, static_cast<std::uint32_t>(at),
                             static_cast<std::uint32_t>(at + 1)},
                "nesting is too deep (limit " + std::to_string(limits.max_depth) + ")");
    return std::nullopt;
  }

  namespace x3 = boost::spirit::x3;
  grammar::ParseState st;
  st.base = text.data();
  st.end = text.data() + text.size();
  st.max_depth = limits.max_depth;
  char const* first = st.base;
  char const* last = st.end;
  try {
    bool ok = x3::phrase_parse(first, last, x3::with<grammar::state_tag>(std::ref(st))[grammar::file],
                               grammar::skipper);
    if (!ok) {
      char const* at = grammar::skip_blank(first, last);
      diags.error("E001", Span{&source, static_cast<std::uint32_t>(at - st.base),
                               static_cast<std::uint32_t>(at - st.base + 1)},
                  "syntax error: unexpected " + describe_found(at, last));
      return std::nullopt;
    }
  } catch (x3::expectation_failure<char const*> const& e) {
    char const* at = grammar::skip_blank(e.where(), last);
    auto off = static_cast<std::uint32_t>(at - st.base);
    diags.error("E001", Span{&source, off, off + 1},
                "expected " + clean_which(e.which()) + ", found " + (std::getenv("ACTIONABLE_DEBUG_X3") ? "[" + e.which() + "] " : std::string()) + "" + describe_found(at, last));
    return std::nullopt;
  }
  if (st.failed) {
    diags.error("E005", Span{&source, st.fail_at, st.fail_at + 1}, st.fail_message);
    return std::nullopt;
  }
  return std::move(st.file);
}

}  // namespace actionable::dsl
