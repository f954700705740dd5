// The registry with the real engine (compiled once the core implements Engine): the shipped
// PRECISION 1 rule set, the spec's example patient, replay byte-identity, diff between rule sets,
// and — important for "unknown fields are never stored" — the record the registry keeps must
// match exactly like the record as given (the whitelist drops nothing the engine reads).
#include "actionable/registry/matcher.hpp"
#include "support.hpp"

using namespace regtest;

namespace {

std::shared_ptr<catalog::Catalog const> test_catalog() {
  static std::shared_ptr<catalog::Catalog const> c = [] {
    std::string err;
    auto cat = catalog::Catalog::load(std::string(ACTIONABLE_SOURCE_DIR) + "/rules/reference", &err);
    REQUIRE_MESSAGE(cat, err);
    return std::make_shared<catalog::Catalog const>(std::move(*cat));
  }();
  return c;
}

std::shared_ptr<Matcher const> rules(std::vector<std::string> const& rel) {
  std::vector<std::string> paths;
  for (auto const& r : rel) paths.push_back(std::string(ACTIONABLE_SOURCE_DIR) + "/" + r);
  Diagnostics diags;
  auto engine = Engine::from_paths(paths, test_catalog(), diags);
  REQUIRE_MESSAGE(engine, diags.format());
  return engine_matcher(engine);
}

json example_patient() {
  return json::parse(read_file(std::string(ACTIONABLE_SOURCE_DIR) + "/rules/examples/patient_P1-000123.json"));
}

}  // namespace

TEST_CASE("real engine: match, replay byte-identical, the stored record matches like the original") {
  auto m = rules({"rules/precision1"});
  for_each_backend([&](TestDb& t) {
    auto reg = t.open();
    reg->init();
    reg->add_centre("BE-UZL");
    json p = example_patient();
    json with_noise = p;
    with_noise["name"] = "Jan Janssens";
    with_noise["findings"][0]["comment"] = "85.07.30-033.61";
    REQUIRE(import(*reg, {with_noise}).inserted == 1);
    auto rep = reg->match(*m);
    CHECK(rep.runs == 1);
    CHECK(rep.failed == 0);
    auto row = reg->database().query("SELECT input, result, recommended, actionable FROM match_runs").at(0);
    std::string pseudonym = test_key().pseudonym("BE-UZL", "P1-000123");
    // The original record, under the pseudonym, gives byte for byte the stored result.
    p["patient"] = pseudonym;
    auto direct = m->match(p.dump());
    REQUIRE(direct.ok);
    CHECK(direct.json == row.text(1));
    CHECK(row.text(0).find("Janssens") == std::string::npos);
    CHECK(row.text(1).find("P1-000123") == std::string::npos);
    CHECK(row.text(2) == json::parse(direct.json)["pathway"]["recommended"].get<std::string>());
    CHECK(row.i64(3) == 1);
    auto rp = reg->replay(engine_matcher_factory(test_catalog()));
    CHECK(rp.runs == 1);
    CHECK(rp.identical == 1);
    CHECK(reg->audit_verify().ok);
  });
}

