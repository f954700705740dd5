// Rule-language grammar, part 3: clauses, blocks, defines, tests, the file rule (dsl.md §1 §4 §7).
//
// Included by exactly one translation unit (src/dsl/grammar.cpp), which keeps X3's template
// work in one place. Blocks, clauses and test facts are recorded by semantic actions into the
// ParseState (config.hpp) carried in the parse context — no global state.
#pragma once

#include <boost/spirit/home/x3.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "actionable/detail/dsl/ast.hpp"
#include "dsl/ast_adapted.hpp"
#include "dsl/expression_def.hpp"
#include "dsl/grammar.hpp"
#include "dsl/lexical_def.hpp"

namespace actionable::dsl::grammar {

// ---- declarations -------------------------------------------------------------------

/// Appends a clause of kind `kind` at the matched range to the open block or arm;
/// `fill(clause, attr)` sets its content.
template <typename Fill>
auto add_clause(ast::ClauseKind kind, Fill fill) {
  return act([kind, fill](auto& attr, ast::Located where, ParseState& st) {
    auto c = node_at<ast::Clause>(where);
    c.kind = kind;
    fill(c, attr, st);
    st.clauses->push_back(std::move(c));
  });
}
/// when / require / exclude EXPR.
inline auto expr_clause(ast::ClauseKind kind) {
  return add_clause(kind, [](ast::Clause& c, auto const&, ParseState& st) { c.expr = pop_expr(st); });
}
/// class / status NAME; therapy / site / cite "…", …; level L.
inline auto values_clause(ast::ClauseKind kind) {
  return add_clause(kind, [](ast::Clause& c, auto const& values, ParseState&) {
    if constexpr (std::is_same_v<std::decay_t<decltype(values)>, ast::Name>) {
      c.values = {values};
    } else {
      c.values = values;
    }
  });
}
auto const tumour_clause_act = add_clause(ast::ClauseKind::kTumour, [](ast::Clause& c, auto const& codes, ParseState&) {
  c.tumour.begin = c.begin;
  c.tumour.end = c.end;
  c.tumour.include = codes;
});
auto const tumour_except_act = act([](auto const& codes, ast::Located where, ParseState& st) {
  auto& c = st.clauses->back();
  c.tumour.except = codes;
  c.end = c.tumour.end = where.end;
});
auto const code_list = x3::rule<class code_list_r, std::vector<ast::Name>>{"an OncoTree code"} = code % ',';

auto const clause_when = located[(kw("when") > expr)][expr_clause(ast::ClauseKind::kWhen)];
auto const clause_require = located[(kw("require") > expr)][expr_clause(ast::ClauseKind::kRequire)];
auto const clause_exclude = located[(kw("exclude") > expr)][expr_clause(ast::ClauseKind::kExclude)];
auto const clause_tumour = located[(kw("tumour") > code_list)][tumour_clause_act] >
                           -(located[(kw("except") > code_list)][tumour_except_act]);
auto const clause_class = located[(kw("class") > ident)][values_clause(ast::ClauseKind::kClass)];
auto const clause_status = located[(kw("status") > ident)][values_clause(ast::ClauseKind::kStatus)];
auto const clause_therapy = located[(kw("therapy") > (string_name % ','))][values_clause(ast::ClauseKind::kTherapy)];
/// `site "UZ Leuven", "…"` (names only) or `site BE-UZL recruiting [slots 3]` (a registry
/// centre code, its status and optional open slots; one line per centre: docs/language.md).
auto const centre_tok = x3::rule<class centre_tok_r, std::string>{"a centre code (BE-UZL)"} =
    x3::raw[x3::lexeme[+(a_alnum | x3::char_("_.-"))]];
auto const centre_name = x3::rule<class centre_name_r, ast::Name>{"a centre code (BE-UZL)"} =
    located[centre_tok][make_name];
auto const site_status = x3::rule<class site_status_r, ast::Name>{"a site status (recruiting, suspended, closed)"} =
    ident;
auto const slots_tok = x3::rule<class slots_tok_r, std::string>{"a number of slots"} =
    x3::raw[x3::lexeme[+a_digit >> !idchar]];
auto const slots_count = x3::rule<class slots_count_r, ast::Name>{"a number of slots"} = located[slots_tok][make_name];
auto const centre_act = add_clause(ast::ClauseKind::kCentre, [](ast::Clause& c, auto const& a, ParseState&) {
  c.values = {at_c<0>(a), at_c<1>(a)};
  if (at_c<2>(a)) c.values.push_back(*at_c<2>(a));
});
auto const clause_site =
    located[(kw("site") >> &x3::lit('"') > (string_name % ','))][values_clause(ast::ClauseKind::kSite)] |
    located[(kw("site") > centre_name > site_status > -(kw("slots") > slots_count))][centre_act];
/// `phase 2`: 1 | 1/2 | 2 | 2/3 | 3 (checked by sema).
auto const phase_tok = x3::rule<class phase_tok_r, std::string>{"a trial phase (1, 1/2, 2, 2/3, 3)"} =
    x3::raw[x3::lexeme[+a_digit >> -('/' >> +a_digit) >> !idchar]];
auto const phase_value = x3::rule<class phase_value_r, ast::Name>{"a trial phase (1, 1/2, 2, 2/3, 3)"} =
    located[phase_tok][make_name];
auto const clause_phase = located[(kw("phase") > phase_value)][values_clause(ast::ClauseKind::kPhase)];
auto const clause_level = located[(kw("level") > level_item)][values_clause(ast::ClauseKind::kLevel)];
/// `direction [not] sensitivity`: values = [not,] direction (the `not` keeps its span).
auto const direction_not_tok = x3::rule<class direction_not_tok_r, std::string>{"'not'"} = x3::raw[kw("not")];
auto const direction_not = x3::rule<class direction_not_r, ast::Name>{"'not'"} = located[direction_not_tok][make_name];
auto const direction_act = add_clause(ast::ClauseKind::kDirection, [](ast::Clause& c, auto const& a, ParseState&) {
  if (at_c<0>(a)) c.values.push_back(*at_c<0>(a));
  c.values.push_back(at_c<1>(a));
});
auto const clause_direction = located[(kw("direction") > -direction_not > ident)][direction_act];
auto const clause_cite = located[(kw("cite") > (cite_item % ','))][values_clause(ast::ClauseKind::kCite)];

auto const clause = x3::rule<class clause_r>{"a clause"} =
    clause_when | clause_tumour | clause_require | clause_exclude | clause_class | clause_therapy | clause_level |
    clause_cite | clause_status | clause_site | clause_phase | clause_direction;

/// rule NAME / precision2 NAME ["title"] / trial NAME ["title"]: opens a block.
inline auto begin_block(ast::BlockKind kind) {
  return act([kind](auto const& a, ast::Located where, ParseState& st) {
    auto b = node_at<ast::Block>(where);
    b.kind = kind;
    if constexpr (std::is_same_v<std::decay_t<decltype(a)>, ast::Name>) {
      b.name = a;
    } else {
      b.name = at_c<0>(a);
      if (at_c<1>(a)) b.title = *at_c<1>(a);
    }
    st.file.blocks.push_back(std::move(b));
    st.clauses = &st.file.blocks.back().clauses;
  });
}
auto const end_block_act = act([](auto const&, ast::Located where, ParseState& st) {
  st.file.blocks.back().end = where.end;
  st.clauses = nullptr;
});
auto const begin_arm_act = act([](ast::Name const& name, ast::Located where, ParseState& st) {
  auto arm = node_at<ast::Arm>(where);
  arm.name = name;
  auto& block = st.file.blocks.back();
  block.arms.push_back(std::move(arm));
  st.clauses = &block.arms.back().clauses;
});
auto const end_arm_act = act([](auto const&, ast::Located where, ParseState& st) {
  auto& block = st.file.blocks.back();
  block.arms.back().end = where.end;
  st.clauses = &block.clauses;
});

auto const close_rule = x3::rule<class close_rule_r>{
    "a clause (when, tumour, require, exclude, class, therapy, level, cite, status, site, "
    "phase, direction) or '}'"} = x3::lit('}');
auto const close_trial = x3::rule<class close_trial_r>{"an arm, a clause (status, phase, site, cite) or '}'"} =
    x3::lit('}');
auto const open_brace = x3::rule<class open_brace_r>{"'{'"} = x3::lit('{');

auto const rule_block = located[(kw("rule") > ident)][begin_block(ast::BlockKind::kRule)] > open_brace > *clause >
                        located[close_rule][end_block_act];
auto const p2_block = located[(kw("precision2") > ident > -string_name)][begin_block(ast::BlockKind::kPrecision2)] >
                      open_brace > *clause > located[close_rule][end_block_act];
auto const arm =
    located[(kw("arm") > string_name)][begin_arm_act] > open_brace > *clause > located[close_rule][end_arm_act];
auto const trial_block = located[(kw("trial") > ident > -string_name)][begin_block(ast::BlockKind::kTrial)] >
                         open_brace > *(arm | clause) > located[close_trial][end_block_act];

auto const begin_define_act = act([](ast::Name const& name, ast::Located where, ParseState& st) {
  auto d = node_at<ast::Define>(where);
  d.name = name;
  st.file.defines.push_back(std::move(d));
});
auto const end_define_act = act([](auto const&, ast::Located where, ParseState& st) {
  st.file.defines.back().expr = pop_expr(st);
  st.file.defines.back().end = where.end;
});
auto const define_decl = located[(kw("define") > ident > '=')][begin_define_act] > located[expr][end_define_act];

auto const ruleset_act = act([](auto const& a, ast::Located where, ParseState& st) {
  auto r = node_at<ast::RulesetDecl>(where);
  r.name = at_c<0>(a);
  r.version = at_c<1>(a);
  st.file.rulesets.push_back(std::move(r));
});
auto const ruleset_decl = located[(kw("ruleset") > string_name > kw_version > string_name)][ruleset_act];

// ---- test blocks --------------------------------------------------------------------

/// Appends a patient fact at the matched range to the open test; `fill(item, attr)` sets it.
template <typename Fill>
auto add_fact(Fill fill) {
  return act([fill](auto const& attr, ast::Located where, ParseState& st) {
    auto it = node_at<ast::PatientItem>(where);
    fill(it, attr);
    st.file.tests.back().patient.push_back(std::move(it));
  });
}
/// A fact of kind `kind` whose attribute is its value (tumour, sex, stage), its number (age,
/// lines, ecog) or its names (prior).
template <auto Field>
auto fact(ast::PatientItemKind kind) {
  return add_fact([kind](ast::PatientItem& it, auto const& a) {
    it.kind = kind;
    it.*Field = a;
  });
}
auto const tested_fact = add_fact([](ast::PatientItem& it, auto const& a) {
  it.kind = ast::PatientItemKind::kTested;  // deque<optional<Origin>, vector<Name>>
  it.origin = origin_or_any(at_c<0>(a));
  it.names = at_c<1>(a);
});
auto const biomarker_fact = add_fact([](ast::PatientItem& it, ast::Biomarker const& b) {
  it.kind = ast::PatientItemKind::kBiomarker;  // (cmp ignored: "TMB 12" is read as TMB = 12)
  it.value.text = b.name;
  it.value.begin = it.begin;
  it.value.end = it.end;
  it.number = b.number;
  it.text = b.text;
  if (b.protein) {
    it.value.text = b.name;
    it.method = b.method;
    it.score = b.score;
    it.assay = b.assay;
    if (!b.values.empty()) it.text = b.values.front().text;
    if (!b.derived.empty()) it.text = "HER2-" + b.derived;  // rejected by sema: not a result
  }
});
auto const finding_fact = add_fact([](ast::PatientItem& it, auto const& a) {
  ast::PatientItem tail = at_c<2>(a);  // deque<optional<Origin>, Name, PatientItem>
  tail.begin = it.begin;
  tail.end = it.end;
  tail.origin = origin_or_any(at_c<0>(a));
  tail.gene = at_c<1>(a);
  it = std::move(tail);
});
auto const prior_fact = add_fact([](ast::PatientItem& it, auto const& a) {
  it.kind = ast::PatientItemKind::kPrior;  // deque<vector<Name>, optional<string>>
  it.names = at_c<0>(a);
  if (at_c<1>(a)) it.ended = *at_c<1>(a);
});
auto const lab_fact = add_fact([](ast::PatientItem& it, auto const& a) {
  it.kind = ast::PatientItemKind::kLab;  // deque<Name, double, string>
  it.value = at_c<0>(a);
  it.number = at_c<1>(a);
  it.text = at_c<2>(a);
});
/// yes / no facts (measurable_disease, pregnant) as 1 / 0.
inline auto yes_no_fact(ast::PatientItemKind kind) {
  return add_fact([kind](ast::PatientItem& it, bool yes) {
    it.kind = kind;
    it.number = yes ? 1 : 0;
  });
}
x3::symbols<bool> const yes_no_sym({{"yes", true}, {"no", false}});
auto const yes_no = x3::rule<class yes_no_r, bool>{"yes or no"} = x3::lexeme[yes_no_sym >> !idchar];
auto const pair_fact = add_fact([](ast::PatientItem& it, auto const& a) {
  it.kind = ast::PatientItemKind::kFusion;  // deque<optional<Origin>, Name, Name>
  it.origin = origin_or_any(at_c<0>(a));
  it.gene5 = at_c<1>(a);
  it.gene = at_c<2>(a);
});

x3::rule<class p_biomarker, ast::Biomarker> const p_biomarker = "a biomarker";
auto const p_biomarker_def = biomarker_terms(x3::attr(ast::Cmp::kEq));
BOOST_SPIRIT_DEFINE(p_biomarker)

/// The finding after the gene of a patient fact (the rule's attribute).
template <typename Fill>
auto tail(ast::PatientItemKind kind, Fill fill) {
  return make<ast::PatientItem>([kind, fill](ast::PatientItem& it, auto const& a) {
    it.kind = kind;
    fill(it, a);
  });
}
auto const no_more = [](ast::PatientItem&, auto const&) {};
auto const variant_tail = tail(ast::PatientItemKind::kVariant, [](ast::PatientItem& it, auto const& a) {
  it.value = at_c<0>(a);  // deque<Name, optional<int>, optional<string>>
  if (at_c<1>(a)) it.number = *at_c<1>(a);
  if (at_c<2>(a)) it.text = *at_c<2>(a);
});
auto const amplification_tail = tail(ast::PatientItemKind::kAmplification, [](ast::PatientItem& it, auto const& a) {
  if (a) {  // optional<deque<string, double>>
    it.measure = at_c<0>(*a);
    it.number = at_c<1>(*a);
  }
});
auto const exon_skipping_tail =
    tail(ast::PatientItemKind::kExonSkipping, [](ast::PatientItem& it, int exon) { it.number = exon; });

x3::rule<class finding_tail, ast::PatientItem> const finding_tail =
    "a finding (p.X, fusion, amplification, deletion, exon N skipping)";
auto const finding_tail_def =
    (located[(protein >> -(kw("exon") > integer) >> -x3::lexeme[classification_sym >> !idchar])][variant_tail]) |
    (located[kw("fusion")][tail(ast::PatientItemKind::kFusion, no_more)]) |
    (located[(kw("amplification") >> -('(' > measure > number > ')'))][amplification_tail]) |
    (located[kw("deletion")][tail(ast::PatientItemKind::kDeletion, no_more)]) |
    (located[(kw("exon") > integer > kw_skipping)][exon_skipping_tail]);
BOOST_SPIRIT_DEFINE(finding_tail)

using ast::PatientItem;
using ast::PatientItemKind;
auto const patient_item = x3::rule<class patient_item_r>{"a patient fact"} =
    (located[(kw("tumour") > code)][fact<&PatientItem::value>(PatientItemKind::kTumour)]) |
    (located[(kw("age") > number)][fact<&PatientItem::number>(PatientItemKind::kAge)]) |
    (located[(kw("lines") > number)][fact<&PatientItem::number>(PatientItemKind::kLines)]) |
    (located[(kw("ecog") > number)][fact<&PatientItem::number>(PatientItemKind::kEcog)]) |
    (located[(kw("sex") > ident)][fact<&PatientItem::value>(PatientItemKind::kSex)]) |
    (located[(kw("stage") > code)][fact<&PatientItem::value>(PatientItemKind::kStage)]) |
    (located[(kw("prior") > (string_name % ',') > -(kw("ended") > token_tok))][prior_fact]) |
    (located[(kw("lab") > ident > number > unit_tok)][lab_fact]) |
    (located[(kw("as_of") > token_tok)][fact<&PatientItem::text>(PatientItemKind::kAsOf)]) |
    (located[(kw("brain_metastases") > brain_state)][fact<&PatientItem::text>(PatientItemKind::kBrainMets)]) |
    (located[(kw("measurable_disease") > yes_no)][yes_no_fact(PatientItemKind::kMeasurable)]) |
    (located[(kw("pregnant") > yes_no)][yes_no_fact(PatientItemKind::kPregnant)]) |
    (located[(kw("disease_status") > (string_name % ','))]
            [fact<&PatientItem::names>(PatientItemKind::kDiseaseStatus)]) |
    (located[(kw("tested") > -origin > (tested_item % ','))][tested_fact]) | located[p_biomarker][biomarker_fact] |
    (located[(-origin >> gene >> "::" >> gene >> kw("fusion"))][pair_fact]) |
    (located[(-origin >> gene > finding_tail)][finding_fact]);

auto const expect_act = act([](auto const& a, ast::Located where, ParseState& st) {
  // deque<optional<bool>, Name, optional<Name>, optional<Name>>
  auto e = node_at<ast::Expect>(where);
  e.negated = static_cast<bool>(at_c<0>(a));
  e.what = at_c<1>(a);
  if (at_c<2>(a)) e.target = *at_c<2>(a);
  if (at_c<3>(a)) e.arm = *at_c<3>(a);
  st.file.tests.back().expects.push_back(std::move(e));
});
auto const begin_test_act = act([](ast::Name const& title, ast::Located where, ParseState& st) {
  auto t = node_at<ast::TestBlock>(where);
  t.title = title;
  st.file.tests.push_back(std::move(t));
});
auto const end_test_act =
    act([](auto const&, ast::Located where, ParseState& st) { st.file.tests.back().end = where.end; });
auto const expect_target = x3::rule<class expect_target_r, ast::Name>{"a target"} = string_name | (!reserved >> ident);
auto const expect_item =
    located[(kw("expect") > -(kw("not") >> x3::attr(true)) > ident > -expect_target > -(kw("arm") > string_name))]
           [expect_act];
auto const close_patient = x3::rule<class close_patient_r>{
    "a patient fact (tumour, age, lines, ecog, sex, stage, "
    "prior, tested, lab, as_of, brain_metastases, measurable_disease, "
    "pregnant, disease_status, a finding or a biomarker) or '}'"} = x3::lit('}');
auto const close_test = x3::rule<class close_test_r>{"'expect' or '}'"} = x3::lit('}');
auto const test_block = located[(kw("test") > string_name)][begin_test_act] > open_brace > kw_patient > open_brace >
                        *patient_item > close_patient > *expect_item > located[close_test][end_test_act];

// ---- file ---------------------------------------------------------------------------

auto const top_end = x3::rule<class top_end_r>{"a declaration (ruleset, define, rule, trial, precision2 or test)"} =
    x3::eoi;
file_type const file = "a rule file";
auto const file_def = *(ruleset_decl | define_decl | rule_block | trial_block | p2_block | test_block) > top_end;
BOOST_SPIRIT_DEFINE(file)

file_type const& file_rule() { return file; }

}  // namespace actionable::dsl::grammar
