// The Spirit X3 grammar of the rule language (dsl.md §1–§4, §7). Included by exactly one
// translation unit (src/dsl/grammar.cpp), which keeps X3's template work in one place.
//
// Design: leaf constructs (gene tokens, protein changes, features, atoms, biomarkers,
// clinical terms) are rules with synthesized attributes, so backtracking between
// alternatives has no side effects. Everything else is assembled by semantic actions that
// run only at committed points (after a keyword and an expectation `>`), into a ParseState
// carried in the parse context (x3::with) — no global state. Expressions are built on an
// operand stack into the file's ExprPool.
#pragma once

#include <boost/fusion/include/at_c.hpp>
#include <boost/spirit/home/x3.hpp>
#include <functional>
#include <string>
#include <vector>

#include "actionable/dsl/ast.hpp"

namespace actionable::dsl::grammar {

namespace x3 = boost::spirit::x3;
using boost::fusion::at_c;

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

// ---- helpers ------------------------------------------------------------------------

inline char const* skip_blank(char const* p, char const* end) {
  for (;;) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\f' ||
                       *p == '\v'))
      ++p;
    if (p < end && *p == '#') {
      while (p < end && *p != '\n') ++p;
      continue;
    }
    return p;
  }
}

template <typename Ctx>
ParseState& state(Ctx const& ctx) {
  return x3::get<state_tag>(ctx).get();
}

/// The byte range of the innermost `located[…]` match that just succeeded (X3's _where in
/// Boost 1.74 gives [end of match, end of input), so ranges are recorded by the directive).
template <typename Ctx>
void locate(ast::Located& l, Ctx const& ctx) {
  auto& st = state(ctx);
  l.begin = st.loc_begin;
  l.end = st.loc_end;
}

/// located[p]: parses p (after pre-skipping) and records its [begin, end) in the ParseState
/// just before the enclosing semantic action runs.
template <typename Subject>
struct located_directive : x3::unary_parser<Subject, located_directive<Subject>> {
  using base_type = x3::unary_parser<Subject, located_directive<Subject>>;
  static bool const is_pass_through_unary = true;
  constexpr located_directive(Subject const& subject) : base_type(subject) {}
  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& context, RContext& rcontext,
             Attribute& attr) const {
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
  std::string operator()(
      action<actionable::dsl::grammar::located_directive<Subject>, Action> const& p) const {
    return what(p.subject.subject);
  }
};
}  // namespace boost::spirit::x3

