// The cohort report (include/actionable/report/cohort.hpp): the batch builder and the HTML and
// JSON back-ends. Figures are inline SVG drawn from the data with axes, units and legends.
#include "actionable/report/cohort.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "report/text.hpp"
#include "util/html.hpp"

namespace actionable::report {

namespace {

// (Names of their own: the unity build of the asan-ci preset puts this file next to html.cpp.)
std::string cesc(std::string_view s) { return util::html_escape(s); }

std::string cnum(double v, int decimals = 1) { return detail::number(v, decimals); }

std::string rate_text(Rate const& r) {
  if (!r.p) return std::to_string(r.k) + " / " + std::to_string(r.n);
  return std::to_string(r.k) + " / " + std::to_string(r.n) + " (" + cnum(*r.p * 100) + " %; 95 % CI " +
         cnum(*r.lo * 100) + "–" + cnum(*r.hi * 100) + ")";
}

std::string option_label(std::string const& o) {
  if (o == "standard_of_care") return "standard of care";
  if (o == "matched_trial") return "matched trial";
  if (o == "precision2") return "PRECISION 2";
  return o;
}

constexpr double kDaysPerMonth = 30.4375;

/// Kaplan–Meier: step line, shaded 95 % band, median line, numbers at risk under the axis.
std::string km_figure(SurvivalCurve const& c, std::string const& id) {
  constexpr double W = 640, L = 56, R = 16, T = 14, PH = 200, B = 34;
  double tmax = 6 * kDaysPerMonth;
  for (auto const& s : c.steps) tmax = std::max(tmax, s.days);
  for (auto const& a : c.at_risk) tmax = std::max(tmax, a.first * kDaysPerMonth);
  int months = static_cast<int>(std::ceil(tmax / kDaysPerMonth / 6.0)) * 6;
  tmax = months * kDaysPerMonth;
  double H = T + PH + B + 18.0 * 2;
  auto x = [&](double d) { return L + (W - L - R) * d / tmax; };
  auto y = [&](double s) { return T + PH * (1 - s); };
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"" + cnum(H, 0) +
                  "\" viewBox=\"0 0 640 " + cnum(H, 0) + "\" role=\"img\" aria-label=\"" + cesc(c.title) + "\" id=\"" +
                  id + "\" class=\"km\"><title>" + cesc(c.title) + "</title>";
  // Band: upper limits forward, lower limits back.
  if (!c.steps.empty()) {
    std::string up = "M" + cnum(x(0), 1) + "," + cnum(y(1), 1), lo;
    double prev_hi = 1, prev_lo = 1;
    std::vector<std::pair<double, double>> lows{{0, 1}};
    for (auto const& st : c.steps) {
      up +=
          " L" + cnum(x(st.days), 1) + "," + cnum(y(prev_hi), 1) + " L" + cnum(x(st.days), 1) + "," + cnum(y(st.hi), 1);
      lows.push_back({st.days, prev_lo});
      lows.push_back({st.days, st.lo});
      prev_hi = st.hi;
      prev_lo = st.lo;
    }
    up += " L" + cnum(x(tmax), 1) + "," + cnum(y(prev_hi), 1) + " L" + cnum(x(tmax), 1) + "," + cnum(y(prev_lo), 1);
    for (auto it = lows.rbegin(); it != lows.rend(); ++it)
      up += " L" + cnum(x(it->first), 1) + "," + cnum(y(it->second), 1);
    s += "<path d=\"" + up + " Z\" fill=\"#9ec5e8\" fill-opacity=\"0.45\" stroke=\"none\"/>";
  }
  s += "<rect x=\"" + cnum(L, 0) + "\" y=\"" + cnum(T, 0) + "\" width=\"" + cnum(W - L - R, 0) + "\" height=\"" +
       cnum(PH, 0) + "\" fill=\"none\" stroke=\"#888\"/>";
  for (int i = 0; i <= 4; ++i) {
    s += "<text x=\"" + cnum(L - 6, 0) + "\" y=\"" + cnum(y(i / 4.0) + 3, 1) + "\" text-anchor=\"end\">" +
         std::to_string(i * 25) + " %</text>";
  }
  int tick = months <= 36 ? 6 : 12;
  for (int m = 0; m <= months; m += tick) {
    s += "<text x=\"" + cnum(x(m * kDaysPerMonth), 1) + "\" y=\"" + cnum(T + PH + 14, 0) +
         "\" text-anchor=\"middle\">" + std::to_string(m) + "</text>";
  }
  s += "<text x=\"" + cnum((L + W - R) / 2, 0) + "\" y=\"" + cnum(T + PH + 28, 0) +
       "\" text-anchor=\"middle\">months</text>";
  std::string d = "M" + cnum(x(0), 1) + "," + cnum(y(1), 1);
  for (auto const& st : c.steps) d += " H" + cnum(x(st.days), 1) + " V" + cnum(y(st.survival), 1);
  d += " H" + cnum(x(tmax), 1);
  s += "<path d=\"" + d + "\" fill=\"none\" stroke=\"#1f4e79\" stroke-width=\"2\"/>";
  if (c.median_days) {
    s += "<line x1=\"" + cnum(L, 0) + "\" y1=\"" + cnum(y(0.5), 1) + "\" x2=\"" + cnum(x(*c.median_days), 1) +
         "\" y2=\"" + cnum(y(0.5), 1) + "\" stroke=\"#a4000f\" stroke-dasharray=\"4 3\"/>";
  }
  // Numbers at risk.
  double ry = T + PH + B + 14;
  s += "<text x=\"4\" y=\"" + cnum(ry, 0) + "\">at risk</text>";
  for (auto const& [m, n] : c.at_risk) {
    if (m > months || m % tick) continue;
    s += "<text x=\"" + cnum(x(m * kDaysPerMonth), 1) + "\" y=\"" + cnum(ry, 0) + "\" text-anchor=\"middle\">" +
         std::to_string(n) + "</text>";
  }
  s += "</svg>";
  std::string cap =
      cesc(c.title) + ": " + std::to_string(c.n) + " patients, " + std::to_string(c.events) + " events; median " +
      (c.median_days ? cnum(*c.median_days / kDaysPerMonth) + " months" +
                           (c.median_lo_days ? " (95 % CI " + cnum(*c.median_lo_days / kDaysPerMonth) + "–" +
                                                   (c.median_hi_days ? cnum(*c.median_hi_days / kDaysPerMonth)
                                                                     : std::string("not reached")) +
                                                   ")"
                                             : std::string())
                     : std::string("not reached")) +
      ". Shaded: 95 % confidence band (log–log); dashed: the median.";
  return "<figure>" + s + "<figcaption>" + cap + "</figcaption></figure>\n";
}

/// Horizontal bars of a rate per row, with the interval as a whisker.
std::string rate_bars(std::vector<Rate> const& rows, std::string const& title, std::string const& id) {
  if (rows.empty()) return "";
  constexpr double W = 640, L = 150, R = 70;
  double h = 22.0 * static_cast<double>(rows.size()) + 30;
  auto x = [&](double p) { return L + (W - L - R) * p; };
  std::string s = "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"" + cnum(h, 0) +
                  "\" viewBox=\"0 0 640 " + cnum(h, 0) + "\" role=\"img\" aria-label=\"" + cesc(title) + "\" id=\"" +
                  id + "\"><title>" + cesc(title) + "</title>";
  double yy = 4;
  for (auto const& r : rows) {
    s += "<text x=\"" + cnum(L - 6, 0) + "\" y=\"" + cnum(yy + 13, 0) + "\" text-anchor=\"end\">" + cesc(r.label) +
         "</text>";
    if (r.p) {
      s += "<rect x=\"" + cnum(L, 0) + "\" y=\"" + cnum(yy + 3, 0) + "\" width=\"" + cnum(x(*r.p) - L, 1) +
           "\" height=\"13\" fill=\"#1f4e79\"/>";
      s += "<line x1=\"" + cnum(x(*r.lo), 1) + "\" y1=\"" + cnum(yy + 9.5, 1) + "\" x2=\"" + cnum(x(*r.hi), 1) +
           "\" y2=\"" + cnum(yy + 9.5, 1) + "\" stroke=\"#f0a202\" stroke-width=\"2\"/>";
    }
    s += "<text x=\"" + cnum(W - R + 4, 0) + "\" y=\"" + cnum(yy + 13, 0) + "\">" + std::to_string(r.k) + "/" +
         std::to_string(r.n) + "</text>";
    yy += 22;
  }
  s += "<line x1=\"" + cnum(L, 0) + "\" y1=\"" + cnum(yy + 2, 0) + "\" x2=\"" + cnum(W - R, 0) + "\" y2=\"" +
       cnum(yy + 2, 0) + "\" stroke=\"#888\"/>";
  for (int i = 0; i <= 4; ++i) {
    s += "<text x=\"" + cnum(x(i / 4.0), 1) + "\" y=\"" + cnum(yy + 16, 0) + "\" text-anchor=\"middle\">" +
         std::to_string(i * 25) + " %</text>";
  }
  return s + "</svg><figcaption>" + cesc(title) + " (bar: rate; orange: 95 % Wilson interval; k/n on the right)." +
         "</figcaption></figure>\n";
}

/// PFS ratio per patient (log scale), with the 1.3 threshold.
std::string pfs_ratio_figure(std::vector<PfsRatioPoint> const& pts, double threshold) {
  std::vector<PfsRatioPoint const*> v;
  for (auto const& p : pts)
    if (p.ratio && *p.ratio > 0) v.push_back(&p);
  if (v.empty()) return "";
  std::sort(v.begin(), v.end(), [](auto* a, auto* b) { return *a->ratio < *b->ratio; });
  constexpr double W = 640, L = 56, R = 16, T = 10, PH = 180;
  double lo = std::min(0.1, *v.front()->ratio), hi = std::max(10.0, *v.back()->ratio);
  auto y = [&](double r) { return T + PH * (std::log(hi) - std::log(r)) / (std::log(hi) - std::log(lo)); };
  double step = (W - L - R) / static_cast<double>(v.size() + 1);
  std::string s = "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"" + cnum(T + PH + 30, 0) +
                  "\" viewBox=\"0 0 640 " + cnum(T + PH + 30, 0) +
                  "\" role=\"img\" aria-label=\"PFS ratio per patient\"><title>PFS ratio per patient</title>";
  s += "<rect x=\"" + cnum(L, 0) + "\" y=\"" + cnum(T, 0) + "\" width=\"" + cnum(W - L - R, 0) + "\" height=\"" +
       cnum(PH, 0) + "\" fill=\"none\" stroke=\"#888\"/>";
  for (double t : {0.1, 0.3, 1.0, 3.0, 10.0}) {
    if (t < lo || t > hi) continue;
    s += "<text x=\"" + cnum(L - 6, 0) + "\" y=\"" + cnum(y(t) + 3, 1) + "\" text-anchor=\"end\">" + cnum(t, 1) +
         "</text>";
  }
  s += "<line x1=\"" + cnum(L, 0) + "\" y1=\"" + cnum(y(threshold), 1) + "\" x2=\"" + cnum(W - R, 0) + "\" y2=\"" +
       cnum(y(threshold), 1) + "\" stroke=\"#a4000f\" stroke-dasharray=\"4 3\"/>";
  double xx = L;
  for (auto* p : v) {
    xx += step;
    bool ok = *p->ratio >= threshold;
    s += "<circle cx=\"" + cnum(xx, 1) + "\" cy=\"" + cnum(y(*p->ratio), 1) + "\" r=\"4\" fill=\"" +
         (p->current_event ? (ok ? "#205e20" : "#a4000f") : "#ffffff") + "\" stroke=\"" + (ok ? "#205e20" : "#a4000f") +
         "\" stroke-width=\"1.5\"/>";
  }
  s += "<text x=\"" + cnum((L + W - R) / 2, 0) + "\" y=\"" + cnum(T + PH + 20, 0) +
       "\" text-anchor=\"middle\">patients, by ratio (log scale)</text></svg>";
  return s + "<figcaption>PFS on the genomics-driven line ÷ PFS on the line before; dashed: " + cnum(threshold, 1) +
         " (Von Hoff); filled: progression observed, open: censored (a lower bound).</figcaption></figure>\n";
}

}  // namespace

Rate wilson_rate(std::string label, std::int64_t k, std::int64_t n, double z) {
  Rate r;
  r.label = std::move(label);
  r.k = k;
  r.n = n;
  if (n <= 0) return r;
  double nn = static_cast<double>(n), p = static_cast<double>(k) / nn, z2 = z * z;
  double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
  double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
  r.p = p;
  r.lo = std::max(0.0, centre - half);
  r.hi = std::min(1.0, centre + half);
  return r;
}

Cohort cohort_from_batch(std::vector<std::pair<model::Patient, Outcome>> const& records, std::string const& scope,
                         std::string const& as_of, std::string const& engine_version) {
  Cohort c;
  c.title = "Cohort report";
  c.scope = scope;
  c.source = "batch";
  c.as_of = as_of;
  c.engine_version = engine_version;
  c.patients = static_cast<std::int64_t>(records.size());
  c.matched = c.patients;
  std::int64_t actionable = 0;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> tumours;  // code → (actionable, n)
  for (auto const& [patient, outcome] : records) {
    bool a = std::any_of(outcome.matches.begin(), outcome.matches.end(), [](Match const& m) {
      return m.cls == OptionClass::kApproved || m.cls == OptionClass::kStandardOfCare ||
             m.cls == OptionClass::kMatchedTrial || m.cls == OptionClass::kPrecision2Candidate;
    });
    actionable += a;
    auto& t = tumours[patient.tumour_code.empty() ? "unknown" : patient.tumour_code];
    t.first += a;
    ++t.second;
    ++c.recommended[std::string(to_string(outcome.pathway.recommended))];
  }
  c.endpoints.push_back(wilson_rate("Patients with an actionable alteration", actionable, c.patients));
  for (auto const& [code, kn] : tumours) c.by_tumour.push_back(wilson_rate(code, kn.first, kn.second));
  std::stable_sort(c.by_tumour.begin(), c.by_tumour.end(), [](Rate const& a, Rate const& b) { return a.n > b.n; });
  c.notes.push_back(
      "Enrolment in genomics-driven trials and PRECISION 2, the clinical benefit rate, the PFS ratio, "
      "survival and follow-up need the registry's treatments and visits: `actionable registry report "
      "--cohort`.");
  return c;
}

std::string render_km_figure(SurvivalCurve const& curve, std::string const& id) { return km_figure(curve, id); }

std::string render_cohort_html(Cohort const& c, Language lang) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"" + std::string(to_string(lang)) +
      "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + cesc(c.title) +
      "</title>\n<style>\nbody{font:11pt \"DejaVu Sans\",Arial,sans-serif;margin:1.5em;color:#1a1a1a;max-width:60em}"
      "h1{font-size:16pt}h2{font-size:13pt;border-bottom:1px solid #ccc;margin-top:1.4em}"
      "table{border-collapse:collapse;margin:.4em 0}th,td{text-align:left;padding:.25em .6em;border-bottom:1px solid "
      "#e3e3e3}"
      "thead th{background:#eef1f5}svg text{font:10px \"DejaVu Sans\",Arial,sans-serif}"
      "figure{margin:.6em 0;page-break-inside:avoid}figcaption{font-size:9pt;color:#333}.note{color:#555}"
      "@page{size:A4;margin:15mm}@media print{body{margin:0}}\n</style>\n</head>\n<body>\n";
  h += "<h1>" + cesc(c.title) + "</h1>\n<table><tbody><tr><th scope=\"row\">Scope</th><td>" + cesc(c.scope) +
       "</td></tr><tr><th scope=\"row\">Source</th><td>" + cesc(c.source) +
       "</td></tr><tr><th scope=\"row\">As of</th><td>" + cesc(c.as_of) +
       "</td></tr><tr><th scope=\"row\">Patients</th><td>" + std::to_string(c.patients) +
       "</td></tr><tr><th scope=\"row\">Matched</th><td>" + std::to_string(c.matched) +
       "</td></tr><tr><th scope=\"row\">Engine</th><td>actionable " + cesc(c.engine_version) +
       "</td></tr></tbody></table>\n";
  h += "<h2>Endpoints</h2>\n<table class=\"endpoints\"><thead><tr><th scope=\"col\">Endpoint</th><th scope=\"col\">"
       "k / n (rate; 95 % Wilson interval)</th></tr></thead><tbody>";
  for (auto const& r : c.endpoints) h += "<tr><td>" + cesc(r.label) + "</td><td>" + cesc(rate_text(r)) + "</td></tr>";
  h += "</tbody></table>\n";
  for (auto const& n : c.notes) h += "<p class=\"note\">" + cesc(n) + "</p>\n";
  if (c.pfs || c.os) {
    h += "<h2>Survival</h2>\n";
    if (c.pfs) h += km_figure(*c.pfs, "km-pfs");
    if (c.os) h += km_figure(*c.os, "km-os");
  }
  h += "<h2>Actionable rate per tumour type</h2>\n" +
       rate_bars(c.by_tumour, "Patients with an actionable alteration, per OncoTree code", "by-tumour");
  h +=
      "<table><thead><tr><th scope=\"col\">Tumour (OncoTree)</th><th scope=\"col\">Actionable</th></tr></thead><tbody>";
  for (auto const& r : c.by_tumour) h += "<tr><td>" + cesc(r.label) + "</td><td>" + cesc(rate_text(r)) + "</td></tr>";
  h += "</tbody></table>\n<h2>Recommended pathway</h2>\n<table><thead><tr><th scope=\"col\">Recommended</th><th "
       "scope=\"col\">Patients</th>";
  std::vector<std::string> received;
  for (auto const& [rec, row] : c.crosstab)
    for (auto const& [got, n] : row) received.push_back(got);
  std::sort(received.begin(), received.end());
  received.erase(std::unique(received.begin(), received.end()), received.end());
  for (auto const& r : received) h += "<th scope=\"col\">received: " + cesc(option_label(r)) + "</th>";
  h += "</tr></thead><tbody>";
  for (auto const& [rec, n] : c.recommended) {
    h += "<tr><td>" + cesc(option_label(rec)) + "</td><td>" + std::to_string(n) + "</td>";
    for (auto const& r : received) {
      auto it = c.crosstab.find(rec);
      std::int64_t v = 0;
      if (it != c.crosstab.end()) {
        auto jt = it->second.find(r);
        if (jt != it->second.end()) v = jt->second;
      }
      h += "<td>" + std::to_string(v) + "</td>";
    }
    h += "</tr>";
  }
  h += "</tbody></table>\n";
  if (!c.pfs_ratio.empty()) {
    h += "<h2>PFS ratio</h2>\n" + pfs_ratio_figure(c.pfs_ratio, c.pfs_ratio_threshold);
    h += "<table><thead><tr><th scope=\"col\">Pseudonym</th><th scope=\"col\">Line</th><th scope=\"col\">PFS before "
         "(days)</th>"
         "<th scope=\"col\">PFS on the line (days)</th><th scope=\"col\">Ratio</th><th "
         "scope=\"col\">Outcome</th></tr></thead><tbody>";
    for (auto const& p : c.pfs_ratio) {
      h += "<tr><td><code>" + cesc(p.pseudonym.substr(0, 12)) + "…</code></td><td>" + std::to_string(p.line) +
           "</td><td>" + cnum(p.previous_days, 0) + "</td><td>" + cnum(p.current_days, 0) +
           (p.current_event ? "" : "+") + "</td><td>" + (p.ratio ? cnum(*p.ratio, 2) : std::string("—")) + "</td><td>" +
           cesc(p.outcome) + "</td></tr>";
    }
    h += "</tbody></table>\n";
  }
  if (!c.follow_up.empty()) {
    h += "<h2>Follow-up completeness</h2>\n" + rate_bars(c.follow_up, "Visits recorded of visits due", "follow-up");
  }
  h += "</body>\n</html>\n";
  return h;
}

