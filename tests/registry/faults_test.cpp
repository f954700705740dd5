// Fault injection (issue 14 item 4, docs/reliability.md "Registry faults"): a full disk and a
// failing disk under SQLite (a test VFS, tests/registry/fault_vfs.hpp, fails the N-th write for
// every N of an import; ACTIONABLE_FAULT_STRIDE thins the sweep), a full backup target, a
// corrupted page, and on PostgreSQL a backend terminated in the middle of a transaction
// (pg_terminate_backend). Each must give a clear error, leave nothing half-written, keep
// integrity_check ok (except the corrupted file, which it must report), and a retry must converge.
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "fault_vfs.hpp"
#include "support.hpp"

using namespace regtest;

namespace {

/// Import `lines` as a JSON Lines stream: import_jsonl commits every options.batch_size records.
ImportReport import_stream(Registry& reg, std::vector<std::string> const& lines, ImportOptions const& o) {
  std::string text;
  for (auto const& l : lines) text += l + "\n";
  std::istringstream in(text);
  return reg.import_jsonl(in, test_key(), o);
}

std::vector<std::string> records(std::string const& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    json r = record(prefix + std::to_string(i), i % 2 ? "BE-A" : "BE-B", {"EGFR", "KRAS"});
    r["treatments"] = {{{"line", 1}, {"drugs", {"carboplatin"}}, {"start", "2024-01-01"}}};
    out.push_back(r.dump());
  }
  return out;
}

/// Rows of every patient-scoped table per pseudonym are complete: 2 findings, 1 test, 1
/// treatment. Returns the number of patients whose rows are not.
std::int64_t half_written(Registry& reg) {
  return reg.database()
      .query(
          "SELECT COUNT(*) FROM patients p WHERE (SELECT COUNT(*) FROM findings f WHERE f.patient_id = p.id) <> 2 "
          "OR (SELECT COUNT(*) FROM tests t WHERE t.patient_id = p.id) <> 1 "
          "OR (SELECT COUNT(*) FROM treatments t WHERE t.patient_id = p.id) <> 1")
      .at(0)
      .i64(0);
}

}  // namespace

/// Every stride-th N of the sweep (ACTIONABLE_FAULT_STRIDE, default 2: the two errors take the
/// even and the odd N, so that together they cover every N; 1 = every N for both, by hand).
long fault_stride() {
  if (char const* v = std::getenv("ACTIONABLE_FAULT_STRIDE")) return std::max(1L, std::atol(v));
  return 2;
}

TEST_CASE("SQLite: a full or failing disk during import gives a clear error, nothing half-written, a retry converges") {
  FaultVfs vfs;
  long const stride = fault_stride();
  for (int error : {SQLITE_FULL, SQLITE_IOERR_WRITE}) {
    CAPTURE(error);
    TestDb t("sqlite");
    std::string dir = t.dir().string() + "/";
    {
      auto reg = t.fresh();
      reg->bind_key(test_key());
    }
    // Calibrate: how many writes an import of 12 records in batches of 4 makes.
    vfs.count(dir);
    {
      auto reg = t.open();
      ImportOptions o;
      o.batch_size = 4;
      REQUIRE(import_stream(*reg, records("CAL", 12), o).inserted == 12);
    }
    long const writes = vfs.writes();
    REQUIRE(writes > 0);
    int attempts = 0, failed = 0;
    std::set<std::string> messages;
    // Every N from 0 until three imports in a row get through (the registry grows, so the last
    // failing N lies somewhat above the calibration's count).
    int clean_in_a_row = 0;
    long n = error == SQLITE_FULL ? 0 : std::min(1L, stride - 1);
    long const first = n;
    for (; clean_in_a_row < 3 && n <= 4 * writes; n += stride) {
      CAPTURE(n);
      auto lines = records("F" + std::to_string(n) + "_", 12);
      std::set<std::int64_t> durable;
      bool threw = false;
      vfs.arm(dir, n, error);
      try {
        auto reg = t.open();
        ImportOptions o;
        o.batch_size = 4;
        o.on_commit = [&](std::vector<std::int64_t> const& l) { durable.insert(l.begin(), l.end()); };
        import_stream(*reg, lines, o);
      } catch (Error const& e) {
        threw = true;
        CHECK(e.code() == ErrorCode::kDatabase);
        std::string what = e.what();
        CHECK((what.find(error == SQLITE_FULL ? "database or disk is full" : "disk I/O error") != std::string::npos));
        messages.insert(what.substr(0, what.find(" [")));
      }
      vfs.disarm();
      ++attempts;
      failed += threw;
      clean_in_a_row = threw ? 0 : clean_in_a_row + 1;
      auto reg = t.open();
      // Exactly the batches reported durable are there, each record whole.
      std::int64_t present = 0;
      for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string ps =
            test_key().pseudonym(i % 2 ? "BE-A" : "BE-B", "F" + std::to_string(n) + "_" + std::to_string(i));
        bool here = reg->database().query("SELECT COUNT(*) FROM patients WHERE pseudonym = ?", {ps}).at(0).i64(0) == 1;
        present += here;
        CHECK(here == (durable.count(static_cast<std::int64_t>(i + 1)) == 1));
      }
      if (!threw) CHECK(present == 12);
      CHECK(half_written(*reg) == 0);
      auto ic = reg->integrity_check();
      CHECK_MESSAGE(ic.ok, (ic.problems.empty() ? "" : ic.problems.front()));
      // The retry converges: every record once, the durable ones unchanged.
      auto rep = reg->import_lines(lines, test_key());
      CHECK(rep.unchanged == static_cast<std::int64_t>(durable.size()));
      CHECK(rep.inserted == 12 - static_cast<std::int64_t>(durable.size()));
    }
    CHECK(failed > 0);
    CHECK(clean_in_a_row == 3);
    CHECK(vfs.failed() > 0);
    auto reg = t.open();
    CHECK(reg->database().query("SELECT COUNT(*) FROM patients").at(0).i64(0) == 12 * (attempts + 1));
    CHECK(reg->audit_verify().ok);
    for (auto const& m : messages) MESSAGE(std::string(m));
    std::string const name = error == SQLITE_FULL ? "SQLITE_FULL" : "SQLITE_IOERR_WRITE";
    MESSAGE(name << ": " << attempts << " imports of 12 records, write k+1 failing for k = " << first << ", "
                 << first + stride << ", … " << n - stride << " (calibration: " << writes << " writes), " << failed
                 << " failed with a clean error, " << attempts - failed
                 << " completed; 0 half-written, integrity ok, every retry converged");
  }
}

