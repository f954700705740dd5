// Structural-variant / fusion readers.
//
// read_sv_table handles, by header:
//   cBioPortal data_sv   Sample_Id, Site1_Hugo_Symbol, Site2_Hugo_Symbol, SV_Status, Class
//   OncoKB SV            Tumor_Sample_Barcode, GeneA, GeneB, Sv_Type
//   fusion name column   Tumor_Sample_Barcode, Fusion ("EML4-ALK", "EML4--ALK", "EML4::ALK",
//                        "ETV6-RUNX1 fusion", "EGFR-intragenic"); old cBioPortal data_fusions
//                        lists a fusion once per partner (Hugo_Symbol column): repeats are
//                        dropped (note)
//   STAR-Fusion          #FusionName, LeftGene, RightGene (genes as "EML4^ENSG…"); no sample
//                        column: the file's one sample
//   MOAlmanac / CCLE     feature, partner, model_id
// Two different genes -> {"type":"fusion","gene5":A,"gene3":B} (first / Site1 / Left = 5').
// One gene only (partner unknown) -> a fusion with gene5 only (gene3 only for a right partner).
// The same gene on both sides (intragenic rearrangement, EGFR-intragenic, DELETION within one
// gene) is not a fusion: a variant finding with consequence feature_truncation (deletion),
// feature_elongation (duplication) or structural_variant (other), and "sv" naming the event.
// STAR-Fusion: when #FusionName and LeftGene/RightGene disagree, the name wins (the MOAlmanac
// example patient edits the name) and a warning says so.
#pragma once

#include "actionable/detail/io/readers/common.hpp"

namespace actionable::io {

ReadResult read_sv_table(Source const& source, ReadOptions const& options = {});

}  // namespace actionable::io
