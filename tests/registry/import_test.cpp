// Import: pseudonyms, idempotence, per-line rejection with JSON pointers, scope, consents.
#include "support.hpp"

using namespace regtest;

TEST_CASE("pseudonyms are keyed, per centre, and the key is bound to the registry") {
  auto k1 = test_key();
  auto k2 = PseudonymKey::from_bytes(std::string(40, 'z'));
  std::string a = k1.pseudonym("BE-A", "P1-000123");
  CHECK(a.size() == 64);
  CHECK(a == k1.pseudonym("BE-A", "P1-000123"));
  CHECK(a != k1.pseudonym("BE-B", "P1-000123"));
  CHECK(a != k2.pseudonym("BE-A", "P1-000123"));
  // Not a plain hash of the identifier.
  CHECK(a.find("P1") == std::string::npos);
  CHECK_THROWS_AS(PseudonymKey::from_bytes("short"), Error);
  CHECK(PseudonymKey::generate_hex().size() == 64);
  CHECK(PseudonymKey::generate_hex() != PseudonymKey::generate_hex());

  for_each_backend([&](TestDb& t) {
    auto reg = t.fresh();
    auto rep = import(*reg, {record("P1-000123", "BE-A", {"EGFR"})});
    CHECK(rep.inserted == 1);
    auto ps = reg->patients();
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].pseudonym == a);
    std::vector<std::string> lines = {record("P1-000124", "BE-A", {}).dump()};
    try {
      reg->import_lines(lines, k2);
      FAIL("a second key was accepted");
    } catch (Error const& e) {
      CHECK(e.code() == ErrorCode::kKey);
    }
  });
}

