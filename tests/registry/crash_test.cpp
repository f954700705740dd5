// Crash safety: a child process bulk-imports JSON Lines and reports each committed line through a
// pipe; the parent kills it with SIGKILL at a random moment, ≥ 100 times (ACTIONABLE_CRASH_KILLS
// overrides). After every kill: every line reported committed is present, integrity_check and the
// audit chain are fine. Finally a rerun converges: every record exactly once.
#include <signal.h>
#include <sys/wait.h>
#include <cstring>
#include <unistd.h>

#include <chrono>
#include <random>
#include <set>
#include <thread>

#include "support.hpp"

using namespace regtest;

namespace {

int kills_wanted() {
  if (char const* v = std::getenv("ACTIONABLE_CRASH_KILLS")) return std::max(1, std::atoi(v));
  return 100;
}

/// Child: import `file` (whose line 1 is line `offset + 1` of the whole input), write committed
/// line numbers to `fd`, exit.
[[noreturn]] void importer(std::string const& url, std::string const& file, int fd, unsigned seed,
                           std::int64_t offset = 0) {
  try {
    OpenOptions o;
    o.actor = "importer";
    auto reg = Registry::open(url, o);
    std::ifstream in(file);
    if (!in) {
      std::fprintf(stderr, "importer: cannot read %s\n", file.c_str());
      _exit(4);
    }
    ImportOptions io;
    io.batch_size = 1 + seed % 25;
    io.on_commit = [fd, offset](std::vector<std::int64_t> const& local) {
      std::vector<std::int64_t> lines = local;
      for (auto& l : lines) l += offset;
      auto const* p = reinterpret_cast<char const*>(lines.data());
      std::size_t n = lines.size() * sizeof(std::int64_t);
      while (n > 0) {
        ssize_t w = ::write(fd, p, n);
        if (w <= 0) _exit(3);
        p += w;
        n -= static_cast<std::size_t>(w);
      }
    };
    auto rep = reg->import_jsonl(in, test_key(), io);
    _exit(rep.rejected == 0 ? 0 : 2);
  } catch (std::exception const& e) {
    std::fprintf(stderr, "importer: %s\n", e.what());
    _exit(1);
  }
}

std::vector<std::int64_t> drain(int fd) {
  std::vector<std::int64_t> out;
  std::int64_t buf[512];
  std::size_t have = 0;
  char* raw = reinterpret_cast<char*>(buf);
  for (;;) {
    ssize_t r = ::read(fd, raw + have, sizeof buf - have);
    if (r <= 0) break;
    have += static_cast<std::size_t>(r);
    std::size_t whole = have / sizeof(std::int64_t);
    out.insert(out.end(), buf, buf + whole);
    std::size_t rest = have % sizeof(std::int64_t);
    std::memmove(raw, raw + whole * sizeof(std::int64_t), rest);
    have = rest;
  }
  return out;  // a partial trailing number (killed mid-write) is dropped
}

}  // namespace

