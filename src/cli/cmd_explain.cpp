// actionable explain --rules RULES PATIENT.json — the decision trace, step by step.
#include <fstream>

#include "cli/match_output.hpp"
#include "cli/rules_loader.hpp"
#include "cli/streams.hpp"

namespace actionable::cli {

void setup_explain(CLI::App& app, Common& common) {
  struct Options {
    std::vector<std::string> rules;
    std::string input;
  };
  auto opt = std::make_shared<Options>();
  auto* sub = app.add_subcommand("explain", "Print the decision trace for a patient record");
  sub->add_option("--rules,-r", opt->rules, "Rule file or directory (repeatable)")->required();
  sub->add_option("PATIENT", opt->input, "Patient JSON file (or JSON Lines), - for stdin")->required();
  sub->callback([opt, &common] {
    auto engine = load_rules(opt->rules, common, true);
    std::ifstream file;
    int rc = run_match(engine, open_input(opt->input, file), std::cout, input_name(opt->input), "text", 1, true);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace actionable::cli
