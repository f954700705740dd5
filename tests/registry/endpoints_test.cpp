// Protocol endpoints on a small fixture computed by hand (docs/registry.md, "Endpoints";
// the arithmetic is in the comments). The same fixture is imported through the registry on each
// backend and must give the same figures as the pure computation.
#include "actionable/registry/endpoints.hpp"
#include "support.hpp"

using namespace regtest;
using doctest::Approx;

namespace {

// Six patients of centre BE-A, all included 2024-01-01; as of 2026-01-01.
//   P1 EGFR        rec standard_of_care, received standard_of_care
//        line 1 2023-06-01 → progression 2023-12-01 (183 d), empirical
//        line 2 2024-01-15 → progression 2024-09-15 (244 d), standard_of_care, on label, PR
//        visits 1 (2024-07-01), 2 (2025-01-02), 3 dead 2025-06-15 (OS 531 d, event)
//   P2 BRAF        rec matched_trial, received matched_trial (NCT00000001)
//        line 1 2023-01-01 → 2023-07-01 (181 d); line 2 2024-02-01 → 2024-12-01 (304 d), trial, SD
//        visits 1-4, last 2025-12-20 alive (OS 719 d, censored)
//   P3 BRAF        rec matched_trial, received empirical (reason given)
//        line 1 2024-02-01 empirical; visits 1 (2024-07-05), 3 (2025-07-01) alive (OS 547 d, censored)
//   P4 KRAS        rec precision2, received precision2
//        line 1 2023-03-01 → 2023-06-01 (92 d); line 2 2024-03-01 → 2024-04-15 (45 d), precision2, PD
//        visit 1 dead 2024-06-01 (OS 152 d, event)
//   P5 —           rec empirical, received empirical; visits 1, 2, 3 dead 2025-03-01 (OS 425 d, event)
//   P6 EGFR+BRAF   rec standard_of_care, received matched_trial (reason given)
//        line 1 2023-05-01, ended 2023-10-01 without progression; line 2 2024-02-01 trial, SD, no
//        progression; visit 1 2024-07-01 alive (PFS line 2: 151 d censored; OS 182 d censored)
struct Fixture {
  std::vector<json> records;
  std::vector<DecisionInput> decisions;  // pseudonyms filled at use
  std::vector<std::pair<std::string, FollowUpInput>> visits;
};

json rec(std::string id, std::vector<std::string> genes, json treatments) {
  json r = record(id, "BE-A", std::move(genes));
  r["included"] = "2024-01-01";
  r["treatments"] = std::move(treatments);
  return r;
}

json line(int n, char const* start, char const* prog, char const* basis, char const* best = nullptr,
          json off_label = nullptr, char const* end = nullptr) {
  json t = {{"line", n}, {"drugs", {"drug" + std::to_string(n)}}, {"start", start}};
  if (prog) t["progression"] = prog;
  if (basis) t["basis"] = basis;
  if (best) t["best_response"] = best;
  if (!off_label.is_null()) t["off_label"] = off_label;
  if (end) t["end"] = end;
  return t;
}

Fixture fixture() {
  Fixture f;
  f.records = {
      rec("P1", {"EGFR"},
          {line(1, "2023-06-01", "2023-12-01", "empirical"),
           line(2, "2024-01-15", "2024-09-15", "standard_of_care", "PR", false)}),
      rec("P2", {"BRAF"},
          {line(1, "2023-01-01", "2023-07-01", "empirical"),
           line(2, "2024-02-01", "2024-12-01", "matched_trial", "SD")}),
      // json::array: a one-element braced list is the element itself with clang, an array with gcc.
      rec("P3", {"BRAF"}, json::array({line(1, "2024-02-01", nullptr, "empirical")})),
      rec("P4", {"KRAS"},
          {line(1, "2023-03-01", "2023-06-01", "empirical"), line(2, "2024-03-01", "2024-04-15", "precision2", "PD")}),
      rec("P5", {}, json::array()),
      rec("P6", {"EGFR", "BRAF"},
          {line(1, "2023-05-01", nullptr, "empirical", nullptr, nullptr, "2023-10-01"),
           line(2, "2024-02-01", nullptr, "matched_trial", "SD")}),
  };
  auto dec = [](char const* option, std::optional<std::string> trial, std::optional<std::string> reason) {
    return DecisionInput{"", option, std::move(trial), std::nullopt, "2024-01-10", std::move(reason), std::nullopt};
  };
  f.decisions = {dec("standard_of_care", {}, {}),
                 dec("matched_trial", "NCT00000001", {}),
                 dec("empirical", {}, "patient preference"),
                 dec("precision2", {}, {}),
                 dec("empirical", {}, {}),
                 dec("matched_trial", "NCT00000001", "trial preferred by MTB")};
  auto visit = [](int k, char const* date, char const* vital = "alive", char const* death = nullptr) {
    FollowUpInput v;
    v.visit = k;
    v.date = date;
    v.vital_status = vital;
    if (death) v.death_date = death;
    return v;
  };
  f.visits = {{"P1", visit(1, "2024-07-01")},
              {"P1", visit(2, "2025-01-02")},
              {"P1", visit(3, "2025-07-01", "dead", "2025-06-15")},
              {"P2", visit(1, "2024-07-01")},
              {"P2", visit(2, "2025-01-01")},
              {"P2", visit(3, "2025-07-01")},
              {"P2", visit(4, "2025-12-20")},
              {"P3", visit(1, "2024-07-05")},
              {"P3", visit(3, "2025-07-01")},
              {"P4", visit(1, "2024-06-10", "dead", "2024-06-01")},
              {"P5", visit(1, "2024-07-01")},
              {"P5", visit(2, "2025-01-01")},
              {"P5", visit(3, "2025-03-01", "dead", "2025-03-01")},
              {"P6", visit(1, "2024-07-01")}};
  return f;
}

void check_hand_computed(Endpoints const& e) {
  CHECK(e.patients == 6);
  CHECK(e.matched == 6);
  // Actionable: P1, P2, P3, P4, P6 = 5/6; Wilson: centre (5/6 + 1.92/6)/(1 + 3.84/6) …
  CHECK(e.actionable.k == 5);
  CHECK(e.actionable.n == 6);
  CHECK(*e.actionable.lo == Approx(0.4364971778).epsilon(1e-9));
  CHECK(*e.actionable.hi == Approx(0.9699466303).epsilon(1e-9));
  // Recommended vs received.
  CHECK(e.recommended.at("standard_of_care") == 2);
  CHECK(e.recommended.at("matched_trial") == 2);
  CHECK(e.recommended.at("precision2") == 1);
  CHECK(e.recommended.at("empirical") == 1);
  CHECK(e.received.at("matched_trial") == 2);
  CHECK(e.received.at("empirical") == 2);
  CHECK(e.crosstab.at("standard_of_care").at("matched_trial") == 1);
  CHECK(e.crosstab.at("matched_trial").at("empirical") == 1);
  CHECK(e.followed.k == 4);  // P1, P2, P4, P5
  CHECK(e.followed.n == 6);
  CHECK(*e.followed.lo == Approx(0.2999933151).epsilon(1e-9));
  CHECK(e.decided_trial.k == 2);
  CHECK(e.decided_precision2.k == 1);
  CHECK(e.enrolled_trial.k == 2);  // P2, P6 started a trial line
  CHECK(e.enrolled_trial.n == 6);
  CHECK(*e.enrolled_trial.lo == Approx(0.0967714111).epsilon(1e-9));
  CHECK(e.enrolled_precision2.k == 1);
  CHECK(*e.enrolled_precision2.hi == Approx(0.5635028222).epsilon(1e-9));
  // CBR: genomics-driven lines outside approved indications: P2 (SD 304 d > 182.625 → benefit),
  // P4 (PD → none), P6 (SD, censored at 151 d → pending). 1/2.
  CHECK(e.cbr_sd == 1);
  CHECK(e.cbr_pending == 1);
  CHECK(e.clinical_benefit.k == 1);
  CHECK(e.clinical_benefit.n == 2);
  CHECK(*e.clinical_benefit.lo == Approx(0.0945312057).epsilon(1e-9));
  // PFS ratio: P1 244/183 = 1.3333 success; P2 304/181 = 1.6796 success; P4 45/92 = 0.4891
  // failure; P6 previous line censored → not evaluable. 2/3.
  CHECK(e.pfs_ratio.k == 2);
  CHECK(e.pfs_ratio.n == 3);
  CHECK(e.pfs_ratio_not_evaluable == 1);
  CHECK(e.pfs_ratio_pending == 0);
  CHECK(*e.pfs_ratio.lo == Approx(0.2076596008).epsilon(1e-9));
  std::map<std::string, double> ratios;
  for (auto const& r : e.pfs_ratio_rows)
    if (r.ratio) ratios[r.outcome + std::to_string(r.previous.days)] = *r.ratio;
  CHECK(ratios.at("success183.000000") == Approx(244.0 / 183));
  CHECK(ratios.at("success181.000000") == Approx(304.0 / 181));
  CHECK(ratios.at("failure92.000000") == Approx(45.0 / 92));
  // PFS KM over 45e, 151c, 244e, 304e (see stats_test): median 244 d (45–304).
  CHECK(e.pfs.n == 4);
  REQUIRE(e.pfs.steps.size() == 3);
  CHECK(e.pfs.steps[1].survival == Approx(0.375));
  CHECK(*e.pfs.median == 244);
  CHECK(*e.pfs.median_lo == 45);
  CHECK(*e.pfs.median_hi == 304);
  // OS over 152e, 182c, 425e, 531e, 547c, 719c:
  //   t=152 n=6: S = 5/6;  t=425 n=4: S = 5/6·3/4 = 0.625;  t=531 n=3: S = 0.625·2/3 = 0.41667
  //   Greenwood Σ = 1/30 + 1/12 + 1/6 = 0.28333 → se(531) = 0.41667·√0.28333 = 0.22179
  CHECK(e.os.n == 6);
  CHECK(e.os.events == 3);
  REQUIRE(e.os.steps.size() == 3);
  CHECK(e.os.steps[0].time == 152);
  CHECK(e.os.steps[1].survival == Approx(0.625));
  CHECK(e.os.steps[2].survival == Approx(5.0 / 12));
  CHECK(e.os.steps[2].se == Approx(0.22178777).epsilon(1e-7));
  CHECK(e.os.steps[2].lo == Approx(0.05599186).epsilon(1e-7));
  CHECK(e.os.steps[2].hi == Approx(0.76652222).epsilon(1e-7));
  CHECK(*e.os.median == 531);
  CHECK(*e.os.median_lo == 152);
  CHECK_FALSE(e.os.median_hi);
  // Follow-up completeness (visit k due at 2024-01-01 + 6k months, unless dead by then):
  //   k=1 due P1 P2 P3 P5 P6 (P4 died 2024-06-01): done 5/5
  //   k=2 due the same five: done P1 P2 P5 → 3/5
  //   k=3 due P2 P3 P6 (P1 died 2025-06-15, P5 2025-03-01): done P2 P3 → 2/3
  //   k=4 (2026-01-01) due P2 P3 P6: done P2 → 1/3
  REQUIRE(e.follow_up.size() == 4);
  CHECK(e.follow_up[0].done.k == 5);
  CHECK(e.follow_up[0].done.n == 5);
  CHECK(e.follow_up[1].done.k == 3);
  CHECK(e.follow_up[1].done.n == 5);
  CHECK(*e.follow_up[1].done.lo == Approx(0.2307242813).epsilon(1e-9));
  CHECK(e.follow_up[2].done.k == 2);
  CHECK(e.follow_up[2].done.n == 3);
  CHECK(e.follow_up[3].done.k == 1);
  CHECK(e.follow_up[3].done.n == 3);
  CHECK(*e.follow_up[3].done.hi == Approx(0.7923403992).epsilon(1e-9));
}

EndpointParams params() {
  EndpointParams p;
  p.as_of = *parse_date("2026-01-01");
  return p;
}

}  // namespace

