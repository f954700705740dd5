// Retired OncoTree codes (issue 13 item 2): codes of earlier releases (the TSV's history,
// revocations and precursors) are accepted in patient records and rule files, mapped to the
// current code with a warning that names both; a code split into several is an error.
#include "actionable/io/json.hpp"
#include "support.hpp"

using namespace actionable;

TEST_CASE("oncotree: retired codes map to their current node") {
  auto const& tree = actionable::testing::shared_catalog()->oncotree;
  auto gbm = tree.retired("GBM");
  REQUIRE(gbm);
  REQUIRE(gbm->current.size() == 1);
  CHECK(tree.code(gbm->current[0]) == "GB");
  CHECK(gbm->how == "revoked");
  CHECK(tree.history_of(gbm->current[0]) == std::vector<std::string>{"GBM (revoked)"});
  auto all = tree.retired("ALL");  // split into B- and T-lymphoblastic leukaemia
  REQUIRE(all);
  CHECK(all->current.size() == 2);
  CHECK_FALSE(tree.retired("LUAD"));  // current codes are never remapped
  CHECK_FALSE(tree.retired("NOPE"));
}

TEST_CASE("oncotree: a patient coded GBM matches rules for GB, with a warning naming both") {
  auto engine = actionable::testing::compile_ok(
      "ruleset \"t\" version \"1\"\nrule gb { when BRAF p.V600E tumour GB class approved therapy \"x\" }\n");
  std::vector<RecordError> warnings;
  auto p = io::read_patient_json(
      R"({"patient": "g1", "tumour": {"oncotree": "GBM"}, "findings": [{"gene": "BRAF", "hgvsp": "p.V600E"}]})",
      engine->catalog(), {}, &warnings);
  REQUIRE(p);
  CHECK(p->tumour_code == "GB");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].pointer == "/tumour/oncotree");
  CHECK(warnings[0].message.find("'GBM' is a retired OncoTree code (revoked): read as GB") != std::string::npos);
  auto o = engine->match(*p);
  REQUIRE(o);
  REQUIRE(o->matches.size() == 1);
  CHECK(o->matches[0].criterion.name == "gb");
  auto split = io::read_patient_json(R"({"patient": "a1", "tumour": "ALL"})", engine->catalog());
  REQUIRE_FALSE(split);
  CHECK(split.errors[0].message.find("split into") != std::string::npos);
}

TEST_CASE("oncotree: a rule written with a retired code reads as the current one (W212)") {
  Diagnostics d;
  auto e = actionable::testing::compile(
      "ruleset \"t\" version \"1\"\nrule gb { when BRAF p.V600E tumour GBM class approved therapy \"x\" }\n", d);
  REQUIRE(e);
  CHECK(actionable::testing::first_code(d) == "W212");
  auto r = actionable::testing::match(
      *e, {{"patient", "g2"}, {"tumour", "GB"}, {"findings", {{{"gene", "BRAF"}, {"hgvsp", "p.V600E"}}}}});
  CHECK(r["matches"].size() == 1);
  Diagnostics d2;
  CHECK_FALSE(actionable::testing::compile(
      "ruleset \"t\" version \"1\"\nrule a { when BRAF p.V600E tumour ALL class approved therapy \"x\" }\n", d2));
  CHECK(actionable::testing::first_code(d2) == "E211");
}
