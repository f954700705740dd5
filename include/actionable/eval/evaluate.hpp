// Evaluation of a patient against criteria: per criterion, does the tumour set contain the
// patient's tumour, and what are `when`, `require` and each `exclude` (Kleene values).
// Two evaluators produce this: the compiled DecisionGraph (evaluate, the product) and the
// reference tree walker (evaluate_reference, the test oracle). Both list every criterion
// that can produce output; the graph skips those it can prove produce none.
#pragma once

#include <unordered_map>
#include <vector>

#include "actionable/eval/kleene.hpp"
#include "actionable/eval/patient_view.hpp"
#include "actionable/ir/rule_set.hpp"

namespace actionable::graph {
class DecisionGraph;
}

namespace actionable::eval {

struct CriterionValue {
  ir::CriterionId id = 0;
  bool tumour = false;
  Tri when = Tri::kFalse;
  Tri require = Tri::kTrue;     ///< kTrue when the criterion has no require
  std::vector<Tri> excludes;    ///< one per exclude clause (empty unless evaluated)
};

struct Evaluation {
  std::vector<CriterionValue> criteria;  ///< sorted by id
  std::size_t nodes_evaluated = 0;       ///< work done (for benchmarks and tests)
};

/// The compiled, indexed evaluator. noexcept: allocation failure terminates.
Evaluation evaluate(graph::DecisionGraph const& graph, PatientView const& patient) noexcept;

/// The slow, obviously correct oracle: walks every criterion's IR tree recursively, no index,
/// no memo, no short-circuit. FOR TESTING ONLY.
Evaluation evaluate_reference(ir::RuleSet const& rules, PatientView const& patient);

/// Memoised node values over the IR (iterative; used for explanations).
class NodeMemo {
 public:
  NodeMemo(ir::RuleSet const& rules, PatientView const& patient) : rules_(rules), patient_(patient) {}
  Tri value(ir::NodeId node);
  AtomValue const& atom(ir::AtomId atom);

 private:
  ir::RuleSet const& rules_;
  PatientView const& patient_;
  std::unordered_map<ir::NodeId, Tri> nodes_;
  std::unordered_map<ir::AtomId, AtomValue> atoms_;
};

}  // namespace actionable::eval
