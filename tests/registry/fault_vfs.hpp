// A test VFS for SQLite fault injection: it wraps the default VFS (sqlite3_vfs_register, made
// the default while installed) and, once armed, fails the (N+1)-th write to a file under a given
// directory with a chosen error (SQLITE_FULL as a full disk, SQLITE_IOERR_WRITE as a failing
// disk) and every write after it, until disarmed. Only xWrite is intercepted; every other call
// goes to the real VFS unchanged.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <string>

namespace regtest {

class FaultVfs {
 public:
  /// Install as the default VFS; the destructor puts the real default back.
  FaultVfs() {
    real_ = sqlite3_vfs_find(nullptr);
    self() = this;
    vfs_ = *real_;
    vfs_.szOsFile = static_cast<int>(sizeof(File)) + real_->szOsFile;
    vfs_.zName = "actionable-fault";
    vfs_.pNext = nullptr;
    vfs_.xOpen = &FaultVfs::open;
    io_ = {};
    io_.iVersion = 3;
    io_.xClose = [](sqlite3_file* f) {
      int rc = real(f)->pMethods->xClose(real(f));
      f->pMethods = nullptr;
      return rc;
    };
    io_.xRead = [](sqlite3_file* f, void* b, int n, sqlite3_int64 o) {
      return real(f)->pMethods->xRead(real(f), b, n, o);
    };
    io_.xWrite = &FaultVfs::write;
    io_.xTruncate = [](sqlite3_file* f, sqlite3_int64 s) { return real(f)->pMethods->xTruncate(real(f), s); };
    io_.xSync = [](sqlite3_file* f, int fl) { return real(f)->pMethods->xSync(real(f), fl); };
    io_.xFileSize = [](sqlite3_file* f, sqlite3_int64* s) { return real(f)->pMethods->xFileSize(real(f), s); };
    io_.xLock = [](sqlite3_file* f, int l) { return real(f)->pMethods->xLock(real(f), l); };
    io_.xUnlock = [](sqlite3_file* f, int l) { return real(f)->pMethods->xUnlock(real(f), l); };
    io_.xCheckReservedLock = [](sqlite3_file* f, int* r) { return real(f)->pMethods->xCheckReservedLock(real(f), r); };
    io_.xFileControl = [](sqlite3_file* f, int op, void* a) { return real(f)->pMethods->xFileControl(real(f), op, a); };
    io_.xSectorSize = [](sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); };
    io_.xDeviceCharacteristics = [](sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); };
    io_.xShmMap = [](sqlite3_file* f, int i, int sz, int e, void volatile** p) {
      return real(f)->pMethods->xShmMap(real(f), i, sz, e, p);
    };
    io_.xShmLock = [](sqlite3_file* f, int o, int n, int fl) { return real(f)->pMethods->xShmLock(real(f), o, n, fl); };
    io_.xShmBarrier = [](sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); };
    io_.xShmUnmap = [](sqlite3_file* f, int d) { return real(f)->pMethods->xShmUnmap(real(f), d); };
    io_.xFetch = [](sqlite3_file* f, sqlite3_int64 o, int n, void** p) {
      return real(f)->pMethods->xFetch(real(f), o, n, p);
    };
    io_.xUnfetch = [](sqlite3_file* f, sqlite3_int64 o, void* p) { return real(f)->pMethods->xUnfetch(real(f), o, p); };
    sqlite3_vfs_register(&vfs_, 1);
  }
  ~FaultVfs() {
    sqlite3_vfs_register(real_, 1);
    sqlite3_vfs_unregister(&vfs_);
    self() = nullptr;
  }
  FaultVfs(FaultVfs const&) = delete;
  FaultVfs& operator=(FaultVfs const&) = delete;

  /// Fail writes to files under `dir` after `allowed` more successful ones, with `error`.
  void arm(std::string dir, long allowed, int error) {
    dir_ = std::move(dir);
    error_ = error;
    left_ = allowed;
  }
  void disarm() { left_ = -1; }
  /// Count writes under `dir` without failing any.
  void count(std::string dir) {
    dir_ = std::move(dir);
    left_ = -1;
    writes_ = 0;
  }
  long writes() const { return writes_; }
  long failed() const { return failed_; }

 private:
  struct File {
    sqlite3_file base;
    bool watched;
  };
  static FaultVfs*& self() {
    static FaultVfs* p = nullptr;
    return p;
  }
  static sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<sqlite3_file*>(reinterpret_cast<File*>(f) + 1); }

  static int open(sqlite3_vfs*, char const* name, sqlite3_file* f, int flags, int* out) {
    FaultVfs* v = self();
    auto* w = reinterpret_cast<File*>(f);
    w->base.pMethods = nullptr;
    w->watched = name && !v->dir_.empty() && std::strncmp(name, v->dir_.c_str(), v->dir_.size()) == 0;
    int rc = v->real_->xOpen(v->real_, name, real(f), flags, out);
    if (rc == SQLITE_OK && real(f)->pMethods) w->base.pMethods = &v->io_;
    return rc;
  }
  static int write(sqlite3_file* f, void const* b, int n, sqlite3_int64 o) {
    FaultVfs* v = self();
    if (reinterpret_cast<File*>(f)->watched) {
      ++v->writes_;
      long left = v->left_.load();
      if (left == 0) {
        ++v->failed_;
        return v->error_;
      }
      if (left > 0) --v->left_;
    }
    return real(f)->pMethods->xWrite(real(f), b, n, o);
  }

  sqlite3_vfs* real_ = nullptr;
  sqlite3_vfs vfs_{};
  sqlite3_io_methods io_{};
  std::string dir_;
  int error_ = SQLITE_FULL;
  std::atomic<long> left_{-1};
  std::atomic<long> writes_{0};
  std::atomic<long> failed_{0};
};

}  // namespace regtest
