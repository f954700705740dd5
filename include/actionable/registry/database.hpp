// The one storage interface the registry is written against, with two real backends:
// SQLite (embedded, one file) and PostgreSQL (libpq, multi-centre). Statements use '?'
// placeholders in both (translated to $n for PostgreSQL); values are NULL, 64-bit integers,
// doubles or UTF-8 text. Writes happen inside begin_write() … commit(): on SQLite that is
// BEGIN IMMEDIATE (the writer lock is taken up front, so a write never fails half-way with
// "database is locked"); on PostgreSQL it is BEGIN plus a transaction-scoped advisory lock, so
// writers are serialised the same way on both backends (no lost update, no deadlock).
// Failures are thrown as registry::Error (environmental: disk, server, permissions); input
// problems in records are values (see registry.hpp), never exceptions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace actionable::registry {

/// What went wrong, coarsely (docs/registry.md, "Errors").
enum class ErrorCode : std::uint8_t {
  kDatabase,    ///< any other database failure (I/O, corrupt file, server gone)
  kBusy,        ///< a lock could not be had within the busy timeout (should not surface)
  kConstraint,  ///< a constraint refused the write (unique, foreign key, check, immutability)
  kPermission,  ///< the role may not do this (PostgreSQL privileges or row-level security)
  kSchema,      ///< schema missing, too new, or a migration failed
  kKey,         ///< pseudonymisation key missing, too short, or not the one bound to the DB
  kInput,       ///< a request (not a record) is invalid: unknown patient, bad option, …
  kNotFound,    ///< the thing asked for does not exist (or is outside the scope)
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string const& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

/// A bound parameter or a result cell.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

inline Value null_value() { return Value{}; }
/// Optional helpers: nullopt → NULL.
inline Value opt(std::optional<std::string> const& s) { return s ? Value{*s} : Value{}; }
inline Value opt(std::optional<std::int64_t> const& i) { return i ? Value{*i} : Value{}; }
inline Value opt(std::optional<double> const& d) { return d ? Value{*d} : Value{}; }

/// One result row; accessors convert loosely (an integer column read as double, and so on).
struct Row {
  std::vector<Value> cells;
  bool is_null(std::size_t i) const { return std::holds_alternative<std::monostate>(cells.at(i)); }
  std::int64_t i64(std::size_t i) const;
  double f64(std::size_t i) const;
  std::string text(std::size_t i) const;  ///< NULL → ""
  std::optional<std::string> opt_text(std::size_t i) const;
  std::optional<std::int64_t> opt_i64(std::size_t i) const;
  std::optional<double> opt_f64(std::size_t i) const;
};
using Rows = std::vector<Row>;

enum class Dialect : std::uint8_t {
  kSqlite,    ///< SQLite 3.37+ (STRICT tables, RETURNING)
  kPostgres,  ///< PostgreSQL 12+ (row-level security, identity columns)
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const noexcept = 0;
  /// The URL with any password masked.
  virtual std::string describe() const = 0;

  /// One statement with '?' placeholders; returns all its rows (empty for DML without RETURNING).
  virtual Rows query(std::string_view sql, std::vector<Value> const& params = {}) = 0;
  /// Several statements, no parameters (schema scripts).
  virtual void exec_script(std::string_view sql) = 0;

  /// Start a write transaction that holds the writer lock (see file comment).
  virtual void begin_write() = 0;
  /// Start a read transaction (one consistent snapshot for several queries).
  virtual void begin_read() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  virtual bool in_transaction() const noexcept = 0;

  /// Forget cached prepared statements (after schema changes).
  virtual void clear_statement_cache() noexcept = 0;

  /// SQLite: copy the whole database, as one consistent snapshot, into the new file `path`
  /// (mode 0600; an existing file is refused) with the online backup API (sqlite3_backup_*).
  /// Writers are not blocked (WAL). On failure the partial copy is removed.
  /// PostgreSQL: kInput — back up with pg_dump (docs/registry.md, "Backups").
  virtual void backup_to(std::string const& path) = 0;
  /// SQLite: replace this database's whole content with the database file `path` (backup API
  /// into "main", one write transaction: all or nothing). Not inside a transaction.
  /// PostgreSQL: kInput — restore with pg_restore.
  virtual void restore_from(std::string const& path) = 0;

  /// Convenience: first row's first cell, or nullopt when no row.
  std::optional<Value> scalar(std::string_view sql, std::vector<Value> const& params = {});
};

/// Tuning for the SQLite backend (defaults documented in docs/registry.md).
struct SqliteOptions {
  int busy_timeout_ms = 60000;  ///< how long a writer waits for the lock before kBusy
  bool read_only = false;       ///< open read-only (no file creation)
};

/// Open `path` (created with mode 0600 if missing) with: WAL, synchronous=FULL,
/// foreign_keys=ON, secure_delete=ON, trusted_schema=OFF, defensive mode, busy timeout.
std::unique_ptr<Database> open_sqlite(std::string const& path, SqliteOptions const& options = {});

/// Connect with a libpq connection string or URI. Throws kDatabase when PostgreSQL support was
/// not built (ACTIONABLE_WITH_POSTGRES=OFF).
std::unique_ptr<Database> open_postgres(std::string const& conninfo);

/// "sqlite:PATH", a bare path (SQLite), or "postgresql://…" / "postgres://…".
std::unique_ptr<Database> open_database(std::string const& url, SqliteOptions const& options = {});

/// True when this build can talk to PostgreSQL.
bool postgres_available() noexcept;

/// RAII transaction: rolls back unless commit() was called.
class Transaction {
 public:
  enum class Kind : std::uint8_t { kRead, kWrite };
  Transaction(Database& db, Kind kind) : db_(db) {
    if (kind == Kind::kWrite)
      db_.begin_write();
    else
      db_.begin_read();
  }
  Transaction(Transaction const&) = delete;
  Transaction& operator=(Transaction const&) = delete;
  ~Transaction() {
    if (!done_) db_.rollback();
  }
  void commit() {
    db_.commit();
    done_ = true;
  }

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace actionable::registry
