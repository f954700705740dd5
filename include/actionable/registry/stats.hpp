// Statistics behind the protocol endpoints, as pure functions on plain values so that a
// hand-computed fixture can check them (docs/registry.md gives every formula and reference):
// calendar dates, the Wilson score interval (Wilson 1927), the Kaplan–Meier estimator (Kaplan &
// Meier 1958) with Greenwood's variance (Greenwood 1926) and log(-log) confidence limits
// (Kalbfleisch & Prentice 1980), and the median with Brookmeyer–Crowley limits (1982).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace actionable::registry {

/// A proleptic Gregorian calendar date.
struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;
  friend bool operator==(Date const&, Date const&) = default;
  friend auto operator<=>(Date const&, Date const&) = default;
};

/// "YYYY-MM-DD" with a real calendar day, else nullopt.
std::optional<Date> parse_date(std::string_view text);
std::string format_date(Date d);
/// Days since 1970-01-01 (negative before).
std::int64_t days_from_civil(Date d);
Date civil_from_days(std::int64_t days);
/// b − a in days.
inline std::int64_t days_between(Date a, Date b) { return days_from_civil(b) - days_from_civil(a); }
/// Calendar months later; the day is clamped to the month's length (2025-08-31 + 6 → 2026-02-28).
Date add_months(Date d, int months);
/// Today's date in UTC.
Date today_utc();

/// Days per month used to report times in months (365.25 / 12).
inline constexpr double kDaysPerMonth = 30.4375;
/// Two-sided 95% standard normal quantile.
inline constexpr double kZ95 = 1.959963984540054;

/// k successes out of n with the Wilson score interval. p, lo, hi are nullopt when n = 0.
struct Proportion {
  std::int64_t k = 0;
  std::int64_t n = 0;
  std::optional<double> p, lo, hi;
};
Proportion wilson(std::int64_t k, std::int64_t n, double z = kZ95);

/// One subject's time (days) and whether the event was observed (false: censored).
struct SurvivalObs {
  double time = 0;
  bool event = false;
};

/// The survival curve at one distinct event time.
struct KmStep {
  double time = 0;            ///< days
  std::int64_t at_risk = 0;   ///< n_i, subjects with time >= t_i
  std::int64_t events = 0;    ///< d_i
  std::int64_t censored = 0;  ///< censored at exactly t_i (counted at risk at t_i)
  double survival = 1;        ///< S(t_i) = Π (1 − d_j / n_j)
  double se = 0;              ///< Greenwood: S · sqrt(Σ d_j / (n_j (n_j − d_j)))
  double lo = 1, hi = 1;      ///< log(−log) limits; [0, 0] once S = 0
};

struct KmCurve {
  std::int64_t n = 0;
  std::int64_t events = 0;
  std::vector<KmStep> steps;        ///< one per distinct event time, ascending
  std::optional<double> median;     ///< smallest t with S(t) <= 0.5
  std::optional<double> median_lo;  ///< smallest t with lower limit <= 0.5
  std::optional<double> median_hi;  ///< smallest t with upper limit <= 0.5
  std::vector<double> times;        ///< every subject's time, ascending (numbers at risk)
  /// Subjects still at risk at `t` (time >= t).
  std::int64_t at_risk(double t) const;
  /// S at `t` (right-continuous step function); 1 before the first event.
  double survival_at(double t) const;
};
/// Events at a time precede censorings at the same time (the usual convention).
KmCurve kaplan_meier(std::vector<SurvivalObs> obs, double z = kZ95);

}  // namespace actionable::registry
