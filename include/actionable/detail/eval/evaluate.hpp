// Evaluation of a patient against criteria: per criterion, does the tumour set contain the
// patient's tumour, and what are `when`, `require` and each `exclude` (Kleene values).
// Two evaluators produce this: the compiled DecisionGraph (evaluate, the product) and the
// reference tree walker (evaluate_reference, the test oracle). Both list every criterion
// that can produce output; the graph skips those it can prove produce none.
#pragma once

#include <memory>
#include <vector>

#include "actionable/detail/eval/kleene.hpp"
#include "actionable/detail/eval/patient_view.hpp"
#include "actionable/detail/ir/rule_set.hpp"
#include "actionable/detail/util/id_map.hpp"

namespace actionable::graph {
class DecisionGraph;
}

namespace actionable::eval {

using util::IdMap;

struct CriterionValue {
  ir::CriterionId id = 0;
  bool tumour = false;
  Tri when = Tri::kFalse;
  Tri require = Tri::kTrue;   ///< kTrue when the criterion has no require
  std::vector<Tri> excludes;  ///< one per exclude clause (empty unless evaluated)
};

/// Memoised node and atom values of one patient over one rule set's IR (small hash maps
/// keyed by node / atom id, sized to what the patient touches), atom values with the
/// findings that support them and what would decide them. The compiled evaluator fills it
/// while it walks (with short-circuit: nodes it never reached stay unset), classify and the
/// explain trace complete it on demand, so no atom is evaluated twice for one patient.
/// Values are exact Kleene values whichever evaluator set them, so explanations do not
/// depend on who did.
class NodeMemo {
 public:
  NodeMemo(ir::RuleSet const& rules, PatientView const& patient) : rules_(rules), patient_(patient) {}
  /// The value of a node, evaluating every unset descendant (no short-circuit).
  Tri value(ir::NodeId node);
  /// The value of an atom, with its findings and missing tests.
  AtomValue const& atom(ir::AtomId atom);

  /// For evaluators: the memoised value of a node, if set.
  bool known(ir::NodeId node, Tri& out) const noexcept {
    auto const* v = nodes_.find(node);
    if (!v) return false;
    out = static_cast<Tri>(*v);
    return true;
  }
  void set(ir::NodeId node, Tri v) { nodes_.put(node, static_cast<std::uint32_t>(v)); }

 private:
  ir::RuleSet const& rules_;
  PatientView const& patient_;
  IdMap nodes_;      ///< node id → Tri
  IdMap atom_slot_;  ///< atom id → index into atoms_
  std::vector<AtomValue> atoms_;
};

struct Evaluation {
  std::vector<CriterionValue> criteria;  ///< sorted by id
  std::size_t nodes_evaluated = 0;       ///< work done (for benchmarks and tests)
  /// The compiled evaluator's memo, handed on so that classify reuses its atom values
  /// (null from the reference oracle, which shares nothing on purpose). It refers to the
  /// PatientView and rule set it was computed from: classify an Evaluation while both live.
  std::shared_ptr<NodeMemo> memo;
};

/// The compiled, indexed evaluator. noexcept: allocation failure terminates.
Evaluation evaluate(graph::DecisionGraph const& graph, PatientView const& patient) noexcept;

/// The slow, obviously correct oracle: walks every criterion's IR tree recursively, no index,
/// no memo, no short-circuit. FOR TESTING ONLY.
Evaluation evaluate_reference(ir::RuleSet const& rules, PatientView const& patient);

}  // namespace actionable::eval
