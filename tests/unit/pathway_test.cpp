// Classification and the protocol pathway (dsl.md §6): suppression, trial status, require and
// exclude, PRECISION 2 eligibility, off-label evidence, indeterminate, determinism.
#include <map>

#include "support.hpp"

using actionable::testing::compile_ok;
using actionable::testing::match;
using nlohmann::json;

namespace {

char const* const kRules = R"(
ruleset "pathway-test" version "1"
rule egfr_approved {
  when somatic EGFR p.L858R
  tumour NSCLC
  class approved
  therapy "osimertinib"
  level ESCAT:I-A
}
rule crc_anti_egfr {
  when KRAS wildtype and NRAS wildtype and not BRAF p.V600E
  tumour COADREAD
  class standard_of_care
  therapy "cetuximab", "panitumumab"
}
rule ras_resistance {
  when somatic (KRAS | NRAS) mutation
  tumour COADREAD
  class resistance
  therapy "cetuximab"
}
rule braf_mel {
  when somatic BRAF p.V600E | p.V600K
  tumour MEL
  class approved
  therapy "dabrafenib + trametinib"
}
rule kras_g12c {
  when somatic KRAS p.G12C
  tumour NSCLC
  require lines >= 1
  class approved
  therapy "sotorasib"
}
trial NCT04303780 "CodeBreaK 200" {
  status recruiting
  site "UZ Leuven"
  arm "A" {
    when somatic KRAS p.G12C
    tumour NSCLC
    require age >= 18 and ecog <= 1
    exclude prior "sotorasib"
    therapy "sotorasib"
  }
}
trial NCT00000002 "closed trial" {
  status closed
  arm "A" {
    when somatic KRAS p.G12C
    tumour NSCLC
    therapy "x"
  }
}
precision2 P2_BRAF "BRAF V600 solid tumours" {
  status recruiting
  when somatic BRAF p.V600E | p.V600K
  tumour SOLID except MEL, NSCLC, COADREAD, THPA
  therapy "dabrafenib + trametinib"
}
precision2 P2_KRAS "KRAS G12C" {
  status recruiting
  when somatic KRAS p.G12C
  tumour SOLID
  therapy "x"
}
)";

json patient(char const* tumour, json findings, json extra = json::object()) {
  json p = {{"patient", "P"}, {"tumour", {{"oncotree", tumour}}}, {"findings", std::move(findings)}};
  p.update(extra);
  return p;
}

std::vector<std::string> names(json const& arr, char const* key) {
  std::vector<std::string> out;
  for (auto const& x : arr) out.push_back(x.value(key, ""));
  return out;
}

}  // namespace

TEST_CASE("pathway: approved match → standard_of_care recommended; P2 listed not eligible") {
  auto e = compile_ok(kRules);
  auto r = match(*e, patient("LUAD", {{{"gene", "EGFR"}, {"hgvsp", "p.L858R"}}}));
  CHECK(r["pathway"]["recommended"] == "standard_of_care");
  CHECK(r["pathway"]["options"] == json{"standard_of_care"});
  CHECK(r["matches"][0]["rule"] == "egfr_approved");
  CHECK(r["matches"][0]["because"].dump().find("LUAD is under NSCLC") != std::string::npos);
  CHECK(r["coverage"] == "assumed");
}

TEST_CASE("pathway: resistance suppresses the therapies it names, and only those") {
  auto e = compile_ok(kRules);
  // KRAS mutant CRC with KRAS tested only: crc_anti_egfr is false (KRAS not wild type).
  auto r = match(*e, patient("COAD", {{{"gene", "KRAS"}, {"hgvsp", "p.G12D"}}},
                             {{"tests", {{{"genes", {"KRAS", "NRAS", "BRAF"}}}}}}));
  CHECK(names(r["matches"], "rule") == std::vector<std::string>{"ras_resistance"});
  CHECK(r["pathway"]["recommended"] == "empirical");
}

