// What the atom files of eval share: the id of a gene the catalog lacks, numeric comparison.
#pragma once

#include <cstdint>

#include "actionable/detail/dsl/ast.hpp"

namespace actionable::eval::detail {

inline constexpr std::uint32_t kNoGeneId = 0xFFFFFFFFu;  // ir::Atom::gene_ids: not in the catalog

/// `a cmp b` for the comparisons of amplification thresholds, biomarkers and clinical terms.
inline bool compare(double a, ast::Cmp c, double b) {
  switch (c) {
    case ast::Cmp::kEq: return a == b;
    case ast::Cmp::kNe: return a != b;
    case ast::Cmp::kLt: return a < b;
    case ast::Cmp::kLe: return a <= b;
    case ast::Cmp::kGt: return a > b;
    case ast::Cmp::kGe: return a >= b;
  }
  return false;
}

}  // namespace actionable::eval::detail
