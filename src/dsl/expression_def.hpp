// Rule-language grammar, part 2: atoms, biomarker and clinical terms, expressions (dsl.md §2–§3).
//
// Included (through grammar_def.hpp) by src/dsl/grammar.cpp only. Atoms and terms are rules
// with synthesized attributes; expressions are built by actions on the ParseState's operand
// stack into the file's ExprPool (committed points only: after a keyword or an expectation).
#pragma once

#include <boost/spirit/home/x3.hpp>
#include <string>
#include <vector>

#include "actionable/detail/dsl/ast.hpp"
#include "dsl/ast_adapted.hpp"
#include "dsl/lexical_def.hpp"

namespace actionable::dsl::grammar {

// ---- features and atoms -------------------------------------------------------------

x3::rule<class excluding_list, std::vector<ast::Name>> const excluding_list = "excluding p.X, …";
auto const excluding_list_def = kw("excluding") > (protein % ',');
BOOST_SPIRIT_DEFINE(excluding_list)

x3::rule<class feature, ast::Feature> const feature =
    "an alteration feature (p.V600E, codon, exon, mutation, amplification, fusion, wildtype…)";
x3::rule<class feature_core, ast::Feature> const feature_core = "an alteration feature";
x3::rule<class gene_list, std::vector<ast::Name>> const gene_list = "a gene or (GENE | GENE)";
x3::rule<class atom, ast::Atom> const atom = "an alteration";
x3::rule<class pair_atom, ast::Atom> const pair_atom = "a fusion GENE::GENE";

auto const f_protein_act = make<ast::Feature>([](ast::Feature& f, auto const& proteins) {
  f.kind = ast::FeatureKind::kProtein;
  f.proteins = proteins;
});
auto const f_codon_act = make<ast::Feature>([](ast::Feature& f, auto const& codons) {
  f.kind = ast::FeatureKind::kCodon;
  f.codons = codons;
});
auto const f_exon_act = make<ast::Feature>([](ast::Feature& f, auto const& a) {
  f.kind = ast::FeatureKind::kExon;
  f.exon_first = at_c<0>(a);
  f.exon_last = at_c<1>(a) ? *at_c<1>(a) : f.exon_first;
  f.exon_event = at_c<2>(a);
});
auto const f_amp_act = make<ast::Feature>([](ast::Feature& f, auto const& a) {
  f.kind = ast::FeatureKind::kAmplification;
  if (a) {  // optional<deque<string, Cmp, double>>
    f.measure = at_c<0>(*a);
    f.cmp = at_c<1>(*a);
    f.threshold = at_c<2>(*a);
  }
});
auto const f_fusion_act = make<ast::Feature>([](ast::Feature& f, auto const& partner) {
  f.kind = ast::FeatureKind::kFusion;
  if (partner) f.partner = *partner;
});
auto const f_simple_act = make<ast::Feature>([](ast::Feature& f, ast::FeatureKind kind) { f.kind = kind; });
/// A feature (or an A::B atom) followed by `excluding …`: the range grows to cover the list.
auto const with_excluding_act = act([](auto const& a, ast::Located where, ParseState&) {
  auto node = at_c<0>(a);  // Feature or Atom
  if (at_c<1>(a)) {
    if constexpr (std::is_same_v<decltype(node), ast::Atom>) {
      node.feature.excluding = *at_c<1>(a);
    } else {
      node.excluding = *at_c<1>(a);
    }
  }
  node.end = where.end;
  return node;
});

auto const f_protein = x3::rule<class f_protein_r, ast::Feature>{"a protein change"} =
    located[(protein % '|')][f_protein_act];
auto const f_codon = x3::rule<class f_codon_r, ast::Feature>{"codon N, N"} =
    located[(kw("codon") > (integer % ','))][f_codon_act];
auto const f_exon = x3::rule<class f_exon_r, ast::Feature>{"exon N event"} =
    located[(kw("exon") > integer > -('-' > integer) > exon_event)][f_exon_act];
auto const f_amp = x3::rule<class f_amp_r, ast::Feature>{"amplification"} =
    located[(kw("amplification") >> -('(' >> measure > cmp > number > ')'))][f_amp_act];
auto const f_fusion = x3::rule<class f_fusion_r, ast::Feature>{"fusion"} =
    located[(kw("fusion") >> -(kw("with") > gene))][f_fusion_act];
auto const f_simple = x3::rule<class f_simple_r, ast::Feature>{"a feature"} =
    located[(x3::lexeme[simple_feature_sym >> !idchar])][f_simple_act];

auto const feature_core_def = f_codon | f_exon | f_amp | f_fusion | f_simple | f_protein;
auto const feature_def = located[(feature_core >> -excluding_list)][with_excluding_act];

auto const gene_list_act = act([](auto const& genes, ast::Located, ParseState&) { return genes; });
auto const gene_list_def =
    located[('(' >> (gene % '|') >> ')')][gene_list_act] | located[x3::repeat(1)[gene]][gene_list_act];

auto const atom_act = make<ast::Atom>([](ast::Atom& atom, auto const& a) {
  atom.origin = origin_or_any(at_c<0>(a));  // deque<optional<Origin>, vector<Name>, Feature>
  atom.genes = at_c<1>(a);
  atom.feature = at_c<2>(a);
});
auto const pair_core_act = make<ast::Atom>([](ast::Atom& atom, auto const& a) {
  atom.origin = origin_or_any(at_c<0>(a));  // deque<optional<Origin>, Name, Name>
  atom.gene5 = at_c<1>(a);
  atom.genes = {at_c<2>(a)};
  atom.feature.kind = ast::FeatureKind::kFusion;
  atom.feature.begin = atom.genes[0].end;
  atom.feature.end = atom.end;
});
auto const pair_core = x3::rule<class pair_core_r, ast::Atom>{"a fusion GENE::GENE"} =
    located[(-origin >> gene >> "::" >> gene >> kw("fusion"))][pair_core_act];
auto const atom_def = located[(-origin >> gene_list >> feature)][atom_act];
auto const pair_atom_def = located[(pair_core >> -excluding_list)][with_excluding_act];

BOOST_SPIRIT_DEFINE(feature, feature_core, gene_list, atom, pair_atom)

// ---- biomarkers and clinical terms --------------------------------------------------

x3::rule<class biomarker, ast::Biomarker> const biomarker = "a biomarker";
x3::rule<class clinical, ast::Clinical> const clinical = "a clinical term";

/// A biomarker written as one word (MSI-H, dMMR, pMMR).
inline auto bm_fixed(char const* name, char const* text) {
  return make<ast::Biomarker>([name, text](ast::Biomarker& b, auto const&) {
    b.name = name;
    b.text = text;
  });
}
/// A categorical biomarker: NAME value.
inline auto bm_category(char const* name) {
  return make<ast::Biomarker>([name](ast::Biomarker& b, std::string const& value) {
    b.name = name;
    b.text = value;
  });
}
auto const bm_tmb_act = make<ast::Biomarker>([](ast::Biomarker& b, auto const& a) {
  b.name = "TMB";  // deque<Cmp, double>
  b.cmp = at_c<0>(a);
  b.number = at_c<1>(a);
});
auto const bm_general_act = make<ast::Biomarker>([](ast::Biomarker& b, auto const& a) {
  b.name = at_c<0>(a).text;  // deque<Name, Cmp, variant<double, string>>
  b.cmp = at_c<1>(a);
  auto const& v = at_c<2>(a);
  if (auto const* d = boost::get<double>(&v)) {
    b.number = *d;
  } else {
    b.text = boost::get<std::string>(v);
  }
});
auto const bm_value = x3::rule<class bm_value_r, boost::variant<double, std::string>>{"a number or a value"} =
    x3::double_ | string_lit | ident_tok;

/// Protein atoms (docs/language.md, "Protein biomarkers").
auto const bm_her2_status_act = make<ast::Biomarker>([](ast::Biomarker& b, std::string const& status) {
  b.name = "HER2";
  b.protein = true;
  b.derived = status;
});
auto const bm_pdl1_act = make<ast::Biomarker>([](ast::Biomarker& b, auto const& a) {
  b.name = "PDL1";  // deque<string score, Cmp, double, optional<string> assay>
  b.protein = true;
  b.method = "IHC";
  b.score = at_c<0>(a);
  b.cmp = at_c<1>(a);
  b.number = at_c<2>(a);
  if (at_c<3>(a)) b.assay = *at_c<3>(a);
});
auto const bm_protein_number_act = make<ast::Biomarker>([](ast::Biomarker& b, auto const& a) {
  b.marker = at_c<0>(a);  // deque<Name, string method, Cmp, double, optional<string>>
  b.name = b.marker.text;
  b.protein = true;
  b.method = at_c<1>(a);
  b.cmp = at_c<2>(a);
  b.number = at_c<3>(a);
  if (at_c<4>(a)) b.assay = *at_c<4>(a);
});
auto const bm_protein_values_act = make<ast::Biomarker>([](ast::Biomarker& b, auto const& a) {
  b.marker = at_c<0>(a);  // deque<Name, string method, vector<Name>, optional<string>>
  b.name = b.marker.text;
  b.protein = true;
  b.method = at_c<1>(a);
  b.values = at_c<2>(a);
  if (at_c<3>(a)) b.assay = *at_c<3>(a);
});

/// The biomarker terms, written once over the comparator of TMB and `biomarker NAME`:
/// `cmp` in expressions, x3::attr(Cmp::kEq) in test patients ("TMB 12" is read as TMB = 12).
template <typename Comparator>
auto biomarker_terms(Comparator const& comparator) {
  return (located[her2_status][bm_her2_status_act]) |
         (located[((kw("PDL1") | kw("PD-L1")) >> pscore > comparator > (number >> !x3::lit('+')) > -passay)]
                 [bm_pdl1_act]) |
         (located[(ident >> pmethod >> comparator >> (number >> !x3::lit('+')) >> -passay)][bm_protein_number_act]) |
         (located[(ident >> pmethod > (pvalue % '|') > -passay)][bm_protein_values_act]) |
         (located[kw("MSI-H")][bm_fixed("MSI", "high")]) | (located[(kw("MSI") > msi_value)][bm_category("MSI")]) |
         (located[kw("dMMR")][bm_fixed("MMR", "deficient")]) | (located[kw("pMMR")][bm_fixed("MMR", "proficient")]) |
         (located[(kw("TMB") > comparator > number)][bm_tmb_act]) |
         (located[(kw("HRD") > posneg)][bm_category("HRD")]) |
         (located[(kw("biomarker") > ident > comparator > bm_value)][bm_general_act]);
}
auto const biomarker_def = biomarker_terms(cmp);

auto const cl_numeric_act = make<ast::Clinical>([](ast::Clinical& c, auto const& a) {
  c.field = at_c<0>(a);  // deque<ClinicalField, Cmp, double>
  c.cmp = at_c<1>(a);
  c.number = at_c<2>(a);
});
/// sex / stage: FIELD cmp value.
inline auto cl_compared(ast::ClinicalField field) {
  return make<ast::Clinical>([field](ast::Clinical& c, auto const& a) {
    c.field = field;
    c.cmp = at_c<0>(a);
    c.text = at_c<1>(a);
  });
}
auto const cl_prior_act = make<ast::Clinical>([](ast::Clinical& c, std::string const& drug) {
  c.field = ast::ClinicalField::kPrior;
  c.text = drug;
});
/// disease_status "…", brain_metastases STATE, prior class ATC: FIELD text.
inline auto cl_text(ast::ClinicalField field) {
  return make<ast::Clinical>([field](ast::Clinical& c, std::string const& text) {
    c.field = field;
    c.text = text;
  });
}
/// measurable disease, pregnant: no operand.
inline auto cl_flag(ast::ClinicalField field) {
  return make<ast::Clinical>([field](ast::Clinical& c, auto const&) { c.field = field; });
}
auto const cl_lab_act = make<ast::Clinical>([](ast::Clinical& c, auto const& a) {
  c.field = ast::ClinicalField::kLab;  // deque<string, Cmp, double, string>
  c.name = at_c<0>(a);
  c.cmp = at_c<1>(a);
  c.number = at_c<2>(a);
  c.unit = at_c<3>(a);
});
auto const cl_washout_act = make<ast::Clinical>([](ast::Clinical& c, auto const& a) {
  c.field = ast::ClinicalField::kWashout;  // deque<Cmp, double, double (days per unit)>
  c.cmp = at_c<0>(a);
  c.number = at_c<1>(a) * at_c<2>(a);
});
x3::symbols<double> const duration_sym({{"days", 1}, {"day", 1}, {"weeks", 7}, {"week", 7}});
auto const duration = x3::rule<class duration_r, double>{"days or weeks"} = x3::lexeme[duration_sym >> !idchar];
x3::symbols<std::string> const brain_sym({{"none", "none"},
                                          {"treated_stable", "treated_stable"},
                                          {"active", "active"}});
auto const brain_state = x3::rule<class brain_state_r, std::string>{"none, treated_stable or active"} =
    x3::lexeme[brain_sym >> !idchar];
/// A unit: letters, digits and ^ / % . * (10^9/L, mL/min, g/dL, µmol/L), or `x ULN`.
auto const unit_tok = x3::rule<class unit_tok_r, std::string>{"a unit (mL/min, 10^9/L, g/dL, x ULN)"} =
    (kw("x") >> kw("ULN") >> x3::attr(std::string("x ULN"))) |
    x3::raw[x3::lexeme[+(a_alnum | x3::char_("^/%.*") | x3::lit("\xC2\xB5"))]];
auto const clinical_def = (located[(x3::lexeme[numeric_field_sym >> !idchar] > cmp > number)][cl_numeric_act]) |
                          (located[(kw("sex") > cmp > ident_tok)][cl_compared(ast::ClinicalField::kSex)]) |
                          (located[(kw("stage") > cmp > code_tok)][cl_compared(ast::ClinicalField::kStage)]) |
                          (located[(kw("prior") >> kw("class") > code_tok)][cl_text(ast::ClinicalField::kPriorClass)]) |
                          (located[(kw("prior") > string_lit)][cl_prior_act]) |
                          (located[(kw("disease_status") > string_lit)][cl_text(ast::ClinicalField::kDiseaseStatus)]) |
                          (located[(kw("lab") > ident_tok > cmp > number > unit_tok)][cl_lab_act]) |
                          (located[(kw("washout") > cmp > number > duration)][cl_washout_act]) |
                          (located[(kw("brain_metastases") > brain_state)][cl_text(ast::ClinicalField::kBrainMets)]) |
                          (located[(kw("measurable") > kw("disease"))][cl_flag(ast::ClinicalField::kMeasurable)]) |
                          (located[kw("pregnant")][cl_flag(ast::ClinicalField::kPregnant)]);

BOOST_SPIRIT_DEFINE(biomarker, clinical)

// ---- expressions --------------------------------------------------------------------

x3::rule<class expr> const expr = "an expression";
x3::rule<class and_expr> const and_expr = "an expression";
x3::rule<class unary> const unary = "an expression";
x3::rule<class primary> const primary = "an alteration, a biomarker, a clinical term, a name or '('";

/// Start of an and/or list: remember the operand stack height.
auto const mark_act = act(
    [](auto const&, ast::Located, ParseState& st) { st.marks.push_back(static_cast<std::uint32_t>(st.stack.size())); });
/// End of an and/or list: two or more operands become one `op` node.
inline auto fold(ast::ExprOp op) {
  return act([op](auto const&, ast::Located where, ParseState& st) {
    auto mark = st.marks.back();
    st.marks.pop_back();
    auto n = st.stack.size() - mark;
    if (n <= 1) return;
    auto node = node_at<ast::ExprNode>(where);
    node.op = op;
    node.kids.assign(st.stack.begin() + mark, st.stack.end());
    st.stack.resize(mark);
    st.file.pool.nodes.push_back(std::move(node));
    st.stack.push_back(static_cast<std::uint32_t>(st.file.pool.nodes.size() - 1));
  });
}
auto const not_begin_act = act([](auto const&, ast::Located, ParseState& st) { st.nots.push_back(0); });
auto const not_count_act = act([](auto const&, ast::Located where, ParseState& st) {
  if (++st.nots.back() > st.max_depth && !st.failed) {
    st.failed = true;
    st.fail_at = where.begin;
    st.fail_message = "too many nested 'not' (limit " + std::to_string(st.max_depth) + ")";
  }
});
auto const not_apply_act = act([](auto const&, ast::Located where, ParseState& st) {
  auto count = st.nots.back();
  st.nots.pop_back();
  for (std::uint32_t i = 0; i < count; ++i) {
    auto node = node_at<ast::ExprNode>(where);
    node.op = ast::ExprOp::kNot;
    node.kids = {st.stack.back()};
    st.stack.pop_back();
    st.file.pool.nodes.push_back(std::move(node));
    st.stack.push_back(static_cast<std::uint32_t>(st.file.pool.nodes.size() - 1));
  }
});
/// A leaf (the attribute, or `to_leaf(attribute, where)`) appended to its pool, and its node.
template <typename Leaf, typename ToLeaf>
auto push_leaf(std::vector<Leaf> ast::ExprPool::*pool, ast::ExprOp op, ToLeaf to_leaf) {
  return act([pool, op, to_leaf](auto const& attr, ast::Located where, ParseState& st) {
    auto& leaves = st.file.pool.*pool;
    leaves.push_back(to_leaf(attr, where));
    push_node(st, op, static_cast<std::uint32_t>(leaves.size() - 1), leaves.back());
  });
}
template <typename Leaf>
auto push_leaf(std::vector<Leaf> ast::ExprPool::*pool, ast::ExprOp op) {
  return push_leaf(pool, op, [](Leaf const& leaf, ast::Located) { return leaf; });
}
auto const push_tested_act =
    push_leaf(&ast::ExprPool::tested, ast::ExprOp::kTested, [](auto const& a, ast::Located where) {
      auto t = node_at<ast::Tested>(where);  // deque<optional<Origin>, vector<Name>>
      t.origin = origin_or_any(at_c<0>(a));
      t.genes = at_c<1>(a);
      return t;
    });
auto const push_atom_act = push_leaf(&ast::ExprPool::atoms, ast::ExprOp::kAtom);

auto const close_paren = x3::rule<class close_paren_r>{"')'"} = x3::lit(')');
auto const expr_def =
    located[(located[x3::eps][mark_act] >> and_expr >> *(kw("or") > and_expr))][fold(ast::ExprOp::kOr)];
auto const and_expr_def =
    located[(located[x3::eps][mark_act] >> unary >> *(kw("and") > unary))][fold(ast::ExprOp::kAnd)];
auto const unary_def =
    located[(located[x3::eps][not_begin_act] >> *(located[kw("not")][not_count_act]) >> primary)][not_apply_act];
auto const primary_def = located[biomarker][push_leaf(&ast::ExprPool::biomarkers, ast::ExprOp::kBiomarker)] |
                         located[clinical][push_leaf(&ast::ExprPool::clinicals, ast::ExprOp::kClinical)] |
                         located[(kw("tested") > -origin > (tested_item % ','))][push_tested_act] |
                         located[pair_atom][push_atom_act] | located[atom][push_atom_act] | ('(' > expr > close_paren) |
                         located[(!reserved >> ident)][push_leaf(&ast::ExprPool::refs, ast::ExprOp::kRef)];

BOOST_SPIRIT_DEFINE(expr, and_expr, unary, primary)

}  // namespace actionable::dsl::grammar