TEST_CASE("endpoints on the hand-computed fixture, through the registry") {
  for_each_backend([](TestDb& t) {
    auto reg = t.fresh();
    Fixture f = fixture();
    // Noise in centre B must not enter centre A's figures.
    auto noise = rec("PB", {"EGFR"}, json::array());
    noise["centre"] = "BE-B";
    std::vector<json> all = f.records;
    all.push_back(noise);
    REQUIRE(import(*reg, all).inserted == 7);
    FakeMatcher m(1);
    REQUIRE(reg->match(m).runs == 7);
    auto key = test_key();
    for (std::size_t i = 0; i < f.decisions.size(); ++i) {
      DecisionInput d = f.decisions[i];
      d.pseudonym = key.pseudonym("BE-A", "P" + std::to_string(i + 1));
      reg->decide(d);
    }
    for (auto& [id, v] : f.visits) {
      v.pseudonym = key.pseudonym("BE-A", id);
      reg->follow_up(v);
    }
    EndpointFilter filter;
    filter.centres = {"BE-A"};
    Endpoints e = compute_endpoints(endpoint_facts(*reg, filter), params());
    check_hand_computed(e);
    // Centre A's own session gives the same figures without a filter.
    auto a = t.open(Scope::of("BE-A"));
    check_hand_computed(compute_endpoints(endpoint_facts(*a, {}), params()));
    // Filters.
    EndpointFilter by_tumour;
    by_tumour.tumours = {"COAD"};
    CHECK(compute_endpoints(endpoint_facts(*reg, by_tumour), params()).patients == 0);
    EndpointFilter period;
    period.from = "2024-01-02";
    CHECK(compute_endpoints(endpoint_facts(*reg, period), params()).patients == 0);
    EndpointFilter rs;
    rs.ruleset = "fake@1.0";
    CHECK(compute_endpoints(endpoint_facts(*reg, rs), params()).matched == 7);
    rs.ruleset = "no-such";
    CHECK_THROWS_AS(endpoint_facts(*reg, rs), Error);
    // Output formats.
    std::string js = endpoints_json(e, filter);
    auto parsed = json::parse(js);
    CHECK(parsed["actionable"]["k"] == 5);
    CHECK(parsed["pfs_ratio"]["success"]["n"] == 3);
    CHECK(parsed["os"]["median_days"] == 531);
    std::string table = endpoints_table(e);
    CHECK(table.find("actionable alteration") != std::string::npos);
    CHECK(table.find("5/6 = 83.3%") != std::string::npos);
  });
}

