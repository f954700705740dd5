// Treatment decisions, follow-up visits, consent withdrawal.
#include "actionable/registry/stats.hpp"
#include "support.hpp"

using namespace regtest;

TEST_CASE("decisions: option, trial, reason when the recommendation is not followed") {
  for_each_backend([](TestDb& t) {
    auto reg = t.fresh();
    import(*reg, {record("P1", "BE-A", {"EGFR"}), record("P2", "BE-A", {})});
    std::string p1 = test_key().pseudonym("BE-A", "P1");
    std::string p2 = test_key().pseudonym("BE-A", "P2");
    // Before any match run the recommendation is unknown: any option is accepted.
    DecisionInput d{p2, "empirical", std::nullopt, std::nullopt, "2025-03-01", std::nullopt, std::nullopt};
    CHECK(reg->decide(d) > 0);
    FakeMatcher m(1);
    reg->match(m);
    d = DecisionInput{p1, "standard_of_care", std::nullopt, std::nullopt, "2025-03-01", std::nullopt, std::nullopt};
    reg->decide(d);
    d.option = "matched_trial";
    CHECK_THROWS_AS(reg->decide(d), Error);  // no trial named
    d.trial = "NCT04303780";
    CHECK_THROWS_AS(reg->decide(d), Error);  // not the recommendation: reason required
    d.reason = "patient preference";
    reg->decide(d);
    d.option = "chemo";
    CHECK_THROWS_AS(reg->decide(d), Error);
    d.option = "empirical";
    d.date = "2025-13-01";
    CHECK_THROWS_AS(reg->decide(d), Error);
    d.date = "2025-03-01";
    d.pseudonym = std::string(64, 'a');
    try {
      reg->decide(d);
      FAIL("unknown patient accepted");
    } catch (Error const& e) {
      CHECK(e.code() == ErrorCode::kNotFound);
    }
    auto rows = reg->database().query("SELECT option, recommended, followed, reason FROM decisions ORDER BY id");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].is_null(1));
    CHECK(rows[1].text(1) == "standard_of_care");
    CHECK(rows[1].i64(2) == 1);
    CHECK(rows[2].i64(2) == 0);
    CHECK(rows[2].text(3) == "patient preference");
  });
}

TEST_CASE("follow-up visits upsert, update treatments, and need a death date") {
  for_each_backend([](TestDb& t) {
    auto reg = t.fresh();
    json r = record("P1", "BE-A", {"BRAF"});
    r["treatments"] = {
        {{"line", 1}, {"drugs", {"carboplatin"}}, {"start", "2024-01-01"}, {"progression", "2024-06-01"}}};
    import(*reg, {r});
    std::string ps = test_key().pseudonym("BE-A", "P1");
    FollowUpInput f;
    f.pseudonym = ps;
    f.visit = 1;
    f.date = "2024-08-01";
    f.recist = "SD";
    f.disease_status = "stable";
    TreatmentInput tr;
    tr.line = 2;
    tr.drugs = std::vector<std::string>{"dabrafenib", "trametinib"};
    tr.start = "2024-07-01";
    tr.basis = "matched_trial";
    tr.trial = "NCT00000001";
    f.treatment = tr;
    reg->follow_up(f);
    f.treatment.reset();
    f.recist = "PD";
    f.progression = "2024-12-01";
    f.line = 2;
    f.visit = 2;
    f.date = "2025-01-05";
    reg->follow_up(f);
    Database& db = reg->database();
    CHECK(db.query("SELECT COUNT(*) FROM follow_ups").at(0).i64(0) == 2);
    auto t2 = db.query("SELECT drugs, basis, progression, trial FROM treatments WHERE line = 2");
    REQUIRE(t2.size() == 1);
    CHECK(json::parse(t2[0].text(0)) == json{"dabrafenib", "trametinib"});
    CHECK(t2[0].text(1) == "matched_trial");
    CHECK(t2[0].text(2) == "2024-12-01");
    // Same visit again: corrected, not duplicated.
    f.recist = "SD";
    reg->follow_up(f);
    CHECK(db.query("SELECT COUNT(*) FROM follow_ups").at(0).i64(0) == 2);
    CHECK(db.query("SELECT recist FROM follow_ups WHERE visit = 2").at(0).text(0) == "SD");
    // Re-importing the record keeps follow-up data of line 2 and the line-1 fields it gives.
    r["treatments"][0]["best_response"] = "PR";
    import(*reg, {r});
    CHECK(db.query("SELECT COUNT(*) FROM treatments").at(0).i64(0) == 2);
    CHECK(db.query("SELECT best_response FROM treatments WHERE line = 1").at(0).text(0) == "PR");
    f.vital_status = "dead";
    f.visit = 3;
    CHECK_THROWS_AS(reg->follow_up(f), Error);
    f.death_date = "2025-06-01";
    CHECK_THROWS_AS(reg->follow_up(f), Error);  // a death after the visit that reports it
    f.date = "2025-07-01";
    reg->follow_up(f);
    f.vital_status = "zombie";
    CHECK_THROWS_AS(reg->follow_up(f), Error);
    // Contradictions with other visits are refused whole (issue 12: never half-written).
    FollowUpInput g;
    g.pseudonym = ps;
    g.visit = 4;
    g.date = "2025-12-01";
    CHECK_THROWS_AS(reg->follow_up(g), Error);  // alive after the death recorded at visit 3
    g.visit = 2;
    g.date = "2024-07-01";  // before visit 1 (2024-08-01)
    CHECK_THROWS_AS(reg->follow_up(g), Error);
    g.date = "2025-08-01";  // after visit 3 (2025-07-01)
    CHECK_THROWS_AS(reg->follow_up(g), Error);
    g.date = "2025-01-06";
    g.progression = "2025-02-01";  // progression after the visit
    CHECK_THROWS_AS(reg->follow_up(g), Error);
    g.progression.reset();
    g.replace = false;  // portal forms: an existing visit is refused
    try {
      reg->follow_up(g);
      FAIL("visit 2 replaced");
    } catch (Error const& e) {
      CHECK(e.code() == ErrorCode::kConstraint);
    }
    CHECK(db.query("SELECT visit_date FROM follow_ups WHERE visit = 2").at(0).text(0) == "2025-01-05");
  });
}

TEST_CASE("withdrawn PRECISION 1 consent blocks further clinical data") {
  for_each_backend([](TestDb& t) {
    auto reg = t.fresh();
    json r = record("P1", "BE-A", {"EGFR"});
    r["consents"] = {{{"kind", "precision1"}, {"status", "withdrawn"}, {"date", "2025-05-01"}}};
    CHECK(import(*reg, {r}).inserted == 1);
    std::string ps = test_key().pseudonym("BE-A", "P1");
    FollowUpInput f;
    f.pseudonym = ps;
    f.date = "2025-06-01";
    CHECK_THROWS_AS(reg->follow_up(f), Error);
    r["ecog"] = 3;
    auto rep = import(*reg, {r});
    CHECK(rep.rejected == 1);
    CHECK(reg->forget(ps));
  });
}
