// The one translation unit that instantiates the Spirit X3 grammar (STYLE habit 5).
//
// The `file` rule is instantiated for config.hpp's iterator_type and context_type, which is
// how src/dsl/parser.cpp calls it.
#include "dsl/config.hpp"
#include "dsl/grammar_def.hpp"

namespace actionable::dsl::grammar {

BOOST_SPIRIT_INSTANTIATE(file_type, iterator_type, context_type)

}  // namespace actionable::dsl::grammar
