// classify: Evaluation → Outcome (dsl.md §6). See pathway.hpp.
#include "actionable/detail/eval/pathway.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "util/ascii.hpp"
#include "util/dag.hpp"

namespace actionable::eval {

std::string therapy_key(std::string const& therapy) {
  std::string out;
  bool space = false;
  for (char c : therapy) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += util::to_lower(c);
  }
  return out;
}

namespace {

int class_rank(ir::Class c) {
  switch (c) {
    case ir::Class::kApproved: return 0;
    case ir::Class::kStandardOfCare: return 1;
    case ir::Class::kResistance: return 2;
    case ir::Class::kMatchedTrial: return 3;
    case ir::Class::kPrecision2: return 4;
    case ir::Class::kEvidence: return 5;
  }
  return 6;
}

struct Explainer {
  ir::RuleSet const& rs;
  PatientView const& p;
  NodeMemo& memo;
  std::vector<std::string> const& normalised;  ///< per finding, computed once per patient

  /// Findings and "because" lines for the true parts of `root` (iterative walk).
  void support(ir::NodeId root, Span rule_span, std::vector<std::uint32_t>& findings,
               std::vector<std::string>& because) {
    struct Item {
      ir::NodeId node;
      ir::NodeId define;  ///< the outermost named define above, or kNoNode
    };
    // Lines already given (an entry has a handful: a linear scan beats a tree of strings).
    std::vector<std::string> seen_lines;
    auto add_line = [&](std::string line) {
      if (std::find(seen_lines.begin(), seen_lines.end(), line) != seen_lines.end()) return;
      seen_lines.push_back(line);
      because.push_back(std::move(line));
    };
    // A node's lines depend on the node and the define above it: each pair is handled once.
    auto key = [](Item it) { return std::uint64_t{it.node} << 32 | it.define; };
    util::depth_first(Item{root, ir::kNoNode}, key, [&](Item it, auto&& push) {
      auto const& node = rs.nodes[it.node];
      if (!node.define.empty() && it.define == ir::kNoNode) it.define = it.node;
      static std::string const kNone;
      std::string const& define = it.define == ir::kNoNode ? kNone : rs.nodes[it.define].define;
      if (memo.value(it.node) != Tri::kTrue) return;
      switch (node.op) {
        case ir::Op::kAtom: {
          auto const& a = rs.atoms[node.atom];
          auto const& av = memo.atom(node.atom);
          if (av.findings.empty() && (a.kind == ir::AtomKind::kClinical || a.kind == ir::AtomKind::kTested)) break;
          std::string where = define.empty() ? rule_span.file_line() : rs.nodes[it.define].define_span.file_line();
          std::string const& what = define.empty() ? a.display : define;
          if (av.findings.empty()) add_line(a.display + " holds (" + where + ")");
          for (auto f : av.findings) {
            findings.push_back(f);
            add_line(normalised[f] + " matches " + what + " (" + where + ")");
          }
          break;
        }
        case ir::Op::kNot: {
          auto const& kid = rs.nodes[node.kids[0]];
          if (kid.op == ir::Op::kAtom) {
            auto const& a = rs.atoms[kid.atom];
            if (a.kind == ir::AtomKind::kGene) add_line("no " + a.display + " found");
          }
          break;
        }
        case ir::Op::kAnd:
        case ir::Op::kOr:
          for (auto k : node.kids) push(Item{k, it.define});
          break;
      }
    });
    std::sort(findings.begin(), findings.end());
    findings.erase(std::unique(findings.begin(), findings.end()), findings.end());
  }

  /// The value of `root` with every recoverable atom (labs, washout) read as unknown: what the
  /// criterion would be if those values changed. Nodes are topologically ordered (kids first),
  /// so one pass over the ids below `root` that it reaches suffices (no recursion).
  Tri relaxed(ir::NodeId root) {
    std::vector<ir::NodeId> order;
    util::preorder(rs.nodes, root, [&](ir::NodeId n, ir::Node const&) {
      order.push_back(n);
      return true;
    });
    std::sort(order.begin(), order.end());
    IdMap val;  // node -> Tri + 1
    auto get = [&](ir::NodeId n) { return static_cast<Tri>(*val.find(n) - 1); };
    for (auto n : order) {
      auto const& node = rs.nodes[n];
      Tri t = Tri::kUnknown;
      switch (node.op) {
        case ir::Op::kAtom: t = rs.atoms[node.atom].recoverable ? Tri::kUnknown : memo.value(n); break;
        case ir::Op::kNot: t = tri_not(get(node.kids[0])); break;
        case ir::Op::kAnd:
          t = Tri::kTrue;
          for (auto k : node.kids) t = tri_and(t, get(k));
          break;
        case ir::Op::kOr:
          t = Tri::kFalse;
          for (auto k : node.kids) t = tri_or(t, get(k));
          break;
      }
      val.put(n, static_cast<std::uint32_t>(static_cast<int>(t) + 1));
    }
    return get(root);
  }

