// Protocol endpoints: facts from the database, then pure computation (docs/registry.md,
// "Endpoints", for every definition, censoring rule and reference).
#include "actionable/registry/endpoints.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "internal.hpp"

namespace actionable::registry {

using nlohmann::json;

namespace {

std::optional<Date> date_of(Row const& r, std::size_t i) {
  if (r.is_null(i)) return std::nullopt;
  return parse_date(r.text(i));
}

std::optional<Date> death_of(PatientFacts const& p) {
  std::optional<Date> d;
  for (VisitFacts const& v : p.visits)
    if (v.death && (!d || *v.death < *d)) d = v.death;
  return d;
}

Date last_contact(PatientFacts const& p) {
  Date last = p.included;
  auto upd = [&](std::optional<Date> const& d) {
    if (d && *d > last) last = *d;
  };
  for (VisitFacts const& v : p.visits) {
    upd(v.date);
    upd(v.progression);
    upd(v.death);
  }
  for (TreatmentFacts const& t : p.treatments) {
    upd(t.start);
    upd(t.end);
    upd(t.progression);
  }
  return last;
}

TreatmentFacts const* first_line_where(PatientFacts const& p, bool (*pred)(TreatmentFacts const&)) {
  TreatmentFacts const* best = nullptr;
  for (TreatmentFacts const& t : p.treatments) {
    if (!t.start || !pred(t)) continue;
    if (!best || t.line < best->line) best = &t;
  }
  return best;
}

}  // namespace

bool genomics_driven(TreatmentFacts const& t) {
  return t.basis && (*t.basis == "standard_of_care" || *t.basis == "matched_trial" || *t.basis == "precision2");
}

bool non_approved(TreatmentFacts const& t) {
  if (t.off_label) return *t.off_label;
  return t.basis && (*t.basis == "matched_trial" || *t.basis == "precision2");
}

std::optional<LinePfs> line_pfs(PatientFacts const& p, TreatmentFacts const& line) {
  if (!line.start) return std::nullopt;
  Date start = *line.start;
  std::optional<Date> next_start;
  for (TreatmentFacts const& t : p.treatments) {
    if (t.line > line.line && t.start && *t.start >= start && (!next_start || *t.start < *next_start))
      next_start = t.start;
  }
  // Progression of this line: recorded on the line, else the earliest follow-up progression
  // assigned to the line, else the earliest unassigned one in [start, next line start).
  std::optional<Date> prog = line.progression;
  auto consider = [&](std::optional<Date> const& d) {
    if (d && *d >= start && (!prog || *d < *prog)) prog = d;
  };
  if (!prog) {
    for (VisitFacts const& v : p.visits)
      if (v.line && *v.line == line.line) consider(v.progression);
  }
  if (!prog) {
    for (VisitFacts const& v : p.visits)
      if (!v.line && v.progression && (!next_start || *v.progression < *next_start)) consider(v.progression);
  }
  std::optional<Date> event = prog;
  if (auto death = death_of(p); death && *death >= start && (!event || *death < *event)) event = death;
  if (event) return LinePfs{static_cast<double>(days_between(start, *event)), true};
  Date censor = last_contact(p);
  if (next_start && *next_start < censor) censor = *next_start;
  if (censor < start) censor = start;
  return LinePfs{static_cast<double>(days_between(start, censor)), false};
}

std::vector<PatientFacts> endpoint_facts(Registry& registry, EndpointFilter const& filter) {
  registry.require_schema();
  Database& db = registry.database();
  Transaction txn(db, Transaction::Kind::kRead);
  auto [scope, sparams] = registry.scope_clause("p.centre_id");
  std::string where = scope;
  std::vector<Value> params = sparams;
  if (!filter.centres.empty()) {
    where += " AND c.code IN (" + detail::placeholders(filter.centres.size()) + ")";
    params.insert(params.end(), filter.centres.begin(), filter.centres.end());
  }
  if (!filter.tumours.empty()) {
    where += " AND p.oncotree IN (" + detail::placeholders(filter.tumours.size()) + ")";
    params.insert(params.end(), filter.tumours.begin(), filter.tumours.end());
  }
  if (filter.from) {
    where += " AND p.included >= ?";
    params.emplace_back(*filter.from);
  }
  if (filter.to) {
    where += " AND p.included <= ?";
    params.emplace_back(*filter.to);
  }
  std::vector<PatientFacts> facts;
  std::unordered_map<std::int64_t, std::size_t> index;
  for (Row const& r : db.query("SELECT p.id, p.pseudonym, c.code, p.oncotree, p.included FROM patients p "
                               "JOIN centres c ON c.id = p.centre_id WHERE " +
                                   where + " ORDER BY p.id",
                               params)) {
    PatientFacts f;
    f.pseudonym = r.text(1);
    f.centre = r.text(2);
    f.oncotree = r.opt_text(3);
    f.included = parse_date(r.text(4)).value_or(Date{});
    index.emplace(r.i64(0), facts.size());
    facts.push_back(std::move(f));
  }
  auto [rscope, rparams] = registry.scope_clause("centre_id");
  std::string run_sql = "SELECT patient_id, recommended, actionable FROM match_runs WHERE " + rscope;
  std::vector<Value> run_params = rparams;
  if (filter.ruleset) {
    auto rs = registry.load_rule_set(*filter.ruleset);
    if (!rs) throw Error(ErrorCode::kNotFound, "no stored rule set '" + *filter.ruleset + "'");
    run_sql += " AND ruleset_sha = ?";
    run_params.emplace_back(rs->first.sha256);
  }
  for (Row const& r : db.query(run_sql + " ORDER BY id", run_params)) {
    auto it = index.find(r.i64(0));
    if (it == index.end()) continue;
    PatientFacts& f = facts[it->second];
    f.matched = true;
    f.recommended = r.opt_text(1);
    f.actionable = r.i64(2) != 0;
  }
  for (Row const& r : db.query("SELECT patient_id, option FROM decisions WHERE " + rscope + " ORDER BY id", rparams)) {
    auto it = index.find(r.i64(0));
    if (it != index.end()) facts[it->second].received = r.text(1);
  }
  // Each table of the facts (runs, decisions, treatments, follow-ups) is read alike: query in scope,
  // find the patient, fill its own struct from its own columns; the columns are the difference.
  for (Row const& r : db.query("SELECT patient_id, line, start, end_date, progression, best_response, basis, off_label "
                               "FROM treatments WHERE " +
                                   rscope + " ORDER BY patient_id, line",
                               rparams)) {
    auto it = index.find(r.i64(0));
    if (it == index.end()) continue;
    TreatmentFacts t;
    t.line = r.i64(1);
    t.start = date_of(r, 2);
    t.end = date_of(r, 3);
    t.progression = date_of(r, 4);
    t.best_response = r.opt_text(5);
    t.basis = r.opt_text(6);
    if (!r.is_null(7)) t.off_label = r.i64(7) != 0;
    facts[it->second].treatments.push_back(std::move(t));
  }
  for (Row const& r : db.query("SELECT patient_id, visit, visit_date, progression, line, vital_status, death_date "
                               "FROM follow_ups WHERE " +
                                   rscope + " ORDER BY patient_id, visit",
                               rparams)) {
    auto it = index.find(r.i64(0));
    if (it == index.end()) continue;
    VisitFacts v;
    v.visit = r.i64(1);
    v.date = parse_date(r.text(2)).value_or(Date{});
    v.progression = date_of(r, 3);
    v.line = r.opt_i64(4);
    v.vital_status = r.text(5);
    v.death = date_of(r, 6);
    facts[it->second].visits.push_back(std::move(v));
  }
  txn.commit();
  return facts;
}

Endpoints compute_endpoints(std::vector<PatientFacts> const& facts, EndpointParams const& params) {
  Endpoints e;
  e.params = params;
  double z = params.z;
  double cbr_days = params.cbr_months * kDaysPerMonth;
  std::int64_t actionable = 0, both = 0, followed = 0, dec_trial = 0, dec_p2 = 0, enr_trial = 0, enr_p2 = 0;
  std::int64_t cbr_n = 0, cbr_k = 0, ratio_ok = 0, ratio_eval = 0;
  std::vector<SurvivalObs> pfs_obs, os_obs;
  for (PatientFacts const& p : facts) {
    ++e.patients;
    if (p.matched) {
      ++e.matched;
      if (p.actionable) ++actionable;
      std::string rec = p.recommended.value_or("none");
      ++e.recommended[rec];
      if (p.received) {
        ++e.received[*p.received];
        ++e.crosstab[rec][*p.received];
        if (p.recommended) {
          ++both;
          if (*p.received == *p.recommended) ++followed;
        }
        if (*p.received == "matched_trial") ++dec_trial;
        if (*p.received == "precision2") ++dec_p2;
      }
      bool trial = false, p2 = false;
      for (TreatmentFacts const& t : p.treatments) {
        if (!t.start || !t.basis) continue;
        trial = trial || *t.basis == "matched_trial";
        p2 = p2 || *t.basis == "precision2";
      }
      enr_trial += trial;
      enr_p2 += p2;
    }
    // Clinical benefit: first genomics-driven line given outside an approved indication.
    if (TreatmentFacts const* t =
            first_line_where(p, [](TreatmentFacts const& x) { return genomics_driven(x) && non_approved(x); })) {
      auto pfs = line_pfs(p, *t);
      std::string br = t->best_response.value_or("");
      if (br == "CR") {
        ++cbr_n;
        ++cbr_k;
        ++e.cbr_cr;
      } else if (br == "PR") {
        ++cbr_n;
        ++cbr_k;
        ++e.cbr_pr;
      } else if (br == "SD") {
        if (pfs && pfs->days > cbr_days) {
          ++cbr_n;
          ++cbr_k;
          ++e.cbr_sd;
        } else if (pfs && !pfs->event)
          ++e.cbr_pending;  // still stable, not yet past the threshold
        else
          ++cbr_n;
      } else if (br == "PD" || br == "NE")
        ++cbr_n;
      else if (pfs && pfs->event)
        ++cbr_n;  // not assessed, but progressed or died
      else
        ++e.cbr_pending;
    }
    // PFS (KM) and the PFS ratio: first genomics-driven line.
    if (TreatmentFacts const* g = first_line_where(p, genomics_driven)) {
      auto cur = line_pfs(p, *g);
      if (cur) pfs_obs.push_back(SurvivalObs{cur->days, cur->event});
      TreatmentFacts const* prev = nullptr;
      for (TreatmentFacts const& t : p.treatments)
        if (t.line == g->line - 1) prev = &t;
      if (prev && cur) {
        PfsRatioRow row;
        row.pseudonym = p.pseudonym;
        row.line = g->line;
        row.current = *cur;
        auto pp = line_pfs(p, *prev);
        if (!pp || !pp->event || pp->days <= 0) {
          row.outcome = "not_evaluable";
          if (pp) row.previous = *pp;
          ++e.pfs_ratio_not_evaluable;
        } else {
          row.previous = *pp;
          row.ratio = cur->days / pp->days;
          if (cur->event) {
            row.outcome = *row.ratio >= params.pfs_ratio_threshold ? "success" : "failure";
          } else {
            row.outcome = *row.ratio >= params.pfs_ratio_threshold ? "success" : "pending";
          }
          if (row.outcome == "pending")
            ++e.pfs_ratio_pending;
          else {
            ++ratio_eval;
            if (row.outcome == "success") ++ratio_ok;
          }
        }
        e.pfs_ratio_rows.push_back(std::move(row));
      }
    }
    // Overall survival from inclusion.
    if (auto death = death_of(p))
      os_obs.push_back(SurvivalObs{static_cast<double>(days_between(p.included, *death)), true});
    else
      os_obs.push_back(SurvivalObs{static_cast<double>(days_between(p.included, last_contact(p))), false});
  }
  e.actionable = wilson(actionable, e.matched, z);
  e.followed = wilson(followed, both, z);
  e.decided_trial = wilson(dec_trial, e.matched, z);
  e.decided_precision2 = wilson(dec_p2, e.matched, z);
  e.enrolled_trial = wilson(enr_trial, e.matched, z);
  e.enrolled_precision2 = wilson(enr_p2, e.matched, z);
  e.clinical_benefit = wilson(cbr_k, cbr_n, z);
  e.pfs_ratio = wilson(ratio_ok, ratio_eval, z);
  e.pfs = kaplan_meier(pfs_obs, z);
  e.os = kaplan_meier(os_obs, z);
  // Follow-up completeness per 6-monthly visit.
  for (std::int64_t k = 1;; ++k) {
    std::int64_t due = 0, done = 0;
    bool any_future = false;
    for (PatientFacts const& p : facts) {
      Date due_date = add_months(p.included, static_cast<int>(6 * k));
      if (due_date > params.as_of) continue;
      any_future = true;
      auto death = death_of(p);
      if (death && *death <= due_date) continue;
      ++due;
      if (std::any_of(p.visits.begin(), p.visits.end(), [&](VisitFacts const& v) { return v.visit == k; })) ++done;
    }
    if (!any_future) break;
    e.follow_up.push_back(FollowUpVisit{k, wilson(done, due, z)});
    if (k > 200) break;
  }
  return e;
}

namespace {

json opt_num(std::optional<double> const& v) { return v ? json(*v) : json(); }

json prop_json(Proportion const& p) {
  return {{"k", p.k}, {"n", p.n}, {"proportion", opt_num(p.p)}, {"ci95", {opt_num(p.lo), opt_num(p.hi)}}};
}

// A KM curve as JSON; alike in shape to report/json.cpp's rows, a different document.
json km_json(KmCurve const& c) {
  json steps = json::array();
  for (KmStep const& s : c.steps) {
    steps.push_back({{"days", s.time},
                     {"at_risk", s.at_risk},
                     {"events", s.events},
                     {"censored", s.censored},
                     {"survival", s.survival},
                     {"se", s.se},
                     {"ci95", {s.lo, s.hi}}});
  }
  auto months = [](std::optional<double> d) { return d ? json(*d / kDaysPerMonth) : json(); };
  return {{"n", c.n},
          {"events", c.events},
          {"median_days", opt_num(c.median)},
          {"median_ci95_days", {opt_num(c.median_lo), opt_num(c.median_hi)}},
          {"median_months", months(c.median)},
          {"steps", steps}};
}

std::string pct(Proportion const& p) {
  char buf[96];
  if (!p.p) {
    std::snprintf(buf, sizeof buf, "%lld/%lld (n/a)", static_cast<long long>(p.k), static_cast<long long>(p.n));
  } else {
    std::snprintf(buf, sizeof buf, "%lld/%lld = %.1f%% (95%% CI %.1f-%.1f)", static_cast<long long>(p.k),
                  static_cast<long long>(p.n), *p.p * 100, *p.lo * 100, *p.hi * 100);
  }
  return buf;
}

std::string median(KmCurve const& c) {
  char buf[128];
  auto f = [](std::optional<double> d) {
    if (!d) return std::string("NR");
    char b[32];
    std::snprintf(b, sizeof b, "%.1f", *d / kDaysPerMonth);
    return std::string(b);
  };
  std::snprintf(buf, sizeof buf, "n=%lld, events=%lld, median %s months (95%% CI %s-%s)", static_cast<long long>(c.n),
                static_cast<long long>(c.events), f(c.median).c_str(), f(c.median_lo).c_str(), f(c.median_hi).c_str());
  return buf;
}

}  // namespace

std::string endpoints_json(Endpoints const& e, EndpointFilter const& filter) {
  json rows = json::array();
  for (PfsRatioRow const& r : e.pfs_ratio_rows) {
    rows.push_back({{"pseudonym", r.pseudonym},
                    {"line", r.line},
                    {"previous", {{"days", r.previous.days}, {"event", r.previous.event}}},
                    {"current", {{"days", r.current.days}, {"event", r.current.event}}},
                    {"ratio", opt_num(r.ratio)},
                    {"outcome", r.outcome}});
  }
  json fu = json::array();
  for (FollowUpVisit const& v : e.follow_up)
    fu.push_back({{"visit", v.visit}, {"month", 6 * v.visit}, {"done", prop_json(v.done)}});
  json out = {
      {"filter",
       {{"centres", filter.centres},
        {"tumours", filter.tumours},
        {"from", filter.from ? json(*filter.from) : json()},
        {"to", filter.to ? json(*filter.to) : json()},
        {"ruleset", filter.ruleset ? json(*filter.ruleset) : json()}}},
      {"parameters",
       {{"as_of", format_date(e.params.as_of)},
        {"cbr_months", e.params.cbr_months},
        {"pfs_ratio_threshold", e.params.pfs_ratio_threshold},
        {"z", e.params.z}}},
      {"patients", e.patients},
      {"matched", e.matched},
      {"actionable", prop_json(e.actionable)},
      {"pathway",
       {{"recommended", e.recommended},
        {"received", e.received},
        {"crosstab", e.crosstab},
        {"followed", prop_json(e.followed)}}},
      {"decided", {{"matched_trial", prop_json(e.decided_trial)}, {"precision2", prop_json(e.decided_precision2)}}},
      {"enrolled", {{"matched_trial", prop_json(e.enrolled_trial)}, {"precision2", prop_json(e.enrolled_precision2)}}},
      {"clinical_benefit",
       {{"rate", prop_json(e.clinical_benefit)},
        {"CR", e.cbr_cr},
        {"PR", e.cbr_pr},
        {"SD_beyond_threshold", e.cbr_sd},
        {"pending", e.cbr_pending},
        {"threshold_days", e.params.cbr_months * kDaysPerMonth}}},
      {"pfs_ratio",
       {{"success", prop_json(e.pfs_ratio)},
        {"pending", e.pfs_ratio_pending},
        {"not_evaluable", e.pfs_ratio_not_evaluable},
        {"threshold", e.params.pfs_ratio_threshold},
        {"patients", rows}}},
      {"pfs", km_json(e.pfs)},
      {"os", km_json(e.os)},
      {"follow_up", fu},
  };
  return out.dump(2) + "\n";
}

std::string endpoints_table(Endpoints const& e) {
  std::ostringstream o;
  o << "PRECISION 1 endpoints (as of " << format_date(e.params.as_of) << ")\n";
  o << "  patients                          " << e.patients << " (matched " << e.matched << ")\n";
  o << "  actionable alteration             " << pct(e.actionable) << "\n";
  o << "  recommendation followed           " << pct(e.followed) << "\n";
  o << "  pathway recommended -> received:\n";
  for (auto const& [rec, m] : e.crosstab)
    for (auto const& [recv, n] : m) o << "    " << rec << " -> " << recv << ": " << n << "\n";
  o << "  decided matched trial             " << pct(e.decided_trial) << "\n";
  o << "  decided PRECISION 2               " << pct(e.decided_precision2) << "\n";
  o << "  enrolled in matched trial         " << pct(e.enrolled_trial) << "\n";
  o << "  enrolled in PRECISION 2           " << pct(e.enrolled_precision2) << "\n";
  o << "  clinical benefit rate             " << pct(e.clinical_benefit) << " [CR " << e.cbr_cr << ", PR " << e.cbr_pr
    << ", SD>" << e.params.cbr_months << "mo " << e.cbr_sd << ", pending " << e.cbr_pending << "]\n";
  o << "  PFS ratio >= " << e.params.pfs_ratio_threshold << "                  " << pct(e.pfs_ratio) << " [pending "
    << e.pfs_ratio_pending << ", not evaluable " << e.pfs_ratio_not_evaluable << "]\n";
  o << "  PFS (genomics-driven line)        " << median(e.pfs) << "\n";
  o << "  OS (from inclusion)               " << median(e.os) << "\n";
  for (FollowUpVisit const& v : e.follow_up)
    o << "  follow-up month " << 6 * v.visit << (6 * v.visit < 10 ? " " : "") << "               " << pct(v.done)
      << "\n";
  return o.str();
}

}  // namespace actionable::registry
