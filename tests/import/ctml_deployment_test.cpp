// CTML as MatchMiner deployments write it (issue 13, item 3; docs/ctml.md): trial-level match
// trees, every clinical key matchengine-V2's code handles (dfci_config.json: age_numerical,
// oncotree_primary_diagnosis with _SOLID_ / _LIQUID_ / `!`, gender, tmb_numerical,
// her2/er/pr_status through true_false_map, disease_status, prior_treatments.drug), and the
// trial status values of OnCore / CTRP deployments. Tables of {input, expected}.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "actionable/engine.hpp"
#include "actionable/import/ctml.hpp"
#include "support.hpp"

using namespace actionable;
using nlohmann::json;

namespace {

/// One trial with `match` at trial level and `clinical` as given, plus a BRAF V600E criterion.
import::CtmlResult convert(std::string const& clinical, std::string const& status = "Open to Accrual"){
    std::string doc = R"({"protocol_no": "99-001", "status": ")" + status + R"(", "match": [{"and": [
      {"genomic": {"hugo_symbol": "BRAF", "variant_category": "Mutation", "protein_change": "p.V600E"}},
      {"clinical": )" +
                      clinical + R"(}]}]})";
return import::import_ctml({{"t.json", doc}}, importtest::shared_catalog());
}  // namespace

std::string issues_of(import::CtmlResult const& r) {
  std::string s;
  for (auto const& i : r.issues) s += i.to_string() + "\n";
  return s;
}

std::shared_ptr<Engine const> compile(import::CtmlResult const& r) {
  std::vector<RuleSource> src;
  for (auto const& f : r.files) src.push_back({f.path, f.text()});
  Diagnostics d;
  auto e = Engine::from_sources(src, importtest::shared_catalog(), d);
  REQUIRE_MESSAGE(e != nullptr, d.format());
  return e;
}

}  // namespace

TEST_CASE("ctml: every clinical key of matchengine-V2 is translated (table)") {
  struct Row {
    char const* clinical;
    char const* when;     ///< expected `when` line ("" = not checked)
    char const* tumour;   ///< expected `tumour` line
    char const* require;  ///< expected `require` line ("" = none)
  };
  Row const rows[] = {
      {R"({"oncotree_primary_diagnosis": "Melanoma"})", "somatic BRAF p.V600E", "MEL", ""},
      {R"({"oncotree_primary_diagnosis": "_SOLID_"})", "somatic BRAF p.V600E", "SOLID", ""},
      {R"({"oncotree_primary_diagnosis": "_LIQUID_"})", "somatic BRAF p.V600E", "LYMPH, MYELOID", ""},
      {R"({"oncotree_primary_diagnosis": "!_SOLID_"})", "somatic BRAF p.V600E", "LYMPH, MYELOID", ""},
      {R"({"oncotree_primary_diagnosis": "!Melanoma"})", "somatic BRAF p.V600E", "any except MEL", ""},
      {R"({"age_numerical": ">=18"})", "somatic BRAF p.V600E", "any", "age >= 18"},
      {R"({"age_numerical": "<0.5"})", "somatic BRAF p.V600E", "any", "age < 0.5"},
      {R"({"gender": "Female"})", "somatic BRAF p.V600E", "any", "sex = F"},
      {R"({"gender": "!Male"})", "somatic BRAF p.V600E", "any", "sex != M"},
      {R"({"tmb_numerical": ">=10"})", "somatic BRAF p.V600E and biomarker TMB >= 10", "any", ""},
      {R"({"tmb_numerical": "20"})", "somatic BRAF p.V600E and biomarker TMB = 20", "any", ""},
      {R"({"her2_status": "Positive"})", "somatic BRAF p.V600E and biomarker HER2 = positive", "any", ""},
      {R"({"her2_status": false})", "somatic BRAF p.V600E and biomarker HER2 = negative", "any", ""},
      {R"({"er_status": "true"})", "somatic BRAF p.V600E and biomarker ER = positive", "any", ""},
      {R"({"pr_status": "!Negative"})", "somatic BRAF p.V600E and biomarker PR != negative", "any", ""},
      {R"({"disease_status": "Metastatic"})", "somatic BRAF p.V600E", "any", "disease_status \"metastatic\""},
      {R"({"disease_status": "!Newly Diagnosed"})", "somatic BRAF p.V600E", "any",
       "not disease_status \"newly diagnosed\""},
      {R"({"disease_status": ["Metastatic", "Refractory"]})", "somatic BRAF p.V600E", "any",
       "disease_status \"metastatic\" or disease_status \"refractory\""},
  };
  for (auto const& row : rows) {
    INFO(row.clinical);
    auto r = convert(row.clinical);
    CHECK_MESSAGE(!r.has_errors(), issues_of(r));
    auto t = importtest::text_of(r);
    CHECK(t.find(std::string("    when    ") + row.when + "\n") != std::string::npos);
    CHECK(t.find(std::string("    tumour  ") + row.tumour + "\n") != std::string::npos);
    if (*row.require)
      CHECK(t.find(std::string("    require ") + row.require + "\n") != std::string::npos);
    else
      CHECK(t.find("    require ") == std::string::npos);
    CHECK(t.find("arm \"trial\"") != std::string::npos);  // the trial-level tree is an arm of its own
  }
}

