// SHA-256 in lowercase hex (OpenSSL libcrypto): the one helper the engine (rule-set identity),
// the registry (record and audit hashes) and the CLI share.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace actionable::util {

/// Lowercase hex SHA-256 of the bytes ("" only if libcrypto fails, which it does not for SHA-256).
std::string sha256_hex(std::string_view data);

/// Incremental SHA-256: update() with each part, then hex().
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256 const&) = delete;
  Sha256& operator=(Sha256 const&) = delete;
  void update(std::string_view data);
  std::string hex();  ///< finishes the digest

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

/// Lowercase hex of the bytes.
std::string to_hex(std::string_view bytes);

}  // namespace actionable::util
