// Shared by subcommands: compile the rule files named on the command line, print the
// diagnostics to stderr, and stop with exit 1 on errors.
#pragma once

#include <iostream>

#include "actionable/engine.hpp"
#include "cli/commands.hpp"

namespace actionable::cli {

inline std::shared_ptr<Engine const> load_rules(std::vector<std::string> const& paths, Common& common,
                                                bool quiet_warnings = false) {
  Diagnostics diags;
  auto engine = Engine::from_paths(paths, common.catalog(), diags);
  if (!diags.empty() && (!quiet_warnings || diags.has_errors())) std::cerr << diags.format();
  if (!engine) {
    std::cerr << diags.error_count() << " error(s)\n";
    throw CLI::RuntimeError(1);
  }
  return engine;
}

}  // namespace actionable::cli
