// Three-valued (Kleene) logic (dsl.md §5): false < unknown < true; and = min, or = max,
// not = mirror. constexpr, tested exhaustively in tests/unit/kleene_test.cpp.
#pragma once

#include <cstdint>

namespace actionable::eval {

enum class Tri : std::uint8_t { kFalse = 0, kUnknown = 1, kTrue = 2 };

constexpr Tri tri_and(Tri a, Tri b) noexcept { return a < b ? a : b; }
constexpr Tri tri_or(Tri a, Tri b) noexcept { return a < b ? b : a; }
constexpr Tri tri_not(Tri a) noexcept { return static_cast<Tri>(2 - static_cast<int>(a)); }
constexpr Tri tri_of(bool b) noexcept { return b ? Tri::kTrue : Tri::kFalse; }
constexpr char const* tri_name(Tri t) noexcept {
  return t == Tri::kTrue ? "true" : t == Tri::kFalse ? "false" : "unknown";
}

}  // namespace actionable::eval
