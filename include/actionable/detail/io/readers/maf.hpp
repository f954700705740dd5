// MAF reader (TCGA / GDC, cBioPortal data_mutations, vcf2maf, Oncotator, maftools, MOAlmanac).
//
// One variant finding per row. Columns (case-insensitive; only Hugo_Symbol and a sample column
// are required): Hugo_Symbol; Tumor_Sample_Barcode (or SAMPLE_ID); Variant_Classification, or
// VEP's Consequence when present -> "consequence" (Sequence Ontology, variant_text.hpp);
// HGVSp_Short, else Protein_Change, else HGVSp -> "hgvsp"; HGVSc / cDNA_Change -> "hgvsc";
// Transcript_ID / Annotation_Transcript / RefSeq / i_transcript_name -> "transcript";
// Exon_Number ("19/28") / Transcript_Exon -> "exon"; INTRON -> "intron";
// t_alt_count / t_ref_count -> "vaf" (else tumor_f / i_tumor_f, else i_TumorVAF_WU in percent);
// Mutation_Status "Germline" -> origin germline (else ReadOptions::origin, default somatic).
// Skipped rows: no sample or gene (error), Hugo_Symbol "Unknown" (note), Mutation_Status
// "Wildtype" / "None" (note).
#pragma once

#include "actionable/detail/io/readers/common.hpp"

namespace actionable::io {

ReadResult read_maf(Source const& source, ReadOptions const& options = {});

}  // namespace actionable::io
