// Keyed pseudonyms: HMAC-SHA-256 with a key held outside the database. A key file that group
// or others may access is refused (like ssh's private keys); key bytes never appear in an error
// message, and buffers that held them are cleansed.
#include "actionable/registry/pseudonym.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "actionable/registry/database.hpp"
#include "util.hpp"

namespace actionable::registry {

namespace {
constexpr std::size_t kMinKeyBytes = 32;
}

PseudonymKey PseudonymKey::from_bytes(std::string bytes) {
  while (!bytes.empty() &&
         (bytes.back() == '\n' || bytes.back() == '\r' || bytes.back() == ' ' || bytes.back() == '\t'))
    bytes.pop_back();
  if (bytes.size() < kMinKeyBytes) {
    throw Error(ErrorCode::kKey,
                "pseudonymisation key too short (" + std::to_string(bytes.size()) + " bytes; at least 32 are needed)");
  }
  return PseudonymKey(std::move(bytes));
}

PseudonymKey PseudonymKey::from_file(std::string const& path) {
  // open + fstat on the same descriptor: the mode checked is the mode of the file read.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) throw Error(ErrorCode::kKey, "cannot read key file '" + path + "'");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(ErrorCode::kKey, "key file '" + path + "' is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw Error(ErrorCode::kKey, "key file '" + path + "' is accessible by group or others (mode " + mode +
                                     "): refused; run `chmod 600 " + path + "`");
  }
  std::string bytes;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      OPENSSL_cleanse(buf, sizeof buf);
      OPENSSL_cleanse(bytes.data(), bytes.size());
      throw Error(ErrorCode::kKey, "cannot read key file '" + path + "'");
    }
    if (n == 0) break;
    bytes.append(buf, static_cast<std::size_t>(n));
    if (bytes.size() > 65536) break;  // a key file is 65 bytes; do not slurp a wrong path
  }
  ::close(fd);
  OPENSSL_cleanse(buf, sizeof buf);
  try {
    PseudonymKey key = from_bytes(bytes);
    OPENSSL_cleanse(bytes.data(), bytes.size());
    return key;
  } catch (...) {
    OPENSSL_cleanse(bytes.data(), bytes.size());
    throw;
  }
}

std::optional<PseudonymKey> PseudonymKey::from_environment() {
  if (char const* f = std::getenv("ACTIONABLE_PSEUDONYM_KEY_FILE"); f && *f) return from_file(f);
  if (char const* k = std::getenv("ACTIONABLE_PSEUDONYM_KEY"); k && *k) return from_bytes(k);
  return std::nullopt;
}

std::string PseudonymKey::generate_hex() {
  unsigned char buf[32];
  if (RAND_bytes(buf, sizeof buf) != 1) throw Error(ErrorCode::kKey, "no randomness for a key");
  std::string hex = detail::to_hex(std::string_view(reinterpret_cast<char const*>(buf), sizeof buf));
  OPENSSL_cleanse(buf, sizeof buf);
  return hex;
}

void PseudonymKey::write_new_key_file(std::string const& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw Error(ErrorCode::kKey, "cannot create key file '" + path + "' (exists?)");
  std::string hex = generate_hex() + "\n";
  bool ok = ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  OPENSSL_cleanse(hex.data(), hex.size());
  if (!ok) throw Error(ErrorCode::kKey, "cannot write key file '" + path + "'");
}

PseudonymKey::~PseudonymKey() {
  if (!key_.empty()) OPENSSL_cleanse(key_.data(), key_.size());
}

std::string PseudonymKey::pseudonym(std::string_view centre, std::string_view local_id) const {
  std::string msg;
  msg.reserve(centre.size() + local_id.size() + 1);
  msg.append(centre).push_back('\x1f');
  msg.append(local_id);
  return detail::hmac_sha256_hex(key_, msg);
}

std::string PseudonymKey::fingerprint() const {
  return detail::hmac_sha256_hex(key_, "actionable pseudonym key fingerprint v1").substr(0, 32);
}

}  // namespace actionable::registry
