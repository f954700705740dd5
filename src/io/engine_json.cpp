// The JSON and text entry points of the Engine (declared in actionable/engine.hpp): the io
// module's adapters over the typed API — read_patient_json → Engine::match → write_outcome.
// They live here, not in src/engine, so that the engine never includes the io module.
#include <atomic>

#include "actionable/detail/engine/impl.hpp"
#include "actionable/detail/eval/patient_view.hpp"
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
  return read_match_render(*this, record, options,
                           [](Outcome const& o, model::Patient const&) { return io::write_outcome(o); });
}

MatchOutcome Engine::explain_json(std::string_view record, RecordPolicy const& options) const {
  MatchOutcome out;
  auto patient = io::read_patient_text(record, *impl_->catalog, out.errors, nullptr, io::read_options(options));
  if (!patient) return out;
  auto t = explain(*patient);
  if (!t) {
    out.errors = std::move(t.errors);
    return out;
  }
  out.json = io::trace_text(*t) + "\n" + io::outcome_text(t->outcome, patient->tumour_code);
  out.ok = true;
  return out;
}

MatchOutcome Engine::report_text(std::string_view record, RecordPolicy const& options) const {
  return read_match_render(*this, record, options, [](Outcome const& o, model::Patient const& p) {
    return io::outcome_text(o, p.tumour_code);
  });
}

namespace io {

std::string trace_text(Trace const& t) {
  std::string s;
  s += "Patient " + t.patient + "\n";
  s += "  tumour " + t.tumour_code + " (" + t.tumour_name + "); lineage:";
  for (auto const& a : t.lineage) s += " " + a;
  s += t.solid ? " — solid tumour\n" : " — not a solid tumour\n";
  s += t.closed_world
           ? "  no tests declared: absent findings count as not found (coverage assumed)\n"
           : "  tests declared: " + std::to_string(t.tests) + " (a gene outside them is unknown, not wild type)\n";
  for (std::size_t i = 0; i < t.findings.size(); ++i)
    s += "  finding #" + std::to_string(i) + ": " + t.findings[i] + "\n";
  s += "\nCriteria reached by this patient's tumour and findings: " + std::to_string(t.steps.size()) + " of " +
       std::to_string(t.criteria_total) + "\n";
  for (auto const& st : t.steps) {
    auto const& c = st.criterion;
    std::string name = c.kind == CriterionKind::kTrialArm ? "trial " + c.name + " arm \"" + c.arm + "\""
                       : c.kind == CriterionKind::kCohort ? "precision2 " + c.name
                                                          : "rule " + c.name;
    s += "\n" + name + " [" + std::string(to_string(st.cls)) + "] (" + c.source + ")\n";
    s += std::string("  1. tumour: ") + (st.tumour ? "yes — " : "no — ") + st.tumour_reason + "\n";
    s += "  2. when: " + std::string(to_string(st.when)) + "\n";
    for (auto const& a : st.atoms) {
      if (a.is_define) {
        s += "       " + a.text + " (" + a.source + ") is " + std::string(to_string(a.value)) + "\n";
        continue;
      }
      s += "       " + a.text + ": " + std::string(to_string(a.value));
      if (!a.findings.empty()) {
        s += " — ";
        for (std::size_t i = 0; i < a.findings.size(); ++i)
          s += (i ? ", " : "") + std::string("#") + std::to_string(a.findings[i]) + " " + t.findings[a.findings[i]];
      }
      if (!a.missing.empty()) {
        s += " — missing: ";
        for (std::size_t i = 0; i < a.missing.size(); ++i) s += (i ? ", " : "") + a.missing[i];
      }
      s += "\n";
    }
    if (!st.require_text.empty())
      s += "  3. require " + st.require_text + ": " + std::string(to_string(st.require)) + "\n";
    for (auto const& [text, v] : st.excludes) s += "  4. exclude " + text + ": " + std::string(to_string(v)) + "\n";
    if (!st.status.empty()) s += "  5. status: " + st.status + "\n";
  }
  s += "\nOutcome: recommended " + std::string(to_string(t.outcome.pathway.recommended)) + "; options:";
  for (auto o : t.outcome.pathway.options) s += " " + std::string(to_string(o));
  s += "\n";
  return s;
}

Result<model::Patient> read_patient_json(std::string_view text, catalog::Catalog const& catalog,
                                         PatientReadOptions const& options, std::vector<RecordError>* warnings) {
  Result<model::Patient> out;
  out.value = read_patient_text(text, catalog, out.errors, warnings, options);
  return out;
}

}  // namespace io
}  // namespace actionable
