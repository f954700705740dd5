// Result JSON and text rendering of the typed Outcome. Key order is fixed here
// (nlohmann::ordered_json keeps insertion order); every array comes from the sorted Outcome.
// The bytes are the contract of patient.md "Match result": the golden files pin them.
#include "actionable/detail/io/result_json.hpp"

#include "actionable/detail/engine/impl.hpp"

namespace actionable::io {

using nlohmann::ordered_json;

namespace {

/// "rule": name | "trial": id, "arm": arm | "cohort": name.
void put_ref(ordered_json& j, CriterionRef const& c) {
  switch (c.kind) {
    case CriterionKind::kRule: j["rule"] = c.name; break;
    case CriterionKind::kTrialArm:
      j["trial"] = c.name;
      j["arm"] = c.arm;
      break;
    case CriterionKind::kCohort: j["cohort"] = c.name; break;
  }
  if (!c.ruleset.empty()) j["ruleset"] = c.ruleset;  // rule sets side by side only
}

std::string cls(OptionClass c) { return std::string(to_string(c)); }

std::vector<std::string> texts(std::vector<Reason> const& rs) {
  std::vector<std::string> out;
  out.reserve(rs.size());
  for (auto const& r : rs) out.push_back(r.text);
  return out;
}

std::string join(std::vector<std::string> const& ts) {
  std::string r;
  for (std::size_t i = 0; i < ts.size(); ++i) r += (i ? ", " : "") + ts[i];
  return r;
}

}  // namespace

ordered_json outcome_json(Outcome const& o) {
  ordered_json j;
  j["patient"] = o.patient;
  j["ruleset"] = {{"name", o.ruleset.name}, {"version", o.ruleset.version}, {"sha256", o.ruleset.sha256}};
  if (!o.rulesets.empty()) {  // rule sets side by side (docs/language.md): each identity
    ordered_json sets = ordered_json::array();
    for (auto const& r : o.rulesets) sets.push_back({{"name", r.name}, {"version", r.version}, {"sha256", r.sha256}});
    j["rulesets"] = std::move(sets);
  }
  j["coverage"] = std::string(to_string(o.coverage));
  // Only when the lab files lost rows (docs/inputs.md, "Incomplete input"); complete records
  // keep the contract's bytes.
  if (o.input_incomplete) {
    j["input"] = "incomplete";
    j["input_issues"] = o.input_issues;
  }
  std::vector<std::string> options;
  for (auto p : o.pathway.options) options.emplace_back(to_string(p));
  j["pathway"] = {{"options", options},
                  {"recommended", std::string(to_string(o.pathway.recommended))},
                  {"precision2_eligible", o.pathway.precision2_eligible}};
  if (o.pathway.provisional) j["pathway"]["provisional"] = true;
  ordered_json matches = ordered_json::array();
  for (auto const& m : o.matches) {
    ordered_json e;
    e["class"] = cls(m.cls);
    put_ref(e, m.criterion);
    if (m.criterion.kind != CriterionKind::kRule && !m.criterion.title.empty()) e["title"] = m.criterion.title;
    if (!m.phase.empty()) e["phase"] = m.phase;
    if (m.criterion.kind == CriterionKind::kCohort) e["eligible"] = m.eligible;
    e["therapies"] = m.therapies;
    if (!m.level.empty()) e["level"] = m.level;
    if (!m.direction.empty()) e["direction"] = m.direction;
    if (!m.supports) e["supports"] = false;  // only when negative: `direction not …`
    e["findings"] = m.findings;
    if (!m.cites.empty()) e["cite"] = m.cites;
    if (!m.sites.empty()) e["sites"] = m.sites;
    if (!m.centres.empty()) {
      ordered_json cs = ordered_json::array();
      for (auto const& c : m.centres) {
        ordered_json x{{"centre", c.centre}, {"status", std::string(to_string(c.status))}};
        if (c.slots >= 0) x["slots"] = c.slots;
        cs.push_back(std::move(x));
      }
      e["centres"] = std::move(cs);
      e["availability"] = std::string(to_string(m.availability));
    }
    e["because"] = texts(m.because);
    matches.push_back(std::move(e));
  }
  j["matches"] = std::move(matches);
  ordered_json suppressed = ordered_json::array();
  for (auto const& s : o.suppressed) {
    ordered_json e;
    e["class"] = cls(s.cls);
    put_ref(e, s.criterion);
    e["by"] = s.by;
    if (!s.by_ruleset.empty()) e["by_ruleset"] = s.by_ruleset;
    e["therapies"] = s.therapies;
    suppressed.push_back(std::move(e));
  }
  j["suppressed"] = std::move(suppressed);
  ordered_json indeterminate = ordered_json::array();
  for (auto const& i : o.indeterminate) {
    ordered_json e;
    put_ref(e, i.criterion);
    e["class"] = cls(i.cls);
    std::vector<std::string> missing;
    for (auto const& m : i.missing) missing.push_back(m.test);
    e["missing"] = missing;
    indeterminate.push_back(std::move(e));
  }
  j["indeterminate"] = std::move(indeterminate);
  ordered_json off = ordered_json::array();
  for (auto const& x : o.off_label) {
    ordered_json e;
    put_ref(e, x.criterion);
    e["class"] = cls(x.cls);
    e["therapies"] = x.therapies;
    e["approved_in"] = x.approved_in;
    if (!x.except.empty()) e["except"] = x.except;
    if (!x.level.empty()) e["level"] = x.level;
    e["findings"] = x.findings;
    if (!x.cites.empty()) e["cite"] = x.cites;
    e["because"] = texts(x.because);
    off.push_back(std::move(e));
  }
  j["off_label"] = std::move(off);
  ordered_json excluded = ordered_json::array();
  for (auto const& x : o.excluded) {
    ordered_json e;
    put_ref(e, x.criterion);
    e["class"] = cls(x.cls);
    e["reason"] = x.reason;
    excluded.push_back(std::move(e));
  }
  j["excluded"] = std::move(excluded);
  if (!o.near_misses.empty()) {  // only when recoverable criteria are used (docs/language.md, "Near misses")
    ordered_json near = ordered_json::array();
    for (auto const& x : o.near_misses) {
      ordered_json e;
      put_ref(e, x.criterion);
      e["class"] = cls(x.cls);
      e["reason"] = x.reason;
      e["eligible_once"] = x.eligible_once;
      near.push_back(std::move(e));
    }
    j["near_misses"] = std::move(near);
  }
  ordered_json findings = ordered_json::array();
  for (auto const& f : o.findings) {
    std::vector<std::string> classes;
    for (auto c : f.classes) classes.push_back(cls(c));
    findings.push_back({{"index", f.index}, {"normalised", f.normalised}, {"classes", classes}});
  }
  j["findings"] = std::move(findings);
  if (!o.unresolved.empty()) {
    ordered_json un = ordered_json::array();
    for (auto const& u : o.unresolved)
      un.push_back({{"finding", u.finding}, {"field", u.field}, {"symbol", u.symbol}});
    j["unresolved"] = std::move(un);
  }
  return j;
}

std::string write_outcome(Outcome const& o) { return outcome_json(o).dump(); }

ordered_json result_json(eval::Outcome const& o, ir::RuleSet const& rs, RuleSetInfo const& info) {
  return outcome_json(engine_detail::to_outcome(o, rs, info));
}

std::string outcome_text(Outcome const& o, std::string const& tumour_code) {
  std::string s;
  s += "Patient " + o.patient + " — " + tumour_code +
       (o.coverage == Coverage::kDeclared ? " (declared tests)" : " (no tests declared: closed world)") + "\n";
  s += "Recommended: " + std::string(to_string(o.pathway.recommended)) + "   Options: ";
  for (std::size_t i = 0; i < o.pathway.options.size(); ++i)
    s += (i ? ", " : "") + std::string(to_string(o.pathway.options[i]));
  s += "\n";
  if (o.input_incomplete) {
    s += "PROVISIONAL — input incomplete: rows of the lab files could not be read; every option "
         "below may change once they are\n";
    for (auto const& i : o.input_issues) s += "  " + i + "\n";
  }
  auto name = [](CriterionRef const& c) {
    return (c.kind == CriterionKind::kTrialArm ? c.name + " arm " + c.arm : c.name) +
           (c.ruleset.empty() ? "" : " [" + c.ruleset + "]");
  };
  if (!o.matches.empty()) s += "\nMatches\n";
  for (auto const& m : o.matches) {
    s += "  [" + cls(m.cls) + "] " + join(m.therapies) + " — " + name(m.criterion) +
         (m.level.empty() ? "" : " (" + m.level + (m.direction.empty() ? "" : std::string(m.supports ? ", " : ", does not support ") + m.direction) + ")") +
         (m.phase.empty() ? "" : " (phase " + m.phase + ")") +
         (m.criterion.kind == CriterionKind::kCohort && !m.eligible ? " — not eligible" : "") + "\n";
    for (auto const& b : m.because) s += "      because " + b.text + "\n";
  }
  if (!o.suppressed.empty()) s += "\nSuppressed\n";
  for (auto const& x : o.suppressed)
    s += "  " + name(x.criterion) + ": " + join(x.therapies) + " (resistance: " + x.by + ")\n";
  if (!o.indeterminate.empty()) s += "\nIndeterminate (would be decided by)\n";
  for (auto const& x : o.indeterminate) {
    std::vector<std::string> missing;
    for (auto const& m : x.missing) missing.push_back(m.test);
    s += "  [" + cls(x.cls) + "] " + name(x.criterion) + ": " + join(missing) + "\n";
  }
  if (!o.off_label.empty()) s += "\nOff-label evidence\n";
  for (auto const& x : o.off_label)
    s += "  " + join(x.therapies) + " — " + name(x.criterion) + ", " + cls(x.cls) + " in " + join(x.approved_in) + "\n";
  if (!o.excluded.empty()) s += "\nNot eligible\n";
  for (auto const& x : o.excluded) s += "  " + name(x.criterion) + ": " + x.reason + "\n";
  if (!o.near_misses.empty()) s += "\nNear misses\n";
  for (auto const& x : o.near_misses) {
    s += "  " + name(x.criterion) + ": eligible once ";
    for (std::size_t i = 0; i < x.eligible_once.size(); ++i) s += (i ? " and " : "") + x.eligible_once[i];
    s += "\n";
  }
  s += "\nFindings\n";
  for (auto const& f : o.findings) {
    s += "  #" + std::to_string(f.index) + " " + f.normalised;
    if (!f.classes.empty()) {
      std::vector<std::string> cs;
      for (auto c : f.classes) cs.push_back(cls(c));
      s += "  → " + join(cs);
    }
    s += "\n";
  }
  if (!o.unresolved.empty()) {
    s += "\nUnresolved gene symbols (not HGNC symbols: they satisfy no gene rule)\n";
    for (auto const& u : o.unresolved) s += "  #" + std::to_string(u.finding) + " " + u.field + " " + u.symbol + "\n";
  }
  return s;
}

}  // namespace actionable::io
