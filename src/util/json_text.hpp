// Private to the library sources (never installed): what every reader of JSON text given to
// nlohmann checks first. nlohmann takes a NUL byte for the end of its input and reads what came
// before it as the whole document, so "{…}\0{…}" reads as its first part (found by tests/fuzz,
// 2026-12-04: a patient record and a registry line read without their rest). Text with a NUL
// byte is refused instead; a NUL inside a string is written \u0000 in JSON.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace actionable::util {

/// The offset of the first NUL byte of `text`, if it has one.
inline std::optional<std::size_t> nul_byte(std::string_view text) noexcept {
  auto const at = text.find('\0');
  return at == std::string_view::npos ? std::nullopt : std::optional<std::size_t>(at);
}

/// "a NUL byte at byte N (write U+0000 in a string as \u0000)" for a NUL byte at `offset`.
inline std::string nul_byte_message(std::size_t offset) {
  return "a NUL byte at byte " + std::to_string(offset) + " (write U+0000 in a string as \\u0000)";
}

}  // namespace actionable::util