namespace actionable::dsl::grammar {

template <typename Ctx>
std::uint32_t push_node(Ctx const& ctx, ast::ExprOp op, std::uint32_t payload,
                        ast::Located const& loc) {
  auto& st = state(ctx);
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

// ---- lexical ------------------------------------------------------------------------

// ASCII classes as character ranges rather than x3::alnum, x3::space…: those pass a char to
// std::isalnum / std::isspace, sign-extended for bytes >= 0x80 (any UTF-8 letter), which is
// undefined behaviour and an assertion failure in Spirit without NDEBUG (found by tests/fuzz:
// "tumour \xC3\xB3CA"). Same classes as the "C" locale's.
auto const a_upper = x3::char_('A', 'Z');
auto const a_lower = x3::char_('a', 'z');
auto const a_digit = x3::char_('0', '9');
auto const a_alpha = a_upper | a_lower;
auto const a_alnum = a_alpha | a_digit;
auto const a_space = x3::char_(" \t\n\r\f\v");

auto const idchar = a_alnum | x3::char_("_.-");
inline auto kw(char const* k) { return x3::lexeme[x3::lit(k) >> !idchar]; }

auto const skipper = a_space | x3::lexeme['#' >> *(x3::char_ - x3::eol)];

x3::rule<class ident_tok, std::string> const ident_tok = "a name";
x3::rule<class gene_tok, std::string> const gene_tok = "a gene symbol";
x3::rule<class protein_tok, std::string> const protein_tok = "a protein change (p.V600E)";
x3::rule<class code_tok, std::string> const code_tok = "an OncoTree code";
x3::rule<class string_lit, std::string> const string_lit = "a quoted string";
x3::rule<class token_tok, std::string> const token_tok = "a value";

auto const ident_tok_def =
    x3::raw[x3::lexeme[(a_alpha | x3::char_('_')) >> *(a_alnum | x3::char_("_.-"))]];
auto const gene_tok_def =
    x3::raw[x3::lexeme[a_upper >> *(a_alnum | x3::char_('-')) >> !x3::char_("_.")]];
auto const pchar = a_alnum | x3::char_("_*=?");
auto const protein_tok_def = x3::raw[x3::lexeme[
    (x3::lit("p.(") >> *(x3::char_ - x3::char_(")\n\r\t ")) >> ')') |
    (x3::lit("p.") >> +(pchar | (x3::char_('-') >> &a_digit))) |
    (a_upper >> x3::repeat(0, 2)[a_lower] >> +a_digit >> *pchar)]];
auto const code_tok_def = x3::raw[x3::lexeme[+(a_alnum | x3::char_('_')) >> !x3::char_(".-")]];
auto const string_lit_def =
    x3::lexeme['"' >> *((x3::lit('\\') >> x3::char_) | ~x3::char_("\"\n")) >> '"'];
auto const token_tok_def = x3::raw[x3::lexeme[+(a_alnum | x3::char_(":._/+-"))]];

BOOST_SPIRIT_DEFINE(ident_tok, gene_tok, protein_tok, code_tok, string_lit, token_tok)

auto const integer = x3::rule<class integer_r, int>{"a whole number"} = x3::int_;
auto const number = x3::rule<class number_r, double>{"a number"} = x3::double_;


// Names with positions.
struct make_name_f {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ast::Name n;
    locate(n, ctx);
    n.text = x3::_attr(ctx);
    x3::_val(ctx) = std::move(n);
  }
};
auto const make_name = make_name_f{};

x3::rule<class ident, ast::Name> const ident = "a name";
x3::rule<class gene, ast::Name> const gene = "a gene symbol";
x3::rule<class protein, ast::Name> const protein = "a protein change (p.V600E)";
x3::rule<class code, ast::Name> const code = "an OncoTree code";
x3::rule<class string_name, ast::Name> const string_name = "a quoted string";
x3::rule<class cite_item, ast::Name> const cite_item = "a citation (PMID:…, \"…\")";
x3::rule<class level_item, ast::Name> const level_item = "an evidence level (ESCAT:I-A)";

auto const reserved = x3::lexeme[
    (x3::lit("and") | "or" | "not" | "when" | "tumour" | "require" | "exclude" | "class" |
     "therapy" | "level" | "cite" | "status" | "site" | "arm" | "rule" | "trial" | "define" |
     "precision2" | "test" | "ruleset" | "expect" | "patient" | "excluding" | "except") >>
    !idchar];

auto const ident_def = located[ident_tok][make_name];
auto const gene_def = located[gene_tok][make_name];
auto const protein_def = located[protein_tok][make_name];
auto const code_def = located[code_tok][make_name];
auto const string_name_def = located[string_lit][make_name];
auto const cite_text = x3::rule<class cite_text_r, std::string>{"a citation"} =
    string_lit | token_tok;
auto const cite_item_def = located[cite_text][make_name];
auto const level_item_def = located[token_tok][make_name];

BOOST_SPIRIT_DEFINE(ident, gene, protein, code, string_name, cite_item, level_item)

// ---- symbol tables ------------------------------------------------------------------

x3::symbols<ast::Origin> const origin_sym({{"somatic", ast::Origin::kSomatic},
                                           {"germline", ast::Origin::kGermline}});
x3::symbols<ast::Cmp> const cmp_sym({{"==", ast::Cmp::kEq}, {"=", ast::Cmp::kEq},
                                     {"!=", ast::Cmp::kNe}, {"<", ast::Cmp::kLt},
                                     {"<=", ast::Cmp::kLe}, {">", ast::Cmp::kGt},
                                     {">=", ast::Cmp::kGe}});
x3::symbols<ast::ExonEvent> const exon_event_sym(
    {{"deletion", ast::ExonEvent::kDeletion}, {"insertion", ast::ExonEvent::kInsertion},
     {"skipping", ast::ExonEvent::kSkipping}, {"mutation", ast::ExonEvent::kMutation},
     {"missense", ast::ExonEvent::kMissense}, {"truncating", ast::ExonEvent::kTruncating},
     {"inframe", ast::ExonEvent::kInframe}, {"splice", ast::ExonEvent::kSplice}});
x3::symbols<ast::FeatureKind> const simple_feature_sym(
    {{"mutation", ast::FeatureKind::kMutation}, {"missense", ast::FeatureKind::kMissense},
     {"truncating", ast::FeatureKind::kTruncating}, {"inframe", ast::FeatureKind::kInframe},
     {"splice", ast::FeatureKind::kSplice}, {"oncogenic", ast::FeatureKind::kOncogenic},
     {"deletion", ast::FeatureKind::kDeletion}, {"wildtype", ast::FeatureKind::kWildtype}});
x3::symbols<std::string> const measure_sym({{"cn", "cn"}, {"copies", "cn"}, {"ratio", "ratio"}});
x3::symbols<std::string> const msi_sym({{"high", "high"}, {"low", "low"}, {"stable", "stable"}});
x3::symbols<std::string> const posneg_sym({{"positive", "positive"}, {"negative", "negative"}});
x3::symbols<ast::ClinicalField> const numeric_field_sym({{"age", ast::ClinicalField::kAge},
                                                         {"lines", ast::ClinicalField::kLines},
                                                         {"ecog", ast::ClinicalField::kEcog}});

auto const origin = x3::rule<class origin_r, ast::Origin>{"somatic or germline"} =
    x3::lexeme[origin_sym >> !idchar];
auto const cmp = x3::rule<class cmp_r, ast::Cmp>{"a comparison (=, !=, <, <=, >, >=)"} =
    cmp_sym;
auto const exon_event =
    x3::rule<class exon_event_r, ast::ExonEvent>{
        "an exon event (deletion, insertion, skipping, mutation, missense, truncating, "
        "inframe, splice)"} = x3::lexeme[exon_event_sym >> !idchar];
auto const measure = x3::rule<class measure_r, std::string>{"cn or ratio"} =
    x3::lexeme[measure_sym >> !idchar];
auto const msi_value = x3::rule<class msi_value_r, std::string>{"high, low or stable"} =
    x3::lexeme[msi_sym >> !idchar];
auto const posneg = x3::rule<class posneg_r, std::string>{"positive or negative"} =
    x3::lexeme[posneg_sym >> !idchar];

// ---- features and atoms -------------------------------------------------------------

x3::rule<class excluding_list, std::vector<ast::Name>> const excluding_list =
    "excluding p.X, …";
auto const excluding_list_def = kw("excluding") > (protein % ',');
BOOST_SPIRIT_DEFINE(excluding_list)

x3::rule<class feature, ast::Feature> const feature =
    "an alteration feature (p.V600E, codon, exon, mutation, amplification, fusion, wildtype…)";
x3::rule<class feature_core, ast::Feature> const feature_core = "an alteration feature";
x3::rule<class gene_list, std::vector<ast::Name>> const gene_list = "a gene or (GENE | GENE)";
x3::rule<class atom, ast::Atom> const atom = "an alteration";
x3::rule<class pair_atom, ast::Atom> const pair_atom = "a fusion GENE::GENE";

struct f_protein_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ast::Feature f;
    locate(f, ctx);
    f.kind = ast::FeatureKind::kProtein;
    f.proteins = x3::_attr(ctx);
    x3::_val(ctx) = std::move(f);
  }
};
struct f_codon_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ast::Feature f;
    locate(f, ctx);
    f.kind = ast::FeatureKind::kCodon;
    f.codons = x3::_attr(ctx);
    x3::_val(ctx) = std::move(f);
  }
};
struct f_exon_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ast::Feature f;
    locate(f, ctx);
    auto& a = x3::_attr(ctx);
    f.kind = ast::FeatureKind::kExon;
    f.exon_first = at_c<0>(a);
    f.exon_last = at_c<1>(a) ? *at_c<1>(a) : f.exon_first;
    f.exon_event = at_c<2>(a);
    x3::_val(ctx) = std::move(f);
  }
};
struct f_amp_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ast::Feature f;
    locate(f, ctx);
    f.kind = ast::FeatureKind::kAmplification;
    auto& a = x3::_attr(ctx);  // optional<deque<string, Cmp, double>>
    if (a) {
      f.measure = at_c<0>(*a);
      f.cmp = at_c<1>(*a);
      f.threshold = at_c<2>(*a);
    }
    x3::_val(ctx) = std::move(f);
  }
};
struct f_fusion_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ast::Feature f;
    locate(f, ctx);
    f.kind = ast::FeatureKind::kFusion;
    auto& a = x3::_attr(ctx);  // optional<Name>
    if (a) f.partner = *a;
    x3::_val(ctx) = std::move(f);
  }
};
struct f_simple_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ast::Feature f;
    locate(f, ctx);
    f.kind = x3::_attr(ctx);
    x3::_val(ctx) = std::move(f);
  }
};
struct f_excluding_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& a = x3::_attr(ctx);  // deque<Feature, optional<vector<Name>>>
    ast::Feature f = at_c<0>(a);
    if (at_c<1>(a)) f.excluding = *at_c<1>(a);
    ast::Located l;
    locate(l, ctx);
    f.end = l.end;
    x3::_val(ctx) = std::move(f);
  }
};

