// The PI portal's accounts (docs/portal.md): users of the registry's web access, each with a
// role and (but for admins) one centre; passwords hashed with Argon2id (libsodium
// crypto_pwhash_str), a password policy (length, common passwords), an optional TOTP second
// factor (RFC 6238, liboath), session tokens stored as SHA-256 hashes only. Accounts live in the
// registry's own database (schema 2: portal_users, portal_sessions), which only the registry
// owner reads — never the centre roles.
//
// Errors: registry::Error (kInput for a bad login, role, password or centre; kNotFound for an
// unknown user; kConstraint for a login already taken).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actionable/registry/registry.hpp"

namespace actionable::portal {

enum class Role : std::uint8_t { kPi, kDataManager, kAdmin };
std::string_view to_string(Role r) noexcept;  ///< pi | data_manager | admin
std::optional<Role> parse_role(std::string_view text) noexcept;

/// Password rules: at least `min_length` code points, at most 1024 bytes, valid UTF-8, not in
/// the common-password list (case-insensitive), not the login, not one repeated character.
struct PasswordPolicy {
  std::size_t min_length = 12;
  std::vector<std::string> common;  ///< lower-case, sorted
  /// The built-in list (the most frequent passwords of public breach corpora and their obvious
  /// variants), optionally extended by a file (one password a line, e.g. a full breach list).
  static PasswordPolicy standard(std::string const& extra_list_file = "");
};
/// Why `password` is refused ("" when it is acceptable).
std::string password_problem(std::string_view password, std::string_view login, PasswordPolicy const& policy);

/// Argon2id (crypto_pwhash_str, libsodium's interactive limits: 2 passes, 64 MiB).
std::string hash_password(std::string_view password);
/// Constant-time verification of a crypto_pwhash_str string.
bool verify_password(std::string const& hash, std::string_view password);
/// 256 random bits, URL-safe base64 without padding (43 characters).
std::string random_token();
/// SHA-256 of a token, lower-case hex: what the database stores instead of the token.
std::string token_hash(std::string_view token);
/// Constant-time string comparison (different lengths compare unequal).
bool equal_secret(std::string_view a, std::string_view b) noexcept;

// ---- TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) -----------------------------------
/// A new 160-bit secret, base32 (RFC 4648, no padding).
std::string new_totp_secret();
/// otpauth:// URI for authenticator apps.
std::string totp_uri(std::string const& secret_b32, std::string const& login, std::string const& issuer);
/// The code at Unix time `now` (tests, and the CLI's enrolment check).
std::string totp_code(std::string const& secret_b32, std::int64_t now);
/// The time step (now / 30) the code belongs to when it is valid within ±1 step of `now` and
/// later than `last_step` (a code is accepted once); nullopt otherwise.
std::optional<std::int64_t> totp_verify(std::string const& secret_b32, std::string_view code, std::int64_t now,
                                        std::int64_t last_step);

struct User {
  std::int64_t id = 0;
  std::string login;
  Role role = Role::kPi;
  std::optional<std::string> centre;  ///< nullopt for admins
  bool disabled = false;
  bool totp = false;
  std::int64_t failed_logins = 0;
  std::int64_t locked_until = 0;  ///< Unix seconds
};

/// A login: 3-64 characters of letters, digits, '.', '_', '-' and '@'.
bool valid_login(std::string_view login) noexcept;

/// Account administration on a registry opened by its owner (Scope::all()). Every change is
/// appended to the audit log ("user.add", "user.disable", "user.enable", "user.reset").
class Accounts {
 public:
  explicit Accounts(registry::Registry& registry) : reg_(registry) {}

  /// Add a user. `password` must satisfy `policy`. With `totp`, a new secret is stored and
  /// returned in `*totp_secret` (shown once, for the authenticator app).
  User add(std::string const& login, Role role, std::optional<std::string> const& centre, std::string_view password,
           PasswordPolicy const& policy, bool totp = false, std::string* totp_secret = nullptr);
  /// Disable (or enable) a user; disabling ends every session of the user.
  void set_disabled(std::string const& login, bool disabled);
  /// New password (policy-checked); clears the lockout and ends every session of the user.
  /// With `new_totp`, the second factor is re-enrolled and the new secret returned.
  void reset(std::string const& login, std::string_view password, PasswordPolicy const& policy, bool new_totp = false,
             std::string* totp_secret = nullptr);
  std::optional<User> find(std::string const& login);
  std::vector<User> list();

 private:
  registry::Registry& reg_;
};

}  // namespace actionable::portal
