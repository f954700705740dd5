// Import of patient records (JSON Lines): per record a savepoint, so a bad record never stops
// the batch; per batch one write transaction, after whose commit the caller is told which input
// lines are durable. Re-importing the same record is a no-op (record_sha), which makes an
// interrupted bulk import converge when rerun.
#include <algorithm>
#include <istream>
#include <map>
#include <set>

#include "actionable/registry/registry.hpp"
#include "actionable/registry/stats.hpp"
#include "internal.hpp"
#include "record.hpp"
#include "util.hpp"

namespace actionable::registry {

using nlohmann::json;

namespace {
/// Thrown on the fast path when a record is refused by the database itself.
struct RetryCarefully {};
}  // namespace

ImportReport Registry::import_jsonl(std::istream& in, PseudonymKey const& key, ImportOptions const& options) {
  ImportReport total;
  std::vector<std::string> batch;
  std::int64_t line_no = 0, first = 1;
  std::size_t batch_size = std::max<std::size_t>(1, options.batch_size);
  auto flush = [&] {
    if (batch.empty()) return;
    ImportReport r = import_lines(batch, key, options, first);
    total.inserted += r.inserted;
    total.updated += r.updated;
    total.unchanged += r.unchanged;
    total.rejected += r.rejected;
    total.issues.insert(total.issues.end(), r.issues.begin(), r.issues.end());
    batch.clear();
  };
  std::string line;
  while (std::getline(in, line)) {
    ++line_no;
    if (batch.empty()) first = line_no;
    batch.push_back(std::move(line));
    if (batch.size() >= batch_size) flush();
  }
  flush();
  return total;
}

ImportReport Registry::import_lines(std::vector<std::string> const& lines, PseudonymKey const& key,
                                    ImportOptions const& options, std::int64_t first_line) {
  require_schema();
  bind_key(key);
  // Fast path: the whole batch in one transaction without savepoints (PostgreSQL turns more
  // than 64 savepoints per transaction into a slow "suboverflowed" snapshot path). Records are
  // validated before any write, so a database-level refusal is rare; if one happens the batch is
  // rolled back and redone carefully, one savepoint per record.
  for (bool careful : {false, true}) {
    ImportReport report;
    std::vector<std::int64_t> durable;
    Transaction txn(*db_, Transaction::Kind::kWrite);
    try {
      for (std::size_t i = 0; i < lines.size(); ++i) {
        std::int64_t line_no = first_line + static_cast<std::int64_t>(i);
        std::string_view text = lines[i];
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        if (text.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank line
        ImportStatus st = import_one(text, line_no, key, options, report, careful);
        switch (st) {
          case ImportStatus::kInserted: ++report.inserted; break;
          case ImportStatus::kUpdated: ++report.updated; break;
          case ImportStatus::kUnchanged: ++report.unchanged; break;
          case ImportStatus::kRejected: ++report.rejected; break;
        }
        if (st != ImportStatus::kRejected) durable.push_back(line_no);
      }
    } catch (RetryCarefully const&) {
      continue;  // the transaction rolls back; redo the batch with savepoints
    }
    txn.commit();
    if (options.on_commit && !durable.empty()) options.on_commit(durable);
    return report;
  }
  throw Error(ErrorCode::kDatabase, "import retry failed");  // not reached
}

ImportStatus Registry::import_one(std::string_view line, std::int64_t line_no, PseudonymKey const& key,
                                  ImportOptions const& options, ImportReport& report, bool careful) {
  std::vector<RecordIssue> issues;
  auto reject = [&](std::string pointer, std::string message) {
    report.issues.push_back(RecordIssue{line_no, std::move(pointer), std::move(message)});
    return ImportStatus::kRejected;
  };
  auto rec = detail::parse_record(line, options.default_centre, issues);
  if (!rec) {
    for (RecordIssue& is : issues) {
      is.line = line_no;
      report.issues.push_back(std::move(is));
    }
    return ImportStatus::kRejected;
  }
  if (!options_.scope.covers(rec->centre)) {
    return reject("/centre", "centre '" + rec->centre + "' is outside this session's scope");
  }
  auto known = centre_ids_.find(rec->centre);
  if (known == centre_ids_.end()) {
    Rows crow = db_->query("SELECT id FROM centres WHERE code = ?", {rec->centre});
    if (crow.empty()) {
      return reject("/centre", "unknown centre '" + rec->centre + "' (add it with `actionable registry init --centre " +
                                   rec->centre + "`)");
    }
    known = centre_ids_.emplace(rec->centre, crow.front().i64(0)).first;  // centres are never removed
  }
  std::int64_t cid = known->second;
  std::string pseudonym = key.pseudonym(rec->centre, rec->local_id);
  // One round trip: the stored patient (if any) and whether the pseudonym is tombstoned.
  Rows existing = db_->query(
      "SELECT p.id, p.record_sha, (SELECT COUNT(*) FROM tombstones t WHERE t.pseudonym = ?) "
      "FROM (SELECT 1 AS one) x LEFT JOIN patients p ON p.pseudonym = ?",
      {pseudonym, pseudonym});
  if (existing.at(0).i64(2) > 0) {
    return reject("/patient", "this patient was forgotten (tombstone): re-import refused");
  }
  bool inserted = existing.front().is_null(0);
  std::string input = detail::canonical_input(*rec, pseudonym);
  json stored = {{"input", input}, {"included", rec->included ? json(*rec->included) : json()}};
  for (ConsentInput const& c : rec->consents) {
    stored["consents"].push_back({c.kind, c.status, c.trial, c.date ? json(*c.date) : json()});
  }
  for (TreatmentInput const& t : rec->treatments) {
    stored["treatments"].push_back({t.line, t.basis ? json(*t.basis) : json(),
                                    t.off_label ? json(*t.off_label) : json(), t.trial ? json(*t.trial) : json()});
  }
  // record_sha is taken over the stored form with the pseudonym left out of the input, so that
  // a key rotation (rotate.cpp), which changes every pseudonym, does not make every unchanged
  // record look changed. Registries written before this form ("v1": the input with the
  // pseudonym) are still recognised; a changed record is stored with the new form.
  std::string const legacy_sha = detail::sha256_hex(stored.dump());
  stored["input"] = detail::canonical_input(*rec, "");
  std::string sha = detail::sha256_hex("actionable-record-v2|" + stored.dump());

  if (!inserted && (existing.front().text(1) == sha || existing.front().text(1) == legacy_sha))
    return ImportStatus::kUnchanged;

  std::string now = detail::now_timestamp();
  if (careful) db_->exec_script("SAVEPOINT actionable_record");
  try {
    PatientRef p{0, cid, rec->centre};
    if (inserted) {
      std::string included = rec->included.value_or(format_date(today_utc()));
      p.id = db_->query(
                    "INSERT INTO patients (centre_id, pseudonym, oncotree, stage, age, sex, ecog, lines, "
                    "included, record, record_sha, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {cid, pseudonym, opt(rec->oncotree), opt(rec->stage), opt(rec->age), opt(rec->sex), opt(rec->ecog),
                     opt(rec->lines), included, input, sha, now, now})
                 .at(0)
                 .i64(0);
    } else {
      p.id = existing.front().i64(0);
      check_consent_allows_writes(p);
      db_->query(
          "UPDATE patients SET oncotree = ?, stage = ?, age = ?, sex = ?, ecog = ?, lines = ?, "
          "included = COALESCE(?, included), record = ?, record_sha = ?, updated_at = ? WHERE id = ?",
          {opt(rec->oncotree), opt(rec->stage), opt(rec->age), opt(rec->sex), opt(rec->ecog), opt(rec->lines),
           opt(rec->included), input, sha, now, p.id});
      db_->query("DELETE FROM tests WHERE patient_id = ?", {p.id});
      db_->query("DELETE FROM samples WHERE patient_id = ?", {p.id});
      db_->query("DELETE FROM findings WHERE patient_id = ?", {p.id});
    }
    std::set<std::string> specimens;
    for (auto const& t : rec->tests) specimens.insert(t.specimen.value_or("unspecified"));
    std::vector<std::vector<Value>> rows;
    for (std::string const& sp : specimens) rows.push_back({cid, p.id, sp});
    std::map<std::string, std::int64_t> sample_ids;
    for (Row const& r : insert_rows("samples", {"centre_id", "patient_id", "specimen"}, rows, "id, specimen"))
      sample_ids[r.text(1)] = r.i64(0);
    rows.clear();
    for (std::size_t i = 0; i < rec->tests.size(); ++i) {
      auto const& t = rec->tests[i];
      rows.push_back({cid, p.id, sample_ids.at(t.specimen.value_or("unspecified")), static_cast<std::int64_t>(i),
                      t.origin, opt(t.method), opt(t.panel), opt(t.biomarker), json(t.genes).dump()});
    }
    insert_rows("tests",
                {"centre_id", "patient_id", "sample_id", "idx", "origin", "method", "panel", "biomarker", "genes"},
                rows);
    rows.clear();
    for (std::size_t i = 0; i < rec->findings.size(); ++i) {
      auto const& f = rec->findings[i];
      rows.push_back({cid, p.id, static_cast<std::int64_t>(i), f.origin, f.type, opt(f.gene), f.data.dump()});
    }
    insert_rows("findings", {"centre_id", "patient_id", "idx", "origin", "type", "gene", "data"}, rows);
    for (ConsentInput const& c : rec->consents) {
      db_->query(
          "INSERT INTO consents (centre_id, patient_id, kind, trial, status, date) VALUES (?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (patient_id, kind, trial) DO UPDATE SET status = excluded.status, date = excluded.date",
          {cid, p.id, c.kind, c.trial, c.status, opt(c.date)});
    }
    if (inserted) {  // a new patient has no treatment rows to merge with
      rows.clear();
      for (TreatmentInput const& t : rec->treatments) {
        Value off = t.off_label ? Value{std::int64_t{*t.off_label ? 1 : 0}} : Value{};
        rows.push_back({cid, p.id, t.line, t.drugs ? json(*t.drugs).dump() : "[]", opt(t.start), opt(t.end),
                        opt(t.best_response), opt(t.progression), opt(t.basis), off, opt(t.trial)});
      }
      insert_rows("treatments",
                  {"centre_id", "patient_id", "line", "drugs", "start", "end_date", "best_response", "progression",
                   "basis", "off_label", "trial"},
                  rows);
    } else {
      for (TreatmentInput const& t : rec->treatments) upsert_treatment(p, t);
    }
    audit(inserted ? "record.insert" : "record.update", rec->centre, pseudonym,
          json{{"line", line_no}, {"record_sha", sha}}.dump());
    if (careful) db_->exec_script("RELEASE SAVEPOINT actionable_record");
    return inserted ? ImportStatus::kInserted : ImportStatus::kUpdated;
  } catch (Error const& e) {
    if (e.code() == ErrorCode::kDatabase || e.code() == ErrorCode::kBusy) throw;
    if (!careful) throw RetryCarefully{};
    db_->exec_script("ROLLBACK TO SAVEPOINT actionable_record");
    db_->exec_script("RELEASE SAVEPOINT actionable_record");
    return reject("", e.what());
  }
}

Rows Registry::insert_rows(std::string const& table, std::vector<std::string> const& columns,
                           std::vector<std::vector<Value>> const& rows, std::string const& returning) {
  // Multi-row VALUES, at most 16 rows per statement (so at most 16 distinct prepared statements).
  Rows out;
  std::string cols;
  for (auto const& c : columns) cols += (cols.empty() ? "" : ", ") + c;
  std::string tuple = "(" + detail::placeholders(columns.size()) + ")";
  for (std::size_t at = 0; at < rows.size(); at += 16) {
    std::size_t n = std::min<std::size_t>(16, rows.size() - at);
    std::string sql = "INSERT INTO " + table + " (" + cols + ") VALUES ";
    std::vector<Value> params;
    for (std::size_t i = 0; i < n; ++i) {
      sql += i ? ", " + tuple : tuple;
      params.insert(params.end(), rows[at + i].begin(), rows[at + i].end());
    }
    if (!returning.empty()) sql += " RETURNING " + returning;
    Rows r = db_->query(sql, params);
    out.insert(out.end(), std::make_move_iterator(r.begin()), std::make_move_iterator(r.end()));
  }
  return out;
}

void Registry::upsert_treatment(PatientRef const& p, TreatmentInput const& t) {
  Rows rows = db_->query(
      "SELECT drugs, start, end_date, best_response, progression, basis, off_label, trial "
      "FROM treatments WHERE patient_id = ? AND line = ?",
      {p.id, t.line});
  std::string drugs = t.drugs ? json(*t.drugs).dump() : (rows.empty() ? "[]" : rows.front().text(0));
  auto merge = [&](std::optional<std::string> const& v, std::size_t col) -> Value {
    if (v) return *v;
    return rows.empty() ? Value{} : rows.front().cells[col];
  };
  Value off =
      t.off_label ? Value{std::int64_t{*t.off_label ? 1 : 0}} : (rows.empty() ? Value{} : rows.front().cells[6]);
  std::vector<Value> vals = {
      drugs, merge(t.start, 1), merge(t.end, 2), merge(t.best_response, 3), merge(t.progression, 4), merge(t.basis, 5),
      off,   merge(t.trial, 7)};
  if (rows.empty()) {
    std::vector<Value> params = {p.centre_id, p.id, t.line};
    params.insert(params.end(), vals.begin(), vals.end());
    db_->query(
        "INSERT INTO treatments (centre_id, patient_id, line, drugs, start, end_date, best_response, "
        "progression, basis, off_label, trial) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params);
  } else {
    vals.push_back(p.id);
    vals.push_back(t.line);
    db_->query(
        "UPDATE treatments SET drugs = ?, start = ?, end_date = ?, best_response = ?, progression = ?, "
        "basis = ?, off_label = ?, trial = ? WHERE patient_id = ? AND line = ?",
        vals);
  }
}

void Registry::check_consent_allows_writes(PatientRef const& p) {
  Rows rows =
      db_->query("SELECT status FROM consents WHERE patient_id = ? AND kind = 'precision1' AND trial = ''", {p.id});
  if (!rows.empty() && rows.front().text(0) == "withdrawn") {
    throw Error(ErrorCode::kInput,
                "PRECISION 1 consent withdrawn: no further clinical data may be recorded "
                "(use `actionable registry forget`)");
  }
}

}  // namespace actionable::registry
