// Eligibility facts (issue 13, item 5; docs/language.md "Eligibility facts", docs/inputs.md
// "Clinical facts"): labs with units and ULN multiples, washout, brain metastases, measurable
// disease, prior drug classes (ATC), pregnancy, disease status — three-valued, a missing fact
// named — and near misses on recoverable criteria, reported apart from permanent failures.
#include <doctest/doctest.h>

#include "support.hpp"

using namespace actionable;
using namespace actionable::testing;
using nlohmann::json;

namespace {

/// One trial arm requiring `require` (and excluding `exclude`, when given) on BRAF V600E melanoma.
std::string trial(std::string const& require, std::string const& exclude = "") {
  return "trial NCT00000001 \"t\" {\n  status recruiting\n  arm \"A\" {\n    when somatic BRAF p.V600E\n"
         "    tumour MEL\n" +
         (require.empty() ? std::string() : "    require " + require + "\n") +
         (exclude.empty() ? std::string() : "    exclude " + exclude + "\n") + "  }\n}\n";
}

json record(json facts) {
  json r = {{"patient", "p"},
            {"tumour", {{"oncotree", "MEL"}}},
            {"findings", json::array({{{"gene", "BRAF"}, {"hgvsp", "p.V600E"}}})}};
  for (auto& [k, v] : facts.items()) r[k] = v;
  return r;
}

/// "match", "excluded", "near_miss" or "indeterminate: MISSING…".
std::string outcome(json const& r) {
  if (!r["matches"].empty()) return "match";
  if (r.contains("near_misses")) {
    std::string s = "near_miss:";
    for (auto const& x : r["near_misses"][0]["eligible_once"]) s += " " + x.get<std::string>() + ";";
    return s;
  }
  if (!r["excluded"].empty()) return "excluded";
  if (!r["indeterminate"].empty()) {
    std::string s = "indeterminate:";
    for (auto const& m : r["indeterminate"][0]["missing"]) s += " " + m.get<std::string>() + ";";
    return s;
  }
  return "nothing";
}

struct Row {
  char const* require;
  char const* exclude;
  char const* facts;  ///< JSON object merged into the record
  char const* expect;
};

}  // namespace

