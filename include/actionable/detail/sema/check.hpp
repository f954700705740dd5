// check: ast::File… → ir::RuleSet (dsl.md §1–§4, §7). Resolves names, genes (HGNC, aliases
// with a warning), OncoTree codes (with "did you mean"), protein changes, evidence levels;
// rejects redefinitions, define cycles, impossible features. All problems go to Diagnostics
// (codes in docs/errors.md); the result is nullopt when any error was found.
#pragma once

#include <optional>
#include <vector>

#include "actionable/catalog/catalog.hpp"
#include "actionable/diagnostics.hpp"
#include "actionable/detail/dsl/ast.hpp"
#include "actionable/detail/ir/rule_set.hpp"

namespace actionable::sema {

struct ParsedFile {
  SourcePtr source;
  ast::File file;
};

struct CheckOptions {
  std::size_t max_define_depth = 256;  ///< nesting of define references (E305)
  bool require_ruleset = true;         ///< E310 when no `ruleset` declaration
  std::size_t max_blocks = 100000;     ///< rules + trials + cohorts of one rule set (E108)
};

std::optional<ir::RuleSet> check(std::vector<ParsedFile> const& files, catalog::Catalog const& catalog,
                                 Diagnostics& diags, CheckOptions const& options = {});

}  // namespace actionable::sema