TEST_CASE("real engine: every field the engine reads survives the registry (a table of records)") {
  // Each record adds fields the first whitelist dropped (2026-12-04: a PD-L1 CPS result was
  // stored without its score and matched as "PDL1 IHC 10%", a record from lab files that lost
  // rows lost its "input": "incomplete" and matched as complete). The stored record must give
  // byte for byte the result of the record as given.
  auto m = rules({"rules/precision1"});
  struct Case {
    char const* what;
    json extra;  // merged into the example patient
  };
  json const base = example_patient();
  auto with_finding = [&](json f, json test) {
    json p = json::object();
    p["findings"] = base["findings"];
    p["findings"].push_back(std::move(f));
    p["tests"] = base["tests"];
    p["tests"].push_back(std::move(test));
    return p;
  };
  std::vector<Case> const cases = {
      {"PD-L1 by IHC with its score and assay, and the test's score",
       with_finding({{"type", "biomarker"},
                     {"name", "PDL1"},
                     {"method", "IHC"},
                     {"score", "CPS"},
                     {"value", 10},
                     {"assay", "28-8"}},
                    {{"biomarker", "PDL1"}, {"method", "IHC"}, {"score", "CPS"}})},
      {"HER2 IHC with its assay",
       with_finding({{"type", "biomarker"}, {"name", "HER2"}, {"method", "IHC"}, {"value", "1+"}, {"assay", "4B5"}},
                    {{"biomarker", "HER2"}, {"method", "IHC"}})},
      {"a gene symbol marked unresolved",
       with_finding({{"type", "variant"}, {"gene", "NOTAGENE1"}, {"unresolved", {"gene"}}, {"hgvsp", "p.G12D"}},
                    {{"genes", {"KRAS"}}})},
      {"labs and the date they are read at",
       {{"labs", {{{"test", "creatinine"}, {"value", 80}, {"uln", 110}, {"unit", "umol/L"}, {"date", "2026-11-01"}}}},
        {"as_of", "2026-11-20"}}},
      {"disease status, brain metastases, measurable disease, pregnancy",
       {{"disease_status", {"progression"}},
        {"brain_metastases", "active"},
        {"measurable_disease", true},
        {"pregnant", false}}},
      {"a disease status given as one string", {{"disease_status", "progression"}}},
  };
  for_each_backend([&](TestDb& t) {
    auto reg = t.open();
    reg->init();
    reg->add_centre("BE-UZL");
    std::vector<json> records;
    for (std::size_t i = 0; i < cases.size(); ++i) {
      json p = base;
      p.merge_patch(cases[i].extra);
      p["patient"] = "FIELDS-" + std::to_string(i);
      records.push_back(p);
    }
    // A record from lab files that lost a row: the registry keeps "incomplete" and the number
    // of issues, not their text (they quote file rows).
    json incomplete = base;
    incomplete["patient"] = "FIELDS-incomplete";
    incomplete["input"] = "incomplete";
    incomplete["input_issues"] = {"/labs/run-17/sample S-0042.maf:12: error: no Hugo_Symbol"};
    records.push_back(incomplete);
    auto ir = import(*reg, records);
    REQUIRE_MESSAGE(ir.rejected == 0, (ir.issues.empty() ? "" : ir.issues.front().message));
    REQUIRE(reg->match(*m).failed == 0);
    for (std::size_t i = 0; i <= cases.size(); ++i) {
      json p = records[i];
      CAPTURE(i < cases.size() ? cases[i].what : "input incomplete");
      std::string const pseudonym = test_key().pseudonym("BE-UZL", p["patient"].get<std::string>());
      auto row = reg->database().query(
          "SELECT r.input, r.result FROM match_runs r JOIN patients p ON p.id = r.patient_id WHERE p.pseudonym = ?",
          {pseudonym});
      REQUIRE(row.size() == 1);
      p["patient"] = pseudonym;
      if (i == cases.size()) {
        CHECK(row.at(0).text(0).find("S-0042") == std::string::npos);
        p["input_issues"] = {
            "1 input issue(s) of the lab files, not stored by the registry (they quote file rows); the centre's "
            "conversion log has them"};
      }
      auto direct = m->match(p.dump());
      REQUIRE(direct.ok);
      CHECK(direct.json == row.at(0).text(1));
      if (i == cases.size()) CHECK(json::parse(row.at(0).text(1))["pathway"]["provisional"] == true);
    }
  });
}

TEST_CASE("real engine: diff between the spec example rules and PRECISION 1") {
  auto a = rules({"rules/examples/spec.rules"});
  auto b = rules({"rules/precision1"});
  for_each_backend([&](TestDb& t) {
    auto reg = t.open();
    reg->init();
    reg->add_centre("BE-UZL");
    json p = example_patient();
    json q = p;
    q["patient"] = "P1-000124";
    q["findings"] = json::array();
    import(*reg, {p, q});
    auto d = reg->diff(*a, *b);
    CHECK(d.patients == 2);
    CHECK(d.errors.empty());
    CHECK(d.old_info.sha256 == a->info().sha256);
    auto same = reg->diff(*b, *b);
    CHECK(same.changed.empty());
  });
}

TEST_CASE("real engine: rule sets side by side are archived with their set and rebuild to the same identity") {
  // The shipped rule set beside a centre's own (fictional) trial file that declares its own ruleset.
  auto shipped = rules({"rules/precision1"});
  auto sources = shipped->sources();
  sources.push_back({"centre/trials.rules",
                     "ruleset \"centre-trials\" version \"1\"\n"
                     "trial NCT00000301 \"centre trial\" { status recruiting  site BE-A recruiting\n"
                     "  arm \"A\" { when somatic EGFR p.L858R  tumour NSCLC  therapy \"drug-x\" } }\n",
                     1});
  Diagnostics diags;
  auto engine = Engine::from_sources(sources, test_catalog(), diags);
  REQUIRE_MESSAGE(engine, diags.format());
  REQUIRE(engine->rule_sets().size() == 2);
  auto m = engine_matcher(engine);
  for_each_backend([&](TestDb& t) {
    auto reg = t.fresh();
    auto sha = reg->store_rule_set(m->info(), m->sources());
    auto loaded = reg->load_rule_set(sha);
    REQUIRE(loaded);
    CHECK(loaded->first.name == "precision1-be + centre-trials");
    REQUIRE(loaded->second.size() == m->sources().size());
    for (std::size_t i = 0; i < loaded->second.size(); ++i) CHECK(loaded->second[i].set == m->sources()[i].set);
    std::string err;
    auto rebuilt = engine_matcher_factory(test_catalog())(loaded->second, err);
    REQUIRE_MESSAGE(rebuilt, err);
    CHECK(rebuilt->info().sha256 == m->info().sha256);
    auto record = example_patient().dump();
    CHECK(rebuilt->match(record).json == m->match(record).json);
    // A single rule set's archive keeps its bytes: no "set" keys.
    auto sha1 = reg->store_rule_set(shipped->info(), shipped->sources());
    auto row = reg->database().query("SELECT sources FROM rule_sets WHERE sha256 = ?", {sha1});
    REQUIRE(row.size() == 1);
    CHECK(row.front().text(0).find("\"set\"") == std::string::npos);
  });
}
