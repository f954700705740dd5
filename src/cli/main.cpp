// The actionable command line: subcommands are registered from one file each
// (src/cli/cmd_*.cpp). main() only maps outcomes to exit codes: 0 success, 1 errors in the
// input or rules, 2 usage errors. No pipeline logic lives here.
#include <functional>
#include <iostream>

#include "cli/commands.hpp"

namespace actionable::cli {

std::shared_ptr<catalog::Catalog const> Common::catalog() {
  if (catalog_) return catalog_;
  std::string dir = reference_dir.empty() ? catalog::Catalog::default_dir() : reference_dir;
  std::string error;
  auto c = catalog::Catalog::load(dir, &error);
  if (!c) {
    std::cerr << "actionable: cannot load reference data from '" << dir << "': " << error << "\n";
    throw CLI::RuntimeError(1);
  }
  catalog_ = std::make_shared<catalog::Catalog const>(std::move(*c));
  return catalog_;
}

namespace {

/// Every repeatable option takes one value per occurrence (`--centre A --centre B`), so that
/// its values never swallow the positional after them: `registry import -r RULES records.jsonl`
/// read records.jsonl as a rule file (E001), and `registry import --centre A records.jsonl`
/// took the file as a second centre and imported nothing from stdin, exit 0 (found using the
/// CLI, 2026-12-06; match, explain, graph and report used to set it on their --rules one by one).
/// Positionals (`check FILES…`) keep taking every value.
void one_value_per_occurrence(CLI::App& app) {
  for (CLI::Option* o : app.get_options())
    if (o->nonpositional() && o->get_expected_max() > 1) o->allow_extra_args(false);
  for (CLI::App* sub : app.get_subcommands(std::function<bool(CLI::App*)>([](CLI::App*) { return true; })))
    one_value_per_occurrence(*sub);
}

}  // namespace

}  // namespace actionable::cli

int main(int argc, char** argv) {
  CLI::App app{"actionable — genotype-driven treatment options for PRECISION 1 patients"};
  app.set_version_flag("--version", std::string("actionable ") + ACTIONABLE_VERSION);
  app.require_subcommand(1);
  actionable::cli::Common common;
  app.add_option("--reference", common.reference_dir,
                 "Reference data directory (OncoTree, HGNC, exon table); default: "
                 "$ACTIONABLE_REFERENCE or the installed / source-tree rules/reference");
  actionable::cli::setup_check(app, common);
  actionable::cli::setup_match(app, common);
  actionable::cli::setup_explain(app, common);
  actionable::cli::setup_test(app, common);
  actionable::cli::setup_graph(app, common);
  actionable::cli::setup_report(app, common);
  actionable::cli::setup_oncotree(app, common);
// One #ifdef per optional subcommand: each is compiled only when CMake linked its library
// (ACTIONABLE_HAVE_*), which is why these are separate blocks and not one loop.
#ifdef ACTIONABLE_HAVE_CONVERT
  actionable::cli::setup_convert(app, common);
#endif
#ifdef ACTIONABLE_HAVE_REGISTRY
  actionable::cli::setup_registry(app, common);
#endif
#ifdef ACTIONABLE_HAVE_IMPORT
  actionable::cli::setup_import(app, common);
#endif
#ifdef ACTIONABLE_HAVE_PORTAL
  actionable::cli::setup_serve(app, common);
#endif
  actionable::cli::one_value_per_occurrence(app);
  try {
    app.parse(argc, argv);
  } catch (CLI::RuntimeError const& e) {
    return e.get_exit_code();
  } catch (CLI::ParseError const& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (std::exception const& e) {
    std::cerr << "actionable: internal error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
