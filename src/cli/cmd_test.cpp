// actionable test FILES… — run rule-author tests (dsl.md §7): one line per failure with its
// file:line and what differed, then "N passed, N failed"; exit 1 on any failure.
#include "cli/rules_loader.hpp"

namespace actionable::cli {

void setup_test(CLI::App& app, Common& common) {
  auto paths = std::make_shared<std::vector<std::string>>();
  auto* sub = app.add_subcommand("test", "Run the test blocks of rule files");
  sub->add_option("FILES", *paths, "Rule files or directories (rules and their tests)")->required();
  sub->callback([paths, &common] {
    auto engine = load_rules(*paths, common, true);
    auto report = engine->run_tests();
    for (auto const& f : report.failures) std::cout << f << "\n";
    std::cout << report.passed << " passed, " << report.failed << " failed\n";
    if (report.failed > 0) throw CLI::RuntimeError(1);
  });
}

}  // namespace actionable::cli
