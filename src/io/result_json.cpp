// Result JSON and text rendering of the typed Outcome. Key order is fixed here, written
// straight into the string by detail::JsonWriter (the bytes nlohmann's ordered_json dump gave
// before; json_writer.hpp); every array comes from the sorted Outcome.
// The bytes are the contract of patient.md "Match result": the golden files pin them.
#include "actionable/detail/io/result_json.hpp"

#include "actionable/detail/engine/impl.hpp"
#include "io/json_writer.hpp"

namespace actionable::io {

using detail::JsonWriter;

namespace {

/// "rule": name | "trial": id, "arm": arm | "cohort": name.
void put_ref(JsonWriter& w, CriterionRef const& c) {
  switch (c.kind) {
    case CriterionKind::kRule: w.member("rule", c.name); break;
    case CriterionKind::kTrialArm: w.member("trial", c.name).member("arm", c.arm); break;
    case CriterionKind::kCohort: w.member("cohort", c.name); break;
  }
  if (!c.ruleset.empty()) w.member("ruleset", c.ruleset);  // rule sets side by side only
}

std::string cls(OptionClass c) { return std::string(to_string(c)); }

void put_class(JsonWriter& w, OptionClass c) { w.member("class", to_string(c)); }

void put_because(JsonWriter& w, std::vector<Reason> const& rs) {
  w.key("because").begin_array();
  for (auto const& r : rs) w.value(r.text);
  w.end_array();
}

void put_identity(JsonWriter& w, RuleSetInfo const& r) {
  w.begin_object().member("name", r.name).member("version", r.version).member("sha256", r.sha256).end_object();
}

std::string join(std::vector<std::string> const& ts) {
  std::string r;
  for (std::size_t i = 0; i < ts.size(); ++i) r += (i ? ", " : "") + ts[i];
  return r;
}

}  // namespace

std::string write_outcome(Outcome const& o) {
  JsonWriter w;
  w.reserve(1024 + 64 * o.findings.size());
  w.begin_object();
  w.member("patient", o.patient);
  w.key("ruleset");
  put_identity(w, o.ruleset);
  if (!o.rulesets.empty()) {  // rule sets side by side (docs/language.md): each identity
    w.key("rulesets").begin_array();
    for (auto const& r : o.rulesets) put_identity(w, r);
    w.end_array();
  }
  w.member("coverage", to_string(o.coverage));
  // Only when the lab files lost rows (docs/inputs.md, "Incomplete input"); complete records
  // keep the contract's bytes.
  if (o.input_incomplete) w.member("input", "incomplete").member("input_issues", o.input_issues);
  w.key("pathway").begin_object().key("options").begin_array();
  for (auto p : o.pathway.options) w.value(to_string(p));
  w.end_array()
      .member("recommended", to_string(o.pathway.recommended))
      .member("precision2_eligible", o.pathway.precision2_eligible);
  if (o.pathway.provisional) w.member("provisional", true);
  w.end_object();

  w.key("matches").begin_array();
  for (auto const& m : o.matches) {
    w.begin_object();
    put_class(w, m.cls);
    put_ref(w, m.criterion);
    if (m.criterion.kind != CriterionKind::kRule && !m.criterion.title.empty()) w.member("title", m.criterion.title);
    if (!m.phase.empty()) w.member("phase", m.phase);
    if (m.criterion.kind == CriterionKind::kCohort) w.member("eligible", m.eligible);
    w.member("therapies", m.therapies);
    if (!m.level.empty()) w.member("level", m.level);
    if (!m.direction.empty()) w.member("direction", m.direction);
    if (!m.supports) w.member("supports", false);  // only when negative: `direction not …`
    w.member("findings", m.findings);
    if (!m.cites.empty()) w.member("cite", m.cites);
    if (!m.sites.empty()) w.member("sites", m.sites);
    if (!m.centres.empty()) {
      w.key("centres").begin_array();
      for (auto const& c : m.centres) {
        w.begin_object().member("centre", c.centre).member("status", to_string(c.status));
        if (c.slots >= 0) w.member("slots", c.slots);
        w.end_object();
      }
      w.end_array();
      w.member("availability", to_string(m.availability));
    }
    put_because(w, m.because);
    w.end_object();
  }
  w.end_array();

  // Every list of the result is written alike (key, array, one object per item), but the members differ
  // per list and follow the schema's order, so each list writes its own.
  w.key("suppressed").begin_array();
  for (auto const& s : o.suppressed) {
    w.begin_object();
    put_class(w, s.cls);
    put_ref(w, s.criterion);
    w.member("by", s.by);
    if (!s.by_ruleset.empty()) w.member("by_ruleset", s.by_ruleset);
    w.member("therapies", s.therapies);
    w.end_object();
  }
  w.end_array();

  w.key("indeterminate").begin_array();
  for (auto const& i : o.indeterminate) {
    w.begin_object();
    put_ref(w, i.criterion);
    put_class(w, i.cls);
    w.key("missing").begin_array();
    for (auto const& m : i.missing) w.value(m.test);
    w.end_array();
    w.end_object();
  }
  w.end_array();

  w.key("off_label").begin_array();
  for (auto const& x : o.off_label) {
    w.begin_object();
    put_ref(w, x.criterion);
    put_class(w, x.cls);
    w.member("therapies", x.therapies).member("approved_in", x.approved_in);
    if (!x.except.empty()) w.member("except", x.except);
    if (!x.level.empty()) w.member("level", x.level);
    w.member("findings", x.findings);
    if (!x.cites.empty()) w.member("cite", x.cites);
    put_because(w, x.because);
    w.end_object();
  }
  w.end_array();

  w.key("excluded").begin_array();
  for (auto const& x : o.excluded) {
    w.begin_object();
    put_ref(w, x.criterion);
    put_class(w, x.cls);
    w.member("reason", x.reason);
    w.end_object();
  }
  w.end_array();

  if (!o.near_misses.empty()) {  // only when recoverable criteria are used (docs/language.md, "Near misses")
    w.key("near_misses").begin_array();
    for (auto const& x : o.near_misses) {
      w.begin_object();
      put_ref(w, x.criterion);
      put_class(w, x.cls);
      w.member("reason", x.reason).member("eligible_once", x.eligible_once);
      w.end_object();
    }
    w.end_array();
  }

  w.key("findings").begin_array();
  for (auto const& f : o.findings) {
    w.begin_object().member("index", f.index).member("normalised", f.normalised).key("classes").begin_array();
    for (auto c : f.classes) w.value(to_string(c));
    w.end_array().end_object();
  }
  w.end_array();

  if (!o.unresolved.empty()) {
    w.key("unresolved").begin_array();
    for (auto const& u : o.unresolved)
      w.begin_object().member("finding", u.finding).member("field", u.field).member("symbol", u.symbol).end_object();
    w.end_array();
  }
  w.end_object();
  return w.take();
}

std::string result_json(eval::Outcome const& o, ir::RuleSet const& rs, RuleSetInfo const& info) {
  return write_outcome(engine_detail::to_outcome(o, rs, info));
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
         (m.level.empty()
              ? ""
              : " (" + m.level +
                    (m.direction.empty() ? "" : std::string(m.supports ? ", " : ", does not support ") + m.direction) +
                    ")") +
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