TEST_CASE("PFS of a line: censoring rules") {
  PatientFacts p;
  p.included = *parse_date("2024-01-01");
  TreatmentFacts l1;
  l1.line = 1;
  l1.start = parse_date("2024-01-01");
  TreatmentFacts l2;
  l2.line = 2;
  l2.start = parse_date("2024-03-01");
  p.treatments = {l1, l2};
  // No progression on line 1: censored at the start of line 2 (60 days).
  auto a = line_pfs(p, p.treatments[0]);
  CHECK_FALSE(a->event);
  CHECK(a->days == 60);
  // A follow-up progression assigned to line 2 ends line 2's PFS.
  VisitFacts v;
  v.visit = 1;
  v.date = *parse_date("2024-07-01");
  v.progression = parse_date("2024-06-01");
  v.line = 2;
  p.visits = {v};
  auto b = line_pfs(p, p.treatments[1]);
  CHECK(b->event);
  CHECK(b->days == 92);
  // Death before progression is an event.
  p.visits[0].progression.reset();
  p.visits[0].vital_status = "dead";
  p.visits[0].death = parse_date("2024-04-01");
  auto c = line_pfs(p, p.treatments[1]);
  CHECK(c->event);
  CHECK(c->days == 31);
  // PFS ratio: a censored current line already past 1.3 × previous counts as a success;
  // below it, pending.
  PatientFacts q;
  q.pseudonym = "q";
  q.included = *parse_date("2024-01-01");
  TreatmentFacts prev;
  prev.line = 1;
  prev.start = parse_date("2023-01-01");
  prev.progression = parse_date("2023-04-11");  // 100 days
  TreatmentFacts cur;
  cur.line = 2;
  cur.start = parse_date("2024-01-01");
  cur.basis = "matched_trial";
  q.treatments = {prev, cur};
  VisitFacts last;
  last.visit = 1;
  last.date = *parse_date("2024-05-10");  // 130 days
  q.visits = {last};
  auto e = compute_endpoints({q}, params());
  REQUIRE(e.pfs_ratio_rows.size() == 1);
  CHECK(e.pfs_ratio_rows[0].outcome == "success");
  CHECK(e.pfs_ratio.k == 1);
  q.visits[0].date = *parse_date("2024-05-09");  // 129 days: not yet 1.3 × 100
  e = compute_endpoints({q}, params());
  CHECK(e.pfs_ratio_rows[0].outcome == "pending");
  CHECK(e.pfs_ratio_pending == 1);
  CHECK(e.pfs_ratio.n == 0);
}
