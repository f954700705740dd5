// Backups and the key file (issue 14 item 6, docs/registry.md "Backups", "Pseudonyms and the
// key"): a SQLite backup made while a writer is busy restores to an identical export; restore
// refuses what is not a sound registry and leaves the live one unchanged; PostgreSQL points to
// pg_dump. The key file is refused when group or others may access it, and the key's bytes
// appear in no message, no audit entry and no database file.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.hpp"

using namespace regtest;

namespace {

std::string export_text(Registry& reg) {
  std::ostringstream out;
  reg.export_jsonl(out);
  return out.str();
}

void populate(Registry& reg, std::string const& prefix, int n) {
  std::vector<json> docs;
  for (int i = 0; i < n; ++i) {
    json r = record(prefix + std::to_string(i), i % 2 ? "BE-A" : "BE-B", {"EGFR", "KRAS"});
    r["treatments"] = {{{"line", 1}, {"drugs", {"carboplatin"}}, {"start", "2024-01-01"}}};
    docs.push_back(r);
  }
  REQUIRE(import(reg, docs).inserted == n);
  FollowUpInput f;
  f.pseudonym = test_key().pseudonym("BE-B", prefix + "0");
  f.visit = 1;
  f.date = "2024-07-01";
  f.recist = "SD";
  reg.follow_up(f);
  reg.decide(DecisionInput{test_key().pseudonym("BE-A", prefix + "1"), "empirical", std::nullopt, std::nullopt,
                           "2024-02-01", std::nullopt, std::nullopt});
}

}  // namespace

TEST_CASE("backup and restore: an identical export; unsound backups refused") {
  for_each_backend([](TestDb& t) {
    auto reg = t.fresh();
    populate(*reg, "BK", 40);
    auto dir = std::filesystem::temp_directory_path() / ("act_bk_" + std::to_string(::getpid()) + t.backend());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto path = (dir / "backup.db").string();
    if (t.backend() == "postgres") {
      try {
        reg->backup(path);
        FAIL_CHECK("backup of a PostgreSQL registry did not point to pg_dump");
      } catch (Error const& e) {
        CHECK(e.code() == ErrorCode::kInput);
        CHECK(std::string(e.what()).find("pg_dump") != std::string::npos);
      }
      CHECK_THROWS_AS(reg->restore(path), Error);
      std::filesystem::remove_all(dir);
      return;
    }
    // The backup is taken while another process imports: it is one consistent snapshot.
    pid_t writer = ::fork();
    REQUIRE(writer >= 0);
    if (writer == 0) {
      try {
        auto w = t.open();
        for (int i = 0; i < 60; ++i) import(*w, {record("WR" + std::to_string(i), "BE-A", {"BRAF"})});
        _exit(0);
      } catch (...) {
        _exit(1);
      }
    }
    reg->backup(path);
    int status = 0;
    ::waitpid(writer, &status, 0);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 077) == 0);
    CHECK_FALSE(std::filesystem::exists(path + "-wal"));
    try {
      reg->backup(path);
      FAIL_CHECK("a backup overwrote a file");
    } catch (Error const& e) {
      CHECK(e.code() == ErrorCode::kInput);
    }
    std::string at_backup;
    std::int64_t at_backup_audit = 0;
    {
      OpenOptions o;
      auto copy = Registry::open("sqlite:" + path, o);
      CHECK(copy->integrity_check().ok);
      at_backup = export_text(*copy);
      at_backup_audit = copy->audit_verify().entries;
    }
    // Later changes, then the restore brings back exactly the backup's content.
    populate(*reg, "LATE", 5);
    CHECK(reg->forget(test_key().pseudonym("BE-B", "BK2")));
    REQUIRE(export_text(*reg) != at_backup);
    reg->restore(path);
    CHECK(export_text(*reg) == at_backup);
    auto audit = reg->audit_verify();
    CHECK(audit.ok);
    CHECK(audit.entries == at_backup_audit + 1);
    CHECK(reg->database().query("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1").at(0).text(0) ==
          "registry.restore");
    CHECK(reg->integrity_check().ok);
    // Another connection sees the restored registry, and can write to it.
    {
      auto other = t.open();
      CHECK(export_text(*other) == at_backup);
      CHECK(import(*other, {record("AFTER", "BE-A", {"EGFR"})}).inserted == 1);
    }
    std::string const live = export_text(*reg);
    // Refused, and the live registry unchanged: not a database, not a registry, a damaged backup.
    auto refused = [&](std::string const& p, std::string const& why) {
      CAPTURE(why);
      try {
        reg->restore(p);
        FAIL_CHECK("restore accepted " << why);
      } catch (Error const& e) {
        CHECK(e.code() == ErrorCode::kInput);
        CHECK(std::string(e.what()).find("cannot be restored") != std::string::npos);
      }
      CHECK(export_text(*reg) == live);
      CHECK(reg->integrity_check().ok);
    };
    {
      std::ofstream(dir / "text.db") << "not a database\n";
      refused((dir / "text.db").string(), "a text file");
      open_sqlite((dir / "empty.db").string())->exec_script("CREATE TABLE x (a)");
      refused((dir / "empty.db").string(), "another SQLite file");
      std::string bytes = read_file(path);
      std::size_t page = (static_cast<unsigned char>(bytes[16]) << 8) | static_cast<unsigned char>(bytes[17]);
      for (std::size_t i = 0; i < page; ++i) bytes[3 * page + i] = '\x5a';  // page 4
      std::ofstream(dir / "damaged.db", std::ios::binary) << bytes;
      refused((dir / "damaged.db").string(), "a damaged backup");
    }
    std::filesystem::remove_all(dir);
  });
}

