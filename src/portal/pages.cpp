// The portal's pages (docs/portal.md, "Pages"): patients of my centre, the patient page with
// the tumour-board report, follow-up and decision forms, the endpoints dashboard, exports, the
// audit log and the admin pages. Every query is limited by the registry's scope clause, and on
// PostgreSQL by row-level security under the centre's role as well.
#include <algorithm>
#include <cmath>
#include <ctime>
#include <nlohmann/json.hpp>
#include <sstream>

#include "actionable/io/json.hpp"
#include "actionable/registry/endpoints.hpp"
#include "portal/internal.hpp"

namespace actionable::portal {

using namespace detail;
using registry::Date;
using registry::Error;
using registry::ErrorCode;
using registry::Row;
using registry::Rows;
using registry::Transaction;
using registry::Value;
using nlohmann::json;

namespace {

std::string today_of(std::int64_t now) {
  std::time_t t = static_cast<std::time_t>(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string label_of(std::string const& option) {
  if (option == "standard_of_care") return "standard of care";
  if (option == "matched_trial") return "matched trial";
  if (option == "precision2") return "PRECISION 2";
  if (option == "empirical") return "empirical";
  return option;
}

std::string select(std::string const& name, std::string const& id, std::vector<std::pair<std::string, std::string>> const& opts,
                   std::string const& current, std::string const& extra = "") {
  std::string h = "<select id=\"" + esc(id) + "\" name=\"" + esc(name) + "\"" + extra + ">";
  for (auto const& [v, l] : opts) {
    h += "<option value=\"" + esc(v) + "\"" + (v == current ? " selected" : "") + ">" + esc(l) + "</option>";
  }
  return h + "</select>";
}

std::string field_error(FieldErrors const& errors, std::string const& field) {
  auto it = errors.find(field);
  if (it == errors.end()) return "";
  return "<span class=\"field-error\" id=\"" + esc(field) + "-error\">" + esc(it->second) + "</span>";
}

std::string described(FieldErrors const& errors, std::string const& field) {
  return errors.count(field) ? " aria-invalid=\"true\" aria-describedby=\"" + esc(field) + "-error\"" : "";
}

std::string value_of(std::map<std::string, std::string> const& m, std::string const& k, std::string const& def = "") {
  auto it = m.find(k);
  return it == m.end() ? def : it->second;
}

struct ListRow {
  std::string pseudonym, centre, tumour, included, recommended, decision, last_visit_date, vital;
  std::int64_t last_visit = 0;
  std::string next_due;  ///< "" when no further visit is due (death, lost to follow-up)
  bool overdue = false;
};

/// The next protocol visit: visit k is due at month 6k after inclusion.
void set_due(ListRow& r, std::string const& today) {
  auto inc = registry::parse_date(r.included);
  if (!inc || r.vital == "dead" || r.vital == "lost") return;
  Date due = registry::add_months(*inc, static_cast<int>(6 * (r.last_visit + 1)));
  r.next_due = registry::format_date(due);
  r.overdue = r.next_due < today;
}

std::vector<ListRow> list_rows(registry::Registry& reg, std::string const& today) {
  auto [cond, params] = reg.scope_clause("p.centre_id");
  Rows rows = reg.database().query(
      "SELECT p.pseudonym, c.code, p.oncotree, p.included, "
      "(SELECT r.recommended FROM match_runs r WHERE r.patient_id = p.id ORDER BY r.id DESC LIMIT 1), "
      "(SELECT d.option FROM decisions d WHERE d.patient_id = p.id ORDER BY d.decided_on DESC, d.id DESC LIMIT 1), "
      "(SELECT f.visit FROM follow_ups f WHERE f.patient_id = p.id ORDER BY f.visit DESC LIMIT 1), "
      "(SELECT f.visit_date FROM follow_ups f WHERE f.patient_id = p.id ORDER BY f.visit DESC LIMIT 1), "
      "(SELECT f.vital_status FROM follow_ups f WHERE f.patient_id = p.id ORDER BY f.visit DESC LIMIT 1) "
      "FROM patients p JOIN centres c ON c.id = p.centre_id WHERE " + cond + " ORDER BY p.pseudonym",
      params);
  std::vector<ListRow> out;
  for (Row const& r : rows) {
    ListRow l;
    l.pseudonym = r.text(0);
    l.centre = r.text(1);
    l.tumour = r.opt_text(2).value_or("");
    l.included = r.text(3);
    l.recommended = r.opt_text(4).value_or("");
    l.decision = r.opt_text(5).value_or("");
    l.last_visit = r.opt_i64(6).value_or(0);
    l.last_visit_date = r.opt_text(7).value_or("");
    l.vital = r.opt_text(8).value_or("");
    set_due(l, today);
    out.push_back(std::move(l));
  }
  return out;
}

std::string short_id(std::string const& p) { return p.substr(0, 12) + "…"; }

}  // namespace

// ---- patients of my centre ---------------------------------------------------------------------

Response Portal::Impl::patients(Ctx& c) {
  auto q = parse_form(c.req->query);
  if (!q) return error_page(&c, 400, "The search could not be read.");
  std::string today = today_of(c.now);
  auto rows = list_rows(*c.reg, today);
  std::string tumour = value_of(*q, "tumour"), due = value_of(*q, "due", "all"), pathway = value_of(*q, "pathway");
  std::string sort = value_of(*q, "sort", "due");
  std::vector<std::string> tumours;
  for (auto const& r : rows) if (!r.tumour.empty()) tumours.push_back(r.tumour);
  std::sort(tumours.begin(), tumours.end());
  tumours.erase(std::unique(tumours.begin(), tumours.end()), tumours.end());
  std::string soon = registry::format_date(registry::civil_from_days(registry::days_from_civil(*registry::parse_date(today)) + 30));
  std::erase_if(rows, [&](ListRow const& r) {
    if (!tumour.empty() && r.tumour != tumour) return true;
    if (!pathway.empty() && r.recommended != pathway) return true;
    if (due == "overdue" && !r.overdue) return true;
    if (due == "soon" && (r.next_due.empty() || r.next_due > soon)) return true;
    return false;
  });
  auto key = [&](ListRow const& r) -> std::string {
    if (sort == "tumour") return r.tumour + "|" + r.pseudonym;
    if (sort == "included") return r.included + "|" + r.pseudonym;
    if (sort == "followup") return r.last_visit_date + "|" + r.pseudonym;
    if (sort == "pseudonym") return r.pseudonym;
    return (r.next_due.empty() ? "9999" : r.next_due) + "|" + r.pseudonym;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](auto const& a, auto const& b) { return key(a) < key(b); });
  constexpr std::size_t kPage = 50;
  std::size_t pages = std::max<std::size_t>(1, (rows.size() + kPage - 1) / kPage);
  std::size_t pg = 1;
  try {
    pg = std::clamp<std::size_t>(std::stoul(value_of(*q, "page", "1")), 1, pages);
  } catch (...) {
    pg = 1;
  }
  std::string b = "<form method=\"get\" action=\"/patients\" class=\"filters\" role=\"search\">\n";
  std::vector<std::pair<std::string, std::string>> topts{{"", "all"}};
  for (auto const& t : tumours) topts.push_back({t, t});
  b += "<label for=\"f-tumour\">Tumour</label> " + select("tumour", "f-tumour", topts, tumour) + "\n";
  b += "<label for=\"f-due\">Follow-up</label> " +
       select("due", "f-due", {{"all", "all"}, {"overdue", "overdue"}, {"soon", "due within 30 days"}}, due) + "\n";
  b += "<label for=\"f-pathway\">Recommended</label> " +
       select("pathway", "f-pathway",
              {{"", "all"}, {"standard_of_care", "standard of care"}, {"matched_trial", "matched trial"},
               {"precision2", "PRECISION 2"}, {"empirical", "empirical"}},
              pathway) + "\n";
  b += "<label for=\"f-sort\">Sort by</label> " +
       select("sort", "f-sort",
              {{"due", "next follow-up"}, {"pseudonym", "pseudonym"}, {"tumour", "tumour"}, {"included", "inclusion date"},
               {"followup", "last follow-up"}},
              sort) + "\n<button type=\"submit\">Show</button>\n</form>\n";
  b += "<p>" + std::to_string(rows.size()) + " patient" + (rows.size() == 1 ? "" : "s") + ". Today is " + today +
       "; visit <var>k</var> is due at month 6<var>k</var> after inclusion.</p>\n";
  b += "<div class=\"scroll\"><table class=\"patients\">\n<caption>Patients of centre " +
       esc(c.user.centre.value_or("")) + "</caption>\n<thead><tr><th scope=\"col\">Pseudonym</th><th scope=\"col\">Tumour</th>"
       "<th scope=\"col\">Included</th><th scope=\"col\">Recommended</th><th scope=\"col\">Decision</th>"
       "<th scope=\"col\">Last follow-up</th><th scope=\"col\">Next follow-up due</th></tr></thead>\n<tbody>\n";
  for (std::size_t i = (pg - 1) * kPage; i < std::min(rows.size(), pg * kPage); ++i) {
    auto const& r = rows[i];
    b += "<tr><td><a href=\"/patients/" + esc(r.pseudonym) + "\"><code>" + esc(short_id(r.pseudonym)) +
         "</code></a></td><td>" + esc(r.tumour) + "</td><td>" + esc(r.included) + "</td><td>" +
         esc(r.recommended.empty() ? "not matched" : label_of(r.recommended)) + "</td><td>" +
         esc(r.decision.empty() ? "—" : label_of(r.decision)) + "</td><td>" +
         (r.last_visit ? "visit " + std::to_string(r.last_visit) + ", " + esc(r.last_visit_date) +
                             (r.vital == "alive" || r.vital.empty() ? "" : " (" + esc(r.vital) + ")")
                       : std::string("none")) +
         "</td><td>" +
         (r.next_due.empty() ? std::string("—")
                             : (r.overdue ? "<strong class=\"overdue\">overdue since " + esc(r.next_due) + "</strong>"
                                          : esc(r.next_due)) +
                                   " (visit " + std::to_string(r.last_visit + 1) + ")") +
         "</td></tr>\n";
  }
  b += "</tbody></table></div>\n";
  if (pages > 1) {
    b += "<nav aria-label=\"Pages\" class=\"pager\"><ul>";
    for (std::size_t p = 1; p <= pages; ++p) {
      std::string href = "/patients?tumour=" + url_encode(tumour) + "&amp;due=" + url_encode(due) + "&amp;pathway=" +
                         url_encode(pathway) + "&amp;sort=" + url_encode(sort) + "&amp;page=" + std::to_string(p);
      b += p == pg ? "<li><span aria-current=\"page\">" + std::to_string(p) + "</span></li>"
                   : "<li><a href=\"" + href + "\">" + std::to_string(p) + "</a></li>";
    }
    b += "</ul></nav>\n";
  }
  return html(200, page(&c, "Patients", b));
}

// ---- the patient page ---------------------------------------------------------------------------

namespace {

struct PatientRow {
  std::int64_t id = 0;
  std::string centre, tumour, included;
};

std::optional<PatientRow> find_patient(registry::Registry& reg, std::string const& pseudonym) {
  auto [cond, params] = reg.scope_clause("p.centre_id");
  params.insert(params.begin(), Value{pseudonym});
  Rows rows = reg.database().query("SELECT p.id, c.code, p.oncotree, p.included FROM patients p JOIN centres c ON c.id = "
                                   "p.centre_id WHERE p.pseudonym = ? AND " + cond,
                                   params);
  if (rows.empty()) return std::nullopt;
  return PatientRow{rows[0].i64(0), rows[0].text(1), rows[0].opt_text(2).value_or(""), rows[0].text(3)};
}

}  // namespace

Response Portal::Impl::patient(Ctx& c, std::string const& pseudonym, FieldErrors const& errors,
                               std::map<std::string, std::string> const& values, std::string const& form, int status) {
  auto& reg = *c.reg;
  auto& db = reg.database();
  std::optional<PatientRow> p;
  Rows runs, decisions, treatments, visits;
  {
    Transaction txn(db, Transaction::Kind::kRead);
    p = find_patient(reg, pseudonym);
    if (p) {
      runs = db.query("SELECT r.id, r.created_at, s.name, s.version, r.recommended, r.n_matches, r.actionable, r.result, "
                      "r.ruleset_sha FROM match_runs r JOIN rule_sets s ON s.sha256 = r.ruleset_sha "
                      "WHERE r.patient_id = ? ORDER BY r.id DESC",
                      {p->id});
      decisions = db.query("SELECT decided_on, option, trial, cohort, recommended, followed, reason FROM decisions "
                           "WHERE patient_id = ? ORDER BY decided_on DESC, id DESC",
                           {p->id});
      treatments = db.query("SELECT line, drugs, start, end_date, best_response, progression, basis, off_label, trial "
                            "FROM treatments WHERE patient_id = ? ORDER BY line",
                            {p->id});
      visits = db.query("SELECT visit, visit_date, disease_status, recist, progression, vital_status, death_date "
                        "FROM follow_ups WHERE patient_id = ? ORDER BY visit",
                        {p->id});
    }
    txn.commit();
  }
  if (!p) return not_found(c, pseudonym);
  if (form.empty()) {
    audit_entry(reg, "patient.view", p->centre, pseudonym, json{{"user", c.user.login}}.dump());
  }
  std::string tumour_name;
  if (auto id = options.catalog->oncotree.find(p->tumour)) tumour_name = options.catalog->oncotree.name(*id);
  std::string b = "<dl class=\"facts\"><dt>Pseudonym</dt><dd><code class=\"pseudonym\">" + esc(pseudonym) +
                  "</code></dd><dt>Centre</dt><dd>" + esc(p->centre) + "</dd><dt>Tumour</dt><dd>" + esc(p->tumour) +
                  (tumour_name.empty() ? "" : " — " + esc(tumour_name)) + "</dd><dt>Included</dt><dd>" +
                  esc(p->included) + "</dd></dl>\n";
  // What changed with the newer rule set.
  if (runs.size() >= 2) {
    std::string latest_sha = runs[0].text(8);
    for (std::size_t i = 1; i < runs.size(); ++i) {
      if (runs[i].text(8) == latest_sha) continue;
      auto a = registry::result_keys(runs[i].text(7)), n = registry::result_keys(runs[0].text(7));
      auto rs_name = [&](Row const& r) {  // name version, and the sha when they alone do not tell the sets apart
        bool same = runs[0].text(2) == runs[i].text(2) && runs[0].text(3) == runs[i].text(3);
        return r.text(2) + " " + r.text(3) + (same ? " (" + r.text(8).substr(0, 12) + ")" : "");
      };
      std::vector<std::string> added, removed;
      std::set_difference(n.matches.begin(), n.matches.end(), a.matches.begin(), a.matches.end(), std::back_inserter(added));
      std::set_difference(a.matches.begin(), a.matches.end(), n.matches.begin(), n.matches.end(), std::back_inserter(removed));
      b += "<section class=\"changed\" aria-labelledby=\"changed-h\"><h2 id=\"changed-h\">What changed with rule set " +
           esc(rs_name(runs[0])) + "</h2>\n";
      if (added.empty() && removed.empty() && a.recommended == n.recommended) {
        b += "<p>Nothing: the result is the same as with " + esc(rs_name(runs[i])) + ".</p>\n";
      } else {
        b += "<p>Compared with " + esc(rs_name(runs[i])) + " (run of " + esc(runs[i].text(1).substr(0, 10)) + "):</p><ul>";
        if (a.recommended != n.recommended) {
          b += "<li>Recommended option: <strong>" + esc(label_of(a.recommended)) + " → " + esc(label_of(n.recommended)) +
               "</strong></li>";
        }
        for (auto const& k : added) b += "<li>New: <code>" + esc(k) + "</code></li>";
        for (auto const& k : removed) b += "<li>No longer: <code>" + esc(k) + "</code></li>";
        b += "</ul>\n";
      }
      b += "</section>\n";
      break;
    }
  }
  b += "<section aria-labelledby=\"report-h\"><h2 id=\"report-h\">Tumour-board report</h2>\n";
  if (runs.empty()) {
    b += "<p>This patient has not been matched yet (<code>actionable registry match</code>).</p>\n";
  } else {
    std::string base = "/patients/" + esc(pseudonym);
    b += "<p><a href=\"" + base + "/report\">Open the report</a> · <a href=\"" + base +
         "/report.pdf\" download>Download as PDF</a> (run of " + esc(runs[0].text(1).substr(0, 10)) + ", rule set " +
         esc(runs[0].text(2) + " " + runs[0].text(3)) + ")</p>\n<iframe class=\"report\" src=\"" + base +
         "/report\" title=\"Tumour-board report of the latest run\"></iframe>\n";
  }
  b += "</section>\n";
  // Run history.
  b += "<section aria-labelledby=\"runs-h\"><h2 id=\"runs-h\">Run history</h2>\n<div class=\"scroll\"><table>"
       "<thead><tr><th scope=\"col\">Run</th><th scope=\"col\">Date</th><th scope=\"col\">Rule set</th>"
       "<th scope=\"col\">Recommended</th><th scope=\"col\">Matches</th></tr></thead><tbody>";
  for (Row const& r : runs) {
    b += "<tr><td>" + std::to_string(r.i64(0)) + "</td><td>" + esc(r.text(1).substr(0, 10)) + "</td><td>" +
         esc(r.text(2) + " " + r.text(3)) + "</td><td>" + esc(label_of(r.opt_text(4).value_or(""))) + "</td><td>" +
         std::to_string(r.i64(5)) + "</td></tr>";
  }
  b += "</tbody></table></div></section>\n";
  // Decisions.
  b += "<section aria-labelledby=\"dec-h\"><h2 id=\"dec-h\">Decisions</h2>\n";
  if (decisions.empty()) {
    b += "<p>No decision recorded.</p>\n";
  } else {
    b += "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Option</th>"
         "<th scope=\"col\">Trial / cohort</th><th scope=\"col\">Recommended</th><th scope=\"col\">Reason</th></tr></thead><tbody>";
    for (Row const& r : decisions) {
      b += "<tr><td>" + esc(r.text(0)) + "</td><td>" + esc(label_of(r.text(1))) + "</td><td>" +
           esc(r.opt_text(2).value_or("") + (r.opt_text(3) ? " " + *r.opt_text(3) : "")) + "</td><td>" +
           esc(label_of(r.opt_text(4).value_or(""))) + "</td><td>" + esc(r.opt_text(6).value_or("")) + "</td></tr>";
    }
    b += "</tbody></table></div>\n";
  }
  if (c.user.role == Role::kPi) {
    auto const& v = form == "decision" ? values : std::map<std::string, std::string>{};
    auto const& e = form == "decision" ? errors : FieldErrors{};
    std::string rec = runs.empty() ? "" : runs[0].opt_text(4).value_or("");
    b += "<form method=\"post\" action=\"/patients/" + esc(pseudonym) + "/decision\" class=\"record\" id=\"decision-form\">\n"
         "<h3>Record the board's decision</h3>\n";
    if (e.count("")) b += "<p class=\"error\" role=\"alert\">" + esc(e.at("")) + "</p>\n";
    b += "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(c.csrf) + "\">\n";
    b += "<p><label for=\"d-option\">Option</label> " +
         select("option", "d-option",
                {{"standard_of_care", "standard of care"}, {"matched_trial", "matched trial"}, {"precision2", "PRECISION 2"},
                 {"empirical", "empirical"}},
                value_of(v, "option", rec.empty() ? "empirical" : rec), described(e, "option")) +
         field_error(e, "option") + "</p>\n";
    b += "<p><label for=\"d-date\">Date</label> <input id=\"d-date\" name=\"date\" type=\"date\" required value=\"" +
         esc(value_of(v, "date", today_of(c.now))) + "\"" + described(e, "date") + ">" + field_error(e, "date") + "</p>\n";
    b += "<p><label for=\"d-trial\">Trial (NCT number, for a matched trial)</label> <input id=\"d-trial\" name=\"trial\" "
         "maxlength=\"32\" value=\"" + esc(value_of(v, "trial")) + "\"" + described(e, "trial") + ">" +
         field_error(e, "trial") + "</p>\n";
    b += "<p><label for=\"d-cohort\">Cohort (PRECISION 2)</label> <input id=\"d-cohort\" name=\"cohort\" maxlength=\"64\" "
         "value=\"" + esc(value_of(v, "cohort")) + "\"" + described(e, "cohort") + ">" + field_error(e, "cohort") + "</p>\n";
    b += "<p><label for=\"d-reason\">Reason (required when the option is not the recommended one" +
         (rec.empty() ? std::string() : ": " + esc(label_of(rec))) + ")</label>\n<textarea id=\"d-reason\" name=\"reason\" "
         "maxlength=\"2000\" rows=\"3\"" + described(e, "reason") + ">" + esc(value_of(v, "reason")) + "</textarea>" +
         field_error(e, "reason") + "</p>\n<p><button type=\"submit\">Record decision</button></p>\n</form>\n";
  }
  b += "</section>\n";
  // Treatments.
  b += "<section aria-labelledby=\"tr-h\"><h2 id=\"tr-h\">Treatments</h2>\n";
  if (treatments.empty()) {
    b += "<p>No treatment line recorded.</p>\n";
  } else {
    b += "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Line</th><th scope=\"col\">Drugs</th>"
         "<th scope=\"col\">Start</th><th scope=\"col\">End</th><th scope=\"col\">Best response</th>"
         "<th scope=\"col\">Progression</th><th scope=\"col\">Basis</th></tr></thead><tbody>";
    for (Row const& r : treatments) {
      std::string drugs;
      json d = json::parse(r.text(1), nullptr, false);
      if (d.is_array()) {
        for (auto const& x : d) if (x.is_string()) drugs += (drugs.empty() ? "" : " + ") + x.get<std::string>();
      }
      b += "<tr><td>" + std::to_string(r.i64(0)) + "</td><td>" + esc(drugs) + "</td><td>" + esc(r.opt_text(2).value_or("")) +
           "</td><td>" + esc(r.opt_text(3).value_or("")) + "</td><td>" + esc(r.opt_text(4).value_or("")) + "</td><td>" +
           esc(r.opt_text(5).value_or("")) + "</td><td>" + esc(label_of(r.opt_text(6).value_or(""))) + "</td></tr>";
    }
    b += "</tbody></table></div>\n";
  }
  b += "</section>\n";
  // Follow-up.
  std::int64_t next_visit = visits.empty() ? 1 : visits.back().i64(0) + 1;
  b += "<section aria-labelledby=\"fu-h\" id=\"follow-up\"><h2 id=\"fu-h\">Follow-up visits</h2>\n";
  if (visits.empty()) {
    b += "<p>No follow-up visit recorded.</p>\n";
  } else {
    b += "<div class=\"scroll\"><table class=\"visits\"><thead><tr><th scope=\"col\">Visit</th><th scope=\"col\">Date</th>"
         "<th scope=\"col\">Disease status</th><th scope=\"col\">RECIST</th><th scope=\"col\">Progression</th>"
         "<th scope=\"col\">Vital status</th><th scope=\"col\">Date of death</th></tr></thead><tbody>";
    for (Row const& r : visits) {
      b += "<tr><td>" + std::to_string(r.i64(0)) + "</td><td>" + esc(r.text(1)) + "</td><td>" +
           esc(r.opt_text(2).value_or("")) + "</td><td>" + esc(r.opt_text(3).value_or("")) + "</td><td>" +
           esc(r.opt_text(4).value_or("")) + "</td><td>" + esc(r.text(5)) + "</td><td>" + esc(r.opt_text(6).value_or("")) +
           "</td></tr>";
    }
    b += "</tbody></table></div>\n";
  }
  {
    auto const& v = form == "follow-up" ? values : std::map<std::string, std::string>{};
    auto const& e = form == "follow-up" ? errors : FieldErrors{};
    b += "<form method=\"post\" action=\"/patients/" + esc(pseudonym) + "/follow-up\" class=\"record\" id=\"follow-up-form\">\n"
         "<h3>Record a follow-up visit</h3>\n";
    if (e.count("")) b += "<p class=\"error\" role=\"alert\">" + esc(e.at("")) + "</p>\n";
    b += "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(c.csrf) + "\">\n";
    b += "<p><label for=\"f-visit\">Visit (month 6 × visit)</label> <input id=\"f-visit\" name=\"visit\" type=\"number\" "
         "min=\"1\" max=\"60\" required value=\"" + esc(value_of(v, "visit", std::to_string(next_visit))) + "\"" +
         described(e, "visit") + ">" + field_error(e, "visit") + "</p>\n";
    b += "<p><label for=\"f-date\">Visit date</label> <input id=\"f-date\" name=\"date\" type=\"date\" required value=\"" +
         esc(value_of(v, "date", today_of(c.now))) + "\"" + described(e, "date") + ">" + field_error(e, "date") + "</p>\n";
    b += "<p><label for=\"f-status\">Disease status</label> " +
         select("disease_status", "f-status",
                {{"", "not recorded"}, {"NED", "no evidence of disease"}, {"response", "response"}, {"stable", "stable"},
                 {"progression", "progression"}, {"not_evaluable", "not evaluable"}},
                value_of(v, "disease_status"), described(e, "disease_status")) +
         field_error(e, "disease_status") + "</p>\n";
    b += "<p><label for=\"f-recist\">RECIST response</label> " +
         select("recist", "f-recist",
                {{"", "not assessed"}, {"CR", "CR"}, {"PR", "PR"}, {"SD", "SD"}, {"PD", "PD"}, {"NE", "NE"}},
                value_of(v, "recist"), described(e, "recist")) +
         field_error(e, "recist") + "</p>\n";
    b += "<p><label for=\"f-progression\">Progression date (if any)</label> <input id=\"f-progression\" name=\"progression\" "
         "type=\"date\" value=\"" + esc(value_of(v, "progression")) + "\"" + described(e, "progression") + ">" +
         field_error(e, "progression") + "</p>\n";
    b += "<p><label for=\"f-vital\">Vital status</label> " +
         select("vital_status", "f-vital", {{"alive", "alive"}, {"dead", "dead"}, {"lost", "lost to follow-up"}},
                value_of(v, "vital_status", "alive"), described(e, "vital_status")) +
         field_error(e, "vital_status") + "</p>\n";
    b += "<p><label for=\"f-death\">Date of death</label> <input id=\"f-death\" name=\"death_date\" type=\"date\" value=\"" +
         esc(value_of(v, "death_date")) + "\"" + described(e, "death_date") + ">" + field_error(e, "death_date") +
         "</p>\n<p><button type=\"submit\">Record visit</button></p>\n</form>\n";
  }
  b += "</section>\n";
  return html(status, page(&c, "Patient " + short_id(pseudonym), b));
}

// ---- the report ----------------------------------------------------------------------------------

Response Portal::Impl::report(Ctx& c, std::string const& pseudonym, bool pdf) {
  report::Options ro;
  ro.lang = options.lang;
  ro.engine_version = options.engine_version;
  ro.intended_use = options.intended_use;
  std::string err;
  auto stored = patient_report(*c.reg, engines, pseudonym, ro, err);
  if (!stored && err.empty()) return not_found(c, pseudonym);
  if (!stored) return error_page(&c, err.find("no match run") != std::string::npos ? 404 : 500, err);
  audit_entry(*c.reg, "patient.report", stored->centre, pseudonym,
              json{{"user", c.user.login}, {"format", pdf ? "pdf" : "html"}, {"run", stored->run_id}}.dump());
  Response r;
  if (pdf) {
    r.content_type = "application/pdf";
    r.body = report::render_pdf(stored->document);
    r.set("Content-Disposition", "attachment; filename=\"report-" + pseudonym.substr(0, 12) + ".pdf\"");
  } else {
    r.body = report::render_html(stored->document);
    r.set("X-Report", "1");  // framed by the patient page: its own CSP (portal.cpp)
  }
  return r;
}

// ---- forms ------------------------------------------------------------------------------------

namespace {

bool one_of(std::string const& v, std::initializer_list<char const*> allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](char const* a) { return v == a; });
}

std::optional<std::int64_t> small_int(std::string const& s, std::int64_t lo, std::int64_t hi) {
  if (s.empty() || s.size() > 4 || !std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return std::nullopt;
  }
  std::int64_t v = std::stoll(s);
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

std::optional<std::string> opt_nonempty(std::string const& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

}  // namespace

Response Portal::Impl::record_follow_up(Ctx& c, std::string const& pseudonym, std::map<std::string, std::string> const& form) {
  FieldErrors e;
  std::string today = today_of(c.now);
  auto get = [&](char const* k) { return value_of(form, k); };
  registry::FollowUpInput f;
  f.pseudonym = pseudonym;
  f.replace = false;
  auto visit = small_int(get("visit"), 1, 60);
  if (!visit) e["visit"] = "Give the visit number, 1 to 60.";
  else f.visit = *visit;
  f.date = get("date");
  if (!registry::parse_date(f.date)) e["date"] = "Give the visit date as YYYY-MM-DD.";
  else if (f.date > today) e["date"] = "The visit date is in the future.";
  std::string status = get("disease_status"), recist = get("recist"), prog = get("progression"), vital = get("vital_status"),
              death = get("death_date");
  if (!one_of(status, {"", "NED", "response", "stable", "progression", "not_evaluable"})) e["disease_status"] = "Choose a listed disease status.";
  if (!one_of(recist, {"", "CR", "PR", "SD", "PD", "NE"})) e["recist"] = "Choose CR, PR, SD, PD or NE.";
  if (!prog.empty() && !registry::parse_date(prog)) e["progression"] = "Give the progression date as YYYY-MM-DD.";
  else if (!prog.empty() && !e.count("date") && prog > f.date) e["progression"] = "The progression date is after the visit date.";
  if (!one_of(vital, {"alive", "dead", "lost"})) e["vital_status"] = "Choose alive, dead or lost to follow-up.";
  if (vital == "dead" && death.empty()) e["death_date"] = "A death needs its date.";
  if (vital != "dead" && !death.empty()) e["death_date"] = "A date of death needs vital status dead.";
  if (!death.empty() && !registry::parse_date(death)) e["death_date"] = "Give the date of death as YYYY-MM-DD.";
  else if (!death.empty() && !e.count("date") && death > f.date) e["death_date"] = "The date of death is after the visit date.";
  if (!e.empty()) return patient(c, pseudonym, e, form, "follow-up", 400);
  f.disease_status = opt_nonempty(status);
  f.recist = opt_nonempty(recist);
  f.progression = opt_nonempty(prog);
  f.vital_status = vital;
  f.death_date = opt_nonempty(death);
  if (!find_patient(*c.reg, pseudonym)) return not_found(c, pseudonym);
  try {
    c.reg->follow_up(f);
  } catch (Error const& err) {
    if (err.code() == ErrorCode::kNotFound) return not_found(c, pseudonym);
    if (err.code() != ErrorCode::kInput && err.code() != ErrorCode::kConstraint) throw;
    FieldErrors fe;
    std::string m = err.what();
    fe[m.find("visit ") == 0 || m.find("already recorded") != std::string::npos ? "visit" : ""] =
        "Not recorded: " + m + ".";
    return patient(c, pseudonym, fe, form, "follow-up", err.code() == ErrorCode::kConstraint ? 409 : 400);
  }
  return redirect("/patients/" + pseudonym + "#follow-up");
}

Response Portal::Impl::record_decision(Ctx& c, std::string const& pseudonym, std::map<std::string, std::string> const& form) {
  FieldErrors e;
  auto get = [&](char const* k) { return value_of(form, k); };
  registry::DecisionInput d;
  d.pseudonym = pseudonym;
  d.option = get("option");
  if (!one_of(d.option, {"empirical", "standard_of_care", "matched_trial", "precision2"})) e["option"] = "Choose one of the four options.";
  d.date = get("date");
  if (!registry::parse_date(d.date)) e["date"] = "Give the decision date as YYYY-MM-DD.";
  else if (d.date > today_of(c.now)) e["date"] = "The decision date is in the future.";
  std::string trial = get("trial"), cohort = get("cohort"), reason = get("reason");
  auto plain = [](std::string const& s, std::size_t max) {
    return s.size() <= max && std::all_of(s.begin(), s.end(), [](char ch) {
             return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.' || ch == ' ';
           });
  };
  if (!plain(trial, 32)) e["trial"] = "A trial id is letters, digits, '-', '_' or '.' (at most 32).";
  if (!plain(cohort, 64)) e["cohort"] = "A cohort name is letters, digits, '-', '_', '.' or spaces (at most 64).";
  if (reason.size() > 2000) e["reason"] = "At most 2000 characters.";
  if (d.option == "matched_trial" && trial.empty() && !e.count("option")) e["trial"] = "A matched-trial decision names the trial.";
  if (!e.empty()) return patient(c, pseudonym, e, form, "decision", 400);
  d.trial = opt_nonempty(trial);
  d.cohort = opt_nonempty(cohort);
  d.reason = opt_nonempty(reason);
  if (!find_patient(*c.reg, pseudonym)) return not_found(c, pseudonym);
  try {
    c.reg->decide(d);
  } catch (Error const& err) {
    if (err.code() == ErrorCode::kNotFound) return not_found(c, pseudonym);
    if (err.code() != ErrorCode::kInput && err.code() != ErrorCode::kConstraint) throw;
    FieldErrors fe;
    std::string m = err.what();
    fe[m.find("reason") != std::string::npos ? "reason" : ""] = "Not recorded: " + m + ".";
    return patient(c, pseudonym, fe, form, "decision", 400);
  }
  return redirect("/patients/" + pseudonym + "#dec-h");
}

// ---- endpoints dashboard -------------------------------------------------------------------------

namespace {

std::string pct(registry::Proportion const& p) {
  if (!p.p) return std::to_string(p.k) + " / " + std::to_string(p.n);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%lld / %lld (%.1f %%; 95 %% CI %.1f–%.1f)", static_cast<long long>(p.k),
                static_cast<long long>(p.n), *p.p * 100, p.lo.value_or(0) * 100, p.hi.value_or(0) * 100);
  return buf;
}

/// A Kaplan–Meier step plot as inline SVG (presentation attributes only: no style, no script).
std::string km_svg(registry::KmCurve const& km, std::string const& title, std::string const& id) {
  constexpr double W = 520, H = 260, L = 50, R = 15, T = 15, B = 40;
  double tmax = 1;
  for (auto const& s : km.steps) tmax = std::max(tmax, s.time);
  tmax = std::ceil(tmax / registry::kDaysPerMonth / 6) * 6 * registry::kDaysPerMonth;
  auto x = [&](double t) { return L + (W - L - R) * t / tmax; };
  auto y = [&](double s) { return T + (H - T - B) * (1 - s); };
  char buf[128];
  std::string svg = "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 520 260\" role=\"img\" aria-label=\"" +
                    esc(title) + "\" id=\"" + id + "\" class=\"km\"><title>" + esc(title) + "</title>";
  svg += "<rect x=\"50\" y=\"15\" width=\"455\" height=\"205\" fill=\"#ffffff\" stroke=\"#888888\"/>";
  for (int i = 0; i <= 4; ++i) {
    double s = i / 4.0;
    std::snprintf(buf, sizeof buf, "<text x=\"44\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%d%%</text>", y(s) + 4,
                  i * 25);
    svg += buf;
  }
  int months = static_cast<int>(std::lround(tmax / registry::kDaysPerMonth));
  for (int m = 0; m <= months; m += std::max(6, months / 6 / 6 * 6)) {
    std::snprintf(buf, sizeof buf, "<text x=\"%.1f\" y=\"236\" text-anchor=\"middle\" font-size=\"11\">%d</text>",
                  x(m * registry::kDaysPerMonth), m);
    svg += buf;
  }
  svg += "<text x=\"277\" y=\"254\" text-anchor=\"middle\" font-size=\"11\">months</text>";
  std::string d = "M" + std::to_string(x(0)) + "," + std::to_string(y(1));
  double s_prev = 1;
  for (auto const& st : km.steps) {
    d += " H" + std::to_string(x(st.time)) + " V" + std::to_string(y(st.survival));
    s_prev = st.survival;
  }
  d += " H" + std::to_string(x(tmax));
  (void)s_prev;
  svg += "<path d=\"" + d + "\" fill=\"none\" stroke=\"#1f4e79\" stroke-width=\"2\"/></svg>";
  std::string cap = esc(title) + ": " + std::to_string(km.n) + " patients, " + std::to_string(km.events) + " events";
  if (km.median) {
    std::snprintf(buf, sizeof buf, "; median %.1f months", *km.median / registry::kDaysPerMonth);
    cap += buf;
  } else {
    cap += "; median not reached";
  }
  return svg + "<figcaption>" + cap + "</figcaption></figure>\n";
}

}  // namespace

Response Portal::Impl::dashboard(Ctx& c, bool cohort_report) {
  auto q = parse_form(c.req->query);
  if (!q) return error_page(&c, 400, "The filter could not be read.");
  registry::EndpointFilter filter;
  std::string centre = value_of(*q, "centre");
  auto centres_list = c.reg->centres();
  if (c.user.role == Role::kAdmin && !centre.empty()) {
    if (std::none_of(centres_list.begin(), centres_list.end(), [&](auto const& x) { return x.code == centre; })) {
      return error_page(&c, 404, "No such centre.");
    }
    filter.centres = {centre};
  }
  registry::EndpointParams params;
  params.as_of = *registry::parse_date(today_of(c.now));
  if (cohort_report) {
    // The cohort report (the same as `actionable registry report --cohort`), self-contained.
    Response r;
    r.body = report::render_cohort_html(cohort_from_registry(*c.reg, filter, params, options.engine_version), options.lang);
    r.set("X-Report", "1");
    return r;
  }
  auto facts = registry::endpoint_facts(*c.reg, filter);
  auto e = registry::compute_endpoints(facts, params);
  std::string b;
  if (c.user.role == Role::kAdmin) {
    std::vector<std::pair<std::string, std::string>> opts{{"", "all centres"}};
    for (auto const& x : centres_list) opts.push_back({x.code, x.code + (x.name.empty() ? "" : " — " + x.name)});
    b += "<form method=\"get\" action=\"/dashboard\" class=\"filters\"><label for=\"f-centre\">Centre</label> " +
         select("centre", "f-centre", opts, centre) + " <button type=\"submit\">Show</button></form>\n";
  }
  b += "<p>Protocol endpoints as of " + registry::format_date(params.as_of) + " (definitions: docs/registry.md, "
       "“Endpoints”). <a href=\"/dashboard/cohort" + (centre.empty() ? std::string() : "?centre=" + url_encode(centre)) +
       "\">The cohort report</a> (Kaplan–Meier curves with confidence bands and numbers at risk, actionable rate per "
       "tumour type, PFS ratio).</p>\n<table class=\"endpoints\"><caption>Endpoints</caption><tbody>";
  auto row = [&](std::string const& k, std::string const& v) {
    b += "<tr><th scope=\"row\">" + esc(k) + "</th><td>" + esc(v) + "</td></tr>";
  };
  row("Patients", std::to_string(e.patients));
  row("Matched", std::to_string(e.matched));
  row("With an actionable alteration", pct(e.actionable));
  row("Decided: genomics-driven trial", pct(e.decided_trial));
  row("Decided: PRECISION 2", pct(e.decided_precision2));
  row("Enrolled in a genomics-driven trial", pct(e.enrolled_trial));
  row("Enrolled in PRECISION 2", pct(e.enrolled_precision2));
  row("Decision followed the recommendation", pct(e.followed));
  row("Clinical benefit rate", pct(e.clinical_benefit));
  row("PFS ratio ≥ 1.3 (Von Hoff)", pct(e.pfs_ratio));
  b += "</tbody></table>\n";
  if (!e.follow_up.empty()) {
    b += "<table><caption>Follow-up visits done / due</caption><thead><tr><th scope=\"col\">Visit</th><th scope=\"col\">"
         "Done / due</th></tr></thead><tbody>";
    for (auto const& v : e.follow_up) {
      b += "<tr><td>" + std::to_string(v.visit) + " (month " + std::to_string(6 * v.visit) + ")</td><td>" + esc(pct(v.done)) +
           "</td></tr>";
    }
    b += "</tbody></table>\n";
  }
  b += "<div class=\"figures\">" + km_svg(e.pfs, "Progression-free survival, first genomics-driven line", "km-pfs") +
       km_svg(e.os, "Overall survival from inclusion", "km-os") + "</div>\n";
  return html(200, page(&c, "Endpoints", b));
}

// ---- export -----------------------------------------------------------------------------------

Response Portal::Impl::export_data(Ctx& c, bool csv) {
  Response r;
  std::size_t n = 0;
  if (csv) {
    auto rows = list_rows(*c.reg, today_of(c.now));
    auto cell = [](std::string const& s) {
      // RFC 4180 quoting, and a leading quote against formula injection in spreadsheets.
      std::string v = s;
      if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v = "'" + v;
      std::string o = "\"";
      for (char ch : v) o += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      return o + "\"";
    };
    r.body = "pseudonym,centre,oncotree,included,recommended,decision,last_visit,last_visit_date,vital_status,next_due\r\n";
    for (auto const& x : rows) {
      r.body += cell(x.pseudonym) + "," + cell(x.centre) + "," + cell(x.tumour) + "," + cell(x.included) + "," +
                cell(x.recommended) + "," + cell(x.decision) + "," + std::to_string(x.last_visit) + "," +
                cell(x.last_visit_date) + "," + cell(x.vital) + "," + cell(x.next_due) + "\r\n";
    }
    n = rows.size();
    r.content_type = "text/csv; charset=utf-8";
  } else {
    std::ostringstream out;
    c.reg->export_jsonl(out);
    r.body = out.str();
    n = static_cast<std::size_t>(std::count(r.body.begin(), r.body.end(), '\n'));
    r.content_type = "application/x-ndjson; charset=utf-8";
  }
  std::string name = "precision1-" + c.user.centre.value_or("all") + "-" + today_of(c.now) + (csv ? ".csv" : ".jsonl");
  r.set("Content-Disposition", "attachment; filename=\"" + name + "\"");
  audit_entry(*c.reg, "export", c.user.centre, std::nullopt,
              json{{"user", c.user.login}, {"format", csv ? "csv" : "jsonl"}, {"patients", n}}.dump());
  return r;
}

// ---- audit log ----------------------------------------------------------------------------------

Response Portal::Impl::audit_log(Ctx& c) {
  auto q = parse_form(c.req->query);
  if (!q) return error_page(&c, 400, "The filter could not be read.");
  constexpr std::int64_t kPage = 100;
  std::int64_t pg = 1;
  if (auto v = small_int(value_of(*q, "page", "1"), 1, 9999)) pg = *v;
  std::string where = c.user.centre ? "WHERE centre = ?" : "";
  std::vector<Value> params;
  if (c.user.centre) params.push_back(*c.user.centre);
  std::int64_t total = c.reg->database().query("SELECT COUNT(*) FROM audit_log " + where, params).at(0).i64(0);
  params.push_back(kPage);
  params.push_back((pg - 1) * kPage);
  Rows rows = c.reg->database().query(
      "SELECT seq, at, actor, action, centre, pseudonym, detail FROM audit_log " + where + " ORDER BY seq DESC LIMIT ? OFFSET ?",
      params);
  std::string b = "<p>" + std::to_string(total) + " entries" +
                  (c.user.centre ? " of centre " + esc(*c.user.centre) : std::string(" (all centres)")) +
                  ", newest first. The chain is checked by <code>actionable registry audit-verify</code>.</p>\n"
                  "<div class=\"scroll\"><table class=\"audit\"><thead><tr><th scope=\"col\">#</th><th scope=\"col\">When (UTC)</th>"
                  "<th scope=\"col\">Who</th><th scope=\"col\">What</th><th scope=\"col\">Centre</th>"
                  "<th scope=\"col\">Pseudonym</th><th scope=\"col\">Detail</th></tr></thead><tbody>";
  for (Row const& r : rows) {
    std::string ps = r.opt_text(5).value_or("");
    b += "<tr><td>" + std::to_string(r.i64(0)) + "</td><td>" + esc(r.text(1)) + "</td><td>" + esc(r.text(2)) + "</td><td>" +
         esc(r.text(3)) + "</td><td>" + esc(r.opt_text(4).value_or("")) + "</td><td><code>" +
         esc(ps.empty() ? "" : short_id(ps)) + "</code></td><td><code>" + esc(r.text(6)) + "</code></td></tr>";
  }
  b += "</tbody></table></div>\n";
  std::int64_t pages = std::max<std::int64_t>(1, (total + kPage - 1) / kPage);
  if (pages > 1) {
    b += "<nav aria-label=\"Pages\" class=\"pager\"><ul>";
    if (pg > 1) b += "<li><a href=\"/audit?page=" + std::to_string(pg - 1) + "\">newer</a></li>";
    b += "<li><span aria-current=\"page\">" + std::to_string(pg) + " / " + std::to_string(pages) + "</span></li>";
    if (pg < pages) b += "<li><a href=\"/audit?page=" + std::to_string(pg + 1) + "\">older</a></li>";
    b += "</ul></nav>\n";
  }
  return html(200, page(&c, "Audit log", b));
}

// ---- admin --------------------------------------------------------------------------------------

Response Portal::Impl::users(Ctx& c, std::string const& message) {
  auto list = Accounts(*c.reg).list();
  std::string b;
  if (!message.empty()) b += "<p class=\"notice\" role=\"status\">" + esc(message) + "</p>\n";
  b += "<p>Accounts are created and their passwords reset on the server with <code>actionable registry user add|reset</code> "
       "(passwords never travel through a web form of another person).</p>\n<div class=\"scroll\"><table><thead><tr>"
       "<th scope=\"col\">Login</th><th scope=\"col\">Role</th><th scope=\"col\">Centre</th><th scope=\"col\">Second factor</th>"
       "<th scope=\"col\">State</th><th scope=\"col\">Action</th></tr></thead><tbody>";
  for (auto const& u : list) {
    std::string state = u.disabled ? "disabled" : u.locked_until > c.now ? "locked" : "active";
    b += "<tr><td>" + esc(u.login) + "</td><td>" + esc(std::string(to_string(u.role))) + "</td><td>" +
         esc(u.centre.value_or("all")) + "</td><td>" + (u.totp ? "TOTP" : "none") + "</td><td>" + state + "</td><td>";
    if (u.login != c.user.login) {
      b += "<form method=\"post\" action=\"/admin/users/" + esc(url_encode(u.login)) + (u.disabled ? "/enable" : "/disable") +
           "\"><input type=\"hidden\" name=\"csrf\" value=\"" + esc(c.csrf) + "\"><button type=\"submit\">" +
           (u.disabled ? "Enable" : "Disable") + " " + esc(u.login) + "</button></form>";
    }
    b += "</td></tr>";
  }
  b += "</tbody></table></div>\n";
  return html(200, page(&c, "Users", b));
}

Response Portal::Impl::set_user_disabled(Ctx& c, std::string const& login, bool disabled) {
  if (login == c.user.login) return error_page(&c, 400, "You cannot disable your own account.");
  if (!valid_login(login)) return error_page(&c, 404, "No such user.");
  try {
    Accounts(*c.reg).set_disabled(login, disabled);
  } catch (Error const& e) {
    if (e.code() == ErrorCode::kNotFound) return error_page(&c, 404, "No such user.");
    throw;
  }
  return redirect("/admin/users");
}

Response Portal::Impl::centres(Ctx& c) {
  auto list = c.reg->centres();
  std::string b = "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Name</th>"
                  "<th scope=\"col\">Patients</th><th scope=\"col\">Portal users</th></tr></thead><tbody>";
  for (auto const& x : list) {
    auto n = c.reg->database().query("SELECT COUNT(*) FROM patients WHERE centre_id = ?", {x.id}).at(0).i64(0);
    auto u = c.reg->database().query("SELECT COUNT(*) FROM portal_users WHERE centre_id = ?", {x.id}).at(0).i64(0);
    b += "<tr><td>" + esc(x.code) + "</td><td>" + esc(x.name) + "</td><td>" + std::to_string(n) + "</td><td>" +
         std::to_string(u) + "</td></tr>";
  }
  b += "</tbody></table></div>\n";
  return html(200, page(&c, "Centres", b));
}

}  // namespace actionable::portal
