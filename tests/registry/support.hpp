// Shared fixtures for the registry tests: a fresh database per test on every backend (SQLite
// always; PostgreSQL when ACTIONABLE_TEST_PG names a server, e.g. from .ci/postgres.sh), a fixed
// pseudonymisation key, and FakeMatcher, a small deterministic stand-in for the engine whose
// result JSON has the shape of shared/spec/patient.md ("Match result").
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "actionable/registry/registry.hpp"

namespace regtest {

using namespace actionable;
using namespace actionable::registry;
using nlohmann::json;

inline std::string const kKeyText = "0123456789abcdef0123456789abcdef-test-key-not-secret";
inline PseudonymKey test_key() { return PseudonymKey::from_bytes(kKeyText); }

inline std::string pg_admin_url() {
  char const* v = std::getenv("ACTIONABLE_TEST_PG");
  return v ? v : "";
}

/// Replace the database name (and optionally the user) of a postgresql:// URL.
inline std::string pg_url(std::string const& base, std::string const& db, std::string const& user = "") {
  std::string url = base;
  std::string query;
  if (auto q = url.find('?'); q != std::string::npos) {
    query = url.substr(q);
    url = url.substr(0, q);
  }
  auto scheme_end = url.find("://") + 3;
  auto slash = url.find('/', scheme_end);
  std::string authority = url.substr(scheme_end, slash == std::string::npos ? std::string::npos : slash - scheme_end);
  if (!user.empty()) {
    auto at = authority.find('@');
    authority = user + "@" + (at == std::string::npos ? authority : authority.substr(at + 1));
  }
  return url.substr(0, scheme_end) + authority + "/" + db + query;
}

/// A throw-away registry database.
class TestDb {
 public:
  explicit TestDb(std::string backend) : backend_(std::move(backend)) {
    static std::atomic<int> counter{0};
    std::string name = "act_t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    if (backend_ == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() / name;
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "registry.db").string();
    } else {
      dbname_ = name;
      auto admin = open_postgres(pg_admin_url());
      admin->exec_script("DROP DATABASE IF EXISTS " + dbname_);
      admin->exec_script("CREATE DATABASE " + dbname_ + " TEMPLATE template0 ENCODING 'UTF8'");
      url_ = pg_url(pg_admin_url(), dbname_);
    }
  }
  ~TestDb() {
    try {
      if (backend_ == "sqlite") {
        std::filesystem::remove_all(dir_);
      } else {
        auto admin = open_postgres(pg_admin_url());
        admin->exec_script("DROP DATABASE IF EXISTS " + dbname_ + " WITH (FORCE)");
        // Roles are cluster-wide: drop the ones this database created (prefix act_<dbname>).
        for (Row const& r :
             admin->query("SELECT rolname FROM pg_roles WHERE rolname LIKE ? ORDER BY length(rolname) DESC",
                          {"%" + dbname_ + "%"}))
          admin->exec_script("DROP ROLE IF EXISTS \"" + r.text(0) + "\"");
      }
    } catch (...) {
    }
  }
  TestDb(TestDb const&) = delete;
  TestDb& operator=(TestDb const&) = delete;

  std::string const& backend() const { return backend_; }
  std::string const& url() const { return url_; }
  std::string const& dbname() const { return dbname_; }
  std::filesystem::path const& dir() const { return dir_; }
  std::string url_as(std::string const& user) const { return pg_url(pg_admin_url(), dbname_, user); }
  std::string sqlite_path() const { return (dir_ / "registry.db").string(); }

  std::unique_ptr<Registry> open(Scope scope = Scope::all()) const {
    OpenOptions o;
    o.scope = std::move(scope);
    o.actor = "tester";
    return Registry::open(url_, o);
  }
  /// Initialised registry with centres BE-A and BE-B.
  std::unique_ptr<Registry> fresh(Scope scope = Scope::all()) const {
    auto reg = open();
    reg->init();
    reg->add_centre("BE-A", "Centre A");
    reg->add_centre("BE-B", "Centre B");
    if (scope.centres.empty()) return reg;
    return open(std::move(scope));
  }

 private:
  std::string backend_;
  std::string url_;
  std::string dbname_;
  std::filesystem::path dir_;
};

/// The backends to run: SQLite, and PostgreSQL when ACTIONABLE_TEST_PG is set.
/// ACTIONABLE_TEST_BACKENDS=sqlite or =postgres limits a run to one of them (the by-hand
/// campaigns of docs/reliability.md run one backend per process).
inline std::vector<std::string> backends() {
  char const* only = std::getenv("ACTIONABLE_TEST_BACKENDS");
  std::string want = only ? only : "";
  std::vector<std::string> b;
  if (want.empty() || want == "sqlite") b.push_back("sqlite");
  if ((want.empty() || want == "postgres") && !pg_admin_url().empty() && postgres_available()) b.push_back("postgres");
  return b;
}

