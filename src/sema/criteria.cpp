// Checker pass 3: rules, trials with their arms and PRECISION 2 cohorts become ir::Criterion.
#include <algorithm>
#include <set>

#include "sema/checker.hpp"

namespace actionable::sema::detail {

using ast::ClauseKind;

Checker::ClauseSet Checker::clauses_of(std::vector<ast::Clause> const& cs) {
  ClauseSet s;
  for (auto const& c : cs) s.by_kind[static_cast<int>(c.kind)].push_back(&c);
  return s;
}
char const* Checker::clause_name(ClauseKind k) {
  switch (k) {
    case ClauseKind::kWhen: return "when";
    case ClauseKind::kTumour: return "tumour";
    case ClauseKind::kRequire: return "require";
    case ClauseKind::kExclude: return "exclude";
    case ClauseKind::kClass: return "class";
    case ClauseKind::kTherapy: return "therapy";
    case ClauseKind::kLevel: return "level";
    case ClauseKind::kCite: return "cite";
    case ClauseKind::kStatus: return "status";
    case ClauseKind::kSite: return "site";
    case ClauseKind::kDirection: return "direction";
    case ClauseKind::kPhase: return "phase";
    case ClauseKind::kCentre: return "site";
  }
  return "?";
}
void Checker::allow(ClauseSet const& s, std::initializer_list<ClauseKind> allowed, char const* where) {
  for (int k = 0; k < ast::kClauseKinds; ++k) {
    bool ok = std::find(allowed.begin(), allowed.end(), static_cast<ClauseKind>(k)) != allowed.end();
    if (ok) continue;
    for (auto const* c : s.by_kind[k])
      diags.error("E246", span(*c), std::string("'") + clause_name(c->kind) + "' is not allowed in " + where);
  }
}
void Checker::at_most_one(ClauseSet const& s, ClauseKind k) {
  auto const& v = s.by_kind[static_cast<int>(k)];
  for (std::size_t i = 1; i < v.size(); ++i)
    diags.error("E245", span(*v[i]), std::string("duplicate '") + clause_name(k) + "' clause",
                {"first at " + span(*v[0]).location()});
}
ast::Clause const* Checker::first(ClauseSet const& s, ClauseKind k) {
  auto const& v = s.by_kind[static_cast<int>(k)];
  return v.empty() ? nullptr : v[0];
}

std::string Checker::source_text(ast::Located const& l) const {
  std::string t = src->text().substr(l.begin, l.end - l.begin);
  std::string out;
  bool space = false;
  for (char c : t) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

bool Checker::lower_tumour(ast::TumourSet const& t, ir::TumourSet& out) {
  bool ok = true;
  out.span = span(t);
  for (auto const& c : t.include) {
    out.include_codes.push_back(c.text);
    if (c.text == "SOLID") {
      out.solid = true;
    } else if (c.text == "any" || c.text == "ANY") {
      out.any = true;
    } else if (auto id = tumour_code(c)) {
      out.include.push_back(*id);
    } else {
      ok = false;
    }
  }
  for (auto const& c : t.except) {
    out.except_codes.push_back(c.text);
    if (auto id = tumour_code(c))
      out.except.push_back(*id);
    else
      ok = false;
  }
  return ok;
}

std::optional<ir::Status> Checker::status(ast::Clause const* c) {
  if (!c) return std::nullopt;
  return status_value(c->values[0]);
}
std::optional<ir::Status> Checker::status_value(ast::Name const& n) {
  auto const& v = n.text;
  if (v == "recruiting") return ir::Status::kRecruiting;
  if (v == "suspended") return ir::Status::kSuspended;
  if (v == "closed") return ir::Status::kClosed;
  diags.error("E247", span(n), "unknown status '" + v + "'", {"use recruiting, suspended or closed"});
  return std::nullopt;
}

bool Checker::trial_sites(ClauseSet const& s, std::string& phase, std::vector<ir::TrialSite>& centres) {
  bool ok = true;
  at_most_one(s, ClauseKind::kPhase);
  if (auto const* p = first(s, ClauseKind::kPhase)) {
    static constexpr char const* kPhases[] = {"1", "1/2", "2", "2/3", "3"};
    auto const& v = p->values[0].text;
    if (std::find(std::begin(kPhases), std::end(kPhases), v) == std::end(kPhases)) {
      diags.error("E256", span(p->values[0]), "unknown trial phase '" + v + "'", {"use 1, 1/2, 2, 2/3 or 3"});
      ok = false;
    } else {
      phase = v;
    }
  }
  auto const& lines = s.by_kind[static_cast<int>(ClauseKind::kCentre)];
  if (!lines.empty()) centres.clear();  // an arm's own site lines replace the trial's
  std::set<std::string> seen;
  for (auto const* c : lines) {
    ir::TrialSite site;
    site.centre = c->values[0].text;
    site.span = span(*c);
    if (!seen.insert(site.centre).second) {
      diags.error("E257", span(c->values[0]), "centre '" + site.centre + "' has two site lines",
                  {"one line per centre: site CODE STATUS [slots N]"});
      ok = false;
    }
    if (auto st = status_value(c->values[1]))
      site.status = *st;
    else
      ok = false;
    if (c->values.size() > 2) {
      auto const& n = c->values[2].text;
      if (n.size() > 6) {
        diags.error("E257", span(c->values[2]), "slots " + n + " is out of range (0 to 999999)");
        ok = false;
      } else {
        site.slots = std::stoi(n);
      }
    }
    centres.push_back(std::move(site));
  }
  return ok;
}

bool Checker::fill(ir::Criterion& cr, ClauseSet const& own, ClauseSet const* inherited, Span owner, char const* what) {
  bool ok = true;
  auto pick = [&](ClauseKind k) -> ast::Clause const* {
    if (auto c = first(own, k)) return c;
    return inherited ? first(*inherited, k) : nullptr;
  };
  auto const* when = pick(ClauseKind::kWhen);
  if (!when) {
    diags.error("E241", owner, std::string(what) + " has no 'when' clause");
    ok = false;
  } else if (auto n = lower_expr(when->expr)) {
    cr.when = *n;
    cr.when_span = span(*when);
  } else {
    ok = false;
  }
  auto const* tum = pick(ClauseKind::kTumour);
  if (!tum) {
    diags.error("E242", owner, std::string(what) + " has no 'tumour' clause",
                {"write 'tumour any' or 'tumour SOLID' for tumour-agnostic criteria"});
    ok = false;
  } else {
    ok = lower_tumour(tum->tumour, cr.tumour) && ok;
  }
  if (auto const* req = pick(ClauseKind::kRequire)) {
    if (auto n = lower_expr(req->expr)) {
      cr.require = *n;
      cr.require_text = source_text(file->pool.nodes[req->expr]);
    } else {
      ok = false;
    }
  }
  auto excl = own.by_kind[static_cast<int>(ClauseKind::kExclude)];
  if (excl.empty() && inherited) excl = inherited->by_kind[static_cast<int>(ClauseKind::kExclude)];
  for (auto const* e : excl) {
    if (auto n = lower_expr(e->expr))
      cr.excludes.push_back({*n, source_text(file->pool.nodes[e->expr]), span(*e)});
    else
      ok = false;
  }
  if (auto const* th = pick(ClauseKind::kTherapy))
    for (auto const& v : th->values) cr.therapies.push_back(v.text);
  for (auto const* c : own.by_kind[static_cast<int>(ClauseKind::kCite)])
    for (auto const& v : c->values) cr.cites.push_back(v.text);
  if (inherited)
    for (auto const* c : inherited->by_kind[static_cast<int>(ClauseKind::kCite)])
      for (auto const& v : c->values)
        if (std::find(cr.cites.begin(), cr.cites.end(), v.text) == cr.cites.end()) cr.cites.push_back(v.text);
  if (auto const* lv = pick(ClauseKind::kLevel)) {
    auto const& t = lv->values[0].text;
    auto colon = t.find(':');
    std::string scheme = colon == std::string::npos ? t : t.substr(0, colon);
    std::string tier = colon == std::string::npos ? "" : t.substr(colon + 1);
    if (scheme != "ESCAT" && scheme != "OncoKB" && scheme != "AMP" && scheme != "CIViC") {
      diags.error("E231", span(lv->values[0]), "unknown evidence-level scheme '" + scheme + "'",
                  {"use ESCAT:<tier>, OncoKB:<level>, AMP:<tier> or CIViC:<level>"});
      ok = false;
    } else if (!valid_level(scheme, tier)) {
      diags.error("E232", span(lv->values[0]), "'" + tier + "' is not a valid " + scheme + " level");
      ok = false;
    } else {
      cr.level = t;
    }
  }
  return ok;
}

bool Checker::evidence_clauses(ir::Criterion& cr, ClauseSet const& own, bool has_class, Span owner,
                               std::string const& name) {
  // An evidence rule (docs/language.md, "Evidence"): literature / knowledge-base evidence
  // carries its level and its direction; no other class has a direction.
  auto const* dir = first(own, ClauseKind::kDirection);
  if (!has_class) return true;
  if (cr.cls != ir::Class::kEvidence) {
    if (dir) {
      diags.error("E251", span(*dir), "'direction' is only for class evidence",
                  {"an approved / standard_of_care rule recommends; a resistance rule suppresses"});
      return false;
    }
    return true;
  }
  bool ok = true;
  if (!dir) {
    diags.error("E251", owner, "evidence rule '" + name + "' has no 'direction'",
                {"add direction sensitivity or direction resistance"});
    ok = false;
  } else {
    // values: [not,] direction. `not`: the evidence does NOT support it (CIViC "Does Not Support").
    auto const& d = dir->values.back();
    auto const& v = d.text;
    if (v == "sensitivity" || v == "resistance" || v == "reduced_sensitivity" || v == "adverse_response") {
      cr.direction = v;
      cr.supports = dir->values.size() == 1;
    } else {
      diags.error("E251", span(d), "unknown direction '" + v + "'",
                  {"use sensitivity, resistance, reduced_sensitivity or adverse_response (optionally after not)"});
      ok = false;
    }
  }
  if (!first(own, ClauseKind::kLevel)) {
    diags.error("E251", owner, "evidence rule '" + name + "' has no 'level'",
                {"evidence carries its level, e.g. level CIViC:B"});
    ok = false;
  }
  return ok;
}

void Checker::criteria() {
  for (std::size_t i = 0; i < files.size(); ++i) {
    set_file(i);
    for (auto const& b : file->blocks) {
      auto own = clauses_of(b.clauses);
      for (auto k : {ClauseKind::kWhen, ClauseKind::kTumour, ClauseKind::kRequire, ClauseKind::kClass,
                     ClauseKind::kTherapy, ClauseKind::kLevel, ClauseKind::kStatus, ClauseKind::kDirection})
        at_most_one(own, k);
      if (b.kind == ast::BlockKind::kRule) {
        allow(own,
              {ClauseKind::kWhen, ClauseKind::kTumour, ClauseKind::kRequire, ClauseKind::kExclude, ClauseKind::kClass,
               ClauseKind::kTherapy, ClauseKind::kLevel, ClauseKind::kCite, ClauseKind::kDirection},
              "a rule");
        ir::Criterion cr;
        cr.kind = ir::CriterionKind::kRule;
        cr.name = b.name.text;
        cr.span = span(b.name);
        bool ok = fill(cr, own, nullptr, span(b.name), ("rule '" + b.name.text + "'").c_str());
        auto const* cls = first(own, ClauseKind::kClass);
        if (!cls) {
          diags.error("E243", span(b.name), "rule '" + b.name.text + "' has no 'class' clause",
                      {"use class approved, standard_of_care, resistance or evidence"});
          ok = false;
        } else {
          auto const& v = cls->values[0].text;
          if (v == "approved")
            cr.cls = ir::Class::kApproved;
          else if (v == "standard_of_care")
            cr.cls = ir::Class::kStandardOfCare;
          else if (v == "resistance")
            cr.cls = ir::Class::kResistance;
          else if (v == "evidence")
            cr.cls = ir::Class::kEvidence;
          else {
            diags.error("E243", span(cls->values[0]), "unknown class '" + v + "'",
                        {"use approved, standard_of_care, resistance or evidence (trials and "
                         "PRECISION 2 cohorts have their own blocks)"});
            ok = false;
          }
        }
        ok = evidence_clauses(cr, own, cls != nullptr, span(b.name), b.name.text) && ok;
        if (cr.therapies.empty()) {
          diags.error("E244", span(b.name), "rule '" + b.name.text + "' names no therapy");
          ok = false;
        }
        if (ok) rs.criteria.push_back(std::move(cr));
      } else if (b.kind == ast::BlockKind::kPrecision2) {
        allow(own,
              {ClauseKind::kWhen, ClauseKind::kTumour, ClauseKind::kRequire, ClauseKind::kExclude, ClauseKind::kTherapy,
               ClauseKind::kLevel, ClauseKind::kCite, ClauseKind::kStatus},
              "a precision2 cohort");
        ir::Criterion cr;
        cr.kind = ir::CriterionKind::kCohort;
        cr.cls = ir::Class::kPrecision2;
        cr.name = b.name.text;
        cr.title = b.title ? b.title->text : "";
        cr.span = span(b.name);
        bool ok = fill(cr, own, nullptr, span(b.name), ("precision2 cohort '" + b.name.text + "'").c_str());
        if (auto const* st = first(own, ClauseKind::kStatus)) {
          if (auto s = status(st))
            cr.status = *s;
          else
            ok = false;
        } else {
          diags.warning("W250", span(b.name),
                        "precision2 cohort '" + b.name.text + "' has no status; assuming recruiting");
        }
        if (ok) rs.criteria.push_back(std::move(cr));
      } else {  // trial
        allow(own,
              {ClauseKind::kWhen, ClauseKind::kTumour, ClauseKind::kRequire, ClauseKind::kExclude, ClauseKind::kTherapy,
               ClauseKind::kCite, ClauseKind::kStatus, ClauseKind::kSite, ClauseKind::kPhase, ClauseKind::kCentre},
              "a trial");
        std::string trial_phase;
        std::vector<ir::TrialSite> trial_centres;
        bool trial_ok = trial_sites(own, trial_phase, trial_centres);
        ir::Status trial_status = ir::Status::kRecruiting;
        if (auto const* st = first(own, ClauseKind::kStatus)) {
          if (auto s = status(st)) trial_status = *s;
        } else {
          diags.warning("W250", span(b.name), "trial '" + b.name.text + "' has no status; assuming recruiting");
        }
        std::vector<std::string> sites;
        for (auto const* c : own.by_kind[static_cast<int>(ClauseKind::kSite)])
          for (auto const& v : c->values) sites.push_back(v.text);
        if (b.arms.empty()) {
          diags.error("E249", span(b.name), "trial '" + b.name.text + "' has no arm",
                      {"add arm \"A\" { when …  tumour … }"});
        }
        std::set<std::string> arm_names;
        for (auto const& arm : b.arms) {
          if (!arm_names.insert(arm.name.text).second)
            diags.error("E248", span(arm.name),
                        "trial '" + b.name.text + "' has two arms named \"" + arm.name.text + "\"");
          auto aown = clauses_of(arm.clauses);
          for (auto k : {ClauseKind::kWhen, ClauseKind::kTumour, ClauseKind::kRequire, ClauseKind::kTherapy,
                         ClauseKind::kStatus})
            at_most_one(aown, k);
          allow(aown,
                {ClauseKind::kWhen, ClauseKind::kTumour, ClauseKind::kRequire, ClauseKind::kExclude,
                 ClauseKind::kTherapy, ClauseKind::kCite, ClauseKind::kStatus, ClauseKind::kPhase, ClauseKind::kCentre},
                "a trial arm");
          ir::Criterion cr;
          cr.kind = ir::CriterionKind::kArm;
          cr.cls = ir::Class::kMatchedTrial;
          cr.name = b.name.text;
          cr.arm = arm.name.text;
          cr.title = b.title ? b.title->text : "";
          cr.span = span(arm.name);
          cr.sites = sites;
          cr.phase = trial_phase;
          cr.centres = trial_centres;
          bool ok = trial_sites(aown, cr.phase, cr.centres) && trial_ok;
          ok = fill(cr, aown, &own, span(arm.name),
                    ("arm \"" + arm.name.text + "\" of trial '" + b.name.text + "'").c_str()) &&
               ok;
          cr.status = trial_status;
          if (auto const* st = first(aown, ClauseKind::kStatus)) {
            if (auto s = status(st)) {
              if (static_cast<int>(*s) > static_cast<int>(cr.status)) cr.status = *s;
            } else {
              ok = false;
            }
          }
          if (ok) rs.criteria.push_back(std::move(cr));
        }
      }
    }
  }
}

}  // namespace actionable::sema::detail
