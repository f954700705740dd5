// The JSON and text adapters of the typed API (docs/api.md): patient records in, results out.
// io::read_patient_json reads patient.md records with JSON-pointer errors; io::write_outcome
// writes the canonical result (one line, fixed key order, the bytes `actionable match`
// prints); io::outcome_text is `--format text`. No JSON library in this header.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "actionable/catalog/catalog.hpp"
#include "actionable/engine.hpp"
#include "actionable/model/patient.hpp"
#include "actionable/outcome.hpp"

namespace actionable::io {

/// A gene symbol HGNC does not resolve (unknown, or ambiguous between several genes).
enum class UnknownGenePolicy : std::uint8_t {
  kError,  ///< the record is rejected (default for JSON records)
  kWarn,   ///< the finding is kept with its symbol unresolved, with a warning
};
struct PatientReadOptions {
  UnknownGenePolicy unknown_genes = UnknownGenePolicy::kError;
};

/// The read options an Engine::match_json call with `policy` uses.
inline PatientReadOptions read_options(RecordPolicy const& policy) noexcept {
  return PatientReadOptions{policy.warn_unknown_genes ? UnknownGenePolicy::kWarn : UnknownGenePolicy::kError};
}

/// One patient record (JSON text, patient.md). Every problem is reported with its JSON
/// pointer; a record with any error is rejected whole. Warnings (an alias read as its
/// approved symbol, an unresolved symbol kept) go to `warnings` when non-null.
Result<model::Patient> read_patient_json(std::string_view text, catalog::Catalog const& catalog,
                                         PatientReadOptions const& options = {},
                                         std::vector<RecordError>* warnings = nullptr);

/// The decision trace as `actionable explain` prints it (before the outcome's text).
std::string trace_text(Trace const& trace);

/// The canonical result JSON of one outcome (patient.md "Match result"), one line, no newline.
std::string write_outcome(Outcome const& outcome);

/// The outcome as a readable report (`actionable match --format text`); `tumour_code` is the
/// patient's OncoTree code, shown in the header line.
std::string outcome_text(Outcome const& outcome, std::string const& tumour_code);

}  // namespace actionable::io
