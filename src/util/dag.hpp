// The house's one depth-first walk over the DAGs of ids it keeps (the AST's expression pool,
// the IR's nodes): sema's reference collection, the graph compiler's leaf collection, the
// explanation trace and the pathway's four explanation walks all go through it. Iterative
// (an explicit stack: no recursion limit on a deep rule), and each key is handled once, so a
// sub-expression shared by many parents costs one visit. Not through it, and why: the two
// evaluators (eval/evaluate.cpp) are post-order folds that combine kid values and stop early;
// sema's define-cycle search keeps a grey/black colouring and the path to report a cycle.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "actionable/detail/util/id_map.hpp"

namespace actionable::util {

/// Depth-first walk from `root`. `expand(item, push)` handles one item and calls `push(next)`
/// for the items below it; those are handled in the order pushed, each with everything below
/// it, before the item's later siblings (pre-order). An item whose `key(item)` (a 64-bit id,
/// not ~0) was already handled is skipped.
template <class Item, class Key, class Expand>
void depth_first(Item root, Key&& key, Expand&& expand) {
  std::vector<Item> stack{root};
  // The keys handled: the first kInline in an array scanned in order (a walk of one criterion
  // mostly touches a handful of nodes: no allocation, no zeroed table), the rest in a map.
  constexpr std::size_t kInline = 32;
  std::uint64_t first[kInline];
  std::size_t n_first = 0;
  BasicIdMap<std::uint64_t> more;
  auto handled = [&](std::uint64_t k) {
    if (std::find(first, first + n_first, k) != first + n_first) return true;
    if (n_first < kInline) {
      first[n_first++] = k;
      return false;
    }
    return !more.insert(k);
  };
  while (!stack.empty()) {
    Item it = stack.back();
    stack.pop_back();
    if (handled(key(it))) continue;
    std::size_t const mark = stack.size();
    expand(it, [&stack](Item next) { stack.push_back(next); });
    std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(mark), stack.end());
  }
}

/// Pre-order walk of the nodes reachable from `root` in `nodes` (each node has a `kids` list of
/// ids), each node once, kids left to right. `visit(id, node)` returns whether to go below it.
template <class Nodes, class Visit>
void preorder(Nodes const& nodes, std::uint32_t root, Visit&& visit) {
  depth_first(
      root, [](std::uint32_t n) { return std::uint64_t{n}; },
      [&](std::uint32_t n, auto&& push) {
        auto const& node = nodes[n];
        if (visit(n, node))
          for (auto k : node.kids) push(k);
      });
}

}  // namespace actionable::util