  /// Recoverable atoms under `root` whose value is `bad` (false in a requirement, true in an
  /// exclusion), as "what must hold": the atom's text, or "not …" for an exclusion.
  void recoverable_failures(ir::NodeId root, Tri bad, std::vector<std::string>& out) {
    struct Item {
      ir::NodeId node;
      bool neg;  ///< under an odd number of `not`s
    };
    util::depth_first(
        Item{root, false}, [](Item it) { return std::uint64_t{it.node} << 1 | it.neg; },
        [&](Item it, auto&& push) {
          auto const& node = rs.nodes[it.node];
          if (node.op == ir::Op::kNot) return push(Item{node.kids[0], !it.neg});
          if (node.op != ir::Op::kAtom) {
            for (auto k : node.kids) push(Item{k, it.neg});
            return;
          }
          auto const& a = rs.atoms[node.atom];
          if (!a.recoverable) return;
          bool want = (bad == Tri::kFalse) != it.neg;  // the value the atom must take
          if (memo.value(it.node) != (want ? Tri::kFalse : Tri::kTrue)) return;
          std::string text = want ? a.display : "not " + a.display;
          if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(text);
        });
  }

  /// Tests / values that would decide the unknown parts of `root`.
  void missing(ir::NodeId root, std::vector<std::string>& out) {
    // a shared sub-expression is explained once
    util::preorder(rs.nodes, root, [&](ir::NodeId n, ir::Node const& node) {
      if (memo.value(n) != Tri::kUnknown) return false;
      if (node.op != ir::Op::kAtom) return true;
      for (auto const& m : memo.atom(node.atom).missing)
        if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
      return false;
    });
  }
};

/// The country of the patient's centre ("BE" of "BE-UZL"); PRECISION 1's country, Belgium,
/// when the record names no centre or a centre code without a country prefix.
std::string home_country(std::string const& centre) {
  auto c = ir::centre_country(centre);
  return c.empty() ? "BE" : c;
}

std::string country_name(std::string const& code) {
  static constexpr std::pair<char const*, char const*> kNames[] = {
      {"BE", "Belgium"}, {"NL", "the Netherlands"}, {"LU", "Luxembourg"}, {"FR", "France"}, {"DE", "Germany"}};
  for (auto const& [c, n] : kNames)
    if (code == c) return n;
  return code;
}

struct SiteView {
  Availability availability = Availability::kUnstated;
  std::string line;  ///< the "because" line (a match) or the reason (excluded)
};

/// Where the arm recruits for this patient: at the patient's centre, elsewhere in the
/// patient's country, or not in the country (a site with `slots 0` is full: not open).
SiteView site_view(ir::Criterion const& cr, std::string const& centre) {
  SiteView v;
  std::string country = home_country(centre);
  auto open = [](ir::TrialSite const& s) { return s.status == ir::Status::kRecruiting && s.slots != 0; };
  auto describe = [](ir::TrialSite const& s) {
    std::string d = s.centre;
    if (s.status != ir::Status::kRecruiting)
      d += std::string(" ") + ir::status_name(s.status);
    else if (s.slots == 0)
      d += " full (0 slots)";
    else if (s.slots > 0)
      d += " (" + std::to_string(s.slots) + (s.slots == 1 ? " slot)" : " slots)");
    return d;
  };
  ir::TrialSite const* here = nullptr;
  std::string elsewhere;
  for (auto const& s : cr.centres) {
    if (!open(s)) continue;
    if (!centre.empty() && s.centre == centre)
      here = &s;
    else if (ir::centre_country(s.centre) == country)
      elsewhere += (elsewhere.empty() ? "" : ", ") + describe(s);
  }
  if (here) {
    v.availability = Availability::kAtCentre;
    v.line = "trial is recruiting at this patient's centre: " + describe(*here);
  } else if (!elsewhere.empty()) {
    v.availability = Availability::kInCountry;
    v.line = "trial is recruiting " + std::string(centre.empty() ? "in " : "elsewhere in ") + country_name(country) +
             ": " + elsewhere + (centre.empty() ? " (the record names no centre)" : "");
  } else {
    v.availability = Availability::kNotInCountry;
    std::string all;
    for (auto const& s : cr.centres) all += (all.empty() ? "" : ", ") + describe(s);
    v.line = "trial is not recruiting in " + country_name(country) + " (sites: " + all + ")";
  }
  return v;
}

}  // namespace

