// Portal accounts: password policy and hashing (libsodium Argon2id), TOTP (liboath), tokens,
// and the portal_users table (docs/portal.md, "Accounts").
#include "actionable/portal/accounts.hpp"

#include "util/html.hpp"

#include <liboath/oath.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "util/sha256.hpp"
#include "util/utf8.hpp"
#include "util/ascii.hpp"

namespace actionable::portal {

// The registry names portal/internal.hpp also declares: accounts.cpp does not include that header
// (it sits below Portal::Impl and needs none of the engine, report and endpoints it brings).
using registry::Error;
using registry::ErrorCode;
using registry::Row;
using registry::Rows;
using registry::Transaction;
using registry::Value;

namespace {

void init_crypto() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw Error(ErrorCode::kDatabase, "libsodium failed to initialise");
    if (oath_init() != OATH_OK) throw Error(ErrorCode::kDatabase, "liboath failed to initialise");
  });
}

using util::lower;

// The most frequent passwords of public breach corpora (the top of the published frequency
// lists) that are 12 characters or longer, with the patterns people use to reach 12. The
// length rule already refuses the short ones. A deployment adds a full list with
// --common-passwords FILE (docs/portal.md).
constexpr std::array kCommon = {
    "123456789012",  "1234567890123",  "12345678901234", "123456789101",     "1234567891011", "111111111111",
    "000000000000",  "123123123123",   "qwertyuiopas",   "qwertyuiop123",    "qwerty123456",  "1q2w3e4r5t6y",
    "1qaz2wsx3edc",  "zaq12wsxcde3",   "asdfghjkl123",   "password1234",     "password12345", "password123456",
    "passw0rd1234",  "p@ssw0rd1234",   "password!234",   "passwordpassword", "iloveyou1234",  "welcome12345",
    "welcome123456", "letmein12345",   "changeme1234",   "changeme123!",     "administrator", "administrator1",
    "admin1234567",  "adminadmin12",   "trustno11234",   "football1234",     "baseball1234",  "starwars1234",
    "superman1234",  "princess1234",   "sunshine1234",   "abcdefghijkl",     "abcdefgh1234",  "abc123456789",
    "aaaaaaaaaaaa",  "monkey123456",   "dragon123456",   "master123456",     "qwertyqwerty",  "azertyuiopqs",
    "azerty123456",  "motdepasse12",   "motdepasse123",  "wachtwoord12",     "wachtwoord123", "bonjour12345",
    "precision1234", "precision12345", "actionable123",  "hospital1234",     "oncology1234",  "doctor123456",
    "winter2024!!",  "summer2024!!",   "welkom123456",   "bienvenue123",     "belgium12345",  "belgique1234",
    "brussels1234",  "bruxelles123",   "january2025!",   "spring2025!!",
};

}  // namespace

std::string_view to_string(Role r) noexcept {
  switch (r) {
    case Role::kPi: return "pi";
    case Role::kDataManager: return "data_manager";
    case Role::kAdmin: return "admin";
  }
  return "pi";
}

std::optional<Role> parse_role(std::string_view t) noexcept {
  if (t == "pi") return Role::kPi;
  if (t == "data_manager") return Role::kDataManager;
  if (t == "admin") return Role::kAdmin;
  return std::nullopt;
}

PasswordPolicy PasswordPolicy::standard(std::string const& extra) {
  PasswordPolicy p;
  for (char const* s : kCommon) p.common.push_back(s);
  if (!extra.empty()) {
    std::ifstream in(extra);
    if (!in) throw Error(ErrorCode::kInput, extra + ": cannot open the common-password list");
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) p.common.push_back(lower(line));
    }
  }
  std::sort(p.common.begin(), p.common.end());
  p.common.erase(std::unique(p.common.begin(), p.common.end()), p.common.end());
  return p;
}

std::string password_problem(std::string_view pw, std::string_view login, PasswordPolicy const& policy) {
  if (pw.size() > 1024) return "the password is longer than 1024 bytes";
  if (util::invalid_utf8(pw)) return "the password is not valid UTF-8";
  std::size_t code_points = 0;
  for (char c : pw) code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (code_points < policy.min_length) {
    return "the password must have at least " + std::to_string(policy.min_length) + " characters";
  }
  std::string lw = lower(pw);
  if (std::all_of(pw.begin(), pw.end(), [&](char c) { return c == pw.front(); })) {
    return "the password is one character repeated";
  }
  if (!login.empty() && lw.find(lower(login)) != std::string::npos) return "the password contains the login";
  if (std::binary_search(policy.common.begin(), policy.common.end(), lw)) {
    return "the password is in the list of common passwords";
  }
  return "";
}

