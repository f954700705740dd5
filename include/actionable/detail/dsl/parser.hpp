// parse: SourceFile → ast::File (dsl.md §1–§4, §7). The public face of the Spirit X3 grammar,
// which is instantiated in exactly one translation unit (src/dsl/grammar.cpp).
#pragma once

#include <optional>

#include "actionable/diagnostics.hpp"
#include "actionable/detail/dsl/ast.hpp"
#include "actionable/source.hpp"

namespace actionable::dsl {

/// Input limits (documented in docs/language.md; exceeding them is error E004/E005).
struct ParseLimits {
  std::size_t max_bytes = 64u << 20;  ///< 64 MiB per file
  std::size_t max_depth = 256;        ///< nesting of parentheses / braces / `not`
};

/// Parse one file. Syntax errors are reported to `diags` (code E001…) and yield nullopt.
std::optional<ast::File> parse(SourceFile const& source, Diagnostics& diags, ParseLimits const& limits = {});

}  // namespace actionable::dsl