TEST_CASE("ctml: untranslatable clinical values are errors, never widened (table)") {
  struct Row {
    char const* clinical;
    char const* error;
  };
  Row const rows[] = {
      {R"({"her2_status": 3})", "her2_status 3: expected a status text"},
      {R"({"er_status": "Maybe"})", "unknown er_status value 'Maybe'"},
      {R"({"disease_status": 7})", "expected a string or a list of strings"},
      {R"({"disease_status": ""})", "unreadable disease_status"},
      {R"({"gender": "Unknown"})", "unknown gender 'Unknown'"},
      {R"({"age_numerical": "adult"})", "cannot read the age limit"},
      {R"({"oncotree_primary_diagnosis": "Not A Tumour"})", "is not an OncoTree 2025-10-03 tumour name or code"},
      {R"({"vital_status": "alive"})", "clinical key 'vital_status' has no translation"},
  };
  for (auto const& row : rows) {
    INFO(row.clinical);
    auto r = convert(row.clinical);
    CHECK(r.has_errors());
    CHECK(r.trials_written == 0);  // the only tree is left out: nothing widened
    CHECK(issues_of(r).find(row.error) != std::string::npos);
  }
}

TEST_CASE("ctml: trial status values of deployments (table)") {
  struct Row {
    char const* text;
    char const* status;
    bool error;
  };
  Row const rows[] = {
      {"Open to Accrual", "recruiting", false},
      {"open to accrual", "recruiting", false},
      {"Active", "recruiting", false},
      {"Closed to Accrual", "closed", false},
      {"Closed to Accrual and Intervention", "closed", false},
      {"IRB Study Closure", "closed", false},
      {"Administratively Complete", "closed", false},
      {"Complete", "closed", false},
      {"Withdrawn", "closed", false},
      {"Approved", "closed", false},
      {"In Review", "closed", false},
      {"Suspended", "suspended", false},
      {"Temporarily Closed to Accrual", "suspended", false},
      {"Temporarily Closed to Accrual and Intervention", "suspended", false},
      {"On Hold", "suspended", false},
      {"Sort of open", "closed", true},
  };
  for (auto const& row : rows) {
    INFO(row.text);
    auto r = convert(R"({"age_numerical": ">=18"})", row.text);
    CHECK(r.has_errors() == row.error);
    CHECK(importtest::text_of(r).find(std::string("{\n  status  ") + row.status + "\n") != std::string::npos);
  }
}

