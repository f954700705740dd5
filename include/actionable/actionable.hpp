// actionable — the umbrella header of the typed public API (docs/api.md).
//
//   Engine::from_paths / from_sources   compile rule files into an immutable, thread-safe engine
//   io::read_patient_json               patient.md JSON → model::Patient (JSON-pointer errors)
//   Engine::match / match_many          model::Patient → Outcome (typed: classes, pathway, …)
//   io::write_outcome / outcome_text    Outcome → the canonical result JSON / a readable report
//   Engine::explain, io::trace_text     model::Patient → Trace (the decision trace as data) → text
//
// Nothing here includes Boost, nlohmann_json or range-v3; headers under actionable/detail/ are
// internals (installed for the library's own tools, not a stable API).
#pragma once

#include "actionable/catalog/catalog.hpp"
#include "actionable/diagnostics.hpp"
#include "actionable/engine.hpp"
#include "actionable/io/json.hpp"
#include "actionable/model/hgvs.hpp"
#include "actionable/model/patient.hpp"
#include "actionable/outcome.hpp"
#include "actionable/trace.hpp"
