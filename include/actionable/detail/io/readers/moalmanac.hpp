// Molecular Oncology Almanac (MOAlmanac) tables: the CCLE cell-line tables it annotates, its
// cell-line summary, and its "simplified input" (one event per row).
//
// read_moalmanac_table handles, by header:
//   feature, alteration_type, alteration, model_id  (cell-lines.somatic-variants / copy-numbers):
//       alteration_type Amplification / Deletion -> cnv; otherwise a variant (consequence from
//       alteration_type: Missense, Nonsense, Frameshift, Splice Site, Nonstop, Deletion,
//       Insertion; hgvsp from alteration)
//   feature, partner, model_id  -> see sv.hpp (read_sv_table)
//   broad, ccle_name, sanger    (cell-lines.summary): one record per cell line, id = ccle_name
//       (else broad, else sanger); the other ids (sanger, broad, alt_ccle, alt_broad) are aliases,
//       so tables keyed by Sanger ids join the same record
//   feature_type, feature, alteration_type, alteration  (simplified input, no sample column):
//       Somatic Variant / Germline Variant -> variant; Copy Number -> cnv; Rearrangement ->
//       fusion (alteration "COL1A1--CITED4"); Microsatellite Stability -> MSI; Mutational
//       Burden -> TMB
#pragma once

#include "actionable/detail/io/readers/common.hpp"

namespace actionable::io {

ReadResult read_moalmanac_table(Source const& source, ReadOptions const& options = {});

}  // namespace actionable::io
