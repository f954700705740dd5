// Trials at sites (issue 13 item 4; docs/language.md, "Trials at sites"): `phase` and
// `site CODE STATUS [slots N]` lines, where a matched arm recruits seen from the patient's
// centre, and the pathway counting a trial only where it recruits in the country.
#include <algorithm>
#include <string>
#include <vector>

#include "actionable/io/json.hpp"
#include "actionable/report/report.hpp"
#include "support.hpp"

using actionable::Diagnostics;
using actionable::testing::compile;
using actionable::testing::compile_ok;
using actionable::testing::first_code;
using actionable::testing::match;
using nlohmann::json;

namespace {

// Fictional trial identifiers (NCT00000…): test data, not real trials.
char const* const kSitesRules = R"(
ruleset "sites-test" version "1"
trial NCT00000101 "coded sites" {
  status  recruiting
  phase   2
  site    BE-UZL recruiting slots 3
  site    BE-JB  recruiting
  site    BE-ULB closed
  site    BE-UZA recruiting slots 0
  site    FR-IGR recruiting
  arm "A" {
    when    somatic KRAS p.G12C
    tumour  NSCLC
    therapy "drug-a"
  }
  arm "B" {                       # an arm's own site lines replace the trial's
    phase   1/2
    site    NL-NKI recruiting
    site    BE-UZL suspended
    when    somatic KRAS p.G12C
    tumour  NSCLC
    therapy "drug-b"
  }
}
trial NCT00000102 "named sites" {
  status  recruiting
  site    "UZ Leuven", "Institut Jules Bordet"
  arm "A" {
    when    somatic KRAS p.G12C
    tumour  NSCLC
    therapy "drug-c"
  }
}
)";

json sites_patient(std::string const& centre) {
  json p = {
      {"patient", "P1"},
      {"tumour", {{"oncotree", "LUAD"}}},
      {"findings", json::array({{{"type", "variant"}, {"gene", "KRAS"}, {"hgvsp", "p.G12C"}, {"origin", "somatic"}}})}};
  if (!centre.empty()) p["centre"] = centre;
  return p;
}

json const* sites_entry(json const& list, std::string const& trial, std::string const& arm) {
  for (auto const& e : list)
    if (e.value("trial", "") == trial && e.value("arm", "") == arm) return &e;
  return nullptr;
}

}  // namespace

TEST_CASE("trial sites: availability of each arm from the patient's centre (table)") {
  auto engine = compile_ok(kSitesRules);
  struct Row {
    std::string centre;
    std::string arm_a;  ///< availability of NCT00000101 arm A, or "excluded"
    std::string arm_b;  ///< of arm B
    std::string because_a;
  };
  std::vector<Row> const rows = {
      {"BE-UZL", "at_centre", "excluded", "trial is recruiting at this patient's centre: BE-UZL (3 slots)"},
      {"BE-JB", "at_centre", "excluded", "trial is recruiting at this patient's centre: BE-JB"},
      // closed at the patient's centre, open elsewhere in Belgium
      {"BE-ULB", "in_country", "excluded", "trial is recruiting elsewhere in Belgium: BE-UZL (3 slots), BE-JB"},
      // slots 0: full at the patient's centre
      {"BE-UZA", "in_country", "excluded", "trial is recruiting elsewhere in Belgium: BE-UZL (3 slots), BE-JB"},
      {"", "in_country", "excluded",
       "trial is recruiting in Belgium: BE-UZL (3 slots), BE-JB (the record names no centre)"},
      // a Dutch centre: arm A recruits in France and Belgium only; arm B at NKI
      {"NL-NKI", "excluded", "at_centre", ""},
      {"NL-AVL", "excluded", "in_country", ""},
  };
  for (auto const& r : rows) {
    CAPTURE(r.centre);
    auto res = match(*engine, sites_patient(r.centre));
    for (auto const& arm_want : {std::pair{std::string("A"), r.arm_a}, std::pair{std::string("B"), r.arm_b}}) {
      auto const& arm = arm_want.first;  // no structured binding: CAPTURE's lambda captures it (clang 14)
      auto const& want = arm_want.second;
      CAPTURE(arm);
      auto const* m = sites_entry(res["matches"], "NCT00000101", arm);
      auto const* x = sites_entry(res["excluded"], "NCT00000101", arm);
      if (want == "excluded") {
        CHECK(m == nullptr);
        REQUIRE(x != nullptr);
        CHECK((*x)["reason"].get<std::string>().rfind("trial is not recruiting in ", 0) == 0);
      } else {
        REQUIRE(m != nullptr);
        CHECK(x == nullptr);
        CHECK((*m)["availability"] == want);
        CHECK((*m)["phase"] == (arm == "A" ? "2" : "1/2"));
      }
    }
    if (!r.because_a.empty()) {
      auto const* m = sites_entry(res["matches"], "NCT00000101", "A");
      REQUIRE(m != nullptr);
      auto because = (*m)["because"].get<std::vector<std::string>>();
      CHECK(std::find(because.begin(), because.end(), r.because_a) != because.end());
    }
  }
}

