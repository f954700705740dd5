// PostgreSQL backend over libpq. Statements are prepared once per connection (named by a
// counter) with '?' rewritten to $1…$n outside quotes; values travel as text. Writers take
// pg_advisory_xact_lock(kWriterLock) right after BEGIN, which serialises registry writes the
// way SQLite's BEGIN IMMEDIATE does (the audit hash chain needs one writer at a time anyway).
// Built only with ACTIONABLE_WITH_POSTGRES; otherwise open_postgres() throws.
#include "actionable/registry/database.hpp"

#ifdef ACTIONABLE_HAVE_POSTGRES
#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <unordered_map>
#endif

namespace actionable::registry {

#ifdef ACTIONABLE_HAVE_POSTGRES
namespace {

constexpr char const* kWriterLockSql = "SELECT pg_advisory_xact_lock(7163545432115212801)";

// Type OIDs from pg_type.h (stable across releases).
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700, kFloat8 = 701, kNumeric = 1700;

std::string translate_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

ErrorCode classify(char const* sqlstate) {
  if (!sqlstate) return ErrorCode::kDatabase;
  std::string s(sqlstate);
  if (s.rfind("23", 0) == 0) return ErrorCode::kConstraint;
  if (s == "42501") return ErrorCode::kPermission;
  if (s == "40001" || s == "40P01" || s == "55P03") return ErrorCode::kBusy;
  if (s == "P0001") return ErrorCode::kConstraint;  // RAISE EXCEPTION in our triggers
  return ErrorCode::kDatabase;
}

std::string mask_password(std::string const& url) {
  static std::regex const re(R"(^(postgres(?:ql)?://[^:/@]+):[^@]*@)");
  return std::regex_replace(url, re, "$1:***@");
}

class PostgresDatabase final : public Database {
 public:
  explicit PostgresDatabase(std::string const& conninfo) : url_(mask_password(conninfo)) {
    conn_ = PQconnectdb(conninfo.c_str());
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = conn_ ? PQerrorMessage(conn_) : "out of memory";
      if (conn_) PQfinish(conn_);
      conn_ = nullptr;
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
      throw Error(ErrorCode::kDatabase, "cannot connect to " + url_ + ": " + msg);
    }
    PQsetNoticeProcessor(
        conn_, [](void*, char const*) {}, nullptr);
    exec_script("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'");
  }
  ~PostgresDatabase() override {
    if (conn_) PQfinish(conn_);
  }

  Dialect dialect() const noexcept override { return Dialect::kPostgres; }
  std::string describe() const override { return url_; }

  Rows query(std::string_view sql, std::vector<Value> const& params = {}) override {
    std::string const& name = prepare(sql);
    std::vector<std::string> storage(params.size());
    std::vector<char const*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
      Value const& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) continue;
      if (auto const* iv = std::get_if<std::int64_t>(&v))
        storage[i] = std::to_string(*iv);
      else if (auto const* dv = std::get_if<double>(&v)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", *dv);
        storage[i] = buf;
      } else
        storage[i] = std::get<std::string>(v);
      values[i] = storage[i].c_str();
    }
    PGresult* res =
        PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(), nullptr, nullptr, 0);
    return collect(res, sql);
  }

  void exec_script(std::string_view sql) override {
    std::string s(sql);
    PGresult* res = PQexec(conn_, s.c_str());
    collect(res, sql);
  }

  void begin_write() override {
    if (in_txn_) throw Error(ErrorCode::kDatabase, "nested transaction");
    exec_script("BEGIN");
    in_txn_ = true;
    try {
      exec_script(kWriterLockSql);
    } catch (...) {
      rollback();
      throw;
    }
  }
  void begin_read() override {
    if (in_txn_) throw Error(ErrorCode::kDatabase, "nested transaction");
    exec_script("BEGIN ISOLATION LEVEL REPEATABLE READ");
    in_txn_ = true;
  }
  void commit() override {
    in_txn_ = false;
    exec_script("COMMIT");
  }
  void rollback() noexcept override {
    if (!in_txn_ || !conn_) return;
    in_txn_ = false;
    PQclear(PQexec(conn_, "ROLLBACK"));
  }
  bool in_transaction() const noexcept override { return in_txn_; }
  void clear_statement_cache() noexcept override {
    if (conn_ && !in_txn_) PQclear(PQexec(conn_, "DEALLOCATE ALL"));
    if (!in_txn_) prepared_.clear();
  }
  void backup_to(std::string const&) override {
    throw Error(ErrorCode::kInput,
                "a PostgreSQL registry is backed up with pg_dump -Fc (and its roles with pg_dumpall "
                "--roles-only): docs/registry.md, \"Backups\"");
  }
  void restore_from(std::string const&) override {
    throw Error(ErrorCode::kInput, "a PostgreSQL registry is restored with pg_restore: docs/registry.md, \"Backups\"");
  }

 private:
  std::string const& prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = prepared_.find(key); it != prepared_.end()) return it->second;
    std::string name = "s" + std::to_string(++counter_);
    std::string text = translate_placeholders(sql);
    PGresult* res = PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr);
    collect(res, sql);
    return prepared_.emplace(std::move(key), std::move(name)).first->second;
  }

  Rows collect(PGresult* res, std::string_view sql) {
    struct Clear {
      PGresult* r;
      ~Clear() { PQclear(r); }
    } clear{res};
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      char const* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
      std::string msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
      if (PQstatus(conn_) != CONNECTION_OK) in_txn_ = false;
      throw Error(classify(state), "PostgreSQL: " + msg + " [" + std::string(sql.substr(0, 80)) + "]");
    }
    Rows rows;
    if (st != PGRES_TUPLES_OK) return rows;
    int nrows = PQntuples(res);
    int ncols = PQnfields(res);
    rows.reserve(static_cast<std::size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      Row row;
      row.cells.reserve(static_cast<std::size_t>(ncols));
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(res, r, c)) {
          row.cells.emplace_back();
          continue;
        }
        char const* v = PQgetvalue(res, r, c);
        switch (PQftype(res, c)) {
          case kInt2:
          case kInt4:
          case kInt8:
          case kOid: row.cells.emplace_back(std::int64_t{std::strtoll(v, nullptr, 10)}); break;
          case kBool: row.cells.emplace_back(std::int64_t{v[0] == 't' ? 1 : 0}); break;
          case kFloat4:
          case kFloat8: row.cells.emplace_back(std::strtod(v, nullptr)); break;
          case kNumeric:
            if (std::strchr(v, '.') || std::strchr(v, 'e') || std::strchr(v, 'N'))
              row.cells.emplace_back(std::strtod(v, nullptr));
            else
              row.cells.emplace_back(std::int64_t{std::strtoll(v, nullptr, 10)});
            break;
          default: row.cells.emplace_back(std::string(v, static_cast<std::size_t>(PQgetlength(res, r, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  std::string url_;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;
  long counter_ = 0;
  bool in_txn_ = false;
};

}  // namespace

std::unique_ptr<Database> open_postgres(std::string const& conninfo) {
  return std::make_unique<PostgresDatabase>(conninfo);
}
bool postgres_available() noexcept { return true; }

#else

std::unique_ptr<Database> open_postgres(std::string const&) {
  throw Error(ErrorCode::kDatabase,
              "this build has no PostgreSQL support (configure with ACTIONABLE_WITH_POSTGRES=ON)");
}
bool postgres_available() noexcept { return false; }

#endif

}  // namespace actionable::registry
