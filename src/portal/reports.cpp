// Reports from the registry (include/actionable/portal/reports.hpp).
#include "actionable/portal/reports.hpp"

#include <algorithm>

#include "actionable/io/json.hpp"
#include "portal/internal.hpp"

namespace actionable::portal {

std::shared_ptr<Engine const> EngineCache::get(registry::Registry& reg, std::string const& sha, std::string& error) {
  {
    std::lock_guard lock(mu_);
    auto it = engines_.find(sha);
    if (it != engines_.end()) return it->second;
  }
  auto stored = reg.load_rule_set(sha);
  if (!stored) {
    error = "rule set " + sha.substr(0, 12) + " is not archived";
    return nullptr;
  }
  Diagnostics diags;
  auto engine = Engine::from_sources(stored->second, catalog_, diags);
  if (!engine) {
    error = "the archived rule set " + sha.substr(0, 12) + " does not compile: " + diags.format();
    return nullptr;
  }
  std::lock_guard lock(mu_);
  return engines_.emplace(sha, engine).first->second;
}

std::optional<StoredReport> patient_report(registry::Registry& reg, EngineCache& engines, std::string const& pseudonym,
                                           report::Options options, std::string& error,
                                           std::optional<std::int64_t> run_id) {
  error.clear();
  Rows run;
  std::string centre;
  {
    Transaction txn(reg.database(), Transaction::Kind::kRead);
    if (auto p = detail::find_patient(reg, pseudonym)) {
      centre = p->centre;
      std::vector<Value> rp{p->id};
      std::string extra;
      if (run_id) {
        extra = " AND id = ?";
        rp.push_back(*run_id);
      }
      run = reg.database().query("SELECT id, ruleset_sha, input, created_at FROM match_runs WHERE patient_id = ?" +
                                     extra + " ORDER BY id DESC LIMIT 1",
                                 rp);
    }
    txn.commit();
  }
  if (centre.empty()) return std::nullopt;  // error "" : not in scope
  if (run.empty()) {
    error = run_id ? "no run " + std::to_string(*run_id) + " of this patient" : "this patient has no match run yet";
    return std::nullopt;
  }
  auto engine = engines.get(reg, run[0].text(1), error);
  if (!engine) return std::nullopt;
  auto patient = io::read_patient_json(run[0].text(2), engine->catalog());
  if (!patient) {
    error = "the stored input of run " + std::to_string(run[0].i64(0)) + " cannot be read";
    return std::nullopt;
  }
  auto outcome = engine->match(*patient);
  if (!outcome) {
    error = "the stored input of run " + std::to_string(run[0].i64(0)) + " cannot be matched";
    return std::nullopt;
  }
  options.report_date = run[0].text(3).substr(0, 10);
  StoredReport out;
  out.document = report::build(*outcome, *patient, engine->catalog(), options);
  out.centre = centre;
  out.run_id = run[0].i64(0);
  return out;
}

namespace {

report::Rate rate(std::string label, registry::Proportion const& p) {
  report::Rate r;
  r.label = std::move(label);
  r.k = p.k;
  r.n = p.n;
  r.p = p.p;
  r.lo = p.lo;
  r.hi = p.hi;
  return r;
}

}  // namespace

report::SurvivalCurve detail::survival_curve(std::string title, registry::KmCurve const& km) {
  report::SurvivalCurve c;
  c.title = std::move(title);
  c.n = km.n;
  c.events = km.events;
  for (auto const& s : km.steps) c.steps.push_back({s.time, s.survival, s.lo, s.hi});
  c.median_days = km.median;
  c.median_lo_days = km.median_lo;
  c.median_hi_days = km.median_hi;
  double tmax = km.times.empty() ? 0 : km.times.back();
  for (int m = 0; m * registry::kDaysPerMonth <= tmax + 1e-9 || m == 0; m += 6) {
    c.at_risk.push_back({m, km.at_risk(m * registry::kDaysPerMonth)});
  }
  return c;
}

report::Cohort cohort_from_registry(registry::Registry& reg, registry::EndpointFilter const& filter,
                                    registry::EndpointParams const& params, std::string const& engine_version) {
  auto facts = registry::endpoint_facts(reg, filter);
  auto e = registry::compute_endpoints(facts, params);
  report::Cohort c;
  c.source = "registry";
  c.as_of = registry::format_date(params.as_of);
  c.engine_version = engine_version;
  std::vector<std::string> centres = filter.centres;
  if (centres.empty()) {
    for (auto const& x : reg.centres()) centres.push_back(x.code);
  }
  for (auto const& x : centres) c.scope += (c.scope.empty() ? "" : ", ") + x;
  c.title = "PRECISION 1 cohort report — " + (centres.size() == 1 ? "centre " + centres.front() : c.scope);
  c.patients = e.patients;
  c.matched = e.matched;
  c.endpoints = {rate("Patients with an actionable alteration (of matched)", e.actionable),
                 rate("Decided: genomics-driven trial", e.decided_trial),
                 rate("Decided: PRECISION 2", e.decided_precision2),
                 rate("Enrolled in a genomics-driven trial", e.enrolled_trial),
                 rate("Enrolled in PRECISION 2", e.enrolled_precision2),
                 rate("Clinical benefit rate (CR + PR + SD > " + std::to_string(static_cast<int>(params.cbr_months)) +
                          " months, genomics-driven lines)",
                      e.clinical_benefit),
                 rate("PFS ratio ≥ 1.3 (of evaluable)", e.pfs_ratio),
                 rate("Decision followed the recommendation", e.followed)};
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> tumours;
  for (auto const& f : facts) {
    if (!f.matched) continue;
    auto& t = tumours[f.oncotree.value_or("unknown")];
    t.first += f.actionable;
    ++t.second;
  }
  for (auto const& [code, kn] : tumours)
    c.by_tumour.push_back(report::wilson_rate(code, kn.first, kn.second, params.z));
  std::stable_sort(c.by_tumour.begin(), c.by_tumour.end(), [](auto const& a, auto const& b) { return a.n > b.n; });
  c.recommended = e.recommended;
  c.crosstab = e.crosstab;
  c.pfs_ratio_threshold = params.pfs_ratio_threshold;
  for (auto const& r : e.pfs_ratio_rows) {
    c.pfs_ratio.push_back({r.pseudonym, r.line, r.previous.days, r.current.days, r.current.event, r.ratio, r.outcome});
  }
  for (auto const& v : e.follow_up) {
    c.follow_up.push_back(
        rate("visit " + std::to_string(v.visit) + " (month " + std::to_string(6 * v.visit) + ")", v.done));
  }
  c.pfs = detail::survival_curve("Progression-free survival, first genomics-driven line", e.pfs);
  c.os = detail::survival_curve("Overall survival from inclusion", e.os);
  return c;
}

}  // namespace actionable::portal