auto const f_protein = x3::rule<class f_protein_r, ast::Feature>{"a protein change"} =
    located[(protein % '|')][f_protein_act{}];
auto const f_codon = x3::rule<class f_codon_r, ast::Feature>{"codon N, N"} =
    located[(kw("codon") > (integer % ','))][f_codon_act{}];
auto const f_exon = x3::rule<class f_exon_r, ast::Feature>{"exon N event"} =
    located[(kw("exon") > integer > -('-' > integer) > exon_event)][f_exon_act{}];
auto const f_amp = x3::rule<class f_amp_r, ast::Feature>{"amplification"} =
    located[(kw("amplification") >> -('(' >> measure > cmp > number > ')'))][f_amp_act{}];
auto const f_fusion = x3::rule<class f_fusion_r, ast::Feature>{"fusion"} =
    located[(kw("fusion") >> -(kw("with") > gene))][f_fusion_act{}];
auto const f_simple = x3::rule<class f_simple_r, ast::Feature>{"a feature"} =
    located[(x3::lexeme[simple_feature_sym >> !idchar])][f_simple_act{}];

auto const feature_core_def = f_codon | f_exon | f_amp | f_fusion | f_simple | f_protein;
auto const feature_def = located[(feature_core >> -excluding_list)][f_excluding_act{}];

struct gene_list_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    x3::_val(ctx) = x3::_attr(ctx);
  }
};
auto const gene_list_def =
    located[('(' >> (gene % '|') >> ')')][gene_list_act{}] | located[x3::repeat(1)[gene]][gene_list_act{}];

