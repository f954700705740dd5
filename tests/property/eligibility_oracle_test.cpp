// Property test of the eligibility facts and near misses (issue 13, item 5): on generated trial
// arms whose require / exclude mix labs (with unit conversions and ULN multiples), washouts,
// brain metastases, measurable disease, prior classes, pregnancy and disease status, and on
// generated patients holding some of those facts, the compiled graph and the reference oracle
// give byte-identical result JSON (near_misses included). STYLE habit 8.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "actionable/detail/eval/evaluate.hpp"
#include "actionable/detail/eval/pathway.hpp"
#include "actionable/detail/eval/patient_view.hpp"
#include "actionable/detail/io/result_json.hpp"
#include "cohort.hpp"

namespace {

using namespace actionable;
using nlohmann::json;

char const* const kAtoms[] = {
    "lab creatinine_clearance >= 50 mL/min",
    "lab platelets >= 100 10^9/L",
    "lab platelets >= 75000 /uL",
    "lab neutrophils >= 1.5 10^9/L",
    "lab haemoglobin >= 9 g/dL",
    "lab haemoglobin >= 80 g/L",
    "lab alt <= 3 x ULN",
    "lab ast <= 2.5 x ULN",
    "lab bilirubin <= 1.5 x ULN",
    "lab bilirubin <= 1.5 mg/dL",
    "washout >= 28 days",
    "washout >= 2 weeks",
    "brain_metastases active",
    "brain_metastases none",
    "measurable disease",
    "prior class L01EB",
    "prior class L01XA",
    "prior class L01F",
    "prior \"osimertinib\"",
    "pregnant",
    "disease_status \"metastatic\"",
    "ecog <= 1",
    "age >= 18",
};
char const* const kWhen[] = {"somatic EGFR p.L858R", "somatic KRAS p.G12C", "somatic BRAF p.V600E"};
char const* const kDrugs[] = {"osimertinib", "erlotinib", "carboplatin", "cisplatin", "pembrolizumab",
                              "nivolumab",   "docetaxel", "bevacizumab", "pemetrexed"};

std::string atom(bench::Rng& r) {
  std::string a = r.pick(kAtoms);
  return r.chance(0.2) ? "not " + a : a;
}

std::string expr(bench::Rng& r) {
  std::string s = atom(r);
  int n = r.between(0, 3);
  for (int i = 0; i < n; ++i) s += (r.chance(0.75) ? " and " : " or ") + atom(r);
  return r.chance(0.2) ? "(" + s + ") or " + atom(r) : s;
}

std::string rules(std::size_t arms, std::uint64_t seed) {
  bench::Rng r(seed);
  std::string out = "ruleset \"elig\" version \"1\"\n";
  for (std::size_t i = 0; i < arms; ++i) {
    out += "trial NCT" + std::to_string(10000000 + i) + " \"t\" {\n  status " +
           (r.chance(0.85) ? "recruiting" : "closed") + "\n  arm \"A\" {\n    when " + r.pick(kWhen) + "\n    tumour " +
           (r.chance(0.5) ? "NSCLC" : "any") + "\n";
    if (r.chance(0.85)) out += "    require " + expr(r) + "\n";
    if (r.chance(0.4)) out += "    exclude " + expr(r) + "\n";
    out += "  }\n}\n";
  }
  return out;
}

std::string record(std::size_t i, bench::Rng& r) {
  json p = {{"patient", "P" + std::to_string(i)}, {"tumour", {{"oncotree", r.chance(0.7) ? "LUAD" : "COAD"}}}};
  json f = json::array();
  if (r.chance(0.6)) f.push_back({{"gene", "EGFR"}, {"hgvsp", "p.L858R"}});
  if (r.chance(0.4)) f.push_back({{"gene", "KRAS"}, {"hgvsp", "p.G12C"}});
  if (r.chance(0.3)) f.push_back({{"gene", "BRAF"}, {"hgvsp", "p.V600E"}});
  p["findings"] = f;
  if (r.chance(0.8)) p["age"] = r.between(15, 85);
  if (r.chance(0.8)) p["ecog"] = r.between(0, 3);
  if (r.chance(0.9)) p["sex"] = r.chance(0.5) ? "F" : "M";
  json labs = json::array();
  if (r.chance(0.7))
    labs.push_back({{"test", "creatinine_clearance"}, {"value", r.between(20, 120)}, {"unit", "mL/min"}});
  if (r.chance(0.7))
    labs.push_back(r.chance(0.5) ? json{{"test", "platelets"}, {"value", r.between(30, 300)}, {"unit", "10^9/L"}}
                                 : json{{"test", "platelets"}, {"value", r.between(30, 300) * 1000}, {"unit", "/µL"}});
  if (r.chance(0.6)) labs.push_back({{"test", "neutrophils"}, {"value", r.between(5, 40) / 10.0}, {"unit", "10^9/L"}});
  if (r.chance(0.6))
    labs.push_back(r.chance(0.5)
                       ? json{{"test", "hemoglobin"}, {"value", r.between(70, 150)}, {"unit", "g/L"}}
                       : json{{"test", "haemoglobin"}, {"value", r.between(70, 150) / 10.0}, {"unit", "g/dL"}});
  if (r.chance(0.6)) {
    json alt = {{"test", "alt"}, {"value", r.between(10, 200)}, {"unit", "U/L"}};
    if (r.chance(0.7)) alt["uln"] = 40;
    labs.push_back(alt);
  }
  if (r.chance(0.5)) labs.push_back({{"test", "ast"}, {"value", r.between(5, 50) / 10.0}, {"unit", "x ULN"}});
  if (r.chance(0.5))
    labs.push_back({{"test", "bilirubin"}, {"value", r.between(5, 60)}, {"unit", "µmol/L"}, {"uln", 21}});
  if (!labs.empty()) p["labs"] = labs;
  if (r.chance(0.7)) p["as_of"] = "2026-11-30";
  int lines = r.between(0, 3);
  if (r.chance(0.85)) p["lines"] = lines;
  if (lines > 0 && r.chance(0.8)) {
    json tr = json::array();
    for (int l = 1; l <= lines; ++l) {
      json t = {{"line", l}, {"drugs", json::array({r.pick(kDrugs)})}, {"start", "2026-0" + std::to_string(l) + "-01"}};
      if (l < lines || r.chance(0.7))
        t["end"] = "2026-" + std::string(r.chance(0.5) ? "10" : "11") + "-1" + std::to_string(l);
      tr.push_back(t);
    }
    p["treatments"] = tr;
  }
  static char const* const kBrain[] = {"none", "treated_stable", "active"};
  if (r.chance(0.6)) p["brain_metastases"] = r.pick(kBrain);
  if (r.chance(0.6)) p["measurable_disease"] = r.chance(0.7);
  if (r.chance(0.4)) p["pregnant"] = r.chance(0.1);
  if (r.chance(0.5))
    p["disease_status"] = r.chance(0.6) ? json::array({"metastatic"}) : json::array({"locally advanced"});
  return p.dump();
}

}  // namespace

