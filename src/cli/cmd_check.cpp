// actionable check RULES… — compile and print diagnostics (patient.md, CLI table).
#include "cli/rules_loader.hpp"

namespace actionable::cli {

void setup_check(CLI::App& app, Common& common) {
  struct Options {
    std::vector<std::string> paths;
    bool werror = false;
  };
  auto opt = std::make_shared<Options>();
  auto* sub = app.add_subcommand("check", "Compile rule files and report errors and warnings");
  sub->add_option("RULES", opt->paths, "Rule files or directories (searched for *.rules)")->required();
  sub->add_flag("--werror", opt->werror, "Treat warnings as errors");
  sub->callback([opt, &common] {
    Diagnostics diags;
    auto engine = Engine::from_paths(opt->paths, common.catalog(), diags);
    std::cerr << diags.format();
    if (!engine || (opt->werror && diags.warning_count() > 0)) {
      std::cerr << diags.error_count() << " error(s), " << diags.warning_count() << " warning(s)\n";
      throw CLI::RuntimeError(1);
    }
    auto const& info = engine->info();
    std::cout << "ok: ruleset \"" << info.name << "\" version \"" << info.version << "\", " << engine->sources().size()
              << " file(s), sha256 " << info.sha256;
    if (diags.warning_count()) std::cout << ", " << diags.warning_count() << " warning(s)";
    std::cout << "\n";
    if (engine->rule_sets().size() > 1)  // side by side: each set's own identity
      for (auto const& p : engine->rule_sets())
        std::cout << "  ruleset \"" << p.name << "\" version \"" << p.version << "\", sha256 " << p.sha256 << "\n";
  });
}

}  // namespace actionable::cli
