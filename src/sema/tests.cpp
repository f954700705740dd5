// Checker pass 4: rule-author `test` blocks become ir::TestCase (patient + expectations).
#include <algorithm>
#include <optional>
#include <set>

#include "actionable/model/protein.hpp"
#include "actionable/model/clinical.hpp"
#include "sema/checker.hpp"

namespace actionable::sema::detail {

bool Checker::is_string_token(ast::Name const& n) const {
  return n.begin < src->text().size() && src->text()[n.begin] == '"';
}

bool Checker::protein_fact(ast::PatientItem const& it, model::Patient& p) {
  // A protein result in a test patient: HER2 IHC 1+, HER2 ISH negative, PDL1 CPS 10,
  // CLDN18 IHC 80, MLH1 IHC loss (the expression forms, with a value for the comparison).
  if (it.text.rfind("HER2-", 0) == 0) {
    diags.error("E225", span(it), "'" + it.text + "' is derived, not a result",
                {"give the results: HER2 IHC 1+, HER2 ISH negative"});
    return false;
  }
  auto marker = model::protein_marker(it.value.text);
  if (marker.empty() || !model::protein_has_method(marker, it.method)) {
    diags.error("E225", span(it), "'" + it.value.text + " " + it.method + "' is not a protein result the engine knows");
    return false;
  }
  model::Finding f;
  f.type = model::FindingType::kBiomarker;
  f.name = marker;
  f.method = it.method;
  f.score = it.score;
  f.assay = it.assay;
  std::string text = it.text;
  if (it.number && !model::protein_numeric(marker, it.method)) {
    double d = *it.number;
    text = d == 0 ? "0" : d == 1 ? "1+" : d == 2 ? "2+" : d == 3 ? "3+" : "";
  } else if (it.number) {
    f.number = it.number;
  }
  if (!f.number) {
    std::string allowed;
    f.value = model::protein_value(marker, it.method, text, &allowed);
    if (f.value.empty()) {
      diags.error("E225", span(it), "'" + text + "' is not a " + marker + " " + it.method + " result",
                  {allowed.empty() ? std::string("give a number") : "use " + allowed});
      return false;
    }
  }
  p.findings.push_back(std::move(f));
  return true;
}

void Checker::tests() {
  std::set<std::string> criterion_names;
  for (auto const& c : rs.criteria) criterion_names.insert(c.name);
  static const std::set<std::string> class_expect{"approved",
                                                  "standard_of_care",
                                                  "resistance",
                                                  "matched_trial",
                                                  "precision2_candidate",
                                                  "evidence",
                                                  "indeterminate",
                                                  "suppressed",
                                                  "off_label",
                                                  "excluded",
                                                  "near_miss",
                                                  "rule"};
  static const std::set<std::string> options_set{"standard_of_care", "matched_trial", "precision2", "empirical"};
  for (std::size_t i = 0; i < files.size(); ++i) {
    set_file(i);
    for (auto const& t : file->tests) {
      ir::TestCase tc;
      tc.title = t.title.text;
      tc.span = span(t);
      bool ok = true;
      bool has_tumour = false;
      auto& p = tc.patient;
      p.id = "test:" + t.title.text;
      for (auto const& it : t.patient) {
        model::Origin origin = it.origin == ast::Origin::kGermline ? model::Origin::kGermline : model::Origin::kSomatic;
        // A finding of `type` on the item's gene; none when the gene is unknown (diagnosed by gene()).
        auto gene_finding = [&](model::FindingType type, auto const& item) -> std::optional<model::Finding> {
          auto g = gene(item.gene);
          if (!g) return std::nullopt;
          model::Finding f;
          f.type = type;
          f.origin = origin;
          f.gene = *g;
          return f;
        };
        switch (it.kind) {
          case ast::PatientItemKind::kTumour:
            if (auto id = tumour_code(it.value)) {
              p.tumour = *id;
              p.tumour_code = it.value.text;
              has_tumour = true;
            } else {
              ok = false;
            }
            break;
          case ast::PatientItemKind::kAge: p.age = it.number; break;
          case ast::PatientItemKind::kLines: p.lines = it.number; break;
          case ast::PatientItemKind::kEcog: p.ecog = it.number; break;
          case ast::PatientItemKind::kSex: {
            auto v = upper(it.value.text);
            p.sex = v == "FEMALE" ? "F" : v == "MALE" ? "M" : v;
            break;
          }
          case ast::PatientItemKind::kStage: p.stage = it.value.text; break;
          case ast::PatientItemKind::kPrior: {
            if (!p.treatments) p.treatments.emplace();
            model::Treatment tr;
            for (auto const& d : it.names) tr.drugs.push_back(lower(d.text));
            if (!it.ended.empty() && !model::iso_day_number(it.ended)) {
              diags.error("E276", span(it), "'ended " + it.ended + "' is not a date YYYY-MM-DD");
              ok = false;
            }
            tr.end = it.ended;
            p.treatments->push_back(std::move(tr));
            break;
          }
          case ast::PatientItemKind::kLab: {
            model::Lab lab;
            lab.test = model::lab_canonical_name(it.value.text);
            if (lab.test.empty()) {
              diags.error("E273", span(it),
                          "unknown laboratory test '" + it.value.text + "' (" + model::lab_tests_text() + ")");
              ok = false;
              break;
            }
            double v = it.number.value_or(0);
            if (it.text == "x ULN" && model::lab_has_uln(lab.test)) {
              lab.x_uln = v;
            } else if (auto f = model::lab_unit_factor(lab.test, it.text)) {
              lab.value = v * *f;
              lab.has_value = true;
            } else {
              diags.error(
                  "E274", span(it),
                  "'" + it.text + "' is not a unit of " + lab.test + " (" + model::lab_units_text(lab.test) + ")");
              ok = false;
              break;
            }
            p.labs.push_back(std::move(lab));
            break;
          }
          case ast::PatientItemKind::kAsOf:
            if (!model::iso_day_number(it.text)) {
              diags.error("E276", span(it), "'as_of " + it.text + "' is not a date YYYY-MM-DD");
              ok = false;
            }
            p.as_of = it.text;
            break;
          case ast::PatientItemKind::kBrainMets: p.brain_metastases = it.text; break;
          case ast::PatientItemKind::kMeasurable: p.measurable_disease = it.number.value_or(0) != 0; break;
          case ast::PatientItemKind::kPregnant: p.pregnant = it.number.value_or(0) != 0; break;
          case ast::PatientItemKind::kDiseaseStatus: {
            if (!p.disease_status) p.disease_status.emplace();
            for (auto const& d : it.names) p.disease_status->push_back(lower(d.text));
            break;
          }
          case ast::PatientItemKind::kTested: {
            model::Test test;
            test.origin = origin;
            test.method = "NGS";
            for (auto const& g : it.names) {
              if (g.text.find_first_of(" \t\r\n") != std::string::npos) {  // "HER2 IHC"
                if (auto name = protein_test_name(g)) {
                  model::Test bt;
                  bt.biomarker = name->substr(0, name->find(' '));
                  bt.method = name->substr(name->find(' ') + 1);
                  bt.kinds = model::method_kinds(bt.method);
                  p.tests.push_back(bt);
                } else {
                  ok = false;
                }
              } else if (is_biomarker_name(upper(g.text))) {
                model::Test bt;
                bt.biomarker = model::canonical_biomarker_name(g.text);
                p.tests.push_back(bt);
              } else if (auto s = gene(g)) {
                test.genes.push_back(*s);
              } else {
                ok = false;
              }
            }
            std::sort(test.genes.begin(), test.genes.end());
            if (!test.genes.empty()) p.tests.push_back(std::move(test));
            break;
          }
          case ast::PatientItemKind::kBiomarker: {
            if (!it.method.empty() || it.text.rfind("HER2-", 0) == 0) {
              ok = protein_fact(it, p) && ok;
              break;
            }
            model::Finding f;
            f.type = model::FindingType::kBiomarker;
            f.name = model::canonical_biomarker_name(it.value.text);
            f.number = it.number;
            if (!it.text.empty()) f.value = model::normalise_biomarker_value(f.name, it.text);
            p.findings.push_back(std::move(f));
            break;
          }
          case ast::PatientItemKind::kVariant: {
            model::Finding f;
            f.origin = origin;
            auto g = gene(it.gene);
            std::string why;
            auto pc = hgvs::parse_protein(it.value.text, &why);
            if (!pc) {
              diags.error("E221", span(it.value), "invalid protein change '" + it.value.text + "': " + why);
              ok = false;
            }
            if (!g) ok = false;
            if (g && pc) {
              f.gene = *g;
              f.protein = *pc;
              if (it.number) f.exon = static_cast<int>(*it.number);
              f.classification = it.text;
              p.findings.push_back(std::move(f));
            }
            break;
          }
          case ast::PatientItemKind::kFusion: {
            model::Finding f;
            f.type = model::FindingType::kFusion;
            f.origin = origin;
            auto g3 = gene(it.gene);
            if (!g3) ok = false;
            if (it.gene5) {
              auto g5 = gene(*it.gene5);
              if (!g5) ok = false;
              if (g5 && g3) {
                f.gene5 = *g5;
                f.gene3 = *g3;
                f.gene = *g3;
                f.partner_resolved = true;
                p.findings.push_back(std::move(f));
              }
            } else if (g3) {
              f.gene3 = *g3;
              f.gene = *g3;
              f.partner_resolved = false;
              f.method = "FISH";
              p.findings.push_back(std::move(f));
            }
            break;
          }
          case ast::PatientItemKind::kAmplification:
          case ast::PatientItemKind::kDeletion: {
            auto found = gene_finding(model::FindingType::kCnv, it);
            if (!found) {
              ok = false;
              break;
            }
            model::Finding& f = *found;
            f.call = it.kind == ast::PatientItemKind::kDeletion ? "deletion" : "amplification";
            if (it.number) {
              if (it.measure == "ratio")
                f.ratio = *it.number;
              else
                f.copies = *it.number;
            }
            p.findings.push_back(std::move(f));
            break;
          }
          case ast::PatientItemKind::kExonSkipping: {
            // Each kind of patient item makes its finding through gene_finding, as the CNV case above, then
            // sets its own type's fields.
            auto found = gene_finding(model::FindingType::kExonSkipping, it);
            if (!found) {
              ok = false;
              break;
            }
            model::Finding& f = *found;
            f.exons = {static_cast<int>(*it.number)};
            p.findings.push_back(std::move(f));
            break;
          }
        }
      }
      if (!has_tumour) {
        diags.error("E264", span(t.title), "test \"" + t.title.text + "\": the patient has no tumour",
                    {"add e.g. 'tumour LUAD' to the patient block"});
        ok = false;
      }
      for (auto const& e : t.expects) {
        ir::Expectation x;
        x.negated = e.negated;
        x.what = e.what.text;
        x.span = span(e);
        if (e.target) {
          x.target = e.target->text;
          x.target_is_string = is_string_token(*e.target);
        }
        if (e.arm) x.arm = e.arm->text;
        if (class_expect.count(x.what)) {
          if (e.target && !is_string_token(*e.target) && !criterion_names.count(x.target)) {
            diags.error("E262", span(*e.target), "no rule, trial or cohort named '" + x.target + "'");
            ok = false;
          }
          if (x.what == "rule" && !e.target) {
            diags.error("E263", span(e), "'expect rule' needs a rule name");
            ok = false;
          }
        } else if (x.what == "pathway" || x.what == "option") {
          if (!e.target || !options_set.count(x.target)) {
            diags.error("E263", span(e),
                        "'expect " + x.what + "' takes standard_of_care, matched_trial, precision2 or empirical");
            ok = false;
          }
        } else if (x.what == "missing") {
          if (!e.target || !is_string_token(*e.target)) {
            diags.error("E263", span(e), "'expect missing' takes the quoted name of a test (\"HER2 IHC\")");
            ok = false;
          }
        } else if (x.what == "coverage") {
          if (!e.target || (x.target != "assumed" && x.target != "declared")) {
            diags.error("E263", span(e), "'expect coverage' takes assumed or declared");
            ok = false;
          }
        } else {
          diags.error("E261", span(e.what), "unknown expectation '" + x.what + "'",
                      {"use approved, standard_of_care, resistance, matched_trial, "
                       "precision2_candidate, evidence, indeterminate, missing, suppressed, off_label, "
                       "excluded, rule, pathway, option or coverage"});
          ok = false;
        }
        tc.expects.push_back(std::move(x));
      }
      if (ok) rs.tests.push_back(std::move(tc));
    }
  }
}

}  // namespace actionable::sema::detail