TEST_CASE("pathway: suppression of an otherwise matching approved therapy") {
  auto e = compile_ok(R"(
rule a { when BRAF p.V600E tumour COADREAD class standard_of_care therapy "cetuximab", "encorafenib" }
rule res { when KRAS mutation tumour COADREAD class resistance therapy "Cetuximab" }
)");
  auto r =
      match(*e, patient("COAD", {{{"gene", "BRAF"}, {"hgvsp", "p.V600E"}}, {{"gene", "KRAS"}, {"hgvsp", "p.G12D"}}}));
  REQUIRE(r["suppressed"].size() == 1);
  CHECK(r["suppressed"][0]["rule"] == "a");
  CHECK(r["suppressed"][0]["by"] == "res");
  CHECK(r["suppressed"][0]["therapies"] == json{"cetuximab"});
  // encorafenib remains
  auto m = r["matches"];
  REQUIRE(m.size() == 2);
  CHECK(m[0]["rule"] == "a");
  CHECK(m[0]["therapies"] == json{"encorafenib"});
  CHECK(m[1]["class"] == "resistance");
}

TEST_CASE("pathway: a whole match suppressed leaves no standard-of-care option") {
  auto e = compile_ok(R"(
rule a { when BRAF p.V600E tumour COADREAD class approved therapy "cetuximab" }
rule res { when KRAS mutation tumour COADREAD class resistance therapy "cetuximab" }
)");
  auto r =
      match(*e, patient("COAD", {{{"gene", "BRAF"}, {"hgvsp", "p.V600E"}}, {{"gene", "KRAS"}, {"hgvsp", "p.G12D"}}}));
  CHECK(r["suppressed"].size() == 1);
  CHECK(r["pathway"]["recommended"] == "empirical");
}

TEST_CASE("pathway: trial arm matches with require; P2 not eligible; closed trial excluded") {
  auto e = compile_ok(kRules);
  auto r = match(*e, patient("LUAD", {{{"gene", "KRAS"}, {"hgvsp", "p.G12C"}}},
                             {{"age", 61}, {"ecog", 1}, {"lines", 1}, {"treatments", json::array()}}));
  CHECK(r["pathway"]["options"] == json{"standard_of_care", "matched_trial"});
  auto classes = names(r["matches"], "class");
  CHECK(classes == std::vector<std::string>{"approved", "matched_trial", "precision2_candidate"});
  CHECK(r["matches"][1]["trial"] == "NCT04303780");
  CHECK(r["matches"][1]["arm"] == "A");
  CHECK(r["matches"][2]["eligible"] == false);
  CHECK(r["matches"][2]["because"].back() == "not eligible: a standard-of-care option exists");
  REQUIRE(r["excluded"].size() == 1);
  CHECK(r["excluded"][0]["trial"] == "NCT00000002");
  CHECK(r["excluded"][0]["reason"] == "trial is closed");
}

TEST_CASE("pathway: require unknown → indeterminate with the missing clinical field") {
  auto e = compile_ok(kRules);
  auto r = match(*e, patient("LUAD", {{{"gene", "KRAS"}, {"hgvsp", "p.G12C"}}}, {{"lines", 0}}));
  // sotorasib requires lines >= 1: not met → excluded, with the reason.
  bool excluded = false;
  for (auto const& x : r["excluded"])
    if (x.value("rule", "") == "kras_g12c") {
      excluded = true;
      CHECK(x["reason"] == "requirement not met: lines >= 1");
    }
  CHECK(excluded);
  // The trial arm needs age and ecog: unknown → indeterminate listing both.
  bool found = false;
  for (auto const& x : r["indeterminate"])
    if (x.value("trial", "") == "NCT04303780") {
      found = true;
      CHECK(x["missing"] == json{"age", "ecog"});
    }
  CHECK(found);
  // Only the PRECISION 2 cohort remains → eligible.
  CHECK(r["pathway"]["recommended"] == "precision2");
  CHECK(r["pathway"]["precision2_eligible"] == true);
}

TEST_CASE("pathway: exclusion criterion fires and is named") {
  auto e = compile_ok(kRules);
  auto r = match(
      *e, patient("LUAD", {{{"gene", "KRAS"}, {"hgvsp", "p.G12C"}}},
                  {{"age", 61}, {"ecog", 0}, {"lines", 2}, {"treatments", {{{"line", 1}, {"drugs", {"sotorasib"}}}}}}));
  bool named = false;
  for (auto const& x : r["excluded"])
    if (x.value("trial", "") == "NCT04303780") named = x["reason"] == "exclusion criterion holds: prior \"sotorasib\"";
  CHECK(named);
}

