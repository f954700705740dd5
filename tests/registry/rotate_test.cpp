// Key rotation (docs/registry.md, "Rotating the key"): every pseudonym re-derived under the new
// key in one transaction; the patient rows, and so decisions, treatments, follow-ups and match
// runs, stay linked; replay stays byte-identical; forgotten patients stay refused; the old key
// is refused afterwards; a rotation that cannot cover every patient changes nothing.
#include "record.hpp"
#include "support.hpp"
#include "util.hpp"

using namespace regtest;

namespace {

std::string export_text(Registry& reg) {
  std::ostringstream out;
  reg.export_jsonl(out);
  return out.str();
}

std::string replace_all(std::string text, std::string const& from, std::string const& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

struct Cohort {
  std::vector<std::pair<std::string, std::string>> ids;  // (centre, local id)
  std::vector<std::string> lines;
};

Cohort cohort() {
  Cohort c;
  std::vector<std::string> genes = {"EGFR", "BRAF", "KRAS", "EGFR", "BRAF", "KRAS"};
  for (int i = 0; i < 6; ++i) {
    std::string centre = i % 2 ? "BE-A" : "BE-B", id = "R" + std::to_string(i);
    json r = record(id, centre, {genes[static_cast<std::size_t>(i)]});
    r["treatments"] = {{{"line", 1}, {"drugs", {"carboplatin"}}, {"start", "2024-01-01"}}};
    c.ids.push_back({centre, id});
    c.lines.push_back(r.dump());
  }
  return c;
}

std::vector<LocalId> local_ids(Cohort const& c) {
  std::vector<LocalId> out;
  for (auto const& [centre, id] : c.ids) out.push_back({centre, id});
  return out;
}

}  // namespace

TEST_CASE("rotate-key re-derives every pseudonym and keeps every link") {
  for_each_backend([](TestDb& t) {
    PseudonymKey const old_key = test_key();
    PseudonymKey const new_key = PseudonymKey::from_bytes("a-second-test-key-for-rotation-0123456789abcdef");
    Cohort c = cohort();
    auto reg = t.fresh();
    REQUIRE(reg->import_lines(c.lines, old_key).inserted == 6);
    FakeMatcher m(1);
    REQUIRE(reg->match(m).runs == 6);
    REQUIRE(reg->match(FakeMatcher(2)).runs == 6);
    for (int i = 0; i < 6; ++i) {
      auto const& [centre, id] = c.ids[static_cast<std::size_t>(i)];
      FollowUpInput f;
      f.pseudonym = old_key.pseudonym(centre, id);
      f.visit = 1;
      f.date = "2024-07-01";
      f.recist = "SD";
      reg->follow_up(f);
      reg->decide(DecisionInput{f.pseudonym, "empirical", std::nullopt, std::nullopt, "2024-02-01",
                                std::string("tumour board"), std::nullopt});
    }
    REQUIRE(reg->forget(old_key.pseudonym("BE-B", "R4")));
    std::string const before = export_text(*reg);
    auto links = [&] {
      return reg->database().query(
          "SELECT p.id, (SELECT COUNT(*) FROM follow_ups f WHERE f.patient_id = p.id), "
          "(SELECT COUNT(*) FROM decisions d WHERE d.patient_id = p.id), "
          "(SELECT COUNT(*) FROM treatments x WHERE x.patient_id = p.id), "
          "(SELECT COUNT(*) FROM match_runs r WHERE r.patient_id = p.id) FROM patients p ORDER BY p.id");
    };
    auto links_before = links();

    SUBCASE("refusals change nothing") {
      auto some = local_ids(c);
      some.erase(some.begin());  // R0 missing
      auto refused = [&](std::function<void()> const& f, ErrorCode code) {
        try {
          f();
          FAIL_CHECK("rotation accepted");
        } catch (Error const& e) {
          CHECK(e.code() == code);
          MESSAGE(std::string(e.what()));
        }
        CHECK(export_text(*reg) == before);
      };
      refused([&] { reg->rotate_key(old_key, new_key, some); }, ErrorCode::kInput);
      refused([&] { reg->rotate_key(new_key, old_key, local_ids(c)); }, ErrorCode::kKey);
      refused([&] { reg->rotate_key(old_key, old_key, local_ids(c)); }, ErrorCode::kInput);
      auto scoped = t.open(Scope::of("BE-A"));
      refused([&] { scoped->rotate_key(old_key, new_key, local_ids(c)); }, ErrorCode::kInput);
      CHECK(reg->integrity_check().ok);
    }

    SUBCASE("rotation, then back") {
      auto ids = local_ids(c);
      ids.push_back({"BE-A", "NOT-A-PATIENT"});
      RotationReport rep = reg->rotate_key(old_key, new_key, ids);
      CHECK(rep.patients == 5);
      CHECK(rep.tombstones == 1);
      CHECK(rep.runs == 10);
      CHECK(rep.unknown == 1);
      // Every pseudonym is the new key's; the rows are the same rows.
      std::string expected = before;
      for (auto const& [centre, id] : c.ids) {
        if (id == "R4") continue;
        CHECK(reg->database()
                  .query("SELECT COUNT(*) FROM patients WHERE pseudonym = ?", {new_key.pseudonym(centre, id)})
                  .at(0)
                  .i64(0) == 1);
        CHECK(reg->database()
                  .query("SELECT COUNT(*) FROM patients WHERE pseudonym = ?", {old_key.pseudonym(centre, id)})
                  .at(0)
                  .i64(0) == 0);
        expected = replace_all(expected, old_key.pseudonym(centre, id), new_key.pseudonym(centre, id));
      }
      CHECK(export_text(*reg) == expected);
      auto links_after = links();
      REQUIRE(links_after.size() == links_before.size());
      for (std::size_t i = 0; i < links_after.size(); ++i) CHECK(links_after[i].cells == links_before[i].cells);
      // Replay is byte-identical; stored hashes and the audit chain check.
      auto rp = reg->replay(&FakeMatcher::from_sources);
      CHECK(rp.runs == 10);
      CHECK(rp.identical == 10);
      auto ic = reg->integrity_check();
      CHECK_MESSAGE(ic.ok, (ic.problems.empty() ? "" : ic.problems.front()));
      Rows last = reg->database().query("SELECT action, detail, pseudonym FROM audit_log ORDER BY seq DESC LIMIT 1");
      CHECK(last.at(0).text(0) == "key.rotate");
      CHECK(last.at(0).text(1).find(new_key.fingerprint()) != std::string::npos);
      CHECK(last.at(0).text(1).find(old_key.fingerprint()) != std::string::npos);
      CHECK(last.at(0).is_null(2));
      // The old key is refused; the new one finds every record unchanged; forgotten stays forgotten.
      CHECK_THROWS_AS(reg->import_lines(c.lines, old_key), Error);
      auto again = reg->import_lines(c.lines, new_key);
      CHECK(again.unchanged == 5);
      CHECK(again.rejected == 1);
      CHECK(again.inserted == 0);
      // A follow-up under the new pseudonym lands on the same patient row.
      std::int64_t r0 = reg->database()
                            .query("SELECT id FROM patients WHERE pseudonym = ?", {new_key.pseudonym("BE-B", "R0")})
                            .at(0)
                            .i64(0);
      FollowUpInput f;
      f.pseudonym = new_key.pseudonym("BE-B", "R0");
      f.visit = 2;
      f.date = "2025-01-01";
      reg->follow_up(f);
      CHECK(reg->database().query("SELECT COUNT(*) FROM follow_ups WHERE patient_id = ?", {r0}).at(0).i64(0) == 2);
      // And back: the original pseudonyms again.
      CHECK(reg->rotate_key(new_key, old_key, local_ids(c)).patients == 5);
      std::string back = export_text(*reg);
      CHECK(back.find(old_key.pseudonym("BE-B", "R0")) != std::string::npos);
      CHECK(back.find(new_key.pseudonym("BE-B", "R0")) == std::string::npos);
      CHECK(reg->replay(&FakeMatcher::from_sources).identical == 10);
      CHECK(reg->audit_verify().ok);
    }
  });
}

// record_sha used to cover the pseudonym ("v1"); registries written so still re-import their
// unchanged records as unchanged. After a rotation such a record counts once as updated (the
// documented price), and is then stored in the key-independent form.
TEST_CASE("record_sha of the first form is still recognised; rotation costs such a record one update") {
  for_each_backend([](TestDb& t) {
    PseudonymKey const new_key = PseudonymKey::from_bytes("a-second-test-key-for-rotation-0123456789abcdef");
    std::string const line = record("V1", "BE-A", {"EGFR"}).dump();
    auto reg = t.fresh();
    REQUIRE(reg->import_lines({line}, test_key()).inserted == 1);
    // Rewrite the stored sha into the first form: sha256 over {"included", "input" (with the pseudonym)}.
    std::vector<RecordIssue> issues;
    auto rec = detail::parse_record(line, "", issues);
    REQUIRE(rec);
    std::string const ps = test_key().pseudonym("BE-A", "V1");
    json stored = {{"input", detail::canonical_input(*rec, ps)}, {"included", json()}};
    std::string const v1 = detail::sha256_hex(stored.dump());
    reg->database().query("UPDATE patients SET record_sha = ? WHERE pseudonym = ?", {v1, ps});
    CHECK(reg->import_lines({line}, test_key()).unchanged == 1);
    reg->rotate_key(test_key(), new_key, {{"BE-A", "V1"}});
    auto rep = reg->import_lines({line}, new_key);
    CHECK(rep.updated == 1);
    CHECK(reg->import_lines({line}, new_key).unchanged == 1);
    CHECK(reg->integrity_check().ok);
  });
}
