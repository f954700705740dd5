// Dates, Wilson intervals, Kaplan–Meier with Greenwood variance. Expected values were computed
// by hand from the formulas in docs/registry.md and cross-checked with statsmodels 0.13
// (proportion_confint(method="wilson"), SurvfuncRight: surv_prob, surv_prob_se, quantile_ci
// with method="cloglog").
#include "actionable/registry/stats.hpp"
#include "support.hpp"

using namespace regtest;
using doctest::Approx;

TEST_CASE("dates") {
  CHECK(parse_date("2024-02-29"));
  CHECK_FALSE(parse_date("2023-02-29"));
  CHECK_FALSE(parse_date("2024-2-01"));
  CHECK_FALSE(parse_date("2024-00-10"));
  CHECK(format_date(*parse_date("2025-03-02")) == "2025-03-02");
  CHECK(days_between(*parse_date("2024-01-01"), *parse_date("2025-01-01")) == 366);
  CHECK(days_between(*parse_date("2023-06-01"), *parse_date("2023-12-01")) == 183);
  CHECK(add_months(*parse_date("2025-08-31"), 6) == *parse_date("2026-02-28"));
  CHECK(add_months(*parse_date("2024-01-01"), 6) == *parse_date("2024-07-01"));
  CHECK(add_months(*parse_date("2024-07-31"), -5) == *parse_date("2024-02-29"));
  for (std::int64_t d : {-1000, 0, 1, 19000, 20513}) CHECK(days_from_civil(civil_from_days(d)) == d);
}

TEST_CASE("Wilson score interval") {
  struct Case {
    int k, n;
    double lo, hi;
  } cases[] = {{5, 6, 0.4364971778, 0.9699466303}, {1, 2, 0.0945312057, 0.9054687943},
               {0, 10, 0.0, 0.2775327999},         {5, 10, 0.2365930905, 0.7634069095},
               {5, 5, 0.5655175352, 1.0},          {2, 3, 0.2076596008, 0.9385080553}};
  for (auto const& c : cases) {
    CAPTURE(c.k);
    CAPTURE(c.n);
    auto p = wilson(c.k, c.n);
    CHECK(*p.p == Approx(double(c.k) / c.n));
    CHECK(*p.lo == Approx(c.lo).epsilon(1e-9));
    CHECK(*p.hi == Approx(c.hi).epsilon(1e-9));
  }
  auto none = wilson(0, 0);
  CHECK_FALSE(none.p);
  CHECK_FALSE(none.lo);
}

TEST_CASE("Kaplan-Meier, Greenwood, log(-log) limits, median") {
  // 45 event, 151 censored, 244 event, 304 event.
  // t=45:  n=4 d=1  S = 3/4                 Σ = 1/(4·3) = 1/12
  // t=244: n=2 d=1  S = 3/4 · 1/2 = 0.375   Σ = 1/12 + 1/(2·1) = 7/12
  // t=304: n=1 d=1  S = 0
  auto c = kaplan_meier({{244, true}, {45, true}, {304, true}, {151, false}});
  REQUIRE(c.steps.size() == 3);
  CHECK(c.n == 4);
  CHECK(c.events == 3);
  CHECK(c.steps[0].survival == Approx(0.75));
  CHECK(c.steps[0].se == Approx(0.75 * std::sqrt(1.0 / 12)));  // 0.21650635
  CHECK(c.steps[0].lo == Approx(0.12794692).epsilon(1e-7));
  CHECK(c.steps[0].hi == Approx(0.96054864).epsilon(1e-7));
  CHECK(c.steps[1].at_risk == 2);
  CHECK(c.steps[1].survival == Approx(0.375));
  CHECK(c.steps[1].se == Approx(0.375 * std::sqrt(7.0 / 12)));  // 0.28641098
  CHECK(c.steps[1].lo == Approx(0.01097112).epsilon(1e-7));
  CHECK(c.steps[1].hi == Approx(0.80800107).epsilon(1e-7));
  CHECK(c.steps[2].survival == 0.0);
  CHECK(*c.median == 244);
  CHECK(*c.median_lo == 45);
  CHECK(*c.median_hi == 304);
  CHECK(c.survival_at(100) == Approx(0.75));
  CHECK(c.survival_at(10) == 1.0);

  // Ties: events before censorings at the same time; never reaching 0.5 → no median.
  auto d = kaplan_meier({{10, true}, {10, false}, {20, false}, {30, false}});
  REQUIRE(d.steps.size() == 1);
  CHECK(d.steps[0].at_risk == 4);
  CHECK(d.steps[0].censored == 1);
  CHECK_FALSE(d.median);
  CHECK(kaplan_meier({}).steps.empty());
}
