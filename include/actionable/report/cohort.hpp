// The cohort report (issue 11 item 3, docs/report.md "Cohort report"): the protocol endpoints
// with confidence intervals, Kaplan–Meier curves of PFS and OS with confidence bands and numbers
// at risk, the actionable rate per tumour type, recommended vs received pathway, the PFS ratio
// and follow-up completeness — one model, rendered as self-contained HTML (inline SVG figures, no
// script) or JSON. Built from a batch of matched records (cohort_from_batch: what the results
// alone tell) or from the registry (actionable::portal::cohort_from_registry: the endpoints
// that need treatments and follow-up as well).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "actionable/model/patient.hpp"
#include "actionable/outcome.hpp"
#include "actionable/report/report.hpp"

namespace actionable::report {

/// k of n with a Wilson 95 % interval (p, lo, hi absent when n = 0).
struct Rate {
  std::string label;
  std::int64_t k = 0, n = 0;
  std::optional<double> p, lo, hi;
};
/// The Wilson score interval (the registry's endpoints use the same formula).
Rate wilson_rate(std::string label, std::int64_t k, std::int64_t n, double z = 1.959963984540054);

struct SurvivalCurve {
  std::string title;
  std::int64_t n = 0, events = 0;
  struct Step {
    double days = 0, survival = 1, lo = 1, hi = 1;
  };
  std::vector<Step> steps;  ///< one per event time, ascending
  std::optional<double> median_days, median_lo_days, median_hi_days;
  std::vector<std::pair<int, std::int64_t>> at_risk;  ///< (month, subjects at risk), every 6 months
};

struct PfsRatioPoint {
  std::string pseudonym;
  std::int64_t line = 0;
  double previous_days = 0, current_days = 0;
  bool current_event = false;
  std::optional<double> ratio;
  std::string outcome;  ///< success | failure | pending | not_evaluable
};

struct Cohort {
  std::string title;   ///< e.g. "PRECISION 1 — centre BE-UZL"
  std::string scope;   ///< centres, or the batch file
  std::string source;  ///< "registry" | "batch"
  std::string as_of, engine_version;
  std::int64_t patients = 0, matched = 0;
  std::vector<Rate> endpoints;                      ///< the protocol endpoints, in protocol order
  std::vector<Rate> by_tumour;                      ///< actionable per OncoTree code, most patients first
  std::map<std::string, std::int64_t> recommended;  ///< option → patients
  std::map<std::string, std::map<std::string, std::int64_t>> crosstab;  ///< recommended → received → n
  std::vector<PfsRatioPoint> pfs_ratio;
  double pfs_ratio_threshold = 1.3;
  std::vector<Rate> follow_up;  ///< "visit k (month 6k)": recorded / due
  std::optional<SurvivalCurve> pfs, os;
  std::vector<std::string> notes;  ///< what this source cannot tell (e.g. no follow-up in a batch)
};

/// What a batch of matched records tells: patients, % with an actionable option (approved,
/// standard of care, matched trial or PRECISION 2 candidate), recommended pathways, actionable
/// rate per tumour type. The follow-up endpoints need the registry (noted in `notes`).
Cohort cohort_from_batch(std::vector<std::pair<model::Patient, Outcome>> const& records, std::string const& scope,
                         std::string const& as_of, std::string const& engine_version);

std::string render_cohort_html(Cohort const& cohort, Language lang = Language::kEn);
/// One Kaplan–Meier figure as the cohort report draws it — step line, shaded 95 % band,
/// dashed median, numbers at risk — an inline SVG (class "km", no script, no style) in a
/// <figure> with its caption; also the portal dashboard's.
std::string render_km_figure(SurvivalCurve const& curve, std::string const& id);
std::string render_cohort_json(Cohort const& cohort);

}  // namespace actionable::report
