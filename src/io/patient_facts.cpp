// The eligibility facts of a patient record (patient_facts.hpp). Lab values are converted to
// the test's canonical unit with the table of model/clinical.hpp; a unit that is not a unit of
// the test is refused with its JSON pointer, never guessed.
#include "io/patient_facts.hpp"

#include <cmath>

#include "io/patient_reader.hpp"
#include "util/ascii.hpp"

namespace actionable::io::detail {

using record::Node;
using record::Object;
using record::trim;

namespace {

struct FactReader {
  std::vector<RecordError>& errors;
  void error(std::string const& ptr, std::string msg) { errors.push_back({ptr, util::one_line(std::move(msg))}); }

  std::optional<bool> boolean(Object const& r, char const* key) {
    auto it = r.find(key);
    if (!it || it->is_null()) return std::nullopt;
    if (!it->is_boolean()) {
      error(std::string("/") + key, "must be true or false");
      return std::nullopt;
    }
    return it->boolean();
  }

  std::optional<double> number(Object const& o, char const* key, std::string const& base) {
    auto it = o.find(key);
    if (!it || it->is_null()) return std::nullopt;
    if (!it->is_number() || !std::isfinite(it->number()) || it->number() < 0) {
      error(base + "/" + key, "must be a number >= 0");
      return std::nullopt;
    }
    return it->number();
  }

  std::string date(Object const& o, char const* key, std::string const& base) {
    auto it = o.find(key);
    if (!it || it->is_null()) return {};
    if (!it->is_string() || !model::iso_day_number(trim(it->string()))) {
      error(base + "/" + key, "must be a date \"YYYY-MM-DD\"");
      return {};
    }
    return trim(it->string());
  }

  void lab(Node node, std::string const& base, model::Patient& p) {
    if (!node.is_object()) {
      error(base, "must be an object {\"test\", \"value\", \"unit\"}");
      return;
    }
    Object const l(node);
    auto t = l.find("test");
    if (!t || !t->is_string()) {
      error(base + "/test", !t ? "required field is missing" : "must be a string");
      return;
    }
    std::string raw = trim(t->string());
    model::Lab out;
    out.test = model::lab_canonical_name(raw);
    out.pointer = base;
    if (out.test.empty()) {
      error(base + "/test", "unknown laboratory test '" + raw + "' (" + model::lab_tests_text() + ")");
      return;
    }
    auto value = number(l, "value", base);
    auto uln = number(l, "uln", base);
    out.date = date(l, "date", base);
    auto u = l.find("unit");
    std::string unit = u && u->is_string() ? trim(u->string()) : "";
    if (u && !u->is_null() && !u->is_string()) error(base + "/unit", "must be a string");
    if (!value) {
      error(base + "/value", "required field is missing");
      return;
    }
    if (unit.empty()) {
      error(base + "/unit", "required field is missing (" + model::lab_units_text(out.test) + ")");
      return;
    }
    if (unit == "x ULN" || unit == "xULN" || unit == "ULN") {
      if (!model::lab_has_uln(out.test)) {
        error(base + "/unit",
              out.test + " is not reported against an upper limit of normal (" + model::lab_units_text(out.test) + ")");
        return;
      }
      if (uln) {
        error(base + "/uln", "a value given as a multiple of ULN takes no \"uln\"");
        return;
      }
      out.x_uln = *value;
    } else {
      auto f = model::lab_unit_factor(out.test, unit);
      if (!f) {
        error(base + "/unit",
              "'" + unit + "' is not a unit of " + out.test + " (" + model::lab_units_text(out.test) + ")");
        return;
      }
      out.value = *value * *f;
      out.has_value = true;
      if (uln) {
        if (!model::lab_has_uln(out.test)) {
          error(base + "/uln", out.test + " has no upper limit of normal");
          return;
        }
        if (*uln <= 0) {
          error(base + "/uln", "must be a number > 0");
          return;
        }
        out.uln = *uln * *f;  // the same unit as the value
        out.x_uln = out.value / *out.uln;
      }
    }
    p.labs.push_back(std::move(out));
  }
};

}  // namespace

void read_patient_facts(Object const& r, model::Patient& p, std::vector<RecordError>& errors) {
  FactReader fr{errors};
  if (auto it = r.find("labs"); it && !it->is_null()) {
    if (!it->is_array())
      fr.error("/labs", "must be an array");
    else
      it->each([&](std::size_t i, Node l) { fr.lab(l, "/labs/" + std::to_string(i), p); });
  }
  p.as_of = fr.date(r, "as_of", "");
  if (auto it = r.find("disease_status"); it && !it->is_null()) {
    std::vector<std::string> ds;
    auto add = [&](Node v, std::string const& ptr) {
      if (!v.is_string() || trim(v.string()).empty())
        fr.error(ptr, "must be a non-empty string");
      else
        ds.push_back(util::lower(trim(v.string())));
    };
    if (it->is_array())
      it->each([&](std::size_t i, Node v) { add(v, "/disease_status/" + std::to_string(i)); });
    else
      add(*it, "/disease_status");
    p.disease_status = std::move(ds);
  }
  if (auto it = r.find("brain_metastases"); it && !it->is_null()) {
    std::string v = it->is_string() ? model::normalise_brain_metastases(trim(it->string())) : "";
    if (v.empty()) fr.error("/brain_metastases", "must be \"none\", \"treated_stable\" or \"active\"");
    p.brain_metastases = v;
  }
  p.measurable_disease = fr.boolean(r, "measurable_disease");
  p.pregnant = fr.boolean(r, "pregnant");
}

}  // namespace actionable::io::detail
