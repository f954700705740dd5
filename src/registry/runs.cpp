// Rule sets (content-addressed, immutable), match runs, replay and diff (docs/registry.md,
// "Reproducibility").
#include <algorithm>
#include <map>

#include "actionable/registry/registry.hpp"
#include "internal.hpp"
#include "util.hpp"

#ifndef ACTIONABLE_VERSION
#define ACTIONABLE_VERSION "unknown"
#endif

namespace actionable::registry {

using nlohmann::json;

namespace detail {

ResultSummary summarise_result(std::string_view result_json) {
  ResultSummary s;
  json r = json::parse(result_json, nullptr, false);
  if (r.is_discarded() || !r.is_object()) return s;
  if (r.contains("pathway") && r["pathway"].is_object()) {
    json const& pw = r["pathway"];
    if (pw.contains("recommended") && pw["recommended"].is_string())
      s.recommended = pw["recommended"].get<std::string>();
    if (pw.contains("precision2_eligible") && pw["precision2_eligible"].is_boolean())
      s.precision2_eligible = pw["precision2_eligible"].get<bool>();
    s.pathway = pw.dump();
  }
  if (r.contains("matches") && r["matches"].is_array()) {
    for (json const& m : r["matches"]) {
      if (!m.is_object()) continue;
      ++s.n_matches;
      std::string cls = m.value("class", "");
      if (cls == "approved" || cls == "standard_of_care" || cls == "matched_trial" || cls == "precision2_candidate")
        s.actionable = true;
      std::string what;
      if (m.contains("rule"))
        what = m.value("rule", "");
      else if (m.contains("trial"))
        what = m.value("trial", "") + "/" + m.value("arm", "");
      else if (m.contains("cohort"))
        what = m.value("cohort", "");
      s.match_keys.push_back(cls + ":" + what);
    }
  }
  std::sort(s.match_keys.begin(), s.match_keys.end());
  return s;
}

}  // namespace detail

ResultKeys result_keys(std::string_view result_json) {
  auto s = detail::summarise_result(result_json);
  return ResultKeys{s.recommended.value_or(""), s.match_keys};
}

std::string Registry::store_rule_set(RuleSetInfo const& info, std::vector<RuleSource> const& sources) {
  require_schema();
  if (info.sha256.size() != 64) throw Error(ErrorCode::kInput, "rule-set sha256 must be 64 hex digits");
  json src = json::array();
  // Rule sets side by side (docs/language.md) keep their set; a single rule set's archive is unchanged.
  bool sets = std::any_of(sources.begin(), sources.end(), [](RuleSource const& s) { return s.set != 0; });
  for (RuleSource const& s : sources) {
    json e = {{"path", s.path}, {"text", s.text}};
    if (sets) e["set"] = s.set;
    src.push_back(std::move(e));
  }
  std::string text = src.dump();
  Transaction txn(*db_, Transaction::Kind::kWrite);
  Rows rows = db_->query("SELECT name, version, sources FROM rule_sets WHERE sha256 = ?", {info.sha256});
  if (!rows.empty()) {
    // The sha covers the sources' texts (not the paths they were read from): compare those.
    bool same = true;
    json stored = json::parse(rows.front().text(2), nullptr, false);
    if (!stored.is_array() || stored.size() != sources.size()) same = false;
    for (std::size_t i = 0; same && i < sources.size(); ++i)
      same = stored[i].is_object() && stored[i].value("text", "") == sources[i].text;
    if (!same) {
      throw Error(ErrorCode::kConstraint,
                  "a different rule set is already stored under sha256 " + info.sha256 + " (rule sets are immutable)");
    }
    txn.commit();
    return info.sha256;
  }
  db_->query("INSERT INTO rule_sets (sha256, name, version, sources, stored_at) VALUES (?, ?, ?, ?, ?)",
             {info.sha256, info.name, info.version, text, detail::now_timestamp()});
  audit("ruleset.store", std::nullopt, std::nullopt,
        json{{"sha256", info.sha256}, {"name", info.name}, {"version", info.version}}.dump());
  txn.commit();
  return info.sha256;
}

std::optional<std::pair<RuleSetInfo, std::vector<RuleSource>>> Registry::load_rule_set(std::string const& ref) {
  require_schema();
  Rows rows;
  auto at = ref.find('@');
  if (ref.size() == 64) {
    rows = db_->query("SELECT sha256, name, version, sources FROM rule_sets WHERE sha256 = ?", {ref});
  } else if (at != std::string::npos) {
    rows = db_->query("SELECT sha256, name, version, sources FROM rule_sets WHERE name = ? AND version = ?",
                      {ref.substr(0, at), ref.substr(at + 1)});
  } else {
    rows = db_->query("SELECT sha256, name, version, sources FROM rule_sets WHERE version = ?", {ref});
    if (rows.empty() && ref.size() >= 8 &&
        std::all_of(ref.begin(), ref.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })) {
      rows = db_->query("SELECT sha256, name, version, sources FROM rule_sets WHERE sha256 LIKE ?", {ref + "%"});
    }
  }
  if (rows.empty()) return std::nullopt;
  if (rows.size() > 1) throw Error(ErrorCode::kInput, "'" + ref + "' names several stored rule sets: use the sha256");
  Row const& r = rows.front();
  std::vector<RuleSource> sources;
  for (json const& s : json::parse(r.text(3)))
    sources.push_back(RuleSource{s.at("path"), s.at("text"), s.value("set", std::uint32_t{0})});
  return std::make_pair(RuleSetInfo{r.text(1), r.text(2), r.text(0)}, std::move(sources));
}

