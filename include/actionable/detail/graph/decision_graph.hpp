// The compiled decision graph (Boost.Graph): a DAG whose vertices are the IR's interned atoms
// and and/or/not nodes (shared across rules), the criteria they decide, and the gene and
// tumour index vertices that lead into them. Built once by compile(); immutable afterwards
// and safe to share between threads. Evaluation uses flat arrays derived from the graph in
// topological order, plus two indexes — tumour anchor → criteria and finding gene/biomarker
// → approved/SoC criteria — so a patient only touches the criteria its tumour and findings
// can reach.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <memory>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "actionable/catalog/catalog.hpp"
#include "actionable/detail/ir/rule_set.hpp"
#include "actionable/model/patient.hpp"

namespace actionable::graph {

enum class VertexKind : std::uint8_t { kAtom, kAnd, kOr, kNot, kCriterion, kGene, kTumour };

struct VertexProps {
  VertexKind kind = VertexKind::kAtom;
  std::uint32_t ref = 0;  ///< node id, criterion id, or tumour id
  std::string label;
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, VertexProps>;

/// Options for compile(). Defaults are documented here and in docs/architecture.md.
struct CompileOptions {
  bool index_tumours = true;  ///< tumour-anchor index (off: every criterion is a candidate)
};

class DecisionGraph {
 public:
  ir::RuleSet const& rules() const noexcept { return *rules_; }
  ir::RuleSetPtr const& rules_ptr() const noexcept { return rules_; }
  catalog::Catalog const& catalog() const noexcept { return *catalog_; }
  Graph const& graph() const noexcept { return graph_; }

  // Flat evaluation arrays (index = IR node id; nodes are in topological order).
  std::vector<std::uint8_t> op;        ///< ir::Op
  std::vector<std::uint32_t> atom;     ///< atom id for kAtom nodes
  std::vector<std::uint32_t> kid_off;  ///< kids of node n: kids[kid_off[n] .. kid_off[n+1])
  std::vector<std::uint32_t> kids;

  /// Per criterion, what evaluate reads on its hot path, packed: ir::Criterion is ~440 bytes
  /// of mostly report text with its tumour set in heap vectors, so reading it for every
  /// candidate cost cache misses. Tumour sets and exclusion nodes are ranges into the two
  /// arrays below.
  struct CriterionHot {
    std::uint32_t when = 0;
    std::uint32_t require = 0xFFFFFFFFu;                 ///< ir::kNoNode when absent
    std::uint32_t include_begin = 0, include_end = 0;    ///< into hot_tumours
    std::uint32_t except_begin = 0, except_end = 0;      ///< into hot_tumours
    std::uint32_t excludes_begin = 0, excludes_end = 0;  ///< into hot_excludes
    bool any = false, solid = false;
    bool evidence = false;  ///< approved or standard_of_care (may give off-label evidence)
  };
  std::vector<CriterionHot> hot;
  std::vector<catalog::TumourId> hot_tumours;
  std::vector<ir::NodeId> hot_excludes;

  /// A leaf whose absence, once decided, makes a gated criterion's `when` false: a gene
  /// (with origin and the alteration kinds its atoms need) or a categorical/numeric biomarker.
  struct Trigger {
    bool biomarker = false;
    static constexpr std::uint32_t kNoGene = 0xFFFFFFFFu;
    std::string name;                 ///< gene symbol or biomarker name
    std::uint32_t gene_id = kNoGene;  ///< genes: catalog::GeneCatalog::index
    ast::Origin origin = ast::Origin::kAny;
    std::uint8_t kinds = 0;  ///< model::DetectKind mask (genes)
    bool numeric = false;    ///< biomarkers: a number is compared
  };
  struct TriggerGroup {
    Trigger trigger;
    std::vector<ir::CriterionId> criteria;
  };

  // Ungated criteria (their `when` may hold without any finding: wild type, `not`, clinical
  // terms…) are candidates whenever their tumour anchor is in the patient's lineage.
  std::vector<std::vector<ir::CriterionId>> by_tumour;  ///< per OncoTree node: criteria anchored there
  std::vector<ir::CriterionId> unanchored;              ///< SOLID / any / no index
  // Gated criteria are candidates only when a trigger is undecided for the patient (not
  // covered by a test) or has a finding (by_gene / by_biomarker below).
  std::vector<std::vector<TriggerGroup>> gated_by_tumour;  ///< per OncoTree node; each list by gene id
  std::vector<TriggerGroup> gated_unanchored;
  /// Per OncoTree node: the trigger groups of its whole lineage (every ancestor-or-self's
  /// gated_by_tumour), merged into one list in ascending trigger order, as (anchor, index)
  /// pairs. evaluate checks a patient's gated criteria with one forward coverage scan over
  /// this list and gated_unanchored instead of one scan per lineage anchor.
  std::vector<std::vector<std::pair<catalog::TumourId, std::uint32_t>>> gated_lineage;
  /// The order of trigger groups in every list above (gene id, then biomarker name).
  static bool trigger_less(Trigger const& a, Trigger const& b) noexcept;
  /// Finding gene and kind → every criterion (all classes: the tumour-matched ones for
  /// matches, approved/SoC elsewhere for off-label evidence) whose `when` has an atom of that
  /// gene that a finding of that kind can make true or unknown: an amplification does not
  /// reach `EGFR p.L858R` rules, a point mutation does not reach fusion rules. Keyed
  /// finding_key(gene, finding_kind(type)).
  /// Hash of a key given as std::string or std::string_view: the evaluator builds each
  /// finding's key in one reused buffer and looks it up as a view, without allocating a string
  /// per finding (heterogeneous lookup, C++20).
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const noexcept { return std::hash<std::string_view>{}(key); }
  };
  using KeyIndex = std::unordered_map<std::string, std::vector<ir::CriterionId>, KeyHash, std::equal_to<>>;
  KeyIndex by_gene;
  static std::string finding_key(std::string const& gene, char kind);
  /// The same key written into `out` (its capacity reused).
  static void finding_key(std::string& out, std::string_view gene, char kind);
  /// 'v' variant, 'x' exon skipping, 'f' fusion, 'c' copy number (0 for biomarkers).
  static char finding_kind(model::FindingType type) noexcept;
  /// Keyed "NAME=value" for categorical `NAME = value` atoms (a finding with that exact value
  /// reaches them) and "NAME*" for the rest (numbers, `!=`: any finding of NAME reaches them).
  KeyIndex by_biomarker;
  std::size_t gated_count = 0;  ///< criteria with a trigger set (for tests and docs)

  DecisionGraph(ir::RuleSetPtr rules, std::shared_ptr<catalog::Catalog const> catalog)
      : rules_(std::move(rules)), catalog_(std::move(catalog)) {}
  Graph graph_;

 private:
  ir::RuleSetPtr rules_;
  std::shared_ptr<catalog::Catalog const> catalog_;
};

/// Build the graph and its indexes. The rule set must come from sema::check.
std::shared_ptr<DecisionGraph const> compile(ir::RuleSetPtr rules, std::shared_ptr<catalog::Catalog const> catalog,
                                             CompileOptions const& options = {});

/// Graphviz DOT text of the graph (`actionable graph --format dot`). Deterministic.
std::string to_dot(DecisionGraph const& graph);

}  // namespace actionable::graph
