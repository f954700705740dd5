// Decisions, follow-up visits, forget (with tombstones), and the scoped read paths: patient
// list, export, per-table row counts (docs/registry.md, "Model" and "Forget").
#include <algorithm>
#include <ostream>

#include "actionable/registry/registry.hpp"
#include "actionable/registry/stats.hpp"
#include "internal.hpp"
#include "record.hpp"
#include "util.hpp"

namespace actionable::registry {

using nlohmann::json;

std::optional<Registry::PatientRef> Registry::find_patient(std::string const& pseudonym) {
  auto [cond, params] = scope_clause("p.centre_id");
  std::vector<Value> all = {pseudonym};
  all.insert(all.end(), params.begin(), params.end());
  Rows rows = db_->query(
      "SELECT p.id, p.centre_id, c.code FROM patients p JOIN centres c ON c.id = p.centre_id "
      "WHERE p.pseudonym = ? AND " +
          cond,
      all);
  if (rows.empty()) return std::nullopt;
  return PatientRef{rows.front().i64(0), rows.front().i64(1), rows.front().text(2)};
}

bool Registry::is_forgotten(std::string const& pseudonym) {
  require_schema();
  return !db_->query("SELECT 1 FROM tombstones WHERE pseudonym = ?", {pseudonym}).empty();
}

std::int64_t Registry::decide(DecisionInput const& d) {
  require_schema();
  if (!detail::valid_option(d.option)) {
    throw Error(ErrorCode::kInput,
                "option '" + d.option + "' is not one of: empirical, standard_of_care, matched_trial, precision2");
  }
  if (!parse_date(d.date)) throw Error(ErrorCode::kInput, "decision date '" + d.date + "' is not YYYY-MM-DD");
  if (d.option == "matched_trial" && (!d.trial || d.trial->empty())) {
    throw Error(ErrorCode::kInput, "a matched_trial decision names its trial (--trial NCT…)");
  }
  Transaction txn(*db_, Transaction::Kind::kWrite);
  if (is_forgotten(d.pseudonym)) throw Error(ErrorCode::kInput, "this patient was forgotten");
  auto p = find_patient(d.pseudonym);
  if (!p) throw Error(ErrorCode::kNotFound, "no such patient in scope");
  check_consent_allows_writes(*p);
  Rows run =
      d.run_id
          ? db_->query("SELECT id, recommended FROM match_runs WHERE id = ? AND patient_id = ?", {*d.run_id, p->id})
          : db_->query("SELECT id, recommended FROM match_runs WHERE patient_id = ? ORDER BY id DESC LIMIT 1", {p->id});
  if (d.run_id && run.empty())
    throw Error(ErrorCode::kNotFound, "no match run " + std::to_string(*d.run_id) + " for this patient");
  std::optional<std::int64_t> run_id;
  std::optional<std::string> recommended;
  std::optional<std::int64_t> followed;
  if (!run.empty()) {
    run_id = run.front().i64(0);
    recommended = run.front().opt_text(1);
    if (recommended) followed = *recommended == d.option ? 1 : 0;
  }
  if (followed && *followed == 0 && (!d.reason || d.reason->empty())) {
    throw Error(ErrorCode::kInput, "the recommendation was " + *recommended + ": give the reason for choosing " +
                                       d.option + " (--reason)");
  }
  std::int64_t id = db_->query(
                           "INSERT INTO decisions (centre_id, patient_id, run_id, option, trial, cohort, "
                           "decided_on, recommended, followed, reason, created_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                           {p->centre_id, p->id, opt(run_id), d.option, opt(d.trial), opt(d.cohort), d.date,
                            opt(recommended), opt(followed), opt(d.reason), detail::now_timestamp()})
                        .at(0)
                        .i64(0);
  audit("decision.record", p->centre, d.pseudonym,
        json{{"decision", id}, {"option", d.option}, {"followed", followed ? json(*followed == 1) : json()}}.dump());
  txn.commit();
  return id;
}

