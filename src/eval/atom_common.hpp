// What the atom files of eval share: the id of a gene the catalog lacks, numeric comparison, the
// answer of a "prior …" atom for a record without a treatment list.
#pragma once

#include <cstdint>

#include "actionable/detail/dsl/ast.hpp"
#include "actionable/detail/eval/patient_view.hpp"
#include "actionable/model/patient.hpp"

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

/// A "prior …" atom (`prior "drug"`, `prior class ATC`) of a record that lists no treatments:
/// false for a patient with no previous line (`lines` 0), else unknown, naming what would
/// decide it (docs/language.md, "Clinical facts").
inline AtomValue without_treatment_list(model::Patient const& p) {
  AtomValue out;
  if (p.lines && *p.lines == 0) return out;  // Tri::kFalse
  out.value = Tri::kUnknown;
  out.missing.push_back("prior treatments");
  return out;
}

}  // namespace actionable::eval::detail
