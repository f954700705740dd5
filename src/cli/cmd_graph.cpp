// actionable graph --rules RULES --format dot — the compiled decision graph.
// actionable rules --rules RULES — the compiled criteria as JSON Lines (one per rule, trial
// arm or PRECISION 2 cohort), for tools that check a rule set (the EMA cross-check test).
#include <nlohmann/json.hpp>

#include "actionable/detail/ir/rule_set.hpp"
#include "cli/rules_loader.hpp"

namespace actionable::cli {

namespace {

std::string span_text(Span const& s) {
  if (!s.valid() || s.end <= s.begin || s.end > s.file->text().size()) return {};
  return s.file->text().substr(s.begin, s.end - s.begin);
}

/// A define's body as written: from after '=' to the next top-level item or blank line.
std::string define_body(Span const& s) {
  if (!s.valid()) return {};
  auto const& t = s.file->text();
  auto eq = t.find('=', s.end);
  if (eq == std::string::npos) return {};
  std::size_t end = t.size();
  for (char const* stop : {"\n\n", "\ndefine", "\nrule", "\ntest", "\ntrial", "\ncohort", "\nruleset", "\n#"})
    end = std::min(end, t.find(stop, eq));
  std::string body = t.substr(eq + 1, end - eq - 1);
  std::string out;  // one line, single spaces
  bool space = false;
  for (char c : body) {
    if (c == '\n' || c == '\t' || c == ' ' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

nlohmann::ordered_json criterion_json(ir::Criterion const& c) {
  nlohmann::ordered_json j;
  j["kind"] = c.kind == ir::CriterionKind::kRule ? "rule" : c.kind == ir::CriterionKind::kArm ? "arm" : "cohort";
  j["class"] = ir::class_name(c.cls);
  j["name"] = c.name;
  if (!c.arm.empty()) j["arm"] = c.arm;
  if (!c.title.empty()) j["title"] = c.title;
  auto when = span_text(c.when_span);
  if (when.rfind("when", 0) == 0) when.erase(0, when.find_first_not_of(" \t", 4));
  j["when"] = when;
  j["tumour"] = {{"include", c.tumour.include_codes}, {"except", c.tumour.except_codes}};
  if (!c.require_text.empty()) j["require"] = c.require_text;
  nlohmann::ordered_json ex = nlohmann::ordered_json::array();
  for (auto const& e : c.excludes) ex.push_back(e.text);
  if (!ex.empty()) j["exclude"] = std::move(ex);
  j["therapies"] = c.therapies;
  if (!c.level.empty()) j["level"] = c.level;
  j["cite"] = c.cites;
  if (!c.sites.empty()) j["sites"] = c.sites;
  if (!c.phase.empty()) j["phase"] = c.phase;
  if (!c.centres.empty()) {
    nlohmann::ordered_json cs = nlohmann::ordered_json::array();
    for (auto const& s : c.centres) {
      nlohmann::ordered_json x{{"centre", s.centre}, {"status", ir::status_name(s.status)}};
      if (s.slots >= 0) x["slots"] = s.slots;
      cs.push_back(std::move(x));
    }
    j["centres"] = std::move(cs);
  }
  if (c.kind == ir::CriterionKind::kArm) j["status"] = ir::status_name(c.status);
  j["at"] = c.span.location();
  return j;
}

}  // namespace

void setup_graph(CLI::App& app, Common& common) {
  struct Options {
    std::vector<std::string> rules;
    std::string format = "dot";
  };
  auto opt = std::make_shared<Options>();
  auto* sub = app.add_subcommand("graph", "Print the compiled decision graph");
  sub->add_option("--rules,-r", opt->rules, "Rule file or directory (repeatable)")->required();
  sub->add_option("--format", opt->format, "Output format")->check(CLI::IsMember({"dot"}));
  sub->callback([opt, &common] {
    auto engine = load_rules(opt->rules, common, true);
    std::cout << engine->dot();
  });

  auto list = std::make_shared<Options>();
  auto* rules =
      app.add_subcommand("rules",
                         "List the defines, then the compiled criteria (rules, trial arms, cohorts), as JSON Lines: "
                         "class, therapies, when, tumour, require, exclude, level, cite, source location");
  rules->add_option("--rules,-r", list->rules, "Rule file or directory (repeatable)")->required();
  rules->callback([list, &common] {
    auto engine = load_rules(list->rules, common, true);
    for (auto const& d : engine->rules()->defines)
      std::cout << nlohmann::ordered_json{{"kind", "define"},
                                          {"name", d.name},
                                          {"text", define_body(d.span)},
                                          {"at", d.span.location()}}
                       .dump()
                << "\n";
    for (auto const& c : engine->rules()->criteria) std::cout << criterion_json(c).dump() << "\n";
  });
}

}  // namespace actionable::cli
