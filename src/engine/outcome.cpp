// The typed public Outcome (actionable/outcome.hpp): enum names, and the conversion from the
// evaluator's outcome, which refers to criteria by id, to self-contained values.
#include <algorithm>
#include <array>

#include "actionable/detail/engine/impl.hpp"

namespace actionable {

namespace {

constexpr std::array<std::string_view, 6> kClassNames = {"approved",      "standard_of_care",     "resistance",
                                                         "matched_trial", "precision2_candidate", "evidence"};
constexpr std::array<std::string_view, 4> kOptionNames = {"standard_of_care", "matched_trial", "precision2",
                                                          "empirical"};

OptionClass option_class(ir::Class c) noexcept {
  switch (c) {
    case ir::Class::kApproved: return OptionClass::kApproved;
    case ir::Class::kStandardOfCare: return OptionClass::kStandardOfCare;
    case ir::Class::kResistance: return OptionClass::kResistance;
    case ir::Class::kMatchedTrial: return OptionClass::kMatchedTrial;
    case ir::Class::kPrecision2: return OptionClass::kPrecision2Candidate;
    case ir::Class::kEvidence: return OptionClass::kEvidence;
  }
  return OptionClass::kApproved;
}

CriterionRef ref(ir::Criterion const& c, ir::RuleSet const& rs) {
  CriterionRef r;
  if (rs.parts.size() > 1) r.ruleset = rs.parts[c.ruleset].name;
  r.kind = c.kind == ir::CriterionKind::kRule  ? CriterionKind::kRule
           : c.kind == ir::CriterionKind::kArm ? CriterionKind::kTrialArm
                                               : CriterionKind::kCohort;
  r.name = c.name;
  if (c.kind == ir::CriterionKind::kArm) r.arm = c.arm;
  if (c.kind != ir::CriterionKind::kRule) r.title = c.title;
  r.source = c.span.file_line();
  return r;
}

std::vector<Reason> reasons(std::vector<std::string> const& because) {
  std::vector<Reason> out;
  out.reserve(because.size());
  for (auto const& b : because) out.push_back(Reason{b});
  return out;
}

PathwayOption pathway_option(std::string const& name) {
  return parse_pathway_option(name).value_or(PathwayOption::kEmpirical);
}

}  // namespace

std::string_view to_string(OptionClass c) noexcept { return kClassNames[static_cast<std::size_t>(c)]; }
std::optional<OptionClass> parse_option_class(std::string_view text) noexcept {
  for (std::size_t i = 0; i < kClassNames.size(); ++i)
    if (kClassNames[i] == text) return static_cast<OptionClass>(i);
  return std::nullopt;
}
std::string_view to_string(PathwayOption o) noexcept { return kOptionNames[static_cast<std::size_t>(o)]; }
std::optional<PathwayOption> parse_pathway_option(std::string_view text) noexcept {
  for (std::size_t i = 0; i < kOptionNames.size(); ++i)
    if (kOptionNames[i] == text) return static_cast<PathwayOption>(i);
  return std::nullopt;
}
std::string_view to_string(Coverage c) noexcept { return c == Coverage::kDeclared ? "declared" : "assumed"; }
std::string_view to_string(SiteStatus s) noexcept {
  return s == SiteStatus::kRecruiting ? "recruiting" : s == SiteStatus::kSuspended ? "suspended" : "closed";
}
std::string_view to_string(TrialAvailability a) noexcept {
  return a == TrialAvailability::kAtCentre ? "at_centre" : a == TrialAvailability::kInCountry ? "in_country" : "";
}

namespace engine_detail {

CriterionRef criterion_ref(ir::Criterion const& c, ir::RuleSet const& rs) { return ref(c, rs); }
OptionClass class_of(ir::Class c) noexcept { return option_class(c); }

Outcome to_outcome(eval::Outcome const& o, ir::RuleSet const& rs, RuleSetInfo const& info) {
  Outcome out;
  out.patient = o.patient;
  out.ruleset = info;
  if (rs.parts.size() > 1)
    for (auto const& p : rs.parts) out.rulesets.push_back(RuleSetInfo{p.name, p.version, p.sha256});
  out.coverage = o.coverage_declared ? Coverage::kDeclared : Coverage::kAssumed;
  out.input_incomplete = o.input_incomplete;
  out.input_issues = o.input_issues;
  for (auto const& name : o.options) out.pathway.options.push_back(pathway_option(name));
  out.pathway.recommended = pathway_option(o.recommended);
  out.pathway.precision2_eligible = o.precision2_eligible;
  out.pathway.provisional = o.input_incomplete;
  out.matches.reserve(o.matches.size());
  for (auto const& m : o.matches) {
    auto const& c = rs.criteria[m.criterion];
    // Field by field, like the report's header (report/document.cpp): two different targets
    // (the public Match, the report's Header) each filled from its own sources.
    Match x;
    x.cls = option_class(m.cls);
    x.criterion = ref(c, rs);
    x.therapies = m.therapies;
    x.level = c.level;
    x.direction = c.direction;
    x.supports = c.supports;
    x.findings = m.findings;
    x.cites = c.cites;
    x.sites = c.sites;
    x.phase = c.phase;
    for (auto const& site : c.centres)
      x.centres.push_back(TrialSite{site.centre,
                                    site.status == ir::Status::kRecruiting  ? SiteStatus::kRecruiting
                                    : site.status == ir::Status::kSuspended ? SiteStatus::kSuspended
                                                                            : SiteStatus::kClosed,
                                    site.slots});
    x.availability = m.availability == eval::Availability::kAtCentre    ? TrialAvailability::kAtCentre
                     : m.availability == eval::Availability::kInCountry ? TrialAvailability::kInCountry
                                                                        : TrialAvailability::kUnstated;
    x.because = reasons(m.because);
    x.eligible = m.eligible;
    out.matches.push_back(std::move(x));
  }
  for (auto const& s : o.suppressed) {
    auto const& c = rs.criteria[s.criterion];
    auto const& by = rs.criteria[s.by];
    out.suppressed.push_back(Suppressed{option_class(c.cls), ref(c, rs), by.name,
                                        rs.parts.size() > 1 ? rs.parts[by.ruleset].name : "", s.therapies});
  }
  for (auto const& i : o.indeterminate) {
    auto const& c = rs.criteria[i.criterion];
    Indeterminate x{option_class(c.cls), ref(c, rs), {}};
    for (auto const& m : i.missing) x.missing.push_back(Missing{m});
    out.indeterminate.push_back(std::move(x));
  }
  for (auto const& x : o.off_label) {
    auto const& c = rs.criteria[x.criterion];
    out.off_label.push_back(OffLabel{option_class(c.cls), ref(c, rs), c.therapies, c.tumour.include_codes,
                                     c.tumour.except_codes, c.level, x.findings, c.cites, reasons(x.because)});
  }
  for (auto const& x : o.excluded) {
    auto const& c = rs.criteria[x.criterion];
    if (!x.eligible_once.empty())
      out.near_misses.push_back(NearMiss{option_class(c.cls), ref(c, rs), x.reason, x.eligible_once});
    else
      out.excluded.push_back(Excluded{option_class(c.cls), ref(c, rs), x.reason});
  }
  out.findings.reserve(o.findings.size());
  for (auto const& f : o.findings) {
    FindingSummary s{f.index, f.normalised, {}};
    for (auto const& c : f.classes) s.classes.push_back(parse_option_class(c).value_or(OptionClass::kApproved));
    out.findings.push_back(std::move(s));
  }
  for (auto const& u : o.unresolved) out.unresolved.push_back(UnresolvedGene{u.finding, u.field, u.symbol});
  return out;
}

std::optional<catalog::TumourId> resolve_tumour(model::Patient const& p, catalog::Catalog const& catalog) {
  if (p.tumour_code.empty()) return std::nullopt;
  if (auto id = catalog.oncotree.find(p.tumour_code)) return id;
  if (auto old = catalog.oncotree.retired(p.tumour_code); old && old->current.size() == 1) return old->current.front();
  return std::nullopt;
}

}  // namespace engine_detail
}  // namespace actionable
