// Leaf semantics of the atoms not about one gene: biomarker, clinical, `tested` (dsl.md §2, §5).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

#include "actionable/detail/eval/patient_view.hpp"
#include "actionable/model/protein.hpp"
#include "eval/atom_common.hpp"
#include "util/ascii.hpp"
#include "util/number_text.hpp"

namespace actionable::eval {

namespace {

using detail::compare;
using model::Finding;

}  // namespace

AtomValue PatientView::biomarker_atom(ir::Atom const& atom) const {
  AtomValue out;
  auto test_value = [&](Finding const& f) -> Tri {
    if (atom.number) {
      if (!f.number) return Tri::kUnknown;
      return tri_of(compare(*f.number, atom.cmp, *atom.number));
    }
    std::string have = f.number ? util::number_text(*f.number) : f.value;
    bool eq = have == atom.text;
    return tri_of(atom.cmp == ast::Cmp::kNe ? !eq : eq);
  };
  Tri v = Tri::kFalse;
  bool any = false;
  for (auto idx : biomarker_findings(atom.name)) {
    any = true;
    Tri t = test_value(patient_.findings[idx]);
    if (t == Tri::kTrue) out.findings.push_back(idx);
    v = tri_or(v, t);
  }
  std::vector<std::string> proteins_missing;
  if (atom.name == "MMR" && !atom.number) {
    // dMMR from loss of an MMR protein by IHC; pMMR when all four are intact.
    std::vector<std::uint32_t> loss;
    auto derived = mmr_from_proteins(loss, proteins_missing);
    if (!derived.empty()) {
      any = true;
      bool eq = derived == atom.text;
      Tri t = tri_of(atom.cmp == ast::Cmp::kNe ? !eq : eq);
      if (t == Tri::kTrue) out.findings.insert(out.findings.end(), loss.begin(), loss.end());
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
  if (!proteins_missing.empty())
    out.missing = std::move(proteins_missing);  // "MSH6 IHC"
  else
    out.missing.push_back(atom.name);
  out.value = Tri::kUnknown;
  return out;
}

std::string PatientView::mmr_from_proteins(std::vector<std::uint32_t>& loss, std::vector<std::string>& missing) const {
  bool any_info = false;
  int intact = 0;
  for (char const* prot : {"MLH1", "MSH2", "MSH6", "PMS2"}) {
    bool lost = false, kept = false;
    for (auto idx : biomarker_findings(prot)) {
      auto const& f = patient_.findings[idx];
      if (f.method != "IHC") continue;
      any_info = true;
      if (f.value == "loss") {
        lost = true;
        loss.push_back(idx);
      } else if (f.value == "intact") {
        kept = true;
      }
    }
    if (!lost && !kept && protein_tested(prot, "IHC")) {
      kept = true;                                      // tested, no loss reported: intact
      any_info = any_info || !biomarker_tested("MMR");  // a per-protein test, not the MMR panel
    }
    if (lost || kept)
      ++intact;
    else
      missing.push_back(std::string(prot) + " IHC");
  }
  if (!loss.empty()) {
    missing.clear();
    return "deficient";
  }
  if (!any_info) {  // no protein result and no per-protein test: MMR as before
    missing.clear();
    return {};
  }
  if (intact == 4) return "proficient";
  return {};
}

AtomValue PatientView::protein_atom(ir::Atom const& atom) const {
  AtomValue out;
  std::string test = atom.name + " " + atom.method + (atom.score.empty() ? "" : " " + atom.score);
  auto same = [](std::string const& a, std::string const& b) { return util::iequals(a, b); };
  Tri v = Tri::kFalse;
  bool any = false, assay_unknown = false;
  for (auto idx : biomarker_findings(atom.name)) {
    auto const& f = patient_.findings[idx];
    if (f.method != atom.method) continue;  // method-aware: an ISH result never decides IHC
    if (!atom.score.empty() && f.score != atom.score) continue;
    any = true;
    Tri t;
    if (atom.number) {
      t = f.number ? tri_of(compare(*f.number, atom.cmp, *atom.number)) : Tri::kUnknown;
    } else {
      bool in = !f.number && std::find(atom.values.begin(), atom.values.end(), f.value) != atom.values.end();
      t = tri_of(in);
    }
    if (!atom.assay.empty() && t != Tri::kFalse) {
      if (f.assay.empty()) {
        t = Tri::kUnknown;
        assay_unknown = true;
      } else if (!same(f.assay, atom.assay)) {
        t = Tri::kFalse;
      }
    }
    if (t == Tri::kTrue) out.findings.push_back(idx);
    v = tri_or(v, t);
  }
  if (any) {
    if (v == Tri::kUnknown) out.missing.push_back(assay_unknown ? test + " assay" : test + " value");
    out.value = v;
    return out;
  }
  // Not reported: unknown, naming the test — in the closed world too (docs/language.md,
  // "Protein biomarkers": a record without tests says nothing about IHC).
  if (protein_tested(atom.name, atom.method, atom.score)) {
    std::string_view normal = model::protein_normal_value(atom.name, atom.method);
    if (!normal.empty() && !atom.number && atom.assay.empty()) {
      out.value = tri_of(std::find(atom.values.begin(), atom.values.end(), normal) != atom.values.end());
      return out;
    }
    out.missing.push_back(test + " value");
    out.value = Tri::kUnknown;
    return out;
  }
  out.missing.push_back(test);
  out.value = Tri::kUnknown;
  return out;
}

namespace {

/// One HER2 category for one IHC score and one ISH result ("?" = not known), ASCO/CAP 2018/2023
/// (positive: IHC 3+, or ISH positive; IHC 2+ is equivocal until ISH decides) and the ESMO 2023
/// consensus (low: IHC 1+, or 2+ with ISH negative; ultralow: IHC 0 with faint staining ≤ 10 %).
Tri her2_category(std::string const& status, std::string const& ihc, std::string const& ish) {
  if (status == "negative") return tri_not(her2_category("positive", ihc, ish));
  if (status == "positive") {
    if (ihc == "3+" || ish == "positive") return Tri::kTrue;
    if (ihc == "?") return ish == "negative" ? Tri::kFalse : Tri::kUnknown;
    if (ihc == "2+") return ish == "?" ? Tri::kUnknown : Tri::kFalse;
    return Tri::kFalse;
  }
  if (ish == "positive") return Tri::kFalse;
  if (status == "low") {
    if (ihc == "1+") return Tri::kTrue;
    if (ihc == "2+") return ish == "negative" ? Tri::kTrue : Tri::kUnknown;
    return ihc == "?" ? Tri::kUnknown : Tri::kFalse;
  }
  // ultralow
  if (ihc == "ultralow") return Tri::kTrue;
  return ihc == "?" ? Tri::kUnknown : Tri::kFalse;
}

}  // namespace

AtomValue PatientView::her2_status_atom(ir::Atom const& atom) const {
  AtomValue out;
  std::vector<std::pair<std::string, std::int64_t>> ihc, ish;  // value, finding (-1: none)
  for (auto idx : biomarker_findings("HER2")) {
    auto const& f = patient_.findings[idx];
    if (f.value.empty()) continue;
    if (f.method == "IHC")
      ihc.push_back({f.value, idx});
    else if (f.method == "ISH")
      ish.push_back({f.value, idx});
  }
  std::string ihc_missing = protein_tested("HER2", "IHC") ? "HER2 IHC value" : "HER2 IHC";
  if (ihc.empty()) ihc.push_back({"?", -1});
  if (ish.empty()) ish.push_back({protein_tested("HER2", "ISH") ? "negative" : "?", -1});
  Tri v = Tri::kFalse;
  for (auto const& [i, fi] : ihc)
    for (auto const& [s, fs] : ish) {
      Tri t = her2_category(atom.text, i, s);
      v = tri_or(v, t);
      if (t == Tri::kTrue) {
        if (fi >= 0) out.findings.push_back(static_cast<std::uint32_t>(fi));
        if (fs >= 0 && (i == "2+" || i == "?" || s == "positive"))
          out.findings.push_back(static_cast<std::uint32_t>(fs));
      } else if (t == Tri::kUnknown) {
        std::string m = i == "?" ? ihc_missing : "HER2 ISH";
        if (std::find(out.missing.begin(), out.missing.end(), m) == out.missing.end()) out.missing.push_back(m);
      }
    }
  std::sort(out.findings.begin(), out.findings.end());
  out.findings.erase(std::unique(out.findings.begin(), out.findings.end()), out.findings.end());
  if (v != Tri::kUnknown) out.missing.clear();
  out.value = v;
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
      if (!p.treatments) return detail::without_treatment_list(p);
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
        for (auto const& part : parts) all = all && std::find(t.drugs.begin(), t.drugs.end(), part) != t.drugs.end();
        if (all) {
          out.value = Tri::kTrue;
          return out;
        }
      }
      out.value = Tri::kFalse;
      return out;
    }
    default: return eligibility_atom(atom);
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
  for (auto const& b : atom.tested_biomarkers) {
    auto sp = b.find(' ');  // "HER2 IHC": a protein marker by its method
    all = all && (sp == std::string::npos ? biomarker_tested_.count(b) > 0
                                          : protein_tested(b.substr(0, sp), b.substr(sp + 1)));
  }
  out.value = tri_of(all);
  return out;
}
}  // namespace actionable::eval
