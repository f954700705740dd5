// Rule sets side by side (issue 13 item 1; docs/language.md, "Rule sets side by side"): one
// engine holds several rule sets, each keeping its identity and its names; every entry names
// the set it came from; resistance in one set suppresses the same therapy in another; a single
// rule set's output is unchanged.
#include <map>
#include <string>
#include <vector>

#include "actionable/io/json.hpp"
#include "actionable/report/report.hpp"
#include "support.hpp"

using actionable::Diagnostics;
using actionable::Engine;
using actionable::RuleSource;
using actionable::testing::first_code;
using actionable::testing::shared_catalog;
using nlohmann::json;

namespace {

// Two small rule sets that both define `egfr` (names are per set). Fictional trial id.
RuleSource const kSetA{"a/ruleset.rules", R"(
ruleset "set-a" version "1"
rule egfr { when somatic EGFR p.L858R  tumour NSCLC  class approved  therapy "osimertinib" }
rule kras_resistance { when somatic KRAS mutation  tumour NSCLC  class resistance  therapy "erlotinib" }
)"};
RuleSource const kSetB{"b/ruleset.rules", R"(
ruleset "set-b" version "2"
rule egfr { when somatic EGFR p.L858R  tumour NSCLC  class approved  therapy "erlotinib", "gefitinib" }
rule ros1 { when ROS1 fusion  tumour NSCLC  class approved  therapy "crizotinib" }
trial NCT00000201 "set-b trial" { status recruiting  arm "A" { when somatic EGFR p.L858R  tumour NSCLC  require ecog <= 1  therapy "drug-x" } }
test "set-b's own test, run against set-b alone" {
  patient { tumour LUAD  somatic EGFR p.L858R  ecog 0 }
  expect approved egfr
  expect matched_trial NCT00000201
  expect not approved "osimertinib"
}
)"};

std::shared_ptr<Engine const> both_sets(Diagnostics& d) {
  RuleSource a = kSetA, b = kSetB;
  a.set = 0;
  b.set = 1;
  return Engine::from_sources({a, b}, shared_catalog(), d);
}

json match_record(Engine const& e, json const& record) {
  auto r = e.match_json(record.dump());
  REQUIRE(r.ok);
  return json::parse(r.json);
}

json const kSetsPatient = {{"patient", "P1"},
                           {"tumour", {{"oncotree", "LUAD"}}},
                           {"findings", json::array({{{"gene", "EGFR"}, {"hgvsp", "p.L858R"}, {"origin", "somatic"}},
                                                     {{"gene", "KRAS"}, {"hgvsp", "p.G12C"}, {"origin", "somatic"}}})}};

}  // namespace

TEST_CASE("rule sets side by side: each entry names its set; identity covers both") {
  Diagnostics d;
  auto e = both_sets(d);
  INFO(d.format());
  REQUIRE(e);
  REQUIRE(e->rule_sets().size() == 2);
  CHECK(e->rule_sets()[0].name == "set-a");
  CHECK(e->rule_sets()[1].name == "set-b");
  CHECK(e->info().name == "set-a + set-b");
  CHECK(e->info().version == "1 + 2");
  // Each part's sha256 is the one it has alone.
  Diagnostics da, db;
  auto a = Engine::from_sources({kSetA}, shared_catalog(), da);
  auto b = Engine::from_sources({kSetB}, shared_catalog(), db);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(e->rule_sets()[0].sha256 == a->info().sha256);
  CHECK(e->rule_sets()[1].sha256 == b->info().sha256);
  CHECK(e->info().sha256 != a->info().sha256);
  CHECK(e->info().sha256.size() == 64);

  auto r = match_record(*e, kSetsPatient);
  REQUIRE(r["rulesets"].size() == 2);
  CHECK(r["rulesets"][1] == json{{"name", "set-b"}, {"version", "2"}, {"sha256", b->info().sha256}});
  CHECK(r["ruleset"]["name"] == "set-a + set-b");
  // Both sets define `egfr`: two matches, told apart by their set.
  std::vector<std::string> approved;
  for (auto const& m : r["matches"]) {
    REQUIRE(m.contains("ruleset"));
    if (m["class"] == "approved")
      approved.push_back(m["ruleset"].get<std::string>() + ":" + m["rule"].get<std::string>());
  }
  CHECK(approved == std::vector<std::string>{"set-a:egfr", "set-b:egfr"});
  // set-a's resistance rule suppresses erlotinib in set-b's rule, and only that therapy.
  REQUIRE(r["suppressed"].size() == 1);
  CHECK(r["suppressed"][0]["ruleset"] == "set-b");
  CHECK(r["suppressed"][0]["by"] == "kras_resistance");
  CHECK(r["suppressed"][0]["by_ruleset"] == "set-a");
  CHECK(r["suppressed"][0]["therapies"] == json::array({"erlotinib"}));
  for (auto const& m : r["matches"])
    if (m["ruleset"] == "set-b" && m["rule"] == "egfr") CHECK(m["therapies"] == json::array({"gefitinib"}));
  // The trial is indeterminate (no ECOG) and names its set.
  REQUIRE(r["indeterminate"].size() == 1);
  CHECK(r["indeterminate"][0]["ruleset"] == "set-b");
}

