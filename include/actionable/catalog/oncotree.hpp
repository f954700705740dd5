// OncoTree tumour-type hierarchy as an immutable value (dsl.md §3).
//
// Loaded from the flattened TSV (rules/reference/oncotree_2025_10_03.tsv, CC-BY 4.0, MSK).
// Ancestor checks are O(1): each node gets pre/post DFS numbers, and `a` is an ancestor-or-self
// of `n` iff pre[a] <= pre[n] && post[n] <= post[a]. No global state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace actionable::catalog {

/// Index of a node in an OncoTree (dense, 0..size()-1). The root "TISSUE" is a node too.
using TumourId = std::uint32_t;

class OncoTree {
 public:
  OncoTree() = default;

  /// Load the TSV (columns code, name, main_type, tissue, parent, level, …; header line first).
  /// `version` is a label such as "oncotree_2025_10_03". Returns nullopt and fills `error`
  /// ("path:line: message") on a malformed file, a missing parent or a cycle.
  static std::optional<OncoTree> load_tsv(std::string const& path, std::string version, std::string* error);
  /// Same, from text already in memory (`origin` names it in errors).
  static std::optional<OncoTree> parse_tsv(std::string_view text, std::string origin, std::string version,
                                           std::string* error);

  std::size_t size() const noexcept { return nodes_.size(); }
  std::string const& version() const noexcept { return version_; }

  /// Exact, case-sensitive code lookup ("LUAD"); nullopt when unknown.
  std::optional<TumourId> find(std::string_view code) const;
  std::string const& code(TumourId id) const { return nodes_[id].code; }
  std::string const& name(TumourId id) const { return nodes_[id].name; }
  std::string const& main_type(TumourId id) const { return nodes_[id].main_type; }
  std::string const& tissue(TumourId id) const { return nodes_[id].tissue; }
  /// Parent, or nullopt for the root.
  std::optional<TumourId> parent(TumourId id) const;
  /// Depth (root = 0).
  std::uint32_t level(TumourId id) const { return nodes_[id].level; }

  /// True when `ancestor` is `node` or one of its ancestors. O(1).
  bool is_descendant(TumourId node, TumourId ancestor) const noexcept {
    return pre_[ancestor] <= pre_[node] && post_[node] <= post_[ancestor];
  }
  /// Solid tumour: not in the lymphoid (LYMPH) or myeloid (MYELOID) tissue trees, and not the root.
  bool is_solid(TumourId id) const noexcept;

  /// Up to `max` known codes closest to `code` (case-insensitive edit distance, then name
  /// match), for "did you mean" notes. Empty when nothing is reasonably close.
  std::vector<std::string> suggest(std::string_view code, std::size_t max = 3) const;

  /// Path from the root to `id` inclusive, as ids.
  std::vector<TumourId> lineage(TumourId id) const;

  /// A code retired in an earlier OncoTree release (the TSV's history, revocations and
  /// precursors columns: "GBM" → GB): the current node(s) that carry it and how.
  struct Retired {
    std::vector<TumourId> current;  ///< one: maps cleanly; several: ambiguous (a split)
    std::string how;                ///< "renamed" (history), "revoked" or "precursor"
  };
  /// nullopt when `code` is a current code or was never one.
  std::optional<Retired> retired(std::string_view code) const;
  /// The retired codes a node carries, as "GBM (revoked)".
  std::vector<std::string> history_of(TumourId id) const;

 private:
  struct Node {
    std::string code, name, main_type, tissue;
    std::optional<TumourId> parent;
    std::uint32_t level = 0;
  };
  std::vector<Node> nodes_;
  std::vector<std::uint32_t> pre_, post_;
  std::unordered_map<std::string, TumourId> by_code_;
  std::unordered_map<std::string, Retired> retired_;
  std::vector<std::vector<std::string>> history_;  ///< per node: "GBM (revoked)", …
  std::string version_;
};

}  // namespace actionable::catalog
