// The two evaluators (compiled graph, reference oracle) and the memoised node evaluator.
#include "actionable/detail/eval/evaluate.hpp"
#include "actionable/model/protein.hpp"

#include <algorithm>
#include <unordered_map>

#include "actionable/detail/graph/decision_graph.hpp"

namespace actionable::eval {

// ---- NodeMemo (iterative, memoised; used for explanations) ---------------------------

AtomValue const& NodeMemo::atom(ir::AtomId a) {
  if (auto const* slot = atom_slot_.find(a)) return atoms_[*slot];
  atoms_.push_back(patient_.evaluate(rules_.atoms[a]));
  atom_slot_.put(a, static_cast<std::uint32_t>(atoms_.size() - 1));
  return atoms_.back();
}

Tri NodeMemo::value(ir::NodeId root) {
  Tri v = Tri::kFalse;
  if (known(root, v)) return v;
  std::vector<std::pair<ir::NodeId, bool>> stack{{root, false}};
  while (!stack.empty()) {
    auto [n, expanded] = stack.back();
    stack.pop_back();
    if (known(n, v)) continue;
    auto const& node = rules_.nodes[n];
    if (node.op == ir::Op::kAtom) {
      set(n, atom(node.atom).value);
      continue;
    }
    if (!expanded) {
      stack.push_back({n, true});
      for (auto k : node.kids)
        if (!known(k, v)) stack.push_back({k, false});
      continue;
    }
    auto kid = [&](ir::NodeId k) {
      Tri t = Tri::kFalse;
      known(k, t);
      return t;
    };
    v = node.op == ir::Op::kAnd ? Tri::kTrue : Tri::kFalse;
    if (node.op == ir::Op::kNot) {
      v = tri_not(kid(node.kids[0]));
    } else {
      for (auto k : node.kids) v = node.op == ir::Op::kAnd ? tri_and(v, kid(k)) : tri_or(v, kid(k));
    }
    set(n, v);
  }
  known(root, v);
  return v;
}

// ---- reference oracle ----------------------------------------------------------------

namespace {

Tri reference_node(ir::RuleSet const& rs, PatientView const& p, ir::NodeId n) {
  auto const& node = rs.nodes[n];
  switch (node.op) {
    case ir::Op::kAtom: return p.evaluate(rs.atoms[node.atom]).value;
    case ir::Op::kNot: return tri_not(reference_node(rs, p, node.kids[0]));
    case ir::Op::kAnd: {
      Tri v = Tri::kTrue;
      for (auto k : node.kids) v = tri_and(v, reference_node(rs, p, k));
      return v;
    }
    case ir::Op::kOr: {
      Tri v = Tri::kFalse;
      for (auto k : node.kids) v = tri_or(v, reference_node(rs, p, k));
      return v;
    }
  }
  return Tri::kFalse;
}

}  // namespace

Evaluation evaluate_reference(ir::RuleSet const& rs, PatientView const& p) {
  Evaluation out;
  auto const& tree = p.catalog().oncotree;
  for (std::size_t c = 0; c < rs.criteria.size(); ++c) {
    auto const& cr = rs.criteria[c];
    CriterionValue v;
    v.id = static_cast<ir::CriterionId>(c);
    v.tumour = cr.tumour.contains(tree, p.patient().tumour);
    v.when = reference_node(rs, p, cr.when);
    v.require = cr.require == ir::kNoNode ? Tri::kTrue : reference_node(rs, p, cr.require);
    for (auto const& e : cr.excludes) v.excludes.push_back(reference_node(rs, p, e.node));
    out.criteria.push_back(std::move(v));
  }
  return out;
}

// ---- compiled evaluator --------------------------------------------------------------

namespace {

/// Per-call state: the patient's NodeMemo (flat arrays) and a reusable frame stack.
class Walker {
 public:
  Walker(graph::DecisionGraph const& g, NodeMemo& memo) : g_(g), memo_(memo) {}