TEST_CASE("rule sets side by side: each set's tests run against that set alone") {
  Diagnostics d;
  auto e = both_sets(d);
  REQUIRE(e);
  auto report = e->run_tests();
  for (auto const& f : report.failures) INFO(f);
  CHECK(report.passed == 1);
  CHECK(report.failed == 0);
}

TEST_CASE("rule sets side by side: one set alone is byte-identical to before; sets ignored without two declarations") {
  Diagnostics d1, d2;
  auto alone = Engine::from_sources({kSetA}, shared_catalog(), d1);
  // A second source with another set value but no `ruleset` line joins the one rule set.
  RuleSource extra{"a/extra.rules",
                   "rule ros1 { when ROS1 fusion  tumour NSCLC  class approved  therapy \"crizotinib\" }\n", 7};
  auto joined = Engine::from_sources({kSetA, extra}, shared_catalog(), d2);
  REQUIRE(alone);
  REQUIRE(joined);
  CHECK(joined->rule_sets().size() == 1);
  CHECK(joined->info().name == "set-a");
  auto r = alone->match_json(kSetsPatient.dump());
  REQUIRE(r.ok);
  CHECK(r.json.find("\"rulesets\"") == std::string::npos);
  CHECK(r.json.find("\"ruleset\":\"set-a\"") == std::string::npos);  // entries name no set
  auto j = match_record(*joined, kSetsPatient);
  CHECK_FALSE(j.contains("rulesets"));
}

TEST_CASE("rule sets side by side: a path without a `ruleset` joins the set before it") {
  RuleSource b = kSetB;
  b.set = 1;
  RuleSource extra{"c/trials.rules",
                   "rule ros1_extra { when ROS1 fusion  tumour NSCLC  class approved  therapy \"x\" }\n", 2};
  RuleSource lead{"0/lead.rules", "rule ros1_lead { when ROS1 fusion  tumour NSCLC  class approved  therapy \"y\" }\n",
                  9};
  Diagnostics d;
  auto e = Engine::from_sources({lead, kSetA, b, extra}, shared_catalog(), d);
  INFO(d.format());
  REQUIRE(e);
  REQUIRE(e->rule_sets().size() == 2);
  json p = {{"patient", "P2"},
            {"tumour", {{"oncotree", "LUAD"}}},
            {"findings", json::array({{{"type", "fusion"}, {"gene5", "CD74"}, {"gene3", "ROS1"}}})}};
  auto r = match_record(*e, p);
  std::map<std::string, std::string> set_of;
  for (auto const& m : r["matches"]) set_of[m["rule"]] = m["ruleset"];
  CHECK(set_of["ros1_lead"] == "set-a");  // a leading path joins the first set that declares one
  CHECK(set_of["ros1"] == "set-b");
  CHECK(set_of["ros1_extra"] == "set-b");  // a later path joins the set before it
  // The grouped sources are what the engine keeps (and the registry archives), by set.
  std::vector<std::uint32_t> sets;
  for (auto const& s : e->sources()) sets.push_back(s.set);
  CHECK(sets == std::vector<std::uint32_t>{0, 0, 1, 1});
}

