// The JSON and text entry points of the Engine (declared in actionable/engine.hpp): the io
// module's adapters over the typed API — read_patient_json → Engine::match → write_outcome.
// They live here, not in src/engine, so that the engine never includes the io module.
#include <atomic>

#include "actionable/detail/engine/impl.hpp"
#include "actionable/detail/eval/patient_view.hpp"
#include "actionable/detail/explain/trace.hpp"
#include "actionable/detail/io/patient_json.hpp"
#include "actionable/detail/io/result_json.hpp"

namespace actionable {

namespace {

/// Read the record, match it, render the outcome with `render`; record errors otherwise.
template <class Render>
MatchOutcome read_match_render(Engine const& engine, std::string_view record, RecordPolicy const& policy,
                               Render render) {
  MatchOutcome out;
  auto patient = io::read_patient_text(record, engine.catalog(), out.errors, nullptr, io::read_options(policy));
  if (!patient) return out;
  auto r = engine.match(*patient);
  if (!r) {
    out.errors = std::move(r.errors);
    return out;
  }
  out.json = render(*r, *patient);
  out.ok = true;
  return out;
}

}  // namespace

MatchOutcome Engine::match_json(std::string_view record, RecordPolicy const& options) const {
  return read_match_render(*this, record, options, [](Outcome const& o, model::Patient const&) {
    return io::write_outcome(o);
  });
}

MatchOutcome Engine::explain_json(std::string_view record, RecordPolicy const& options) const {
  MatchOutcome out;
  auto patient = io::read_patient_text(record, *impl_->catalog, out.errors, nullptr, io::read_options(options));
  if (!patient) return out;
  eval::PatientView view(*patient, *impl_->catalog);
  auto evaluation = eval::evaluate(*impl_->graph, view);
  auto outcome = eval::classify(*impl_->rules, view, evaluation);
  out.json = explain::trace(*impl_->rules, view, evaluation, outcome) + "\n" +
             io::outcome_text(engine_detail::to_outcome(outcome, *impl_->rules, impl_->info), patient->tumour_code);
  out.ok = true;
  return out;
}

MatchOutcome Engine::report_text(std::string_view record, RecordPolicy const& options) const {
  return read_match_render(*this, record, options, [](Outcome const& o, model::Patient const& p) {
    return io::outcome_text(o, p.tumour_code);
  });
}

namespace io {

Result<model::Patient> read_patient_json(std::string_view text, catalog::Catalog const& catalog,
                                         PatientReadOptions const& options, std::vector<RecordError>* warnings) {
  Result<model::Patient> out;
  out.value = read_patient_text(text, catalog, out.errors, warnings, options);
  return out;
}

}  // namespace io
}  // namespace actionable
