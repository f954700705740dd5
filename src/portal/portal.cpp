// The portal's core (docs/portal.md): connection pool, routing, security headers, login with
// throttling / lockout / TOTP, sessions and CSRF. Pages are in pages.cpp and patient_page.cpp,
// the page layout, escaping and form decoding in layout.cpp.
#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>

#include "portal/internal.hpp"
#include "util/utf8.hpp"
#include "util/html.hpp"

namespace actionable::portal {

using nlohmann::json;
using registry::Scope;

namespace detail {

Lease::~Lease() {
  if (impl_ && reg_) impl_->give_back(std::move(reg_));
}

}  // namespace detail

using namespace detail;

// ---- Impl -------------------------------------------------------------------------------------

Portal::Impl::Impl(PortalOptions o) : options(std::move(o)), engines(options.catalog) {
  if (!options.catalog) throw Error(ErrorCode::kInput, "the portal needs the reference catalogue");
  auto first = registry::Registry::open(options.db, registry::OpenOptions{Scope::all(), "portal", {}});
  first->require_schema();
  pool.push_back(std::move(first));
  dummy_hash = hash_password(random_token());
}

std::int64_t Portal::Impl::now() const {
  return options.clock ? options.clock() : static_cast<std::int64_t>(std::time(nullptr));
}

Lease Portal::Impl::lease() {
  {
    std::lock_guard lock(pool_mu);
    if (!pool.empty()) {
      auto r = std::move(pool.back());
      pool.pop_back();
      return Lease(*this, std::move(r));
    }
  }
  auto r = registry::Registry::open(options.db, registry::OpenOptions{Scope::all(), "portal", {}});
  return Lease(*this, std::move(r));
}

void Portal::Impl::give_back(std::unique_ptr<registry::Registry> reg) {
  try {
    if (reg->database().in_transaction()) return;  // a failed request: drop the connection
    reg->act_as(Scope::all(), "portal");
  } catch (...) {
    return;
  }
  std::lock_guard lock(pool_mu);
  if (pool.size() < std::max<std::size_t>(1, options.pool_size)) pool.push_back(std::move(reg));
}

void Portal::Impl::audit_entry(registry::Registry& reg, std::string const& action,
                               std::optional<std::string> const& centre, std::optional<std::string> const& pseudonym,
                               std::string const& detail_json) {
  Transaction txn(reg.database(), Transaction::Kind::kWrite);
  reg.audit(action, centre, pseudonym, detail_json);
  txn.commit();
}

bool Portal::Impl::throttled(std::string const& key, std::map<std::string, std::deque<std::int64_t>>& table, int max) {
  std::lock_guard lock(throttle_mu);
  auto it = table.find(key);
  if (it == table.end()) return false;
  auto horizon = now() - options.address_window.count();
  while (!it->second.empty() && it->second.front() < horizon) it->second.pop_front();
  if (it->second.empty()) {
    table.erase(it);
    return false;
  }
  return static_cast<int>(it->second.size()) >= max;
}

void Portal::Impl::note_failure(std::string const& key, std::map<std::string, std::deque<std::int64_t>>& table) {
  std::lock_guard lock(throttle_mu);
  auto& q = table[key];
  q.push_back(now());
  if (q.size() > 1000) q.pop_front();
  if (table.size() > 100000) table.erase(table.begin());  // bounded memory under a spray of keys
}

// ---- login ------------------------------------------------------------------------------------

namespace {

std::string cookie_value(Request const& req, std::string const& name) {
  std::string all = req.header("cookie");
  std::size_t pos = 0;
  while (pos < all.size()) {
    std::size_t semi = all.find(';', pos);
    std::string part = all.substr(pos, semi == std::string::npos ? std::string::npos : semi - pos);
    std::size_t b = part.find_first_not_of(' ');
    if (b != std::string::npos) part = part.substr(b);
    if (part.compare(0, name.size() + 1, name + "=") == 0) return part.substr(name.size() + 1);
    if (semi == std::string::npos) break;
    pos = semi + 1;
  }
  return "";
}

std::string cookie(std::string const& name, std::string const& value, bool secure, bool clear = false) {
  return name + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "") +
         (clear ? "; Max-Age=0" : "");
}

/// A login as typed, safe to put in the audit log: at most 64 bytes of printable ASCII.
std::string loggable(std::string const& s) {
  std::string o;
  for (unsigned char c : s) {
    if (o.size() >= 64) break;
    o += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  }
  return o;
}

}  // namespace

