// Gene + free-text alteration tables (OncoKB annotator "alteration" input, e.g.
// example_atypical_alterations.txt): HUGO_SYMBOL / Hugo_Symbol, SAMPLE_ID / Tumor_Sample_Barcode,
// ALTERATION. Each alteration text is read as:
//   MSI-H, "Microsatellite Instability-High"   -> biomarker MSI "high" (gene "Other Biomarkers")
//   TMB-H, "Tumor Mutational Burden-High"      -> biomarker TMB "high"
//   EGFR vIII                                  -> exon_skipping exons 2-7 (the vIII deletion)
//   ITD, "Internal tandem duplication"         -> variant, consequence inframe_insertion
//   KDD, "Kinase Domain Duplication"           -> variant, consequence feature_elongation
//   CTD, "C-terminal domain", vII / vIV / vV   -> variant, consequence feature_truncation
//   Amplification / Deletion / Gain / Loss     -> cnv
//   "A-B fusion", "A::B", Fusion               -> fusion
//   anything else                              -> a protein change ("V600E")
// The original text is kept in "alteration" for the non-HGVS events.
#pragma once

#include "actionable/detail/io/readers/common.hpp"

namespace actionable::io {

ReadResult read_alterations(Source const& source, ReadOptions const& options = {});

}  // namespace actionable::io