Outcome classify(ir::RuleSet const& rs, PatientView const& p, Evaluation const& eval) {
  Outcome out;
  out.patient = p.patient().id;
  out.coverage_declared = !p.closed_world();
  // Reuse the compiled evaluator's memo (its atom values, findings and missing tests);
  // the reference oracle hands none, so a fresh one is filled here.
  std::shared_ptr<NodeMemo> memo = eval.memo ? eval.memo : std::make_shared<NodeMemo>(rs, p);
  std::vector<std::string> normalised;  // every finding's text: the summary needs them all
  normalised.reserve(p.patient().findings.size());
  for (auto const& f : p.patient().findings) normalised.push_back(f.normalised());
  Explainer ex{rs, p, *memo, normalised};
  auto const& tree = p.catalog().oncotree;
  auto tumour = p.patient().tumour;

  for (auto const& v : eval.criteria) {
    auto const& cr = rs.criteria[v.id];
    if (!v.tumour) {
      bool evidence = cr.cls == ir::Class::kApproved || cr.cls == ir::Class::kStandardOfCare;
      if (!evidence || v.when != Tri::kTrue) continue;
      OffLabelEntry o;
      o.criterion = v.id;
      ex.support(cr.when, cr.when_span, o.findings, o.because);
      if (o.findings.empty()) continue;  // off-label evidence needs an alteration
      o.because.push_back(tree.code(tumour) + " is outside the indication (" + [&] {
        std::string s;
        for (auto const& c : cr.tumour.include_codes) s += (s.empty() ? "" : ", ") + c;
        return s;
      }() + ")");
      out.off_label.push_back(std::move(o));
      continue;
    }
    if (v.when == Tri::kFalse) continue;
    Tri excl = Tri::kFalse;
    std::size_t fired = cr.excludes.size();
    for (std::size_t i = 0; i < v.excludes.size(); ++i) {
      excl = tri_or(excl, v.excludes[i]);
      if (v.excludes[i] == Tri::kTrue && fired == cr.excludes.size()) fired = i;
    }
    // A near miss: only recoverable criteria fail (relaxed, the requirement is not false and no
    // exclusion holds) and the trial is open; `eligible_once` says what must change.
    auto near_miss = [&](ExcludedEntry& e) {
      if (cr.status != ir::Status::kRecruiting) return;
      // An arm recruiting nowhere in the patient's country is no option, near or not.
      if (cr.kind == ir::CriterionKind::kArm && !cr.centres.empty() &&
          site_view(cr, p.patient().centre).availability == Availability::kNotInCountry)
        return;
      if (cr.require != ir::kNoNode && ex.relaxed(cr.require) == Tri::kFalse) return;
      for (auto const& x : cr.excludes)
        if (ex.relaxed(x.node) == Tri::kTrue) return;
      if (cr.require != ir::kNoNode && v.require == Tri::kFalse)
        ex.recoverable_failures(cr.require, Tri::kFalse, e.eligible_once);
      for (std::size_t i = 0; i < v.excludes.size(); ++i)
        if (v.excludes[i] == Tri::kTrue) ex.recoverable_failures(cr.excludes[i].node, Tri::kTrue, e.eligible_once);
    };
    if (v.when == Tri::kTrue && fired < cr.excludes.size()) {
      ExcludedEntry e{v.id, "exclusion criterion holds: " + cr.excludes[fired].text, {}};
      near_miss(e);
      out.excluded.push_back(std::move(e));
      continue;
    }
    if (v.when == Tri::kTrue && v.require == Tri::kFalse) {
      ExcludedEntry e{v.id, "requirement not met: " + cr.require_text, {}};
      near_miss(e);
      out.excluded.push_back(std::move(e));
      continue;
    }
    Tri overall = tri_and(tri_and(v.when, v.require), tri_not(excl));
    if (overall == Tri::kFalse) continue;
    bool open = cr.status == ir::Status::kRecruiting;
    if (!open) {
      if (overall == Tri::kTrue)
        out.excluded.push_back({v.id,
                                std::string(cr.kind == ir::CriterionKind::kCohort ? "cohort" : "trial") + " is " +
                                    ir::status_name(cr.status),
                                {}});
      continue;
    }
    // Trials at sites: an arm recruiting nowhere in the patient's country is not an option
    // (it is reported as excluded when it matched, like a closed trial).
    SiteView sites;
    if (cr.kind == ir::CriterionKind::kArm && !cr.centres.empty()) {
      sites = site_view(cr, p.patient().centre);
      if (sites.availability == Availability::kNotInCountry) {
        if (overall == Tri::kTrue) out.excluded.push_back({v.id, sites.line, {}});
        continue;
      }
    }
    if (overall == Tri::kUnknown) {
      IndeterminateEntry ind;
      ind.criterion = v.id;
      if (v.when == Tri::kUnknown) ex.missing(cr.when, ind.missing);
      if (v.require == Tri::kUnknown) ex.missing(cr.require, ind.missing);
      for (std::size_t i = 0; i < v.excludes.size(); ++i)
        if (v.excludes[i] == Tri::kUnknown) ex.missing(cr.excludes[i].node, ind.missing);
      out.indeterminate.push_back(std::move(ind));
      continue;
    }
    MatchEntry m;
    m.cls = cr.cls;
    m.criterion = v.id;
    m.therapies = cr.therapies;
    ex.support(cr.when, cr.when_span, m.findings, m.because);
    std::string why;
    cr.tumour.contains(tree, tumour, &why);
    m.because.push_back(why);
    if (cr.require != ir::kNoNode) m.because.push_back("requirement met: " + cr.require_text);
    m.availability = sites.availability;
    if (sites.availability != Availability::kUnstated) {
      m.because.push_back(sites.line);
    } else if (cr.kind == ir::CriterionKind::kArm || cr.kind == ir::CriterionKind::kCohort) {
      std::string line = std::string(cr.kind == ir::CriterionKind::kArm ? "trial" : "cohort") + " is recruiting";
      if (!cr.sites.empty()) {
        line += " at ";
        for (std::size_t i = 0; i < cr.sites.size(); ++i) line += (i ? ", " : "") + cr.sites[i];
      }
      m.because.push_back(line);
    }
    out.matches.push_back(std::move(m));
  }

  // Resistance suppression (dsl.md §6): a resistance match removes the therapies it names
  // from approved / SoC / PRECISION 2 matches and from sensitivity evidence; a match left with
  // none is suppressed whole. Evidence of resistance is shown, never suppresses (it is not a
  // curated resistance rule).
  std::vector<std::pair<std::string, ir::CriterionId>> resisted;
  for (auto const& m : out.matches)
    if (m.cls == ir::Class::kResistance)
      for (auto const& t : m.therapies) resisted.push_back({therapy_key(t), m.criterion});
  if (!resisted.empty()) {
    // The first resistance rule naming a therapy is the one reported (source order).
    std::vector<MatchEntry> kept;
    for (auto& m : out.matches) {
      auto const& mc = rs.criteria[m.criterion];
      bool sensitivity_evidence = m.cls == ir::Class::kEvidence && mc.direction == "sensitivity" && mc.supports;
      if (m.cls != ir::Class::kApproved && m.cls != ir::Class::kStandardOfCare && m.cls != ir::Class::kPrecision2 &&
          !sensitivity_evidence) {
        kept.push_back(std::move(m));
        continue;
      }
      std::map<ir::CriterionId, std::vector<std::string>> removed;
      std::vector<std::string> remaining;
      for (auto const& t : m.therapies) {
        auto key = therapy_key(t);
        auto it = std::find_if(resisted.begin(), resisted.end(), [&](auto const& r) { return r.first == key; });
        if (it != resisted.end())
          removed[it->second].push_back(t);
        else
          remaining.push_back(t);
      }
      for (auto const& [by, ts] : removed) out.suppressed.push_back({m.criterion, by, ts});
      if (remaining.empty()) continue;
      if (!removed.empty()) {
        m.therapies = remaining;
        for (auto const& [by, ts] : removed) {
          std::string line = "not ";
          for (std::size_t i = 0; i < ts.size(); ++i) line += (i ? ", " : "") + ts[i];
          line += ": suppressed by resistance rule " + rs.criteria[by].name;
          m.because.push_back(line);
        }
      }
      kept.push_back(std::move(m));
    }
    out.matches = std::move(kept);
  }

  // Pathway (dsl.md §6). Evidence matches are never an option: they neither make a
  // standard of care nor block PRECISION 2.
  bool soc = false, trial = false, p2 = false;
  for (auto const& m : out.matches) {
    soc = soc || m.cls == ir::Class::kApproved || m.cls == ir::Class::kStandardOfCare;
    trial = trial || m.cls == ir::Class::kMatchedTrial;
    p2 = p2 || m.cls == ir::Class::kPrecision2;
  }
  out.precision2_eligible = p2 && !soc && !trial;
  for (auto& m : out.matches) {
    if (m.cls != ir::Class::kPrecision2) continue;
    m.eligible = out.precision2_eligible;
    if (!m.eligible)
      m.because.push_back(soc ? "not eligible: a standard-of-care option exists"
                              : "not eligible: a matched trial exists");
    // Evidence supports the PRECISION 2 discussion: sensitivity evidence on the same findings
    // (never evidence that does not support sensitivity, nor reduced sensitivity or toxicity).
    for (auto const& e : out.matches) {
      if (e.cls != ir::Class::kEvidence) continue;
      auto const& ec = rs.criteria[e.criterion];
      if (ec.direction != "sensitivity" || !ec.supports) continue;
      bool shared = std::any_of(e.findings.begin(), e.findings.end(), [&](std::uint32_t f) {
        return std::find(m.findings.begin(), m.findings.end(), f) != m.findings.end();
      });
      if (!shared) continue;
      std::string ts;
      for (std::size_t i = 0; i < e.therapies.size(); ++i) ts += (i ? ", " : "") + e.therapies[i];
      m.because.push_back("supporting evidence: " + ec.name + " (" + ec.level + ", sensitivity: " + ts + ")");
    }
  }
  if (soc) out.options.push_back("standard_of_care");
  if (trial) out.options.push_back("matched_trial");
  if (out.precision2_eligible) out.options.push_back("precision2");
  if (out.options.empty()) out.options.push_back("empirical");
  out.recommended = out.options.front();

  auto by_order = [](auto const& a, auto const& b) { return a.criterion < b.criterion; };
  std::stable_sort(out.matches.begin(), out.matches.end(), [](auto const& a, auto const& b) {
    return std::make_pair(class_rank(a.cls), a.criterion) < std::make_pair(class_rank(b.cls), b.criterion);
  });
  std::stable_sort(out.suppressed.begin(), out.suppressed.end(), by_order);
  std::stable_sort(out.indeterminate.begin(), out.indeterminate.end(), by_order);
  std::stable_sort(out.off_label.begin(), out.off_label.end(), by_order);
  std::stable_sort(out.excluded.begin(), out.excluded.end(), by_order);

  auto const& fs = p.patient().findings;
  for (std::uint32_t i = 0; i < fs.size(); ++i) {
    FindingSummary s;
    s.index = i;
    s.normalised = normalised[i];
    for (auto const& m : out.matches)
      if (std::find(m.findings.begin(), m.findings.end(), i) != m.findings.end()) {
        std::string c = ir::class_name(m.cls);
        if (std::find(s.classes.begin(), s.classes.end(), c) == s.classes.end()) s.classes.push_back(c);
      }
    out.findings.push_back(std::move(s));
    auto const& f = fs[i];
    if (!f.unresolved_gene.empty()) out.unresolved.push_back({i, "gene", f.unresolved_gene});
    if (!f.unresolved_gene5.empty()) out.unresolved.push_back({i, "gene5", f.unresolved_gene5});
    if (!f.unresolved_gene3.empty()) out.unresolved.push_back({i, "gene3", f.unresolved_gene3});
  }
  out.input_incomplete = p.patient().input_incomplete;
  out.input_issues = p.patient().input_issues;
  return out;
}

}  // namespace actionable::eval
