// Dates, Wilson intervals and Kaplan–Meier with Greenwood variance (formulas: docs/registry.md).
#include "actionable/registry/stats.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cmath>

namespace actionable::registry {

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
std::int64_t days_from_civil(Date d) {
  std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t mp = (d.month + 9) % 12;
  std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date civil_from_days(std::int64_t z) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (month <= 2 ? 1 : 0)), static_cast<int>(month), static_cast<int>(day)};
}

namespace {
int month_length(int y, int m) {
  static constexpr int kLen[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kLen[m - 1];
}
}  // namespace

std::optional<Date> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t from, std::size_t n, int& out) {
    out = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  Date d;
  if (!digits(0, 4, d.year) || !digits(5, 2, d.month) || !digits(8, 2, d.day)) return std::nullopt;
  if (d.year < 1900 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > month_length(d.year, d.month))
    return std::nullopt;
  return d;
}

std::string format_date(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

Date add_months(Date d, int months) {
  int total = d.year * 12 + (d.month - 1) + months;
  Date r{total / 12, total % 12 + 1, 1};
  r.day = std::min(d.day, month_length(r.year, r.month));
  return r;
}

Date today_utc() {
  auto now = std::chrono::system_clock::now();
  auto days = std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count() / 24;
  return civil_from_days(days);
}

Proportion wilson(std::int64_t k, std::int64_t n, double z) {
  Proportion r;
  r.k = k;
  r.n = n;
  if (n <= 0) return r;
  double nn = static_cast<double>(n);
  double p = static_cast<double>(k) / nn;
  double z2 = z * z;
  double denom = 1.0 + z2 / nn;
  double centre = (p + z2 / (2 * nn)) / denom;
  double half = (z / denom) * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
  r.p = p;
  r.lo = std::max(0.0, centre - half);
  r.hi = std::min(1.0, centre + half);
  return r;
}

std::int64_t KmCurve::at_risk(double t) const {
  return static_cast<std::int64_t>(times.end() - std::lower_bound(times.begin(), times.end(), t));
}

KmCurve kaplan_meier(std::vector<SurvivalObs> obs, double z) {
  KmCurve c;
  c.n = static_cast<std::int64_t>(obs.size());
  // Sort by time, events before censorings at equal times.
  std::sort(obs.begin(), obs.end(), [](SurvivalObs const& a, SurvivalObs const& b) {
    if (a.time != b.time) return a.time < b.time;
    return a.event && !b.event;
  });
  for (auto const& o : obs) c.times.push_back(o.time);
  double s = 1.0;
  double greenwood = 0.0;  // Σ d / (n (n − d))
  std::int64_t at_risk = c.n;
  std::size_t i = 0;
  while (i < obs.size()) {
    double t = obs[i].time;
    std::int64_t d = 0, cens = 0;
    while (i < obs.size() && obs[i].time == t) {
      if (obs[i].event)
        ++d;
      else
        ++cens;
      ++i;
    }
    if (d > 0) {
      double n = static_cast<double>(at_risk);
      s *= 1.0 - static_cast<double>(d) / n;
      if (at_risk > d) greenwood += static_cast<double>(d) / (n * (n - static_cast<double>(d)));
      KmStep step;
      step.time = t;
      step.at_risk = at_risk;
      step.events = d;
      step.censored = cens;
      step.survival = s;
      step.se = s * std::sqrt(greenwood);
      if (s <= 0.0) {
        step.lo = step.hi = 0.0;
      } else if (s >= 1.0 || greenwood <= 0.0) {
        step.lo = step.hi = s;
      } else {
        // θ = log(−log S), Var(θ) = Greenwood / (log S)²; limits S^exp(±z·se(θ)).
        double se_theta = std::sqrt(greenwood) / std::fabs(std::log(s));
        step.lo = std::pow(s, std::exp(z * se_theta));
        step.hi = std::pow(s, std::exp(-z * se_theta));
      }
      c.events += d;
      c.steps.push_back(step);
    }
    at_risk -= d + cens;
  }
  for (KmStep const& st : c.steps) {
    if (!c.median && st.survival <= 0.5) c.median = st.time;
    if (!c.median_lo && st.lo <= 0.5) c.median_lo = st.time;
    if (!c.median_hi && st.hi <= 0.5) c.median_hi = st.time;
  }
  return c;
}

double KmCurve::survival_at(double t) const {
  double s = 1.0;
  for (KmStep const& st : steps) {
    if (st.time > t) break;
    s = st.survival;
  }
  return s;
}

}  // namespace actionable::registry
