// Clinical facts that trial eligibility criteria use (docs/inputs.md, "Clinical facts";
// docs/language.md, "Eligibility facts"): laboratory values with units, brain metastases,
// measurable disease, pregnancy, disease status, and the drug-class table behind
// `prior class ATC`. Reference tables are compiled in, immutable, and cite their source.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace actionable::model {

/// One laboratory result as read from a record, converted to the test's canonical unit.
struct Lab {
  std::string test;             ///< canonical test name (creatinine_clearance, alt, platelets…)
  double value = 0;             ///< in the canonical unit (lab_canonical_unit); NaN for "x ULN" only
  bool has_value = false;       ///< false when the record gave a multiple of ULN only
  std::optional<double> uln;    ///< upper limit of normal, canonical unit (or the multiple, below)
  std::optional<double> x_uln;  ///< the value as a multiple of ULN, when known
  std::string date;             ///< ISO date as given ("" = undated)
  std::string pointer;          ///< JSON pointer of the entry, for explanations

  friend bool operator==(Lab const&, Lab const&) = default;
};

/// The canonical name of a laboratory test ("hemoglobin" → "haemoglobin", "anc" →
/// "neutrophils", "crcl" → "creatinine_clearance"); "" when the test is not in the table.
std::string lab_canonical_name(std::string_view test);
/// The canonical unit of a known test ("mL/min", "10^9/L", "g/dL", "U/L", "mg/dL").
std::string lab_canonical_unit(std::string_view test);
/// The factor that converts `unit` into the test's canonical unit (value × factor), or
/// nullopt when the unit is not a unit of that test (incompatible: refused, never guessed).
std::optional<double> lab_unit_factor(std::string_view test, std::string_view unit);
/// The units accepted for a test, for error messages ("10^9/L, /uL, /µL, …").
std::string lab_units_text(std::string_view test);
/// Whether a test is reported against an upper limit of normal (bilirubin, ALT, AST, creatinine).
bool lab_has_uln(std::string_view test);
/// Every known test, for error messages.
std::string lab_tests_text();

/// Brain metastases status: "none", "treated_stable" or "active" ("" = not known).
std::string normalise_brain_metastases(std::string_view text);

/// One class of the drug table: an ATC code (WHO Collaborating Centre for Drug Statistics
/// Methodology, ATC/DDD Index) and the drugs (INN, lower case) filed under it.
struct DrugClass {
  std::string_view atc;   ///< "L01EB"
  std::string_view name;  ///< a short description (the index gives the official title)
  std::vector<std::string_view> drugs;
};
/// The shipped drug-class table (src/model/drug_classes.cpp).
std::vector<DrugClass> const& drug_classes();
/// Whether `atc` names a class of the table or a level above one (prefix: "L01E" covers L01EB).
bool atc_known(std::string_view atc);
/// The ATC classes of a drug (lower-case INN) in the table; empty when the drug is not listed.
std::vector<std::string_view> atc_of(std::string_view drug);

}  // namespace actionable::model

namespace actionable::model {

/// Days since 1970-01-01 of an ISO date "YYYY-MM-DD" (proleptic Gregorian), or nullopt when the
/// text is not a valid date.
std::optional<long> iso_day_number(std::string_view date);

}  // namespace actionable::model