TEST_CASE("crash safety: SIGKILL during bulk import, then convergence") {
  for_each_backend([](TestDb& t) {
    // Round r imports slice r of the input (kSlice records, batches of 1-25 per transaction) and is
    // killed at a random moment; the final rerun imports the whole input.
    auto const started = std::chrono::steady_clock::now();
    int kills = kills_wanted();
    constexpr int kSlice = 100;
    int const kRounds = 2 * kills;  // rounds stop once `kills` imports were killed mid-way
    int const kRecords = kRounds * kSlice;
    std::vector<std::string> pseudonyms;
    auto file = std::filesystem::temp_directory_path() / ("act_crash_" + std::to_string(::getpid()) + ".jsonl");
    std::string const tag = std::to_string(::getpid());  // the parent's pid, also in the children
    auto slice_file = [&](int r) {
      return std::filesystem::temp_directory_path() / ("act_crash_" + tag + "_" + std::to_string(r) + ".jsonl");
    };
    {
      std::ofstream out(file);
      std::ofstream slice;
      for (int i = 1; i <= kRecords; ++i) {
        if ((i - 1) % kSlice == 0) slice = std::ofstream(slice_file((i - 1) / kSlice));
        std::string id = "C" + std::to_string(i);
        json r = record(id, i % 3 ? "BE-A" : "BE-B", {i % 2 ? "EGFR" : "BRAF", "KRAS"});
        r["treatments"] = {{{"line", 1}, {"drugs", {"carboplatin"}}, {"start", "2024-01-01"}}};
        out << r.dump() << "\n";
        slice << r.dump() << "\n";
        pseudonyms.push_back(test_key().pseudonym(i % 3 ? "BE-A" : "BE-B", id));
      }
    }
    {
      auto reg = t.fresh();
      reg->bind_key(test_key());
    }
    std::mt19937 rng(12345);
    std::set<std::int64_t> committed;
    int killed = 0, finished_early = 0;
    int max_delay_ms = 30;
    int rounds = 0;
    std::int64_t lost_max = 0;  // the most committed lines missing after any kill (must stay 0)
    for (int round = 0; round < kRounds && killed < kills; ++round, ++rounds) {
      int fds[2];
      REQUIRE(::pipe(fds) == 0);
      pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        ::close(fds[0]);
        importer(t.url(), slice_file(round).string(), fds[1], static_cast<unsigned>(round),
                 static_cast<std::int64_t>(round) * kSlice);
      }
      ::close(fds[1]);
      std::this_thread::sleep_for(
          std::chrono::microseconds(std::uniform_int_distribution<int>(0, max_delay_ms * 1000)(rng)));
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
      auto lines = drain(fds[0]);
      ::close(fds[0]);
      std::size_t before = committed.size();
      committed.insert(lines.begin(), lines.end());
      // Adapt the kill window so that imports get past their start-up: widen it while a round
      // commits nothing new, narrow it again when rounds make progress.
      if (!WIFSIGNALED(status))
        max_delay_ms = std::max(5, max_delay_ms / 2);
      else if (committed.size() == before)
        max_delay_ms = std::min(3000, max_delay_ms * 3 / 2 + 1);
      if (WIFSIGNALED(status))
        ++killed;
      else {
        ++finished_early;  // the import completed before the signal: restart from scratch is pointless
        REQUIRE(WEXITSTATUS(status) == 0);
      }
      // Every record reported committed is there; the database is intact.
      auto reg = t.open();
      std::set<std::string> present;
      for (auto const& p : reg->patients()) present.insert(p.pseudonym);
      std::int64_t missing = 0;
      for (std::int64_t l : committed)
        if (!present.count(pseudonyms.at(static_cast<std::size_t>(l - 1)))) ++missing;
      CHECK(missing == 0);
      lost_max = std::max(lost_max, missing);
      if (round % 10 == 0) {
        auto ic = reg->integrity_check();
        CHECK_MESSAGE(ic.ok, (ic.problems.empty() ? "" : ic.problems.front()));
      } else {
        CHECK(reg->audit_verify().ok);
      }
    }
    CHECK(killed + finished_early == rounds);
    CHECK(killed == kills);
    auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    MESSAGE(t.backend() << ": " << killed << " SIGKILLs (" << finished_early << " imports finished first), "
                        << committed.size() << " lines reported committed, at most " << lost_max
                        << " of them missing after a kill, " << seconds() << " s");
    // Rerun to completion: every record exactly once.
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(fds[0]);
      importer(t.url(), file.string(), fds[1], 7);
    }
    ::close(fds[1]);
    drain(fds[0]);
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    auto reg = t.open();
    CHECK(reg->database().query("SELECT COUNT(*) FROM patients").at(0).i64(0) == kRecords);
    CHECK(reg->database().query("SELECT COUNT(DISTINCT pseudonym) FROM patients").at(0).i64(0) == kRecords);
    CHECK(reg->database().query("SELECT COUNT(*) FROM treatments").at(0).i64(0) == kRecords);
    CHECK(reg->integrity_check().ok);
    std::ifstream in(file);
    auto rep = reg->import_jsonl(in, test_key());
    CHECK(rep.unchanged == kRecords);
    MESSAGE(t.backend() << ": crash campaign incl. rerun of " << kRecords << " records: " << seconds() << " s");
    std::filesystem::remove(file);
    for (int r = 0; r < kRounds; ++r) std::filesystem::remove(slice_file(r));
  });
}