TEST_CASE("SQLite: a backup onto a full disk fails cleanly and leaves no file") {
  FaultVfs vfs;
  TestDb t("sqlite");
  {
    auto reg = t.fresh();
    import(*reg, {record("B1", "BE-A", {"EGFR"}), record("B2", "BE-B", {"BRAF"})});
  }
  auto out = std::filesystem::temp_directory_path() / ("act_full_" + std::to_string(::getpid()));
  std::filesystem::remove_all(out);
  std::filesystem::create_directories(out);
  for (long n : {0L, 1L, 3L, 10L}) {
    CAPTURE(n);
    auto path = (out / ("b" + std::to_string(n) + ".db")).string();
    vfs.arm(out.string() + "/", n, SQLITE_FULL);
    auto reg = t.open();
    try {
      reg->backup(path);
      FAIL_CHECK("backup onto a full disk succeeded");
    } catch (Error const& e) {
      CHECK(std::string(e.what()).find("database or disk is full") != std::string::npos);
      CHECK(std::string(e.what()).find("nothing kept") != std::string::npos);
    }
    vfs.disarm();
    CHECK_FALSE(std::filesystem::exists(path));
    CHECK_FALSE(std::filesystem::exists(path + "-wal"));
    CHECK(reg->integrity_check().ok);
  }
  std::filesystem::remove_all(out);
}

