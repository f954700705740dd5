// Leaf semantics of the eligibility facts (docs/language.md, "Eligibility facts"): labs with
// units, washout, brain metastases, measurable disease, pregnancy, disease status and prior
// drug classes. Three-valued: a fact the record does not give is unknown and named in `missing`.
#include <algorithm>
#include <cmath>
#include <limits>

#include "actionable/detail/eval/patient_view.hpp"
#include "actionable/model/clinical.hpp"
#include "eval/atom_common.hpp"

namespace actionable::eval {

namespace {

/// `a cmp b` with a relative tolerance: limits converted between units (90 g/L = 9 g/dL) must
/// compare equal to the same value in the other unit.
bool lab_compare(double a, ast::Cmp c, double b) {
  double eps = 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)});
  bool eq = std::fabs(a - b) <= eps;
  switch (c) {
    case ast::Cmp::kEq: return eq;
    case ast::Cmp::kNe: return !eq;
    case ast::Cmp::kLt: return a < b && !eq;
    case ast::Cmp::kLe: return a < b || eq;
    case ast::Cmp::kGt: return a > b && !eq;
    case ast::Cmp::kGe: return a > b || eq;
  }
  return false;
}

}  // namespace

AtomValue PatientView::eligibility_atom(ir::Atom const& atom) const {
  AtomValue out;
  auto const& p = patient_;
  auto unknown = [&](std::string what) {
    out.missing.push_back(std::move(what));
    out.value = Tri::kUnknown;
    return out;
  };
  switch (atom.field) {
    case ast::ClinicalField::kLab: {
      // The latest result of the test (ISO dates compare as text; undated or equal: the last listed).
      model::Lab const* lab = nullptr;
      for (auto const& l : p.labs)
        if (l.test == atom.name && (!lab || l.date >= lab->date)) lab = &l;
      if (!lab) return unknown("lab " + atom.name);
      bool uln = atom.text == "x ULN";
      if (uln && !lab->x_uln) return unknown("lab " + atom.name + " ULN");
      if (!uln && !lab->has_value) return unknown("lab " + atom.name + " value");
      out.value = tri_of(lab_compare(uln ? *lab->x_uln : lab->value, atom.cmp, *atom.number));
      return out;
    }
    case ast::ClinicalField::kWashout: {
      double days;
      if (!p.treatments) {
        if (!(p.lines && *p.lines == 0)) return unknown("prior treatments");
        days = std::numeric_limits<double>::infinity();  // no previous systemic therapy
      } else if (p.treatments->empty()) {
        days = std::numeric_limits<double>::infinity();
      } else {
        if (p.as_of.empty()) return unknown("as_of");
        auto now = model::iso_day_number(p.as_of);
        if (!now) return unknown("as_of");  // the reader refuses bad dates; kept for hand-built patients
        std::optional<long> last;
        bool ongoing = false;
        for (auto const& t : *p.treatments) {
          if (t.end.empty()) {
            if (t.start.empty()) return unknown("treatment end date");
            ongoing = true;  // a current line: no washout yet
            continue;
          }
          auto e = model::iso_day_number(t.end);
          if (!e) return unknown("treatment end date");
          last = last ? std::max(*last, *e) : *e;
        }
        days = ongoing ? 0.0 : static_cast<double>(std::max(0L, *now - *last));
      }
      out.value = tri_of(detail::compare(days, atom.cmp, *atom.number));
      return out;
    }
    case ast::ClinicalField::kBrainMets:
      if (p.brain_metastases.empty()) return unknown("brain_metastases");
      out.value = tri_of(p.brain_metastases == atom.text);
      return out;
    case ast::ClinicalField::kMeasurable:
      if (!p.measurable_disease) return unknown("measurable_disease");
      out.value = tri_of(*p.measurable_disease);
      return out;
    case ast::ClinicalField::kPregnant:
      if (!p.pregnant) {
        if (p.sex == "M") {
          out.value = Tri::kFalse;
          return out;
        }
        return unknown("pregnant");
      }
      out.value = tri_of(*p.pregnant);
      return out;
    case ast::ClinicalField::kDiseaseStatus: {
      if (!p.disease_status) return unknown("disease_status");
      auto const& ds = *p.disease_status;
      out.value = tri_of(std::find(ds.begin(), ds.end(), atom.text) != ds.end());
      return out;
    }
    case ast::ClinicalField::kPriorClass: {
      if (!p.treatments) return detail::without_treatment_list(p);
      Tri v = Tri::kFalse;
      for (auto const& t : *p.treatments)
        for (auto const& d : t.drugs) {
          auto classes = model::atc_of(d);
          if (classes.empty()) {
            // A drug the table does not list may belong to the class: unknown, never false.
            v = tri_or(v, Tri::kUnknown);
            std::string m = "ATC class of '" + d + "'";
            if (std::find(out.missing.begin(), out.missing.end(), m) == out.missing.end()) out.missing.push_back(m);
            continue;
          }
          for (auto c : classes)
            if (c.substr(0, atom.text.size()) == atom.text) v = Tri::kTrue;
        }
      if (v != Tri::kUnknown) out.missing.clear();
      out.value = v;
      return out;
    }
    default: break;
  }
  out.value = Tri::kUnknown;
  out.missing.push_back(atom.display);
  return out;
}

}  // namespace actionable::eval
