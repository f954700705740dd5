// Backups of a SQLite registry (docs/registry.md, "Backups"): SQLite's online backup API copies
// one consistent snapshot into a new 0600 file while writers go on; restore checks the backup
// (a registry, this build's schema, integrity_check and the audit chain) before it copies it
// over the live database in one transaction, and then records the restore in the audit log.
// PostgreSQL registries are backed up with pg_dump / pg_restore (the Database refuses).
#include <cstdio>

#include <nlohmann/json.hpp>

#include "actionable/registry/registry.hpp"

namespace actionable::registry {

void Registry::backup(std::string const& path) {
  require_schema();
  db_->backup_to(path);
  // Read the copy back: a backup that cannot be opened or fails its check is not kept.
  try {
    auto copy = open_sqlite(path);
    Rows rows = copy->query("PRAGMA integrity_check");
    if (rows.empty() || rows.front().text(0) != "ok") {
      throw Error(ErrorCode::kDatabase,
                  "the copy fails integrity_check: " + (rows.empty() ? "" : rows.front().text(0)));
    }
  } catch (Error const& e) {
    for (char const* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    throw Error(ErrorCode::kDatabase, "backup to '" + path + "' failed (nothing kept): " + e.what());
  }
}

void Registry::restore(std::string const& path) {
  if (db_->dialect() != Dialect::kSqlite) {
    db_->restore_from(path);  // throws kInput: pg_restore
    return;
  }
  if (db_->in_transaction()) throw Error(ErrorCode::kDatabase, "restore inside a transaction");
  AuditReport chain;
  {
    std::unique_ptr<Registry> source;
    try {
      OpenOptions o;
      o.actor = options_.actor;
      source = Registry::open("sqlite:" + path, o);
    } catch (Error const& e) {
      throw Error(ErrorCode::kInput, "'" + path + "' cannot be restored: " + e.what());
    }
    auto refuse = [&](std::string const& why) {
      throw Error(ErrorCode::kInput, "'" + path + "' cannot be restored (the registry is unchanged): " + why);
    };
    std::int64_t app_id = 0;
    int v = 0;
    try {
      app_id = source->database().query("PRAGMA application_id").at(0).i64(0);
      v = source->schema_version();
    } catch (Error const& e) {
      refuse(e.what());
    }
    if (app_id != 1094931538) refuse("not an actionable registry file");
    if (v != latest_schema_version())
      refuse("schema version " + std::to_string(v) + ", this build uses " + std::to_string(latest_schema_version()));
    IntegrityReport ic;
    try {
      ic = source->integrity_check();
    } catch (Error const& e) {
      refuse(e.what());
    }
    if (!ic.ok) refuse("integrity check: " + ic.problems.front());
    chain = source->audit_verify();
  }
  db_->restore_from(path);
  schema_checked_.reset();
  centre_ids_.clear();
  Transaction txn(*db_, Transaction::Kind::kWrite);
  audit("registry.restore", std::nullopt, std::nullopt,
        nlohmann::json{{"restored_entries", chain.entries}, {"restored_head", chain.head}}.dump());
  txn.commit();
}

}  // namespace actionable::registry
