// Concurrency: several writer processes at once (imports, follow-ups with treatment updates on
// one shared patient, decisions) lose no update, never surface "database is locked", and leave an
// intact audit chain with exactly one entry per write.
#include <sys/wait.h>
#include <unistd.h>

#include "support.hpp"

using namespace regtest;

TEST_CASE("concurrent writer processes lose no update") {
  for_each_backend([](TestDb& t) {
    constexpr int kWriters = 4, kOps = 40;
    std::string shared = test_key().pseudonym("BE-A", "SHARED");
    std::int64_t audit_before = 0;
    {
      auto reg = t.fresh();
      REQUIRE(import(*reg, {record("SHARED", "BE-A", {"EGFR"})}).inserted == 1);
      audit_before = reg->audit_verify().entries;
    }
    std::vector<pid_t> pids;
    for (int w = 0; w < kWriters; ++w) {
      pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        try {
          OpenOptions o;
          o.actor = "writer" + std::to_string(w);
          auto reg = Registry::open(t.url(), o);
          for (int i = 0; i < kOps; ++i) {
            int n = w * kOps + i;
            std::string id = "W" + std::to_string(n);
            auto rep = import(*reg, {record(id, n % 2 ? "BE-A" : "BE-B", {"BRAF"})});
            if (rep.inserted != 1) throw std::runtime_error("import lost");
            FollowUpInput f;
            f.pseudonym = shared;
            f.visit = n + 1;
            f.date = "2025-01-01";
            TreatmentInput tr;
            tr.line = n + 1;
            tr.start = "2025-01-01";
            f.treatment = tr;
            reg->follow_up(f);
            reg->decide(DecisionInput{test_key().pseudonym(n % 2 ? "BE-A" : "BE-B", id), "empirical", std::nullopt,
                                      std::nullopt, "2025-01-02", std::nullopt, std::nullopt});
          }
          _exit(0);
        } catch (std::exception const& e) {
          std::fprintf(stderr, "writer %d: %s\n", w, e.what());
          _exit(1);
        }
      }
      pids.push_back(pid);
    }
    int failures = 0;
    for (pid_t pid : pids) {
      int status = 0;
      ::waitpid(pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failures;
    }
    CHECK(failures == 0);
    auto reg = t.open();
    Database& db = reg->database();
    constexpr int kTotal = kWriters * kOps;
    CHECK(db.query("SELECT COUNT(*) FROM patients").at(0).i64(0) == 1 + kTotal);
    CHECK(db.query("SELECT COUNT(*) FROM follow_ups").at(0).i64(0) == kTotal);
    CHECK(db.query("SELECT COUNT(*) FROM treatments").at(0).i64(0) == kTotal);
    CHECK(db.query("SELECT COUNT(*) FROM decisions").at(0).i64(0) == kTotal);
    auto audit = reg->audit_verify();
    CHECK(audit.ok);
    CHECK(audit.entries == audit_before + 3 * kTotal);
    CHECK(reg->integrity_check().ok);
  });
}

// Two writers record follow-up for the same patient at the same time, each setting a different
// field of the same treatment lines: the registry merges a line's fields (read, merge, write),
// so without the writer lock one writer's field would be lost (a lost update).
TEST_CASE("two writers recording follow-up for the same patient lose no update") {
  for_each_backend([](TestDb& t) {
    constexpr int kLines = 30;
    std::string ps = test_key().pseudonym("BE-A", "SAME");
    {
      auto reg = t.fresh();
      REQUIRE(import(*reg, {record("SAME", "BE-A", {"EGFR"})}).inserted == 1);
    }
    std::vector<pid_t> pids;
    for (int w = 0; w < 2; ++w) {
      pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        try {
          OpenOptions o;
          o.actor = "writer" + std::to_string(w);
          auto reg = Registry::open(t.url(), o);
          for (int i = 0; i < kLines; ++i) {
            FollowUpInput f;
            f.pseudonym = ps;
            f.visit = 2 * i + 1 + w;
            f.date = "2025-01-01";
            TreatmentInput tr;
            tr.line = i + 2;
            if (w == 0)
              tr.end = "2025-06-01";
            else
              tr.best_response = "PR";
            f.treatment = tr;
            reg->follow_up(f);
          }
          _exit(0);
        } catch (std::exception const& e) {
          std::fprintf(stderr, "writer %d: %s\n", w, e.what());
          _exit(1);
        }
      }
      pids.push_back(pid);
    }
    int failures = 0;
    for (pid_t pid : pids) {
      int status = 0;
      ::waitpid(pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failures;
    }
    CHECK(failures == 0);
    auto reg = t.open();
    Database& db = reg->database();
    CHECK(db.query("SELECT COUNT(*) FROM follow_ups").at(0).i64(0) == 2 * kLines);
    CHECK(db.query("SELECT COUNT(*) FROM treatments WHERE line >= 2").at(0).i64(0) == kLines);
    // Both writers' fields on every line: none overwritten by the other's stale read.
    CHECK(
        db.query("SELECT COUNT(*) FROM treatments WHERE line >= 2 AND end_date = '2025-06-01' AND best_response = 'PR'")
            .at(0)
            .i64(0) == kLines);
    CHECK(reg->integrity_check().ok);
  });
}