MatchReport Registry::match(Matcher const& matcher, MatchOptions const& options) {
  require_schema();
  MatchReport rep;
  rep.ruleset_sha = store_rule_set(matcher.info(), matcher.sources());
  std::shared_ptr<Matcher const> archived;
  if (options.rebuild) {
    auto stored = load_rule_set(rep.ruleset_sha);
    bool same_paths = stored && stored->second.size() == matcher.sources().size();
    for (std::size_t i = 0; same_paths && i < stored->second.size(); ++i)
      same_paths = stored->second[i].path == matcher.sources()[i].path;
    if (stored && !same_paths) {
      std::string err;
      archived = options.rebuild(stored->second, err);
      if (!archived)
        throw Error(ErrorCode::kInput, "archived rule set " + rep.ruleset_sha + " does not compile: " + err);
    }
  }
  Matcher const& m = archived ? *archived : matcher;
  std::string reference = options.reference.empty() ? "{}" : options.reference;
  struct Todo {
    std::int64_t id, centre_id;
    std::string centre, pseudonym, input;
  };
  auto [cond, params] = scope_clause("p.centre_id");
  std::string select =
      "SELECT p.id, p.centre_id, c.code, p.pseudonym, p.record FROM patients p "
      "JOIN centres c ON c.id = p.centre_id WHERE " +
      cond;
  std::size_t batch = std::max<std::size_t>(1, options.batch_size);
  std::int64_t last = 0;
  std::size_t next_named = 0;
  for (;;) {
    std::vector<Todo> todo;
    if (options.pseudonyms.empty()) {
      std::vector<Value> p = params;
      p.push_back(last);
      p.push_back(static_cast<std::int64_t>(batch));
      for (Row const& r : db_->query(select + " AND p.id > ? ORDER BY p.id LIMIT ?", p))
        todo.push_back(Todo{r.i64(0), r.i64(1), r.text(2), r.text(3), r.text(4)});
      if (!todo.empty()) last = todo.back().id;
    } else {
      while (next_named < options.pseudonyms.size() && todo.size() < batch) {
        std::string const& ps = options.pseudonyms[next_named++];
        std::vector<Value> p = params;
        p.push_back(ps);
        Rows rows = db_->query(select + " AND p.pseudonym = ?", p);
        if (rows.empty()) {
          ++rep.failed;
          rep.issues.push_back(RecordIssue{0, ps, "no such patient in scope"});
          continue;
        }
        Row const& r = rows.front();
        todo.push_back(Todo{r.i64(0), r.i64(1), r.text(2), r.text(3), r.text(4)});
      }
    }
    if (todo.empty()) break;
    // Match outside the write transaction; write the batch in one transaction.
    std::vector<MatchOutcome> outcomes;
    outcomes.reserve(todo.size());
    for (Todo const& t : todo) outcomes.push_back(m.match(t.input));
    Transaction txn(*db_, Transaction::Kind::kWrite);
    for (std::size_t i = 0; i < todo.size(); ++i) {
      Todo const& t = todo[i];
      MatchOutcome const& o = outcomes[i];
      if (!o.ok) {
        ++rep.failed;
        std::string msg;
        for (RecordError const& e : o.errors) msg += (msg.empty() ? "" : "; ") + e.pointer + ": " + e.message;
        rep.issues.push_back(RecordIssue{0, t.pseudonym, msg});
        continue;
      }
      if (options.skip_current) {
        Rows prev = db_->query(
            "SELECT ruleset_sha, input FROM match_runs WHERE patient_id = ? ORDER BY id DESC LIMIT 1", {t.id});
        if (!prev.empty() && prev.front().text(0) == rep.ruleset_sha && prev.front().text(1) == t.input) {
          ++rep.skipped;
          continue;
        }
      }
      if (db_->query("SELECT 1 FROM patients WHERE id = ?", {t.id}).empty()) continue;  // forgotten meanwhile
      detail::ResultSummary s = detail::summarise_result(o.json);
      std::int64_t run =
          db_->query(
                 "INSERT INTO match_runs (centre_id, patient_id, ruleset_sha, engine_version, reference, "
                 "input, result, result_sha, recommended, precision2_eligible, n_matches, actionable, "
                 "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {t.centre_id, t.id, rep.ruleset_sha, std::string(ACTIONABLE_VERSION), reference, t.input, o.json,
                  detail::sha256_hex(o.json), opt(s.recommended), std::int64_t{s.precision2_eligible}, s.n_matches,
                  std::int64_t{s.actionable}, detail::now_timestamp()})
              .at(0)
              .i64(0);
      audit("match.run", t.centre, t.pseudonym, json{{"run", run}, {"ruleset", rep.ruleset_sha}}.dump());
      ++rep.runs;
    }
    txn.commit();
  }
  return rep;
}

