// Keyed pseudonyms (docs/registry.md, "Pseudonyms"): a patient is stored under
// HMAC-SHA-256(key, centre 0x1F local-identifier), hex, never under a plain hash, a name, a national
// number or a birth date. The key lives outside the database (a file, or the environment); the
// database keeps only a fingerprint (an HMAC of a fixed label) so that a wrong key is refused
// instead of silently creating a second pseudonym for the same patient.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace actionable::registry {

class PseudonymKey {
 public:
  /// At least 32 bytes of key material (throws Error kKey otherwise).
  static PseudonymKey from_bytes(std::string bytes);
  /// The file's contents with trailing whitespace removed (a generated key file holds 64 hex
  /// digits). Throws kKey when unreadable, not a regular file, too short, or accessible by
  /// group or others (any of mode 077: the message names the file and `chmod 600`).
  static PseudonymKey from_file(std::string const& path);
  /// $ACTIONABLE_PSEUDONYM_KEY_FILE (a path), else $ACTIONABLE_PSEUDONYM_KEY (the key itself),
  /// else nullopt.
  static std::optional<PseudonymKey> from_environment();
  /// 32 random bytes (OpenSSL RAND_bytes) as 64 hex digits: the contents of a new key file.
  static std::string generate_hex();
  /// Write a new key file with mode 0600; refuses to overwrite an existing file.
  static void write_new_key_file(std::string const& path);

  PseudonymKey(PseudonymKey const&) = default;
  PseudonymKey& operator=(PseudonymKey const&) = default;
  ~PseudonymKey();

  /// 64 lowercase hex digits.
  std::string pseudonym(std::string_view centre, std::string_view local_id) const;
  /// HMAC of a fixed label, 32 hex digits: identifies the key without revealing it.
  std::string fingerprint() const;

 private:
  explicit PseudonymKey(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace actionable::registry
