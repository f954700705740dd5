// Private to src/io: reading the eligibility facts of a patient record (docs/inputs.md,
// "Clinical facts"): labs with units, as_of, disease_status, brain_metastases,
// measurable_disease, pregnant. Errors carry the JSON pointer of the offending value.
#pragma once

#include <vector>

#include "actionable/model/patient.hpp"
#include "actionable/outcome.hpp"
#include "io/json_node.hpp"

namespace actionable::io::detail {

void read_patient_facts(record::Object const& record, model::Patient& p, std::vector<RecordError>& errors);

}  // namespace actionable::io::detail
