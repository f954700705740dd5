// Kleene logic, exhaustively (dsl.md §5).
#include "actionable/detail/eval/kleene.hpp"

#include <doctest/doctest.h>

using actionable::eval::Tri;
using namespace actionable::eval;

TEST_CASE("kleene: truth tables are exhaustive and match the strong Kleene definition") {
  constexpr Tri F = Tri::kFalse, U = Tri::kUnknown, T = Tri::kTrue;
  struct Row {
    Tri a, b, and_, or_;
  };
  constexpr Row rows[] = {
      {F, F, F, F}, {F, U, F, U}, {F, T, F, T}, {U, F, F, U}, {U, U, U, U},
      {U, T, U, T}, {T, F, F, T}, {T, U, U, T}, {T, T, T, T},
  };
  for (auto const& r : rows) {
    CAPTURE(static_cast<int>(r.a));
    CAPTURE(static_cast<int>(r.b));
    CHECK(tri_and(r.a, r.b) == r.and_);
    CHECK(tri_or(r.a, r.b) == r.or_);
    // De Morgan holds in Kleene logic.
    CHECK(tri_not(tri_and(r.a, r.b)) == tri_or(tri_not(r.a), tri_not(r.b)));
  }
  CHECK(tri_not(F) == T);
  CHECK(tri_not(U) == U);
  CHECK(tri_not(T) == F);
  static_assert(tri_and(T, U) == U && tri_or(F, U) == U, "constexpr");
}
