// Subcommand registration for the actionable CLI (CLI11 pattern: one file per subcommand,
// each with an options struct and a setup_ function that installs a callback).
// Convention: a callback prints its own diagnostics to stderr and throws
// CLI::RuntimeError(1) for bad input / failed checks; usage errors are CLI11's (exit 2).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "actionable/catalog/catalog.hpp"

namespace actionable::cli {

/// Options shared by every subcommand.
struct Common {
  std::string reference_dir;  ///< --reference DIR (default: Catalog::default_dir())
  /// Load the catalog once (throws CLI::RuntimeError(1) after printing on failure).
  std::shared_ptr<catalog::Catalog const> catalog();

 private:
  std::shared_ptr<catalog::Catalog const> catalog_;
};

void setup_check(CLI::App& app, Common& common);
void setup_match(CLI::App& app, Common& common);
void setup_explain(CLI::App& app, Common& common);
void setup_test(CLI::App& app, Common& common);
void setup_graph(CLI::App& app, Common& common);
void setup_report(CLI::App& app, Common& common);
void setup_oncotree(CLI::App& app, Common& common);  // src/cli/cmd_oncotree.cpp    // src/cli/cmd_report.cpp
void setup_convert(CLI::App& app, Common& common);   // src/cli/cmd_convert.cpp (readers)
void setup_registry(CLI::App& app, Common& common);  // src/cli/cmd_registry.cpp (registry)
void setup_import(CLI::App& app, Common& common);    // src/cli/cmd_import.cpp (CIViC / CTML)
void setup_serve(CLI::App& app, Common& common);     // src/cli/cmd_serve.cpp (portal)

}  // namespace actionable::cli