ReplayReport Registry::replay(MatcherFactory const& factory, std::optional<std::string> const& ruleset) {
  require_schema();
  ReplayReport rep;
  std::optional<std::string> sha;
  if (ruleset) {
    auto rs = load_rule_set(*ruleset);
    if (!rs) throw Error(ErrorCode::kNotFound, "no stored rule set '" + *ruleset + "'");
    sha = rs->first.sha256;
  }
  std::map<std::string, std::shared_ptr<Matcher const>> matchers;
  std::map<std::string, std::string> broken;  // sha → why it cannot be rebuilt
  // Keyset paging by run id (like diff below and export_jsonl in clinical.cpp, which page by patient):
  // the query, its optional rule-set filter and the per-row work are each one's own.
  auto [cond, params] = scope_clause("r.centre_id");
  std::int64_t last = 0;
  for (;;) {
    std::vector<Value> p = {last};
    std::string extra;
    if (sha) {
      extra = " AND r.ruleset_sha = ?";
      p.push_back(*sha);
    }
    p.insert(p.end(), params.begin(), params.end());
    Rows rows = db_->query(
        "SELECT r.id, pt.pseudonym, r.ruleset_sha, r.input, r.result FROM match_runs r "
        "JOIN patients pt ON pt.id = r.patient_id WHERE r.id > ?" +
            extra + " AND " + cond + " ORDER BY r.id LIMIT 1000",
        p);
    if (rows.empty()) break;
    for (Row const& r : rows) {
      last = r.i64(0);
      ++rep.runs;
      std::string rs = r.text(2);
      ReplayEntry e{last, r.text(1), rs, "", ""};
      if (!matchers.count(rs) && !broken.count(rs)) {
        auto loaded = load_rule_set(rs);
        std::string err;
        std::shared_ptr<Matcher const> m = loaded ? factory(loaded->second, err) : nullptr;
        if (!loaded) err = "rule set not archived";
        if (m && m->info().sha256 != rs) {
          err = "archived sources now compile to sha256 " + m->info().sha256;
          m = nullptr;
        }
        if (m)
          matchers[rs] = m;
        else
          broken[rs] = err.empty() ? "archived rule set does not compile" : err;
      }
      if (auto b = broken.find(rs); b != broken.end()) {
        ++rep.errors;
        e.status = "error";
        e.detail = b->second;
        rep.problems.push_back(std::move(e));
        continue;
      }
      MatchOutcome o = matchers[rs]->match(r.text(3));
      std::string const stored = r.text(4);
      if (!o.ok) {
        ++rep.errors;
        e.status = "error";
        e.detail = o.errors.empty() ? "record rejected" : o.errors.front().pointer + ": " + o.errors.front().message;
        rep.problems.push_back(std::move(e));
      } else if (o.json == stored) {
        ++rep.identical;
      } else {
        ++rep.different;
        std::size_t k = 0;
        while (k < o.json.size() && k < stored.size() && o.json[k] == stored[k]) ++k;
        e.status = "different";
        e.detail = "first difference at byte " + std::to_string(k);
        rep.problems.push_back(std::move(e));
      }
    }
  }
  return rep;
}