TEST_CASE("oracle: eligibility facts and near misses, graph == reference (generated)") {
  auto catalog = bench::load_catalog(std::string(ACTIONABLE_SOURCE_DIR) + "/rules/reference");
  REQUIRE(catalog);
  std::size_t near = 0, excluded = 0, matches = 0, indeterminate = 0, patients_total = 0;
  for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
    auto compiled = bench::compile_rules(rules(60, seed), catalog);
    INFO(compiled.diags.format());
    REQUIRE(compiled.rules);
    auto const& rs = *compiled.rules;
    RuleSetInfo info{rs.name, rs.version, "synthetic"};
    bench::Rng r(seed * 7919);
    std::vector<std::string> records;
    for (std::size_t i = 0; i < 300; ++i) records.push_back(record(i, r));
    std::vector<std::string> errors;
    auto patients = bench::read_patients(records, *catalog, &errors);
    INFO((errors.empty() ? std::string() : errors.front()));
    REQUIRE(errors.empty());
    for (std::size_t i = 0; i < patients.size(); ++i) {
      eval::PatientView view(patients[i], *catalog);
      auto fast = eval::classify(rs, view, eval::evaluate(*compiled.graph, view));
      auto slow = eval::classify(rs, view, eval::evaluate_reference(rs, view));
      auto a = io::result_json(fast, rs, info);
      auto b = io::result_json(slow, rs, info);
      INFO("seed ", seed, " record ", records[i]);
      REQUIRE(a == b);
      auto j = json::parse(b);
      near += j.contains("near_misses") ? j["near_misses"].size() : 0;
      excluded += j["excluded"].size();
      matches += j["matches"].size();
      indeterminate += j["indeterminate"].size();
    }
    patients_total += patients.size();
  }
  MESSAGE("eligibility oracle: ", patients_total, " patients; matches ", matches, ", near misses ", near, ", excluded ",
          excluded, ", indeterminate ", indeterminate);
  // The generator exercises every outcome (a test that could not fail otherwise).
  CHECK(near > 0);
  CHECK(excluded > 0);
  CHECK(matches > 0);
  CHECK(indeterminate > 0);
}