TEST_CASE("key files") {
  auto dir = std::filesystem::temp_directory_path() / ("act_key_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = (dir / "key").string();
  PseudonymKey::write_new_key_file(path);
  CHECK_THROWS_AS(PseudonymKey::write_new_key_file(path), Error);  // never overwrites
  auto perms = std::filesystem::status(path).permissions();
  CHECK((perms & std::filesystem::perms::others_all) == std::filesystem::perms::none);
  auto k = PseudonymKey::from_file(path);
  CHECK(k.fingerprint().size() == 32);
  CHECK(k.pseudonym("A", "1") == PseudonymKey::from_file(path).pseudonym("A", "1"));
  ::setenv("ACTIONABLE_PSEUDONYM_KEY_FILE", path.c_str(), 1);
  CHECK(PseudonymKey::from_environment()->fingerprint() == k.fingerprint());
  ::unsetenv("ACTIONABLE_PSEUDONYM_KEY_FILE");
  std::filesystem::remove_all(dir);
}

TEST_CASE("import is idempotent, detects changes, and stores the model") {
  for_each_backend([](TestDb& t) {
    auto reg = t.fresh();
    json r = record("P1-000001", "BE-A", {"EGFR", "KRAS"});
    r["tests"].push_back(
        {{"origin", "germline"}, {"method", "NGS"}, {"specimen", "blood"}, {"genes", {"BRCA1", "BRCA2"}}});
    r["tests"].push_back({{"biomarker", "MSI"}, {"method", "PCR"}});
    r["findings"].push_back({{"type", "fusion"}, {"gene5", "EML4"}, {"gene3", "ALK"}, {"method", "FISH"}});
    r["findings"].push_back({{"type", "biomarker"}, {"name", "TMB"}, {"value", 12.4}});
    r["treatments"] = {{{"line", 1},
                        {"drugs", {"carboplatin", "pemetrexed"}},
                        {"start", "2025-03-02"},
                        {"end", "2025-09-14"},
                        {"best_response", "SD"},
                        {"progression", "2025-09-01"}}};
    r["consents"] = {{{"kind", "precision1"}, {"status", "given"}, {"date", "2025-01-10"}},
                     {{"kind", "germline"}, {"status", "refused"}},
                     {{"kind", "trial"}, {"trial", "NCT04303780"}, {"status", "given"}}};
    r["included"] = "2025-02-01";
    auto rep = import(*reg, {r});
    CHECK(rep.inserted == 1);
    CHECK(rep.issues.empty());
    Database& db = reg->database();
    CHECK(db.query("SELECT COUNT(*) FROM tests").at(0).i64(0) == 3);
    CHECK(db.query("SELECT COUNT(*) FROM samples").at(0).i64(0) == 3);  // tissue, blood, unspecified
    CHECK(db.query("SELECT COUNT(*) FROM findings").at(0).i64(0) == 4);
    CHECK(db.query("SELECT gene FROM findings WHERE type = 'fusion'").at(0).text(0) == "EML4::ALK");
    CHECK(db.query("SELECT COUNT(*) FROM consents").at(0).i64(0) == 3);
    CHECK(db.query("SELECT COUNT(*) FROM treatments").at(0).i64(0) == 1);
    CHECK(db.query("SELECT included FROM patients").at(0).text(0) == "2025-02-01");

    rep = import(*reg, {r});
    CHECK(rep.unchanged == 1);
    CHECK(rep.inserted == 0);

    r["ecog"] = 2;
    rep = import(*reg, {r});
    CHECK(rep.updated == 1);
    CHECK(db.query("SELECT ecog FROM patients").at(0).i64(0) == 2);
    CHECK(db.query("SELECT COUNT(*) FROM findings").at(0).i64(0) == 4);  // replaced, not duplicated
    CHECK(reg->audit_verify().ok);
  });
}

TEST_CASE("malformed records are rejected with line and pointer; the batch goes on") {
  for_each_backend([](TestDb& t) {
    auto reg = t.fresh();
    json bad_age = record("P2", "BE-A", {});
    bad_age["age"] = "sixty";
    json bad_finding = record("P3", "BE-A", {});
    bad_finding["findings"] = {{{"type", "fusion"}}, {{"gene", "BRAF"}, {"vaf", 3}}};
    json bad_date = record("P4", "BE-A", {});
    bad_date["treatments"] = {{{"line", 1}, {"start", "2025-02-30"}}};
    json unknown_centre = record("P5", "BE-ZZ", {});
    std::vector<std::string> lines = {record("P1", "BE-A", {}).dump(), "{not json", bad_age.dump(), "",
                                      bad_finding.dump(), "[1,2]", bad_date.dump(), unknown_centre.dump(),
                                      json{{"centre", "BE-A"}}.dump(), record("P6", "BE-B", {}).dump(),
                                      // A number JSON cannot hold (found by fuzzing, 2026-12-02): it
                                      // threw out of import_lines, so the whole batch was lost.
                                      R"({"patient":"P7","centre":"BE-A","tumour":{"oncotree":"LUAD"},"age":1e999})"};
    std::vector<std::int64_t> committed;
    ImportOptions o;
    o.on_commit = [&](std::vector<std::int64_t> const& l) { committed.insert(committed.end(), l.begin(), l.end()); };
    auto rep = reg->import_lines(lines, test_key(), o);
    CHECK(rep.inserted == 2);
    CHECK(rep.rejected == 8);
    CHECK(committed == std::vector<std::int64_t>{1, 10});
    auto has = [&](std::int64_t line, std::string const& ptr) {
      return std::any_of(rep.issues.begin(), rep.issues.end(),
                         [&](RecordIssue const& i) { return i.line == line && i.pointer == ptr; });
    };
    CHECK(has(2, ""));
    CHECK(has(3, "/age"));
    CHECK(has(5, "/findings/0"));
    CHECK(has(5, "/findings/1/vaf"));
    CHECK(has(6, ""));
    CHECK(has(7, "/treatments/0/start"));
    CHECK(has(8, "/centre"));
    CHECK(has(9, "/patient"));
    CHECK(has(11, ""));
    CHECK(reg->patients().size() == 2);
    std::string local_id, centre;
    std::vector<RecordIssue> fu_issues;
    CHECK_FALSE(
        parse_follow_up(R"({"patient":"P1","visit":1e999,"date":"2025-07-01"})", "BE-A", local_id, centre, fu_issues));
    REQUIRE(fu_issues.size() == 1);
    CHECK(fu_issues[0].message.rfind("not valid JSON: ", 0) == 0);
    // Found by tests/fuzz (2026-12-04): a whole number beyond int64 (casting it was undefined),
    // and a NUL byte (nlohmann read the part before it as the whole line).
    struct Bad {
      std::string text;
      std::string pointer, message;
    };
    std::vector<Bad> const bad = {
        {R"({"patient":"P1","visit":133333333333333333333333333333333333333333333333333333,"date":"2025-07-01"})",
         "/visit", "must be between 1 and 100"},
        {R"({"patient":"P1","visit":18446744073709551615,"date":"2025-07-01"})", "/visit", "must be between 1 and 100"},
        {R"({"patient":"P1","visit":2.5,"date":"2025-07-01"})", "/visit", "must be an integer"},
        {std::string(R"({"patient":"P1","visit":1,"date":"2025-07-01"})") + '\0' + R"({"x":1})", "",
         "not valid JSON: a NUL byte at byte 46 (write U+0000 in a string as \\u0000)"},
    };
    for (auto const& b : bad) {
      CAPTURE(b.text);
      std::vector<RecordIssue> is;
      CHECK_FALSE(parse_follow_up(b.text, "BE-A", local_id, centre, is));
      REQUIRE(is.size() == 1);
      CHECK(is[0].pointer == b.pointer);
      CHECK(is[0].message == b.message);
    }
    auto nul = reg->import_lines({std::string(R"({"patient":"P9","centre":"BE-A"})") + '\0' + R"(,"findings":[]})"},
                                 test_key(), ImportOptions{});
    CHECK(nul.rejected == 1);
    CHECK(nul.inserted == 0);
  });
}

TEST_CASE("a session scoped to one centre cannot import for another") {
  for_each_backend([](TestDb& t) {
    t.fresh();
    auto a = t.open(Scope::of("BE-A"));
    auto rep = import(*a, {record("P1", "BE-A", {}), record("P2", "BE-B", {})});
    CHECK(rep.inserted == 1);
    CHECK(rep.rejected == 1);
    REQUIRE(rep.issues.size() == 1);
    CHECK(rep.issues[0].pointer == "/centre");
    // Records without a centre take the default.
    json r = record("P3", "", {});
    r.erase("centre");
    ImportOptions o;
    o.default_centre = "BE-A";
    CHECK(import(*a, {r}, o).inserted == 1);
  });
}

TEST_CASE("JSON Lines streams are imported in batches") {
  for_each_backend([](TestDb& t) {
    auto reg = t.fresh();
    std::ostringstream ss;
    for (int i = 0; i < 25; ++i)
      ss << record("S" + std::to_string(i), i % 2 ? "BE-A" : "BE-B", {"EGFR"}).dump() << "\r\n";
    std::istringstream in(ss.str());
    ImportOptions o;
    o.batch_size = 7;
    int commits = 0;
    o.on_commit = [&](auto const&) { ++commits; };
    auto rep = reg->import_jsonl(in, test_key(), o);
    CHECK(rep.inserted == 25);
    CHECK(commits == 4);
  });
}
