// ir::link: several checked rule sets side by side as one IR (rule_set.hpp).
#include "actionable/detail/ir/rule_set.hpp"

namespace actionable::ir {

RuleSet link(std::vector<RuleSet> parts) {
  RuleSet out;
  for (std::uint32_t k = 0; k < parts.size(); ++k) {
    auto& part = parts[k];
    auto const atom_base = static_cast<AtomId>(out.atoms.size());
    auto const node_base = static_cast<NodeId>(out.nodes.size());
    auto shift = [node_base](NodeId n) { return n == kNoNode ? n : n + node_base; };
    out.parts.push_back(RuleSetPart{part.name, part.version, part.sha256});
    out.sources.insert(out.sources.end(), part.sources.begin(), part.sources.end());
    for (auto& a : part.atoms) out.atoms.push_back(std::move(a));
    for (auto& n : part.nodes) {
      if (n.op == Op::kAtom) n.atom += atom_base;
      for (auto& kid : n.kids) kid = shift(kid);
      out.nodes.push_back(std::move(n));
    }
    for (auto& d : part.defines) {
      d.node = shift(d.node);
      out.defines.push_back(std::move(d));
    }
    for (auto& c : part.criteria) {
      c.when = shift(c.when);
      c.require = shift(c.require);
      for (auto& e : c.excludes) e.node = shift(e.node);
      c.ruleset = k;
      out.criteria.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace actionable::ir