TEST_CASE("eligibility: each fact, three-valued, with units (table)") {
  Row const rows[] = {
      // creatinine clearance, mL/min (recoverable: a failure is a near miss)
      {"lab creatinine_clearance >= 50 mL/min", "",
       R"({"labs": [{"test": "creatinine_clearance", "value": 55, "unit": "mL/min"}]})", "match"},
      {"lab creatinine_clearance >= 50 mL/min", "", R"({"labs": [{"test": "CrCl", "value": 50, "unit": "ml/min"}]})",
       "match"},
      {"lab creatinine_clearance >= 50 mL/min", "",
       R"({"labs": [{"test": "creatinine_clearance", "value": 42, "unit": "mL/min"}]})",
       "near_miss: lab creatinine_clearance >= 50 mL/min;"},
      {"lab creatinine_clearance >= 50 mL/min", "", R"({"age": 60})", "indeterminate: lab creatinine_clearance;"},
      // the latest result decides
      {"lab creatinine_clearance >= 50 mL/min", "",
       R"({"labs": [{"test": "creatinine_clearance", "value": 70, "unit": "mL/min", "date": "2026-11-20"},
                    {"test": "creatinine_clearance", "value": 40, "unit": "mL/min", "date": "2026-10-01"}]})",
       "match"},
      // platelets: 10^9/L and /µL are the same quantity (1 /µL = 10^-3 × 10^9/L)
      {"lab platelets >= 100 10^9/L", "", R"({"labs": [{"test": "platelets", "value": 150000, "unit": "/µL"}]})",
       "match"},
      {"lab platelets >= 100 10^9/L", "", R"({"labs": [{"test": "platelets", "value": 99000, "unit": "/uL"}]})",
       "near_miss: lab platelets >= 100 10^9/L;"},
      {"lab platelets >= 100000 /uL", "", R"({"labs": [{"test": "platelets", "value": 100, "unit": "10^9/L"}]})",
       "match"},
      {"lab neutrophils >= 1.5 10^9/L", "", R"({"labs": [{"test": "ANC", "value": 1500, "unit": "cells/uL"}]})",
       "match"},
      // haemoglobin: g/dL, g/L (exactly ten times), mmol/L
      {"lab haemoglobin >= 9 g/dL", "", R"({"labs": [{"test": "hemoglobin", "value": 90, "unit": "g/L"}]})", "match"},
      {"lab haemoglobin >= 90 g/L", "", R"({"labs": [{"test": "haemoglobin", "value": 8.9, "unit": "g/dL"}]})",
       "near_miss: lab haemoglobin >= 9 g/dL;"},
      // ALT / AST / bilirubin as multiples of ULN: from the record's ULN or a value given as "x ULN"
      {"lab alt <= 3 x ULN", "", R"({"labs": [{"test": "alt", "value": 100, "unit": "U/L", "uln": 40}]})", "match"},
      {"lab alt <= 3 x ULN", "", R"({"labs": [{"test": "ALT", "value": 130, "unit": "U/L", "uln": 40}]})",
       "near_miss: lab alt <= 3 x ULN;"},
      {"lab alt <= 3 x ULN", "", R"({"labs": [{"test": "alt", "value": 100, "unit": "U/L"}]})",
       "indeterminate: lab alt ULN;"},
      {"lab ast <= 2.5 x ULN", "", R"({"labs": [{"test": "ast", "value": 2, "unit": "x ULN"}]})", "match"},
      {"lab bilirubin <= 1.5 x ULN", "",
       R"({"labs": [{"test": "bilirubin", "value": 30, "unit": "µmol/L", "uln": 21}]})", "match"},
      {"lab bilirubin <= 1.5 mg/dL", "", R"({"labs": [{"test": "bilirubin", "value": 17.1, "unit": "umol/L"}]})",
       "match"},
      {"lab bilirubin <= 1.5 mg/dL", "", R"({"labs": [{"test": "bilirubin", "value": 2, "unit": "x ULN"}]})",
       "indeterminate: lab bilirubin value;"},
      // washout: days since the last systemic therapy ended, on the record's as_of date
      {"washout >= 28 days", "",
       R"({"as_of": "2026-11-30", "treatments": [{"drugs": ["carboplatin"], "start": "2026-06-01", "end": "2026-10-15"}]})",
       "match"},
      {"washout >= 4 weeks", "",
       R"({"as_of": "2026-11-30", "treatments": [{"drugs": ["carboplatin"], "start": "2026-06-01", "end": "2026-11-10"}]})",
       "near_miss: washout >= 28 days;"},
      {"washout >= 28 days", "",
       R"({"as_of": "2026-11-30", "treatments": [{"drugs": ["osimertinib"], "start": "2026-06-01"}]})",
       "near_miss: washout >= 28 days;"},
      {"washout >= 28 days", "", R"({"treatments": [{"drugs": ["carboplatin"], "end": "2026-10-15"}]})",
       "indeterminate: as_of;"},
      {"washout >= 28 days", "", R"({"lines": 0})", "match"},
      {"washout >= 28 days", "", R"({"lines": 1})", "indeterminate: prior treatments;"},
      // brain metastases (permanent criteria: a failure is excluded, not a near miss)
      {"not brain_metastases active", "", R"({"brain_metastases": "treated-stable"})", "match"},
      {"", "brain_metastases active", R"({"brain_metastases": "active"})", "excluded"},
      {"brain_metastases none or brain_metastases treated_stable", "", R"({"age": 1})",
       "indeterminate: brain_metastases;"},
      // measurable disease (RECIST 1.1)
      {"measurable disease", "", R"({"measurable_disease": true})", "match"},
      {"measurable disease", "", R"({"measurable_disease": false})", "excluded"},
      {"measurable disease", "", R"({"age": 1})", "indeterminate: measurable_disease;"},
      // pregnancy: a man is not pregnant; a woman without the fact is unknown
      {"", "pregnant", R"({"pregnant": false, "sex": "F"})", "match"},
      {"", "pregnant", R"({"pregnant": true, "sex": "F"})", "excluded"},
      {"", "pregnant", R"({"sex": "M"})", "match"},
      {"", "pregnant", R"({"sex": "F"})", "indeterminate: pregnant;"},
      // prior drug classes (WHO ATC), named drugs alongside
      {"prior class L01EB", "", R"({"treatments": [{"drugs": ["osimertinib"]}]})", "match"},
      {"prior class L01E", "", R"({"treatments": [{"drugs": ["Dabrafenib", "trametinib"]}]})", "match"},
      {"not prior class L01FF", "", R"({"treatments": [{"drugs": ["carboplatin", "pemetrexed"]}]})", "match"},
      {"not prior class L01FF", "", R"({"treatments": [{"drugs": ["pembrolizumab"]}]})", "excluded"},
      {"not prior class L01FF", "", R"({"treatments": [{"drugs": ["carboplatin", "bevacizumab"]}]})",
       "indeterminate: ATC class of 'bevacizumab';"},
      {"prior class L01XA and prior \"pemetrexed\"", "", R"({"treatments": [{"drugs": ["cisplatin", "pemetrexed"]}]})",
       "match"},
      {"prior class L01XA", "", R"({"lines": 0})", "excluded"},
      {"prior class L01XA", "", R"({"lines": 2})", "indeterminate: prior treatments;"},
      // disease status
      {"disease_status \"metastatic\"", "", R"({"disease_status": ["Metastatic", "refractory"]})", "match"},
      {"disease_status \"metastatic\"", "", R"({"disease_status": []})", "excluded"},
      // recoverable and permanent together: a permanent failure is never a near miss
      {"lab platelets >= 100 10^9/L and measurable disease", "",
       R"({"labs": [{"test": "platelets", "value": 50, "unit": "10^9/L"}], "measurable_disease": false})", "excluded"},
      {"lab platelets >= 100 10^9/L and measurable disease", "",
       R"({"labs": [{"test": "platelets", "value": 50, "unit": "10^9/L"}], "measurable_disease": true})",
       "near_miss: lab platelets >= 100 10^9/L;"},
      {"lab platelets >= 100 10^9/L and washout >= 21 days", "",
       R"({"labs": [{"test": "platelets", "value": 50, "unit": "10^9/L"}], "as_of": "2026-11-30",
           "treatments": [{"drugs": ["docetaxel"], "end": "2026-11-20"}]})",
       "near_miss: lab platelets >= 100 10^9/L; washout >= 21 days;"},
      // an exclusion on a recoverable value: eligible once it no longer holds
      {"", "lab bilirubin > 3 x ULN", R"({"labs": [{"test": "bilirubin", "value": 4, "unit": "x ULN"}]})",
       "near_miss: not lab bilirubin > 3 x ULN;"},
      // a near miss with another fact still unknown stays a near miss (the lab must change first)
      {"lab platelets >= 100 10^9/L and measurable disease", "",
       R"({"labs": [{"test": "platelets", "value": 50, "unit": "10^9/L"}]})",
       "near_miss: lab platelets >= 100 10^9/L;"},
  };
  for (auto const& row : rows) {
    INFO(row.require, " / ", row.exclude, " / ", row.facts);
    auto e = compile_ok(trial(row.require, row.exclude));
    auto r = match(*e, record(json::parse(row.facts)));
    CHECK(outcome(r) == row.expect);
  }
}

