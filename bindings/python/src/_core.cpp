// actionable._core — the Python binding of the Engine facade (pybind11). The pure-Python
// package bindings/python/actionable re-exports it. Records go in as dict / str / bytes and
// results come back as dicts parsed by the json module (the engine's JSON is canonical).
// match / match_json / explain / report and match_many release the GIL while matching; an
// Engine is immutable, so Python threads may share one freely.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/catalog/catalog.hpp"
#include "actionable/engine.hpp"

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

[[noreturn]] void raise_with(PyObject* type, std::string const& message, char const* attr,
                             py::object value) {
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
    return std::string(PyByteArray_AsString(record.ptr()),
                       static_cast<std::size_t>(PyByteArray_Size(record.ptr())));
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

std::shared_ptr<actionable::catalog::Catalog const> load_catalog(py::object const& reference) {
  std::string dir;
  if (!reference.is_none()) {
    dir = py::str(py::module_::import("os").attr("fspath")(reference)).cast<std::string>();
  }
  if (dir.empty()) dir = actionable::catalog::Catalog::default_dir();
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

PyEngine finish(std::shared_ptr<actionable::Engine const> engine,
                actionable::Diagnostics const& diags) {
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
  if (py::isinstance<py::str>(paths) || py::isinstance<py::bytes>(paths) ||
      py::hasattr(paths, "__fspath__")) {
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
    auto pair = item.cast<std::pair<std::string, std::string>>();
    list.push_back(actionable::RuleSource{std::move(pair.first), std::move(pair.second)});
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

using Method = actionable::MatchOutcome (actionable::Engine::*)(std::string_view, actionable::RecordPolicy const&) const;

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

// Match every record on `threads` threads (default: all cores) with the GIL released;
// outcomes in input order. Reading the records (dict → JSON text) needs the GIL.
std::vector<actionable::MatchOutcome> match_all(PyEngine const& self, py::iterable records,
                                                std::optional<int> threads) {
  std::vector<std::string> texts;
  for (auto r : records) texts.push_back(record_text(r));
  std::vector<actionable::MatchOutcome> outcomes(texts.size());
  py::gil_scoped_release nogil;
  std::size_t n = texts.size();
  std::size_t workers = threads && *threads > 0 ? static_cast<std::size_t>(*threads)
                                                : std::max(1u, std::thread::hardware_concurrency());
  workers = std::min(workers, n);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
      try {
        outcomes[i] = self.engine->match_json(texts[i]);
      } catch (std::exception const& e) {
        outcomes[i] = actionable::MatchOutcome{false, {}, {{"", std::string("internal error: ") + e.what()}}};
      } catch (...) {
        outcomes[i] = actionable::MatchOutcome{false, {}, {{"", "internal error"}}};
      }
      std::string().swap(texts[i]);  // free the input as soon as it is matched
    }
  };
  if (workers <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(workers - 1);
    try {
      for (std::size_t t = 1; t < workers; ++t) pool.emplace_back(work);
    } catch (...) {  // could not start more threads: go on with those we have
    }
    work();
    for (auto& t : pool) t.join();
  }
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

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "actionable: genotype-driven treatment matching (native core)";
  m.attr("__version__") = ACTIONABLE_VERSION;

  g_error = new_exception(m, "ActionableError", "Base class of the errors raised by actionable.",
                          PyExc_Exception);
  g_rule_error = new_exception(
      m, "RuleError",
      "The rule set (or its reference data) could not be loaded; .diagnostics holds the "
      "formatted diagnostics.",
      g_error);
  {
    py::tuple bases = py::make_tuple(py::handle(g_error), py::handle(PyExc_ValueError));
    g_record_error = new_exception(
        m, "RecordError",
        "A patient record is invalid; .errors is a list of {'pointer': ..., 'message': ...}.",
        bases.ptr());
  }

  py::class_<actionable::RuleSetInfo>(m, "RuleSetInfo",
                                      "Identity of a compiled rule set (a result's 'ruleset').")
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

  py::class_<PyEngine, std::shared_ptr<PyEngine>>(
      m, "Engine",
      "A compiled rule set bound to its reference data. Immutable; safe to share between threads.")
      .def_static("from_paths", &from_paths, py::arg("paths"), py::arg("reference") = py::none(),
                  "Compile every .rules file under the given file(s)/directory(ies).")
      .def_static("from_sources", &from_sources, py::arg("sources"),
                  py::arg("reference") = py::none(),
                  "Compile rule texts held in memory: a {path: text} mapping or (path, text) pairs.")
      .def(
          "match",
          [](PyEngine const& self, py::handle record) {
            return json_loads(run_one(self, record, &actionable::Engine::match_json));
          },
          py::arg("record"), "Match one patient record; returns the result as a dict.")
      .def(
          "match_json",
          [](PyEngine const& self, py::handle record) {
            return run_one(self, record, &actionable::Engine::match_json);
          },
          py::arg("record"), "Match one patient record; returns the canonical result JSON text.")
      .def("match_many", &match_many, py::arg("records"), py::arg("threads") = py::none(),
           "Match many records on all cores with the GIL released; results in input order, a "
           "bad record giving {'errors': [...]} in its place.")
      .def("match_many_json", &match_many_json, py::arg("records"),
           py::arg("threads") = py::none(),
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
      .def_property_readonly("warnings", [](PyEngine const& self) { return self.warnings; })
      .def_property_readonly("sources",
                             [](PyEngine const& self) {
                               py::list out;
                               for (auto const& s : self.engine->sources()) {
                                 out.append(py::make_tuple(s.path, s.text));
                               }
                               return out;
                             })
      .def("__repr__", [](PyEngine const& self) {
        auto const& i = self.engine->info();
        return "<actionable.Engine " + i.name + " " + i.version + " sha256=" + i.sha256.substr(0, 12) + ">";
      });
}