TEST_CASE("pathway: off-label evidence names the indication") {
  auto e = compile_ok(kRules);
  auto r = match(*e, patient("PAAD", {{{"gene", "BRAF"}, {"hgvsp", "p.V600E"}}}));
  REQUIRE(r["off_label"].size() == 1);
  CHECK(r["off_label"][0]["rule"] == "braf_mel");
  CHECK(r["off_label"][0]["approved_in"] == json{"MEL"});
  CHECK(r["off_label"][0]["findings"] == json{0});
  CHECK(r["pathway"]["recommended"] == "precision2");
  CHECK(r["matches"][0]["cohort"] == "P2_BRAF");
  CHECK(r["matches"][0]["eligible"] == true);
}

TEST_CASE("pathway: wild type without a finding is not off-label evidence") {
  auto e = compile_ok(kRules);
  auto r = match(*e, patient("LUAD", json::array()));
  CHECK(r["off_label"].empty());
  CHECK(r["pathway"]["options"] == json{"empirical"});
}

TEST_CASE("pathway: the crc example of patient.md — indeterminate with the missing test") {
  auto e = compile_ok(kRules);
  auto r = match(*e, patient("COAD", json::array(), {{"tests", {{{"genes", {"KRAS", "BRAF"}}}}}}));
  // Both the anti-EGFR rule and the RAS resistance rule wait for NRAS.
  REQUIRE(r["indeterminate"].size() == 2);
  CHECK(r["indeterminate"][0]["rule"] == "crc_anti_egfr");
  CHECK(r["indeterminate"][0]["missing"] == json{"NRAS (somatic)"});
  CHECK(r["indeterminate"][1]["rule"] == "ras_resistance");
  CHECK(r["indeterminate"][1]["class"] == "resistance");
  CHECK(r["coverage"] == "declared");
}

TEST_CASE("pathway: results are byte-identical across runs and engines") {
  auto e1 = compile_ok(kRules);
  auto e2 = compile_ok(kRules);
  auto p = patient("LUAD", {{{"gene", "KRAS"}, {"hgvsp", "p.G12C"}}, {{"gene", "EGFR"}, {"hgvsp", "p.L858R"}}},
                   {{"age", 70}, {"ecog", 1}, {"lines", 1}});
  auto a = e1->match_json(p.dump());
  for (int i = 0; i < 20; ++i) {
    CHECK(e1->match_json(p.dump()).json == a.json);
    CHECK(e2->match_json(p.dump()).json == a.json);
  }
  // key order: patient, ruleset, coverage, pathway, matches, …
  CHECK(a.json.rfind("{\"patient\":\"P\",\"ruleset\":{\"name\":\"pathway-test\"", 0) == 0);
}

TEST_CASE("pathway: a tumour code not in OncoTree is an input error") {
  auto e = compile_ok(kRules);
  auto r = e->match_json(R"({"patient":"x","tumour":{"oncotree":"LUNGX"}})");
  CHECK(!r.ok);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].pointer == "/tumour/oncotree");
}

