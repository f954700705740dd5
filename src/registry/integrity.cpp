// integrity-check: the database's own checks (SQLite integrity_check / foreign_key_check), the
// schema version, stored result hashes, the audit chain, and on PostgreSQL the security
// posture (RLS enabled on every scoped table, application roles neither owners, superusers nor
// BYPASSRLS). A database error while checking (a corrupt page) is reported as a problem.
#include "actionable/registry/registry.hpp"
#include "internal.hpp"
#include "util.hpp"

namespace actionable::registry {

namespace {

void run_checks(Registry& reg, IntegrityReport& rep) {
  Database& db = reg.database();
  auto problem = [&](std::string p) {
    rep.ok = false;
    rep.problems.push_back(std::move(p));
  };
  int v = reg.schema_version();
  rep.checks.push_back("schema version " + std::to_string(v));
  if (v != Registry::latest_schema_version()) {
    problem("schema version " + std::to_string(v) + ", expected " + std::to_string(Registry::latest_schema_version()));
    return;
  }
  if (db.dialect() == Dialect::kSqlite) {
    rep.checks.push_back("PRAGMA integrity_check");
    for (Row const& r : db.query("PRAGMA integrity_check")) {
      if (r.text(0) != "ok") problem("integrity_check: " + r.text(0));
    }
    rep.checks.push_back("PRAGMA foreign_key_check");
    for (Row const& r : db.query("PRAGMA foreign_key_check")) {
      problem("foreign key violation in " + r.text(0) + " rowid " + r.text(1) + " → " + r.text(2));
    }
    rep.checks.push_back("journal_mode = wal");
    if (db.query("PRAGMA journal_mode").at(0).text(0) != "wal") problem("journal_mode is not WAL");
    if (db.query("PRAGMA application_id").at(0).i64(0) != 1094931538)
      problem("not an actionable registry file (application_id)");
  } else {
    rep.checks.push_back("row-level security on every scoped table");
    for (std::string const& t : Registry::scoped_tables()) {
      Rows rows = db.query("SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass(?)", {"public." + t});
      if (rows.empty() || rows.front().i64(0) == 0) problem("row-level security is off on " + t);
    }
    rep.checks.push_back("application roles: not owner, not superuser, not BYPASSRLS");
    Rows app = db.query("SELECT value FROM meta WHERE key = 'app_role'");
    if (app.empty()) {
      problem("no application role recorded (run `actionable registry init`)");
    } else {
      // Every role that is (directly or through other roles) a member of the app role.
      Rows bad = db.query(
          "WITH RECURSIVE m(oid) AS ("
          "  SELECT member FROM pg_auth_members WHERE roleid = (SELECT oid FROM pg_roles WHERE rolname = ?)"
          "  UNION SELECT a.member FROM pg_auth_members a JOIN m ON a.roleid = m.oid) "
          "SELECT r.rolname, r.rolsuper, r.rolbypassrls, "
          "  pg_has_role(r.oid, (SELECT relowner FROM pg_class WHERE oid = to_regclass('public.patients')), 'MEMBER') "
          "FROM pg_roles r JOIN m ON m.oid = r.oid ORDER BY r.rolname",
          {app.front().text(0)});
      for (Row const& r : bad) {
        if (r.i64(1)) problem("role " + r.text(0) + " is a superuser");
        if (r.i64(2)) problem("role " + r.text(0) + " has BYPASSRLS");
        if (r.i64(3)) problem("role " + r.text(0) + " owns (or is a member of the owner of) the registry tables");
      }
    }
  }
  rep.checks.push_back("stored match results against their sha256");
  std::int64_t last = 0;
  auto [cond, params] = reg.scope_clause("centre_id");
  for (;;) {
    std::vector<Value> p = {last};
    p.insert(p.end(), params.begin(), params.end());
    Rows rows = db.query(
        "SELECT id, result, result_sha FROM match_runs WHERE id > ? AND " + cond + " ORDER BY id LIMIT 2000", p);
    if (rows.empty()) break;
    for (Row const& r : rows) {
      last = r.i64(0);
      if (detail::sha256_hex(r.text(1)) != r.text(2)) problem("match run " + std::to_string(last) + ": result altered");
    }
  }
  rep.checks.push_back("audit hash chain");
  AuditReport a = reg.audit_verify();
  if (!a.ok) problem("audit log: " + a.message);
}

}  // namespace

IntegrityReport Registry::integrity_check() {
  IntegrityReport rep;
  auto problem = [&](std::string p) {
    rep.ok = false;
    rep.problems.push_back(std::move(p));
  };
  // A damaged file makes reads fail (SQLITE_CORRUPT, I/O errors): that is a finding of the
  // check, reported with the step it stopped at, not an exception out of it.
  try {
    run_checks(*this, rep);
  } catch (Error const& e) {
    if (db_->in_transaction()) db_->rollback();
    problem("stopped at '" + (rep.checks.empty() ? std::string("schema version") : rep.checks.back()) +
            "': " + e.what());
  }
  return rep;
}

}  // namespace actionable::registry
