// Protein biomarkers (issue 15 item 4; docs/language.md, "Protein biomarkers"): the markers a
// pathology lab reports by immunohistochemistry (IHC) or in-situ hybridisation (ISH), their
// canonical names, the values each method reports, and the HER2 categories derived from them
// (ASCO/CAP 2018/2023, ESMO 2023 HER2-low consensus). A protein result is a biomarker finding
// with a method; it is never a gene finding, and a DNA test never decides it (method-aware
// coverage). Pure functions over text: no state.
#pragma once

#include <string>
#include <string_view>

namespace actionable::model {

/// The canonical protein-marker name of a record or rule name, "" when it is not one:
/// HER2 (ERBB2, HER-2), PDL1 (PD-L1, CD274), CLDN18 (CLDN18.2, Claudin 18.2), FOLR1 (FRα,
/// FRA, FR-alpha), MLH1, MSH2, MSH6, PMS2, PANTRK (pan-TRK), ALK, ROS1, MET (c-MET).
std::string protein_marker(std::string_view name);

/// The protein method of a test or finding method: "IHC", "ISH" (FISH, CISH, SISH, DISH, ISH),
/// or "" when the method is not a protein method (NGS, PCR, …) or is empty.
std::string protein_method(std::string_view method);

/// Does `marker` report `method` ("IHC" / "ISH") at all? (HER2: both; the others: IHC.)
bool protein_has_method(std::string_view marker, std::string_view method);

/// Is the (marker, method) result a number? PDL1 (TPS %, CPS, TC %, IC %, TAP %), CLDN18
/// (% of tumour cells at 2+/3+), FOLR1 (% at ≥ 2+), MET (% at 3+, or a category).
bool protein_numeric(std::string_view marker, std::string_view method);

/// The normalised categorical value of a result, "" when `value` is not one the method reports;
/// `allowed` (when non-null) gets the list for an error message. HER2 IHC: 0, ultralow, 1+,
/// 2+, 3+ ("0+" and ">0 <1+" read as ultralow, "1" as 1+); HER2 ISH: positive, negative
/// ("amplified", "not amplified"); MMR proteins: loss, intact ("lost", "absent", "retained",
/// "preserved", "normal"); pan-TRK, ALK, ROS1, MET IHC: positive, negative.
std::string protein_value(std::string_view marker, std::string_view method, std::string_view value,
                          std::string* allowed = nullptr);

/// What a declared test of (marker, method) without a reported result reads as: "intact" for
/// the MMR proteins, "negative" for HER2 ISH and the screening IHC markers (pan-TRK, ALK,
/// ROS1); "" (unknown) for the others (a HER2 IHC score, numbers).
std::string_view protein_normal_value(std::string_view marker, std::string_view method) noexcept;

/// MLH1, MSH2, MSH6 or PMS2: their loss by IHC makes the tumour dMMR.
bool is_mmr_protein(std::string_view marker) noexcept;

/// A PD-L1 score name in canonical form ("TPS", "CPS", "TC", "IC", "TAP"), "" when unknown.
std::string pdl1_score(std::string_view score);

/// Derived HER2 categories (`HER2-positive` …), from the IHC score and the ISH result.
enum class Her2Status : unsigned char { kPositive, kLow, kUltralow, kNegative };
/// "positive", "low", "ultralow", "negative".
char const* her2_status_name(Her2Status s) noexcept;

}  // namespace actionable::model