TEST_CASE("key files that group or others may access are refused, naming the file and the fix") {
  auto dir = std::filesystem::temp_directory_path() / ("act_keyperm_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto path = (dir / "key").string();
  PseudonymKey::write_new_key_file(path);
  std::string const secret = read_file(path).substr(0, 64);
  REQUIRE(secret.size() == 64);
  for (mode_t mode : {0644, 0640, 0604, 0620, 0660, 0606}) {
    CAPTURE(mode);
    REQUIRE(::chmod(path.c_str(), mode) == 0);
    try {
      PseudonymKey::from_file(path);
      FAIL_CHECK("a key file with group/other access was accepted");
    } catch (Error const& e) {
      std::string what = e.what();
      CHECK(e.code() == ErrorCode::kKey);
      CHECK(what.find(path) != std::string::npos);
      CHECK(what.find("chmod 600") != std::string::npos);
      CHECK(what.find(secret) == std::string::npos);
    }
    ::setenv("ACTIONABLE_PSEUDONYM_KEY_FILE", path.c_str(), 1);
    CHECK_THROWS_AS(PseudonymKey::from_environment(), Error);
    ::unsetenv("ACTIONABLE_PSEUDONYM_KEY_FILE");
  }
  for (mode_t mode : {0600, 0400}) {
    REQUIRE(::chmod(path.c_str(), mode) == 0);
    CHECK(PseudonymKey::from_file(path).fingerprint().size() == 32);
  }
  CHECK_THROWS_AS(PseudonymKey::from_file(dir.string()), Error);  // a directory is no key file
  std::filesystem::remove_all(dir);
}

TEST_CASE("the key is never logged: not in messages, audit entries or database files") {
  for_each_backend([](TestDb& t) {
    auto reg = t.fresh();
    import(*reg, {record("LOG1", "BE-A", {"EGFR"})});
    std::vector<std::string> messages;
    std::string const other = "fedcba9876543210fedcba9876543210-another-test-key";
    try {
      reg->bind_key(PseudonymKey::from_bytes(other));
    } catch (Error const& e) {
      messages.push_back(e.what());
    }
    try {
      PseudonymKey::from_bytes("short-secret-key-material");
    } catch (Error const& e) {
      messages.push_back(e.what());
    }
    REQUIRE(messages.size() == 2);
    for (auto const& m : messages) {
      CHECK(m.find(kKeyText) == std::string::npos);
      CHECK(m.find(other) == std::string::npos);
      CHECK(m.find("short-secret") == std::string::npos);
    }
    for (Row const& r : reg->database().query("SELECT action, COALESCE(detail, '') FROM audit_log")) {
      CHECK(r.text(1).find(kKeyText) == std::string::npos);
    }
    if (t.backend() == "sqlite") {
      reg->database().query("PRAGMA wal_checkpoint(TRUNCATE)");
      for (auto const& e : std::filesystem::directory_iterator(t.dir()))
        CHECK(read_file(e.path()).find(kKeyText.substr(0, 32)) == std::string::npos);
    }
  });
}
