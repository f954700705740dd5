// Registry throughput: import N synthetic patients (bench/cohort.hpp, with a centre each) into a
// fresh registry, then match them with the shipped PRECISION 1 rule set and store the runs.
// Counters: records_per_s (import) / runs_per_s (match) and db_MB (database size afterwards:
// SQLite main file + WAL after a checkpoint; PostgreSQL pg_database_size). The SQLite pragmas are
// the production ones (WAL, synchronous=FULL). Backend 1 (PostgreSQL) runs when
// ACTIONABLE_TEST_PG names a server (e.g. eval "$(bash .ci/postgres.sh)").
//   actionable_registry_bench --benchmark_filter='Registry.*/100000'
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "actionable/engine.hpp"
#include "actionable/registry/registry.hpp"
#include "cohort.hpp"

namespace {

using namespace actionable;
using namespace actionable::registry;
namespace fs = std::filesystem;

constexpr char const* kCentres[] = {"BE-UZL", "BE-UZG", "BE-BOR", "BE-CHU"};

std::vector<std::string> const& cohort(std::size_t n) {
  static std::map<std::size_t, std::vector<std::string>> cache;
  auto& v = cache[n];
  if (v.empty()) {
    auto records = bench::make_patients(n, 20261124);
    for (std::size_t i = 0; i < records.size(); ++i) {
      auto j = nlohmann::json::parse(records[i]);
      j["patient"] = "SYN-" + std::to_string(i);
      j["centre"] = kCentres[i % 4];
      v.push_back(j.dump());
    }
  }
  return v;
}

std::shared_ptr<Matcher const> precision1() {
  static std::shared_ptr<Matcher const> m = [] {
    Diagnostics diags;
    auto cat = bench::load_catalog(std::string(ACTIONABLE_SOURCE_DIR) + "/rules/reference");
    auto e = Engine::from_paths({std::string(ACTIONABLE_SOURCE_DIR) + "/rules/precision1"}, cat, diags);
    return engine_matcher(e);
  }();
  return m;
}

PseudonymKey key() { return PseudonymKey::from_bytes("benchmark-key-0123456789abcdef0123456789"); }

/// A fresh registry; removes the previous one of the same backend.
struct Fresh {
  std::string url;
  fs::path dir;
  std::string pg_db;
  explicit Fresh(int backend) {
    if (backend == 0) {
      dir = fs::temp_directory_path() / "actionable_registry_bench";
      fs::remove_all(dir);
      fs::create_directories(dir);
      url = "sqlite:" + (dir / "registry.db").string();
    } else {
      std::string admin = std::getenv("ACTIONABLE_TEST_PG");
      pg_db = "actionable_bench";
      auto db = open_postgres(admin);
      db->exec_script("DROP DATABASE IF EXISTS " + pg_db + " WITH (FORCE)");
      db->exec_script("CREATE DATABASE " + pg_db);
      url = admin.substr(0, admin.rfind('/') + 1) + pg_db;
    }
    auto r = Registry::open(url);
    r->init();
    for (char const* c : kCentres) r->add_centre(c);
  }
  double megabytes(Registry& r) {
    if (!dir.empty()) {
      r.database().query("PRAGMA wal_checkpoint(TRUNCATE)");
      std::uintmax_t bytes = 0;
      for (auto const& e : fs::directory_iterator(dir)) bytes += fs::file_size(e.path());
      return static_cast<double>(bytes) / 1e6;
    }
    return static_cast<double>(r.database().query("SELECT pg_database_size(current_database())").at(0).i64(0)) / 1e6;
  }
};

bool skip_backend(benchmark::State& state, int backend) {
  if (backend == 1 && (!std::getenv("ACTIONABLE_TEST_PG") || !postgres_available())) {
    state.SkipWithError("PostgreSQL: set ACTIONABLE_TEST_PG");
    return true;
  }
  return false;
}

void BM_RegistryImport(benchmark::State& state) {
  int backend = static_cast<int>(state.range(1));
  if (skip_backend(state, backend)) return;
  auto n = static_cast<std::size_t>(state.range(0));
  auto const& records = cohort(n);
  double mb = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Fresh fresh(backend);
    auto r = Registry::open(fresh.url);
    state.ResumeTiming();
    ImportOptions o;
    o.batch_size = 1000;
    auto rep = r->import_lines(records, key(), o);
    if (rep.inserted != static_cast<std::int64_t>(n)) {
      std::string why =
          rep.issues.empty() ? "records rejected" : "rejected: " + rep.issues[0].pointer + ": " + rep.issues[0].message;
      state.SkipWithError(why.c_str());
      break;
    }
    state.PauseTiming();
    mb = fresh.megabytes(*r);
    state.ResumeTiming();
  }
  state.counters["records_per_s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["db_MB"] = mb;
}

void BM_RegistryMatch(benchmark::State& state) {
  int backend = static_cast<int>(state.range(1));
  if (skip_backend(state, backend)) return;
  auto n = static_cast<std::size_t>(state.range(0));
  auto const& records = cohort(n);
  auto m = precision1();
  if (!m) {
    state.SkipWithError("rules/precision1 does not compile");
    return;
  }
  double mb = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Fresh fresh(backend);
    auto r = Registry::open(fresh.url);
    ImportOptions o;
    o.batch_size = 1000;
    r->import_lines(records, key(), o);
    state.ResumeTiming();
    MatchOptions mo;
    mo.batch_size = 1000;
    auto rep = r->match(*m, mo);
    if (rep.runs != static_cast<std::int64_t>(n)) {
      std::string why = rep.issues.empty() ? "match failed" : "match failed: " + rep.issues[0].message;
      state.SkipWithError(why.c_str());
      break;
    }
    state.PauseTiming();
    mb = fresh.megabytes(*r);
    state.ResumeTiming();
  }
  state.counters["runs_per_s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["db_MB"] = mb;
}

// Args: {patients, backend (0 SQLite, 1 PostgreSQL)}.
BENCHMARK(BM_RegistryImport)
    ->ArgsProduct({{10000, 100000}, {0, 1}})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();
BENCHMARK(BM_RegistryMatch)
    ->ArgsProduct({{10000, 100000}, {0, 1}})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
