// The append-only, hash-chained audit log and audit-verify.
#include "internal.hpp"
#include "support.hpp"
#include "util.hpp"

using namespace regtest;

TEST_CASE("every write leaves an audit entry; the chain verifies") {
  for_each_backend([](TestDb& t) {
    auto reg = t.fresh();
    auto before = reg->audit_verify();
    REQUIRE(before.ok);
    import(*reg, {record("P1", "BE-A", {"EGFR"})});
    FakeMatcher m(1);
    reg->match(m);
    auto after = reg->audit_verify();
    CHECK(after.ok);
    // record.insert + ruleset.store + key.bind + match.run
    CHECK(after.entries == before.entries + 4);
    CHECK(after.head.size() == 64);
    auto rows = reg->database().query("SELECT action, centre, pseudonym, actor FROM audit_log ORDER BY seq");
    bool saw_import = false;
    for (auto const& r : rows) {
      if (r.text(0) == "record.insert") {
        saw_import = true;
        CHECK(r.text(1) == "BE-A");
        CHECK(r.text(2) == test_key().pseudonym("BE-A", "P1"));
        CHECK_FALSE(r.text(3).empty());
      }
    }
    CHECK(saw_import);
  });
}

TEST_CASE("the audit log refuses updates and deletes; tampering breaks the chain") {
  for_each_backend([](TestDb& t) {
    auto reg = t.fresh();
    import(*reg, {record("P1", "BE-A", {"EGFR"}), record("P2", "BE-A", {})});
    Database& db = reg->database();
    CHECK_THROWS_AS(db.query("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"), Error);
    CHECK_THROWS_AS(db.query("DELETE FROM audit_log WHERE seq = 2"), Error);
    // An owner who disables the protection still cannot hide the change.
    if (t.backend() == "sqlite") {
      db.exec_script("DROP TRIGGER audit_log_no_update");
    } else {
      db.exec_script("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
    }
    db.query("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2");
    auto rep = reg->audit_verify();
    CHECK_FALSE(rep.ok);
    REQUIRE(rep.first_bad_seq);
    CHECK(*rep.first_bad_seq == 2);
    CHECK_FALSE(reg->integrity_check().ok);
  });
}

TEST_CASE("the C++ canonical form matches the documented one") {
  std::string c = detail::audit_canonical(7, "2026-01-01T00:00:00.000000Z", "pi", "record.insert", std::string("BE-A"),
                                          std::nullopt, "{}", std::string(64, '0'));
  CHECK(c == "actionable-audit-v1|1:7|27:2026-01-01T00:00:00.000000Z|2:pi|13:record.insert|4:BE-A|-|2:{}|64:" +
                 std::string(64, '0'));
}
