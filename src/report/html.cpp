// The report's HTML back-end: one self-contained file — inline CSS and SVG figures, no script,
// no network access (links are plain anchors), a print stylesheet for A4 with the pseudonym and
// date in a running header. Every text is HTML-escaped: record and rule text never becomes markup.
#include <algorithm>
#include <cstdio>
#include <map>

#include "actionable/report/report.hpp"
#include "report/text.hpp"
#include "util/html.hpp"

namespace actionable::report {

namespace {

std::string esc(std::string_view s) { return util::html_escape(s); }

std::string num(double v, int decimals = 2) { return detail::number(v, decimals); }

char const* kStyle = R"(
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:10pt;color:#1a1a1a;margin:1.5em auto;max-width:60em;padding:0 1em}
h1{font-size:16pt;margin:.2em 0}h2{font-size:12.5pt;border-bottom:1px solid #999;margin:1.2em 0 .4em;padding-bottom:.1em}
table{border-collapse:collapse;width:100%;margin:.3em 0}th,td{border:1px solid #bbb;padding:.25em .4em;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}td.num{text-align:right}.muted{color:#555}.small{font-size:8.5pt}
.intended{border-left:4px solid #4a6fa5;background:#f3f6fb;padding:.4em .6em;margin:.6em 0}
.provisional{border:2px solid #b3261e;background:#fdecea;padding:.4em .6em;font-weight:600}
.germline{border:2px solid #7a4ea3;background:#f6f0fb;padding:.2em .6em .6em;margin:.6em 0}
.pathway{font-size:12pt;font-weight:600}.cls{white-space:nowrap}
dl.header{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:.1em .8em;margin:.4em 0}
dl.header dt{font-weight:600}dl.header dd{margin:0}
figure{margin:.6em 0;page-break-inside:avoid}svg text{font:9px "DejaVu Sans",Arial,sans-serif}figcaption{font-size:9pt;color:#333}
.running{display:none}
@page{size:A4;margin:16mm 14mm 18mm}
@media print{body{max-width:none;margin:0;padding:0;font-size:9pt}.running{display:block;position:fixed;top:-10mm;right:0;font-size:8pt;color:#555}
tr,figure,.germline{page-break-inside:avoid}thead{display:table-header-group}a{color:inherit;text-decoration:none}}
)";

struct Html {
  std::string s;
  Language lang;
  std::string L(std::string_view key) const { return esc(label(lang, key)); }
  void h2(std::string_view id, std::string_view key) {
    s += "<h2 id=\"" + std::string(id) + "\">" + L(key) + "</h2>\n";
  }
  void table(std::vector<std::string_view> const& keys) {
    s += "<table><thead><tr>";
    for (auto k : keys) s += "<th>" + L(k) + "</th>";
    s += "</tr></thead><tbody>\n";
  }
  void end_table() { s += "</tbody></table>\n"; }
  void none() { s += "<p class=\"muted\">" + L("none") + "</p>\n"; }
};

std::string cites_html(std::vector<Citation> const& cs) {
  std::string out;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    if (i) out += ", ";
    if (cs[i].href.empty())
      out += esc(cs[i].text);
    else
      out += "<a href=\"" + esc(cs[i].href) + "\">" + esc(cs[i].text) + "</a>";
  }
  return out;
}

std::string list_html(std::vector<std::string> const& v, char const* sep = "<br>") {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + esc(v[i]);
  return out;
}

/// Finding → option diagram: findings on the left, options on the right, a line for each
/// finding that drives an option.
std::string figure_links(Document const& d) {
  std::vector<std::string> fs;  // the findings that drive something (normalised text)
  for (auto const& o : d.options)
    for (auto const& f : o.findings)
      if (std::find(fs.begin(), fs.end(), f) == fs.end()) fs.push_back(f);
  if (fs.empty() || d.options.empty()) return {};
  int row = 22, top = 16;
  int n = static_cast<int>(std::max(fs.size(), d.options.size()));
  int height = top + n * row + 8;
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"" + std::to_string(height) +
                  "\" viewBox=\"0 0 640 " + std::to_string(height) + "\" role=\"img\" aria-label=\"" +
                  esc(label(d.lang, "fig.finding_option")) + "\">";
  auto fy = [&](std::size_t i) { return top + static_cast<int>(i) * row + row / 2; };
  for (std::size_t j = 0; j < d.options.size(); ++j)
    for (auto const& f : d.options[j].findings) {
      auto i = static_cast<std::size_t>(std::find(fs.begin(), fs.end(), f) - fs.begin());
      s += "<line x1=\"230\" y1=\"" + std::to_string(fy(i)) + "\" x2=\"390\" y2=\"" + std::to_string(fy(j)) +
           "\" stroke=\"#4a6fa5\" stroke-width=\"1.5\"/>";
    }
  for (std::size_t i = 0; i < fs.size(); ++i)
    s += "<rect x=\"4\" y=\"" + std::to_string(fy(i) - 8) +
         "\" width=\"226\" height=\"16\" fill=\"#eef1f5\" stroke=\"#999\"/>"
         "<text x=\"8\" y=\"" +
         std::to_string(fy(i) + 4) + "\">" + esc(fs[i].substr(0, 40)) + "</text>";
  for (std::size_t j = 0; j < d.options.size(); ++j) {
    auto const& o = d.options[j];
    std::string t = std::string(label(d.lang, "class." + std::string(to_string(o.cls)))) + ": " + o.therapy;
    s += "<rect x=\"390\" y=\"" + std::to_string(fy(j) - 8) +
         "\" width=\"246\" height=\"16\" fill=\"#f3f6fb\" stroke=\"#4a6fa5\"/>"
         "<text x=\"394\" y=\"" +
         std::to_string(fy(j) + 4) + "\">" + esc(t.substr(0, 44)) + "</text>";
  }
  s += "</svg>";
  return s;
}

/// VAF per finding: one horizontal bar per finding with a VAF, axis 0–100 %.
std::string figure_vaf(Document const& d) {
  std::vector<FindingRow const*> rows;
  for (auto const* list : {&d.findings, &d.germline})
    for (auto const& f : *list)
      if (f.vaf) rows.push_back(&f);
  if (rows.empty()) return {};
  if (rows.size() > 40) rows.resize(40);  // the table lists them all; the figure stays readable
  int row = 14, left = 170, width = 400, top = 8;
  int height = top + static_cast<int>(rows.size()) * row + 30;
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"" + std::to_string(height) +
                  "\" viewBox=\"0 0 640 " + std::to_string(height) + "\" role=\"img\" aria-label=\"" +
                  esc(label(d.lang, "fig.vaf")) + "\">";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    int y = top + static_cast<int>(i) * row;
    double v = std::clamp(*rows[i]->vaf, 0.0, 1.0);
    s += "<text x=\"" + std::to_string(left - 4) + "\" y=\"" + std::to_string(y + 10) + "\" text-anchor=\"end\">" +
         esc((rows[i]->gene + " " + rows[i]->alteration).substr(0, 34)) + "</text>";
    s += "<rect x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(y + 2) + "\" width=\"" + num(v * width, 1) +
         "\" height=\"10\" fill=\"" + (rows[i]->origin == "germline" ? "#7a4ea3" : "#4a6fa5") + "\"/>";
    s += "<text x=\"" + num(left + v * width + 3, 1) + "\" y=\"" + std::to_string(y + 10) + "\">" + num(v * 100, 1) +
         " %</text>";
  }
  int axis = top + static_cast<int>(rows.size()) * row + 4;
  s += "<line x1=\"" + std::to_string(left) + "\" y1=\"" + std::to_string(axis) + "\" x2=\"" +
       std::to_string(left + width) + "\" y2=\"" + std::to_string(axis) + "\" stroke=\"#333\"/>";
  for (int k = 0; k <= 4; ++k) {
    int x = left + k * width / 4;
    s += "<line x1=\"" + std::to_string(x) + "\" y1=\"" + std::to_string(axis) + "\" x2=\"" + std::to_string(x) +
         "\" y2=\"" + std::to_string(axis + 4) + "\" stroke=\"#333\"/><text x=\"" + std::to_string(x) + "\" y=\"" +
         std::to_string(axis + 14) + "\" text-anchor=\"middle\">" + std::to_string(k * 25) + " %</text>";
  }
  s += "</svg>";
  return s;
}

/// Days since 1970-01-01 of "YYYY-MM-DD"; -1 when not a date.
long days(std::string const& d) {
  int y, m, dd;
  if (d.size() < 10 || std::sscanf(d.c_str(), "%4d-%2d-%2d", &y, &m, &dd) != 3) return -1;
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/// Treatment timeline: one bar per line from start to end (open bars to the last date),
/// a red mark at progression.
std::string figure_timeline(Document const& d) {
  long lo = -1, hi = -1;
  for (auto const& t : d.treatments)
    for (auto const* x : {&t.start, &t.end, &t.progression}) {
      long v = days(*x);
      if (v < 0) continue;
      lo = lo < 0 ? v : std::min(lo, v);
      hi = std::max(hi, v);
    }
  if (lo < 0 || hi <= lo) return {};
  int left = 170, width = 420, row = 18, top = 8;
  int height = top + static_cast<int>(d.treatments.size()) * row + 30;
  auto x = [&](long v) { return left + static_cast<double>(v - lo) * width / static_cast<double>(hi - lo); };
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"" + std::to_string(height) +
                  "\" viewBox=\"0 0 640 " + std::to_string(height) + "\" role=\"img\" aria-label=\"" +
                  esc(label(d.lang, "fig.timeline")) + "\">";
  for (std::size_t i = 0; i < d.treatments.size(); ++i) {
    auto const& t = d.treatments[i];
    int y = top + static_cast<int>(i) * row;
    long a = days(t.start), b = days(t.end);
    std::string name = (t.line ? "L" + std::to_string(*t.line) + " " : std::string()) + t.drugs;
    s += "<text x=\"" + std::to_string(left - 4) + "\" y=\"" + std::to_string(y + 11) + "\" text-anchor=\"end\">" +
         esc(name.substr(0, 34)) + "</text>";
    if (a >= 0) {
      double x0 = x(a), x1 = x(b >= 0 ? b : hi);
      s += "<rect x=\"" + num(x0, 1) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
           num(std::max(2.0, x1 - x0), 1) + "\" height=\"10\" fill=\"#4a6fa5\"" +
           (b < 0 ? " fill-opacity=\"0.5\"" : "") + "/>";
      if (!t.best_response.empty())
        s += "<text x=\"" + num(x1 + 3, 1) + "\" y=\"" + std::to_string(y + 11) + "\">" + esc(t.best_response) +
             "</text>";
    }
    if (long pr = days(t.progression); pr >= 0)
      s += "<rect x=\"" + num(x(pr) - 1.5, 1) + "\" y=\"" + std::to_string(y + 1) +
           "\" width=\"3\" height=\"14\" fill=\"#b3261e\"/>";
  }
  int axis = top + static_cast<int>(d.treatments.size()) * row + 4;
  s += "<line x1=\"" + std::to_string(left) + "\" y1=\"" + std::to_string(axis) + "\" x2=\"" +
       std::to_string(left + width) + "\" y2=\"" + std::to_string(axis) + "\" stroke=\"#333\"/>";
  auto date_of = [&](double frac) {
    long v = lo + static_cast<long>(frac * static_cast<double>(hi - lo));
    for (auto const& t : d.treatments)
      for (auto const* xd : {&t.start, &t.end, &t.progression})
        if (days(*xd) == v) return *xd;
    return std::string();
  };
  s +=
      "<text x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(axis + 14) + "\">" + esc(date_of(0)) + "</text>";
  s += "<text x=\"" + std::to_string(left + width) + "\" y=\"" + std::to_string(axis + 14) + "\" text-anchor=\"end\">" +
       esc(date_of(1)) + "</text></svg>";
  return s;
}

void findings_table(Html& h, std::vector<FindingRow> const& rows) {
  h.table({"col.gene", "col.alteration", "col.origin", "col.vaf", "col.method", "col.drives"});
  for (auto const& f : rows) {
    std::string alt = esc(f.alteration);
    if (f.alteration3 != f.alteration) alt += "<br><span class=\"small muted\">" + esc(f.alteration3) + "</span>";
    h.s += "<tr><td>" + esc(f.gene) + "</td><td>" + alt + "</td><td>" + esc(f.origin) + "</td><td class=\"num\">" +
           (f.vaf ? num(*f.vaf * 100, 1) + " %" : "") + "</td><td>" + esc(f.method) + "</td><td>" +
           list_html(f.drives) + "</td></tr>\n";
  }
  h.end_table();
}

}  // namespace

std::string render_html(Document const& d) {
  Html h{{}, d.lang};
  auto const& hd = d.header;
  h.s += "<!DOCTYPE html>\n<html lang=\"" + std::string(to_string(d.lang)) +
         "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + h.L("title") + " — " + esc(hd.pseudonym) +
         "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  h.s += "<div class=\"running\">" + esc(hd.pseudonym) + " · " + esc(hd.report_date) + "</div>\n";
  h.s += "<h1>" + h.L("title") + "</h1>\n<dl class=\"header\" id=\"header\">\n";
  auto field = [&](std::string_view key, std::string const& value) {
    h.s += "<dt>" + h.L(key) + "</dt><dd>" + (value.empty() ? "—" : esc(value)) + "</dd>\n";
  };
  field("header.pseudonym", hd.pseudonym);
  field("header.centre", hd.centre);
  field("header.tumour", hd.tumour_code + (hd.tumour_name.empty() ? "" : " — " + hd.tumour_name));
  field("header.stage", hd.stage);
  field("header.age", hd.age ? num(*hd.age, 1) : "");
  field("header.sex", hd.sex);
  field("header.ecog", hd.ecog ? num(*hd.ecog, 0) : "");
  field("header.lines", hd.lines ? num(*hd.lines, 0) : "");
  field("header.report_date", hd.report_date);
  field("header.engine", hd.engine_version.empty() ? "actionable" : "actionable " + hd.engine_version);
  field("header.ruleset", hd.ruleset_label + " (sha256 " + hd.ruleset.sha256.substr(0, 12) + "…)");
  field("header.references", "OncoTree " + hd.oncotree_version + ", HGNC " + hd.hgnc_version);
  h.s += "</dl>\n";
  if (!hd.tumour_path.empty()) h.s += "<p class=\"small muted\">" + esc(hd.tumour_path) + "</p>\n";
  h.s += "<p class=\"intended\">" + esc(hd.intended_use) + "</p>\n";
  // Summary.
  auto const& s = d.summary;
  h.h2("summary", "section.summary");
  if (s.provisional) {
    h.s += "<div class=\"provisional\">" + h.L("summary.provisional");
    if (!s.input_issues.empty()) h.s += "<ul class=\"small\">";
    for (auto const& i : s.input_issues) h.s += "<li>" + esc(i) + "</li>";
    if (!s.input_issues.empty()) h.s += "</ul>";
    h.s += "</div>\n";
  }
  h.s += "<p class=\"pathway\" id=\"recommended\" data-pathway=\"" + std::string(to_string(s.recommended)) + "\">" +
         h.L("summary.recommended") + ": " + h.L("pathway." + std::string(to_string(s.recommended))) + "</p>\n";
  h.s += "<p>" + esc(s.why) + "</p>\n";
  if (!s.groups.empty()) {
    h.s += "<p><strong>" + h.L("summary.options_found") + "</strong></p><ul>\n";
    for (auto const& g : s.groups)
      h.s += "<li><span class=\"cls\">" + h.L("class." + std::string(to_string(g.cls))) +
             "</span>: " + list_html(g.therapies, ", ") + "</li>\n";
    h.s += "</ul>\n";
  }
  // Options.
  h.h2("options", "section.options");
  if (d.options.empty())
    h.none();
  else {
    h.table({"col.class", "col.therapy", "col.level", "col.findings", "col.citations", "col.rule"});
    for (auto const& o : d.options) {
      std::string extra;
      if (!o.phase.empty()) extra += "<br><span class=\"small\">" + h.L("phase") + " " + esc(o.phase) + "</span>";
      if (!o.availability.empty()) extra += "<br><span class=\"small avail\">" + esc(o.availability) + "</span>";
      if (!o.sites.empty())
        extra += "<br><span class=\"small\">" + h.L("col.sites") + ": " + list_html(o.sites, ", ") + "</span>";
      if (!o.eligibility.empty()) extra += "<br><span class=\"small\">" + esc(o.eligibility) + "</span>";
      h.s += "<tr><td class=\"cls\">" + h.L("class." + std::string(to_string(o.cls))) + "</td><td>" + esc(o.therapy) +
             extra + "</td><td>" + esc(o.level) + "</td><td>" + list_html(o.findings) + "</td><td>" +
             cites_html(o.cites) + "</td><td class=\"small\">" + esc(o.criterion) + "<br>" + esc(o.source) +
             "</td></tr>\n";
    }
    h.end_table();
  }
  // Evidence (class evidence): literature and knowledge bases, never an option.
  if (!d.evidence.empty()) {
    h.h2("evidence", "section.evidence");
    h.s += "<p class=\"small\">" + h.L("evidence.note") + "</p>\n";
    h.table({"col.direction", "col.therapy", "col.level", "col.findings", "col.citations", "col.rule"});
    for (auto const& o : d.evidence)
      h.s += "<tr><td class=\"cls\">" + h.L((o.supports ? "direction." : "direction.not.") + o.direction) +
             "</td><td>" + esc(o.therapy) + "</td><td>" + esc(o.level) + "</td><td>" + list_html(o.findings) +
             "</td><td>" + cites_html(o.cites) + "</td><td class=\"small\">" + esc(o.criterion) + "<br>" +
             esc(o.source) + "</td></tr>\n";
    h.end_table();
  }
  // Tests that would decide more.
  h.h2("tests-to-order", "section.tests_to_order");
  if (d.tests_to_order.empty())
    h.none();
  else {
    h.s += "<ul>\n";
    for (auto const& t : d.tests_to_order)
      h.s += "<li class=\"missing-test\"><strong>" + h.L("order") + " " + esc(t.test) +
             "</strong>: " + std::to_string(t.options.size()) + " " +
             h.L(t.options.size() == 1 ? "depends_one" : "depends") + "<br><span class=\"small\">" +
             list_html(t.options, "; ") + "</span></li>\n";
    h.s += "</ul>\n";
  }
  if (!d.suppressed.empty()) {
    h.h2("suppressed", "section.suppressed");
    h.table({"col.rule", "col.therapy", "col.by"});
    for (auto const& x : d.suppressed)
      h.s += "<tr><td>" + esc(x.criterion) + "</td><td>" + esc(x.therapy) + "</td><td>" + esc(x.by) + "</td></tr>\n";
    h.end_table();
  }
  if (!d.off_label.empty()) {
    h.h2("off-label", "section.off_label");
    h.table({"col.therapy", "col.approved_in", "col.findings", "col.level", "col.citations", "col.rule"});
    for (auto const& x : d.off_label)
      h.s += "<tr><td>" + esc(x.therapy) + "</td><td>" + list_html(x.approved_in, ", ") + "</td><td>" +
             list_html(x.findings) + "</td><td>" + esc(x.level) + "</td><td>" + cites_html(x.cites) +
             "</td><td class=\"small\">" + esc(x.criterion) + "</td></tr>\n";
    h.end_table();
  }
  if (!d.near_misses.empty()) {
    h.h2("near-misses", "section.near_misses");
    h.table({"col.rule", "col.reason"});
    for (auto const& x : d.near_misses)
      h.s += "<tr><td>" + esc(x.criterion) + "</td><td>" + esc(x.reason) + "</td></tr>\n";
    h.end_table();
  }
  // Findings; germline in its own box.
  h.h2("findings", "section.findings");
  if (d.findings.empty())
    h.none();
  else
    findings_table(h, d.findings);
  if (!d.germline.empty()) {
    h.s += "<div class=\"germline\" id=\"germline\"><h2>" + h.L("section.germline") + "</h2>\n<p>" +
           h.L("germline.counselling") + "</p>\n";
    findings_table(h, d.germline);
    h.s += "</div>\n";
  }
  if (!d.unresolved.empty()) {
    h.h2("unresolved", "section.unresolved");
    h.s += "<ul>";
    for (auto const& u : d.unresolved)
      h.s += "<li>#" + std::to_string(u.finding) + " " + esc(u.field) + ": " + esc(u.symbol) + "</li>";
    h.s += "</ul>\n";
  }
  h.h2("tests", "section.tests");
  if (d.tests.empty())
    h.s += "<p class=\"muted\">" + h.L("coverage.assumed") + "</p>\n";
  else {
    h.table({"col.what", "col.origin", "col.method", "col.panel"});
    for (auto const& t : d.tests)
      h.s += "<tr><td>" + esc(t.what) + "</td><td>" + esc(t.origin) + "</td><td>" + esc(t.method) + "</td><td>" +
             esc(t.panel) + "</td></tr>\n";
    h.end_table();
  }
  if (!d.treatments.empty()) {
    h.h2("treatments", "section.treatments");
    h.table({"col.line", "col.drugs", "col.start", "col.end", "col.response", "col.progression"});
    for (auto const& t : d.treatments)
      h.s += "<tr><td>" + (t.line ? std::to_string(*t.line) : std::string()) + "</td><td>" + esc(t.drugs) +
             "</td><td>" + esc(t.start) + "</td><td>" + esc(t.end) + "</td><td>" + esc(t.best_response) + "</td><td>" +
             esc(t.progression) + "</td></tr>\n";
    h.end_table();
  }
  // Figures.
  auto f1 = figure_links(d), f2 = figure_vaf(d), f3 = figure_timeline(d);
  if (!f1.empty() || !f2.empty() || !f3.empty()) {
    h.h2("figures", "section.figures");
    if (!f1.empty()) h.s += "<figure>" + f1 + "<figcaption>" + h.L("fig.finding_option") + "</figcaption></figure>\n";
    if (!f2.empty()) h.s += "<figure>" + f2 + "<figcaption>" + h.L("fig.vaf") + "</figcaption></figure>\n";
    if (!f3.empty()) h.s += "<figure>" + f3 + "<figcaption>" + h.L("fig.timeline") + "</figcaption></figure>\n";
  }
  h.s += "</body>\n</html>\n";
  return h.s;
}

std::string render_index_html(std::vector<IndexEntry> const& entries, Options const& options) {
  Html h{{}, options.lang};
  h.s += "<!DOCTYPE html>\n<html lang=\"" + std::string(to_string(options.lang)) +
         "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + h.L("index.title") + "</title>\n<style>" + kStyle +
         "</style>\n</head>\n<body>\n<h1>" + h.L("index.title") + "</h1>\n";
  h.table({"header.pseudonym", "header.tumour", "summary.recommended", "section.options"});
  for (auto const& e : entries)
    h.s += "<tr><td><a href=\"" + esc(e.file) + "\">" + esc(e.pseudonym) + "</a></td><td>" + esc(e.tumour) +
           "</td><td>" + h.L("pathway." + std::string(to_string(e.recommended))) + "</td><td class=\"num\">" +
           std::to_string(e.options) + "</td></tr>\n";
  h.end_table();
  h.s += "</body>\n</html>\n";
  return h.s;
}

}  // namespace actionable::report
