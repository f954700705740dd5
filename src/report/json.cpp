// The report's JSON back-end: the document model itself (`actionable report --format json`),
// for registry software that renders its own. Keys follow report.hpp's member names.
#include <nlohmann/json.hpp>

#include "actionable/report/report.hpp"

namespace actionable::report {

namespace {

using nlohmann::ordered_json;

ordered_json opt_num(std::optional<double> v) { return v ? ordered_json(*v) : ordered_json(nullptr); }

ordered_json cites_json(std::vector<Citation> const& cs) {
  ordered_json a = ordered_json::array();
  for (auto const& c : cs) {
    ordered_json e = {{"text", c.text}};
    if (!c.href.empty()) e["href"] = c.href;
    a.push_back(std::move(e));
  }
  return a;
}

// The report's JSON: one object per row or section with its members in the documented order
// (docs/report.md); alike in shape only, like the header below and registry's km_json.
ordered_json findings_json(std::vector<FindingRow> const& rows) {
  ordered_json a = ordered_json::array();
  for (auto const& f : rows)
    a.push_back({{"index", f.index},
                 {"gene", f.gene},
                 {"alteration", f.alteration},
                 {"alteration3", f.alteration3},
                 {"type", f.type},
                 {"origin", f.origin},
                 {"method", f.method},
                 {"classification", f.classification},
                 {"vaf", opt_num(f.vaf)},
                 {"drives", f.drives},
                 {"unresolved", f.unresolved}});
  return a;
}

}  // namespace

std::string render_json(Document const& d) {
  ordered_json j;
  j["lang"] = std::string(to_string(d.lang));
  auto const& h = d.header;
  j["header"] = {{"pseudonym", h.pseudonym},
                 {"centre", h.centre},
                 {"tumour_code", h.tumour_code},
                 {"tumour_name", h.tumour_name},
                 {"tumour_path", h.tumour_path},
                 {"stage", h.stage},
                 {"age", opt_num(h.age)},
                 {"sex", h.sex},
                 {"ecog", opt_num(h.ecog)},
                 {"lines", opt_num(h.lines)},
                 {"report_date", h.report_date},
                 {"engine_version", h.engine_version},
                 {"ruleset", {{"name", h.ruleset.name}, {"version", h.ruleset.version}, {"sha256", h.ruleset.sha256}}},
                 {"oncotree_version", h.oncotree_version},
                 {"hgnc_version", h.hgnc_version},
                 {"intended_use", h.intended_use}};
  auto const& s = d.summary;
  ordered_json options = ordered_json::array();
  for (auto o : s.options) options.push_back(std::string(to_string(o)));
  ordered_json groups = ordered_json::array();
  for (auto const& g : s.groups)
    groups.push_back({{"class", std::string(to_string(g.cls))}, {"therapies", g.therapies}});
  j["summary"] = {{"recommended", std::string(to_string(s.recommended))},
                  {"options", options},
                  {"why", s.why},
                  {"groups", groups},
                  {"provisional", s.provisional},
                  {"input_issues", s.input_issues}};
  ordered_json rows = ordered_json::array();
  for (auto const& o : d.options) {
    ordered_json row{{"class", std::string(to_string(o.cls))},
                     {"therapy", o.therapy},
                     {"level", o.level},
                     {"findings", o.findings},
                     {"cites", cites_json(o.cites)},
                     {"criterion", o.criterion},
                     {"source", o.source},
                     {"sites", o.sites}};
    // Only for trials that state them: reports of other trials keep their bytes.
    if (!o.phase.empty()) row["phase"] = o.phase;
    if (!o.availability.empty()) row["availability"] = o.availability;
    row["eligibility"] = o.eligibility;
    row["because"] = o.because;
    rows.push_back(std::move(row));
  }
  j["options"] = std::move(rows);
  if (!d.evidence.empty()) {  // only when present: reports without evidence keep their bytes
    ordered_json ev = ordered_json::array();
    for (auto const& o : d.evidence) {
      ordered_json e = {{"class", std::string(to_string(o.cls))}, {"direction", o.direction}};
      if (!o.supports) e["supports"] = false;  // only when negative: `direction not …`
      e["therapy"] = o.therapy;
      e["level"] = o.level;
      e["findings"] = o.findings;
      e["cites"] = cites_json(o.cites);
      e["criterion"] = o.criterion;
      e["source"] = o.source;
      e["because"] = o.because;
      ev.push_back(std::move(e));
    }
    j["evidence"] = std::move(ev);
  }
  ordered_json tests = ordered_json::array();
  for (auto const& t : d.tests_to_order) tests.push_back({{"test", t.test}, {"options", t.options}});
  j["tests_to_order"] = std::move(tests);
  ordered_json sup = ordered_json::array();
  for (auto const& x : d.suppressed) sup.push_back({{"criterion", x.criterion}, {"therapy", x.therapy}, {"by", x.by}});
  j["suppressed"] = std::move(sup);
  ordered_json off = ordered_json::array();
  for (auto const& x : d.off_label)
    off.push_back({{"therapy", x.therapy},
                   {"criterion", x.criterion},
                   {"level", x.level},
                   {"approved_in", x.approved_in},
                   {"findings", x.findings},
                   {"cites", cites_json(x.cites)}});
  j["off_label"] = std::move(off);
  ordered_json near = ordered_json::array();
  for (auto const& x : d.near_misses) near.push_back({{"criterion", x.criterion}, {"reason", x.reason}});
  j["near_misses"] = std::move(near);
  j["findings"] = findings_json(d.findings);
  j["germline"] = findings_json(d.germline);
  ordered_json tr = ordered_json::array();
  for (auto const& t : d.tests)
    tr.push_back(
        {{"what", t.what}, {"origin", t.origin}, {"method", t.method}, {"specimen", t.specimen}, {"panel", t.panel}});
  j["tests"] = std::move(tr);
  ordered_json tx = ordered_json::array();
  for (auto const& t : d.treatments)
    tx.push_back({{"line", t.line ? ordered_json(*t.line) : ordered_json(nullptr)},
                  {"drugs", t.drugs},
                  {"start", t.start},
                  {"end", t.end},
                  {"best_response", t.best_response},
                  {"progression", t.progression}});
  j["treatments"] = std::move(tx);
  ordered_json un = ordered_json::array();
  for (auto const& u : d.unresolved) un.push_back({{"finding", u.finding}, {"field", u.field}, {"symbol", u.symbol}});
  j["unresolved"] = std::move(un);
  return j.dump();
}

}  // namespace actionable::report