TEST_CASE("SQLite: a corrupted page is reported by integrity_check, never a crash") {
  TestDb t("sqlite");
  {
    auto reg = t.fresh();
    std::vector<json> docs;
    for (int i = 0; i < 60; ++i)
      docs.push_back(record("K" + std::to_string(i), i % 2 ? "BE-A" : "BE-B", {"EGFR", "BRAF"}));
    REQUIRE(import(*reg, docs).inserted == 60);
    reg->database().query("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  std::string const pristine = read_file(t.sqlite_path());
  REQUIRE(pristine.size() > 4096);
  std::size_t const page = (static_cast<unsigned char>(pristine[16]) << 8) | static_cast<unsigned char>(pristine[17]);
  REQUIRE(page >= 512);
  std::size_t const pages = pristine.size() / page;
  int btree_pages = 0, reported = 0, refused_at_open = 0;
  for (std::size_t p = 2; p <= pages; ++p) {  // page 1 holds the file header: a different failure
    std::size_t at = (p - 1) * page;
    unsigned char kind = static_cast<unsigned char>(pristine[at]);
    if (kind != 2 && kind != 5 && kind != 10 && kind != 13) continue;  // b-tree pages only
    ++btree_pages;
    CAPTURE(p);
    std::string damaged = pristine;
    for (std::size_t i = 0; i < page; ++i) damaged[at + i] = static_cast<char>(0xA5 ^ (i * 7));
    for (char const* suffix : {"-wal", "-shm"}) std::filesystem::remove(t.sqlite_path() + suffix);
    {
      std::ofstream out(t.sqlite_path(), std::ios::binary | std::ios::trunc);
      out << damaged;
    }
    try {
      auto reg = t.open();
      auto ic = reg->integrity_check();
      CHECK_FALSE(ic.ok);
      CHECK_FALSE(ic.problems.empty());
      if (!ic.ok) ++reported;
    } catch (Error const& e) {
      // A page of the schema itself: no statement can be prepared; the error says so.
      CHECK(std::string(e.what()).find("malformed") != std::string::npos);
      ++refused_at_open;
    }
  }
  CHECK(btree_pages > 5);
  CHECK(reported + refused_at_open == btree_pages);
  MESSAGE(btree_pages << " b-tree pages corrupted one at a time: " << reported << " reported by integrity_check, "
                      << refused_at_open << " refused at open (schema pages)");
}

TEST_CASE("PostgreSQL: a backend terminated mid-transaction gives a clean error; a retry converges") {
  if (!postgres_selected()) return;  // an error under CI=true
  TestDb t("postgres");
  {
    auto reg = t.fresh();
    reg->bind_key(test_key());
  }
  SUBCASE("an explicit write transaction") {
    auto reg = t.open();
    Database& db = reg->database();
    std::int64_t pid = db.query("SELECT pg_backend_pid()").at(0).i64(0);
    {
      Transaction txn(db, Transaction::Kind::kWrite);
      db.query("INSERT INTO meta (key, value) VALUES ('probe', 'x')");
      auto admin = open_postgres(t.url());
      CHECK(admin->query("SELECT pg_terminate_backend(?)", {pid}).at(0).i64(0) == 1);
      try {
        db.query("INSERT INTO meta (key, value) VALUES ('probe2', 'y')");
        txn.commit();
        FAIL_CHECK("a write on a terminated backend succeeded");
      } catch (Error const& e) {
        CHECK(e.code() == ErrorCode::kDatabase);
        MESSAGE("terminated backend: " << std::string(e.what()));
      }
    }                                              // rollback on a dead connection: noexcept, no crash
    CHECK_THROWS_AS(db.query("SELECT 1"), Error);  // the dead connection keeps failing cleanly
    auto again = t.open();
    CHECK(again->database().query("SELECT COUNT(*) FROM meta WHERE key LIKE 'probe%'").at(0).i64(0) == 0);
    CHECK(again->integrity_check().ok);
  }
  SUBCASE("a bulk import") {
    auto lines = records("T", 240);
    auto reg = t.open();
    std::int64_t pid = reg->database().query("SELECT pg_backend_pid()").at(0).i64(0);
    std::set<std::int64_t> durable;
    std::atomic<bool> committed_once{false}, stop{false};
    std::atomic<int> terminated{0};
    // Terminate the importer's backend once it is inside its second transaction.
    std::thread killer([&] {
      auto admin = open_postgres(t.url());
      while (!stop) {
        Rows r = admin->query("SELECT xact_start IS NOT NULL FROM pg_stat_activity WHERE pid = ?", {pid});
        if (committed_once && !r.empty() && r.front().i64(0) == 1) {
          terminated = static_cast<int>(admin->query("SELECT pg_terminate_backend(?)", {pid}).at(0).i64(0));
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
    bool threw = false;
    try {
      ImportOptions o;
      o.batch_size = 20;
      o.on_commit = [&](std::vector<std::int64_t> const& l) {
        durable.insert(l.begin(), l.end());
        committed_once = true;
      };
      import_stream(*reg, lines, o);
    } catch (Error const& e) {
      threw = true;
      CHECK(e.code() == ErrorCode::kDatabase);
      MESSAGE("import on a terminated backend: " << std::string(e.what()));
    }
    stop = true;
    killer.join();
    REQUIRE(terminated == 1);
    CHECK(threw);
    auto again = t.open();
    CHECK(again->database().query("SELECT COUNT(*) FROM patients").at(0).i64(0) ==
          static_cast<std::int64_t>(durable.size()));
    CHECK(half_written(*again) == 0);
    CHECK(again->integrity_check().ok);
    auto rep = again->import_lines(lines, test_key());
    CHECK(rep.unchanged == static_cast<std::int64_t>(durable.size()));
    CHECK(rep.inserted == 240 - static_cast<std::int64_t>(durable.size()));
    CHECK(again->audit_verify().ok);
  }
}
