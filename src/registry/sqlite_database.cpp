// SQLite backend. Every connection gets the same pragmas (docs/registry.md, "SQLite"):
// journal_mode=WAL, synchronous=FULL (a commit is durable once it returns), foreign_keys=ON,
// secure_delete=ON (forgotten rows are overwritten, not left in free pages), trusted_schema=OFF,
// SQLITE_DBCONFIG_DEFENSIVE, and a busy timeout. Writers use BEGIN IMMEDIATE so the write lock is
// taken before any read: no deferred-upgrade deadlocks and no SQLITE_BUSY in the middle of work.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <unordered_map>

#include "actionable/registry/database.hpp"

namespace actionable::registry {
namespace {

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, SqliteOptions const& options) : path_(std::move(path)), options_(options) {
    if (!options.read_only) {
      // Create the file ourselves so that it (and the -wal / -shm files SQLite derives from
      // it) is readable by the owner only: the registry holds health data.
      int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
      if (fd < 0) throw Error(ErrorCode::kDatabase, "cannot create '" + path_ + "'");
      ::close(fd);
    }
    int flags = (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX |
                SQLITE_OPEN_EXRESCODE;
    int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw Error(ErrorCode::kDatabase, "cannot open '" + path_ + "': " + msg);
    }
    sqlite3_busy_timeout(db_, options.busy_timeout_ms);
    sqlite3_db_config(db_, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(db_, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
    try {
      // journal_mode needs a brief exclusive lock the first time: retry on busy.
      if (!options.read_only) {
        retry_busy([&] {
          Rows r = query("PRAGMA journal_mode=WAL");
          if (r.empty() || r.front().text(0) != "wal") {
            throw Error(ErrorCode::kDatabase, "cannot switch '" + path_ + "' to WAL");
          }
        });
      }
      exec_script(
          "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
          "PRAGMA trusted_schema=OFF; PRAGMA temp_store=MEMORY;");
    } catch (...) {
      close();
      throw;
    }
  }

  ~SqliteDatabase() override { close(); }

  Dialect dialect() const noexcept override { return Dialect::kSqlite; }
  std::string describe() const override { return "sqlite:" + path_; }

  Rows query(std::string_view sql, std::vector<Value> const& params = {}) override {
    sqlite3_stmt* stmt = prepare(sql);
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    int n = sqlite3_bind_parameter_count(stmt);
    if (n != static_cast<int>(params.size())) {
      throw Error(ErrorCode::kDatabase, "statement expects " + std::to_string(n) + " parameters, got " +
                                            std::to_string(params.size()) + ": " + std::string(sql));
    }
    for (int i = 0; i < n; ++i) {
      Value const& v = params[static_cast<std::size_t>(i)];
      int brc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v))
        brc = sqlite3_bind_null(stmt, i + 1);
      else if (auto const* iv = std::get_if<std::int64_t>(&v))
        brc = sqlite3_bind_int64(stmt, i + 1, *iv);
      else if (auto const* dv = std::get_if<double>(&v))
        brc = sqlite3_bind_double(stmt, i + 1, *dv);
      else {
        auto const& s = std::get<std::string>(v);
        brc = sqlite3_bind_text64(stmt, i + 1, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      if (brc != SQLITE_OK) fail(brc, sql);
    }
    Rows rows;
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(rc, sql);
      int cols = sqlite3_column_count(stmt);
      Row row;
      row.cells.reserve(static_cast<std::size_t>(cols));
      for (int c = 0; c < cols; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL: row.cells.emplace_back(); break;
          case SQLITE_INTEGER: row.cells.emplace_back(std::int64_t{sqlite3_column_int64(stmt, c)}); break;
          case SQLITE_FLOAT: row.cells.emplace_back(sqlite3_column_double(stmt, c)); break;
          default: {
            auto const* p = reinterpret_cast<char const*>(sqlite3_column_text(stmt, c));
            int len = sqlite3_column_bytes(stmt, c);
            row.cells.emplace_back(std::string(p ? p : "", static_cast<std::size_t>(len)));
          }
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  void exec_script(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      throw Error(classify(rc), "SQLite: " + msg);
    }
  }

  void begin_write() override {
    if (in_txn_) throw Error(ErrorCode::kDatabase, "nested transaction");
    // busy_timeout already waits; the loop only guards against a handler that gives up early
    // (e.g. SQLITE_BUSY_RECOVERY while another process replays the WAL).
    retry_busy([&] { exec_script("BEGIN IMMEDIATE"); });
    in_txn_ = true;
  }
  void begin_read() override {
    if (in_txn_) throw Error(ErrorCode::kDatabase, "nested transaction");
    exec_script("BEGIN DEFERRED");
    in_txn_ = true;
  }
  void commit() override {
    retry_busy([&] { exec_script("COMMIT"); });
    in_txn_ = false;
  }
  void rollback() noexcept override {
    if (!in_txn_) return;
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    in_txn_ = false;
  }
  bool in_transaction() const noexcept override { return in_txn_; }

  void clear_statement_cache() noexcept override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }

  void backup_to(std::string const& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      int const err = errno;
      if (err == EEXIST) throw Error(ErrorCode::kInput, "'" + path + "' exists: a backup never overwrites a file");
      throw Error(ErrorCode::kDatabase, "cannot create '" + path + "': " + std::strerror(err));
    }
    ::close(fd);
    sqlite3* dst = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                             nullptr);
    std::string error;
    if (rc == SQLITE_OK) {
      error = copy(dst, db_);
      if (error.empty()) {
        // The copy's header says WAL: checkpoint and close, so that the file alone is the backup.
        if (sqlite3_wal_checkpoint_v2(dst, "main", SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr) != SQLITE_OK)
          error = sqlite3_errmsg(dst);
      }
    } else {
      error = dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc);
    }
    if (sqlite3_close(dst) != SQLITE_OK && error.empty()) error = "cannot close the copy";
    if (!error.empty()) {
      for (char const* suffix : {"", "-wal", "-shm", "-journal"}) ::unlink((path + suffix).c_str());
      throw Error(ErrorCode::kDatabase, "backup to '" + path + "' failed (nothing kept): " + error);
    }
  }

  void restore_from(std::string const& path) override {
    if (in_txn_) throw Error(ErrorCode::kDatabase, "restore inside a transaction");
    sqlite3* src = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &src, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                             nullptr);
    clear_statement_cache();  // no statement of this connection may be active during the copy
    std::string error = rc == SQLITE_OK ? copy(db_, src) : (src ? sqlite3_errmsg(src) : sqlite3_errstr(rc));
    sqlite3_close(src);
    if (!error.empty()) {
      throw Error(ErrorCode::kDatabase, "restore from '" + path + "' failed (the registry is unchanged): " + error);
    }
  }

 private:
  template <class F>
  void retry_busy(F&& f) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.busy_timeout_ms);
    for (int attempt = 0;; ++attempt) {
      try {
        f();
        return;
      } catch (Error const& e) {
        if (e.code() != ErrorCode::kBusy || std::chrono::steady_clock::now() > deadline) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(1 + (attempt % 20)));
      }
    }
  }

  /// The whole of `from`'s main database into `to`'s in one step (one read snapshot of the
  /// source, one write transaction on the destination: a failure leaves the destination as it
  /// was). Waits for locks up to the busy timeout. Returns "" or the error.
  std::string copy(sqlite3* to, sqlite3* from) {
    sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) return sqlite3_errmsg(to);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.busy_timeout_ms);
    int rc = SQLITE_OK;
    for (;;) {
      rc = sqlite3_backup_step(b, -1);
      if (rc == SQLITE_DONE) break;
      if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) break;
      if (std::chrono::steady_clock::now() > deadline) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    sqlite3_backup_finish(b);
    if (rc == SQLITE_DONE) return "";
    std::string msg = sqlite3_errmsg(to);
    return msg == "not an error" ? sqlite3_errstr(rc) : msg;
  }

  sqlite3_stmt* prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    int rc =
        sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) fail(rc, sql);
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  static ErrorCode classify(int rc) {
    switch (rc & 0xff) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED: return ErrorCode::kBusy;
      case SQLITE_CONSTRAINT: return ErrorCode::kConstraint;
      case SQLITE_PERM:
      case SQLITE_AUTH:
      case SQLITE_READONLY: return ErrorCode::kPermission;
      default: return ErrorCode::kDatabase;
    }
  }

  [[noreturn]] void fail(int rc, std::string_view sql) {
    std::string msg = sqlite3_errmsg(db_);
    throw Error(classify(rc), "SQLite: " + msg + " [" + std::string(sql.substr(0, 80)) + "]");
  }

  void close() noexcept {
    if (!db_) return;
    if (in_txn_) rollback();
    clear_statement_cache();
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }

  std::string path_;
  SqliteOptions options_;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  bool in_txn_ = false;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(std::string const& path, SqliteOptions const& options) {
  return std::make_unique<SqliteDatabase>(path, options);
}

}  // namespace actionable::registry
