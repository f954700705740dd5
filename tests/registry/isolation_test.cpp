// Centre isolation: a session of centre A reads 0 rows of centre B in every table — through
// the application's scope on SQLite, and through row-level security on PostgreSQL with login
// roles that are neither owners nor BYPASSRLS (checked even when the application asks for all).
#include "support.hpp"

using namespace regtest;

namespace {

/// Both centres get a patient with a run, a decision, a treatment, a follow-up, consents.
void populate(Registry& reg) {
  for (std::string c : {"BE-A", "BE-B"}) {
    json r = record("P-" + c, c, {"EGFR", "BRAF"});
    r["treatments"] = {{{"line", 1}, {"drugs", {"x"}}, {"start", "2024-01-01"}}};
    r["consents"] = {{{"kind", "precision1"}, {"status", "given"}}};
    REQUIRE(import(reg, {r}).inserted == 1);
  }
  FakeMatcher m(1);
  REQUIRE(reg.match(m).runs == 2);
  for (std::string c : {"BE-A", "BE-B"}) {
    std::string ps = test_key().pseudonym(c, "P-" + c);
    reg.decide(
        DecisionInput{ps, "standard_of_care", std::nullopt, std::nullopt, "2024-02-01", std::nullopt, std::nullopt});
    FollowUpInput f;
    f.pseudonym = ps;
    f.date = "2024-07-01";
    reg.follow_up(f);
  }
  // And a forgotten patient in each centre (tombstones are scoped too).
  for (std::string c : {"BE-A", "BE-B"}) {
    REQUIRE(import(reg, {record("GONE-" + c, c, {})}).inserted == 1);
    REQUIRE(reg.forget(test_key().pseudonym(c, "GONE-" + c)));
  }
}

void check_sees_only_a(Registry& a) {
  for (std::string const& table : Registry::scoped_tables()) {
    CAPTURE(table);
    CHECK(a.count_rows(table, "BE-B") == 0);
    CHECK(a.count_rows(table, "BE-A") > 0);
  }
  auto ps = a.patients();
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].centre == "BE-A");
  std::ostringstream out;
  a.export_jsonl(out);
  CHECK(out.str().find(test_key().pseudonym("BE-B", "P-BE-B")) == std::string::npos);
  CHECK(out.str().find(test_key().pseudonym("BE-A", "P-BE-A")) != std::string::npos);
  std::string b = test_key().pseudonym("BE-B", "P-BE-B");
  try {
    a.decide(DecisionInput{b, "empirical", std::nullopt, std::nullopt, "2024-02-01", std::nullopt, std::nullopt});
    FAIL("decided for another centre's patient");
  } catch (Error const& e) {
    CHECK(e.code() == ErrorCode::kNotFound);
  }
  CHECK_FALSE(a.forget(b));
  FakeMatcher m(1);
  CHECK(a.replay(&FakeMatcher::from_sources).runs == 1);
  CHECK(a.match(m).runs == 1);
}

}  // namespace

TEST_CASE("isolation through the application scope (both backends)") {
  for_each_backend([](TestDb& t) {
    auto owner = t.fresh();
    populate(*owner);
    auto a = t.open(Scope::of("BE-A"));
    check_sees_only_a(*a);
    CHECK(a->centres().size() == 1);
  });
}