TEST_CASE("rule sets side by side: errors (table)") {
  struct Row {
    std::vector<RuleSource> sources;
    std::string code;
  };
  RuleSource same_name = kSetA;
  same_name.path = "d/ruleset.rules";
  same_name.set = 3;
  RuleSource b = kSetB;
  b.set = 1;
  RuleSource two_in_one{"e/x.rules", "ruleset \"e\" version \"1\"\nruleset \"f\" version \"1\"\n", 4};
  std::vector<Row> rows = {
      {{kSetA, b, same_name}, "E107"},  // two sets with one name
      {{kSetA, two_in_one}, "E104"},    // two declarations within one set
      {{kSetA, RuleSource{"a/second.rules", "ruleset \"g\" version \"1\"\n", 0}}, "E104"},  // one set, two lines
  };
  for (auto const& r : rows) {
    CAPTURE(r.code);
    Diagnostics d;
    CHECK(Engine::from_sources(r.sources, shared_catalog(), d) == nullptr);
    CHECK(first_code(d) == r.code);
  }
}

TEST_CASE("explain: the decision trace as data agrees with the outcome and renders as actionable explain prints it") {
  Diagnostics d;
  auto e = Engine::from_sources({kSetB}, shared_catalog(), d);
  REQUIRE(e);
  auto p = actionable::io::read_patient_json(kSetsPatient.dump(), e->catalog());
  REQUIRE(p);
  auto t = e->explain(*p.value);
  REQUIRE(t);
  auto m = e->match(*p.value);
  REQUIRE(m);
  CHECK(actionable::io::write_outcome(t->outcome) == actionable::io::write_outcome(*m));
  CHECK(t->patient == "P1");
  CHECK(t->lineage.back() == "LUAD");
  CHECK(t->criteria_total == 3);
  REQUIRE(t->steps.size() == 2);  // egfr and the trial arm (ros1: no ROS1 finding)
  auto const& trial = t->steps[1];
  CHECK(trial.criterion.name == "NCT00000201");
  CHECK(trial.when == actionable::Truth::kTrue);
  CHECK(trial.require_text == "ecog <= 1");
  CHECK(trial.require == actionable::Truth::kUnknown);  // no ECOG in the record
  CHECK(trial.status == "recruiting");
  REQUIRE_FALSE(trial.atoms.empty());
  CHECK(trial.atoms[0].text == "somatic EGFR p.L858R");
  CHECK(trial.atoms[0].findings == std::vector<std::uint32_t>{0});
  auto text = actionable::io::trace_text(*t);
  CHECK(text.find("trial NCT00000201 arm \"A\" [matched_trial]") != std::string::npos);
  CHECK(text.find("  3. require ecog <= 1: unknown\n") != std::string::npos);
  CHECK(e->explain_json(kSetsPatient.dump()).json.rfind(text, 0) == 0);  // explain = the trace text, then the outcome's
}

TEST_CASE("report: the header names each rule set with its version when several are side by side") {
  Diagnostics d;
  auto e = both_sets(d);
  REQUIRE(e);
  auto p = actionable::io::read_patient_json(kSetsPatient.dump(), e->catalog());
  REQUIRE(p);
  auto o = e->match(*p.value);
  REQUIRE(o);
  auto doc = actionable::report::build(*o, *p.value, e->catalog(), {});
  CHECK(doc.header.ruleset_label == "set-a 1 + set-b 2");
  CHECK(actionable::report::render_html(doc).find("set-a 1 + set-b 2 (sha256 ") != std::string::npos);
  Diagnostics d1;
  auto alone = Engine::from_sources({kSetA}, shared_catalog(), d1);
  REQUIRE(alone);
  auto o1 = alone->match(*p.value);
  REQUIRE(o1);
  CHECK(actionable::report::build(*o1, *p.value, alone->catalog(), {}).header.ruleset_label == "set-a 1");
}