Response Portal::Impl::login_page(Request const& req, bool secure, std::string const& message, int status) {
  std::string pre = cookie_value(req, "act_pre");
  if (pre.size() != 43) pre = random_token();
  std::string body;
  if (!message.empty()) body += "<p class=\"error\" role=\"alert\" id=\"login-error\">" + esc(message) + "</p>\n";
  body +=
      "<form method=\"post\" action=\"/login\" class=\"login\">\n"
      "<input type=\"hidden\" name=\"csrf\" value=\"" +
      esc(pre) +
      "\">\n"
      "<p><label for=\"login\">Login</label>\n"
      "<input id=\"login\" name=\"login\" autocomplete=\"username\" required maxlength=\"64\" autofocus></p>\n"
      "<p><label for=\"password\">Password</label>\n"
      "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required "
      "maxlength=\"1024\"></p>\n"
      "<p><label for=\"code\">Authenticator code" +
      std::string(options.require_totp ? "" : " (if your account has one)") +
      "</label>\n<input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" "
      "pattern=\"[0-9]{6}\" maxlength=\"6\"></p>\n"
      "<p><button type=\"submit\">Log in</button></p>\n</form>\n";
  Response r = html(status, page(nullptr, "Log in", body));
  r.set("Set-Cookie", cookie("act_pre", pre, secure));
  return r;
}

Response Portal::Impl::login(Request const& req, bool secure, std::string const& client) {
  auto form = parse_form(req.body);
  std::string pre = cookie_value(req, "act_pre");
  if (!form || pre.size() != 43 || !equal_secret((*form)["csrf"], pre)) {
    return error_page(nullptr, 403, "The login form expired or did not come from this site: reload the login page.");
  }
  std::string login = (*form)["login"], password = (*form)["password"], code = (*form)["code"];
  auto now_s = now();
  auto fail = [&](std::string const& shown) { return login_page(req, secure, shown, 401); };
  if (throttled("a:" + client, address_failures, options.address_max_failures)) {
    return login_page(req, secure, "Too many failed logins from this address: try again later.", 429);
  }
  auto reg = lease();
  Accounts accounts(*reg);
  auto user = valid_login(login) ? accounts.find(login) : std::nullopt;
  auto failure = [&](std::string const& reason, std::optional<User> const& u) {
    note_failure("a:" + client, address_failures);
    if (!u) note_failure("l:" + loggable(login), login_failures);
    audit_entry(*reg, "login.failure", u ? u->centre : std::nullopt, std::nullopt,
                json{{"user", loggable(login)}, {"reason", reason}, {"address", client}}.dump());
  };
  std::string const generic = "Login failed: check your login, password and code.";
  if (!user) {
    verify_password(dummy_hash, password);  // same cost as a real check
    bool locked = throttled("l:" + loggable(login), login_failures, options.max_failures);
    failure(locked ? "locked" : "unknown login", std::nullopt);
    return fail(locked ? "This account is locked after repeated failures: try again later." : generic);
  }
  if (user->locked_until > now_s) {
    failure("locked", user);
    return fail("This account is locked after repeated failures: try again later.");
  }
  Rows secret_rows = reg->database().query(
      "SELECT password_hash, totp_secret, totp_last_step FROM portal_users WHERE id = ?", {user->id});
  bool ok = verify_password(secret_rows.at(0).text(0), password);
  std::optional<std::string> secret = secret_rows.at(0).opt_text(1);
  std::optional<std::int64_t> step;
  std::string reason;
  if (!ok) {
    reason = "wrong password";
  } else if (user->disabled) {
    ok = false;
    reason = "disabled";
  } else if (secret) {
    step = totp_verify(*secret, code, now_s, secret_rows.at(0).i64(2));
    if (!step) ok = false, reason = "wrong second factor";
  } else if (options.require_totp) {
    ok = false;
    reason = "no second factor enrolled";
  }
  if (!ok) {
    {
      Transaction txn(reg->database(), Transaction::Kind::kWrite);
      std::int64_t failed = user->failed_logins + 1;
      std::int64_t until = failed >= options.max_failures ? now_s + options.lockout.count() : 0;
      reg->database().query("UPDATE portal_users SET failed_logins = ?, locked_until = ? WHERE id = ?",
                            {until ? std::int64_t{0} : failed, until, user->id});
      txn.commit();
    }
    failure(reason, user);
    if (reason == "no second factor enrolled") {
      return fail("This portal requires an authenticator code and your account has none: ask an administrator.");
    }
    return fail(generic);
  }
  std::string token = random_token(), csrf = random_token();
  {
    Transaction txn(reg->database(), Transaction::Kind::kWrite);
    auto& db = reg->database();
    db.query("UPDATE portal_users SET failed_logins = 0, locked_until = 0" +
                 std::string(step ? ", totp_last_step = ?" : "") + " WHERE id = ?",
             step ? std::vector<registry::Value>{*step, user->id} : std::vector<registry::Value>{user->id});
    db.query("DELETE FROM portal_sessions WHERE last_seen < ? OR created_at < ?",
             {now_s - options.idle_timeout.count(), now_s - options.session_lifetime.count()});
    db.query("INSERT INTO portal_sessions (token_hash, user_id, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?)",
             {token_hash(token), user->id, csrf, now_s, now_s});
    reg->audit("login.success", user->centre, std::nullopt, json{{"user", user->login}, {"address", client}}.dump());
    txn.commit();
  }
  Response r = redirect(user->role == Role::kAdmin ? "/dashboard" : "/patients");
  r.set("Set-Cookie", cookie("act_session", token, secure));
  r.set("Set-Cookie", cookie("act_pre", "", secure, true));
  r.log_user = user->login;
  return r;
}

