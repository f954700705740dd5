// The reference data every stage needs, bundled as one immutable value (STYLE habit 7:
// no global state — a Catalog is loaded once and passed to check / compile / evaluate).
#pragma once

#include <optional>
#include <string>

#include "actionable/catalog/exons.hpp"
#include "actionable/catalog/genes.hpp"
#include "actionable/catalog/oncotree.hpp"

namespace actionable::catalog {

struct Catalog {
  OncoTree oncotree;
  GeneCatalog genes;
  ExonTable exons;

  /// Load the three shipped tables from a reference directory laid out like
  /// rules/reference/: oncotree_2025_10_03.tsv, hgnc_symbols.tsv, exon_aa_ranges.tsv.
  /// Returns nullopt and fills `error` with the first problem.
  static std::optional<Catalog> load(std::string const& dir, std::string* error);

  /// The reference directory to use when the caller gives none: $ACTIONABLE_REFERENCE if set,
  /// else <prefix>/share/actionable/reference when it exists (installed), else the source
  /// tree's rules/reference (build tree).
  static std::string default_dir();
};

}  // namespace actionable::catalog
