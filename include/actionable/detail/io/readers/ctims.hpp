// MatchMiner / CTIMS patient documents (MongoDB extended JSON: an array of objects, or JSON
// Lines), as in the CTIMS seed data (clinical.ejson + genomic.ejson) and matchengine-V2 fixtures.
//
// Clinical documents: SAMPLE_ID -> record id (the document's _id becomes an alias, since
//   genomic documents point to it through CLINICAL_ID); ONCOTREE_PRIMARY_DIAGNOSIS_NAME ->
//   /tumour/oncotree through ReadOptions::tumours (unresolved: /tumour/name and a warning);
//   GENDER -> /sex; age at ReadOptions::age_reference_date from BIRTH_DATE / BIRTH_DATE_INT
//   (no reference date: no age, since "now" would make output change from day to day);
//   MMR_STATUS -> biomarkers MMR (+ MSI when the text gives it: "Deficient (MMR-D / MSI-H)");
//   TUMOR_MUTATIONAL_BURDEN_PER_MEGABASE -> biomarker TMB. MRN and dates are not copied.
// Genomic documents (by VARIANT_CATEGORY): MUTATION -> variant (HARMONIZED_/TRUE_ HUGO_SYMBOL,
//   PROTEIN_CHANGE, VARIANT_CLASSIFICATION, TRUE_TRANSCRIPT_EXON, ALLELE_FRACTION); CNV ->
//   cnv (CNV_CALL: "High level amplification" -> amplification, "Gain" -> gain,
//   "Heterozygous deletion" -> loss, "Homozygous deletion" -> deletion); SV -> fusion from
//   HARMONIZED_LEFT/RIGHT_PARTNER_GENE (a comment-only SV is skipped: note); SIGNATURE ->
//   biomarkers (MMR_STATUS; APOBEC/POLE/TOBACCO/UVA/TEMOZOLOMIDE_STATUS "Yes" -> biomarker
//   NAME = "yes"). WILDTYPE true documents are skipped (note).
#pragma once

#include "actionable/detail/io/readers/common.hpp"

namespace actionable::io {

ReadResult read_ctims(Source const& source, ReadOptions const& options = {});

}  // namespace actionable::io
