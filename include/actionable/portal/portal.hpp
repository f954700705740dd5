// The PI portal (docs/portal.md): password-protected web access to the registry, each centre
// its own. Portal::handle() is a pure function of a Request (plus the database and the clock),
// so it is tested without sockets; HttpServer (http.hpp) puts it on the network.
//
// Every request runs with the logged-in user's centre only: the registry's Scope, and on
// PostgreSQL the centre's role (SET ROLE), so that row-level security refuses other centres'
// rows too. Pages are server-rendered HTML without script; forms carry a CSRF token; every
// login, patient view, report, export and write is in the registry's hash-chained audit log.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "actionable/catalog/catalog.hpp"
#include "actionable/portal/accounts.hpp"
#include "actionable/portal/http.hpp"
#include "actionable/report/report.hpp"

namespace actionable::portal {

struct PortalOptions {
  std::string db;  ///< registry URL (SQLite path or postgresql://…)
  std::shared_ptr<catalog::Catalog const> catalog;
  /// Trust X-Forwarded-For / X-Forwarded-Proto (deployment behind a reverse proxy on the same
  /// host, docs/portal.md): the client address and "https" come from the proxy.
  bool behind_proxy = false;
  /// Cookies get `Secure` and responses HSTS when the request came over TLS or, behind a proxy,
  /// when the proxy says https. Set this to force `Secure` always.
  bool force_secure_cookies = false;
  bool require_totp = false;  ///< every account needs a second factor
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds session_lifetime{12 * 60 * 60};
  int max_failures = 5;  ///< consecutive failures that lock an account
  std::chrono::seconds lockout{15 * 60};
  int address_max_failures = 20;  ///< failures per client address per window
  std::chrono::seconds address_window{15 * 60};
  std::size_t pool_size = 4;  ///< database connections
  report::Language lang = report::Language::kEn;
  std::string engine_version;
  std::string intended_use;
  PasswordPolicy password_policy = PasswordPolicy::standard();
  /// Unix seconds; tests move it to expire sessions and locks.
  std::function<std::int64_t()> clock;
};

class Portal {
 public:
  /// Opens the registry (throws registry::Error when it cannot, or its schema is not current).
  explicit Portal(PortalOptions options);
  ~Portal();
  Portal(Portal const&) = delete;
  Portal& operator=(Portal const&) = delete;

  Response handle(Request const& request);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace actionable::portal
