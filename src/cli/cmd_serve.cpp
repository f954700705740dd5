// actionable serve --db DB --listen 127.0.0.1:8080 — the PI portal (docs/portal.md): password-
// protected web access to the registry, each centre its own. TLS with --tls-cert/--tls-key, or
// behind a reverse proxy with --behind-proxy. One JSON access-log line per request on stderr.
#include <iostream>
#include <mutex>

#include "actionable/portal/portal.hpp"
#include "cli/commands.hpp"

namespace actionable::cli {

namespace {

struct ServeOptions {
  std::string db;
  std::string listen = "127.0.0.1:8080";
  std::string tls_cert, tls_key;
  bool behind_proxy = false, secure_cookies = false, require_totp = false, quiet = false;
  std::string idle = "30m", lifetime = "12h", request_timeout = "10s";
  int threads = 4;
  std::string common_passwords, lang = "en", intended_use;
};

/// "90s", "30m", "12h" (a bare number is seconds).
std::chrono::seconds duration(std::string const& text, char const* option) {
  std::size_t used = 0;
  long long v = -1;
  try {
    v = std::stoll(text, &used);
  } catch (...) {
  }
  std::string unit = text.substr(used);
  long long mult = unit.empty() || unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : 0;
  if (v <= 0 || mult == 0 || v > 7LL * 24 * 3600) {
    std::cerr << "actionable serve: " << option << " takes a duration like 90s, 30m or 12h\n";
    throw CLI::RuntimeError(2);
  }
  return std::chrono::seconds(v * mult);
}

void run_serve(ServeOptions const& o, Common& common) {
  std::string db = o.db;
  if (db.empty()) {
    if (char const* e = std::getenv("ACTIONABLE_DB"); e && *e)
      db = e;
    else
      db = "sqlite:./actionable.db";
  }
  auto colon = o.listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "actionable serve: --listen HOST:PORT (e.g. 127.0.0.1:8080)\n";
    throw CLI::RuntimeError(2);
  }
  std::string host = o.listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    port = std::stoi(o.listen.substr(colon + 1));
  } catch (...) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    std::cerr << "actionable serve: bad port in --listen " << o.listen << "\n";
    throw CLI::RuntimeError(2);
  }
  portal::PortalOptions po;
  po.db = db;
  po.catalog = common.catalog();
  po.behind_proxy = o.behind_proxy;
  po.force_secure_cookies = o.secure_cookies;
  po.require_totp = o.require_totp;
  po.idle_timeout = duration(o.idle, "--idle-timeout");
  po.session_lifetime = duration(o.lifetime, "--session-lifetime");
  auto request_timeout = duration(o.request_timeout, "--request-timeout");
  po.pool_size = static_cast<std::size_t>(std::max(1, o.threads));
  po.lang = *report::parse_language(o.lang);
  po.engine_version = ACTIONABLE_VERSION;
  po.intended_use = o.intended_use;
  std::mutex log_mu;
  try {
    po.password_policy = portal::PasswordPolicy::standard(o.common_passwords);
    portal::Portal app(std::move(po));
    portal::HttpOptions ho;
    ho.host = host;
    ho.port = static_cast<std::uint16_t>(port);
    ho.tls_cert = o.tls_cert;
    ho.tls_key = o.tls_key;
    ho.workers = std::max(1, o.threads);
    ho.request_timeout = request_timeout;
    if (!o.quiet) {
      ho.access_log = [&log_mu](std::string const& line) {
        std::lock_guard lock(log_mu);
        std::cerr << line << "\n";
      };
    }
    portal::HttpServer server(ho, [&app](portal::Request const& r) { return app.handle(r); });
    std::cerr << "actionable serve: listening on " << (o.tls_cert.empty() ? "http" : "https") << "://"
              << (host.find(':') != std::string::npos ? "[" + host + "]" : host) << ":" << server.port()
              << "/ (registry " << (db.rfind("postgres", 0) == 0 ? "postgresql" : db) << ")" << std::endl;
    server.run();
    std::cerr << "actionable serve: stopped\n";
  } catch (registry::Error const& e) {
    std::cerr << "actionable serve: " << e.what() << "\n";
    throw CLI::RuntimeError(1);
  } catch (std::runtime_error const& e) {
    std::cerr << "actionable serve: " << e.what() << "\n";
    throw CLI::RuntimeError(1);
  }
}

}  // namespace

void setup_serve(CLI::App& app, Common& common) {
  auto o = std::make_shared<ServeOptions>();
  auto* sub =
      app.add_subcommand("serve", "The PI portal: password-protected web access to the registry (docs/portal.md)");
  // The portal's flags, alike in shape to `registry report`'s: each sets its own ServeOptions field.
  sub->add_option("--db", o->db, "sqlite:PATH (default ./actionable.db, or $ACTIONABLE_DB) or postgresql://…");
  sub->add_option("--listen", o->listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 = any free port)");
  sub->add_option("--tls-cert", o->tls_cert, "PEM certificate chain (with --tls-key): serve HTTPS");
  sub->add_option("--tls-key", o->tls_key, "PEM private key");
  sub->add_flag("--behind-proxy", o->behind_proxy,
                "Trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy on this host");
  sub->add_flag("--secure-cookies", o->secure_cookies, "Always mark cookies Secure (HTTPS terminated elsewhere)");
  sub->add_flag("--require-totp", o->require_totp, "Every account needs a TOTP second factor");
  sub->add_option("--idle-timeout", o->idle, "Inactivity that ends a session (default 30m; 90s, 30m, 2h)");
  sub->add_option("--session-lifetime", o->lifetime, "Time after which a session ends anyway (default 12h)");
  sub->add_option("--request-timeout", o->request_timeout, "Time to receive one request before 408 (default 10s)");
  sub->add_option("--threads", o->threads, "Worker threads and database connections (default 4)")
      ->check(CLI::Range(1, 64));
  sub->add_option("--common-passwords", o->common_passwords, "Extra list of common passwords (one a line)");
  sub->add_option("--lang", o->lang, "Report language: en, nl or fr")->check(CLI::IsMember({"en", "nl", "fr"}));
  sub->add_option("--intended-use", o->intended_use, "The deployment's intended-use statement for reports");
  sub->add_flag("--quiet", o->quiet, "No access log");
  sub->callback([o, &common] { run_serve(*o, common); });
}

}  // namespace actionable::cli