struct atom_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& a = x3::_attr(ctx);  // deque<optional<Origin>, vector<Name>, Feature>
    ast::Atom atom;
    locate(atom, ctx);
    atom.origin = at_c<0>(a) ? *at_c<0>(a) : ast::Origin::kAny;
    atom.genes = at_c<1>(a);
    atom.feature = at_c<2>(a);
    x3::_val(ctx) = std::move(atom);
  }
};
struct pair_core_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& a = x3::_attr(ctx);  // deque<optional<Origin>, Name, Name>
    ast::Atom atom;
    locate(atom, ctx);
    atom.origin = at_c<0>(a) ? *at_c<0>(a) : ast::Origin::kAny;
    atom.gene5 = at_c<1>(a);
    atom.genes = {at_c<2>(a)};
    atom.feature.kind = ast::FeatureKind::kFusion;
    atom.feature.begin = atom.genes[0].end;
    atom.feature.end = atom.end;
    x3::_val(ctx) = std::move(atom);
  }
};
struct pair_atom_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& a = x3::_attr(ctx);  // deque<Atom, optional<vector<Name>>>
    ast::Atom atom = at_c<0>(a);
    if (at_c<1>(a)) atom.feature.excluding = *at_c<1>(a);
    ast::Located l;
    locate(l, ctx);
    atom.end = l.end;
    x3::_val(ctx) = std::move(atom);
  }
};
auto const pair_core = x3::rule<class pair_core_r, ast::Atom>{"a fusion GENE::GENE"} =
    located[(-origin >> gene >> "::" >> gene >> kw("fusion"))][pair_core_act{}];
auto const atom_def = located[(-origin >> gene_list >> feature)][atom_act{}];
auto const pair_atom_def = located[(pair_core >> -excluding_list)][pair_atom_act{}];

BOOST_SPIRIT_DEFINE(feature, feature_core, gene_list, atom, pair_atom)

// ---- biomarkers and clinical terms --------------------------------------------------

x3::rule<class biomarker, ast::Biomarker> const biomarker = "a biomarker";
x3::rule<class clinical, ast::Clinical> const clinical = "a clinical term";

template <int Kind>
struct bm_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ast::Biomarker b;
    locate(b, ctx);
    if constexpr (Kind == 0) {  // MSI value
      b.name = "MSI";
      b.text = x3::_attr(ctx);
    } else if constexpr (Kind == 1) {
      b.name = "MSI";
      b.text = "high";
    } else if constexpr (Kind == 2) {
      b.name = "MMR";
      b.text = "deficient";
    } else if constexpr (Kind == 3) {
      b.name = "MMR";
      b.text = "proficient";
    } else if constexpr (Kind == 4) {  // TMB cmp number
      b.name = "TMB";
      b.cmp = at_c<0>(x3::_attr(ctx));
      b.number = at_c<1>(x3::_attr(ctx));
    } else if constexpr (Kind == 5) {
      b.name = "HRD";
      b.text = x3::_attr(ctx);
    }
    x3::_val(ctx) = std::move(b);
  }
};
struct bm_general_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& a = x3::_attr(ctx);  // deque<Name, Cmp, variant<double, string>>
    ast::Biomarker b;
    locate(b, ctx);
    b.name = at_c<0>(a).text;
    b.cmp = at_c<1>(a);
    auto const& v = at_c<2>(a);
    if (auto const* d = boost::get<double>(&v)) {
      b.number = *d;
    } else {
      b.text = boost::get<std::string>(v);
    }
    x3::_val(ctx) = std::move(b);
  }
};
auto const bm_value = x3::rule<class bm_value_r, boost::variant<double, std::string>>{
    "a number or a value"} = x3::double_ | string_lit | ident_tok;
auto const biomarker_def =
    (located[kw("MSI-H")][bm_act<1>{}]) | (located[(kw("MSI") > msi_value)][bm_act<0>{}]) |
    (located[kw("dMMR")][bm_act<2>{}]) | (located[kw("pMMR")][bm_act<3>{}]) |
    (located[(kw("TMB") > cmp > number)][bm_act<4>{}]) | (located[(kw("HRD") > posneg)][bm_act<5>{}]) |
    (located[(kw("biomarker") > ident > cmp > bm_value)][bm_general_act{}]);

struct cl_numeric_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& a = x3::_attr(ctx);  // deque<ClinicalField, Cmp, double>
    ast::Clinical c;
    locate(c, ctx);
    c.field = at_c<0>(a);
    c.cmp = at_c<1>(a);
    c.number = at_c<2>(a);
    x3::_val(ctx) = std::move(c);
  }
};
template <ast::ClinicalField F>
struct cl_text_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ast::Clinical c;
    locate(c, ctx);
    c.field = F;
    if constexpr (F == ast::ClinicalField::kPrior) {
      c.text = x3::_attr(ctx);
    } else {
      c.cmp = at_c<0>(x3::_attr(ctx));
      c.text = at_c<1>(x3::_attr(ctx));
    }
    x3::_val(ctx) = std::move(c);
  }
};
auto const clinical_def =
    (located[(x3::lexeme[numeric_field_sym >> !idchar] > cmp > number)][cl_numeric_act{}]) |
    (located[(kw("sex") > cmp > ident_tok)][cl_text_act<ast::ClinicalField::kSex>{}]) |
    (located[(kw("stage") > cmp > code_tok)][cl_text_act<ast::ClinicalField::kStage>{}]) |
    (located[(kw("prior") > string_lit)][cl_text_act<ast::ClinicalField::kPrior>{}]);

