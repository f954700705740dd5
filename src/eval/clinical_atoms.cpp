// Leaf semantics of the atoms not about one gene: biomarker, clinical, `tested` (dsl.md §2, §5).
#include <algorithm>
#include <charconv>

#include "actionable/detail/eval/patient_view.hpp"
#include "eval/atom_common.hpp"

namespace actionable::eval {

namespace {

using detail::compare;
using model::Finding;

std::string num_text(double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace

AtomValue PatientView::biomarker_atom(ir::Atom const& atom) const {
  AtomValue out;
  auto test_value = [&](Finding const& f) -> Tri {
    if (atom.number) {
      if (!f.number) return Tri::kUnknown;
      return tri_of(compare(*f.number, atom.cmp, *atom.number));
    }
    std::string have = f.number ? num_text(*f.number) : f.value;
    bool eq = have == atom.text;
    return tri_of(atom.cmp == ast::Cmp::kNe ? !eq : eq);
  };
  Tri v = Tri::kFalse;
  bool any = false;
  auto it = by_biomarker_.find(atom.name);
  if (it != by_biomarker_.end()) {
    for (auto idx : it->second) {
      any = true;
      Tri t = test_value(patient_.findings[idx]);
      if (t == Tri::kTrue) out.findings.push_back(idx);
      v = tri_or(v, t);
    }
  }
  if (any) {
    if (v == Tri::kUnknown) out.missing.push_back(atom.name + " value");
    out.value = v;
    return out;
  }
  // No reported value.
  if (closed_world()) {
    out.value = Tri::kFalse;
    return out;
  }
  if (biomarker_tested_.count(atom.name)) {
    // Measured but no result reported: read as the normal result for categorical markers.
    std::string_view normal = normal_biomarker_value(atom.name);
    if (!normal.empty() && !atom.number) {
      bool eq = normal == atom.text;
      out.value = tri_of(atom.cmp == ast::Cmp::kNe ? !eq : eq);
      return out;
    }
    out.missing.push_back(atom.name + " value");
    out.value = Tri::kUnknown;
    return out;
  }
  out.missing.push_back(atom.name);
  out.value = Tri::kUnknown;
  return out;
}

AtomValue PatientView::clinical_atom(ir::Atom const& atom) const {
  AtomValue out;
  auto unknown = [&](char const* what) {
    out.missing.push_back(what);
    out.value = Tri::kUnknown;
    return out;
  };
  auto const& p = patient_;
  switch (atom.field) {
    case ast::ClinicalField::kAge:
      if (!p.age) return unknown("age");
      out.value = tri_of(compare(*p.age, atom.cmp, *atom.number));
      return out;
    case ast::ClinicalField::kLines:
      if (!p.lines) return unknown("lines");
      out.value = tri_of(compare(*p.lines, atom.cmp, *atom.number));
      return out;
    case ast::ClinicalField::kEcog:
      if (!p.ecog) return unknown("ecog");
      out.value = tri_of(compare(*p.ecog, atom.cmp, *atom.number));
      return out;
    case ast::ClinicalField::kSex: {
      if (p.sex.empty()) return unknown("sex");
      bool eq = p.sex == atom.text;
      out.value = tri_of(atom.cmp == ast::Cmp::kNe ? !eq : eq);
      return out;
    }
    case ast::ClinicalField::kStage: {
      int r = model::stage_rank(p.stage);
      if (p.stage.empty() || r == 0) return unknown("stage");
      out.value = tri_of(compare(r, atom.cmp, *atom.number));
      return out;
    }
    case ast::ClinicalField::kPrior: {
      if (!p.treatments) {
        if (p.lines && *p.lines == 0) {
          out.value = Tri::kFalse;
          return out;
        }
        return unknown("prior treatments");
      }
      std::vector<std::string> parts;
      std::string cur;
      for (char c : atom.text + "+") {
        if (c == '+') {
          auto b = cur.find_first_not_of(' ');
          auto e = cur.find_last_not_of(' ');
          if (b != std::string::npos) parts.push_back(cur.substr(b, e - b + 1));
          cur.clear();
        } else {
          cur += c;
        }
      }
      for (auto const& t : *p.treatments) {
        bool all = !parts.empty();
        for (auto const& part : parts)
          all = all && std::find(t.drugs.begin(), t.drugs.end(), part) != t.drugs.end();
        if (all) {
          out.value = Tri::kTrue;
          return out;
        }
      }
      out.value = Tri::kFalse;
      return out;
    }
  }
  return out;
}

AtomValue PatientView::tested_atom(ir::Atom const& atom) const {
  AtomValue out;
  if (closed_world()) {
    out.value = Tri::kTrue;
    return out;
  }
  bool all = true;
  for (auto const& g : atom.genes) all = all && coverage(g, atom.origin) != 0;
  for (auto const& b : atom.tested_biomarkers) all = all && biomarker_tested_.count(b) > 0;
  out.value = tri_of(all);
  return out;
}
}  // namespace actionable::eval
