// actionable graph --rules RULES --format dot — the compiled decision graph.
#include "cli/rules_loader.hpp"

namespace actionable::cli {

void setup_graph(CLI::App& app, Common& common) {
  struct Options {
    std::vector<std::string> rules;
    std::string format = "dot";
  };
  auto opt = std::make_shared<Options>();
  auto* sub = app.add_subcommand("graph", "Print the compiled decision graph");
  sub->add_option("--rules,-r", opt->rules, "Rule file or directory (repeatable)")->required()->allow_extra_args(false);
  sub->add_option("--format", opt->format, "Output format")->check(CLI::IsMember({"dot"}));
  sub->callback([opt, &common] {
    auto engine = load_rules(opt->rules, common, true);
    std::cout << engine->dot();
  });
}

}  // namespace actionable::cli
