// The report's document model (report.hpp): built from the typed Outcome and the patient only,
// so that every statement of a report is a fact the Outcome has (tests/unit/report_test.cpp
// compares them item by item).
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

#include "actionable/report/report.hpp"
#include "report/text.hpp"
#include "util/ascii.hpp"

namespace actionable::report {

namespace {

using detail::join;
using detail::number;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Citation citation(std::string const& text) {
  Citation c{text, {}};
  std::string_view t = text;
  if (t.rfind("PMID:", 0) == 0 && all_digits(t.substr(5))) {
    c.href = "https://pubmed.ncbi.nlm.nih.gov/" + std::string(t.substr(5)) + "/";
  } else if (t.rfind("NCT", 0) == 0) {
    auto id = std::string(t.substr(t.rfind("NCT:", 0) == 0 ? 4 : 0));
    if (id.size() == 11 && all_digits(std::string_view(id).substr(3)))
      c.href = "https://clinicaltrials.gov/study/" + id;
  } else if (t.rfind("EMA EPAR ", 0) == 0) {
    std::string name;
    for (char ch : t.substr(9)) {
      if (std::isalnum(static_cast<unsigned char>(ch)))
        name += util::to_lower(ch);
      else if (ch == ' ' || ch == '-')
        name += '-';
    }
    if (!name.empty()) c.href = "https://www.ema.europa.eu/en/medicines/human/EPAR/" + name;
  }
  return c;
}

std::vector<Citation> citations(std::vector<std::string> const& cites) {
  std::vector<Citation> out;
  for (auto const& c : cites) out.push_back(citation(c));
  return out;
}

/// "NCT… arm A", a rule or cohort name; with rule sets side by side, its set: "egfr [civic-import]".
std::string criterion_name(CriterionRef const& c) {
  return (c.kind == CriterionKind::kTrialArm ? c.name + " arm " + c.arm : c.name) +
         (c.ruleset.empty() ? "" : " [" + c.ruleset + "]");
}

std::string three_letter(std::string const& one) {
  if (one.rfind("p.", 0) != 0) return one;
  std::string out = "p.";
  for (std::size_t i = 2; i < one.size(); ++i) {
    char c = one[i];
    auto aa3 = (c >= 'A' && c <= 'Z') || c == '*' ? hgvs::aa1_to_aa3(c) : std::string_view();
    if (!aa3.empty())
      out += aa3;
    else
      out += c;
  }
  return out;
}

char const* type_name(model::FindingType t) {
  switch (t) {
    case model::FindingType::kVariant: return "variant";
    case model::FindingType::kFusion: return "fusion";
    case model::FindingType::kCnv: return "cnv";
    case model::FindingType::kExonSkipping: return "exon_skipping";
    case model::FindingType::kBiomarker: return "biomarker";
  }
  return "variant";
}

FindingRow finding_row(model::Finding const& f, std::uint32_t index) {
  FindingRow r;
  r.index = index;
  r.type = type_name(f.type);
  r.origin = f.origin == model::Origin::kGermline ? "germline" : "somatic";
  r.method = f.method;
  r.classification = f.classification;
  r.vaf = f.vaf;
  auto shown = [](std::string const& g, std::string const& raw) { return g.empty() && !raw.empty() ? raw + "?" : g; };
  r.unresolved = !f.unresolved_gene.empty() || !f.unresolved_gene5.empty() || !f.unresolved_gene3.empty();
  switch (f.type) {
    case model::FindingType::kVariant:
      r.gene = shown(f.gene, f.unresolved_gene);
      if (f.protein) {
        r.alteration = f.protein->to_string();
        r.alteration3 = three_letter(r.alteration);
      } else if (!f.hgvsc.empty()) {
        r.alteration = r.alteration3 = f.hgvsc;
      } else {
        r.alteration = r.alteration3 = f.consequences.empty() ? "variant" : f.consequences.front();
      }
      break;
    case model::FindingType::kFusion: {
      auto g5 = shown(f.gene5, f.unresolved_gene5), g3 = shown(f.gene3, f.unresolved_gene3);
      r.gene = !g5.empty() && !g3.empty() ? g5 + "::" + g3 : g5.empty() ? g3 : g5;
      r.alteration = r.alteration3 = f.partner_resolved ? "fusion" : "fusion (partner not resolved)";
      break;
    }
    case model::FindingType::kCnv:
      r.gene = shown(f.gene, f.unresolved_gene);
      r.alteration = r.alteration3 = (f.call.empty() ? std::string("copy-number change") : f.call) +
                                     (f.copies ? " (cn " + number(*f.copies, 2) + ")" : std::string());
      break;
    case model::FindingType::kExonSkipping: {
      r.gene = shown(f.gene, f.unresolved_gene);
      std::vector<std::string> ex;
      for (int e : f.exons) ex.push_back(std::to_string(e));
      r.alteration = r.alteration3 = "exon " + join(ex, ",") + " skipping";
      break;
    }
    case model::FindingType::kBiomarker:
      r.gene = f.name;
      r.alteration = r.alteration3 = f.number ? number(*f.number, 2) : f.value;
      break;
  }
  return r;
}

}  // namespace

Document build(Outcome const& o, model::Patient const& p, catalog::Catalog const& catalog, Options const& opt) {
  Document d;
  d.lang = opt.lang;
  auto L = [&](std::string_view key) { return std::string(label(opt.lang, key)); };
  // Header.
  auto& h = d.header;
  h.pseudonym = o.patient;
  // Field by field, as engine/outcome.cpp fills a Match: alike in shape only (other source, other
  // target); a generic copy would hide which field comes from where.
  h.centre = p.centre;
  h.tumour_code = p.tumour_code;
  if (auto id = catalog.oncotree.find(p.tumour_code)) {
    h.tumour_name = catalog.oncotree.name(*id);
    std::vector<std::string> path;  // root → the tumour, inclusive
    for (auto n : catalog.oncotree.lineage(*id)) path.push_back(catalog.oncotree.name(n));
    h.tumour_path = join(path, " › ");
  }
  h.stage = p.stage;
  h.sex = p.sex;
  h.age = p.age;
  h.ecog = p.ecog;
  h.lines = p.lines;
  h.report_date = opt.report_date;
  h.engine_version = opt.engine_version;
  h.ruleset = o.ruleset;
  if (o.rulesets.empty()) {
    h.ruleset_label = o.ruleset.name + " " + o.ruleset.version;
  } else {
    for (auto const& r : o.rulesets)
      h.ruleset_label += (h.ruleset_label.empty() ? "" : " + ") + r.name + " " + r.version;
  }
  h.oncotree_version = catalog.oncotree.version();
  h.hgnc_version = catalog.genes.version();
  h.intended_use = opt.intended_use.empty() ? L("intended_use") : opt.intended_use;
  // Summary.
  auto& s = d.summary;
  s.recommended = o.pathway.recommended;
  s.options = o.pathway.options;
  s.why = L("why." + std::string(to_string(o.pathway.recommended)));
  s.provisional = o.pathway.provisional || o.input_incomplete;
  s.input_issues = o.input_issues;
  for (auto const& m : o.matches) {
    if (m.cls == OptionClass::kEvidence) continue;  // evidence is not an option found
    auto it = std::find_if(s.groups.begin(), s.groups.end(), [&](auto const& g) { return g.cls == m.cls; });
    if (it == s.groups.end()) it = s.groups.insert(s.groups.end(), OptionGroup{m.cls, {}});
    for (auto const& t : m.therapies)
      if (std::find(it->therapies.begin(), it->therapies.end(), t) == it->therapies.end()) it->therapies.push_back(t);
  }
  auto finding_text = [&](std::uint32_t i) {
    return i < o.findings.size() ? o.findings[i].normalised : "#" + std::to_string(i);
  };
  // Options.
  for (auto const& m : o.matches) {
    OptionRow r;
    r.cls = m.cls;
    r.therapy = join(m.therapies, " / ");
    r.level = m.level;
    for (auto i : m.findings) r.findings.push_back(finding_text(i));
    r.cites = citations(m.cites);
    r.criterion = criterion_name(m.criterion);
    r.source = m.criterion.source;
    r.sites = m.sites;
    for (auto const& c : m.centres)
      r.sites.push_back(c.centre + " (" + L("site." + std::string(to_string(c.status))) +
                        (c.slots >= 0 ? ", " + std::to_string(c.slots) + " " + L("slots") : "") + ")");
    r.phase = m.phase;
    if (m.availability != TrialAvailability::kUnstated)
      r.availability = L("availability." + std::string(to_string(m.availability)));
    r.direction = m.direction;
    r.supports = m.supports;
    for (auto const& b : m.because) r.because.push_back(b.text);
    if (m.criterion.kind == CriterionKind::kCohort) {
      r.eligibility = L("eligible");
      if (!m.eligible)
        for (auto const& b : m.because)
          if (b.text.rfind("not eligible", 0) == 0) r.eligibility = b.text;
    }
    (m.cls == OptionClass::kEvidence ? d.evidence : d.options).push_back(std::move(r));
  }
  // Tests that would decide more: indeterminate entries grouped by the missing test.
  std::map<std::string, std::size_t> at;
  for (auto const& x : o.indeterminate) {
    std::string what = "[" + L("class." + std::string(to_string(x.cls))) + "] " + criterion_name(x.criterion);
    for (auto const& m : x.missing) {
      auto [it, fresh] = at.emplace(m.test, d.tests_to_order.size());
      if (fresh) d.tests_to_order.push_back(TestToOrder{m.test, {}});
      auto& opts = d.tests_to_order[it->second].options;
      if (std::find(opts.begin(), opts.end(), what) == opts.end()) opts.push_back(what);
    }
  }
  std::stable_sort(d.tests_to_order.begin(), d.tests_to_order.end(),
                   [](auto const& a, auto const& b) { return a.options.size() > b.options.size(); });
  for (auto const& x : o.suppressed)
    d.suppressed.push_back({criterion_name(x.criterion), join(x.therapies, " / "), x.by});
  for (auto const& x : o.off_label) {
    OffLabelRow r{join(x.therapies, " / "), criterion_name(x.criterion), x.level, x.approved_in, {},
                  citations(x.cites)};
    for (auto i : x.findings) r.findings.push_back(finding_text(i));
    d.off_label.push_back(std::move(r));
  }
  for (auto const& x : o.excluded) d.near_misses.push_back({criterion_name(x.criterion), "", x.reason});
  // Failed on recoverable criteria only (labs, washout): what must change (docs/language.md).
  for (auto const& x : o.near_misses)
    d.near_misses.push_back({criterion_name(x.criterion), "", "eligible once " + join(x.eligible_once, " and ")});
  // Findings, germline apart.
  for (std::uint32_t i = 0; i < p.findings.size(); ++i) {
    auto r = finding_row(p.findings[i], i);
    for (auto const& m : o.matches)
      if (std::find(m.findings.begin(), m.findings.end(), i) != m.findings.end())
        r.drives.push_back(L("class." + std::string(to_string(m.cls))) + ": " + join(m.therapies, " / "));
    (p.findings[i].origin == model::Origin::kGermline ? d.germline : d.findings).push_back(std::move(r));
  }
  for (auto const& t : p.tests) {
    TestRow r;
    if (!t.biomarker.empty()) {
      r.what = t.biomarker;
    } else if (t.genes.size() > 12) {
      std::vector<std::string> head(t.genes.begin(), t.genes.begin() + 10);
      r.what = join(head, ", ") + ", … (" + std::to_string(t.genes.size()) + " genes)";
    } else {
      r.what = join(t.genes, ", ");
    }
    r.origin = t.origin == model::Origin::kGermline ? "germline" : "somatic";
    r.method = t.method;
    r.specimen = t.specimen;
    r.panel = t.panel;
    d.tests.push_back(std::move(r));
  }
  if (p.treatments)
    for (auto const& t : *p.treatments)
      d.treatments.push_back({t.line, join(t.drugs, " + "), t.start, t.end, t.best_response, t.progression});
  d.unresolved = o.unresolved;
  return d;
}

}  // namespace actionable::report
