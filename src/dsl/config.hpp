// X3 configuration of the rule-language parser: iterator, skipper, parse state, context type.
//
// As in Boost's spirit/example/x3 layout: src/dsl/grammar.cpp instantiates the `file` rule for
// exactly `context_type`, and src/dsl/parser.cpp calls it through that same context
// (x3::with<state_tag>(std::ref(state))[file()] under phrase_parse with `skipper`).
#pragma once

#include <boost/spirit/home/x3.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "actionable/detail/dsl/ast.hpp"

namespace actionable::dsl::grammar {

namespace x3 = boost::spirit::x3;

struct state_tag;

/// Mutable state of one parse, reached from semantic actions through x3::get<state_tag>.
struct ParseState {
  ast::File file;
  char const* base = nullptr;
  char const* end = nullptr;
  std::size_t max_depth = 256;
  std::vector<std::uint32_t> stack;  // expression operands (node ids)
  std::vector<std::uint32_t> marks;  // stack heights at the start of and/or lists
  std::vector<std::uint32_t> nots;   // pending `not` count per unary
  std::vector<ast::Clause>* clauses = nullptr;
  // First semantic error seen by an action (reported as a syntax error at that place).
  bool failed = false;
  std::uint32_t fail_at = 0;
  std::string fail_message;
  std::uint32_t loc_begin = 0, loc_end = 0;  // set by located[…]
};

template <typename Ctx>
ParseState& state(Ctx const& ctx) {
  return x3::get<state_tag>(ctx).get();
}

// ASCII classes as character ranges rather than x3::alnum, x3::space…: those pass a char to
// std::isalnum / std::isspace, sign-extended for bytes >= 0x80 (any UTF-8 letter), which is
// undefined behaviour and an assertion failure in Spirit without NDEBUG (found by tests/fuzz:
// "tumour \xC3\xB3CA"). Same classes as the "C" locale's; used by the skipper below and the
// tokens of lexical_def.hpp.
inline auto const a_upper = x3::char_('A', 'Z');
inline auto const a_lower = x3::char_('a', 'z');
inline auto const a_digit = x3::char_('0', '9');
inline auto const a_alpha = a_upper | a_lower;
inline auto const a_alnum = a_alpha | a_digit;
inline auto const a_space = x3::char_(" \t\n\r\f\v");

/// Blanks and `#` comments to the end of the line.
inline auto const skipper = a_space | x3::lexeme['#' >> *(x3::char_ - x3::eol)];

using iterator_type = char const*;
using skipper_type = std::remove_const_t<decltype(skipper)>;
using phrase_context_type = x3::phrase_parse_context<skipper_type>::type;
using context_type = x3::context<state_tag, std::reference_wrapper<ParseState>, phrase_context_type>;

}  // namespace actionable::dsl::grammar
