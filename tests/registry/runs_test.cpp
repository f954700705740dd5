// Rule sets (content-addressed, immutable), match runs, replay and diff, with FakeMatcher.
#include "support.hpp"

using namespace regtest;

TEST_CASE("rule sets are stored by sha256 and immutable") {
  for_each_backend([](TestDb& t) {
    auto reg = t.fresh();
    FakeMatcher m(1);
    std::string sha = reg->store_rule_set(m.info(), m.sources());
    CHECK(sha == m.info().sha256);
    CHECK(reg->store_rule_set(m.info(), m.sources()) == sha);  // idempotent
    auto other = m.sources();
    other[0].text += "changed";
    try {
      reg->store_rule_set(m.info(), other);
      FAIL("a different rule set was stored under the same sha");
    } catch (Error const& e) {
      CHECK(e.code() == ErrorCode::kConstraint);
    }
    CHECK_THROWS_AS(reg->database().query("UPDATE rule_sets SET version = 'x'"), Error);
    CHECK_THROWS_AS(reg->database().query("DELETE FROM rule_sets"), Error);
    auto loaded = reg->load_rule_set("1.0");
    REQUIRE(loaded);
    CHECK(loaded->first.sha256 == sha);
    CHECK(loaded->second[0].text == m.sources()[0].text);
    CHECK(reg->load_rule_set("fake@1.0"));
    CHECK(reg->load_rule_set(sha.substr(0, 10)));
    CHECK_FALSE(reg->load_rule_set("9.9"));
  });
}

TEST_CASE("match stores runs; replay is byte-identical; tampering is reported") {
  for_each_backend([](TestDb& t) {
    auto reg = t.fresh();
    REQUIRE(import(*reg, {record("P1", "BE-A", {"EGFR"}), record("P2", "BE-A", {"BRAF"}),
                          record("P3", "BE-B", {"KRAS"}), record("P4", "BE-B", {})})
                .inserted == 4);
    FakeMatcher m(1);
    MatchOptions o;
    o.reference = R"({"hgnc_symbols.tsv":"abc"})";
    auto rep = reg->match(m, o);
    CHECK(rep.runs == 4);
    CHECK(rep.failed == 0);
    Database& db = reg->database();
    auto rows = db.query(
        "SELECT recommended, actionable, precision2_eligible, engine_version, reference FROM match_runs ORDER BY id");
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].text(0) == "standard_of_care");
    CHECK(rows[1].text(0) == "matched_trial");
    CHECK(rows[2].text(0) == "precision2");
    CHECK(rows[2].i64(2) == 1);
    CHECK(rows[3].text(0) == "empirical");
    CHECK(rows[3].i64(1) == 0);
    CHECK(rows[0].text(4) == o.reference);
    // The stored input holds the pseudonym, not the local id.
    CHECK(db.query("SELECT input FROM match_runs ORDER BY id").at(0).text(0).find("\"P1\"") == std::string::npos);

    o.skip_current = true;
    auto again = reg->match(m, o);
    CHECK(again.runs == 0);
    CHECK(again.skipped == 4);

    auto rp = reg->replay(&FakeMatcher::from_sources);
    CHECK(rp.runs == 4);
    CHECK(rp.identical == 4);
    CHECK(rp.problems.empty());

    // Tamper with a stored result (match_runs is not append-only; its result_sha is).
    db.query(
        "UPDATE match_runs SET result = replace(result, 'osimertinib', 'gefitinib') WHERE id = "
        "(SELECT MIN(id) FROM match_runs)");
    rp = reg->replay(&FakeMatcher::from_sources);
    CHECK(rp.different == 1);
    REQUIRE(rp.problems.size() == 1);
    CHECK(rp.problems[0].status == "different");
    auto ic = reg->integrity_check();
    CHECK_FALSE(ic.ok);

    // A rule set whose archive no longer compiles is reported, not silently skipped.
    auto broken = [](std::vector<RuleSource> const&, std::string& err) -> std::shared_ptr<Matcher const> {
      err = "syntax error";
      return nullptr;
    };
    rp = reg->replay(broken);
    CHECK(rp.errors == 4);
  });
}

TEST_CASE("diff lists every patient whose pathway or matches change") {
  for_each_backend([](TestDb& t) {
    auto reg = t.fresh();
    import(*reg, {record("P1", "BE-A", {"EGFR"}), record("P2", "BE-A", {"KRAS"}),
                  record("P3", "BE-B", {"KRAS", "EGFR"}), record("P4", "BE-B", {})});
    FakeMatcher v1(1), v2(2);
    auto d = reg->diff(v1, v2);
    CHECK(d.patients == 4);
    REQUIRE(d.changed.size() == 2);
    auto key = test_key();
    auto p2 = std::find_if(d.changed.begin(), d.changed.end(),
                           [&](DiffEntry const& e) { return e.pseudonym == key.pseudonym("BE-A", "P2"); });
    REQUIRE(p2 != d.changed.end());
    CHECK(p2->old_recommended == "precision2");
    CHECK(p2->new_recommended == "matched_trial");
    CHECK(p2->pathway_changed);
    CHECK(p2->added == std::vector<std::string>{"matched_trial:NCT00000002/B"});
    auto p3 = std::find_if(d.changed.begin(), d.changed.end(),
                           [&](DiffEntry const& e) { return e.pseudonym == key.pseudonym("BE-B", "P3"); });
    REQUIRE(p3 != d.changed.end());
    CHECK(p3->old_recommended == "standard_of_care");
    CHECK(p3->new_recommended == "standard_of_care");
    // Scoped: centre A's session sees only its patients.
    auto a = t.open(Scope::of("BE-A"));
    CHECK(a->diff(v1, v2).changed.size() == 1);
  });
}
