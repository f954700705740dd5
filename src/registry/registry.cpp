// Registry: opening, schema migrations (SQLite user_version / PostgreSQL meta), centres, roles,
// key binding, scope and the audit append (docs/registry.md).
#include "actionable/registry/registry.hpp"

#include <algorithm>
#include <cctype>

#include "internal.hpp"
#include "util.hpp"
#include "util/ascii.hpp"

namespace actionable::registry {

using detail::placeholders;
using detail::quote_ident;

bool Scope::covers(std::string_view centre) const {
  return centres.empty() || std::find(centres.begin(), centres.end(), centre) != centres.end();
}

namespace detail {

std::string placeholders(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i ? ", ?" : "?";
  return s;
}

std::string quote_ident(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string audit_canonical(std::int64_t seq, std::string const& at, std::string const& actor,
                            std::string const& action, std::optional<std::string> const& centre,
                            std::optional<std::string> const& pseudonym, std::string const& detail,
                            std::string const& prev_hash) {
  auto field = [](std::optional<std::string> const& f) {
    return f ? std::to_string(f->size()) + ":" + *f : std::string("-");
  };
  std::string s = "actionable-audit-v1";
  for (auto const& f : {std::optional<std::string>(std::to_string(seq)), std::optional<std::string>(at),
                        std::optional<std::string>(actor), std::optional<std::string>(action), centre, pseudonym,
                        std::optional<std::string>(detail), std::optional<std::string>(prev_hash)}) {
    s += '|';
    s += field(f);
  }
  return s;
}

}  // namespace detail

namespace {

std::string role_token(std::string_view s) {
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    out += std::isalnum(u) ? util::to_lower(c) : '_';
  }
  return out;
}

}  // namespace

std::unique_ptr<Registry> Registry::open(std::string const& url, OpenOptions options) {
  auto db = open_database(url, options.sqlite);
  return std::make_unique<Registry>(std::move(db), std::move(options));
}

Registry::Registry(std::unique_ptr<Database> db, OpenOptions options)
    : db_(std::move(db)), options_(std::move(options)) {
  if (options_.actor.empty()) options_.actor = detail::default_actor();
}

Registry::~Registry() = default;

int Registry::latest_schema_version() noexcept { return static_cast<int>(detail::sqlite_migrations().size()); }

int Registry::schema_version() {
  if (db_->dialect() == Dialect::kSqlite) {
    Rows rows = db_->query("PRAGMA user_version");
    return rows.empty() ? 0 : static_cast<int>(rows.front().i64(0));
  }
  if (db_->query("SELECT to_regclass('public.meta') IS NOT NULL").at(0).i64(0) == 0) return 0;
  Rows rows = db_->query("SELECT value FROM meta WHERE key = 'schema_version'");
  return rows.empty() ? 0 : static_cast<int>(rows.front().i64(0));
}

void Registry::require_schema() {
  if (schema_checked_) return;
  int v = schema_version();
  if (v != latest_schema_version()) {
    throw Error(ErrorCode::kSchema,
                v == 0 ? "no registry in " + db_->describe() + " (run `actionable registry init`)"
                       : "registry schema version " + std::to_string(v) + ", this build uses " +
                             std::to_string(latest_schema_version()) +
                             (v < latest_schema_version() ? " (run `actionable registry init` to migrate)"
                                                          : " (upgrade actionable)"));
  }
  schema_checked_ = v;
}

void Registry::init(int target) {
  auto const& migrations =
      db_->dialect() == Dialect::kSqlite ? detail::sqlite_migrations() : detail::postgres_migrations();
  if (target < 1 || target > static_cast<int>(migrations.size())) {
    throw Error(ErrorCode::kSchema, "no schema version " + std::to_string(target));
  }
  for (;;) {
    Transaction txn(*db_, Transaction::Kind::kWrite);
    int v = schema_version();  // re-read under the writer lock: another process may have migrated
    if (v > static_cast<int>(migrations.size())) {
      throw Error(ErrorCode::kSchema, "registry schema version " + std::to_string(v) + " is newer than this build (" +
                                          std::to_string(migrations.size()) + "): upgrade actionable");
    }
    if (v >= target) {
      txn.commit();
      break;
    }
    db_->exec_script(migrations[static_cast<std::size_t>(v)]);
    int next = v + 1;
    if (db_->dialect() == Dialect::kSqlite) {
      db_->exec_script("PRAGMA user_version = " + std::to_string(next));
    } else {
      db_->query(
          "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          {std::to_string(next)});
    }
    if (v == 0) {
      db_->query("INSERT INTO meta (key, value) VALUES ('created_at', ?)", {detail::now_timestamp()});
    }
    schema_checked_.reset();
    if (db_->dialect() == Dialect::kPostgres) ensure_postgres_roles();
    audit("schema.migrate", std::nullopt, std::nullopt, nlohmann::json{{"from", v}, {"to", next}}.dump());
    txn.commit();
    db_->clear_statement_cache();
  }
  if (db_->dialect() == Dialect::kPostgres) {
    Transaction txn(*db_, Transaction::Kind::kWrite);
    ensure_postgres_roles();
    txn.commit();
  }
  schema_checked_.reset();
}

void Registry::ensure_postgres_roles() {
  Rows rows = db_->query("SELECT value FROM meta WHERE key = 'role_prefix'");
  std::string prefix;
  if (rows.empty()) {
    std::string dbname = db_->query("SELECT current_database()").at(0).text(0);
    prefix = "act_" + role_token(dbname).substr(0, 40);
    db_->query("INSERT INTO meta (key, value) VALUES ('role_prefix', ?)", {prefix});
  } else {
    prefix = rows.front().text(0);
  }
  std::string app = prefix + "_app";
  db_->exec_script("DO $act$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + app +
                   "') THEN CREATE ROLE " + quote_ident(app) +
                   " NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT; END IF; END $act$;"
                   "GRANT USAGE ON SCHEMA public TO " +
                   quote_ident(app) +
                   ";"
                   "GRANT SELECT, INSERT, UPDATE, DELETE ON patients, consents, samples, tests, findings,"
                   " match_runs, decisions, treatments, follow_ups TO " +
                   quote_ident(app) +
                   ";"
                   "GRANT SELECT, INSERT ON tombstones, rule_sets TO " +
                   quote_ident(app) +
                   ";"
                   "GRANT SELECT ON centres, meta, audit_log TO " +
                   quote_ident(app) +
                   ";"
                   "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " +
                   quote_ident(app) +
                   ";"
                   "GRANT EXECUTE ON FUNCTION actionable_audit_append(text, text, text, text) TO " +
                   quote_ident(app) + ";");
  db_->query("INSERT INTO meta (key, value) VALUES ('app_role', ?) ON CONFLICT (key) DO NOTHING", {app});
}

// ---- scope and centres ------------------------------------------------------------------------

void Registry::act_as(Scope scope, std::string actor) {
  if (db_->in_transaction()) throw Error(ErrorCode::kInput, "act_as() inside a transaction");
  if (db_->dialect() == Dialect::kPostgres) {
    if (scope.centres.size() > 1) {
      throw Error(ErrorCode::kInput, "on PostgreSQL a request acts for one centre or for all");
    }
    db_->exec_script("RESET ROLE");
    db_->query("SELECT set_config('actionable.on_behalf_of', ?, false)", {actor});
    if (scope.centres.size() == 1) {
      Rows rows = db_->query("SELECT role_name FROM centres WHERE code = ?", {scope.centres.front()});
      if (rows.empty() || rows.front().is_null(0)) {
        throw Error(ErrorCode::kNotFound, "unknown centre '" + scope.centres.front() + "'");
      }
      std::string role = rows.front().text(0);
      // The connection's login must be a member of the centre role to SET ROLE to it.
      if (!db_->query("SELECT CASE WHEN pg_has_role(current_user, ?, 'MEMBER') THEN 1 ELSE 0 END", {role})
               .at(0)
               .i64(0)) {
        db_->exec_script("GRANT " + quote_ident(role) + " TO CURRENT_USER");
      }
      db_->exec_script("SET ROLE " + quote_ident(role));
    }
  }
  options_.scope = std::move(scope);
  options_.actor = std::move(actor);
}

std::pair<std::string, std::vector<Value>> Registry::scope_clause(std::string const& column) const {
  if (options_.scope.centres.empty()) return {"1 = 1", {}};
  std::vector<Value> params(options_.scope.centres.begin(), options_.scope.centres.end());
  return {column + " IN (SELECT id FROM centres WHERE code IN (" + placeholders(options_.scope.centres.size()) + "))",
          params};
}

std::int64_t Registry::centre_id(std::string const& code) {
  if (!options_.scope.covers(code)) {
    throw Error(ErrorCode::kNotFound, "centre '" + code + "' is outside this session's scope");
  }
  Rows rows = db_->query("SELECT id FROM centres WHERE code = ?", {code});
  if (rows.empty()) throw Error(ErrorCode::kNotFound, "unknown centre '" + code + "'");
  return rows.front().i64(0);
}

void Registry::add_centre(std::string const& code, std::string const& name) {
  require_schema();
  if (code.empty() || code.size() > 32 || !std::all_of(code.begin(), code.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
      })) {
    throw Error(ErrorCode::kInput, "centre code '" + code + "' must be 1-32 letters, digits, '-', '_' or '.'");
  }
  Transaction txn(*db_, Transaction::Kind::kWrite);
  if (db_->scalar("SELECT id FROM centres WHERE code = ?", {code})) {
    if (!name.empty()) db_->query("UPDATE centres SET name = ? WHERE code = ?", {name, code});
    txn.commit();
    return;
  }
  std::optional<std::string> role;
  if (db_->dialect() == Dialect::kPostgres) {
    std::string prefix = db_->query("SELECT value FROM meta WHERE key = 'role_prefix'").at(0).text(0);
    role = prefix + "_c_" + role_token(code);
    db_->exec_script("DO $act$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + *role +
                     "') THEN CREATE ROLE " + quote_ident(*role) +
                     " NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT; END IF; END $act$;"
                     "GRANT " +
                     quote_ident(prefix + "_app") + " TO " + quote_ident(*role) + ";");
  }
  db_->query("INSERT INTO centres (code, name, role_name) VALUES (?, ?, ?)", {code, name, opt(role)});
  audit("centre.add", code, std::nullopt, nlohmann::json{{"name", name}}.dump());
  txn.commit();
}

std::vector<Centre> Registry::centres() {
  require_schema();
  auto [cond, params] = scope_clause("id");
  Rows rows = db_->query("SELECT id, code, name, role_name FROM centres WHERE " + cond + " ORDER BY code", params);
  std::vector<Centre> out;
  for (Row const& r : rows) out.push_back(Centre{r.i64(0), r.text(1), r.text(2), r.opt_text(3)});
  return out;
}

void Registry::grant_centre(std::string const& code, std::string const& login_role) {
  require_schema();
  if (db_->dialect() != Dialect::kPostgres) {
    throw Error(ErrorCode::kInput, "roles exist only on PostgreSQL (SQLite scopes by --centre)");
  }
  if (login_role.empty() || login_role.size() > 63 || !std::all_of(login_role.begin(), login_role.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
      })) {
    throw Error(ErrorCode::kInput, "role name '" + login_role + "' must be letters, digits or '_'");
  }
  Transaction txn(*db_, Transaction::Kind::kWrite);
  Rows rows = db_->query("SELECT role_name FROM centres WHERE code = ?", {code});
  if (rows.empty() || rows.front().is_null(0)) throw Error(ErrorCode::kNotFound, "unknown centre '" + code + "'");
  std::string centre_role = rows.front().text(0);
  db_->exec_script("DO $act$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + login_role +
                   "') THEN CREATE ROLE " + quote_ident(login_role) +
                   " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT; END IF; END $act$;"
                   "GRANT " +
                   quote_ident(centre_role) + " TO " + quote_ident(login_role) + ";");
  audit("centre.grant", code, std::nullopt, nlohmann::json{{"role", login_role}}.dump());
  txn.commit();
}