BOOST_SPIRIT_DEFINE(biomarker, clinical)

// ---- expressions --------------------------------------------------------------------

x3::rule<class expr> const expr = "an expression";
x3::rule<class and_expr> const and_expr = "an expression";
x3::rule<class unary> const unary = "an expression";
x3::rule<class primary> const primary =
    "an alteration, a biomarker, a clinical term, a name or '('";

struct mark_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    st.marks.push_back(static_cast<std::uint32_t>(st.stack.size()));
  }
};
template <ast::ExprOp Op>
struct fold_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    auto mark = st.marks.back();
    st.marks.pop_back();
    auto n = st.stack.size() - mark;
    if (n <= 1) return;
    ast::ExprNode node;
    node.op = Op;
    locate(node, ctx);
    node.kids.assign(st.stack.begin() + mark, st.stack.end());
    st.stack.resize(mark);
    st.file.pool.nodes.push_back(std::move(node));
    st.stack.push_back(static_cast<std::uint32_t>(st.file.pool.nodes.size() - 1));
  }
};
struct not_begin_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    state(ctx).nots.push_back(0);
  }
};
struct not_count_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    if (++st.nots.back() > st.max_depth && !st.failed) {
      ast::Located l;
      locate(l, ctx);
      st.failed = true;
      st.fail_at = l.begin;
      st.fail_message = "too many nested 'not' (limit " + std::to_string(st.max_depth) + ")";
    }
  }
};
struct not_apply_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    auto count = st.nots.back();
    st.nots.pop_back();
    ast::Located l;
    locate(l, ctx);
    for (std::uint32_t i = 0; i < count; ++i) {
      ast::ExprNode node;
      node.op = ast::ExprOp::kNot;
      node.begin = l.begin;
      node.end = l.end;
      node.kids = {st.stack.back()};
      st.stack.pop_back();
      st.file.pool.nodes.push_back(std::move(node));
      st.stack.push_back(static_cast<std::uint32_t>(st.file.pool.nodes.size() - 1));
    }
  }
};
struct push_atom_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    st.file.pool.atoms.push_back(x3::_attr(ctx));
    push_node(ctx, ast::ExprOp::kAtom,
              static_cast<std::uint32_t>(st.file.pool.atoms.size() - 1), st.file.pool.atoms.back());
  }
};
struct push_biomarker_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    st.file.pool.biomarkers.push_back(x3::_attr(ctx));
    push_node(ctx, ast::ExprOp::kBiomarker,
              static_cast<std::uint32_t>(st.file.pool.biomarkers.size() - 1),
              st.file.pool.biomarkers.back());
  }
};
struct push_clinical_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    st.file.pool.clinicals.push_back(x3::_attr(ctx));
    push_node(ctx, ast::ExprOp::kClinical,
              static_cast<std::uint32_t>(st.file.pool.clinicals.size() - 1),
              st.file.pool.clinicals.back());
  }
};
struct push_tested_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    auto& a = x3::_attr(ctx);  // deque<optional<Origin>, vector<Name>>
    ast::Tested t;
    locate(t, ctx);
    t.origin = at_c<0>(a) ? *at_c<0>(a) : ast::Origin::kAny;
    t.genes = at_c<1>(a);
    st.file.pool.tested.push_back(std::move(t));
    push_node(ctx, ast::ExprOp::kTested,
              static_cast<std::uint32_t>(st.file.pool.tested.size() - 1),
              st.file.pool.tested.back());
  }
};
struct push_ref_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    st.file.pool.refs.push_back(x3::_attr(ctx));
    push_node(ctx, ast::ExprOp::kRef, static_cast<std::uint32_t>(st.file.pool.refs.size() - 1),
              st.file.pool.refs.back());
  }
};

auto const close_paren = x3::rule<class close_paren_r>{"')'"} = x3::lit(')');
auto const expr_def = located[(located[x3::eps][mark_act{}] >> and_expr >> *(kw("or") > and_expr))]
    [fold_act<ast::ExprOp::kOr>{}];
auto const and_expr_def = located[(located[x3::eps][mark_act{}] >> unary >> *(kw("and") > unary))]
    [fold_act<ast::ExprOp::kAnd>{}];
auto const unary_def =
    located[(located[x3::eps][not_begin_act{}] >> *(located[kw("not")][not_count_act{}]) >> primary)][not_apply_act{}];
auto const primary_def =
    located[biomarker][push_biomarker_act{}] | located[clinical][push_clinical_act{}] |
    located[(kw("tested") > -origin > (gene % ','))][push_tested_act{}] | located[pair_atom][push_atom_act{}] |
    located[atom][push_atom_act{}] | ('(' > expr > close_paren) |
    located[(!reserved >> ident)][push_ref_act{}];

BOOST_SPIRIT_DEFINE(expr, and_expr, unary, primary)

auto const kw_version = x3::rule<class kw_version_r>{"'version'"} = kw("version");
auto const kw_patient = x3::rule<class kw_patient_r>{"'patient'"} = kw("patient");
auto const kw_skipping = x3::rule<class kw_skipping_r>{"'skipping'"} = kw("skipping");

// ---- declarations -------------------------------------------------------------------

