// Patient records from JSON (patient.md): validation with JSON pointers, normalisation of
// genes (HGNC aliases resolved), tumour codes (must be in OncoTree) and protein changes.
// Unknown fields are ignored. No exceptions escape.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "actionable/catalog/catalog.hpp"
#include "actionable/io/json.hpp"
#include "actionable/model/patient.hpp"

namespace actionable::io {

/// Read one record. On error returns nullopt and appends to `errors` (every problem found,
/// each with its JSON pointer). Warnings (e.g. alias used) go to `warnings` when non-null.
std::optional<model::Patient> read_patient(nlohmann::json const& record, catalog::Catalog const& catalog,
                                           std::vector<RecordError>& errors,
                                           std::vector<RecordError>* warnings = nullptr,
                                           PatientReadOptions const& options = {});

/// Parse JSON text then read_patient. A JSON syntax error is reported with pointer "" and the
/// byte offset in the message.
std::optional<model::Patient> read_patient_text(std::string_view text, catalog::Catalog const& catalog,
                                                std::vector<RecordError>& errors,
                                                std::vector<RecordError>* warnings = nullptr,
                                                PatientReadOptions const& options = {});

}  // namespace actionable::io
