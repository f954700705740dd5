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

/// Blanks and `#` comments to the end of the line.
inline auto const skipper = x3::space | x3::lexeme['#' >> *(x3::char_ - x3::eol)];

using iterator_type = char const*;
using skipper_type = std::remove_const_t<decltype(skipper)>;
using phrase_context_type = x3::phrase_parse_context<skipper_type>::type;
using context_type =
    x3::context<state_tag, std::reference_wrapper<ParseState>, phrase_context_type>;

}  // namespace actionable::dsl::grammar
