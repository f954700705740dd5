// Rule-language grammar, part 1: tokens, located names, keywords and the symbol tables (dsl.md §1).
//
// Included (through grammar_def.hpp) by src/dsl/grammar.cpp only. Leaf constructs are rules
// with synthesized attributes, so backtracking between alternatives has no side effects.
#pragma once

#include <boost/spirit/home/x3.hpp>
#include <string>
#include <vector>

#include "actionable/detail/dsl/ast.hpp"
#include "dsl/ast_adapted.hpp"

namespace actionable::dsl::grammar {

// ---- lexical ------------------------------------------------------------------------
// Character classes: a_alnum, a_upper… (config.hpp), never x3::alnum / x3::upper (UB on bytes >= 0x80).

auto const idchar = a_alnum | x3::char_("_.-");
inline auto kw(char const* k) { return x3::lexeme[x3::lit(k) >> !idchar]; }

x3::rule<class ident_tok, std::string> const ident_tok = "a name";
x3::rule<class gene_tok, std::string> const gene_tok = "a gene symbol";
x3::rule<class protein_tok, std::string> const protein_tok = "a protein change (p.V600E)";
x3::rule<class code_tok, std::string> const code_tok = "an OncoTree code";
x3::rule<class string_lit, std::string> const string_lit = "a quoted string";
x3::rule<class token_tok, std::string> const token_tok = "a value";

auto const ident_tok_def = x3::raw[x3::lexeme[(a_alpha | x3::char_('_')) >> *(a_alnum | x3::char_("_.-"))]];
auto const gene_tok_def = x3::raw[x3::lexeme[a_upper >> *(a_alnum | x3::char_('-')) >> !x3::char_("_.")]];
auto const pchar = a_alnum | x3::char_("_*=?");
auto const protein_tok_def = x3::raw[x3::lexeme[(x3::lit("p.(") >> *(x3::char_ - x3::char_(")\n\r\t ")) >> ')') |
                                                (x3::lit("p.") >> +(pchar | (x3::char_('-') >> &a_digit))) |
                                                (a_upper >> x3::repeat(0, 2)[a_lower] >> +a_digit >> *pchar)]];
auto const code_tok_def = x3::raw[x3::lexeme[+(a_alnum | x3::char_('_')) >> !x3::char_(".-")]];
auto const string_lit_def = x3::lexeme['"' >> *((x3::lit('\\') >> x3::char_) | ~x3::char_("\"\n")) >> '"'];
auto const token_tok_def = x3::raw[x3::lexeme[+(a_alnum | x3::char_(":._/+-"))]];

BOOST_SPIRIT_DEFINE(ident_tok, gene_tok, protein_tok, code_tok, string_lit, token_tok)

auto const integer = x3::rule<class integer_r, int>{"a whole number"} = x3::int_;
auto const number = x3::rule<class number_r, double>{"a number"} = x3::double_;

// ---- names with positions -----------------------------------------------------------

auto const make_name = make<ast::Name>([](ast::Name& n, std::string const& text) { n.text = text; });

x3::rule<class ident, ast::Name> const ident = "a name";
x3::rule<class gene, ast::Name> const gene = "a gene symbol";
x3::rule<class protein, ast::Name> const protein = "a protein change (p.V600E)";
x3::rule<class code, ast::Name> const code = "an OncoTree code";
x3::rule<class string_name, ast::Name> const string_name = "a quoted string";
x3::rule<class cite_item, ast::Name> const cite_item = "a citation (PMID:…, \"…\")";
x3::rule<class level_item, ast::Name> const level_item = "an evidence level (ESCAT:I-A)";

auto const reserved =
    x3::lexeme[(x3::lit("and") | "or" | "not" | "when" | "tumour" | "require" | "exclude" | "class" | "therapy" |
                "level" | "cite" | "status" | "site" | "phase" | "arm" | "rule" | "trial" | "define" | "precision2" |
                "test" | "ruleset" | "expect" | "patient" | "excluding" | "except" | "direction") >>
               !idchar];

auto const ident_def = located[ident_tok][make_name];
auto const gene_def = located[gene_tok][make_name];
auto const protein_def = located[protein_tok][make_name];
auto const code_def = located[code_tok][make_name];
auto const string_name_def = located[string_lit][make_name];
auto const cite_text = x3::rule<class cite_text_r, std::string>{"a citation"} = string_lit | token_tok;
auto const cite_item_def = located[cite_text][make_name];
auto const level_item_def = located[token_tok][make_name];

BOOST_SPIRIT_DEFINE(ident, gene, protein, code, string_name, cite_item, level_item)

// ---- symbol tables ------------------------------------------------------------------

// The DSL's keyword tables: one x3::symbols per enum, each listing its own spellings. They are data
// that look alike, not repeated logic.
x3::symbols<ast::Origin> const origin_sym({{"somatic", ast::Origin::kSomatic}, {"germline", ast::Origin::kGermline}});
x3::symbols<ast::Cmp> const cmp_sym({{"==", ast::Cmp::kEq},
                                     {"=", ast::Cmp::kEq},
                                     {"!=", ast::Cmp::kNe},
                                     {"<", ast::Cmp::kLt},
                                     {"<=", ast::Cmp::kLe},
                                     {">", ast::Cmp::kGt},
                                     {">=", ast::Cmp::kGe}});
x3::symbols<ast::ExonEvent> const exon_event_sym({{"deletion", ast::ExonEvent::kDeletion},
                                                  {"insertion", ast::ExonEvent::kInsertion},
                                                  {"skipping", ast::ExonEvent::kSkipping},
                                                  {"mutation", ast::ExonEvent::kMutation},
                                                  {"missense", ast::ExonEvent::kMissense},
                                                  {"truncating", ast::ExonEvent::kTruncating},
                                                  {"inframe", ast::ExonEvent::kInframe},
                                                  {"splice", ast::ExonEvent::kSplice}});
x3::symbols<ast::FeatureKind> const simple_feature_sym({{"mutation", ast::FeatureKind::kMutation},
                                                        {"missense", ast::FeatureKind::kMissense},
                                                        {"truncating", ast::FeatureKind::kTruncating},
                                                        {"inframe", ast::FeatureKind::kInframe},
                                                        {"splice", ast::FeatureKind::kSplice},
                                                        {"oncogenic", ast::FeatureKind::kOncogenic},
                                                        {"deletion", ast::FeatureKind::kDeletion},
                                                        {"wildtype", ast::FeatureKind::kWildtype}});
x3::symbols<std::string> const measure_sym({{"cn", "cn"}, {"copies", "cn"}, {"ratio", "ratio"}});
x3::symbols<std::string> const msi_sym({{"high", "high"}, {"low", "low"}, {"stable", "stable"}});
x3::symbols<std::string> const posneg_sym({{"positive", "positive"}, {"negative", "negative"}});
x3::symbols<ast::ClinicalField> const numeric_field_sym({{"age", ast::ClinicalField::kAge},
                                                         {"lines", ast::ClinicalField::kLines},
                                                         {"ecog", ast::ClinicalField::kEcog}});
x3::symbols<std::string> const classification_sym({{"pathogenic", "pathogenic"},
                                                   {"likely_pathogenic", "likely pathogenic"},
                                                   {"oncogenic", "oncogenic"},
                                                   {"likely_oncogenic", "likely oncogenic"},
                                                   {"vus", "VUS"},
                                                   {"benign", "benign"},
                                                   {"likely_benign", "likely benign"}});

auto const origin = x3::rule<class origin_r, ast::Origin>{"somatic or germline"} = x3::lexeme[origin_sym >> !idchar];
auto const cmp = x3::rule<class cmp_r, ast::Cmp>{"a comparison (=, !=, <, <=, >, >=)"} = cmp_sym;
auto const exon_event = x3::rule<class exon_event_r, ast::ExonEvent>{
    "an exon event (deletion, insertion, skipping, mutation, missense, truncating, "
    "inframe, splice)"} = x3::lexeme[exon_event_sym >> !idchar];
auto const measure = x3::rule<class measure_r, std::string>{"cn or ratio"} = x3::lexeme[measure_sym >> !idchar];
auto const msi_value = x3::rule<class msi_value_r, std::string>{"high, low or stable"} = x3::lexeme[msi_sym >> !idchar];
auto const posneg = x3::rule<class posneg_r, std::string>{"positive or negative"} = x3::lexeme[posneg_sym >> !idchar];

// Protein biomarkers (docs/language.md, "Protein biomarkers").
x3::symbols<std::string> const pmethod_sym({{"IHC", "IHC"}, {"ISH", "ISH"}});
x3::symbols<std::string> const pscore_sym({{"TPS", "TPS"}, {"CPS", "CPS"}, {"TC", "TC"}, {"IC", "IC"}, {"TAP", "TAP"}});
x3::symbols<std::string> const her2_status_sym(
    {{"HER2-positive", "positive"}, {"HER2-low", "low"}, {"HER2-ultralow", "ultralow"}, {"HER2-negative", "negative"}});
auto const pmethod = x3::rule<class pmethod_r, std::string>{"IHC or ISH"} = x3::lexeme[pmethod_sym >> !idchar];
auto const pscore = x3::rule<class pscore_r, std::string>{"a PD-L1 score (TPS, CPS, TC, IC, TAP)"} =
    x3::lexeme[pscore_sym >> !idchar];
auto const her2_status = x3::rule<class her2_status_r, std::string>{"a HER2 status"} =
    x3::lexeme[her2_status_sym >> !idchar];
x3::rule<class pvalue_tok, std::string> const pvalue_tok =
    "a result (0, ultralow, 1+, 2+, 3+, positive, negative, loss, intact)";
auto const pvalue_tok_def = x3::raw[x3::lexeme[+(x3::alnum | x3::char_('+'))]];
x3::rule<class pvalue, ast::Name> const pvalue = "a result (0, ultralow, 1+, 2+, 3+, positive, negative, loss, intact)";
auto const pvalue_def = located[pvalue_tok][make_name];
BOOST_SPIRIT_DEFINE(pvalue_tok, pvalue)
/// An item of `tested`: a gene or biomarker, or a protein marker with its method ("HER2 IHC").
x3::rule<class tested_item, ast::Name> const tested_item = "a gene or biomarker (HER2 IHC)";
x3::rule<class tested_tok, std::string> const tested_tok = "a gene or biomarker (HER2 IHC)";
auto const tested_tok_def = x3::raw[gene_tok >> -pmethod];
auto const tested_item_def = located[tested_tok][make_name];
BOOST_SPIRIT_DEFINE(tested_tok, tested_item)
auto const passay = x3::rule<class passay_r, std::string>{"assay \"NAME\""} = kw("assay") > string_lit;

// Keywords that expectation failures name.
auto const kw_version = x3::rule<class kw_version_r>{"'version'"} = kw("version");
auto const kw_patient = x3::rule<class kw_patient_r>{"'patient'"} = kw("patient");
auto const kw_skipping = x3::rule<class kw_skipping_r>{"'skipping'"} = kw("skipping");

}  // namespace actionable::dsl::grammar