/// Whether the PostgreSQL cases run. In CI (CI=true) a missing server is an error, never a
/// silent skip (scripts/test.sh starts one); elsewhere the skip is reported once.
inline bool postgres_selected() {
  static bool warned = false;
  char const* ci = std::getenv("CI");
  char const* only = std::getenv("ACTIONABLE_TEST_BACKENDS");
  bool pg_wanted = !only || std::string(only).empty() || std::string(only) == "postgres";
  if (!pg_wanted) return false;
  if ((ci && std::string(ci) == "true") || (only && std::string(only) == "postgres")) {
    REQUIRE_MESSAGE(!pg_admin_url().empty(),
                    "ACTIONABLE_TEST_PG is not set (eval \"$(bash .ci/postgres.sh)\"), "
                    "and CI=true or ACTIONABLE_TEST_BACKENDS=postgres asks for PostgreSQL");
    REQUIRE_MESSAGE(postgres_available(), "this build has no PostgreSQL backend (ACTIONABLE_WITH_POSTGRES=OFF)");
  }
  if (!warned && pg_admin_url().empty()) {
    MESSAGE("ACTIONABLE_TEST_PG not set: PostgreSQL cases skipped (eval \"$(bash .ci/postgres.sh)\")");
    warned = true;
  }
  return !pg_admin_url().empty() && postgres_available();
}

/// Run `body` once per backend with a fresh database.
inline void for_each_backend(std::function<void(TestDb&)> const& body) {
  postgres_selected();
  for (std::string const& b : backends()) {
    CAPTURE(b);
    TestDb db(b);
    body(db);
  }
}

/// A record as patient.md describes it.
inline json record(std::string const& id, std::string const& centre, std::vector<std::string> genes,
                   std::string const& tumour = "LUAD") {
  json findings = json::array();
  for (auto const& g : genes) findings.push_back({{"origin", "somatic"}, {"gene", g}, {"hgvsp", "p.Val600Glu"}});
  return {{"patient", id},
          {"centre", centre},
          {"tumour", {{"oncotree", tumour}, {"stage", "IV"}}},
          {"age", 61},
          {"sex", "F"},
          {"ecog", 1},
          {"lines", 1},
          {"tests",
           {{{"origin", "somatic"},
             {"method", "NGS"},
             {"specimen", "tissue"},
             {"panel", "Oncomine Focus"},
             {"genes", {"EGFR", "KRAS", "BRAF", "ALK", "MET"}}}}},
          {"findings", findings}};
}

inline ImportReport import(Registry& reg, std::vector<json> const& docs, ImportOptions const& o = {}) {
  std::vector<std::string> lines;
  for (auto const& d : docs) lines.push_back(d.dump());
  return reg.import_lines(lines, test_key(), o);
}

/// Deterministic stand-in for the engine. Rules by version:
///   v1: EGFR → approved (standard_of_care option); BRAF → trial NCT00000001 arm A;
///       KRAS → PRECISION 2 cohort P2_KRAS (eligible only when neither of the others holds).
///   v2: as v1, and KRAS also → trial NCT00000002 arm B.
class FakeMatcher final : public Matcher {
 public:
  explicit FakeMatcher(int version) : version_(version) {
    sources_ = {RuleSource{"rules/fake.rules", "fake rules version " + std::to_string(version) + "\n"}};
    info_.name = "fake";
    info_.version = std::to_string(version) + ".0";
    std::string sha(64, '0');
    sha.replace(0, 4, "fa4e");
    sha[63] = static_cast<char>('0' + version);
    info_.sha256 = sha;
  }
  static std::shared_ptr<Matcher const> from_sources(std::vector<RuleSource> const& s, std::string& err) {
    if (s.size() != 1 || s[0].text.rfind("fake rules version ", 0) != 0) {
      err = "not fake rules";
      return nullptr;
    }
    return std::make_shared<FakeMatcher>(std::stoi(s[0].text.substr(19)));
  }
  RuleSetInfo const& info() const override { return info_; }
  std::vector<RuleSource> const& sources() const override { return sources_; }
  MatchOutcome match(std::string_view text) const override {
    MatchOutcome out;
    json r = json::parse(text, nullptr, false);
    if (r.is_discarded() || !r.contains("patient")) {
      out.errors.push_back({"", "not a record"});
      return out;
    }
    bool egfr = false, braf = false, kras = false;
    for (auto const& f : r.value("findings", json::array())) {
      std::string g = f.value("gene", "");
      egfr |= g == "EGFR";
      braf |= g == "BRAF";
      kras |= g == "KRAS";
    }
    json matches = json::array();
    std::vector<std::string> options;
    if (egfr) {
      matches.push_back({{"class", "approved"}, {"rule", "egfr_sensitizing"}, {"therapies", {"osimertinib"}}});
      options.push_back("standard_of_care");
    }
    bool trial = braf || (kras && version_ >= 2);
    if (braf) matches.push_back({{"class", "matched_trial"}, {"trial", "NCT00000001"}, {"arm", "A"}});
    if (kras && version_ >= 2) matches.push_back({{"class", "matched_trial"}, {"trial", "NCT00000002"}, {"arm", "B"}});
    if (trial) options.push_back("matched_trial");
    bool p2 = kras && !egfr && !trial;
    if (kras) matches.push_back({{"class", "precision2_candidate"}, {"cohort", "P2_KRAS"}, {"eligible", p2}});
    if (p2) options.push_back("precision2");
    if (options.empty()) options.push_back("empirical");
    json result = {{"patient", r["patient"]},
                   {"ruleset", {{"name", info_.name}, {"version", info_.version}, {"sha256", info_.sha256}}},
                   {"coverage", r.contains("tests") ? "declared" : "assumed"},
                   {"pathway", {{"options", options}, {"recommended", options.front()}, {"precision2_eligible", p2}}},
                   {"matches", matches}};
    out.ok = true;
    out.json = result.dump();
    return out;
  }

 private:
  int version_;
  RuleSetInfo info_;
  std::vector<RuleSource> sources_;
};

inline std::string read_file(std::filesystem::path const& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace regtest
