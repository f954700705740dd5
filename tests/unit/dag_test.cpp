// util::depth_first / util::preorder, the one DAG walk of the house (src/util/dag.hpp): visit
// order, one visit per key on shared sub-expressions, the pruning of `visit`, context keys, and
// a chain deeper than any recursion would survive.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "util/dag.hpp"

using namespace actionable;

namespace {

struct DagNode {
  std::vector<std::uint32_t> kids;
};

// 0 = and(1, 2, 3); 1 = or(4, 5); 2 = not(4); 3 = and(5); 4, 5 leaves. 4 and 5 are shared.
std::vector<DagNode> diamond() { return {{{1, 2, 3}}, {{4, 5}}, {{4}}, {{5}}, {{}}, {{}}}; }

}  // namespace

TEST_CASE("preorder: left to right, each node once, pruned where visit says no") {
  auto nodes = diamond();
  std::vector<std::uint32_t> seen;
  util::preorder(nodes, 0, [&](std::uint32_t n, DagNode const&) {
    seen.push_back(n);
    return true;
  });
  CHECK(seen == std::vector<std::uint32_t>{0, 1, 4, 5, 2, 3});

  seen.clear();
  util::preorder(nodes, 0, [&](std::uint32_t n, DagNode const&) {
    seen.push_back(n);
    return n != 1;  // not below 1: 4 is then reached through 2, 5 through 3
  });
  CHECK(seen == std::vector<std::uint32_t>{0, 1, 2, 4, 3, 5});

  seen.clear();
  util::preorder(nodes, 4, [&](std::uint32_t n, DagNode const&) {
    seen.push_back(n);
    return true;
  });
  CHECK(seen == std::vector<std::uint32_t>{4});
}

TEST_CASE("depth_first: a node under two contexts is handled once per context") {
  auto nodes = diamond();
  struct Item {
    std::uint32_t node;
    bool neg;
  };
  std::vector<std::pair<std::uint32_t, bool>> seen;
  util::depth_first(
      Item{0, false}, [](Item it) { return std::uint64_t{it.node} << 1 | it.neg; },
      [&](Item it, auto&& push) {
        seen.emplace_back(it.node, it.neg);
        bool flip = it.node == 2;  // 2 is the `not`
        for (auto k : nodes[it.node].kids) push(Item{k, it.neg != flip});
      });
  using P = std::pair<std::uint32_t, bool>;
  CHECK(seen == std::vector<P>{{0, false}, {1, false}, {4, false}, {5, false}, {2, false}, {4, true}, {3, false}});
}

TEST_CASE("depth_first: kids pushed right to left are handled right to left") {
  auto nodes = diamond();
  std::vector<std::uint32_t> seen;
  util::depth_first(
      std::uint32_t{0}, [](std::uint32_t n) { return std::uint64_t{n}; },
      [&](std::uint32_t n, auto&& push) {
        seen.push_back(n);
        for (auto k = nodes[n].kids.rbegin(); k != nodes[n].kids.rend(); ++k) push(*k);
      });
  CHECK(seen == std::vector<std::uint32_t>{0, 3, 5, 2, 4, 1});
}

TEST_CASE("preorder: a chain of 1,000,000 nodes (no recursion) and a dense DAG (one visit each)") {
  std::vector<DagNode> chain(1'000'000);
  for (std::uint32_t i = 0; i + 1 < chain.size(); ++i) chain[i].kids = {i + 1};
  std::size_t count = 0;
  util::preorder(chain, 0, [&](std::uint32_t, DagNode const&) {
    ++count;
    return true;
  });
  CHECK(count == chain.size());

  // Every node points at every later node: 2^n paths, n visits.
  std::vector<DagNode> dense(40);
  for (std::uint32_t i = 0; i < dense.size(); ++i)
    for (std::uint32_t j = i + 1; j < dense.size(); ++j) dense[i].kids.push_back(j);
  count = 0;
  util::preorder(dense, 0, [&](std::uint32_t, DagNode const&) {
    ++count;
    return true;
  });
  CHECK(count == dense.size());
}