TEST_CASE("PostgreSQL row-level security: centre roles see nothing of other centres") {
  if (!postgres_selected()) return;  // an error under CI=true
  TestDb t("postgres");
  auto owner = t.fresh();
  populate(*owner);
  std::string pi_a = t.dbname() + "_pi_a", pi_b = t.dbname() + "_pi_b";
  owner->grant_centre("BE-A", pi_a);
  owner->grant_centre("BE-B", pi_b);
  CHECK(owner->integrity_check().ok);

  OpenOptions o;  // the application does NOT narrow the scope: only the database does
  auto a = Registry::open(t.url_as(pi_a), o);
  check_sees_only_a(*a);
  Database& db = a->database();
  // Raw SQL as the role: every table holds only centre A's rows.
  auto b_id = owner->database().query("SELECT id FROM centres WHERE code = 'BE-B'").at(0).i64(0);
  for (std::string const& table : Registry::scoped_tables()) {
    CAPTURE(table);
    std::string col = table == "centres" ? "id" : table == "audit_log" ? "centre" : "centre_id";
    Value b = table == "audit_log" ? Value{std::string("BE-B")} : Value{b_id};
    CHECK(db.query("SELECT COUNT(*) FROM " + table + " WHERE " + col + " = ?", {b}).at(0).i64(0) == 0);
    auto total_owner = owner->database().query("SELECT COUNT(*) FROM " + table).at(0).i64(0);
    auto total_a = db.query("SELECT COUNT(*) FROM " + table).at(0).i64(0);
    CHECK(total_a < total_owner);
  }
  // The role is not an owner, not superuser, not BYPASSRLS.
  auto role = db.query("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user").at(0);
  CHECK(role.i64(0) == 0);
  CHECK(role.i64(1) == 0);
  CHECK(db.query("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")
            .at(0)
            .i64(0) == 0);
  // Writing into centre B is refused by the database itself.
  auto a_patient = db.query("SELECT id FROM patients").at(0).i64(0);
  try {
    db.query(
        "INSERT INTO follow_ups (centre_id, patient_id, visit, visit_date, vital_status) VALUES (?, ?, 9, "
        "'2025-01-01', 'alive')",
        {b_id, a_patient});
    FAIL("RLS let centre A write a row of centre B");
  } catch (Error const& e) {
    CHECK((e.code() == ErrorCode::kPermission || e.code() == ErrorCode::kConstraint));
  }
  CHECK(db.query("UPDATE patients SET ecog = 4 WHERE centre_id = ? RETURNING id", {b_id}).empty());
  CHECK(db.query("DELETE FROM patients WHERE centre_id = ? RETURNING id", {b_id}).empty());
  CHECK_THROWS_AS(db.query("UPDATE audit_log SET actor = 'x'"), Error);
  CHECK_THROWS_AS(db.query("INSERT INTO audit_log (seq, at, actor, action, detail, prev_hash, hash) "
                           "VALUES (999, 'x', 'x', 'x', '{}', 'x', 'y')"),
                  Error);
  CHECK_THROWS_AS(db.query("SELECT actionable_audit_append('fake', 'BE-B', NULL, '{}')"), Error);
  CHECK_THROWS_AS(db.exec_script("SET row_security = off; SELECT COUNT(*) FROM patients"), Error);
  // Centre A's role can do its own work under RLS, audit included.
  db.exec_script("RESET row_security");
  CHECK(import(*a, {record("P-A2", "BE-A", {"KRAS"})}).inserted == 1);
  CHECK(import(*a, {record("P-B2", "BE-B", {"KRAS"})}).rejected == 1);
  CHECK(owner->audit_verify().ok);
  CHECK(owner->count_rows("patients", "BE-B") == 1);

  auto b = Registry::open(t.url_as(pi_b), o);
  CHECK(b->count_rows("patients", "BE-A") == 0);
  CHECK(b->patients().size() == 1);
}

TEST_CASE("act_as: a pooled owner connection acts for one centre under its role (the portal)") {
  for_each_backend([](TestDb& t) {
    auto owner = t.fresh();
    populate(*owner);
    auto reg = t.open();
    auto b_id = owner->database().query("SELECT id FROM centres WHERE code = 'BE-B'").at(0).i64(0);
    auto all_patients = owner->database().query("SELECT COUNT(*) FROM patients").at(0).i64(0);
    reg->act_as(Scope::of("BE-A"), "portal:pi-a");
    check_sees_only_a(*reg);
    CHECK(reg->actor() == "portal:pi-a");
    if (t.backend() == "postgres") {
      // Raw SQL without any scope clause: row-level security alone refuses centre B's rows.
      Database& db = reg->database();
      CHECK(db.query("SELECT COUNT(*) FROM patients WHERE centre_id = ?", {b_id}).at(0).i64(0) == 0);
      CHECK(db.query("SELECT COUNT(*) FROM patients").at(0).i64(0) < all_patients);
      CHECK_THROWS_AS(db.query("SELECT COUNT(*) FROM portal_users"), Error);  // accounts: the owner's only
    }
    // Audit entries name the portal user (PostgreSQL: "<login>/portal:pi-a").
    {
      Transaction txn(reg->database(), Transaction::Kind::kWrite);
      reg->audit("patient.view", std::string("BE-A"), std::nullopt, "{}");
      txn.commit();
    }
    auto actor = owner->database().query("SELECT actor FROM audit_log ORDER BY seq DESC LIMIT 1").at(0).text(0);
    CHECK(actor.size() >= std::string("portal:pi-a").size());
    CHECK(actor.compare(actor.size() - 11, 11, "portal:pi-a") == 0);
    // Back to the owner: every centre again.
    reg->act_as(Scope::all(), "portal");
    CHECK(reg->database().query("SELECT COUNT(*) FROM patients").at(0).i64(0) == all_patients);
    CHECK(owner->audit_verify().ok);
    if (t.backend() == "postgres") CHECK_THROWS_AS(reg->act_as(Scope{{"BE-A", "BE-B"}}, "x"), Error);
  });
}