TEST_CASE("trial sites: the JSON of a coded-site match; named sites keep today's output") {
  auto engine = compile_ok(kSitesRules);
  auto res = match(*engine, sites_patient("BE-UZL"));
  auto const* a = sites_entry(res["matches"], "NCT00000101", "A");
  REQUIRE(a != nullptr);
  CHECK((*a)["centres"] == json::parse(R"([{"centre":"BE-UZL","status":"recruiting","slots":3},
      {"centre":"BE-JB","status":"recruiting"},{"centre":"BE-ULB","status":"closed"},
      {"centre":"BE-UZA","status":"recruiting","slots":0},{"centre":"FR-IGR","status":"recruiting"}])"));
  // Key order: title, phase, …, sites / centres, availability, because.
  auto raw = nlohmann::ordered_json::parse(engine->match_json(sites_patient("BE-UZL").dump()).json);
  std::vector<std::string> keys;
  for (auto const& m : raw["matches"])
    if (m["arm"] == "A" && m["trial"] == "NCT00000101")
      for (auto it = m.begin(); it != m.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"class", "trial", "arm", "title", "phase", "therapies", "findings", "centres",
                                         "availability", "because"});
  auto const* c = sites_entry(res["matches"], "NCT00000102", "A");
  REQUIRE(c != nullptr);
  CHECK_FALSE(c->contains("phase"));
  CHECK_FALSE(c->contains("centres"));
  CHECK_FALSE(c->contains("availability"));
  CHECK((*c)["sites"] == json::array({"UZ Leuven", "Institut Jules Bordet"}));
  auto because = (*c)["because"].get<std::vector<std::string>>();
  CHECK(because.back() == "trial is recruiting at UZ Leuven, Institut Jules Bordet");
}

TEST_CASE("trial sites: a trial recruiting nowhere in the country is no pathway option") {
  auto engine = compile_ok(R"(
trial NCT00000103 "abroad only" {
  status recruiting
  site   FR-IGR recruiting
  site   BE-UZL closed
  arm "A" { when somatic KRAS p.G12C  tumour NSCLC  therapy "drug-a" }
}
precision2 P2_KRAS "KRAS cohort" {
  status recruiting
  when somatic KRAS p.G12C
  tumour SOLID
  therapy "drug-p2"
}
)");
  auto res = match(*engine, sites_patient("BE-UZL"));
  CHECK(res["matches"].size() == 1);  // the PRECISION 2 cohort only
  CHECK(res["pathway"]["options"] == json::array({"precision2"}));
  CHECK(res["pathway"]["precision2_eligible"] == true);
  REQUIRE(res["excluded"].size() == 1);
  CHECK(res["excluded"][0]["reason"] == "trial is not recruiting in Belgium (sites: FR-IGR, BE-UZL closed)");
  // The same patient at a French centre: the trial is open at the patient's centre.
  auto fr = match(*engine, sites_patient("FR-IGR"));
  CHECK(fr["pathway"]["recommended"] == "matched_trial");
  CHECK(fr["pathway"]["precision2_eligible"] == false);
}

