// Small private helpers of the registry: hashing (OpenSSL libcrypto), timestamps, hex.
#pragma once

#include <string>
#include <string_view>

namespace actionable::registry::detail {

/// Lowercase hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view data);
/// Lowercase hex HMAC-SHA-256(key, data).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
/// Lowercase hex of the bytes.
std::string to_hex(std::string_view bytes);
/// Current UTC time as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (the audit log's format on both backends).
std::string now_timestamp();
/// $USER / $LOGNAME, else "unknown".
std::string default_actor();

}  // namespace actionable::registry::detail
