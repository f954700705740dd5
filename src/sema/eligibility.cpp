// Checker: lowering of the eligibility facts (docs/language.md, "Eligibility facts"): lab
// values with units (converted to the test's canonical unit, so `>= 90 g/L` and `>= 9 g/dL`
// are one atom), washout, brain metastases, measurable disease, prior drug classes (ATC),
// pregnancy, disease status. Labs and washouts are recoverable criteria (near misses).
#include "actionable/model/clinical.hpp"
#include "sema/checker.hpp"

namespace actionable::sema::detail {

bool Checker::lower_eligibility(ast::Clinical const& c, ir::Atom& out) {
  switch (c.field) {
    case ast::ClinicalField::kLab: {
      auto test = model::lab_canonical_name(c.name);
      if (test.empty()) {
        diags.error("E273", span(c), "unknown laboratory test '" + c.name + "' (" + model::lab_tests_text() + ")");
        return false;
      }
      if (c.number < 0) {
        diags.error("E274", span(c), "a negative laboratory limit");
        return false;
      }
      out.name = test;
      out.recoverable = true;
      if (c.unit == "x ULN") {
        if (!model::lab_has_uln(test)) {
          diags.error("E274", span(c),
                      test + " is not reported against an upper limit of normal; give a unit (" +
                          model::lab_units_text(test) + ")");
          return false;
        }
        out.text = "x ULN";
        out.number = c.number;
        out.display = "lab " + test + " " + cmp_text(c.cmp) + " " + util::number_text(c.number) + " x ULN";
        return true;
      }
      auto f = model::lab_unit_factor(test, c.unit);
      if (!f) {
        diags.error("E274", span(c),
                    "'" + c.unit + "' is not a unit of " + test + " (" + model::lab_units_text(test) + ")");
        return false;
      }
      out.number = c.number * *f;
      out.display = "lab " + test + " " + cmp_text(c.cmp) + " " + util::number_text(*out.number) + " " +
                    model::lab_canonical_unit(test);
      return true;
    }
    case ast::ClinicalField::kWashout:
      if (c.number < 0) {
        diags.error("E274", span(c), "a negative washout");
        return false;
      }
      out.number = c.number;
      out.recoverable = true;
      out.display = std::string("washout ") + cmp_text(c.cmp) + " " + util::number_text(c.number) + " days";
      return true;
    case ast::ClinicalField::kBrainMets:
      out.text = c.text;
      out.display = "brain_metastases " + c.text;
      return true;
    case ast::ClinicalField::kMeasurable: out.display = "measurable disease"; return true;
    case ast::ClinicalField::kPregnant: out.display = "pregnant"; return true;
    case ast::ClinicalField::kDiseaseStatus:
      out.text = lower(c.text);
      if (out.text.empty()) {
        diags.error("E275", span(c), "an empty disease status");
        return false;
      }
      out.display = "disease_status \"" + out.text + "\"";
      return true;
    case ast::ClinicalField::kPriorClass: {
      out.text = upper(c.text);
      if (!model::atc_known(out.text)) {
        std::string known;
        for (auto const& dc : model::drug_classes()) known += (known.empty() ? "" : ", ") + std::string(dc.atc);
        diags.error("E275", span(c), "'" + c.text + "' is not an ATC class of the drug table (" + known + ")");
        return false;
      }
      out.display = "prior class " + out.text;
      return true;
    }
    default: return true;
  }
}

}  // namespace actionable::sema::detail
