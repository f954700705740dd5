// cBioPortal clinical files (data_clinical_sample.txt / data_clinical_patient.txt, with or without
// the 4 '#' header lines), OncoKB clinical files and similar per-sample tables.
//
// Sample files (SAMPLE_ID / Tumor_Sample_Barcode column): one record per row, fields
//   ONCOTREE_CODE -> /tumour/oncotree;  AGE, AGE_AT_SEQ_REPORT, AGE_AT_DIAGNOSIS -> /age
//   ("<18", ">89" are not ages: warning, left out);  SEX / GENDER -> /sex ("F" / "M");
//   STAGE / TUMOR_STAGE -> /tumour/stage ("Stage IV" -> "IV");  ECOG -> /ecog;
//   LINES / PRIOR_LINES -> /lines;  PATIENT_ID -> /patient_id;  GENE_PANEL -> the sample's
//   gene panel (panel.hpp);  TMB / TMB_NONSYNONYMOUS -> biomarker TMB (number);
//   MSI_STATUS / MSI_TYPE -> biomarker MSI ("high" / "low" / "stable").
// Patient files (PATIENT_ID but no sample column): the same fields, applied by the assembler
// to every sample of that patient.
#pragma once

#include "actionable/detail/io/readers/common.hpp"

namespace actionable::io {

ReadResult read_clinical(Source const& source, ReadOptions const& options = {});

/// "Stable" / "MSS" -> "stable", "Instable" / "MSI-H" / "MSI-High" -> "high", "MSI-L" -> "low";
/// "" when not a status (Indeterminate, Do not report, …).
std::string msi_value(std::string_view s);

}  // namespace actionable::io
