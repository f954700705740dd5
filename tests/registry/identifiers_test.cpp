// No identifier at rest: records carrying names, national numbers and birth dates in unknown
// fields (and local patient ids in "patient") are imported, matched, decided, exported; then the
// database file(s), the export and (PostgreSQL) every table's text and the cluster's data files
// are scanned for those strings. Also: forget leaves no trace of the clinical rows on disk.
#include <sys/stat.h>

#include "support.hpp"

using namespace regtest;

namespace {

std::vector<std::string> const kSecrets = {"Janssens",       "Marie-Louise",   "85.07.30-033.61",  "85073003361",
                                           "1985-07-30",     "Kerkstraat 12",  "marie@example.be", "P1-SECRET-0001",
                                           "P1-SECRET-0002", "+32 16 33 22 11"};

json record_with_identifiers(std::string const& local_id) {
  json r = record(local_id, "BE-A", {"EGFR", "BRAF"});
  r["name"] = "Marie-Louise Janssens";
  r["national_number"] = "85.07.30-033.61";
  r["rijksregisternummer"] = "85073003361";
  r["birth_date"] = "1985-07-30";
  r["address"] = {{"street", "Kerkstraat 12"}, {"email", "marie@example.be"}};
  r["tumour"]["pathologist"] = "Dr. Janssens";
  r["tests"][0]["requested_by"] = "marie@example.be";
  r["findings"][0]["lab_patient_id"] = "85073003361";
  r["findings"][1]["note"] = "called +32 16 33 22 11";
  r["treatments"] = {{{"line", 1}, {"drugs", {"carboplatin"}}, {"start", "2025-01-01"}, {"nurse", "Janssens"}}};
  r["consents"] = {{{"kind", "precision1"}, {"status", "given"}, {"signed_by", "Marie-Louise Janssens"}}};
  return r;
}

std::vector<std::string> found_in(std::string const& haystack) {
  std::vector<std::string> hits;
  for (auto const& s : kSecrets)
    if (haystack.find(s) != std::string::npos) hits.push_back(s);
  return hits;
}

void scan_tree(std::filesystem::path const& root, std::vector<std::string>& hits) {
  for (auto const& e : std::filesystem::recursive_directory_iterator(
           root, std::filesystem::directory_options::skip_permission_denied)) {
    if (!e.is_regular_file()) continue;
    for (auto const& h : found_in(read_file(e.path()))) hits.push_back(e.path().string() + ": " + h);
  }
}

}  // namespace

TEST_CASE("no identifier at rest: database files and exports") {
  for_each_backend([](TestDb& t) {
    auto reg = t.fresh();
    auto rep = import(*reg, {record_with_identifiers("P1-SECRET-0001"), record_with_identifiers("P1-SECRET-0002")});
    REQUIRE(rep.inserted == 2);
    FakeMatcher m(1);
    CHECK(reg->match(m).runs == 2);
    auto ps = reg->patients();
    DecisionInput d;
    d.pseudonym = ps[0].pseudonym;
    d.option = "standard_of_care";
    d.date = "2025-02-01";
    reg->decide(d);
    FollowUpInput f;
    f.pseudonym = ps[0].pseudonym;
    f.visit = 1;
    f.date = "2025-08-01";
    reg->follow_up(f);
    std::ostringstream exported;
    reg->export_jsonl(exported);
    CHECK(exported.str().find(ps[0].pseudonym) != std::string::npos);
    CHECK(found_in(exported.str()).empty());
    std::vector<std::string> hits;
    if (t.backend() == "sqlite") {
      reg.reset();  // close: checkpoint the WAL into the main file
      scan_tree(t.dir(), hits);
    } else {
      // Every text of every table, as the database sees it…
      for (std::string const& table :
           {"meta", "centres", "patients", "tombstones", "consents", "samples", "tests", "findings", "rule_sets",
            "match_runs", "decisions", "treatments", "follow_ups", "audit_log"}) {
        for (auto const& s : kSecrets) {
          auto n = reg->database().query("SELECT COUNT(*) FROM " + table + " t WHERE t::text LIKE ?", {"%" + s + "%"});
          if (n.at(0).i64(0) != 0) hits.push_back(table + ": " + s);
        }
      }
      // …and the cluster's files on disk, when this process can read them.
      if (char const* dir = std::getenv("ACTIONABLE_TEST_PG_DIR");
          dir && std::filesystem::exists(std::string(dir) + "/data")) {
        reg->database().exec_script("CHECKPOINT");
        auto oid =
            reg->database().query("SELECT oid FROM pg_database WHERE datname = current_database()").at(0).text(0);
        scan_tree(std::filesystem::path(dir) / "data" / "base" / oid, hits);
      } else {
        MESSAGE("PostgreSQL data directory not readable: scanned through SQL only");
      }
    }
    CHECK_MESSAGE(hits.empty(), "identifiers found: " << json(hits).dump());
  });
}

TEST_CASE("forget removes clinical rows, overwrites them on disk, and keeps a tombstone") {
  for_each_backend([](TestDb& t) {
    auto reg = t.fresh();
    json r = record("P-FORGET", "BE-A", {"EGFR"});
    r["tests"][0]["panel"] = "ZZMARKERPANEL";
    r["treatments"] = {{{"line", 1}, {"drugs", {"zzmarkerdrug"}}, {"start", "2025-01-01"}}};
    json keep = record("P-KEEP", "BE-A", {"BRAF"});
    REQUIRE(import(*reg, {r, keep}).inserted == 2);
    FakeMatcher m(1);
    reg->match(m);
    std::string ps = test_key().pseudonym("BE-A", "P-FORGET");
    DecisionInput d{ps, "standard_of_care", std::nullopt, std::nullopt, "2025-02-01", std::nullopt, std::nullopt};
    reg->decide(d);
    FollowUpInput f;
    f.pseudonym = ps;
    f.date = "2025-08-01";
    reg->follow_up(f);

    CHECK(reg->forget(ps));
    CHECK_FALSE(reg->forget(ps));  // already gone
    CHECK(reg->is_forgotten(ps));
    for (std::string const& table : {"patients", "consents", "samples", "tests", "findings", "match_runs", "decisions",
                                     "treatments", "follow_ups"}) {
      CAPTURE(table);
      auto n = reg->database().query("SELECT COUNT(*) FROM " + table + " WHERE centre_id IS NOT NULL").at(0).i64(0);
      if (table == "patients" || table == "match_runs" || table == "tests" || table == "samples" || table == "findings")
        CHECK(n >= 1);  // the other patient's rows remain
      else
        CHECK(n == 0);
    }
    CHECK(reg->patients().size() == 1);
    auto rep = import(*reg, {r});
    CHECK(rep.rejected == 1);
    REQUIRE(rep.issues.size() == 1);
    CHECK(rep.issues[0].message.find("forgotten") != std::string::npos);
    CHECK_THROWS_AS(reg->decide(d), Error);
    CHECK(reg->audit_verify().ok);
    if (t.backend() == "sqlite") {
      reg.reset();
      std::string all;
      for (auto const& e : std::filesystem::directory_iterator(t.dir())) all += read_file(e.path());
      CHECK(all.find("ZZMARKERPANEL") == std::string::npos);
      CHECK(all.find("zzmarkerdrug") == std::string::npos);
    }
  });
}
