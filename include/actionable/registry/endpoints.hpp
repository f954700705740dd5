// PRECISION 1 protocol endpoints (issue 5 §4; every definition and formula is in
// docs/registry.md, "Endpoints"). endpoint_facts() reads the per-patient facts in scope;
// compute_endpoints() is a pure function of those facts, checked against a hand-computed fixture.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actionable/registry/registry.hpp"
#include "actionable/registry/stats.hpp"

namespace actionable::registry {

struct TreatmentFacts {
  std::int64_t line = 1;
  std::optional<Date> start, end, progression;
  std::optional<std::string> best_response;  ///< CR | PR | SD | PD | NE
  std::optional<std::string> basis;          ///< pathway option the line came from
  std::optional<bool> off_label;
};

struct VisitFacts {
  std::int64_t visit = 1;
  Date date;
  std::optional<Date> progression;
  std::optional<std::int64_t> line;
  std::string vital_status = "alive";
  std::optional<Date> death;
};

struct PatientFacts {
  std::string pseudonym, centre;
  std::optional<std::string> oncotree;
  Date included;
  bool matched = false;                    ///< has a match run (under the rule-set filter)
  bool actionable = false;                 ///< that run has an approved / SoC / trial / P2 match
  std::optional<std::string> recommended;  ///< that run's recommended option
  std::optional<std::string> received;     ///< latest decision's option
  std::vector<TreatmentFacts> treatments;
  std::vector<VisitFacts> visits;
};

struct EndpointParams {
  Date as_of = today_utc();          ///< follow-up visits due up to this date
  double cbr_months = 6.0;           ///< SD must last longer than this (months of 30.4375 days)
  double pfs_ratio_threshold = 1.3;  ///< Von Hoff success threshold
  double z = kZ95;                   ///< normal quantile for every interval
};

/// Progression-free survival of one line: days from start, and whether it ended in an event.
struct LinePfs {
  double days = 0;
  bool event = false;
};

struct PfsRatioRow {
  std::string pseudonym;
  std::int64_t line = 0;  ///< the genomics-driven line
  LinePfs previous, current;
  std::optional<double> ratio;  ///< current / previous (a lower bound when current is censored)
  std::string outcome;          ///< success | failure | pending | not_evaluable
};

struct FollowUpVisit {
  std::int64_t visit = 0;  ///< k: month 6k
  Proportion done;         ///< visits recorded / visits due
};

struct Endpoints {
  EndpointParams params;
  std::int64_t patients = 0;
  std::int64_t matched = 0;
  Proportion actionable;
  std::map<std::string, std::int64_t> recommended, received;
  std::map<std::string, std::map<std::string, std::int64_t>> crosstab;  ///< recommended → received → n
  Proportion followed;                             ///< received == recommended, among patients with both
  Proportion decided_trial, decided_precision2;    ///< decisions, among matched patients
  Proportion enrolled_trial, enrolled_precision2;  ///< a started line on that basis, among matched
  Proportion clinical_benefit;                     ///< CR + PR + SD > threshold, genomics-driven non-approved lines
  std::int64_t cbr_cr = 0, cbr_pr = 0, cbr_sd = 0, cbr_pending = 0;
  Proportion pfs_ratio;  ///< success / evaluable
  std::int64_t pfs_ratio_pending = 0, pfs_ratio_not_evaluable = 0;
  std::vector<PfsRatioRow> pfs_ratio_rows;
  KmCurve pfs;  ///< first genomics-driven line per patient
  KmCurve os;   ///< from inclusion
  std::vector<FollowUpVisit> follow_up;
};

/// Per-patient facts in the registry's scope, narrowed by `filter`.
std::vector<PatientFacts> endpoint_facts(Registry& registry, EndpointFilter const& filter);

/// PFS of `line` of patient `p` (docs/registry.md, "PFS of a line").
std::optional<LinePfs> line_pfs(PatientFacts const& p, TreatmentFacts const& line);
/// Whether a line counts as genomics-driven, and as given outside an approved indication.
bool genomics_driven(TreatmentFacts const& t);
bool non_approved(TreatmentFacts const& t);

Endpoints compute_endpoints(std::vector<PatientFacts> const& facts, EndpointParams const& params = {});

/// JSON (stable key order) and a table for people.
std::string endpoints_json(Endpoints const& e, EndpointFilter const& filter);
std::string endpoints_table(Endpoints const& e);

}  // namespace actionable::registry
