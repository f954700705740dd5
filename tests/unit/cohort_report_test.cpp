// The cohort report (issue 11 item 3): the batch builder counts what the results say, the
// Wilson interval matches the textbook values, and every fact of the model is in the HTML and
// the JSON (a test per section that fails when the section loses a fact).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "actionable/report/cohort.hpp"

using namespace actionable;
using namespace actionable::report;

namespace {

std::pair<model::Patient, Outcome> cohort_record(std::string id, std::string tumour, std::vector<OptionClass> classes,
                                                 PathwayOption rec) {
  model::Patient p;
  p.id = id;
  p.tumour_code = std::move(tumour);
  Outcome o;
  o.patient = std::move(id);
  for (auto c : classes) {
    Match m;
    m.cls = c;
    o.matches.push_back(m);
  }
  o.pathway.recommended = rec;
  return {p, o};
}

Cohort cohort_sample() {
  Cohort c;
  c.title = "Cohort <test>";
  c.scope = "BE-A";
  c.source = "registry";
  c.as_of = "2026-12-01";
  c.patients = 7;
  c.matched = 6;
  c.endpoints = {wilson_rate("Patients with an actionable alteration", 4, 6),
                 wilson_rate("Enrolled in PRECISION 2", 1, 6)};
  c.by_tumour = {wilson_rate("LUAD", 3, 4), wilson_rate("COAD", 1, 2)};
  c.recommended = {{"standard_of_care", 3}, {"empirical", 3}};
  c.crosstab = {{"standard_of_care", {{"standard_of_care", 2}, {"empirical", 1}}}};
  c.pfs_ratio = {{std::string(64, 'a'), 2, 100, 200, true, 2.0, "success"},
                 {std::string(64, 'b'), 2, 300, 120, false, 0.4, "pending"}};
  c.follow_up = {wilson_rate("visit 1 (month 6)", 5, 6)};
  SurvivalCurve s;
  s.title = "Overall survival from inclusion";
  s.n = 6;
  s.events = 2;
  s.steps = {{90, 0.8333, 0.27, 0.97}, {200, 0.6667, 0.19, 0.90}};
  s.at_risk = {{0, 6}, {6, 4}, {12, 1}};
  c.os = s;
  c.notes = {"a note"};
  return c;
}

}  // namespace

TEST_CASE("cohort: Wilson interval (textbook values)") {
  auto r = wilson_rate("x", 4, 5);
  CHECK(*r.p == doctest::Approx(0.8));
  CHECK(*r.lo == doctest::Approx(0.3755).epsilon(1e-3));
  CHECK(*r.hi == doctest::Approx(0.9638).epsilon(1e-3));
  auto zero = wilson_rate("x", 0, 10);
  CHECK(*zero.lo == 0.0);
  CHECK(*zero.hi == doctest::Approx(0.2775).epsilon(1e-3));
  CHECK_FALSE(wilson_rate("x", 0, 0).p);
}

TEST_CASE("cohort from a batch: actionable, per tumour, recommended") {
  std::vector<std::pair<model::Patient, Outcome>> b = {
      cohort_record("P1", "LUAD", {OptionClass::kApproved}, PathwayOption::kStandardOfCare),
      cohort_record("P2", "LUAD", {}, PathwayOption::kEmpirical),
      cohort_record("P3", "COAD", {OptionClass::kResistance}, PathwayOption::kEmpirical),
      cohort_record("P4", "COAD", {OptionClass::kMatchedTrial}, PathwayOption::kMatchedTrial),
      cohort_record("P5", "LUAD", {OptionClass::kPrecision2Candidate}, PathwayOption::kPrecision2),
  };
  auto c = cohort_from_batch(b, "batch.jsonl", "2026-12-01", "0.1.0");
  CHECK(c.patients == 5);
  REQUIRE(c.endpoints.size() == 1);
  CHECK(c.endpoints[0].k == 3);  // a resistance match alone is not actionable
  CHECK(c.endpoints[0].n == 5);
  REQUIRE(c.by_tumour.size() == 2);
  CHECK(c.by_tumour[0].label == "LUAD");
  CHECK(c.by_tumour[0].k == 2);
  CHECK(c.by_tumour[0].n == 3);
  CHECK(c.recommended.at("empirical") == 2);
  CHECK_FALSE(c.notes.empty());
  CHECK_FALSE(c.os);
}

TEST_CASE("cohort HTML holds every fact of the model, escaped; JSON round-trips the numbers") {
  auto c = cohort_sample();
  auto h = render_cohort_html(c);
  CHECK(h.find("Cohort &lt;test&gt;") != std::string::npos);
  CHECK(h.find("<script") == std::string::npos);
  // Endpoints.
  CHECK(h.find("Patients with an actionable alteration") != std::string::npos);
  CHECK(h.find("4 / 6 (66.7 %") != std::string::npos);
  CHECK(h.find("1 / 6 (16.7 %") != std::string::npos);
  // Survival: the curve, its caption and the numbers at risk.
  CHECK(h.find("Overall survival from inclusion: 6 patients, 2 events; median not reached") != std::string::npos);
  CHECK(h.find(">at risk</text>") != std::string::npos);
  CHECK(h.find("text-anchor=\"middle\">4</text>") != std::string::npos);
  // Per tumour, recommended vs received, PFS ratio, follow-up, notes.
  CHECK(h.find("<td>LUAD</td><td>3 / 4") != std::string::npos);
  CHECK(h.find("received: standard of care") != std::string::npos);
  CHECK(h.find("<td>standard of care</td><td>3</td><td>1</td><td>2</td>") != std::string::npos);
  CHECK(h.find("<td>2</td><td>success</td>") != std::string::npos);
  CHECK(h.find("120+") != std::string::npos);  // censored: a lower bound
  CHECK(h.find("visit 1 (month 6)") != std::string::npos);
  CHECK(h.find("a note") != std::string::npos);
  auto j = nlohmann::json::parse(render_cohort_json(c));
  CHECK(j["patients"] == 7);
  CHECK(j["endpoints"][0]["k"] == 4);
  CHECK(j["os"]["at_risk"][1] == nlohmann::json::array({6, 4}));
  CHECK(j["pfs"].is_null());
  CHECK(j["pfs_ratio"][1]["outcome"] == "pending");
}
