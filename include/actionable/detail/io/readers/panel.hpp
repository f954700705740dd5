// Gene panels: what each sample was tested for (patient.md "tests"; dsl.md §5: absence of a
// finding means "not found" only in genes a test covered).
//
// read_panel accepts
//   a cBioPortal gene-panel file   "stable_id: IMPACT468", "description: …",
//                                  "gene_list: ABL1<TAB>AKT1…" (tabs, spaces or commas)
//   a cBioPortal gene-panel matrix SAMPLE_ID, then one column per profile (mutations, cna,
//                                  structural_variants) holding a panel stable_id (NA = not
//                                  profiled): becomes the sample's panel(s)
//   a plain gene list              one symbol per line (panel id = file name without extension)
// The assembler turns a sample's panel into a test
//   {"origin":"somatic","method":"NGS","panel":ID,"genes":[…],"profiles":[…]}.
// Panels without a gene list (WES / WXS / WGS, or an id no file defines) make no test: warning.
#pragma once

#include "actionable/detail/io/readers/common.hpp"

namespace actionable::io {

ReadResult read_panel(Source const& source, ReadOptions const& options = {});

}  // namespace actionable::io