void Registry::bind_key(PseudonymKey const& key) {
  require_schema();
  std::string fp = key.fingerprint();
  auto check = [&]() -> bool {
    Rows rows = db_->query("SELECT value FROM meta WHERE key = 'key_fingerprint'");
    if (rows.empty()) return false;
    if (rows.front().text(0) != fp) {
      throw Error(ErrorCode::kKey, "this pseudonymisation key is not the registry's (fingerprint " + fp +
                                       ", registry expects " + rows.front().text(0) + ")");
    }
    return true;
  };
  if (check()) return;
  Transaction txn(*db_, Transaction::Kind::kWrite);
  if (!check()) {
    db_->query("INSERT INTO meta (key, value) VALUES ('key_fingerprint', ?)", {fp});
    audit("key.bind", std::nullopt, std::nullopt, nlohmann::json{{"fingerprint", fp}}.dump());
  }
  txn.commit();
}

// ---- audit ------------------------------------------------------------------------------------

void Registry::audit(std::string const& action, std::optional<std::string> const& centre,
                     std::optional<std::string> const& pseudonym, std::string const& detail_json) {
  if (db_->dialect() == Dialect::kPostgres) {
    db_->query("SELECT actionable_audit_append(?, ?, ?, ?)", {action, opt(centre), opt(pseudonym), detail_json});
    return;
  }
  Rows last = db_->query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  std::int64_t seq = last.empty() ? 1 : last.front().i64(0) + 1;
  std::string prev = last.empty() ? std::string(64, '0') : last.front().text(1);
  std::string at = detail::now_timestamp();
  std::string hash = detail::sha256_hex(
      detail::audit_canonical(seq, at, options_.actor, action, centre, pseudonym, detail_json, prev));
  db_->query(
      "INSERT INTO audit_log (seq, at, actor, action, centre, pseudonym, detail, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {seq, at, options_.actor, action, opt(centre), opt(pseudonym), detail_json, prev, hash});
}

AuditReport Registry::audit_verify() {
  require_schema();
  AuditReport rep;
  Transaction txn(*db_, Transaction::Kind::kRead);
  std::string prev(64, '0');
  std::int64_t expected = 1;
  for (;;) {
    Rows rows = db_->query(
        "SELECT seq, at, actor, action, centre, pseudonym, detail, prev_hash, hash FROM audit_log "
        "WHERE seq >= ? ORDER BY seq LIMIT 5000",
        {expected});
    if (rows.empty()) break;
    for (Row const& r : rows) {
      std::int64_t seq = r.i64(0);
      auto fail = [&](std::string msg) {
        rep.ok = false;
        rep.first_bad_seq = seq;
        rep.message = "entry " + std::to_string(seq) + ": " + msg;
      };
      if (seq != expected)
        fail("sequence gap (expected " + std::to_string(expected) + ")");
      else if (r.text(7) != prev)
        fail("prev_hash does not match the previous entry");
      else {
        std::string h = detail::sha256_hex(detail::audit_canonical(seq, r.text(1), r.text(2), r.text(3), r.opt_text(4),
                                                                   r.opt_text(5), r.text(6), r.text(7)));
        if (h != r.text(8)) fail("hash does not match the entry's content");
      }
      if (!rep.ok) {
        txn.commit();
        return rep;
      }
      prev = r.text(8);
      ++expected;
      ++rep.entries;
    }
  }
  txn.commit();
  rep.head = prev;
  rep.message = std::to_string(rep.entries) + " entries, chain intact";
  return rep;
}

}  // namespace actionable::registry
