// How X3 results become AST nodes: the located[…] directive and the one semantic-action shape.
//
// The AST (include/actionable/detail/dsl/ast.hpp) is not fusion-adapted: every node carries
// its byte range and expressions live in a pool, so nodes are built by semantic actions at
// committed points rather than synthesized member by member. This header is that adaptation,
// written once: `located[p]` records the range of what p matched, and `act(f)` turns
// f(attribute, range, state) into a semantic action — a result becomes the rule's attribute,
// `void` means f recorded into the ParseState. `make<Node>(fill)` is the common case: a node
// at the matched range, filled from the attribute.
#pragma once

#include <boost/fusion/include/at_c.hpp>
#include <boost/spirit/home/x3.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "actionable/detail/dsl/ast.hpp"
#include "dsl/config.hpp"

namespace actionable::dsl::grammar {

using boost::fusion::at_c;

/// located[p]: parses p (after pre-skipping) and records its [begin, end) in the ParseState
/// just before the enclosing semantic action runs. (X3's _where in Boost 1.74 gives [end of
/// match, end of input), so ranges are recorded by the directive.)
template <typename Subject>
struct located_directive : x3::unary_parser<Subject, located_directive<Subject>> {
  using base_type = x3::unary_parser<Subject, located_directive<Subject>>;
  static bool const is_pass_through_unary = true;
  constexpr located_directive(Subject const& subject) : base_type(subject) {}
  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& context, RContext& rcontext, Attribute& attr) const {
    x3::skip_over(first, last, context);
    Iterator begin = first;
    if (!this->subject.parse(first, last, context, rcontext, attr)) return false;
    auto& st = state(context);
    st.loc_begin = static_cast<std::uint32_t>(begin - st.base);
    st.loc_end = static_cast<std::uint32_t>(first - st.base);
    return true;
  }
};
struct located_gen {
  template <typename Subject>
  constexpr located_directive<typename x3::extension::as_parser<Subject>::value_type> operator[](
      Subject const& subject) const {
    return {x3::as_parser(subject)};
  }
};
constexpr located_gen located{};

}  // namespace actionable::dsl::grammar

// Expectation failures report what the located subject expects, not a mangled type name.
namespace boost::spirit::x3 {
template <typename Subject>
struct get_info<actionable::dsl::grammar::located_directive<Subject>> {
  using result_type = std::string;
  std::string operator()(actionable::dsl::grammar::located_directive<Subject> const& p) const {
    return what(p.subject);
  }
};
template <typename Subject, typename Action>
struct get_info<action<actionable::dsl::grammar::located_directive<Subject>, Action>> {
  using result_type = std::string;
  std::string operator()(action<actionable::dsl::grammar::located_directive<Subject>, Action> const& p) const {
    return what(p.subject.subject);
  }
};
}  // namespace boost::spirit::x3

namespace actionable::dsl::grammar {

/// The semantic action of every located[…] in the grammar. `f(attr, where, st)` receives the
/// subject's attribute, the byte range located[…] just recorded and the parse state; a
/// non-void result is assigned to the enclosing rule's attribute (x3::_val).
template <typename F>
struct action_of {
  F f;
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    ast::Located const where{st.loc_begin, st.loc_end};
    auto& attr = x3::_attr(ctx);
    if constexpr (std::is_void_v<decltype(f(attr, where, st))>) {
      f(attr, where, st);
    } else {
      x3::_val(ctx) = f(attr, where, st);
    }
  }
};
template <typename F>
constexpr action_of<F> act(F f) {
  return {std::move(f)};
}

/// A default node of type Node at the byte range `where`.
template <typename Node>
Node node_at(ast::Located where) {
  Node n;
  n.begin = where.begin;
  n.end = where.end;
  return n;
}

/// The action that makes the rule's attribute a Node at the matched range, `fill(node, attr)`
/// setting the rest.
template <typename Node, typename Fill>
constexpr auto make(Fill fill) {
  return act([fill](auto& attr, ast::Located where, ParseState&) {
    Node n = node_at<Node>(where);
    fill(n, attr);
    return n;
  });
}

/// The attribute of `-origin`: the origin as written, or any origin.
template <typename Optional>
ast::Origin origin_or_any(Optional const& o) {
  return o ? *o : ast::Origin::kAny;
}

/// Appends an expression node and pushes it on the operand stack.
inline std::uint32_t push_node(ParseState& st, ast::ExprOp op, std::uint32_t payload, ast::Located const& loc) {
  ast::ExprNode n;
  n.op = op;
  n.payload = payload;
  n.begin = loc.begin;
  n.end = loc.end;
  st.file.pool.nodes.push_back(std::move(n));
  auto id = static_cast<std::uint32_t>(st.file.pool.nodes.size() - 1);
  st.stack.push_back(id);
  return id;
}

/// Pops the finished expression off the operand stack.
inline std::uint32_t pop_expr(ParseState& st) {
  auto id = st.stack.back();
  st.stack.pop_back();
  return id;
}

}  // namespace actionable::dsl::grammar