  /// Value of a node: iterative post-order with short-circuit (an `and` stops at its first
  /// false kid, an `or` at its first true kid) and memoisation across criteria.
  Tri value(std::uint32_t root) {
    Tri known;
    if (memo_.known(root, known)) return known;
    auto& stack = stack_;  // reused across calls: no allocation per criterion
    stack.clear();
    stack.push_back(start(root));
    Tri result = Tri::kFalse;
    while (!stack.empty()) {
      Frame& f = stack.back();
      auto op = static_cast<ir::Op>(g_.op[f.node]);
      bool done;
      if (op == ir::Op::kAtom) {
        f.acc = memo_.atom(g_.atom[f.node]).value;
        done = true;
      } else {
        std::uint32_t n_kids = g_.kid_off[f.node + 1] - g_.kid_off[f.node];
        done = f.next == n_kids || (op == ir::Op::kAnd && f.acc == Tri::kFalse) ||
               (op == ir::Op::kOr && f.acc == Tri::kTrue);
      }
      if (done) {
        result = op == ir::Op::kNot ? tri_not(f.acc) : f.acc;
        memo_.set(f.node, result);
        ++evaluated_;
        stack.pop_back();
        if (!stack.empty()) combine(stack.back(), result);
        continue;
      }
      std::uint32_t kid = g_.kids[g_.kid_off[f.node] + f.next];
      ++f.next;
      if (memo_.known(kid, known)) {
        combine(f, known);
      } else {
        stack.push_back(start(kid));
      }
    }
    return result;
  }

  std::size_t evaluated() const noexcept { return evaluated_; }

 private:
  struct Frame {
    std::uint32_t node;
    std::uint32_t next;
    Tri acc;
  };
  Frame start(std::uint32_t n) const {
    auto op = static_cast<ir::Op>(g_.op[n]);
    return Frame{n, 0, op == ir::Op::kOr ? Tri::kFalse : Tri::kTrue};
  }
  void combine(Frame& f, Tri v) const {
    auto op = static_cast<ir::Op>(g_.op[f.node]);
    if (op == ir::Op::kAnd)
      f.acc = tri_and(f.acc, v);
    else if (op == ir::Op::kOr)
      f.acc = tri_or(f.acc, v);
    else
      f.acc = v;  // kNot: its single kid
  }

