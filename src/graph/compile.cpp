// compile: ir::RuleSet → DecisionGraph (Boost.Graph DAG + flat arrays + indexes).
// The Boost.Graph topological sort doubles as the acyclicity check of the IR.
#include <algorithm>
#include <boost/graph/graphviz.hpp>
#include <boost/graph/topological_sort.hpp>
#include <functional>
#include <cstdlib>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

#include "actionable/detail/graph/decision_graph.hpp"
#include "util/dag.hpp"

namespace actionable::graph {
namespace {

/// Alteration kinds a gene atom needs a test to detect (mirrors eval's coverage rule).
std::uint8_t kinds_needed(ir::Atom const& a) { return ir::detect_kinds_needed(a); }

/// The finding-index key of a biomarker atom (see DecisionGraph::by_biomarker): "NAME=value"
/// for `NAME = value` with a categorical value — only a finding with exactly that value can
/// make it true — else "NAME*" (numbers, `!=`, values that read as numbers).
std::string biomarker_key(ir::Atom const& a) {
  bool numeric_text = false;
  if (!a.text.empty()) {
    char* end = nullptr;
    std::strtod(a.text.c_str(), &end);
    numeric_text = end == a.text.c_str() + a.text.size();
  }
  if (!a.number && a.cmp == ast::Cmp::kEq && !a.text.empty() && !numeric_text) return a.name + "=" + a.text;
  return a.name + "*";
}

/// The kinds of gene finding that can make an atom of this feature true or unknown
/// (PatientView::gene_atom_one looks at no other): 'v' variant, 'x' exon skipping,
/// 'f' fusion, 'c' copy number. Wild type has none: a finding only makes it false or
/// unknown, and a criterion it could keep alive is ungated (reached by its tumour).
std::string_view finding_kinds(ast::FeatureKind feature) {
  using F = ast::FeatureKind;
  switch (feature) {
    case F::kProtein:
    case F::kCodon:
    case F::kMissense:
    case F::kTruncating:
    case F::kInframe: return "v";
    case F::kExon:
    case F::kMutation:
    case F::kSplice: return "vx";
    case F::kAmplification:
    case F::kDeletion: return "c";
    case F::kFusion: return "f";
    case F::kOncogenic: return "vxfc";
    case F::kWildtype: return "";
  }
  return "vxfc";
}

void collect_leaves(ir::RuleSet const& rs, ir::NodeId root, std::set<std::string>& genes,
                    std::set<std::string>& biomarkers) {
  util::preorder(rs.nodes, root, [&](ir::NodeId, ir::Node const& node) {
    if (node.op == ir::Op::kAtom) {
      auto const& a = rs.atoms[node.atom];
      if (a.kind == ir::AtomKind::kGene) {
        for (char kind : finding_kinds(a.feature)) {
          for (auto const& g : a.genes) genes.insert(DecisionGraph::finding_key(g, kind));
          if (!a.gene5.empty()) genes.insert(DecisionGraph::finding_key(a.gene5, kind));
        }
      } else if (a.kind == ir::AtomKind::kBiomarker) {
        biomarkers.insert(biomarker_key(a));
      } else if (a.kind == ir::AtomKind::kProtein) {
        biomarkers.insert(a.name + "*");  // any result of the marker may decide it
      }
    }
    return true;
  });
}

}  // namespace

std::shared_ptr<DecisionGraph const> compile(ir::RuleSetPtr rules, std::shared_ptr<catalog::Catalog const> catalog,
                                             CompileOptions const& options) {
  auto g = std::make_shared<DecisionGraph>(rules, catalog);
  auto const& rs = *rules;
  auto const& tree = catalog->oncotree;
  auto& G = g->graph_;

  // Vertices 0..N-1 are IR nodes, then criteria, then index vertices.
  std::size_t n_nodes = rs.nodes.size();
  for (std::size_t i = 0; i < n_nodes; ++i) {
    auto const& node = rs.nodes[i];
    VertexProps p;
    p.ref = static_cast<std::uint32_t>(i);
    switch (node.op) {
      case ir::Op::kAtom:
        p.kind = VertexKind::kAtom;
        p.label = rs.atoms[node.atom].display;
        break;
      case ir::Op::kAnd:
        p.kind = VertexKind::kAnd;
        p.label = "and";
        break;
      case ir::Op::kOr:
        p.kind = VertexKind::kOr;
        p.label = "or";
        break;
      case ir::Op::kNot:
        p.kind = VertexKind::kNot;
        p.label = "not";
        break;
    }
    if (!node.define.empty()) p.label += " [" + node.define + "]";
    boost::add_vertex(p, G);
  }
  for (std::size_t i = 0; i < n_nodes; ++i)
    for (auto k : rs.nodes[i].kids) boost::add_edge(k, i, G);
  std::size_t crit_base = n_nodes;
  for (std::size_t c = 0; c < rs.criteria.size(); ++c) {
    auto const& cr = rs.criteria[c];
    VertexProps p;
    p.kind = VertexKind::kCriterion;
    p.ref = static_cast<std::uint32_t>(c);
    p.label = std::string(ir::class_name(cr.cls)) + ": " + cr.name + (cr.arm.empty() ? "" : " arm " + cr.arm);
    auto v = boost::add_vertex(p, G);
    boost::add_edge(cr.when, v, G);
    if (cr.require != ir::kNoNode) boost::add_edge(cr.require, v, G);
    for (auto const& e : cr.excludes) boost::add_edge(e.node, v, G);
  }
  // Gene index vertices → atoms.
  std::map<std::string, std::size_t> gene_vertex;
  for (std::size_t i = 0; i < n_nodes; ++i) {
    auto const& node = rs.nodes[i];
    if (node.op != ir::Op::kAtom) continue;
    auto const& a = rs.atoms[node.atom];
    if (a.kind != ir::AtomKind::kGene) continue;
    std::vector<std::string> gs = a.genes;
    if (!a.gene5.empty()) gs.push_back(a.gene5);
    for (auto const& gene : gs) {
      auto it = gene_vertex.find(gene);
      if (it == gene_vertex.end()) {
        VertexProps p;
        p.kind = VertexKind::kGene;
        p.label = gene;
        it = gene_vertex.emplace(gene, boost::add_vertex(p, G)).first;
      }
      boost::add_edge(it->second, i, G);
    }
  }
  // Gating (see decision_graph.hpp): per IR node, the trigger set whose decided absence makes
  // the node false, computed in one pass (kids come before parents).
  using Trigger = DecisionGraph::Trigger;
  constexpr std::size_t kMaxTriggers = 32;
  std::vector<std::optional<std::vector<Trigger>>> gate(n_nodes);
  for (std::size_t i = 0; i < n_nodes; ++i) {
    auto const& node = rs.nodes[i];
    switch (node.op) {
      case ir::Op::kAtom: {
        auto const& a = rs.atoms[node.atom];
        if (a.kind == ir::AtomKind::kGene && a.feature != ast::FeatureKind::kWildtype) {
          std::vector<Trigger> ts;
          for (auto const& g : a.genes) {
            Trigger t;
            t.name = g;
            t.gene_id = catalog->genes.index(g).value_or(DecisionGraph::Trigger::kNoGene);
            t.origin = a.origin;
            t.kinds = kinds_needed(a);
            ts.push_back(t);
          }
          gate[i] = std::move(ts);
        } else if (a.kind == ir::AtomKind::kProtein) {
          // Not gated: a protein result that was not reported is unknown even in the closed
          // world (an IHC score is a measurement, not a finding that can be absent), so no
          // absence of findings can make the atom false.
        } else if (a.kind == ir::AtomKind::kBiomarker) {
          bool numeric = a.number.has_value();
          bool categorical_positive = !numeric && a.cmp == ast::Cmp::kEq &&
                                      !ir::normal_biomarker_value(a.name).empty() &&
                                      a.text != ir::normal_biomarker_value(a.name);
          if (numeric || categorical_positive) {
            Trigger t;
            t.biomarker = true;
            t.name = a.name;
            t.numeric = numeric;
            gate[i] = std::vector<Trigger>{t};
          }
        }
        break;
      }
      case ir::Op::kAnd: {  // false as soon as one gated kid is false: take the smallest set
        for (auto k : node.kids)
          if (gate[k] && (!gate[i] || gate[k]->size() < gate[i]->size())) gate[i] = gate[k];
        break;
      }
      case ir::Op::kOr: {  // false only when every kid is false: all kids gated, union
        std::vector<Trigger> ts;
        bool all = true;
        for (auto k : node.kids) {
          if (!gate[k]) {
            all = false;
            break;
          }
          ts.insert(ts.end(), gate[k]->begin(), gate[k]->end());
        }
        if (all && ts.size() <= kMaxTriggers) gate[i] = std::move(ts);
        break;
      }
      case ir::Op::kNot: break;
    }
  }
  auto trigger_key = [](Trigger const& t) {
    return std::string(t.biomarker ? "b|" : "g|") + t.name + "|" + std::to_string(static_cast<int>(t.origin)) + "|" +
           std::to_string(t.kinds) + (t.numeric ? "|n" : "");
  };
  auto add_gated = [&](std::vector<DecisionGraph::TriggerGroup>& groups, std::map<std::string, std::size_t>& index,
                       Trigger const& t, ir::CriterionId c) {
    auto key = trigger_key(t);
    auto it = index.find(key);
    if (it == index.end()) {
      it = index.emplace(key, groups.size()).first;
      groups.push_back({t, {}});
    }
    auto& v = groups[it->second].criteria;
    if (v.empty() || v.back() != c) v.push_back(c);
  };

  // Tumour anchors → criteria.
  g->by_tumour.assign(tree.size(), {});
  g->gated_by_tumour.assign(tree.size(), {});
  std::vector<std::map<std::string, std::size_t>> gated_index(tree.size());
  std::map<std::string, std::size_t> unanchored_index;
  std::map<catalog::TumourId, std::size_t> tumour_vertex;
  for (std::size_t c = 0; c < rs.criteria.size(); ++c) {
    auto const& cr = rs.criteria[c];
    auto const& t = cr.tumour;
    auto cid = static_cast<ir::CriterionId>(c);
    auto const& gset = gate[cr.when];
    if (gset) ++g->gated_count;
    bool unanchored = !options.index_tumours || t.any || t.solid;
    if (unanchored) {
      if (gset) {
        for (auto const& tr : *gset) add_gated(g->gated_unanchored, unanchored_index, tr, cid);
      } else {
        g->unanchored.push_back(cid);
      }
    }
    if (options.index_tumours && !t.any) {
      for (auto id : t.include) {
        if (gset) {
          for (auto const& tr : *gset) add_gated(g->gated_by_tumour[id], gated_index[id], tr, cid);
        } else {
          g->by_tumour[id].push_back(cid);
        }
        auto it = tumour_vertex.find(id);
        if (it == tumour_vertex.end()) {
          VertexProps p;
          p.kind = VertexKind::kTumour;
          p.ref = id;
          p.label = tree.code(id);
          it = tumour_vertex.emplace(id, boost::add_vertex(p, G)).first;
        }
        boost::add_edge(it->second, crit_base + c, G);
      }
    }
  }
  for (auto& v : g->by_tumour) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  // Trigger groups in ascending gene id (biomarkers last): evaluate checks a list's
  // coverage with one forward scan per test (PatientView::CoverageScan).
  auto by_gene_id = [](DecisionGraph::TriggerGroup const& a, DecisionGraph::TriggerGroup const& b) {
    return DecisionGraph::trigger_less(a.trigger, b.trigger);
  };
  for (auto& groups : g->gated_by_tumour) std::stable_sort(groups.begin(), groups.end(), by_gene_id);
  std::stable_sort(g->gated_unanchored.begin(), g->gated_unanchored.end(), by_gene_id);
  // Each node's merged list is its parent's merged list merged with its own (sorted) list;
  // lineage() runs root → node, so parents are done first when walking it.
  g->gated_lineage.assign(tree.size(), {});
  std::vector<bool> merged_done(tree.size(), false);
  auto group_less = [&](auto const& x, auto const& y) {
    return DecisionGraph::trigger_less(g->gated_by_tumour[x.first][x.second].trigger,
                                       g->gated_by_tumour[y.first][y.second].trigger);
  };
  std::vector<std::pair<catalog::TumourId, std::uint32_t>> own;
  for (std::size_t t = 0; t < tree.size(); ++t) {
    catalog::TumourId parent = 0;
    bool has_parent = false;
    for (auto a : tree.lineage(static_cast<catalog::TumourId>(t))) {
      if (!merged_done[a]) {
        own.clear();
        for (std::uint32_t i = 0; i < g->gated_by_tumour[a].size(); ++i) own.push_back({a, i});
        auto& out = g->gated_lineage[a];
        if (has_parent) {
          auto const& up = g->gated_lineage[parent];
          out.reserve(up.size() + own.size());
          std::merge(up.begin(), up.end(), own.begin(), own.end(), std::back_inserter(out), group_less);
        } else {
          out = own;
        }
        merged_done[a] = true;
      }
      parent = a;
      has_parent = true;
    }
  }
  // Finding gene / biomarker → criteria mentioning it (all classes).
  for (std::size_t c = 0; c < rs.criteria.size(); ++c) {
    auto const& cr = rs.criteria[c];
    std::set<std::string> genes, biomarkers;
    collect_leaves(rs, cr.when, genes, biomarkers);
    for (auto const& gene : genes) g->by_gene[gene].push_back(static_cast<ir::CriterionId>(c));
    for (auto const& b : biomarkers) g->by_biomarker[b].push_back(static_cast<ir::CriterionId>(c));
  }

  // Packed per-criterion records for evaluate's hot path.
  g->hot.reserve(rs.criteria.size());
  for (auto const& cr : rs.criteria) {
    DecisionGraph::CriterionHot h;
    h.when = cr.when;
    h.require = cr.require;
    h.any = cr.tumour.any;
    h.solid = cr.tumour.solid;
    h.evidence = cr.cls == ir::Class::kApproved || cr.cls == ir::Class::kStandardOfCare;
    h.include_begin = static_cast<std::uint32_t>(g->hot_tumours.size());
    g->hot_tumours.insert(g->hot_tumours.end(), cr.tumour.include.begin(), cr.tumour.include.end());
    h.include_end = h.except_begin = static_cast<std::uint32_t>(g->hot_tumours.size());
    g->hot_tumours.insert(g->hot_tumours.end(), cr.tumour.except.begin(), cr.tumour.except.end());
    h.except_end = static_cast<std::uint32_t>(g->hot_tumours.size());
    h.excludes_begin = static_cast<std::uint32_t>(g->hot_excludes.size());
    for (auto const& e : cr.excludes) g->hot_excludes.push_back(e.node);
    h.excludes_end = static_cast<std::uint32_t>(g->hot_excludes.size());
    g->hot.push_back(h);
  }

  // Topological order check (the IR is built kids-first; verify with Boost.Graph).
  std::vector<std::size_t> order;
  boost::topological_sort(G, std::back_inserter(order));  // throws not_a_dag on a cycle

  // Flat arrays.
  g->op.resize(n_nodes);
  g->atom.resize(n_nodes);
  g->kid_off.resize(n_nodes + 1);
  for (std::size_t i = 0; i < n_nodes; ++i) {
    auto const& node = rs.nodes[i];
    g->op[i] = static_cast<std::uint8_t>(node.op);
    g->atom[i] = node.atom;
    g->kid_off[i] = static_cast<std::uint32_t>(g->kids.size());
    g->kids.insert(g->kids.end(), node.kids.begin(), node.kids.end());
  }
  g->kid_off[n_nodes] = static_cast<std::uint32_t>(g->kids.size());
  return g;
}

std::string DecisionGraph::finding_key(std::string const& gene, char kind) {
  std::string key;
  finding_key(key, gene, kind);
  return key;
}

void DecisionGraph::finding_key(std::string& out, std::string_view gene, char kind) {
  out.assign(gene);
  out += '|';
  out += kind;
}

char DecisionGraph::finding_kind(model::FindingType type) noexcept {
  switch (type) {
    case model::FindingType::kVariant: return 'v';
    case model::FindingType::kExonSkipping: return 'x';
    case model::FindingType::kFusion: return 'f';
    case model::FindingType::kCnv: return 'c';
    case model::FindingType::kBiomarker: break;
  }
  return 0;
}

bool DecisionGraph::trigger_less(Trigger const& a, Trigger const& b) noexcept {
  return std::tie(a.biomarker, a.gene_id, a.name) < std::tie(b.biomarker, b.gene_id, b.name);
}

std::string to_dot(DecisionGraph const& graph) {
  auto const& G = graph.graph();
  std::ostringstream out;
  auto esc = [](std::string const& s) {
    std::string r;
    for (char c : s) {
      if (c == '"' || c == '\\') r += '\\';
      r += c;
    }
    return r;
  };
  out << "digraph actionable {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n";
  for (auto v : boost::make_iterator_range(boost::vertices(G))) {
    auto const& p = G[v];
    char const* shape = "box";
    switch (p.kind) {
      case VertexKind::kAtom: shape = "box"; break;
      case VertexKind::kAnd:
      case VertexKind::kOr:
      case VertexKind::kNot: shape = "circle"; break;
      case VertexKind::kCriterion: shape = "doubleoctagon"; break;
      case VertexKind::kGene: shape = "ellipse"; break;
      case VertexKind::kTumour: shape = "house"; break;
    }
    out << "  v" << v << " [shape=" << shape << ", label=\"" << esc(p.label) << "\"];\n";
  }
  for (auto e : boost::make_iterator_range(boost::edges(G)))
    out << "  v" << boost::source(e, G) << " -> v" << boost::target(e, G) << ";\n";
  out << "}\n";
  return out.str();
}

}  // namespace actionable::graph