TEST_CASE("eligibility: near misses are reported apart from permanent failures") {
  auto e = compile_ok(trial("lab creatinine_clearance >= 50 mL/min") +
                      "trial NCT00000002 \"u\" {\n  status recruiting\n  arm \"B\" {\n    when somatic BRAF p.V600E\n"
                      "    tumour MEL\n    require ecog <= 1\n  }\n}\n");
  auto r = match(
      *e,
      record(json::parse(R"({"ecog": 2, "labs": [{"test": "creatinine_clearance", "value": 30, "unit": "mL/min"}]})")));
  REQUIRE(r["near_misses"].size() == 1);
  CHECK(r["near_misses"][0]["trial"] == "NCT00000001");
  CHECK(r["near_misses"][0]["reason"] == "requirement not met: lab creatinine_clearance >= 50 mL/min");
  CHECK(r["near_misses"][0]["eligible_once"] == json::array({"lab creatinine_clearance >= 50 mL/min"}));
  REQUIRE(r["excluded"].size() == 1);  // the permanent failure (ECOG) stays in excluded
  CHECK(r["excluded"][0]["trial"] == "NCT00000002");
  // A closed trial is never a near miss.
  auto closed = compile_ok(
      "trial NCT00000003 \"c\" {\n  status closed\n  arm \"A\" {\n    when somatic BRAF p.V600E\n"
      "    tumour MEL\n    require lab alt <= 3 x ULN\n  }\n}\n");
  auto rc = match(*closed, record(json::parse(R"({"labs": [{"test": "alt", "value": 5, "unit": "x ULN"}]})")));
  CHECK(!rc.contains("near_misses"));
  CHECK(rc["excluded"].size() == 1);
  // Without recoverable criteria the result has no near_misses key at all.
  auto plain = compile_ok(trial("ecog <= 1"));
  CHECK(!match(*plain, record(json::parse(R"({"ecog": 3})"))).contains("near_misses"));
}