std::string render_cohort_json(Cohort const& c) {
  using nlohmann::ordered_json;
  auto rate = [](Rate const& r) {
    ordered_json j{{"label", r.label}, {"k", r.k}, {"n", r.n}};
    j["p"] = r.p ? ordered_json(*r.p) : ordered_json(nullptr);
    j["lo"] = r.lo ? ordered_json(*r.lo) : ordered_json(nullptr);
    j["hi"] = r.hi ? ordered_json(*r.hi) : ordered_json(nullptr);
    return j;
  };
  auto curve = [](SurvivalCurve const& s) {
    ordered_json steps = ordered_json::array();
    for (auto const& st : s.steps) steps.push_back({st.days, st.survival, st.lo, st.hi});
    ordered_json risk = ordered_json::array();
    for (auto const& [m, n] : s.at_risk) risk.push_back({m, n});
    return ordered_json{
        {"title", s.title},   {"n", s.n},
        {"events", s.events}, {"median_days", s.median_days ? ordered_json(*s.median_days) : ordered_json(nullptr)},
        {"steps", steps},     {"at_risk", risk}};
  };
  ordered_json j{{"title", c.title},
                 {"scope", c.scope},
                 {"source", c.source},
                 {"as_of", c.as_of},
                 {"engine_version", c.engine_version},
                 {"patients", c.patients},
                 {"matched", c.matched}};
  j["endpoints"] = ordered_json::array();
  for (auto const& r : c.endpoints) j["endpoints"].push_back(rate(r));
  j["by_tumour"] = ordered_json::array();
  for (auto const& r : c.by_tumour) j["by_tumour"].push_back(rate(r));
  j["recommended"] = c.recommended;
  j["crosstab"] = c.crosstab;
  j["pfs_ratio"] = ordered_json::array();
  for (auto const& p : c.pfs_ratio) {
    j["pfs_ratio"].push_back({{"pseudonym", p.pseudonym},
                              {"line", p.line},
                              {"previous_days", p.previous_days},
                              {"current_days", p.current_days},
                              {"current_event", p.current_event},
                              {"ratio", p.ratio ? ordered_json(*p.ratio) : ordered_json(nullptr)},
                              {"outcome", p.outcome}});
  }
  j["follow_up"] = ordered_json::array();
  for (auto const& r : c.follow_up) j["follow_up"].push_back(rate(r));
  j["pfs"] = c.pfs ? curve(*c.pfs) : ordered_json(nullptr);
  j["os"] = c.os ? curve(*c.os) : ordered_json(nullptr);
  j["notes"] = c.notes;
  return j.dump();
}

}  // namespace actionable::report