TEST_CASE("pathway: evidence is shown as evidence, never an option; it supports PRECISION 2") {
  auto e = compile_ok(R"(
rule ev_braf {
  when somatic BRAF p.V600E
  tumour SOLID
  class evidence
  direction sensitivity
  therapy "dabrafenib + trametinib"
  level CIViC:B
  cite "CIViC EID1"
}
rule ev_braf_resist {
  when somatic BRAF p.V600E
  tumour SOLID
  class evidence
  direction resistance
  therapy "cetuximab"
  level CIViC:C
}
precision2 P2_BRAF "BRAF V600 solid tumours" {
  status recruiting
  when somatic BRAF p.V600E | p.V600K
  tumour SOLID except MEL
  therapy "dabrafenib + trametinib"
}
)");
  auto r = match(*e, patient("PAAD", {{{"gene", "BRAF"}, {"hgvsp", "p.V600E"}}}));
  // Not standard of care: the PRECISION 2 cohort stays eligible and is recommended.
  CHECK(r["pathway"]["recommended"] == "precision2");
  CHECK(r["pathway"]["options"] == json{"precision2"});
  REQUIRE(r["matches"].size() == 3);
  CHECK(r["matches"][0]["class"] == "precision2_candidate");
  CHECK(r["matches"][0]["because"].dump().find("supporting evidence: ev_braf (CIViC:B, sensitivity") !=
        std::string::npos);
  CHECK(r["matches"][1]["class"] == "evidence");
  CHECK(r["matches"][1]["direction"] == "sensitivity");
  CHECK(r["matches"][1]["level"] == "CIViC:B");
  CHECK(r["matches"][2]["direction"] == "resistance");
  CHECK(r["suppressed"].empty());  // evidence of resistance suppresses nothing
  CHECK(r["off_label"].empty());
  // Evidence alone: empirical, never standard_of_care.
  auto mel = match(*e, patient("MEL", {{{"gene", "BRAF"}, {"hgvsp", "p.V600E"}}}));
  CHECK(mel["pathway"]["recommended"] == "empirical");
  CHECK(mel["matches"][0]["class"] == "evidence");
}

TEST_CASE(
    "pathway: evidence that does not support sensitivity, reduced sensitivity and adverse response "
    "are shown with their direction and never support PRECISION 2") {
  // CIViC "Does Not Support" / "Reduced Sensitivity" / "Adverse Response" (docs/civic.md).
  auto e = compile_ok(R"(
rule ev_not {
  when somatic BRAF p.V600E
  tumour SOLID
  class evidence
  direction not sensitivity
  therapy "dabrafenib + trametinib"
  level CIViC:B
}
rule ev_reduced {
  when somatic BRAF p.V600E
  tumour SOLID
  class evidence
  direction reduced_sensitivity
  therapy "dabrafenib + trametinib"
  level CIViC:C
}
rule ev_adverse {
  when somatic BRAF p.V600E
  tumour SOLID
  class evidence
  direction adverse_response
  therapy "vemurafenib"
  level CIViC:C
}
rule ev_not_resist {
  when somatic BRAF p.V600E
  tumour SOLID
  class evidence
  direction not resistance
  therapy "cetuximab"
  level CIViC:B
}
precision2 P2_BRAF "BRAF V600 solid tumours" {
  status recruiting
  when somatic BRAF p.V600E | p.V600K
  tumour SOLID except MEL
  therapy "dabrafenib + trametinib"
}
rule r_resist {
  when somatic BRAF p.V600E
  tumour SOLID
  class resistance
  therapy "vemurafenib"
}
)");
  auto r = match(*e, patient("PAAD", {{{"gene", "BRAF"}, {"hgvsp", "p.V600E"}}}));
  CHECK(r["pathway"]["recommended"] == "precision2");
  REQUIRE(r["matches"].size() == 6);  // the PRECISION 2 cohort, the four evidence rules, r_resist
  std::map<std::string, json> by_rule;
  json p2;
  for (auto const& m : r["matches"]) {
    if (m.contains("rule")) by_rule[m["rule"].get<std::string>()] = m;
    if (m["class"] == "precision2_candidate") p2 = m;
  }
  REQUIRE(p2.is_object());
  CHECK(p2["eligible"] == true);
  // No evidence here supports sensitivity: no supporting-evidence line.
  CHECK(p2["because"].dump().find("supporting evidence") == std::string::npos);
  CHECK(by_rule["r_resist"]["class"] == "resistance");
  CHECK(by_rule["ev_not"]["direction"] == "sensitivity");
  CHECK(by_rule["ev_not"]["supports"] == false);
  CHECK(by_rule["ev_not_resist"]["direction"] == "resistance");
  CHECK(by_rule["ev_not_resist"]["supports"] == false);
  CHECK(by_rule["ev_reduced"]["direction"] == "reduced_sensitivity");
  CHECK(!by_rule["ev_reduced"].contains("supports"));  // written only when negative
  CHECK(by_rule["ev_adverse"]["direction"] == "adverse_response");
  // A curated resistance rule suppresses sensitivity claims only: adverse-response evidence on
  // the therapy it names stays shown.
  CHECK(by_rule.count("ev_adverse") == 1);
  CHECK(r["suppressed"].empty());
}