template <typename Ctx>
std::uint32_t pop_expr(Ctx const& ctx) {
  auto& st = state(ctx);
  auto id = st.stack.back();
  st.stack.pop_back();
  return id;
}

template <ast::ClauseKind K>
struct expr_clause_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    ast::Clause c;
    c.kind = K;
    locate(c, ctx);
    c.expr = pop_expr(ctx);
    st.clauses->push_back(std::move(c));
  }
};
template <ast::ClauseKind K>
struct values_clause_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    ast::Clause c;
    c.kind = K;
    locate(c, ctx);
    using A = std::decay_t<decltype(x3::_attr(ctx))>;
    if constexpr (std::is_same_v<A, ast::Name>) {
      c.values = {x3::_attr(ctx)};
    } else {
      c.values = x3::_attr(ctx);
    }
    st.clauses->push_back(std::move(c));
  }
};
struct tumour_clause_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    ast::Clause c;
    c.kind = ast::ClauseKind::kTumour;
    locate(c, ctx);
    c.tumour.begin = c.begin;
    c.tumour.end = c.end;
    c.tumour.include = x3::_attr(ctx);
    st.clauses->push_back(std::move(c));
  }
};
struct tumour_except_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    auto& c = st.clauses->back();
    c.tumour.except = x3::_attr(ctx);
    ast::Located l;
    locate(l, ctx);
    c.end = c.tumour.end = l.end;
  }
};
auto const code_list = x3::rule<class code_list_r, std::vector<ast::Name>>{"an OncoTree code"} =
    code % ',';

auto const clause_when = located[(kw("when") > expr)][expr_clause_act<ast::ClauseKind::kWhen>{}];
auto const clause_require =
    located[(kw("require") > expr)][expr_clause_act<ast::ClauseKind::kRequire>{}];
auto const clause_exclude =
    located[(kw("exclude") > expr)][expr_clause_act<ast::ClauseKind::kExclude>{}];
auto const clause_tumour = located[(kw("tumour") > code_list)][tumour_clause_act{}] >
                           -(located[(kw("except") > code_list)][tumour_except_act{}]);
auto const clause_class = located[(kw("class") > ident)][values_clause_act<ast::ClauseKind::kClass>{}];
auto const clause_status =
    located[(kw("status") > ident)][values_clause_act<ast::ClauseKind::kStatus>{}];
auto const clause_therapy =
    located[(kw("therapy") > (string_name % ','))][values_clause_act<ast::ClauseKind::kTherapy>{}];
auto const clause_site =
    located[(kw("site") > (string_name % ','))][values_clause_act<ast::ClauseKind::kSite>{}];
auto const clause_level =
    located[(kw("level") > level_item)][values_clause_act<ast::ClauseKind::kLevel>{}];
auto const clause_cite =
    located[(kw("cite") > (cite_item % ','))][values_clause_act<ast::ClauseKind::kCite>{}];

auto const clause = x3::rule<class clause_r>{"a clause"} =
    clause_when | clause_tumour | clause_require | clause_exclude | clause_class |
    clause_therapy | clause_level | clause_cite | clause_status | clause_site;

struct begin_block_act {
  ast::BlockKind kind;
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    ast::Block b;
    b.kind = kind;
    locate(b, ctx);
    using A = std::decay_t<decltype(x3::_attr(ctx))>;
    if constexpr (std::is_same_v<A, ast::Name>) {
      b.name = x3::_attr(ctx);
    } else {
      b.name = at_c<0>(x3::_attr(ctx));
      if (at_c<1>(x3::_attr(ctx))) b.title = *at_c<1>(x3::_attr(ctx));
    }
    st.file.blocks.push_back(std::move(b));
    st.clauses = &st.file.blocks.back().clauses;
  }
};
struct end_block_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    ast::Located l;
    locate(l, ctx);
    st.file.blocks.back().end = l.end;
    st.clauses = nullptr;
  }
};
struct begin_arm_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    ast::Arm arm;
    locate(arm, ctx);
    arm.name = x3::_attr(ctx);
    auto& block = st.file.blocks.back();
    block.arms.push_back(std::move(arm));
    st.clauses = &block.arms.back().clauses;
  }
};
struct end_arm_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    ast::Located l;
    locate(l, ctx);
    auto& block = st.file.blocks.back();
    block.arms.back().end = l.end;
    st.clauses = &block.clauses;
  }
};

auto const close_rule = x3::rule<class close_rule_r>{
    "a clause (when, tumour, require, exclude, class, therapy, level, cite, status, site) "
    "or '}'"} = x3::lit('}');
auto const close_trial = x3::rule<class close_trial_r>{
    "an arm, a clause (status, site, cite) or '}'"} = x3::lit('}');
auto const open_brace = x3::rule<class open_brace_r>{"'{'"} = x3::lit('{');

auto const rule_block = located[(kw("rule") > ident)][begin_block_act{ast::BlockKind::kRule}] >
                        open_brace > *clause > located[close_rule][end_block_act{}];
auto const p2_block = located[(kw("precision2") > ident > -string_name)]
                          [begin_block_act{ast::BlockKind::kPrecision2}] >
                      open_brace > *clause > located[close_rule][end_block_act{}];