TEST_CASE("ctml: prior_treatments and arm suspension spellings") {
  std::string doc = R"({"protocol_no": "99-002", "status": "Open to Accrual", "treatment_list": {"step": [{"arm": [
      {"arm_code": "A", "arm_suspended": "N", "match": [{"and": [
          {"genomic": {"hugo_symbol": "EGFR", "variant_category": "Mutation", "protein_change": "p.T790M"}},
          {"prior_treatments": {"drug": "Osimertinib"}}]}]},
      {"arm_code": "B", "arm_suspended": "Yes", "match": [{"and": [
          {"genomic": {"hugo_symbol": "EGFR", "variant_category": "Mutation", "protein_change": "p.L858R"}},
          {"prior_treatments": {"drug": "!Osimertinib"}}]}]}]}]}})";
  auto r = import::import_ctml({{"t.json", doc}}, importtest::shared_catalog());
  CHECK_MESSAGE(!r.has_errors(), issues_of(r));
  auto t = importtest::text_of(r);
  CHECK(t.find("arm \"A\" {\n    status  recruiting\n    when    somatic EGFR p.T790M\n    tumour  any\n"
               "    require prior \"osimertinib\"") != std::string::npos);
  CHECK(t.find("arm \"B\" {\n    status  suspended\n    when    somatic EGFR p.L858R\n    tumour  any\n"
               "    require not prior \"osimertinib\"") != std::string::npos);
  auto bad = import::import_ctml({{"t.json", R"({"protocol_no": "99-003", "match": [{"and": [
      {"genomic": {"hugo_symbol": "EGFR", "variant_category": "Mutation", "protein_change": "p.T790M"}},
      {"prior_treatments": {"regimen": "FOLFOX"}}]}]})"}},
                                 importtest::shared_catalog());
  CHECK(bad.has_errors());
  CHECK(issues_of(bad).find("prior_treatments key 'regimen' has no translation") != std::string::npos);
}

TEST_CASE("ctml: disease_status is matched against the patient record, three-valued") {
  auto r = convert(R"({"disease_status": "Metastatic", "oncotree_primary_diagnosis": "Melanoma"})");
  REQUIRE(!r.has_errors());
  auto engine = compile(r);
  struct Row {
    char const* facts;
    char const* where;  ///< "matches", "indeterminate" or "excluded"
  };
  Row const rows[] = {
      {R"("disease_status": ["metastatic"])", "matches"},
      {R"("disease_status": "Metastatic")", "matches"},
      {R"("disease_status": ["locally advanced"])", "excluded"},
      {R"("age": 50)", "indeterminate"},
  };
  for (auto const& row : rows) {
    INFO(row.facts);
    auto out = engine->match_json(std::string(R"({"patient": "p", "tumour": {"oncotree": "MEL"}, )") + row.facts +
                                  R"(, "findings": [{"gene": "BRAF", "hgvsp": "p.V600E"}]})");
    std::string err = out.errors.empty() ? std::string() : out.errors[0].message;
    REQUIRE_MESSAGE(out.ok, err);
    auto j = json::parse(out.json);
    REQUIRE(j.contains(row.where));
    CHECK(j[row.where].size() == 1);
    if (std::string(row.where) == "indeterminate")
      CHECK(j["indeterminate"][0]["missing"] == json::array({"disease_status"}));
  }
}

TEST_CASE("ctml: a retired OncoTree code is mapped to the current one with a note naming both") {
  auto r = convert(R"({"oncotree_primary_diagnosis": "GBM", "age_numerical": ">=18"})");
  INFO(issues_of(r));
  CHECK_FALSE(r.has_errors());
  CHECK(issues_of(r).find("retired OncoTree code 'GBM' (revoked) read as GB") != std::string::npos);
  CHECK(importtest::text_of(r).find("tumour  GB") != std::string::npos);
  compile(r);
  // A code that is not in any release stays an error.
  auto bad = convert(R"({"oncotree_primary_diagnosis": "NOPE_X"})");
  CHECK(bad.has_errors());
}
