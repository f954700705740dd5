// The rule-language grammar's entry rule, declared for callers that do not see its definition.
//
// Defined in grammar_def.hpp (and the *_def.hpp headers it includes), instantiated once for
// config.hpp's iterator_type / context_type in grammar.cpp, called by parser.cpp.
#pragma once

#include <boost/spirit/home/x3.hpp>

namespace actionable::dsl::grammar {

namespace x3 = boost::spirit::x3;

/// A whole rule file: ruleset, define, rule, trial, precision2 and test declarations.
using file_type = x3::rule<class file_r>;
BOOST_SPIRIT_DECLARE(file_type)

file_type const& file_rule();

}  // namespace actionable::dsl::grammar
