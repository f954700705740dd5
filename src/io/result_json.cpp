// Result JSON and text rendering. Key order is fixed here (nlohmann::ordered_json keeps
// insertion order); every array comes from the sorted Outcome.
#include "actionable/io/result_json.hpp"

namespace actionable::io {

using nlohmann::ordered_json;

namespace {

ordered_json criterion_ref(ir::Criterion const& c) {
  ordered_json j;
  switch (c.kind) {
    case ir::CriterionKind::kRule: j["rule"] = c.name; break;
    case ir::CriterionKind::kArm:
      j["trial"] = c.name;
      j["arm"] = c.arm;
      break;
    case ir::CriterionKind::kCohort: j["cohort"] = c.name; break;
  }
  return j;
}

}  // namespace

ordered_json result_json(eval::Outcome const& o, ir::RuleSet const& rs, RuleSetInfo const& info) {
  ordered_json j;
  j["patient"] = o.patient;
  j["ruleset"] = {{"name", info.name}, {"version", info.version}, {"sha256", info.sha256}};
  j["coverage"] = o.coverage_declared ? "declared" : "assumed";
  // Only when the lab files lost rows (docs/inputs.md, "Incomplete input"); complete records
  // keep the contract's bytes.
  if (o.input_incomplete) {
    j["input"] = "incomplete";
    j["input_issues"] = o.input_issues;
  }
  j["pathway"] = {{"options", o.options},
                  {"recommended", o.recommended},
                  {"precision2_eligible", o.precision2_eligible}};
  if (o.input_incomplete) j["pathway"]["provisional"] = true;
  ordered_json matches = ordered_json::array();
  for (auto const& m : o.matches) {
    auto const& c = rs.criteria[m.criterion];
    ordered_json e;
    e["class"] = ir::class_name(m.cls);
    auto ref = criterion_ref(c);
    for (auto& [k, v] : ref.items()) e[k] = v;
    if (c.kind != ir::CriterionKind::kRule && !c.title.empty()) e["title"] = c.title;
    if (c.kind == ir::CriterionKind::kCohort) e["eligible"] = m.eligible;
    e["therapies"] = m.therapies;
    if (!c.level.empty()) e["level"] = c.level;
    e["findings"] = m.findings;
    if (!c.cites.empty()) e["cite"] = c.cites;
    if (!c.sites.empty()) e["sites"] = c.sites;
    e["because"] = m.because;
    matches.push_back(std::move(e));
  }
  j["matches"] = std::move(matches);
  ordered_json suppressed = ordered_json::array();
  for (auto const& s : o.suppressed) {
    auto const& c = rs.criteria[s.criterion];
    ordered_json e;
    e["class"] = ir::class_name(c.cls);
    auto ref = criterion_ref(c);
    for (auto& [k, v] : ref.items()) e[k] = v;
    e["by"] = rs.criteria[s.by].name;
    e["therapies"] = s.therapies;
    suppressed.push_back(std::move(e));
  }
  j["suppressed"] = std::move(suppressed);
  ordered_json indeterminate = ordered_json::array();
  for (auto const& i : o.indeterminate) {
    auto const& c = rs.criteria[i.criterion];
    ordered_json e = criterion_ref(c);
    e["class"] = ir::class_name(c.cls);
    e["missing"] = i.missing;
    indeterminate.push_back(std::move(e));
  }
  j["indeterminate"] = std::move(indeterminate);
  ordered_json off = ordered_json::array();
  for (auto const& x : o.off_label) {
    auto const& c = rs.criteria[x.criterion];
    ordered_json e = criterion_ref(c);
    e["class"] = ir::class_name(c.cls);
    e["therapies"] = c.therapies;
    e["approved_in"] = c.tumour.include_codes;
    if (!c.tumour.except_codes.empty()) e["except"] = c.tumour.except_codes;
    if (!c.level.empty()) e["level"] = c.level;
    e["findings"] = x.findings;
    if (!c.cites.empty()) e["cite"] = c.cites;
    e["because"] = x.because;
    off.push_back(std::move(e));
  }
  j["off_label"] = std::move(off);
  ordered_json excluded = ordered_json::array();
  for (auto const& x : o.excluded) {
    auto const& c = rs.criteria[x.criterion];
    ordered_json e = criterion_ref(c);
    e["class"] = ir::class_name(c.cls);
    e["reason"] = x.reason;
    excluded.push_back(std::move(e));
  }
  j["excluded"] = std::move(excluded);
  ordered_json findings = ordered_json::array();
  for (auto const& f : o.findings)
    findings.push_back({{"index", f.index}, {"normalised", f.normalised}, {"classes", f.classes}});
  j["findings"] = std::move(findings);
  if (!o.unresolved.empty()) {
    ordered_json un = ordered_json::array();
    for (auto const& u : o.unresolved)
      un.push_back({{"finding", u.finding}, {"field", u.field}, {"symbol", u.symbol}});
    j["unresolved"] = std::move(un);
  }
  return j;
}

std::string result_text(eval::Outcome const& o, ir::RuleSet const& rs,
                        model::Patient const& patient) {
  std::string s;
  s += "Patient " + o.patient + " — " + patient.tumour_code +
       (o.coverage_declared ? " (declared tests)" : " (no tests declared: closed world)") + "\n";
  s += "Recommended: " + o.recommended + "   Options: ";
  for (std::size_t i = 0; i < o.options.size(); ++i) s += (i ? ", " : "") + o.options[i];
  s += "\n";
  if (o.input_incomplete) {
    s += "PROVISIONAL — input incomplete: rows of the lab files could not be read; every option "
         "below may change once they are\n";
    for (auto const& i : o.input_issues) s += "  " + i + "\n";
  }
  auto therapies = [](std::vector<std::string> const& ts) {
    std::string r;
    for (std::size_t i = 0; i < ts.size(); ++i) r += (i ? ", " : "") + ts[i];
    return r;
  };
  auto name = [&](ir::Criterion const& c) {
    return c.kind == ir::CriterionKind::kArm ? c.name + " arm " + c.arm : c.name;
  };
  if (!o.matches.empty()) s += "\nMatches\n";
  for (auto const& m : o.matches) {
    auto const& c = rs.criteria[m.criterion];
    s += "  [" + std::string(ir::class_name(m.cls)) + "] " + therapies(m.therapies) + " — " +
         name(c) + (c.level.empty() ? "" : " (" + c.level + ")") +
         (c.kind == ir::CriterionKind::kCohort && !m.eligible ? " — not eligible" : "") + "\n";
    for (auto const& b : m.because) s += "      because " + b + "\n";
  }
  if (!o.suppressed.empty()) s += "\nSuppressed\n";
  for (auto const& x : o.suppressed)
    s += "  " + name(rs.criteria[x.criterion]) + ": " + therapies(x.therapies) + " (resistance: " +
         rs.criteria[x.by].name + ")\n";
  if (!o.indeterminate.empty()) s += "\nIndeterminate (would be decided by)\n";
  for (auto const& x : o.indeterminate) {
    auto const& c = rs.criteria[x.criterion];
    s += "  [" + std::string(ir::class_name(c.cls)) + "] " + name(c) + ": " + therapies(x.missing) + "\n";
  }
  if (!o.off_label.empty()) s += "\nOff-label evidence\n";
  for (auto const& x : o.off_label) {
    auto const& c = rs.criteria[x.criterion];
    s += "  " + therapies(c.therapies) + " — " + name(c) + ", " + ir::class_name(c.cls) + " in " +
         therapies(c.tumour.include_codes) + "\n";
  }
  if (!o.excluded.empty()) s += "\nNot eligible\n";
  for (auto const& x : o.excluded) s += "  " + name(rs.criteria[x.criterion]) + ": " + x.reason + "\n";
  s += "\nFindings\n";
  for (auto const& f : o.findings) {
    s += "  #" + std::to_string(f.index) + " " + f.normalised;
    if (!f.classes.empty()) s += "  → " + therapies(f.classes);
    s += "\n";
  }
  if (!o.unresolved.empty()) {
    s += "\nUnresolved gene symbols (not HGNC symbols: they satisfy no gene rule)\n";
    for (auto const& u : o.unresolved)
      s += "  #" + std::to_string(u.finding) + " " + u.field + " " + u.symbol + "\n";
  }
  return s;
}

}  // namespace actionable::io