std::optional<Ctx> Portal::Impl::authenticate(Request const& req, registry::Registry& owner, bool secure,
                                              std::string const& client) {
  std::string token = cookie_value(req, "act_session");
  if (token.size() != 43) return std::nullopt;
  auto& db = owner.database();
  std::string th = token_hash(token);
  Rows rows = db.query(
      "SELECT s.user_id, s.csrf, s.created_at, s.last_seen, u.login FROM portal_sessions s "
      "JOIN portal_users u ON u.id = s.user_id WHERE s.token_hash = ? AND u.disabled = 0",
      {th});
  if (rows.empty()) return std::nullopt;
  auto now_s = now();
  std::int64_t created = rows[0].i64(2), seen = rows[0].i64(3);
  if (now_s - seen > options.idle_timeout.count() || now_s - created > options.session_lifetime.count()) {
    Transaction txn(db, Transaction::Kind::kWrite);
    db.query("DELETE FROM portal_sessions WHERE token_hash = ?", {th});
    txn.commit();
    return std::nullopt;
  }
  // At most one write per session every 30 s (sooner with a short idle timeout).
  if (now_s - seen >= std::min<std::int64_t>(30, std::max<std::int64_t>(1, options.idle_timeout.count() / 4))) {
    Transaction txn(db, Transaction::Kind::kWrite);
    db.query("UPDATE portal_sessions SET last_seen = ? WHERE token_hash = ?", {now_s, th});
    txn.commit();
  }
  auto user = Accounts(owner).find(rows[0].text(4));
  if (!user) return std::nullopt;
  Ctx c;
  c.req = &req;
  c.user = *user;
  c.csrf = rows[0].text(1);
  c.token_hash = th;
  c.secure = secure;
  c.client = client;
  c.now = now_s;
  return c;
}

// ---- routing ----------------------------------------------------------------------------------

