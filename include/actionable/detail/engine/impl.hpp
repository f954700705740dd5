// Engine internals shared by the engine module (src/engine) and the JSON adapters of the io
// module (src/io/engine_json.cpp, which defines Engine::match_json & co.). Not public API.
#pragma once

#include <memory>
#include <vector>

#include "actionable/detail/eval/pathway.hpp"
#include "actionable/detail/graph/decision_graph.hpp"
#include "actionable/detail/ir/rule_set.hpp"
#include "actionable/engine.hpp"

namespace actionable {

struct Engine::Impl {
  std::shared_ptr<catalog::Catalog const> catalog;
  std::vector<RuleSource> sources;
  ir::RuleSetPtr rules;
  std::shared_ptr<graph::DecisionGraph const> graph;
  RuleSetInfo info;
  std::vector<RuleSetInfo> parts;  ///< each rule set's identity (one entry when single)
  /// Rule sets side by side: each part compiled alone, for its rule-author tests (empty when single).
  std::vector<std::shared_ptr<Engine const>> part_engines;
};

namespace engine_detail {

/// eval::Outcome (criterion ids into `rules`) → the self-contained public Outcome.
Outcome to_outcome(eval::Outcome const& outcome, ir::RuleSet const& rules, RuleSetInfo const& info);

/// The public reference and class of a criterion (its rule set named when several are used).
CriterionRef criterion_ref(ir::Criterion const& c, ir::RuleSet const& rules);
OptionClass class_of(ir::Class c) noexcept;

/// The tumour id of `patient.tumour_code` when the loaded OncoTree knows it (hand-built
/// patients may leave `tumour` unset); nullopt otherwise.
std::optional<catalog::TumourId> resolve_tumour(model::Patient const& patient, catalog::Catalog const& catalog);

}  // namespace engine_detail
}  // namespace actionable