void Registry::follow_up(FollowUpInput const& f) {
  require_schema();
  auto bad = [](std::string m) { throw Error(ErrorCode::kInput, m); };
  if (f.visit < 1) bad("visit must be 1 or more (visit k is month 6k)");
  if (!parse_date(f.date)) bad("visit date '" + f.date + "' is not YYYY-MM-DD");
  if (f.progression && !parse_date(*f.progression)) bad("progression date is not YYYY-MM-DD");
  if (f.vital_status != "alive" && f.vital_status != "dead" && f.vital_status != "lost")
    bad("vital_status must be alive, dead or lost");
  if (f.vital_status == "dead" && (!f.death_date || !parse_date(*f.death_date))) bad("a death needs death_date");
  if (f.recist && !detail::valid_response(*f.recist)) bad("recist must be CR, PR, SD, PD or NE");
  if (f.treatment) {
    if (f.treatment->line < 1) bad("treatment line must be 1 or more");
    if (f.treatment->basis && !detail::valid_option(*f.treatment->basis))
      bad("treatment basis is not a pathway option");
    if (f.treatment->best_response && !detail::valid_response(*f.treatment->best_response))
      bad("best_response must be CR, PR, SD, PD or NE");
    for (auto const* d : {&f.treatment->start, &f.treatment->end, &f.treatment->progression})
      if (*d && !parse_date(**d)) bad("treatment dates must be YYYY-MM-DD");
  }
  Transaction txn(*db_, Transaction::Kind::kWrite);
  if (is_forgotten(f.pseudonym)) bad("this patient was forgotten");
  auto p = find_patient(f.pseudonym);
  if (!p) throw Error(ErrorCode::kNotFound, "no such patient in scope");
  check_consent_allows_writes(*p);
  // Contradictions with the visit itself and with the patient's other visits are refused whole.
  if (f.progression && *f.progression > f.date) bad("the progression date is after the visit date");
  if (f.death_date && f.vital_status != "dead") bad("a death date needs vital_status dead");
  if (f.death_date && parse_date(*f.death_date) && *f.death_date > f.date)
    bad("the death date is after the visit date");
  {
    // (No check against the inclusion date: it defaults to the import day, so a history
    // imported later would be refused.)
    Rows others = db_->query(
        "SELECT visit, visit_date, vital_status, death_date FROM follow_ups "
        "WHERE patient_id = ? ORDER BY visit",
        {p->id});
    for (Row const& r : others) {
      std::int64_t k = r.i64(0);
      std::string date = r.text(1);
      if (k == f.visit) {
        if (!f.replace) {
          throw Error(ErrorCode::kConstraint, "visit " + std::to_string(k) + " is already recorded (" + date + ")");
        }
        continue;
      }
      if (k < f.visit && date > f.date)
        bad("visit " + std::to_string(f.visit) + " is dated before visit " + std::to_string(k) + " (" + date + ")");
      if (k > f.visit && date < f.date)
        bad("visit " + std::to_string(f.visit) + " is dated after visit " + std::to_string(k) + " (" + date + ")");
      if (r.text(2) == "dead" && k < f.visit && f.vital_status != "dead")
        bad("visit " + std::to_string(k) + " recorded the patient's death");
    }
  }
  db_->query(
      "INSERT INTO follow_ups (centre_id, patient_id, visit, visit_date, disease_status, recist, progression, "
      "line, vital_status, death_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (patient_id, visit) DO UPDATE SET visit_date = excluded.visit_date, "
      "disease_status = excluded.disease_status, recist = excluded.recist, progression = excluded.progression, "
      "line = excluded.line, vital_status = excluded.vital_status, death_date = excluded.death_date",
      {p->centre_id, p->id, f.visit, f.date, opt(f.disease_status), opt(f.recist), opt(f.progression), opt(f.line),
       f.vital_status, opt(f.death_date)});
  if (f.treatment) upsert_treatment(*p, *f.treatment);
  // A progression reported for a line is that line's progression unless one is already recorded.
  if (f.progression && f.line) {
    db_->query("UPDATE treatments SET progression = ? WHERE patient_id = ? AND line = ? AND progression IS NULL",
               {*f.progression, p->id, *f.line});
  }
  audit("follow_up.record", p->centre, f.pseudonym, json{{"visit", f.visit}, {"vital_status", f.vital_status}}.dump());
  txn.commit();
}