DiffReport Registry::diff(Matcher const& old_matcher, Matcher const& new_matcher) {
  require_schema();
  DiffReport rep;
  rep.old_info = old_matcher.info();
  rep.new_info = new_matcher.info();
  // Keyset paging by patient id, as export_jsonl (clinical.cpp); see replay above for why it is not shared.
  auto [cond, params] = scope_clause("p.centre_id");
  std::int64_t last = 0;
  for (;;) {
    std::vector<Value> p = {last};
    p.insert(p.end(), params.begin(), params.end());
    Rows rows = db_->query(
        "SELECT p.id, p.pseudonym, c.code, p.record FROM patients p JOIN centres c ON c.id = p.centre_id "
        "WHERE p.id > ? AND " +
            cond + " ORDER BY p.id LIMIT 1000",
        p);
    if (rows.empty()) break;
    for (Row const& r : rows) {
      last = r.i64(0);
      ++rep.patients;
      std::string input = r.text(3);
      MatchOutcome a = old_matcher.match(input), b = new_matcher.match(input);
      if (!a.ok || !b.ok) {
        rep.errors.push_back(
            RecordIssue{0, r.text(1), std::string(!a.ok ? "old" : "new") + " rule set rejected the record"});
        continue;
      }
      auto sa = detail::summarise_result(a.json), sb = detail::summarise_result(b.json);
      if (sa.pathway == sb.pathway && sa.match_keys == sb.match_keys) continue;
      DiffEntry e;
      e.pseudonym = r.text(1);
      e.centre = r.text(2);
      e.old_recommended = sa.recommended.value_or("");
      e.new_recommended = sb.recommended.value_or("");
      e.pathway_changed = sa.pathway != sb.pathway;
      std::set_difference(sb.match_keys.begin(), sb.match_keys.end(), sa.match_keys.begin(), sa.match_keys.end(),
                          std::back_inserter(e.added));
      std::set_difference(sa.match_keys.begin(), sa.match_keys.end(), sb.match_keys.begin(), sb.match_keys.end(),
                          std::back_inserter(e.removed));
      rep.changed.push_back(std::move(e));
    }
  }
  return rep;
}

}  // namespace actionable::registry
