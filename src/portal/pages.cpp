// The portal's pages (docs/portal.md, "Pages"): patients of my centre, the endpoints
// dashboard, exports, the audit log and the admin pages, and the HTML helpers the page files
// share (the patient page, its report and its forms: patient_page.cpp). Every query is limited by the registry's scope clause, and on
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
using nlohmann::json;

// ---- helpers shared by the page files (declared in internal.hpp) -------------------------------

namespace detail {

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

std::string select(std::string const& name, std::string const& id,
                   std::vector<std::pair<std::string, std::string>> const& opts, std::string const& current,
                   std::string const& extra) {
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

std::string value_of(std::map<std::string, std::string> const& m, std::string const& k, std::string const& def) {
  auto it = m.find(k);
  return it == m.end() ? def : it->second;
}

std::string short_id(std::string const& p) { return p.substr(0, 12) + "…"; }

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

}  // namespace detail

namespace {

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
      "FROM patients p JOIN centres c ON c.id = p.centre_id WHERE " +
          cond + " ORDER BY p.pseudonym",
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
  for (auto const& r : rows)
    if (!r.tumour.empty()) tumours.push_back(r.tumour);
  std::sort(tumours.begin(), tumours.end());
  tumours.erase(std::unique(tumours.begin(), tumours.end()), tumours.end());
  std::string soon =
      registry::format_date(registry::civil_from_days(registry::days_from_civil(*registry::parse_date(today)) + 30));
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
              {{"", "all"},
               {"standard_of_care", "standard of care"},
               {"matched_trial", "matched trial"},
               {"precision2", "PRECISION 2"},
               {"empirical", "empirical"}},
              pathway) +
       "\n";
  b += "<label for=\"f-sort\">Sort by</label> " +
       select("sort", "f-sort",
              {{"due", "next follow-up"},
               {"pseudonym", "pseudonym"},
               {"tumour", "tumour"},
               {"included", "inclusion date"},
               {"followup", "last follow-up"}},
              sort) +
       "\n<button type=\"submit\">Show</button>\n</form>\n";
  b += "<p>" + std::to_string(rows.size()) + " patient" + (rows.size() == 1 ? "" : "s") + ". Today is " + today +
       "; visit <var>k</var> is due at month 6<var>k</var> after inclusion.</p>\n";
  b += "<div class=\"scroll\"><table class=\"patients\">\n<caption>Patients of centre " +
       esc(c.user.centre.value_or("")) +
       "</caption>\n<thead><tr><th scope=\"col\">Pseudonym</th><th scope=\"col\">Tumour</th>"
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
      std::string href = "/patients?tumour=" + url_encode(tumour) + "&amp;due=" + url_encode(due) +
                         "&amp;pathway=" + url_encode(pathway) + "&amp;sort=" + url_encode(sort) +
                         "&amp;page=" + std::to_string(p);
      b += p == pg ? "<li><span aria-current=\"page\">" + std::to_string(p) + "</span></li>"
                   : "<li><a href=\"" + href + "\">" + std::to_string(p) + "</a></li>";
    }
    b += "</ul></nav>\n";
  }
  return html(200, page(&c, "Patients", b));
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
    r.body =
        report::render_cohort_html(cohort_from_registry(*c.reg, filter, params, options.engine_version), options.lang);
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
  b += "<p>Protocol endpoints as of " + registry::format_date(params.as_of) +
       " (definitions: docs/registry.md, "
       "“Endpoints”). <a href=\"/dashboard/cohort" +
       (centre.empty() ? std::string() : "?centre=" + url_encode(centre)) +
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
    b +=
        "<table><caption>Follow-up visits done / due</caption><thead><tr><th scope=\"col\">Visit</th><th scope=\"col\">"
        "Done / due</th></tr></thead><tbody>";
    for (auto const& v : e.follow_up) {
      b += "<tr><td>" + std::to_string(v.visit) + " (month " + std::to_string(6 * v.visit) + ")</td><td>" +
           esc(pct(v.done)) + "</td></tr>";
    }
    b += "</tbody></table>\n";
  }
  // The cohort report's Kaplan–Meier figure (step line, 95 % band, median, numbers at risk).
  b += "<div class=\"figures\">" +
       report::render_km_figure(survival_curve("Progression-free survival, first genomics-driven line", e.pfs),
                                "km-pfs") +
       report::render_km_figure(survival_curve("Overall survival from inclusion", e.os), "km-os") + "</div>\n";
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
    r.body =
        "pseudonym,centre,oncotree,included,recommended,decision,last_visit,last_visit_date,vital_status,next_due\r\n";
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
  Rows rows = c.reg->database().query("SELECT seq, at, actor, action, centre, pseudonym, detail FROM audit_log " +
                                          where + " ORDER BY seq DESC LIMIT ? OFFSET ?",
                                      params);
  std::string b = "<p>" + std::to_string(total) + " entries" +
                  (c.user.centre ? " of centre " + esc(*c.user.centre) : std::string(" (all centres)")) +
                  ", newest first. The chain is checked by <code>actionable registry audit-verify</code>.</p>\n"
                  "<div class=\"scroll\"><table class=\"audit\"><thead><tr><th scope=\"col\">#</th><th "
                  "scope=\"col\">When (UTC)</th>"
                  "<th scope=\"col\">Who</th><th scope=\"col\">What</th><th scope=\"col\">Centre</th>"
                  "<th scope=\"col\">Pseudonym</th><th scope=\"col\">Detail</th></tr></thead><tbody>";
  for (Row const& r : rows) {
    std::string ps = r.opt_text(5).value_or("");
    b += "<tr><td>" + std::to_string(r.i64(0)) + "</td><td>" + esc(r.text(1)) + "</td><td>" + esc(r.text(2)) +
         "</td><td>" + esc(r.text(3)) + "</td><td>" + esc(r.opt_text(4).value_or("")) + "</td><td><code>" +
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
  b += "<p>Accounts are created and their passwords reset on the server with <code>actionable registry user "
       "add|reset</code> "
       "(passwords never travel through a web form of another person).</p>\n<div class=\"scroll\"><table><thead><tr>"
       "<th scope=\"col\">Login</th><th scope=\"col\">Role</th><th scope=\"col\">Centre</th><th scope=\"col\">Second "
       "factor</th>"
       "<th scope=\"col\">State</th><th scope=\"col\">Action</th></tr></thead><tbody>";
  for (auto const& u : list) {
    std::string state = u.disabled ? "disabled" : u.locked_until > c.now ? "locked" : "active";
    b += "<tr><td>" + esc(u.login) + "</td><td>" + esc(std::string(to_string(u.role))) + "</td><td>" +
         esc(u.centre.value_or("all")) + "</td><td>" + (u.totp ? "TOTP" : "none") + "</td><td>" + state + "</td><td>";
    if (u.login != c.user.login) {
      b += "<form method=\"post\" action=\"/admin/users/" + esc(url_encode(u.login)) +
           (u.disabled ? "/enable" : "/disable") + "\"><input type=\"hidden\" name=\"csrf\" value=\"" + esc(c.csrf) +
           "\"><button type=\"submit\">" + (u.disabled ? "Enable" : "Disable") + " " + esc(u.login) +
           "</button></form>";
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
  std::string b =
      "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Name</th>"
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
