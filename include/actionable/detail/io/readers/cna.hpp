// Copy-number readers.
//
// read_cna_matrix: cBioPortal discrete CNA matrix (data_CNA.txt, GISTIC all_thresholded):
//   Hugo_Symbol or "Gene Symbol", optional Entrez_Gene_Id / Locus ID / Cytoband, then one column
//   per sample with -2..2: 2 -> amplification, 1 -> gain, -1 -> loss, -2 -> deletion
//   (homozygous); 0 / NA -> nothing. One cnv finding per non-neutral cell; an unreadable cell
//   is an error for that cell only.
// read_cna_table: one call per row (OncoKB individual CNA, MOAlmanac called CNAs, CCLE
//   copy-numbers): sample (Tumor_Sample_Barcode / SAMPLE_ID / model_id; none = the file's one
//   sample), gene (Hugo_Symbol / gene / feature), call (Copy_Number_Alteration / call /
//   alteration_type / CNV_CALL / Alteration: numbers or words, variant_text.hpp), optional
//   absolute copy number (Copy_Number / copies / CN) -> "copies".
#pragma once

#include "actionable/detail/io/readers/common.hpp"

namespace actionable::io {

ReadResult read_cna_matrix(Source const& source, ReadOptions const& options = {});
ReadResult read_cna_table(Source const& source, ReadOptions const& options = {});

}  // namespace actionable::io