Portal::Portal(PortalOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Portal::~Portal() = default;

Response Portal::handle(Request const& req) {
  Response r;
  bool secure = req.tls || impl_->options.force_secure_cookies ||
                (impl_->options.behind_proxy && req.header("x-forwarded-proto") == "https");
  try {
    r = impl_->route(req);
  } catch (Error const& e) {
    r = error_page(nullptr,
                   e.code() == ErrorCode::kNotFound     ? 404
                   : e.code() == ErrorCode::kPermission ? 403
                                                        : 500,
                   e.code() == ErrorCode::kNotFound || e.code() == ErrorCode::kPermission
                       ? "Not found."
                       : "The registry could not answer this request.");
  } catch (std::exception const&) {
    r = error_page(nullptr, 500, "The portal could not answer this request.");
  }
  // Security headers on every response.
  bool report_frame =
      r.content_type.rfind("text/html", 0) == 0 &&
      std::any_of(r.headers.begin(), r.headers.end(), [](auto const& h) { return h.first == "X-Report"; });
  r.headers.erase(
      std::remove_if(r.headers.begin(), r.headers.end(), [](auto const& h) { return h.first == "X-Report"; }),
      r.headers.end());
  if (report_frame) {
    // The tumour-board report: a self-contained document with inline CSS and SVG and no script,
    // shown in a frame of the patient page only.
    r.set("Content-Security-Policy",
          "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; "
          "form-action 'none'; sandbox allow-popups allow-popups-to-escape-sandbox");
    r.set("X-Frame-Options", "SAMEORIGIN");
  } else {
    r.set("Content-Security-Policy",
          "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          "frame-ancestors 'none'");
    r.set("X-Frame-Options", "DENY");
  }
  r.set("X-Content-Type-Options", "nosniff");
  r.set("Referrer-Policy", "no-referrer");
  r.set("Cross-Origin-Opener-Policy", "same-origin");
  r.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (std::none_of(r.headers.begin(), r.headers.end(), [](auto const& h) { return h.first == "Cache-Control"; })) {
    r.set("Cache-Control", "no-store");  // health data: never in a shared or disk cache
  }
  if (secure) r.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  if (impl_->options.behind_proxy) r.log_client = impl_->client_of(req);
  return r;
}

std::string Portal::Impl::client_of(Request const& req) const {
  if (!options.behind_proxy) return req.client;
  // The proxy's own view of the client: the last address of X-Forwarded-For (the proxy sets or
  // appends it; anything before it came from the client and is not trusted).
  std::string fwd = req.header("x-forwarded-for");
  if (fwd.empty()) return req.client;
  auto comma = fwd.rfind(',');
  std::string client = fwd.substr(comma == std::string::npos ? 0 : comma + 1);
  client.erase(0, client.find_first_not_of(' '));
  return loggable(client);
}

Response Portal::Impl::route(Request const& req) {
  bool secure =
      req.tls || options.force_secure_cookies || (options.behind_proxy && req.header("x-forwarded-proto") == "https");
  std::string client = client_of(req);
  std::string const& path = req.path;
  bool get = req.method == "GET" || req.method == "HEAD";
  bool post = req.method == "POST";
  if (!get && !post) {
    Response r = error_page(nullptr, 405, "Method not allowed.");
    r.set("Allow", "GET, HEAD, POST");
    return r;
  }
  if (util::invalid_utf8(path) || path.find('\0') != std::string::npos || path.find("..") != std::string::npos ||
      path.empty() || path[0] != '/') {
    return error_page(nullptr, 400, "Bad request path.");
  }
  if (get && path == "/static/portal.css") {
    Response r;
    r.content_type = "text/css; charset=utf-8";
    r.body = kCss;
    r.set("Cache-Control", "private, max-age=3600");
    return r;
  }
  if (get && (path == "/favicon.ico" || path == "/static/icon.svg")) {
    Response r;
    r.content_type = "image/svg+xml";
    r.body =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><rect width=\"16\" height=\"16\" rx=\"3\" "
        "fill=\"#1f4e79\"/><path d=\"M4 12V4h4a2.5 2.5 0 0 1 0 5H4\" fill=\"none\" stroke=\"#fff\" "
        "stroke-width=\"2\"/></svg>";
    r.set("Cache-Control", "private, max-age=86400");
    return r;
  }
  if (get && path == "/healthz") {
    Response r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "ok\n";
    return r;
  }
  if (path == "/login") {
    if (get) return login_page(req, secure, "");
    return login(req, secure, client);
  }
  // Everything else needs a session.
  auto owner = lease();
  auto ctx = authenticate(req, *owner, secure, client);
  if (!ctx) {
    if (get) return redirect("/login");
    return error_page(nullptr, 403, "Your session has ended: log in again.");
  }
  Ctx& c = *ctx;
  std::optional<std::map<std::string, std::string>> form;
  if (post) {
    std::string ct = req.header("content-type");
    form = parse_form(req.body);
    if (ct.rfind("application/x-www-form-urlencoded", 0) != 0 || !form) {
      return error_page(&c, 400, "The form could not be read (invalid characters or encoding).");
    }
    // CSRF: the session's token in the form, and (defence in depth) a same-origin Origin header.
    std::string origin = req.header("origin");
    std::string host = req.header("host");
    // Browsers send "Origin: null" under Referrer-Policy: no-referrer: only another real origin
    // is refused here; the token (and SameSite=Strict) is the defence.
    bool origin_ok = origin.empty() || origin == "null" || origin == "http://" + host || origin == "https://" + host;
    if (!equal_secret((*form)["csrf"], c.csrf) || !origin_ok) {
      audit_entry(*owner, "csrf.refused", c.user.centre, std::nullopt,
                  json{{"user", c.user.login}, {"path", loggable(path)}}.dump());
      Response r = error_page(&c, 403,
                              "This form did not come from this session (missing or wrong CSRF token). "
                              "Nothing was saved.");
      r.log_user = c.user.login;
      return r;
    }
  }
  if (post && path == "/logout") {
    {
      Transaction txn(owner->database(), Transaction::Kind::kWrite);
      owner->database().query("DELETE FROM portal_sessions WHERE token_hash = ?", {c.token_hash});
      owner->audit("logout", c.user.centre, std::nullopt, json{{"user", c.user.login}}.dump());
      txn.commit();
    }
    Response r = redirect("/login");
    r.set("Set-Cookie", cookie("act_session", "", secure, true));
    r.log_user = c.user.login;
    return r;
  }
  // Act for the user: their centre's scope (and role on PostgreSQL).
  owner->act_as(c.user.centre ? Scope::of(*c.user.centre) : Scope::all(), "portal:" + c.user.login);
  c.reg = owner.get();
  Response r;
  auto split = [&](std::string const& prefix) -> std::optional<std::string> {
    if (path.rfind(prefix, 0) != 0) return std::nullopt;
    return path.substr(prefix.size());
  };
  bool admin = c.user.role == Role::kAdmin;
  if (get && path == "/") {
    r = redirect(admin ? "/dashboard" : "/patients");
  } else if (get && path == "/patients" && !admin) {
    r = patients(c);
  } else if (auto rest = split("/patients/"); rest && !admin) {
    std::string p = rest->substr(0, rest->find('/'));
    std::string tail = rest->size() > p.size() ? rest->substr(p.size()) : "";
    if (!is_pseudonym(p)) {
      r = not_found(c, p);
    } else if (get && tail.empty()) {
      r = patient(c, p);
    } else if (get && (tail == "/report" || tail == "/report.pdf")) {
      r = report(c, p, tail == "/report.pdf");
    } else if (post && tail == "/follow-up") {
      r = record_follow_up(c, p, *form);
    } else if (post && tail == "/decision" && c.user.role == Role::kPi) {
      r = record_decision(c, p, *form);
    } else {
      r = error_page(&c, 404, "Not found.");
    }
  } else if (get && (path == "/dashboard" || path == "/dashboard/cohort")) {
    r = dashboard(c, path == "/dashboard/cohort");
  } else if (get && (path == "/export.csv" || path == "/export.jsonl") && c.user.role == Role::kPi) {
    r = export_data(c, path == "/export.csv");
  } else if (get && path == "/audit" && c.user.role != Role::kDataManager) {
    r = audit_log(c);
  } else if (admin && get && path == "/admin/users") {
    r = users(c);
  } else if (admin && get && path == "/admin/centres") {
    r = centres(c);
  } else if (auto rest = split("/admin/users/"); admin && post && rest) {
    auto slash = rest->find('/');
    std::string login = rest->substr(0, slash);
    std::string action = slash == std::string::npos ? "" : rest->substr(slash + 1);
    if (action == "disable" || action == "enable") {
      r = set_user_disabled(c, login, action == "disable");
    } else {
      r = error_page(&c, 404, "Not found.");
    }
  } else {
    r = error_page(&c, 404, "Not found.");
  }
  if (r.log_user.empty()) r.log_user = c.user.login;
  return r;
}

Response Portal::Impl::not_found(Ctx& c, std::string const& what) {
  // A patient outside the scope (another centre's, forgotten or unknown) is answered exactly as a
  // missing one, and the attempt is in the audit log under the user's own centre.
  audit_entry(*c.reg, "access.denied", c.user.centre,
              is_pseudonym(what) ? std::optional<std::string>(what) : std::nullopt,
              json{{"user", c.user.login}, {"path", loggable(c.req->path)}}.dump());
  return error_page(&c, 404, "No such patient in your centre.");
}

}  // namespace actionable::portal