auto const arm = located[(kw("arm") > string_name)][begin_arm_act{}] > open_brace > *clause >
                 located[close_rule][end_arm_act{}];
auto const trial_block = located[(kw("trial") > ident > -string_name)]
                             [begin_block_act{ast::BlockKind::kTrial}] >
                         open_brace > *(arm | clause) > located[close_trial][end_block_act{}];

struct begin_define_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    ast::Define d;
    locate(d, ctx);
    d.name = x3::_attr(ctx);
    st.file.defines.push_back(std::move(d));
  }
};
struct end_define_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    ast::Located l;
    locate(l, ctx);
    st.file.defines.back().expr = pop_expr(ctx);
    st.file.defines.back().end = l.end;
  }
};
auto const define_decl =
    located[(kw("define") > ident > '=')][begin_define_act{}] > located[expr][end_define_act{}];

struct ruleset_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    ast::RulesetDecl r;
    locate(r, ctx);
    r.name = at_c<0>(x3::_attr(ctx));
    r.version = at_c<1>(x3::_attr(ctx));
    st.file.rulesets.push_back(std::move(r));
  }
};
auto const ruleset_decl =
    located[(kw("ruleset") > string_name > kw_version > string_name)][ruleset_act{}];

// ---- test blocks --------------------------------------------------------------------

template <ast::PatientItemKind K>
struct p_item_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    ast::PatientItem it;
    it.kind = K;
    locate(it, ctx);
    auto& a = x3::_attr(ctx);
    using A = std::decay_t<decltype(a)>;
    if constexpr (K == ast::PatientItemKind::kTumour || K == ast::PatientItemKind::kSex ||
                  K == ast::PatientItemKind::kStage) {
      it.value = a;
    } else if constexpr (K == ast::PatientItemKind::kAge || K == ast::PatientItemKind::kLines ||
                         K == ast::PatientItemKind::kEcog) {
      it.number = a;
    } else if constexpr (K == ast::PatientItemKind::kPrior) {
      it.names = a;
    } else if constexpr (K == ast::PatientItemKind::kTested) {
      it.origin = at_c<0>(a) ? *at_c<0>(a) : ast::Origin::kAny;
      it.names = at_c<1>(a);
    } else if constexpr (K == ast::PatientItemKind::kBiomarker) {
      static_assert(std::is_same_v<A, ast::Biomarker>);
    }
    st.file.tests.back().patient.push_back(std::move(it));
  }
};
struct p_biomarker_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    ast::PatientItem it;
    it.kind = ast::PatientItemKind::kBiomarker;
    locate(it, ctx);
    auto& b = x3::_attr(ctx);  // Biomarker (cmp ignored: "TMB 12" is read as TMB = 12)
    it.value.text = b.name;
    it.value.begin = it.begin;
    it.value.end = it.end;
    it.number = b.number;
    it.text = b.text;
    st.file.tests.back().patient.push_back(std::move(it));
  }
};

x3::rule<class p_biomarker, ast::Biomarker> const p_biomarker = "a biomarker";
auto const p_biomarker_def =
    (located[kw("MSI-H")][bm_act<1>{}]) | (located[(kw("MSI") > msi_value)][bm_act<0>{}]) |
    (located[kw("dMMR")][bm_act<2>{}]) | (located[kw("pMMR")][bm_act<3>{}]) |
    (located[(kw("TMB") > x3::attr(ast::Cmp::kEq) > number)][bm_act<4>{}]) |
    (located[(kw("HRD") > posneg)][bm_act<5>{}]) |
    (located[(kw("biomarker") > ident > x3::attr(ast::Cmp::kEq) > bm_value)][bm_general_act{}]);
BOOST_SPIRIT_DEFINE(p_biomarker)

struct p_finding_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    auto& a = x3::_attr(ctx);  // deque<optional<Origin>, Name, PatientItem>
    ast::PatientItem it = at_c<2>(a);
    ast::Located l;
    locate(l, ctx);
    it.begin = l.begin;
    it.end = l.end;
    it.origin = at_c<0>(a) ? *at_c<0>(a) : ast::Origin::kAny;
    it.gene = at_c<1>(a);
    st.file.tests.back().patient.push_back(std::move(it));
  }
};
struct p_pair_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    auto& a = x3::_attr(ctx);  // deque<optional<Origin>, Name, Name>
    ast::PatientItem it;
    it.kind = ast::PatientItemKind::kFusion;
    locate(it, ctx);
    it.origin = at_c<0>(a) ? *at_c<0>(a) : ast::Origin::kAny;
    it.gene5 = at_c<1>(a);
    it.gene = at_c<2>(a);
    st.file.tests.back().patient.push_back(std::move(it));
  }
};
template <ast::PatientItemKind K>
struct tail_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    ast::PatientItem it;
    it.kind = K;
    locate(it, ctx);
    if constexpr (K == ast::PatientItemKind::kVariant) {
      auto& a = x3::_attr(ctx);  // deque<Name, optional<int>, optional<string>>
      it.value = at_c<0>(a);
      if (at_c<1>(a)) it.number = *at_c<1>(a);
      if (at_c<2>(a)) it.text = *at_c<2>(a);
    } else if constexpr (K == ast::PatientItemKind::kAmplification) {
      auto& a = x3::_attr(ctx);  // optional<deque<string, double>>
      if (a) {
        it.measure = at_c<0>(*a);
        it.number = at_c<1>(*a);
      }
    } else if constexpr (K == ast::PatientItemKind::kExonSkipping) {
      it.number = x3::_attr(ctx);
    }
    x3::_val(ctx) = std::move(it);
  }
};
x3::symbols<std::string> const classification_sym(
    {{"pathogenic", "pathogenic"}, {"likely_pathogenic", "likely pathogenic"},
     {"oncogenic", "oncogenic"}, {"likely_oncogenic", "likely oncogenic"},
     {"vus", "VUS"}, {"benign", "benign"}, {"likely_benign", "likely benign"}});