TEST_CASE("eligibility: rule-side errors (table)") {
  struct Bad {
    char const* require;
    char const* code;
    char const* message;
  };
  Bad const rows[] = {
      {"lab lactate >= 2 mmol/L", "E273", "unknown laboratory test 'lactate'"},
      {"lab platelets >= 100 g/dL", "E274", "'g/dL' is not a unit of platelets"},
      {"lab haemoglobin >= 2 x ULN", "E274", "haemoglobin is not reported against an upper limit of normal"},
      {"lab creatinine_clearance >= 50 mL/min/1.73m2", "E274", "is not a unit of creatinine_clearance"},
      {"prior class L01ZZ", "E275", "'L01ZZ' is not an ATC class of the drug table"},
      {"disease_status \"\"", "E275", "an empty disease status"},
  };
  for (auto const& b : rows) {
    INFO(b.require);
    Diagnostics d;
    auto e = compile(trial(b.require), d);
    CHECK(e == nullptr);
    CHECK(first_code(d) == b.code);
    CHECK(d.format().find(b.message) != std::string::npos);
  }
}

TEST_CASE("eligibility: record-side errors carry a JSON pointer (table)") {
  auto e = compile_ok(trial("lab platelets >= 100 10^9/L"));
  struct Bad {
    char const* facts;
    char const* pointer;
    char const* message;
  };
  Bad const rows[] = {
      {R"({"labs": [{"test": "platelets", "value": 150, "unit": "g/dL"}]})", "/labs/0/unit",
       "'g/dL' is not a unit of platelets"},
      {R"({"labs": [{"test": "platelets", "value": 150}]})", "/labs/0/unit", "required field is missing"},
      {R"({"labs": [{"test": "platelets", "unit": "10^9/L"}]})", "/labs/0/value", "required field is missing"},
      {R"({"labs": [{"test": "sodium", "value": 140, "unit": "mmol/L"}]})", "/labs/0/test",
       "unknown laboratory test 'sodium'"},
      {R"({"labs": [{"test": "platelets", "value": 150, "unit": "x ULN"}]})", "/labs/0/unit",
       "not reported against an upper limit"},
      {R"({"labs": [{"test": "platelets", "value": 150, "unit": "10^9/L", "date": "2026-13-01"}]})", "/labs/0/date",
       "must be a date"},
      {R"({"labs": {"test": "platelets"}})", "/labs", "must be an array"},
      {R"({"as_of": "30/11/2026"})", "/as_of", "must be a date"},
      {R"({"brain_metastases": "some"})", "/brain_metastases", "must be \"none\", \"treated_stable\" or \"active\""},
      {R"({"measurable_disease": "yes"})", "/measurable_disease", "must be true or false"},
      {R"({"pregnant": 1})", "/pregnant", "must be true or false"},
      {R"({"disease_status": [3]})", "/disease_status/0", "must be a non-empty string"},
  };
  for (auto const& b : rows) {
    INFO(b.facts);
    auto out = e->match_json(record(json::parse(b.facts)).dump());
    CHECK(!out.ok);
    REQUIRE(!out.errors.empty());
    CHECK(out.errors[0].pointer == b.pointer);
    CHECK(out.errors[0].message.find(b.message) != std::string::npos);
  }
}

