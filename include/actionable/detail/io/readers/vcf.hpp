// VCF reader for VCFs annotated by Ensembl VEP (INFO/CSQ) or SnpEff (INFO/ANN).
//
// The annotation layout is read from the header ("…Format: Allele|Consequence|…" for CSQ,
// "Functional annotations: 'Allele | Annotation | …'" for ANN), never assumed. For each PASS
// (or ".") record and each ALT allele present in the tumour sample, one transcript annotation
// is chosen: VEP MANE_SELECT, else PICK=1, else CANONICAL=YES, else the most severe
// protein-coding one, else the first; SnpEff: the first protein-coding one (SnpEff sorts by
// impact), else the first. It becomes a variant finding:
//   gene   SYMBOL / Gene_Name          consequence  Consequence / Annotation (most severe term)
//   hgvsp  HGVSp / HGVS.p ("ENSP…:" stripped, %3D decoded; VEP without --hgvs: built from
//          Amino_acids + Protein_position for a missense)
//   hgvsc  HGVSc / HGVS.c              transcript   Feature / Feature_ID
//   exon / intron  EXON, INTRON "19/28" (SnpEff Rank: intron when the annotation is intronic)
//   vaf    tumour sample FORMAT AF, else AD, else FREQ ("45%")
// Tumour sample: ReadOptions::vcf_tumour_sample, else ##tumor_sample=, else a column named like
// TUMOR/TUMOUR, else the only sample (with two unnamed samples: the first that is not named
// like NORMAL, with a warning). The record id is the tumour sample name ("" when there are no
// sample columns). Skipped: FILTER not PASS (note), allele absent from the tumour genotype
// (note), no annotation / no gene (note), malformed lines (error). Gzipped input is refused.
#pragma once

#include "actionable/detail/io/readers/common.hpp"

namespace actionable::io {

ReadResult read_vcf(Source const& source, ReadOptions const& options = {});

}  // namespace actionable::io
