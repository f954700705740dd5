// Schema creation, migrations by version, SQLite pragmas, refusal of unknown / newer schemas.
#include <sqlite3.h>

#include "support.hpp"

using namespace regtest;

TEST_CASE("init creates the schema at the latest version, idempotently") {
  for_each_backend([](TestDb& t) {
    auto reg = t.open();
    CHECK(reg->schema_version() == 0);
    CHECK_THROWS_AS(reg->centres(), Error);
    reg->init();
    CHECK(reg->schema_version() == Registry::latest_schema_version());
    reg->init();  // again: no change
    CHECK(reg->schema_version() == Registry::latest_schema_version());
    reg->add_centre("BE-UZL", "UZ Leuven");
    reg->add_centre("BE-UZL");  // existing: no-op
    auto cs = reg->centres();
    REQUIRE(cs.size() == 1);
    CHECK(cs[0].code == "BE-UZL");
    CHECK(cs[0].name == "UZ Leuven");
    CHECK_THROWS_AS(reg->add_centre("bad code!"), Error);
    auto audit = reg->audit_verify();
    CHECK(audit.ok);
    CHECK(audit.entries >= 2);
  });
}

TEST_CASE("a database newer than this build is refused") {
  for_each_backend([](TestDb& t) {
    auto reg = t.open();
    reg->init();
    if (t.backend() == "sqlite") {
      reg->database().exec_script("PRAGMA user_version = 99");
    } else {
      reg->database().query("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    }
    auto again = t.open();
    try {
      again->init();
      FAIL("init accepted a newer schema");
    } catch (Error const& e) {
      CHECK(e.code() == ErrorCode::kSchema);
      CHECK(std::string(e.what()).find("newer") != std::string::npos);
    }
    CHECK_THROWS_AS(again->patients(), Error);
  });
}

TEST_CASE("SQLite connections use WAL, synchronous=FULL, foreign keys, secure_delete") {
  TestDb t("sqlite");
  auto reg = t.open();
  reg->init();
  Database& db = reg->database();
  CHECK(db.query("PRAGMA journal_mode").at(0).text(0) == "wal");
  CHECK(db.query("PRAGMA synchronous").at(0).i64(0) == 2);  // FULL
  CHECK(db.query("PRAGMA foreign_keys").at(0).i64(0) == 1);
  CHECK(db.query("PRAGMA secure_delete").at(0).i64(0) == 1);
  CHECK(db.query("PRAGMA user_version").at(0).i64(0) == Registry::latest_schema_version());
  CHECK(db.query("PRAGMA application_id").at(0).i64(0) == 1094931538);
  auto st = std::filesystem::status(t.sqlite_path());
  CHECK((st.permissions() & (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) ==
        std::filesystem::perms::none);
  auto rep = reg->integrity_check();
  CHECK(rep.ok);
}

TEST_CASE("a failed migration leaves the database at its previous version") {
  TestDb t("sqlite");
  {
    // Simulate a half-created schema: a table of migration 1 exists, user_version is 0.
    auto db = open_sqlite(t.sqlite_path());
    db->exec_script("CREATE TABLE patients (x INTEGER)");
  }
  auto reg = t.open();
  CHECK_THROWS_AS(reg->init(), Error);
  CHECK(reg->schema_version() == 0);
  // Nothing of migration 1 was left behind.
  CHECK(reg->database().query("SELECT COUNT(*) FROM sqlite_master WHERE name = 'centres'").at(0).i64(0) == 0);
}

TEST_CASE("URLs select the backend") {
  CHECK_THROWS_AS(open_database("sqlite:"), Error);
  TestDb t("sqlite");
  auto a = open_database(t.sqlite_path());
  CHECK(a->dialect() == Dialect::kSqlite);
  auto b = open_database("sqlite://" + t.sqlite_path());
  CHECK(b->describe() == "sqlite:" + t.sqlite_path());
  if (!postgres_available()) CHECK_THROWS_AS(open_database("postgresql://x@127.0.0.1:1/db"), Error);
}
