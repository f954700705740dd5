// The public parse() entry point of the rule language (actionable/detail/dsl/parser.hpp).
//
// Input limits (size, nesting depth) are checked by a linear pre-scan before X3 runs, so
// pathological input gives a clean error, never a stack overflow. The grammar itself is
// instantiated in src/dsl/grammar.cpp; this file sees only its declaration (grammar.hpp).
#include <functional>

#include "actionable/detail/dsl/parser.hpp"
#include "dsl/config.hpp"
#include "dsl/error_handler.hpp"
#include "dsl/grammar.hpp"
#include "util/utf8.hpp"

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
    // The nesting scan of io/patient_json.cpp's too_deep, for another language: rule text has
    // comments and parentheses, JSON has brackets and escapes; one scanner would take both.
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

}  // namespace

std::optional<ast::File> parse(SourceFile const& source, Diagnostics& diags, ParseLimits const& limits) {
  auto const& text = source.text();
  if (text.size() > limits.max_bytes) {
    diags.error("E004", Span{&source, 0, 0},
                "file is too large (" + std::to_string(text.size()) + " bytes; limit " +
                    std::to_string(limits.max_bytes) + ")");
    return std::nullopt;
  }
  // Names, strings and comments end up in result JSON, which must be UTF-8 (found by
  // tests/fuzz: a Latin-1 byte in a therapy name compiled, then every match threw).
  if (auto bad = util::invalid_utf8(text)) {
    diags.error("E006", Span{&source, static_cast<std::uint32_t>(*bad), static_cast<std::uint32_t>(*bad + 1)},
                "file is not valid UTF-8 (byte " + util::hex_byte(text[*bad]) + ")");
    return std::nullopt;
  }
  if (auto at = find_too_deep(text, limits.max_depth); at != std::string::npos) {
    diags.error("E005", Span{&source, static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + 1)},
                "nesting is too deep (limit " + std::to_string(limits.max_depth) + ")");
    return std::nullopt;
  }

  namespace x3 = boost::spirit::x3;
  grammar::ParseState st;
  st.base = text.data();
  st.end = text.data() + text.size();
  st.max_depth = limits.max_depth;
  grammar::iterator_type first = st.base;
  grammar::iterator_type last = st.end;
  try {
    bool ok = x3::phrase_parse(first, last, x3::with<grammar::state_tag>(std::ref(st))[grammar::file_rule()],
                               grammar::skipper);
    if (!ok) {
      grammar::report_unexpected(source, diags, st.base, first, last);
      return std::nullopt;
    }
  } catch (x3::expectation_failure<grammar::iterator_type> const& e) {
    grammar::report_expected(source, diags, st.base, e.where(), last, e.which());
    return std::nullopt;
  }
  if (st.failed) {
    diags.error("E005", Span{&source, st.fail_at, st.fail_at + 1}, st.fail_message);
    return std::nullopt;
  }
  return std::move(st.file);
}

}  // namespace actionable::dsl
