// Semantic checks and lowering (dsl.md §1–§4, §7): ast::File… → ir::RuleSet.
//
// Passes, in order: names (ruleset, duplicates), defines (unknown references, cycles,
// depth; lowered in dependency order so no recursion crosses a define), criteria (clauses,
// genes, OncoTree codes, protein changes, levels, feasibility), tests (patients built from
// test blocks). Every problem is a Diagnostic with a stable code (docs/errors.md).
//
// This file holds the entry point and passes 1–2; the Checker they share is declared in
// checker.hpp and its other parts live in names.cpp, expressions.cpp, criteria.cpp and tests.cpp.
#include "actionable/detail/sema/check.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "sema/checker.hpp"
#include "util/dag.hpp"

namespace actionable::sema {
namespace detail {

// ---- pass 1: names ----------------------------------------------------------------

void Checker::declare(std::string const& name, Span s, char const* what) {
  auto [it, inserted] = global_names.emplace(name, s);
  if (!inserted) {
    diags.error("E101", s, std::string("'") + name + "' is already defined (" + what + ")",
                {"first defined at " + it->second.location()});
  }
}

void Checker::names() {
  std::optional<Span> ruleset_span;
  for (std::size_t i = 0; i < files.size(); ++i) {
    set_file(i);
    for (auto const& r : file->rulesets) {
      if (ruleset_span) {
        diags.error("E104", span(r), "a rule set has one 'ruleset' declaration",
                    {"first declared at " + ruleset_span->location(),
                     "to use several rule sets side by side, give each its own --rules (docs/language.md)"});
        continue;
      }
      ruleset_span = span(r);
      rs.name = r.name.text;
      rs.version = r.version.text;
    }
    for (std::size_t d = 0; d < file->defines.size(); ++d) {
      auto const& def = file->defines[d];
      declare(def.name.text, span(def.name), "define");
      define_decls.emplace(def.name.text, DefineRef{i, d});
    }
    for (auto const& b : file->blocks) {
      declare(b.name.text, span(b.name),
              b.kind == ast::BlockKind::kRule    ? "rule"
              : b.kind == ast::BlockKind::kTrial ? "trial"
                                                 : "precision2 cohort");
    }
  }
  if (!ruleset_span && options.require_ruleset) {
    Diagnostic d;
    d.severity = Severity::kError;
    d.code = "E105";
    d.path = files.empty() ? std::string("actionable") : files.front().source->path();
    d.message = "no 'ruleset \"NAME\" version \"V\"' declaration in the rule set";
    diags.add(std::move(d));
  }
}

// ---- pass 2: defines (cycles, depth, lowering in dependency order) -----------------

void Checker::collect_refs(ast::File const& f, std::uint32_t root, std::vector<ast::Name const*>& out) {
  // Kids right to left: the order of `out` is the order in which the cycle search below
  // follows references, and so which cycle E103 reports first.
  util::depth_first(
      root, [](std::uint32_t id) { return std::uint64_t{id}; },
      [&](std::uint32_t id, auto&& push) {
        auto const& n = f.pool.nodes[id];
        if (n.op == ast::ExprOp::kRef) out.push_back(&f.pool.refs[n.payload]);
        for (auto k = n.kids.rbegin(); k != n.kids.rend(); ++k) push(*k);
      });
}

void Checker::defines() {
  // dependency graph among defines
  std::map<std::string, std::vector<std::string>> deps;
  for (auto const& [name, ref] : define_decls) {
    auto const& f = files[ref.file].file;
    std::vector<ast::Name const*> refs;
    collect_refs(f, f.defines[ref.index].expr, refs);
    auto& d = deps[name];
    for (auto const* r : refs)
      if (define_decls.count(r->text)) d.push_back(r->text);
  }
  // iterative DFS: colour 0 white, 1 grey, 2 black; find cycles and a topological order
  std::map<std::string, int> colour;
  std::map<std::string, std::size_t> depth;
  std::vector<std::string> order;
  std::set<std::string> in_cycle;
  for (auto const& [start, _] : define_decls) {
    if (colour[start] != 0) continue;
    std::vector<std::pair<std::string, std::size_t>> stack{{start, 0}};
    std::vector<std::string> path{start};
    colour[start] = 1;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      auto const& ds = deps[node];
      if (next < ds.size()) {
        auto const& m = ds[next++];
        if (colour[m] == 1) {
          // cycle: path from m to node
          auto it = std::find(path.begin(), path.end(), m);
          std::string chain;
          for (auto p = it; p != path.end(); ++p) chain += *p + " -> ";
          chain += m;
          bool fresh = true;
          for (auto p = it; p != path.end(); ++p) fresh = in_cycle.insert(*p).second && fresh;
          if (fresh) {
            auto ref = define_decls[m];
            set_file(ref.file);
            diags.error("E103", span(file->defines[ref.index].name), "'define' cycle: " + chain);
          }
        } else if (colour[m] == 0) {
          colour[m] = 1;
          stack.push_back({m, 0});
          path.push_back(m);
        }
      } else {
        std::size_t dd = 0;
        for (auto const& m : ds) dd = std::max(dd, depth[m] + 1);
        depth[node] = dd;
        colour[node] = 2;
        order.push_back(node);
        stack.pop_back();
        path.pop_back();
      }
    }
  }
  for (auto const& name : order) {
    auto ref = define_decls[name];
    set_file(ref.file);
    auto const& def = file->defines[ref.index];
    if (in_cycle.count(name)) continue;
    if (depth[name] > options.max_define_depth) {
      diags.error("E106", span(def.name),
                  "'" + name + "' nests defines " + std::to_string(depth[name]) + " deep (limit " +
                      std::to_string(options.max_define_depth) + ")");
      continue;
    }
    bool deps_ok = true;
    for (auto const& m : deps[name]) deps_ok = deps_ok && define_nodes.count(m);
    if (!deps_ok) continue;
    auto body = lower_expr(def.expr);
    if (!body) continue;
    // A define gets its own node (not shared with identical plain expressions), so that
    // explanations can name it.
    ir::Node n = rs.nodes[*body];
    n.define = name;
    n.define_span = span(def.name);
    rs.nodes.push_back(std::move(n));
    auto id = static_cast<ir::NodeId>(rs.nodes.size() - 1);
    define_nodes[name] = id;
    rs.defines.push_back({name, id, span(def.name)});
  }
}

}  // namespace detail

std::optional<ir::RuleSet> check(std::vector<ParsedFile> const& files, catalog::Catalog const& catalog,
                                 Diagnostics& diags, CheckOptions const& options) {
  std::size_t errors_before = diags.error_count();
  detail::Checker c{files, catalog, diags, options};
  for (auto const& f : files) c.rs.sources.push_back(f.source);
  // Limits (docs/reliability.md): the number of rules, trials and cohorts of one rule set,
  // checked before any pass, whose work grows with it (default 10x the largest benchmark).
  std::size_t const kMaxBlocks = options.max_blocks;
  std::size_t blocks = 0;
  for (auto const& f : files) blocks += f.file.blocks.size();
  if (blocks > kMaxBlocks) {
    Diagnostic d;
    d.severity = Severity::kError;
    d.code = "E108";
    d.path = files.front().source->path();
    d.message = "the rule set has " + std::to_string(blocks) + " rules, trials and cohorts, more than the limit of " +
                std::to_string(kMaxBlocks);
    diags.add(std::move(d));
    return std::nullopt;
  }
  c.names();
  c.defines();
  c.criteria();
  c.tests();
  if (diags.error_count() != errors_before) return std::nullopt;
  return std::move(c.rs);
}

}  // namespace actionable::sema