std::string hash_password(std::string_view pw) {
  init_crypto();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, pw.data(), pw.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error(ErrorCode::kDatabase, "password hashing ran out of memory");
  }
  return out;
}

bool verify_password(std::string const& hash, std::string_view pw) {
  init_crypto();
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), pw.data(), pw.size()) == 0;
}

std::string random_token() {
  init_crypto();
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw, sizeof raw);
  return out;
}

std::string token_hash(std::string_view token) { return util::sha256_hex(token); }

bool equal_secret(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size() || a.empty()) return false;
  init_crypto();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// ---- TOTP -------------------------------------------------------------------------------------

std::string new_totp_secret() {
  init_crypto();
  char raw[20];
  randombytes_buf(raw, sizeof raw);
  char* b32 = nullptr;
  size_t len = 0;
  if (oath_base32_encode(raw, sizeof raw, &b32, &len) != OATH_OK) throw Error(ErrorCode::kDatabase, "base32 failed");
  std::string out(b32, len);
  free(b32);  // NOLINT: liboath allocates with malloc
  out.erase(std::remove(out.begin(), out.end(), '='), out.end());
  return out;
}

std::string totp_uri(std::string const& secret, std::string const& login, std::string const& issuer) {
  return "otpauth://totp/" + util::url_encode(issuer) + ":" + util::url_encode(login) + "?secret=" + secret +
         "&issuer=" + util::url_encode(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

namespace {
std::string decode_secret(std::string const& b32) {
  init_crypto();
  char* raw = nullptr;
  size_t len = 0;
  std::string padded = b32;
  while (padded.size() % 8) padded += '=';
  if (oath_base32_decode(padded.data(), padded.size(), &raw, &len) != OATH_OK) {
    throw Error(ErrorCode::kInput, "the TOTP secret is not base32");
  }
  std::string out(raw, len);
  free(raw);  // NOLINT: liboath allocates with malloc
  return out;
}
}  // namespace

std::string totp_code(std::string const& secret_b32, std::int64_t now) {
  std::string key = decode_secret(secret_b32);
  char otp[16] = {};
  if (oath_totp_generate(key.data(), key.size(), static_cast<time_t>(now), 30, 0, 6, otp) != OATH_OK) {
    throw Error(ErrorCode::kDatabase, "TOTP generation failed");
  }
  return otp;
}

std::optional<std::int64_t> totp_verify(std::string const& secret_b32, std::string_view code, std::int64_t now,
                                        std::int64_t last_step) {
  if (code.size() != 6 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::string key = decode_secret(secret_b32);
  std::string c(code);
  int pos = 0;
  uint64_t counter = 0;
  int rc = oath_totp_validate3(key.data(), key.size(), static_cast<time_t>(now), 30, 0, 1, &pos, &counter, c.c_str());
  if (rc < 0) return std::nullopt;
  auto step = static_cast<std::int64_t>(counter);
  if (step <= last_step) return std::nullopt;  // each code once
  return step;
}

// ---- users ------------------------------------------------------------------------------------

bool valid_login(std::string_view login) noexcept {
  return login.size() >= 3 && login.size() <= 64 && std::all_of(login.begin(), login.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == '@';
         });
}

namespace {

// Same libc calls as today() in cli/cmd_report.cpp, another format (ISO 8601 to the second); see there.
std::string now_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

constexpr char const* kUserColumns =
    "u.id, u.login, u.role, c.code, u.disabled, CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END, u.failed_logins, "
    "u.locked_until";

User user_of(Row const& r) {
  User u;
  u.id = r.i64(0);
  u.login = r.text(1);
  u.role = parse_role(r.text(2)).value_or(Role::kPi);
  u.centre = r.opt_text(3);
  u.disabled = r.i64(4) != 0;
  u.totp = r.i64(5) != 0;
  u.failed_logins = r.i64(6);
  u.locked_until = r.i64(7);
  return u;
}

}  // namespace

User Accounts::add(std::string const& login, Role role, std::optional<std::string> const& centre,
                   std::string_view password, PasswordPolicy const& policy, bool totp, std::string* secret_out) {
  reg_.require_schema();
  if (!valid_login(login)) {
    throw Error(ErrorCode::kInput, "login '" + login + "' must be 3-64 letters, digits, '.', '_', '-' or '@'");
  }
  if (role == Role::kAdmin && centre) throw Error(ErrorCode::kInput, "an admin has no centre (they see every centre)");
  if (role != Role::kAdmin && !centre)
    throw Error(ErrorCode::kInput, "a " + std::string(to_string(role)) + " needs --centre");
  if (auto why = password_problem(password, login, policy); !why.empty()) throw Error(ErrorCode::kInput, why);
  std::string hash = hash_password(password);
  std::optional<std::string> secret;
  if (totp) secret = new_totp_secret();
  auto& db = reg_.database();
  Transaction txn(db, Transaction::Kind::kWrite);
  std::optional<std::int64_t> centre_id;
  if (centre) {
    Rows rows = db.query("SELECT id FROM centres WHERE code = ?", {*centre});
    if (rows.empty()) throw Error(ErrorCode::kNotFound, "unknown centre '" + *centre + "'");
    centre_id = rows.front().i64(0);
  }
  if (!db.query("SELECT id FROM portal_users WHERE login = ?", {login}).empty()) {
    throw Error(ErrorCode::kConstraint, "login '" + login + "' is taken");
  }
  std::string now = now_iso();
  db.query(
      "INSERT INTO portal_users (login, centre_id, role, password_hash, totp_secret, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {login, registry::opt(centre_id), std::string(to_string(role)), hash, registry::opt(secret), now, now});
  reg_.audit("user.add", centre, std::nullopt,
             nlohmann::json{{"user", login}, {"role", to_string(role)}, {"totp", totp}}.dump());
  txn.commit();
  if (secret && secret_out) *secret_out = *secret;
  return *find(login);
}

void Accounts::set_disabled(std::string const& login, bool disabled) {
  reg_.require_schema();
  auto& db = reg_.database();
  Transaction txn(db, Transaction::Kind::kWrite);
  auto u = find(login);
  if (!u) throw Error(ErrorCode::kNotFound, "no user '" + login + "'");
  db.query("UPDATE portal_users SET disabled = ?, updated_at = ? WHERE id = ?",
           {std::int64_t{disabled ? 1 : 0}, now_iso(), u->id});
  if (disabled) db.query("DELETE FROM portal_sessions WHERE user_id = ?", {u->id});
  reg_.audit(disabled ? "user.disable" : "user.enable", u->centre, std::nullopt,
             nlohmann::json{{"user", login}}.dump());
  txn.commit();
}

void Accounts::reset(std::string const& login, std::string_view password, PasswordPolicy const& policy, bool new_totp,
                     std::string* secret_out) {
  reg_.require_schema();
  if (auto why = password_problem(password, login, policy); !why.empty()) throw Error(ErrorCode::kInput, why);
  std::string hash = hash_password(password);
  auto& db = reg_.database();
  Transaction txn(db, Transaction::Kind::kWrite);
  auto u = find(login);
  if (!u) throw Error(ErrorCode::kNotFound, "no user '" + login + "'");
  db.query(
      "UPDATE portal_users SET password_hash = ?, failed_logins = 0, locked_until = 0, updated_at = ? WHERE id = ?",
      {hash, now_iso(), u->id});
  std::optional<std::string> secret;
  if (new_totp) {
    secret = new_totp_secret();
    db.query("UPDATE portal_users SET totp_secret = ?, totp_last_step = 0 WHERE id = ?", {*secret, u->id});
  }
  db.query("DELETE FROM portal_sessions WHERE user_id = ?", {u->id});
  reg_.audit("user.reset", u->centre, std::nullopt, nlohmann::json{{"user", login}, {"totp", new_totp}}.dump());
  txn.commit();
  if (secret && secret_out) *secret_out = *secret;
}

std::optional<User> Accounts::find(std::string const& login) {
  Rows rows =
      reg_.database().query(std::string("SELECT ") + kUserColumns +
                                " FROM portal_users u LEFT JOIN centres c ON c.id = u.centre_id WHERE u.login = ?",
                            {login});
  if (rows.empty()) return std::nullopt;
  return user_of(rows.front());
}

std::vector<User> Accounts::list() {
  reg_.require_schema();
  Rows rows = reg_.database().query(std::string("SELECT ") + kUserColumns +
                                    " FROM portal_users u LEFT JOIN centres c ON c.id = u.centre_id ORDER BY u.login");
  std::vector<User> out;
  for (Row const& r : rows) out.push_back(user_of(r));
  return out;
}

}  // namespace actionable::portal
