// Hashing and time helpers (OpenSSL EVP / HMAC one-shot APIs).
#include "util.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "actionable/registry/database.hpp"
#include "util/sha256.hpp"

namespace actionable::registry::detail {

std::string to_hex(std::string_view bytes) { return util::to_hex(bytes); }

std::string sha256_hex(std::string_view data) {
  auto hex = util::sha256_hex(data);
  if (hex.empty()) throw Error(ErrorCode::kDatabase, "SHA-256 failed");
  return hex;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<unsigned char const*>(data.data()),
            data.size(), md, &len)) {
    throw Error(ErrorCode::kKey, "HMAC-SHA-256 failed");
  }
  return to_hex(std::string_view(reinterpret_cast<char const*>(md), len));
}

// Like portal/http.cpp's iso_now() but to the microsecond (stored times); see there.
std::string now_timestamp() {
  auto now = std::chrono::system_clock::now();
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(us % 1000000));
  return buf;
}

std::string default_actor() {
  for (char const* var : {"USER", "LOGNAME"}) {
    if (char const* v = std::getenv(var); v && *v) return v;
  }
  return "unknown";
}

}  // namespace actionable::registry::detail