TEST_CASE("trial sites: a trial that is indeterminate and recruits nowhere in the country is not listed") {
  auto engine = compile_ok(R"(
trial NCT00000104 "abroad, needs ECOG" {
  status recruiting
  site   FR-IGR recruiting
  arm "A" { when somatic KRAS p.G12C  tumour NSCLC  require ecog <= 1  therapy "drug-a" }
}
)");
  auto res = match(*engine, sites_patient("BE-UZL"));
  CHECK(res["indeterminate"].empty());
  CHECK(res["excluded"].empty());
  auto fr = match(*engine, sites_patient("FR-IGR"));
  CHECK(fr["indeterminate"].size() == 1);
}

TEST_CASE("trial sites: errors in phase and site lines (table)") {
  struct Row {
    char const* body;
    char const* code;
  };
  Row const rows[] = {
      {"phase 4", "E256"},
      {"phase 2/4", "E256"},
      {"phase 2\n  phase 3", "E245"},
      {"site BE-UZL open", "E247"},
      {"site BE-UZL recruiting\n  site BE-UZL closed", "E257"},
      {"site BE-UZL recruiting slots 1234567", "E257"},
      {"site BE-UZL", "E001"},                   // a status is required
      {"site BE-UZL recruiting slots", "E001"},  // a number after slots
  };
  for (auto const& r : rows) {
    CAPTURE(r.body);
    Diagnostics d;
    auto e = compile(std::string("trial NCT00000105 \"t\" {\n  status recruiting\n  ") + r.body +
                         "\n  arm \"A\" { when somatic KRAS p.G12C  tumour NSCLC  therapy \"x\" }\n}\n",
                     d);
    CHECK(e == nullptr);
    CHECK(first_code(d) == r.code);
  }
  // phase and coded sites are trial / arm clauses only.
  Diagnostics d;
  CHECK(compile("rule r { when somatic KRAS p.G12C  tumour NSCLC  class approved  therapy \"x\"  phase 2 }", d) ==
        nullptr);
  CHECK(first_code(d) == "E246");
}

TEST_CASE("trial sites: the report shows phase, availability and each centre (en, nl, fr)") {
  auto engine = compile_ok(kSitesRules);
  auto record = sites_patient("BE-ULB");
  auto p = actionable::io::read_patient_json(record.dump(), engine->catalog());
  REQUIRE(p);
  auto outcome = engine->match(*p);
  REQUIRE(outcome);
  struct Row {
    actionable::report::Language lang;
    char const* phase;
    char const* availability;
    char const* closed_site;
  };
  Row const rows[] = {
      {actionable::report::Language::kEn, "Phase 2", "open elsewhere in Belgium", "BE-ULB (closed)"},
      {actionable::report::Language::kNl, "Fase 2", "elders in België open", "BE-ULB (gesloten)"},
      {actionable::report::Language::kFr, "Phase 2", "ouvert ailleurs en Belgique", "BE-ULB (fermé)"},
  };
  for (auto const& r : rows) {
    CAPTURE(actionable::report::to_string(r.lang));
    actionable::report::Options ro;
    ro.lang = r.lang;
    auto d = actionable::report::build(*outcome, *p, engine->catalog(), ro);
    auto row = std::find_if(d.options.begin(), d.options.end(),
                            [](auto const& o) { return o.criterion.find("NCT00000101") != std::string::npos; });
    REQUIRE(row != d.options.end());
    CHECK(row->phase == "2");
    CHECK(row->availability == r.availability);
    CHECK(std::find(row->sites.begin(), row->sites.end(), r.closed_site) != row->sites.end());
    auto html = actionable::report::render_html(d);
    CHECK(html.find(r.phase) != std::string::npos);
    CHECK(html.find(r.availability) != std::string::npos);
    auto json = nlohmann::json::parse(actionable::report::render_json(d));
    bool found = false;
    for (auto const& o : json["options"])
      if (o.value("phase", "") == "2" && o.value("availability", "") == r.availability) found = true;
    CHECK(found);
  }
  // A trial without phase or coded sites: its report row has neither key (reports keep their bytes).
  auto d = actionable::report::build(*outcome, *p, engine->catalog(), {});
  auto json = nlohmann::json::parse(actionable::report::render_json(d));
  for (auto const& o : json["options"])
    if (o["criterion"].get<std::string>().find("NCT00000102") != std::string::npos) {
      CHECK_FALSE(o.contains("phase"));
      CHECK_FALSE(o.contains("availability"));
    }
}
