// The decision trace (see trace.hpp). Walks each reached criterion's expression DAG
// iteratively and records every node once, depth first, with its value.
#include "actionable/detail/explain/trace.hpp"

#include <memory>

#include "util/dag.hpp"

namespace actionable::explain {

Steps trace(ir::RuleSet const& rs, eval::PatientView const& p, eval::Evaluation const& evaluation) {
  auto const& pat = p.patient();
  auto const& tree = p.catalog().oncotree;
  Steps out;
  for (auto a : tree.lineage(pat.tumour)) out.lineage.push_back(tree.code(a));
  out.solid = tree.is_solid(pat.tumour);
  // The compiled evaluator's memo (atom values, findings, missing tests), as classify uses it:
  // the trace explains the evaluation that was made, it does not evaluate again.
  std::shared_ptr<eval::NodeMemo> owned = evaluation.memo ? evaluation.memo : std::make_shared<eval::NodeMemo>(rs, p);
  eval::NodeMemo& memo = *owned;
  for (auto const& v : evaluation.criteria) {
    auto const& c = rs.criteria[v.id];
    Step st;
    st.criterion = v.id;
    st.tumour = c.tumour.contains(tree, pat.tumour, &st.tumour_reason);
    if (!st.tumour) {
      std::string codes;
      for (auto const& x : c.tumour.include_codes) codes += (codes.empty() ? "" : ", ") + x;
      if (!c.tumour.except_codes.empty()) {
        codes += " except ";
        for (std::size_t i = 0; i < c.tumour.except_codes.size(); ++i)
          codes += (i ? ", " : "") + c.tumour.except_codes[i];
      }
      st.tumour_reason = pat.tumour_code + " is not in " + codes;
    }
    st.when = memo.value(c.when);
    util::preorder(rs.nodes, c.when, [&](ir::NodeId n, ir::Node const& node) {
      if (!node.define.empty())
        st.lines.push_back(Line{true, node.define, node.define_span.file_line(), memo.value(n), {}, {}});
      if (node.op == ir::Op::kAtom) {
        auto const& av = memo.atom(node.atom);
        st.lines.push_back(Line{false, rs.atoms[node.atom].display, "", av.value, av.findings, av.missing});
      }
      return true;
    });
    if (c.require != ir::kNoNode) st.require = memo.value(c.require);
    for (auto const& e : c.excludes) st.excludes.push_back(memo.value(e.node));
    out.steps.push_back(std::move(st));
  }
  return out;
}

}  // namespace actionable::explain