bool Registry::forget(std::string const& pseudonym) {
  require_schema();
  Transaction txn(*db_, Transaction::Kind::kWrite);
  auto p = find_patient(pseudonym);
  if (!p) {
    txn.commit();
    return false;
  }
  // Children go by ON DELETE CASCADE (composite foreign keys); secure_delete overwrites the pages.
  db_->query("DELETE FROM patients WHERE id = ?", {p->id});
  db_->query("INSERT INTO tombstones (pseudonym, centre_id, forgotten_at) VALUES (?, ?, ?)",
             {pseudonym, p->centre_id, format_date(today_utc())});
  audit("patient.forget", p->centre, pseudonym, "{}");
  txn.commit();
  if (db_->dialect() == Dialect::kSqlite) {
    // Old page images of the deleted rows may remain in the WAL until it is overwritten: checkpoint
    // and truncate it so the forgotten data leaves the disk now.
    try {
      db_->query("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (Error const&) {
      // A busy reader only postpones the truncation to the next checkpoint.
    }
  }
  return true;
}

std::vector<PatientSummary> Registry::patients() {
  require_schema();
  auto [cond, params] = scope_clause("p.centre_id");
  Rows rows = db_->query(
      "SELECT p.pseudonym, c.code, p.oncotree, p.included, "
      "(SELECT COUNT(*) FROM match_runs r WHERE r.patient_id = p.id) "
      "FROM patients p JOIN centres c ON c.id = p.centre_id WHERE " +
          cond + " ORDER BY p.id",
      params);
  std::vector<PatientSummary> out;
  for (Row const& r : rows) out.push_back(PatientSummary{r.text(0), r.text(1), r.opt_text(2), r.text(3), r.i64(4)});
  return out;
}

namespace {
json cell_json(Row const& r, std::size_t i) {
  Value const& v = r.cells[i];
  if (std::holds_alternative<std::monostate>(v)) return nullptr;
  if (auto const* x = std::get_if<std::int64_t>(&v)) return *x;
  if (auto const* x = std::get_if<double>(&v)) return *x;
  return std::get<std::string>(v);
}
json rows_json(Rows const& rows, std::vector<std::string> const& names,
               std::vector<std::string> const& json_cols = {}) {
  json out = json::array();
  for (Row const& r : rows) {
    json o = json::object();
    for (std::size_t i = 0; i < names.size(); ++i) {
      bool parse = std::find(json_cols.begin(), json_cols.end(), names[i]) != json_cols.end();
      o[names[i]] = parse && !r.is_null(i) ? json::parse(r.text(i)) : cell_json(r, i);
    }
    out.push_back(std::move(o));
  }
  return out;
}
}  // namespace

void Registry::export_jsonl(std::ostream& out) {
  require_schema();
  Transaction txn(*db_, Transaction::Kind::kRead);
  // Keyset paging by patient id, as Registry::diff and replay do (runs.cpp): each selects its own
  // columns and page size and does its own work per row, so only the loop's frame is shared.
  auto [cond, params] = scope_clause("p.centre_id");
  std::int64_t last = 0;
  for (;;) {
    std::vector<Value> page = {last};
    page.insert(page.end(), params.begin(), params.end());
    Rows ps = db_->query(
        "SELECT p.id, p.pseudonym, c.code, p.included, p.record, p.created_at, p.updated_at "
        "FROM patients p JOIN centres c ON c.id = p.centre_id WHERE p.id > ? AND " +
            cond + " ORDER BY p.id LIMIT 500",
        page);
    if (ps.empty()) break;
    for (Row const& p : ps) {
      last = p.i64(0);
      Value id = last;
      json doc = {{"pseudonym", p.text(1)},           {"centre", p.text(2)},     {"included", p.text(3)},
                  {"record", json::parse(p.text(4))}, {"created_at", p.text(5)}, {"updated_at", p.text(6)}};
      doc["consents"] =
          rows_json(db_->query("SELECT kind, trial, status, date FROM consents WHERE patient_id = ? ORDER BY id", {id}),
                    {"kind", "trial", "status", "date"});
      doc["tests"] = rows_json(
          db_->query("SELECT t.idx, t.origin, t.method, s.specimen, t.panel, t.biomarker, t.genes "
                     "FROM tests t LEFT JOIN samples s ON s.id = t.sample_id WHERE t.patient_id = ? ORDER BY t.idx",
                     {id}),
          {"index", "origin", "method", "specimen", "panel", "biomarker", "genes"}, {"genes"});
      doc["findings"] = rows_json(
          db_->query("SELECT idx, origin, type, gene, data FROM findings WHERE patient_id = ? ORDER BY idx", {id}),
          {"index", "origin", "type", "gene", "data"}, {"data"});
      doc["treatments"] = rows_json(
          db_->query("SELECT line, drugs, start, end_date, best_response, progression, basis, off_label, trial "
                     "FROM treatments WHERE patient_id = ? ORDER BY line",
                     {id}),
          {"line", "drugs", "start", "end", "best_response", "progression", "basis", "off_label", "trial"}, {"drugs"});
      doc["runs"] =
          rows_json(db_->query("SELECT id, ruleset_sha, engine_version, reference, recommended, result, created_at "
                               "FROM match_runs WHERE patient_id = ? ORDER BY id",
                               {id}),
                    {"id", "ruleset", "engine_version", "reference", "recommended", "result", "created_at"},
                    {"reference", "result"});
      doc["decisions"] =
          rows_json(db_->query("SELECT id, run_id, option, trial, cohort, decided_on, recommended, followed, reason "
                               "FROM decisions WHERE patient_id = ? ORDER BY id",
                               {id}),
                    {"id", "run", "option", "trial", "cohort", "date", "recommended", "followed", "reason"});
      doc["follow_ups"] = rows_json(
          db_->query("SELECT visit, visit_date, disease_status, recist, progression, line, vital_status, death_date "
                     "FROM follow_ups WHERE patient_id = ? ORDER BY visit",
                     {id}),
          {"visit", "date", "disease_status", "recist", "progression", "line", "vital_status", "death_date"});
      out << doc.dump() << '\n';
    }
  }
  txn.commit();
}

std::vector<std::string> const& Registry::scoped_tables() {
  static std::vector<std::string> const kTables = {"centres",   "patients",   "tombstones", "consents",
                                                   "samples",   "tests",      "findings",   "match_runs",
                                                   "decisions", "treatments", "follow_ups", "audit_log"};
  return kTables;
}

std::int64_t Registry::count_rows(std::string const& table, std::string const& centre) {
  require_schema();
  auto const& tables = scoped_tables();
  if (std::find(tables.begin(), tables.end(), table) == tables.end()) {
    throw Error(ErrorCode::kInput, "'" + table + "' is not a centre-scoped table");
  }
  std::string column = table == "centres" ? "id" : "centre_id";
  std::string sql;
  std::vector<Value> params = {centre};
  if (table == "audit_log") {
    std::string scope = "1 = 1";
    if (!options_.scope.centres.empty()) {
      scope = "centre IN (" + detail::placeholders(options_.scope.centres.size()) + ")";
      params.insert(params.end(), options_.scope.centres.begin(), options_.scope.centres.end());
    }
    sql = "SELECT COUNT(*) FROM audit_log WHERE centre = ? AND " + scope;
  } else {
    auto [cond, sp] = scope_clause(column);
    params.insert(params.end(), sp.begin(), sp.end());
    sql = "SELECT COUNT(*) FROM " + table + " WHERE " + column + " IN (SELECT id FROM centres WHERE code = ?) AND " +
          cond;
  }
  return db_->query(sql, params).at(0).i64(0);
}

}  // namespace actionable::registry
