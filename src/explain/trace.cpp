// The decision trace (see trace.hpp). Walks each reached criterion's expression DAG
// iteratively and prints every atom once with its value.
#include "actionable/detail/explain/trace.hpp"

#include <memory>
#include <set>

namespace actionable::explain {

std::string trace(ir::RuleSet const& rs, eval::PatientView const& p,
                  eval::Evaluation const& evaluation, eval::Outcome const& outcome) {
  auto const& pat = p.patient();
  auto const& tree = p.catalog().oncotree;
  std::string s;
  s += "Patient " + pat.id + "\n";
  s += "  tumour " + pat.tumour_code + " (" + tree.name(pat.tumour) + "); lineage:";
  for (auto a : tree.lineage(pat.tumour)) s += " " + tree.code(a);
  s += tree.is_solid(pat.tumour) ? " — solid tumour\n" : " — not a solid tumour\n";
  s += p.closed_world() ? "  no tests declared: absent findings count as not found (coverage assumed)\n"
                        : "  tests declared: " + std::to_string(pat.tests.size()) +
                              " (a gene outside them is unknown, not wild type)\n";
  for (std::size_t i = 0; i < pat.findings.size(); ++i)
    s += "  finding #" + std::to_string(i) + ": " + pat.findings[i].normalised() + "\n";
  // The compiled evaluator's memo (atom values, findings, missing tests), as classify uses it:
  // the trace explains the evaluation that was made, it does not evaluate again.
  std::shared_ptr<eval::NodeMemo> owned = evaluation.memo ? evaluation.memo : std::make_shared<eval::NodeMemo>(rs, p);
  eval::NodeMemo& memo = *owned;
  s += "\nCriteria reached by this patient's tumour and findings: " +
       std::to_string(evaluation.criteria.size()) + " of " + std::to_string(rs.criteria.size()) + "\n";
  for (auto const& v : evaluation.criteria) {
    auto const& c = rs.criteria[v.id];
    std::string name = c.kind == ir::CriterionKind::kArm ? "trial " + c.name + " arm \"" + c.arm + "\""
                       : c.kind == ir::CriterionKind::kCohort ? "precision2 " + c.name
                                                             : "rule " + c.name;
    s += "\n" + name + " [" + ir::class_name(c.cls) + "] (" + c.span.file_line() + ")\n";
    std::string why;
    if (c.tumour.contains(tree, pat.tumour, &why)) {
      s += "  1. tumour: yes — " + why + "\n";
    } else {
      std::string codes;
      for (auto const& x : c.tumour.include_codes) codes += (codes.empty() ? "" : ", ") + x;
      if (!c.tumour.except_codes.empty()) {
        codes += " except ";
        for (std::size_t i = 0; i < c.tumour.except_codes.size(); ++i)
          codes += (i ? ", " : "") + c.tumour.except_codes[i];
      }
      s += "  1. tumour: no — " + pat.tumour_code + " is not in " + codes + "\n";
    }
    s += "  2. when: " + std::string(eval::tri_name(memo.value(c.when))) + "\n";
    std::vector<ir::NodeId> stack{c.when};
    std::set<ir::NodeId> seen;
    while (!stack.empty()) {
      auto n = stack.back();
      stack.pop_back();
      if (!seen.insert(n).second) continue;
      auto const& node = rs.nodes[n];
      if (!node.define.empty())
        s += "       " + node.define + " (" + node.define_span.file_line() + ") is " +
             eval::tri_name(memo.value(n)) + "\n";
      if (node.op == ir::Op::kAtom) {
        auto const& a = rs.atoms[node.atom];
        auto const& av = memo.atom(node.atom);
        s += "       " + a.display + ": " + eval::tri_name(av.value);
        if (!av.findings.empty()) {
          s += " — ";
          for (std::size_t i = 0; i < av.findings.size(); ++i)
            s += (i ? ", " : "") + std::string("#") + std::to_string(av.findings[i]) + " " +
                 pat.findings[av.findings[i]].normalised();
        }
        if (!av.missing.empty()) {
          s += " — missing: ";
          for (std::size_t i = 0; i < av.missing.size(); ++i) s += (i ? ", " : "") + av.missing[i];
        }
        s += "\n";
      }
      for (auto k = node.kids.rbegin(); k != node.kids.rend(); ++k) stack.push_back(*k);
    }
    if (c.require != ir::kNoNode)
      s += "  3. require " + c.require_text + ": " + eval::tri_name(memo.value(c.require)) + "\n";
    for (auto const& e : c.excludes)
      s += "  4. exclude " + e.text + ": " + eval::tri_name(memo.value(e.node)) + "\n";
    if (c.kind != ir::CriterionKind::kRule)
      s += "  5. status: " + std::string(ir::status_name(c.status)) + "\n";
  }
  s += "\nOutcome: recommended " + outcome.recommended + "; options:";
  for (auto const& o : outcome.options) s += " " + o;
  s += "\n";
  return s;
}

}  // namespace actionable::explain