  graph::DecisionGraph const& g_;
  NodeMemo& memo_;
  std::vector<Frame> stack_;
  std::size_t evaluated_ = 0;
};

}  // namespace

Evaluation evaluate(graph::DecisionGraph const& g, PatientView const& p) noexcept {
  Evaluation out;
  auto const& rs = g.rules();
  auto const& tree = g.catalog().oncotree;
  auto tumour = p.patient().tumour;
  std::vector<ir::CriterionId> cands;
  cands.reserve(64);
  auto add = [&](std::vector<ir::CriterionId> const& v) { cands.insert(cands.end(), v.begin(), v.end()); };
  bool closed = p.closed_world();
  // A gated criterion is undecided when one of its triggers was not tested (triggers with a
  // finding are reached through by_gene / by_biomarker below).
  PatientView::CoverageScan scan(p);  // trigger groups come sorted by gene id
  auto undecided = [&](graph::DecisionGraph::Trigger const& t) {
    if (closed) return false;
    if (t.biomarker) return t.numeric || !p.biomarker_tested(t.name);
    auto cov =
        t.gene_id != graph::DecisionGraph::Trigger::kNoGene ? scan(t.gene_id, t.origin) : p.coverage(t.name, t.origin);
    return (cov & t.kinds) == 0;
  };
  auto lineage_nodes = tree.lineage(tumour);
  for (auto a : lineage_nodes) add(g.by_tumour[a]);
  add(g.unanchored);
  if (!closed) {
    // The lineage's trigger groups and the unanchored ones, both in ascending trigger
    // order: merge them so that each test's gene list is scanned forward once.
    auto const& lin = g.gated_lineage[tumour];
    auto const& un = g.gated_unanchored;
    std::size_t i = 0, j = 0;
    while (i < lin.size() || j < un.size()) {
      graph::DecisionGraph::TriggerGroup const* grp;
      if (j == un.size() ||
          (i < lin.size() && !graph::DecisionGraph::trigger_less(
                                 un[j].trigger, g.gated_by_tumour[lin[i].first][lin[i].second].trigger))) {
        grp = &g.gated_by_tumour[lin[i].first][lin[i].second];
        ++i;
      } else {
        grp = &un[j];
        ++j;
      }
      if (undecided(grp->trigger)) add(grp->criteria);
    }
  }
  std::string key;  // each finding's index key, built here (no string allocated per finding)
  auto add_key = [&](graph::DecisionGraph::KeyIndex const& index) {
    if (auto it = index.find(std::string_view(key)); it != index.end()) add(it->second);
  };
  auto add_finding = [&](std::string const& gene, char kind) {
    graph::DecisionGraph::finding_key(key, gene, kind);
    add_key(g.by_gene);
  };
  for (auto const& f : p.patient().findings) {
    char kind = graph::DecisionGraph::finding_kind(f.type);
    if (kind == 0) continue;
    if (f.type == model::FindingType::kFusion) {
      if (!f.gene5.empty()) add_finding(f.gene5, kind);
      if (!f.gene3.empty() && f.gene3 != f.gene5) add_finding(f.gene3, kind);
    } else if (!f.gene.empty()) {
      add_finding(f.gene, kind);
    }
  }
  for (auto const& f : p.patient().findings) {
    if (f.type != model::FindingType::kBiomarker) continue;
    key.assign(f.name).append("*");
    add_key(g.by_biomarker);
    if (f.method == "IHC" && model::is_mmr_protein(f.name))  // MMR protein loss decides dMMR / pMMR
      for (char const* mmr : {"MMR*", "MMR=deficient", "MMR=proficient"}) {
        key.assign(mmr);
        add_key(g.by_biomarker);
      }
    if (f.number) continue;  // only `NAME*` atoms can hold for a number
    key.assign(f.name).append("=").append(f.value);
    add_key(g.by_biomarker);
  }
  std::sort(cands.begin(), cands.end());
  cands.erase(std::unique(cands.begin(), cands.end()), cands.end());

  // The patient's lineage as a bit set over OncoTree nodes: tumour-set membership is then a
  // few bit tests on the packed criterion record (the same answer as TumourSet::contains).
  std::vector<std::uint64_t> lineage((tree.size() + 63) / 64, 0);
  for (auto a : lineage_nodes) lineage[a / 64] |= std::uint64_t{1} << (a % 64);
  auto in_lineage = [&](catalog::TumourId a) { return (lineage[a / 64] >> (a % 64)) & 1u; };
  bool solid = tree.is_solid(tumour);
  auto contains = [&](graph::DecisionGraph::CriterionHot const& h) {
    for (auto i = h.except_begin; i < h.except_end; ++i)
      if (in_lineage(g.hot_tumours[i])) return false;
    if (h.any) return true;
    for (auto i = h.include_begin; i < h.include_end; ++i)
      if (in_lineage(g.hot_tumours[i])) return true;
    return h.solid && solid;
  };

  out.memo = std::make_shared<NodeMemo>(rs, p);
  Walker w(g, *out.memo);
  out.criteria.reserve(cands.size());
  for (auto c : cands) {
    auto const& h = g.hot[c];
    CriterionValue v;
    v.id = c;
    v.tumour = contains(h);
    if (!v.tumour && !h.evidence) continue;
    v.when = w.value(h.when);
    if (v.tumour && v.when != Tri::kFalse) {
      v.require = h.require == ir::kNoNode ? Tri::kTrue : w.value(h.require);
      for (auto i = h.excludes_begin; i < h.excludes_end; ++i) v.excludes.push_back(w.value(g.hot_excludes[i]));
    } else {
      v.require = Tri::kFalse;  // not needed: no output depends on it
      v.excludes.clear();
    }
    out.criteria.push_back(std::move(v));
  }
  out.nodes_evaluated = w.evaluated();
  return out;
}

}  // namespace actionable::eval