x3::rule<class finding_tail, ast::PatientItem> const finding_tail =
    "a finding (p.X, fusion, amplification, deletion, exon N skipping)";
auto const finding_tail_def =
    (located[(protein >> -(kw("exon") > integer) >> -x3::lexeme[classification_sym >> !idchar])]
         [tail_act<ast::PatientItemKind::kVariant>{}]) |
    (located[kw("fusion")][tail_act<ast::PatientItemKind::kFusion>{}]) |
    (located[(kw("amplification") >> -('(' > measure > number > ')'))]
         [tail_act<ast::PatientItemKind::kAmplification>{}]) |
    (located[kw("deletion")][tail_act<ast::PatientItemKind::kDeletion>{}]) |
    (located[(kw("exon") > integer > kw_skipping)][tail_act<ast::PatientItemKind::kExonSkipping>{}]);
BOOST_SPIRIT_DEFINE(finding_tail)

auto const patient_item = x3::rule<class patient_item_r>{"a patient fact"} =
    (located[(kw("tumour") > code)][p_item_act<ast::PatientItemKind::kTumour>{}]) |
    (located[(kw("age") > number)][p_item_act<ast::PatientItemKind::kAge>{}]) |
    (located[(kw("lines") > number)][p_item_act<ast::PatientItemKind::kLines>{}]) |
    (located[(kw("ecog") > number)][p_item_act<ast::PatientItemKind::kEcog>{}]) |
    (located[(kw("sex") > ident)][p_item_act<ast::PatientItemKind::kSex>{}]) |
    (located[(kw("stage") > code)][p_item_act<ast::PatientItemKind::kStage>{}]) |
    (located[(kw("prior") > (string_name % ','))][p_item_act<ast::PatientItemKind::kPrior>{}]) |
    (located[(kw("tested") > -origin > (gene % ','))][p_item_act<ast::PatientItemKind::kTested>{}]) |
    located[p_biomarker][p_biomarker_act{}] |
    (located[(-origin >> gene >> "::" >> gene >> kw("fusion"))][p_pair_act{}]) |
    (located[(-origin >> gene > finding_tail)][p_finding_act{}]);

struct expect_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    auto& a = x3::_attr(ctx);  // deque<optional<unused/bool>, Name, optional<Name>, optional<Name>>
    ast::Expect e;
    locate(e, ctx);
    e.negated = static_cast<bool>(at_c<0>(a));
    e.what = at_c<1>(a);
    if (at_c<2>(a)) e.target = *at_c<2>(a);
    if (at_c<3>(a)) e.arm = *at_c<3>(a);
    st.file.tests.back().expects.push_back(std::move(e));
  }
};
struct begin_test_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    ast::TestBlock t;
    locate(t, ctx);
    t.title = x3::_attr(ctx);
    st.file.tests.push_back(std::move(t));
  }
};
struct end_test_act {
  template <typename Ctx>
  void operator()(Ctx& ctx) const {
    auto& st = state(ctx);
    ast::Located l;
    locate(l, ctx);
    st.file.tests.back().end = l.end;
  }
};
auto const expect_target = x3::rule<class expect_target_r, ast::Name>{"a target"} =
    string_name | (!reserved >> ident);
auto const expect_item =
    located[(kw("expect") > -(kw("not") >> x3::attr(true)) > ident > -expect_target >
     -(kw("arm") > string_name))][expect_act{}];
auto const close_patient =
    x3::rule<class close_patient_r>{"a patient fact (tumour, age, lines, ecog, sex, stage, "
                                    "prior, tested, a finding or a biomarker) or '}'"} =
        x3::lit('}');
auto const close_test = x3::rule<class close_test_r>{"'expect' or '}'"} = x3::lit('}');
auto const test_block = located[(kw("test") > string_name)][begin_test_act{}] > open_brace >
                        kw_patient > open_brace > *patient_item > close_patient >
                        *expect_item > located[close_test][end_test_act{}];

// ---- file ---------------------------------------------------------------------------

auto const top_end = x3::rule<class top_end_r>{
    "a declaration (ruleset, define, rule, trial, precision2 or test)"} = x3::eoi;
x3::rule<class file_r> const file = "a rule file";
auto const file_def =
    *(ruleset_decl | define_decl | rule_block | trial_block | p2_block | test_block) > top_end;
BOOST_SPIRIT_DEFINE(file)

}  // namespace actionable::dsl::grammar
