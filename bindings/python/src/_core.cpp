// actionable._core — the Python binding of the Engine facade (pybind11). The pure-Python
// package bindings/python/actionable re-exports it. Records go in as dict / str / bytes and
// results come back as dicts parsed by the json module (the engine's JSON is canonical).
// match / match_json / explain / report and match_many release the GIL while matching; an
// Engine is immutable, so Python threads may share one freely.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/catalog/catalog.hpp"
#include "actionable/detail/util/parallel.hpp"
#include "actionable/engine.hpp"
#include "actionable/io/json.hpp"
#include "actionable/outcome.hpp"
#include "actionable/trace.hpp"

namespace py = pybind11;

namespace {

// Exception types, created once at import (module lifetime = process lifetime).
PyObject* g_error = nullptr;         // actionable.ActionableError(Exception)
PyObject* g_rule_error = nullptr;    // actionable.RuleError(ActionableError)
PyObject* g_record_error = nullptr;  // actionable.RecordError(ActionableError, ValueError)

struct PyEngine {
  std::shared_ptr<actionable::Engine const> engine;
  std::string warnings;  // formatted warnings from compilation ("" when none)
};

py::list errors_list(std::vector<actionable::RecordError> const& errors) {
  py::list out;
  for (auto const& e : errors) {
    py::dict d;
    d["pointer"] = e.pointer;
    d["message"] = e.message;
    out.append(std::move(d));
  }
  return out;
}

[[noreturn]] void raise_with(PyObject* type, std::string const& message, char const* attr, py::object value) {
  py::object exc = py::reinterpret_borrow<py::object>(type)(message);
  exc.attr(attr) = std::move(value);
  PyErr_SetObject(type, exc.ptr());
  throw py::error_already_set();
}

[[noreturn]] void raise_record_error(std::vector<actionable::RecordError> const& errors) {
  std::string message;
  for (auto const& e : errors) {
    if (!message.empty()) message += "\n";
    message += (e.pointer.empty() ? std::string("(record)") : e.pointer) + ": " + e.message;
  }
  raise_with(g_record_error, message, "errors", errors_list(errors));
}

// dict (or any JSON-serialisable object) → json.dumps; str / bytes → as is. Needs the GIL.
std::string record_text(py::handle record) {
  if (py::isinstance<py::str>(record)) return record.cast<std::string>();
  if (py::isinstance<py::bytes>(record)) return record.cast<std::string>();
  if (py::isinstance<py::bytearray>(record)) {
    return std::string(PyByteArray_AsString(record.ptr()), static_cast<std::size_t>(PyByteArray_Size(record.ptr())));
  }
  if (!py::isinstance<py::dict>(record)) {
    throw py::type_error("a patient record must be a dict, str or bytes, not " +
                         std::string(py::str(record.get_type().attr("__name__"))));
  }
  // Leaked on purpose: must not be destroyed after the interpreter is finalised.
  static auto* dumps = new py::object(py::module_::import("json").attr("dumps"));
  return (*dumps)(record, py::arg("ensure_ascii") = false).cast<std::string>();
}

py::object json_loads(std::string const& text) {
  static auto* loads = new py::object(py::module_::import("json").attr("loads"));
  return (*loads)(py::str(text));
}

/// Set once at import by actionable/__init__.py when the package carries its reference data.
std::string& packaged_reference() {
  static std::string dir;
  return dir;
}

std::shared_ptr<actionable::catalog::Catalog const> load_catalog(py::object const& reference) {
  std::string dir;
  if (!reference.is_none()) {
    dir = py::str(py::module_::import("os").attr("fspath")(reference)).cast<std::string>();
  }
  if (dir.empty()) {
    // $ACTIONABLE_REFERENCE first, then the reference data packaged with the module (a pip
    // install: actionable/reference), then the library's compiled-in default.
    char const* env = std::getenv("ACTIONABLE_REFERENCE");
    dir = (env == nullptr || *env == '\0') && !packaged_reference().empty()
              ? packaged_reference()
              : actionable::catalog::Catalog::default_dir();
  }
  std::string error;
  std::optional<actionable::catalog::Catalog> cat;
  {
    py::gil_scoped_release nogil;
    cat = actionable::catalog::Catalog::load(dir, &error);
  }
  if (!cat) {
    std::string msg = "cannot load reference data from '" + dir + "': " + error;
    raise_with(g_rule_error, msg, "diagnostics", py::str(msg));
  }
  return std::make_shared<actionable::catalog::Catalog const>(std::move(*cat));
}

PyEngine finish(std::shared_ptr<actionable::Engine const> engine, actionable::Diagnostics const& diags) {
  if (!engine) {
    std::string text = diags.format();
    if (text.empty()) text = "rule set could not be compiled\n";
    std::string msg = text;
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    raise_with(g_rule_error, msg, "diagnostics", py::str(text));
  }
  return PyEngine{std::move(engine), diags.format()};
}

PyEngine from_paths(py::object const& paths, py::object const& reference) {
  std::vector<std::string> list;
  auto fspath = py::module_::import("os").attr("fspath");
  if (py::isinstance<py::str>(paths) || py::isinstance<py::bytes>(paths) || py::hasattr(paths, "__fspath__")) {
    list.push_back(py::str(fspath(paths)).cast<std::string>());
  } else {
    for (auto p : paths) list.push_back(py::str(fspath(p)).cast<std::string>());
  }
  if (list.empty()) throw py::value_error("no rule paths given");
  auto catalog = load_catalog(reference);
  actionable::Diagnostics diags;
  std::shared_ptr<actionable::Engine const> engine;
  {
    py::gil_scoped_release nogil;
    engine = actionable::Engine::from_paths(list, catalog, diags);
  }
  return finish(std::move(engine), diags);
}

PyEngine from_sources(py::object const& sources, py::object const& reference) {
  std::vector<actionable::RuleSource> list;
  py::object items = py::isinstance<py::dict>(sources) ? sources.attr("items")() : sources;
  for (auto item : items) {
    // (path, text) or (path, text, set): the set of rule sets side by side (docs/language.md).
    auto t = item.cast<py::tuple>();
    if (t.size() != 2 && t.size() != 3) throw py::value_error("a rule source is (path, text) or (path, text, set)");
    list.push_back(actionable::RuleSource{t[0].cast<std::string>(), t[1].cast<std::string>(),
                                          t.size() == 3 ? t[2].cast<std::uint32_t>() : 0u});
  }
  auto catalog = load_catalog(reference);
  actionable::Diagnostics diags;
  std::shared_ptr<actionable::Engine const> engine;
  {
    py::gil_scoped_release nogil;
    engine = actionable::Engine::from_sources(std::move(list), catalog, diags);
  }
  return finish(std::move(engine), diags);
}

using Method = actionable::MatchOutcome (actionable::Engine::*)(std::string_view,
                                                                actionable::RecordPolicy const&) const;

// One record through one Engine method, the GIL released while it runs.
std::string run_one(PyEngine const& self, py::handle record, Method method) {
  std::string text = record_text(record);
  actionable::MatchOutcome outcome;
  {
    py::gil_scoped_release nogil;
    outcome = ((*self.engine).*method)(text, actionable::RecordPolicy{});
  }
  if (!outcome.ok) raise_record_error(outcome.errors);
  return std::move(outcome.json);
}

// One record read by io::read_patient_json and passed to a typed Engine method with the GIL
// released: match (the Outcome: no result JSON written or parsed on the way out) or explain
// (the Trace). A bad record raises RecordError.
template <class T>
T typed_one(PyEngine const& self, py::handle record,
            actionable::Result<T> (actionable::Engine::*method)(actionable::model::Patient const&) const) {
  std::string text = record_text(record);
  actionable::Result<T> out;
  {
    py::gil_scoped_release nogil;
    auto patient = actionable::io::read_patient_json(text, self.engine->catalog());
    if (!patient)
      out.errors = std::move(patient.errors);
    else
      out = ((*self.engine).*method)(*patient.value);
  }
  if (!out) raise_record_error(out.errors);
  return std::move(*out.value);
}

actionable::Outcome match_outcome(PyEngine const& self, py::handle record) {
  return typed_one<actionable::Outcome>(self, record, &actionable::Engine::match);
}

actionable::Trace explain_trace(PyEngine const& self, py::handle record) {
  return typed_one<actionable::Trace>(self, record, &actionable::Engine::explain);
}

// Match every record on `threads` threads (default: all cores) with the GIL released;
// outcomes in input order. Reading the records (dict → JSON text) needs the GIL.
std::vector<actionable::MatchOutcome> match_all(PyEngine const& self, py::iterable records,
                                                std::optional<int> threads) {
  std::vector<std::string> texts;
  for (auto r : records) texts.push_back(record_text(r));
  std::vector<actionable::MatchOutcome> outcomes(texts.size());
  py::gil_scoped_release nogil;
  unsigned workers = threads && *threads > 0 ? static_cast<unsigned>(*threads) : 0;
  actionable::util::parallel_for(texts.size(), workers, [&](std::size_t i) {
    try {
      outcomes[i] = self.engine->match_json(texts[i]);
    } catch (std::exception const& e) {
      outcomes[i] = actionable::MatchOutcome{false, {}, {{"", std::string("internal error: ") + e.what()}}};
    } catch (...) {
      outcomes[i] = actionable::MatchOutcome{false, {}, {{"", "internal error"}}};
    }
    std::string().swap(texts[i]);  // free the input as soon as it is matched
  });
  return outcomes;
}

py::list match_many(PyEngine const& self, py::iterable records, std::optional<int> threads) {
  auto outcomes = match_all(self, records, threads);
  py::list out;
  for (auto& o : outcomes) {
    if (o.ok) {
      out.append(json_loads(o.json));
    } else {
      py::dict d;
      d["errors"] = errors_list(o.errors);
      out.append(std::move(d));
    }
    o = actionable::MatchOutcome{};
  }
  return out;
}

py::list match_many_json(PyEngine const& self, py::iterable records, std::optional<int> threads) {
  auto outcomes = match_all(self, records, threads);
  py::list out;
  for (auto& o : outcomes) {
    if (o.ok) {
      out.append(py::str(o.json));
    } else {
      nlohmann::json errors = nlohmann::json::array();
      for (auto const& e : o.errors) errors.push_back({{"pointer", e.pointer}, {"message", e.message}});
      nlohmann::json doc = {{"errors", std::move(errors)}};
      out.append(py::str(doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    }
    o = actionable::MatchOutcome{};
  }
  return out;
}

PyObject* new_exception(py::module_& m, char const* name, char const* doc, PyObject* bases) {
  std::string qualified = std::string("actionable.") + name;
  PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases, nullptr);
  if (type == nullptr) throw py::error_already_set();
  m.add_object(name, py::reinterpret_borrow<py::object>(type));
  return type;  // the reference we own is kept for the life of the process
}

/// str() of an enum value is its JSON spelling ("standard_of_care"). Set as the attribute
/// itself: .def("__str__") would only add an overload behind pybind11's own __str__.
template <class E, class Cls>
void json_str(Cls& cls) {
  cls.attr("__str__") = py::cpp_function([](E e) { return std::string(actionable::to_string(e)); }, py::is_method(cls));
}

/// The typed Outcome (actionable/outcome.hpp) as read-only Python classes, enums as Python
/// enums whose values' .name is the C++ enumerator and str() the JSON spelling.
void bind_outcome(py::module_& m) {
  using namespace actionable;
  auto e_OptionClass = py::enum_<OptionClass>(m, "OptionClass", "The class of an option (dsl.md §3).")
                           .value("APPROVED", OptionClass::kApproved)
                           .value("STANDARD_OF_CARE", OptionClass::kStandardOfCare)
                           .value("RESISTANCE", OptionClass::kResistance)
                           .value("MATCHED_TRIAL", OptionClass::kMatchedTrial)
                           .value("PRECISION2_CANDIDATE", OptionClass::kPrecision2Candidate)
                           .value("EVIDENCE", OptionClass::kEvidence);
  json_str<OptionClass>(e_OptionClass);
  auto e_PathwayOption = py::enum_<PathwayOption>(m, "PathwayOption", "The protocol's pathway options.")
                             .value("STANDARD_OF_CARE", PathwayOption::kStandardOfCare)
                             .value("MATCHED_TRIAL", PathwayOption::kMatchedTrial)
                             .value("PRECISION2", PathwayOption::kPrecision2)
                             .value("EMPIRICAL", PathwayOption::kEmpirical);
  json_str<PathwayOption>(e_PathwayOption);
  auto e_Coverage = py::enum_<Coverage>(m, "Coverage", "Absence judged against declared tests or the closed world.")
                        .value("DECLARED", Coverage::kDeclared)
                        .value("ASSUMED", Coverage::kAssumed);
  json_str<Coverage>(e_Coverage);
  py::enum_<CriterionKind>(m, "CriterionKind", "What kind of criterion an entry comes from.")
      .value("RULE", CriterionKind::kRule)
      .value("TRIAL_ARM", CriterionKind::kTrialArm)
      .value("COHORT", CriterionKind::kCohort);
  auto e_SiteStatus = py::enum_<SiteStatus>(m, "SiteStatus", "A trial's recruitment at one centre.")
                          .value("RECRUITING", SiteStatus::kRecruiting)
                          .value("SUSPENDED", SiteStatus::kSuspended)
                          .value("CLOSED", SiteStatus::kClosed);
  json_str<SiteStatus>(e_SiteStatus);
  auto e_TrialAvailability =
      py::enum_<TrialAvailability>(m, "TrialAvailability", "Where a matched trial arm recruits for this patient.")
          .value("UNSTATED", TrialAvailability::kUnstated)
          .value("AT_CENTRE", TrialAvailability::kAtCentre)
          .value("IN_COUNTRY", TrialAvailability::kInCountry);
  json_str<TrialAvailability>(e_TrialAvailability);

  py::class_<CriterionRef>(m, "CriterionRef", "The rule, trial arm or PRECISION 2 cohort an entry names.")
      .def_readonly("kind", &CriterionRef::kind)
      .def_readonly("name", &CriterionRef::name)
      .def_readonly("arm", &CriterionRef::arm)
      .def_readonly("title", &CriterionRef::title)
      .def_readonly("source", &CriterionRef::source)
      .def_readonly("ruleset", &CriterionRef::ruleset);
  py::class_<TrialSite>(m, "TrialSite", "A `site CODE STATUS [slots N]` line.")
      .def_readonly("centre", &TrialSite::centre)
      .def_readonly("status", &TrialSite::status)
      .def_property_readonly("slots", [](TrialSite const& s) -> std::optional<int> {
        return s.slots < 0 ? std::nullopt : std::optional<int>(s.slots);
      });
  auto texts = [](auto const& v, auto member) {
    std::vector<std::string> out;
    for (auto const& x : v) out.push_back(x.*member);
    return out;
  };
  py::class_<Match>(m, "Match", "One match: class, criterion, therapies, findings and why.")
      .def_readonly("cls", &Match::cls)
      .def_readonly("criterion", &Match::criterion)
      .def_readonly("therapies", &Match::therapies)
      .def_readonly("level", &Match::level)
      .def_readonly("direction", &Match::direction)
      .def_readonly("supports", &Match::supports)
      .def_readonly("findings", &Match::findings)
      .def_readonly("cites", &Match::cites)
      .def_readonly("sites", &Match::sites)
      .def_readonly("phase", &Match::phase)
      .def_readonly("centres", &Match::centres)
      .def_readonly("availability", &Match::availability)
      .def_property_readonly("because", [texts](Match const& x) { return texts(x.because, &Reason::text); })
      .def_readonly("eligible", &Match::eligible);
  py::class_<Suppressed>(m, "Suppressed", "A match whose therapies a resistance rule removed.")
      .def_readonly("cls", &Suppressed::cls)
      .def_readonly("criterion", &Suppressed::criterion)
      .def_readonly("by", &Suppressed::by)
      .def_readonly("by_ruleset", &Suppressed::by_ruleset)
      .def_readonly("therapies", &Suppressed::therapies);
  py::class_<Indeterminate>(m, "Indeterminate", "A criterion that missing tests or values would decide.")
      .def_readonly("cls", &Indeterminate::cls)
      .def_readonly("criterion", &Indeterminate::criterion)
      .def_property_readonly("missing", [texts](Indeterminate const& x) { return texts(x.missing, &Missing::test); });
  py::class_<OffLabel>(m, "OffLabel", "Evidence from the indication of another tumour type.")
      .def_readonly("cls", &OffLabel::cls)
      .def_readonly("criterion", &OffLabel::criterion)
      .def_readonly("therapies", &OffLabel::therapies)
      .def_readonly("approved_in", &OffLabel::approved_in)
      .def_readonly("except_", &OffLabel::except)
      .def_readonly("level", &OffLabel::level)
      .def_readonly("findings", &OffLabel::findings)
      .def_readonly("cites", &OffLabel::cites)
      .def_property_readonly("because", [texts](OffLabel const& x) { return texts(x.because, &Reason::text); });
  py::class_<Excluded>(m, "Excluded", "A near miss: the findings matched, a requirement failed.")
      .def_readonly("cls", &Excluded::cls)
      .def_readonly("criterion", &Excluded::criterion)
      .def_readonly("reason", &Excluded::reason);
  py::class_<NearMiss>(m, "NearMiss", "Failed only recoverable criteria (labs, washout): eligible once they hold.")
      .def_readonly("cls", &NearMiss::cls)
      .def_readonly("criterion", &NearMiss::criterion)
      .def_readonly("reason", &NearMiss::reason)
      .def_readonly("eligible_once", &NearMiss::eligible_once);
  py::class_<FindingSummary>(m, "FindingSummary", "A finding as normalised, with the classes it drives.")
      .def_readonly("index", &FindingSummary::index)
      .def_readonly("normalised", &FindingSummary::normalised)
      .def_readonly("classes", &FindingSummary::classes);
  py::class_<UnresolvedGene>(m, "UnresolvedGene", "A finding's gene symbol that HGNC does not resolve.")
      .def_readonly("finding", &UnresolvedGene::finding)
      .def_readonly("field", &UnresolvedGene::field)
      .def_readonly("symbol", &UnresolvedGene::symbol);
  py::class_<Pathway>(m, "Pathway", "The protocol pathway: options, recommended, PRECISION 2 eligibility.")
      .def_readonly("options", &Pathway::options)
      .def_readonly("recommended", &Pathway::recommended)
      .def_readonly("precision2_eligible", &Pathway::precision2_eligible)
      .def_readonly("provisional", &Pathway::provisional);
  py::class_<Outcome>(m, "Outcome", "The typed result of matching one patient (actionable/outcome.hpp).")
      .def_readonly("patient", &Outcome::patient)
      .def_readonly("ruleset", &Outcome::ruleset)
      .def_readonly("rulesets", &Outcome::rulesets)
      .def_readonly("coverage", &Outcome::coverage)
      .def_readonly("input_incomplete", &Outcome::input_incomplete)
      .def_readonly("input_issues", &Outcome::input_issues)
      .def_readonly("pathway", &Outcome::pathway)
      .def_readonly("matches", &Outcome::matches)
      .def_readonly("suppressed", &Outcome::suppressed)
      .def_readonly("indeterminate", &Outcome::indeterminate)
      .def_readonly("off_label", &Outcome::off_label)
      .def_readonly("excluded", &Outcome::excluded)
      .def_readonly("near_misses", &Outcome::near_misses)
      .def_readonly("findings", &Outcome::findings)
      .def_readonly("unresolved", &Outcome::unresolved)
      .def(
          "to_json", [](Outcome const& o) { return actionable::io::write_outcome(o); },
          "The canonical result JSON (what match_json returns).");
}

/// The decision trace (actionable/trace.hpp) as read-only Python classes.
void bind_trace(py::module_& m) {
  using namespace actionable;
  auto e_Truth = py::enum_<Truth>(m, "Truth", "A three-valued (Kleene) value: false, unknown, true.")
                     .value("FALSE", Truth::kFalse)
                     .value("UNKNOWN", Truth::kUnknown)
                     .value("TRUE", Truth::kTrue);
  json_str<Truth>(e_Truth);
  py::class_<TraceAtom>(m, "TraceAtom", "One line of a criterion's when: a define reached, or an atom with its value.")
      .def_readonly("is_define", &TraceAtom::is_define)
      .def_readonly("text", &TraceAtom::text)
      .def_readonly("source", &TraceAtom::source)
      .def_readonly("value", &TraceAtom::value)
      .def_readonly("findings", &TraceAtom::findings)
      .def_readonly("missing", &TraceAtom::missing);
  py::class_<TraceStep>(m, "TraceStep", "One criterion the patient's tumour and findings reach.")
      .def_readonly("criterion", &TraceStep::criterion)
      .def_readonly("cls", &TraceStep::cls)
      .def_readonly("tumour", &TraceStep::tumour)
      .def_readonly("tumour_reason", &TraceStep::tumour_reason)
      .def_readonly("when", &TraceStep::when)
      .def_readonly("atoms", &TraceStep::atoms)
      .def_readonly("require_text", &TraceStep::require_text)
      .def_readonly("require", &TraceStep::require)
      .def_readonly("excludes", &TraceStep::excludes)
      .def_readonly("status", &TraceStep::status);
  py::class_<Trace>(m, "Trace", "The decision trace of one patient, as data (what explain prints).")
      .def_readonly("patient", &Trace::patient)
      .def_readonly("tumour_code", &Trace::tumour_code)
      .def_readonly("tumour_name", &Trace::tumour_name)
      .def_readonly("lineage", &Trace::lineage)
      .def_readonly("solid", &Trace::solid)
      .def_readonly("closed_world", &Trace::closed_world)
      .def_readonly("tests", &Trace::tests)
      .def_readonly("findings", &Trace::findings)
      .def_readonly("criteria_total", &Trace::criteria_total)
      .def_readonly("steps", &Trace::steps)
      .def_readonly("outcome", &Trace::outcome)
      .def(
          "to_text", [](Trace const& t) { return actionable::io::trace_text(t); },
          "The trace as text: what Engine.explain returns before the readable result.");
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "actionable: genotype-driven treatment matching (native core)";
  m.attr("__version__") = ACTIONABLE_VERSION;

  g_error = new_exception(m, "ActionableError", "Base class of the errors raised by actionable.", PyExc_Exception);
  g_rule_error = new_exception(m, "RuleError",
                               "The rule set (or its reference data) could not be loaded; .diagnostics holds the "
                               "formatted diagnostics.",
                               g_error);
  {
    py::tuple bases = py::make_tuple(py::handle(g_error), py::handle(PyExc_ValueError));
    g_record_error = new_exception(
        m, "RecordError", "A patient record is invalid; .errors is a list of {'pointer': ..., 'message': ...}.",
        bases.ptr());
  }

  py::class_<actionable::RuleSetInfo>(m, "RuleSetInfo", "Identity of a compiled rule set (a result's 'ruleset').")
      .def_readonly("name", &actionable::RuleSetInfo::name)
      .def_readonly("version", &actionable::RuleSetInfo::version)
      .def_readonly("sha256", &actionable::RuleSetInfo::sha256)
      .def("as_dict",
           [](actionable::RuleSetInfo const& i) {
             py::dict d;
             d["name"] = i.name;
             d["version"] = i.version;
             d["sha256"] = i.sha256;
             return d;
           })
      .def("__eq__",
           [](actionable::RuleSetInfo const& a, actionable::RuleSetInfo const& b) {
             return a.name == b.name && a.version == b.version && a.sha256 == b.sha256;
           })
      .def("__hash__",
           [](actionable::RuleSetInfo const& i) { return py::hash(py::make_tuple(i.name, i.version, i.sha256)); })
      .def("__repr__", [](actionable::RuleSetInfo const& i) {
        return "RuleSetInfo(name=" + std::string(py::repr(py::str(i.name))) +
               ", version=" + std::string(py::repr(py::str(i.version))) +
               ", sha256=" + std::string(py::repr(py::str(i.sha256))) + ")";
      });

  bind_outcome(m);
  bind_trace(m);
  m.def(
      "_set_packaged_reference", [](std::string dir) { packaged_reference() = std::move(dir); },
      "Used by actionable/__init__.py: the reference data installed with the package.");

  py::class_<PyEngine, std::shared_ptr<PyEngine>>(
      m, "Engine", "A compiled rule set bound to its reference data. Immutable; safe to share between threads.")
      .def_static("from_paths", &from_paths, py::arg("paths"), py::arg("reference") = py::none(),
                  "Compile every .rules file under the given file(s)/directory(ies).")
      .def_static("from_sources", &from_sources, py::arg("sources"), py::arg("reference") = py::none(),
                  "Compile rule texts held in memory: a {path: text} mapping or (path, text) pairs.")
      .def(
          "match",
          [](PyEngine const& self, py::handle record) {
            return json_loads(run_one(self, record, &actionable::Engine::match_json));
          },
          py::arg("record"), "Match one patient record; returns the result as a dict.")
      .def("match_outcome", &match_outcome, py::arg("record"),
           "Match one patient record; returns the typed Outcome (no JSON round trip).")
      .def("explain_trace", &explain_trace, py::arg("record"),
           "The decision trace of one record as data (Trace); explain() starts with its text.")
      .def(
          "match_json",
          [](PyEngine const& self, py::handle record) {
            return run_one(self, record, &actionable::Engine::match_json);
          },
          py::arg("record"), "Match one patient record; returns the canonical result JSON text.")
      .def("match_many", &match_many, py::arg("records"), py::arg("threads") = py::none(),
           "Match many records on all cores with the GIL released; results in input order, a "
           "bad record giving {'errors': [...]} in its place.")
      .def("match_many_json", &match_many_json, py::arg("records"), py::arg("threads") = py::none(),
           "As match_many, but each result is its JSON text (a bad record: '{\"errors\":[...]}'); "
           "faster when the results are stored rather than read.")
      .def(
          "explain",
          [](PyEngine const& self, py::handle record) {
            return run_one(self, record, &actionable::Engine::explain_json);
          },
          py::arg("record"), "The decision trace of one record, as text.")
      .def(
          "report",
          [](PyEngine const& self, py::handle record) {
            return run_one(self, record, &actionable::Engine::report_text);
          },
          py::arg("record"), "The match as a readable report.")
      .def("run_tests",
           [](PyEngine const& self) {
             actionable::Engine::TestReport report;
             {
               py::gil_scoped_release nogil;
               report = self.engine->run_tests();
             }
             return py::make_tuple(report.passed, report.failed, report.failures);
           })
      .def("dot", [](PyEngine const& self) { return self.engine->dot(); })
      .def_property_readonly("info", [](PyEngine const& self) { return self.engine->info(); })
      .def_property_readonly("rule_sets", [](PyEngine const& self) { return self.engine->rule_sets(); })
      .def_property_readonly("warnings", [](PyEngine const& self) { return self.warnings; })
      .def_property_readonly("sources",
                             [](PyEngine const& self) {
                               py::list out;
                               for (auto const& s : self.engine->sources()) {
                                 out.append(py::make_tuple(s.path, s.text, s.set));
                               }
                               return out;
                             })
      .def("__repr__", [](PyEngine const& self) {
        auto const& i = self.engine->info();
        return "<actionable.Engine " + i.name + " " + i.version + " sha256=" + i.sha256.substr(0, 12) + ">";
      });
}
