// The portal's patient page (docs/portal.md, "Pages"): the patient's results, decisions and
// follow-up, the tumour-board report (HTML / PDF), and the follow-up and decision forms. Every
// query is limited by the registry's scope clause, and on PostgreSQL by row-level security
// under the centre's role as well.
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
using nlohmann::json;

// ---- the patient page ---------------------------------------------------------------------------

std::optional<PatientRow> detail::find_patient(registry::Registry& reg, std::string const& pseudonym) {
  auto [cond, params] = reg.scope_clause("p.centre_id");
  params.insert(params.begin(), Value{pseudonym});
  Rows rows = reg.database().query(
      "SELECT p.id, c.code, p.oncotree, p.included FROM patients p JOIN centres c ON c.id = "
      "p.centre_id WHERE p.pseudonym = ? AND " +
          cond,
      params);
  if (rows.empty()) return std::nullopt;
  return PatientRow{rows[0].i64(0), rows[0].text(1), rows[0].opt_text(2).value_or(""), rows[0].text(3)};
}

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
      runs = db.query(
          "SELECT r.id, r.created_at, s.name, s.version, r.recommended, r.n_matches, r.actionable, r.result, "
          "r.ruleset_sha FROM match_runs r JOIN rule_sets s ON s.sha256 = r.ruleset_sha "
          "WHERE r.patient_id = ? ORDER BY r.id DESC",
          {p->id});
      decisions = db.query(
          "SELECT decided_on, option, trial, cohort, recommended, followed, reason FROM decisions "
          "WHERE patient_id = ? ORDER BY decided_on DESC, id DESC",
          {p->id});
      treatments = db.query(
          "SELECT line, drugs, start, end_date, best_response, progression, basis, off_label, trial "
          "FROM treatments WHERE patient_id = ? ORDER BY line",
          {p->id});
      visits = db.query(
          "SELECT visit, visit_date, disease_status, recist, progression, vital_status, death_date "
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
      std::set_difference(n.matches.begin(), n.matches.end(), a.matches.begin(), a.matches.end(),
                          std::back_inserter(added));
      std::set_difference(a.matches.begin(), a.matches.end(), n.matches.begin(), n.matches.end(),
                          std::back_inserter(removed));
      b += "<section class=\"changed\" aria-labelledby=\"changed-h\"><h2 id=\"changed-h\">What changed with rule set " +
           esc(rs_name(runs[0])) + "</h2>\n";
      if (added.empty() && removed.empty() && a.recommended == n.recommended) {
        b += "<p>Nothing: the result is the same as with " + esc(rs_name(runs[i])) + ".</p>\n";
      } else {
        b += "<p>Compared with " + esc(rs_name(runs[i])) + " (run of " + esc(runs[i].text(1).substr(0, 10)) +
             "):</p><ul>";
        if (a.recommended != n.recommended) {
          b += "<li>Recommended option: <strong>" + esc(label_of(a.recommended)) + " → " +
               esc(label_of(n.recommended)) + "</strong></li>";
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
  // Each section below (decisions, treatments, follow-up) opens like the run history: heading, then
  // 'none recorded' or a table. The columns and cells are each section's own, so they stay written out.
  // Decisions.
  b += "<section aria-labelledby=\"dec-h\"><h2 id=\"dec-h\">Decisions</h2>\n";
  if (decisions.empty()) {
    b += "<p>No decision recorded.</p>\n";
  } else {
    b += "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Option</th>"
         "<th scope=\"col\">Trial / cohort</th><th scope=\"col\">Recommended</th><th "
         "scope=\"col\">Reason</th></tr></thead><tbody>";
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
    b += "<form method=\"post\" action=\"/patients/" + esc(pseudonym) +
         "/decision\" class=\"record\" id=\"decision-form\">\n"
         "<h3>Record the board's decision</h3>\n";
    if (e.count("")) b += "<p class=\"error\" role=\"alert\">" + esc(e.at("")) + "</p>\n";
    b += "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(c.csrf) + "\">\n";
    b += "<p><label for=\"d-option\">Option</label> " +
         select("option", "d-option",
                {{"standard_of_care", "standard of care"},
                 {"matched_trial", "matched trial"},
                 {"precision2", "PRECISION 2"},
                 {"empirical", "empirical"}},
                value_of(v, "option", rec.empty() ? "empirical" : rec), described(e, "option")) +
         field_error(e, "option") + "</p>\n";
    b += "<p><label for=\"d-date\">Date</label> <input id=\"d-date\" name=\"date\" type=\"date\" required value=\"" +
         esc(value_of(v, "date", today_of(c.now))) + "\"" + described(e, "date") + ">" + field_error(e, "date") +
         "</p>\n";
    b += "<p><label for=\"d-trial\">Trial (NCT number, for a matched trial)</label> <input id=\"d-trial\" "
         "name=\"trial\" "
         "maxlength=\"32\" value=\"" +
         esc(value_of(v, "trial")) + "\"" + described(e, "trial") + ">" + field_error(e, "trial") + "</p>\n";
    b += "<p><label for=\"d-cohort\">Cohort (PRECISION 2)</label> <input id=\"d-cohort\" name=\"cohort\" "
         "maxlength=\"64\" "
         "value=\"" +
         esc(value_of(v, "cohort")) + "\"" + described(e, "cohort") + ">" + field_error(e, "cohort") + "</p>\n";
    b += "<p><label for=\"d-reason\">Reason (required when the option is not the recommended one" +
         (rec.empty() ? std::string() : ": " + esc(label_of(rec))) +
         ")</label>\n<textarea id=\"d-reason\" name=\"reason\" "
         "maxlength=\"2000\" rows=\"3\"" +
         described(e, "reason") + ">" + esc(value_of(v, "reason")) + "</textarea>" + field_error(e, "reason") +
         "</p>\n<p><button type=\"submit\">Record decision</button></p>\n</form>\n";
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
        for (auto const& x : d)
          if (x.is_string()) drugs += (drugs.empty() ? "" : " + ") + x.get<std::string>();
      }
      b += "<tr><td>" + std::to_string(r.i64(0)) + "</td><td>" + esc(drugs) + "</td><td>" +
           esc(r.opt_text(2).value_or("")) + "</td><td>" + esc(r.opt_text(3).value_or("")) + "</td><td>" +
           esc(r.opt_text(4).value_or("")) + "</td><td>" + esc(r.opt_text(5).value_or("")) + "</td><td>" +
           esc(label_of(r.opt_text(6).value_or(""))) + "</td></tr>";
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
    b += "<div class=\"scroll\"><table class=\"visits\"><thead><tr><th scope=\"col\">Visit</th><th "
         "scope=\"col\">Date</th>"
         "<th scope=\"col\">Disease status</th><th scope=\"col\">RECIST</th><th scope=\"col\">Progression</th>"
         "<th scope=\"col\">Vital status</th><th scope=\"col\">Date of death</th></tr></thead><tbody>";
    for (Row const& r : visits) {
      b += "<tr><td>" + std::to_string(r.i64(0)) + "</td><td>" + esc(r.text(1)) + "</td><td>" +
           esc(r.opt_text(2).value_or("")) + "</td><td>" + esc(r.opt_text(3).value_or("")) + "</td><td>" +
           esc(r.opt_text(4).value_or("")) + "</td><td>" + esc(r.text(5)) + "</td><td>" +
           esc(r.opt_text(6).value_or("")) + "</td></tr>";
    }
    b += "</tbody></table></div>\n";
  }
  {
    auto const& v = form == "follow-up" ? values : std::map<std::string, std::string>{};
    auto const& e = form == "follow-up" ? errors : FieldErrors{};
    b += "<form method=\"post\" action=\"/patients/" + esc(pseudonym) +
         "/follow-up\" class=\"record\" id=\"follow-up-form\">\n"
         "<h3>Record a follow-up visit</h3>\n";
    if (e.count("")) b += "<p class=\"error\" role=\"alert\">" + esc(e.at("")) + "</p>\n";
    b += "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(c.csrf) + "\">\n";
    b += "<p><label for=\"f-visit\">Visit (month 6 × visit)</label> <input id=\"f-visit\" name=\"visit\" "
         "type=\"number\" "
         "min=\"1\" max=\"60\" required value=\"" +
         esc(value_of(v, "visit", std::to_string(next_visit))) + "\"" + described(e, "visit") + ">" +
         field_error(e, "visit") + "</p>\n";
    b += "<p><label for=\"f-date\">Visit date</label> <input id=\"f-date\" name=\"date\" type=\"date\" required "
         "value=\"" +
         esc(value_of(v, "date", today_of(c.now))) + "\"" + described(e, "date") + ">" + field_error(e, "date") +
         "</p>\n";
    b += "<p><label for=\"f-status\">Disease status</label> " +
         select("disease_status", "f-status",
                {{"", "not recorded"},
                 {"NED", "no evidence of disease"},
                 {"response", "response"},
                 {"stable", "stable"},
                 {"progression", "progression"},
                 {"not_evaluable", "not evaluable"}},
                value_of(v, "disease_status"), described(e, "disease_status")) +
         field_error(e, "disease_status") + "</p>\n";
    b += "<p><label for=\"f-recist\">RECIST response</label> " +
         select("recist", "f-recist",
                {{"", "not assessed"}, {"CR", "CR"}, {"PR", "PR"}, {"SD", "SD"}, {"PD", "PD"}, {"NE", "NE"}},
                value_of(v, "recist"), described(e, "recist")) +
         field_error(e, "recist") + "</p>\n";
    b += "<p><label for=\"f-progression\">Progression date (if any)</label> <input id=\"f-progression\" "
         "name=\"progression\" "
         "type=\"date\" value=\"" +
         esc(value_of(v, "progression")) + "\"" + described(e, "progression") + ">" + field_error(e, "progression") +
         "</p>\n";
    b += "<p><label for=\"f-vital\">Vital status</label> " +
         select("vital_status", "f-vital", {{"alive", "alive"}, {"dead", "dead"}, {"lost", "lost to follow-up"}},
                value_of(v, "vital_status", "alive"), described(e, "vital_status")) +
         field_error(e, "vital_status") + "</p>\n";
    b += "<p><label for=\"f-death\">Date of death</label> <input id=\"f-death\" name=\"death_date\" type=\"date\" "
         "value=\"" +
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

Response Portal::Impl::record_follow_up(Ctx& c, std::string const& pseudonym,
                                        std::map<std::string, std::string> const& form) {
  FieldErrors e;
  std::string today = today_of(c.now);
  auto get = [&](char const* k) { return value_of(form, k); };
  registry::FollowUpInput f;
  f.pseudonym = pseudonym;
  f.replace = false;
  auto visit = small_int(get("visit"), 1, 60);
  if (!visit)
    e["visit"] = "Give the visit number, 1 to 60.";
  else
    f.visit = *visit;
  f.date = get("date");
  if (!registry::parse_date(f.date))
    e["date"] = "Give the visit date as YYYY-MM-DD.";
  else if (f.date > today)
    e["date"] = "The visit date is in the future.";
  std::string status = get("disease_status"), recist = get("recist"), prog = get("progression"),
              vital = get("vital_status"), death = get("death_date");
  if (!one_of(status, {"", "NED", "response", "stable", "progression", "not_evaluable"}))
    e["disease_status"] = "Choose a listed disease status.";
  if (!one_of(recist, {"", "CR", "PR", "SD", "PD", "NE"})) e["recist"] = "Choose CR, PR, SD, PD or NE.";
  if (!prog.empty() && !registry::parse_date(prog))
    e["progression"] = "Give the progression date as YYYY-MM-DD.";
  else if (!prog.empty() && !e.count("date") && prog > f.date)
    e["progression"] = "The progression date is after the visit date.";
  if (!one_of(vital, {"alive", "dead", "lost"})) e["vital_status"] = "Choose alive, dead or lost to follow-up.";
  if (vital == "dead" && death.empty()) e["death_date"] = "A death needs its date.";
  if (vital != "dead" && !death.empty()) e["death_date"] = "A date of death needs vital status dead.";
  if (!death.empty() && !registry::parse_date(death))
    e["death_date"] = "Give the date of death as YYYY-MM-DD.";
  else if (!death.empty() && !e.count("date") && death > f.date)
    e["death_date"] = "The date of death is after the visit date.";
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

Response Portal::Impl::record_decision(Ctx& c, std::string const& pseudonym,
                                       std::map<std::string, std::string> const& form) {
  FieldErrors e;
  auto get = [&](char const* k) { return value_of(form, k); };
  registry::DecisionInput d;
  d.pseudonym = pseudonym;
  d.option = get("option");
  if (!one_of(d.option, {"empirical", "standard_of_care", "matched_trial", "precision2"}))
    e["option"] = "Choose one of the four options.";
  d.date = get("date");
  if (!registry::parse_date(d.date))
    e["date"] = "Give the decision date as YYYY-MM-DD.";
  else if (d.date > today_of(c.now))
    e["date"] = "The decision date is in the future.";
  std::string trial = get("trial"), cohort = get("cohort"), reason = get("reason");
  auto plain = [](std::string const& s, std::size_t max) {
    return s.size() <= max && std::all_of(s.begin(), s.end(), [](char ch) {
             return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.' || ch == ' ';
           });
  };
  if (!plain(trial, 32)) e["trial"] = "A trial id is letters, digits, '-', '_' or '.' (at most 32).";
  if (!plain(cohort, 64)) e["cohort"] = "A cohort name is letters, digits, '-', '_', '.' or spaces (at most 64).";
  if (reason.size() > 2000) e["reason"] = "At most 2000 characters.";
  if (d.option == "matched_trial" && trial.empty() && !e.count("option"))
    e["trial"] = "A matched-trial decision names the trial.";
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

}  // namespace actionable::portal
