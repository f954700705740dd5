// `actionable import civic|ctml` — knowledge importers (issue #3; docs/civic.md, docs/ctml.md).
// Both write compilable rule files into an output directory plus a report, print a summary and
// every problem to stderr, and exit 1 when the input could not be read or (ctml) when some
// criterion could not be translated (the rest is still written, like `convert`).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "actionable/import/civic.hpp"
#include "actionable/import/ctml.hpp"
#include "cli/commands.hpp"

namespace actionable::cli {

namespace {

bool read_text(std::string const& path, std::string& out) {
  if (path == "-") {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    out = ss.str();
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

std::string reference_dir(Common const& common) {
  if (!common.reference_dir.empty()) return common.reference_dir;
  return catalog::Catalog::default_dir();
}

struct CivicOpts {
  std::string input;
  std::string out;
  std::string disease_map;
  import::CivicOptions o;
  bool no_ruleset = false;
};

void run_civic(CivicOpts const& opt, Common& common) {
  auto catalog = common.catalog();
  std::string map_path =
      opt.disease_map.empty() ? import::DiseaseMap::default_path(reference_dir(common)) : opt.disease_map;
  std::string error;
  auto diseases = import::DiseaseMap::load(map_path, &error);
  if (!diseases) {
    std::cerr << "actionable import civic: " << error << "\n";
    throw CLI::RuntimeError(1);
  }
  std::string text;
  if (!read_text(opt.input, text)) {
    std::cerr << "actionable import civic: cannot read '" << opt.input << "'\n";
    throw CLI::RuntimeError(1);
  }
  auto name = opt.input == "-" ? std::string("<stdin>") : std::filesystem::path(opt.input).filename().string();
  auto o = opt.o;
  o.with_ruleset = !opt.no_ruleset;
  auto res = import::import_civic(text, name, *diseases, catalog, o);
  for (auto const& e : res.errors) std::cerr << "actionable import civic: error: " << e << "\n";
  if (res.outcomes.empty() && !res.errors.empty()) throw CLI::RuntimeError(1);

  auto files = res.files;
  import::GeneratedFile report{"import_report.md", res.report, {}};
  std::string items = "eid\toutcome\treason\tdetail\tfile\tnotes\n";
  for (auto const& o : res.outcomes) {
    std::string notes;
    for (auto const& n : o.notes) notes += (notes.empty() ? "" : "; ") + n;
    auto clean = [](std::string s) {
      for (auto& c : s)
        if (c == '\t' || c == '\n') c = ' ';
      return s;
    };
    items += o.eid + "\t" + (o.imported ? "imported" : "skipped") + "\t" + o.reason + "\t" + clean(o.detail) + "\t" +
             o.gene_file + "\t" + clean(notes) + "\n";
  }
  import::GeneratedFile items_file{"import_items.tsv", items, {}};
  files.push_back(report);
  files.push_back(items_file);
  if (!import::write_files(opt.out, files, &error)) {
    std::cerr << "actionable import civic: " << error << "\n";
    throw CLI::RuntimeError(1);
  }
  std::cerr << "civic: " << res.outcomes.size() << " evidence items, " << res.imported << " imported into "
            << (res.files.size() - 1) << " gene files; predictive level A-C: " << res.predictive_abc_imported << " of "
            << res.predictive_abc
            << " imported; report: " << (std::filesystem::path(opt.out) / "import_report.md").string() << "\n";
  if (!res.errors.empty()) throw CLI::RuntimeError(1);
}

struct CtmlOpts {
  std::vector<std::string> inputs;
  std::string out;
  bool no_ruleset = false;
  import::CtmlOptions o;
};

void run_ctml(CtmlOpts const& opt, Common& common) {
  auto catalog = common.catalog();
  std::vector<import::CtmlInput> inputs;
  for (auto const& p : opt.inputs) {
    std::string text;
    if (!read_text(p, text)) {
      std::cerr << "actionable import ctml: cannot read '" << p << "'\n";
      throw CLI::RuntimeError(1);
    }
    inputs.push_back({p == "-" ? std::string("stdin.json") : p, std::move(text)});
  }
  auto o = opt.o;
  o.with_ruleset = !opt.no_ruleset;
  auto res = import::import_ctml(inputs, catalog, o);
  for (auto const& i : res.issues) std::cerr << i.to_string() << "\n";
  auto files = res.files;
  files.push_back({"import_report.md", res.report, {}});
  std::string error;
  if (!import::write_files(opt.out, files, &error)) {
    std::cerr << "actionable import ctml: " << error << "\n";
    throw CLI::RuntimeError(1);
  }
  std::size_t errors = 0;
  for (auto const& i : res.issues) errors += i.error ? 1 : 0;
  std::cerr << "ctml: " << res.trials << " trials, " << res.trials_written << " written; " << res.match_trees
            << " match trees, " << res.match_trees_written << " translated into " << res.arms_written << " arms; "
            << errors << " error(s)\n";
  if (res.has_errors()) throw CLI::RuntimeError(1);
}

}  // namespace

void setup_import(CLI::App& app, Common& common) {
  auto* sub = app.add_subcommand("import", "Import external knowledge as rule files (CIViC evidence, CTML trials)");
  sub->require_subcommand(1);

  auto civic = std::make_shared<CivicOpts>();
  auto* c = sub->add_subcommand("civic", "CIViC clinical evidence TSV -> rule files, one per gene (docs/civic.md)");
  c->add_option("TSV", civic->input, "CIViC ClinicalEvidenceSummaries TSV ('-' = stdin)")->required();
  c->add_option("-o,--out", civic->out, "output directory (rule files, import_report.md, import_items.tsv)")
      ->required();
  c->add_option("--disease-map", civic->disease_map,
                "CIViC disease -> OncoTree table (default: civic_disease_oncotree.tsv in the reference directory)")
      ->check(CLI::ExistingFile);
  c->add_option("--levels", civic->o.levels, "evidence levels to import (default ABC; the engine accepts CIViC:A-E)")
      ->check([](std::string const& s) {
        for (char ch : s)
          if (std::string("ABCDEabcde").find(ch) == std::string::npos) return std::string("levels are letters A-E");
        return std::string();
      });
  c->add_option("--sensitivity-class", civic->o.sensitivity_class,
                "Sensitivity/Response evidence, supported or not: evidence (default: class evidence, direction "
                "sensitivity) or skip")
      ->check(CLI::IsMember({"evidence", "skip"}));
  c->add_flag("--include-flagged", civic->o.include_flagged, "also import items CIViC has flagged for review");
  c->add_option("--name", civic->o.ruleset_name, "ruleset name (default civic-import)");
  c->add_option("--ruleset-version", civic->o.version, "ruleset version (default: civic-<newest review date>)");
  c->add_flag("--no-ruleset", civic->no_ruleset, "write no ruleset.rules (the rules join another rule set)");
  c->callback([civic, &common] { run_civic(*civic, common); });

  auto ctml = std::make_shared<CtmlOpts>();
  auto* t = sub->add_subcommand("ctml", "MatchMiner CTML trials (JSON) -> trial blocks (docs/ctml.md)");
  t->add_option("CTML", ctml->inputs, "CTML files: a JSON object, an array, or several objects ('-' = stdin)")
      ->required();
  t->add_option("-o,--out", ctml->out, "output directory (one .rules file per input, import_report.md)")->required();
  t->add_option("--name", ctml->o.ruleset_name, "ruleset name (default ctml-import)");
  t->add_option("--ruleset-version", ctml->o.version, "ruleset version (default ctml)");
  t->add_flag("--no-ruleset", ctml->no_ruleset, "write no ruleset.rules (the trials join another rule set)");
  t->callback([ctml, &common] { run_ctml(*ctml, common); });
}

}  // namespace actionable::cli