TEST_CASE("eligibility: rule-author test patients state the facts; expect near_miss") {
  std::string rules = trial("lab creatinine_clearance >= 50 mL/min and washout >= 28 days and measurable disease",
                            "brain_metastases active or pregnant") +
                      R"(
test "kidney function too low: near miss" {
  patient { tumour MEL  somatic BRAF p.V600E  lab creatinine_clearance 42 mL/min
            as_of 2026-11-30  prior "carboplatin" ended 2026-09-01
            measurable_disease yes  brain_metastases none  pregnant no }
  expect near_miss NCT00000001
  expect not excluded NCT00000001
  expect not matched_trial
}
test "all met" {
  patient { tumour MEL  somatic BRAF p.V600E  lab crcl 3.6 mL/min  lab creatinine_clearance 60 mL/min
            as_of 2026-11-30  prior "carboplatin" ended 2026-09-01  disease_status "metastatic"
            measurable_disease yes  brain_metastases treated_stable  pregnant no }
  expect matched_trial NCT00000001 arm "A"
}
test "active brain metastases: permanent" {
  patient { tumour MEL  somatic BRAF p.V600E  lab creatinine_clearance 42 mL/min
            as_of 2026-11-30  lines 0  measurable_disease yes  brain_metastases active }
  expect excluded NCT00000001
  expect not near_miss NCT00000001
}
test "pregnancy unknown" {
  patient { tumour MEL  sex F  somatic BRAF p.V600E  lab creatinine_clearance 60 mL/min  lines 0
            measurable_disease yes  brain_metastases none }
  expect indeterminate NCT00000001
  expect missing "pregnant"
}
test "deliberately wrong: must fail" {
  patient { tumour MEL  somatic BRAF p.V600E  lab creatinine_clearance 42 mL/min  lines 0
            measurable_disease yes  brain_metastases none  pregnant no }
  expect excluded NCT00000001
}
)";
  auto e = compile_ok(rules);
  auto report = e->run_tests();
  CHECK(report.passed == 4);
  REQUIRE(report.failed == 1);
  CHECK(report.failures[0].find("deliberately wrong") != std::string::npos);

  Diagnostics d;
  CHECK(compile(trial("age >= 18") +
                    R"(test "bad" { patient { tumour MEL lab platelets 100 g/dL } expect not matched_trial })",
                d) == nullptr);
  CHECK(first_code(d) == "E274");
  Diagnostics d2;
  CHECK(
      compile(trial("age >= 18") + R"(test "bad" { patient { tumour MEL as_of 2026-02-30 } expect not matched_trial })",
              d2) == nullptr);
  CHECK(first_code(d2) == "E276");
}

TEST_CASE("eligibility: an arm recruiting nowhere in the patient's country is never a near miss") {
  auto at = [](char const* site) {
    return std::string("trial NCT00000021 \"s\" {\n  status recruiting\n  site ") + site +
           " recruiting\n  arm \"A\" {\n    when somatic BRAF p.V600E\n    tumour MEL\n"
           "    require lab platelets >= 100 10^9/L\n  }\n}\n";
  };
  auto rec =
      record(json::parse(R"({"centre": "BE-UZL", "labs": [{"test": "platelets", "value": 60, "unit": "10^9/L"}]})"));
  auto home = match(*compile_ok(at("BE-UZL")), rec);
  REQUIRE(home.contains("near_misses"));
  CHECK(home["near_misses"][0]["eligible_once"] == json::array({"lab platelets >= 100 10^9/L"}));
  auto abroad = match(*compile_ok(at("NL-AVL")), rec);
  CHECK(!abroad.contains("near_misses"));
  CHECK(abroad["excluded"].size() == 1);
}
