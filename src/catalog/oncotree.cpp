// OncoTree loader and queries (include/actionable/catalog/oncotree.hpp).
//
// Parses the flattened OncoTree TSV (header line; columns found by name), links parents in a
// second pass so rows may come in any order, and numbers nodes by an iterative DFS (pre/post
// order) so ancestor checks are O(1). Malformed rows, duplicate codes, missing parents, a level
// that disagrees with the tree depth and cycles are reported as "origin:line: message".
// No exceptions escape: file-IO failures become the error string.
#include "catalog/text.hpp"
#include "actionable/catalog/oncotree.hpp"

#include <algorithm>
#include <charconv>
#include <exception>
#include <fstream>
#include <sstream>
#include <tuple>
#include <utility>

namespace actionable::catalog {
namespace {

using namespace detail;

constexpr std::string_view kLymphCode = "LYMPH";
constexpr std::string_view kMyeloidCode = "MYELOID";

bool contains_ci(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return false;
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char a, char b) { return upper_ascii(a) == upper_ascii(b); }) != haystack.end();
}

struct RawRow {
  std::string code, name, main_type, tissue, parent;
  std::uint32_t level = 0;
  std::size_t line = 0;
  std::vector<std::pair<std::string, char const*>> old_codes;  ///< (retired code, how)
};

}  // namespace

// The catalog tables' load_tsv / parse_tsv pair (as exons.cpp, genes.cpp); shared work is detail::load_tsv.
std::optional<OncoTree> OncoTree::load_tsv(std::string const& path, std::string version, std::string* error) {
  return detail::load_tsv<OncoTree>(path, std::move(version), error);
}

std::optional<OncoTree> OncoTree::parse_tsv(std::string_view text, std::string origin, std::string version,
                                            std::string* error) {
  try {
    text = strip_bom(text);
    std::vector<RawRow> rows;
    std::string message;
    // Column positions, from the header.
    std::size_t col_code = 0, col_name = 0, col_main = 0, col_tissue = 0, col_parent = 0, col_level = 0;
    // Optional: codes of earlier releases (history = renamed, revocations, precursors).
    std::optional<std::size_t> col_history, col_revocations, col_precursors;

    auto add_row = [&](std::size_t line_no, std::vector<std::string_view> const& f) {
      RawRow row;
      row.line = line_no;
      row.code = std::string(f[col_code]);
      row.name = std::string(f[col_name]);
      row.main_type = std::string(f[col_main]);
      row.tissue = std::string(f[col_tissue]);
      row.parent = std::string(f[col_parent]);
      auto old_codes = [&](std::optional<std::size_t> col, char const* how) {
        if (!col || *col >= f.size()) return;
        std::string_view v = f[*col];
        std::size_t start = 0;
        while (start <= v.size()) {
          auto end = v.find_first_of(",|", start);
          if (end == std::string_view::npos) end = v.size();
          auto c = v.substr(start, end - start);
          while (!c.empty() && c.front() == ' ') c.remove_prefix(1);
          while (!c.empty() && c.back() == ' ') c.remove_suffix(1);
          if (!c.empty()) row.old_codes.emplace_back(std::string(c), how);
          start = end + 1;
        }
      };
      old_codes(col_history, "renamed");
      old_codes(col_revocations, "revoked");
      old_codes(col_precursors, "precursor");
      if (row.code.empty()) {
        message = where(origin, line_no) + "empty code";
        return false;
      }
      std::string_view const lv = f[col_level];
      auto const [ptr, ec] = std::from_chars(lv.data(), lv.data() + lv.size(), row.level);
      if (lv.empty() || ec != std::errc{} || ptr != lv.data() + lv.size()) {
        message = where(origin, line_no) + "level '" + std::string(lv) + "' is not a non-negative integer";
        return false;
      }
      rows.push_back(std::move(row));
      return true;
    };
    bool const ok =
        read_tsv(text, origin,
                 {{"code", &col_code},
                  {"name", &col_name},
                  {"main_type", &col_main},
                  {"tissue", &col_tissue},
                  {"parent", &col_parent},
                  {"level", &col_level}},
                 {{"history", &col_history}, {"revocations", &col_revocations}, {"precursors", &col_precursors}},
                 message, add_row);
    if (!ok) {
      set_error(error, std::move(message));
      return std::nullopt;
    }
    if (rows.empty()) {
      set_error(error, origin + ":2: no tumour types after the header");
      return std::nullopt;
    }

    OncoTree tree;
    tree.version_ = std::move(version);
    tree.nodes_.reserve(rows.size());
    tree.by_code_.reserve(rows.size());
    for (auto& row : rows) {
      auto const id = static_cast<TumourId>(tree.nodes_.size());
      if (!tree.by_code_.emplace(row.code, id).second) {
        set_error(error, where(origin, row.line) + "duplicate code '" + row.code + "'");
        return std::nullopt;
      }
      Node node;
      node.code = row.code;
      node.name = std::move(row.name);
      node.main_type = std::move(row.main_type);
      node.tissue = std::move(row.tissue);
      tree.nodes_.push_back(std::move(node));
    }
    tree.history_.resize(rows.size());
    for (TumourId id = 0; id < rows.size(); ++id)
      for (auto const& [old, how] : rows[id].old_codes) {
        if (tree.by_code_.count(old)) continue;  // still a current code: never remapped
        auto& r = tree.retired_[old];
        if (std::find(r.current.begin(), r.current.end(), id) == r.current.end()) r.current.push_back(id);
        if (r.how.empty()) r.how = how;
        tree.history_[id].push_back(old + " (" + how + ")");
      }

    // Link parents; exactly one root (empty parent).
    std::vector<std::vector<TumourId>> children(rows.size());
    std::optional<TumourId> root;
    for (TumourId id = 0; id < rows.size(); ++id) {
      auto const& row = rows[id];
      if (row.parent.empty()) {
        if (root) {
          set_error(error, where(origin, row.line) + "second root '" + row.code + "' (first is '" +
                               tree.nodes_[*root].code + "')");
          return std::nullopt;
        }
        root = id;
        continue;
      }
      auto const it = tree.by_code_.find(row.parent);
      if (it == tree.by_code_.end()) {
        set_error(error,
                  where(origin, row.line) + "parent '" + row.parent + "' of '" + row.code + "' is not a known code");
        return std::nullopt;
      }
      if (it->second == id) {
        set_error(error, where(origin, row.line) + "'" + row.code + "' is its own parent");
        return std::nullopt;
      }
      tree.nodes_[id].parent = it->second;
      children[it->second].push_back(id);  // ascending id = file order
    }
    if (!root) {
      set_error(error,
                where(origin, rows.front().line) + "no root (a row with an empty parent) – the parents form a cycle");
      return std::nullopt;
    }

    // Iterative DFS from the root: pre/post numbers and depth.
    constexpr std::uint32_t kUnvisited = ~std::uint32_t{0};
    tree.pre_.assign(rows.size(), kUnvisited);
    tree.post_.assign(rows.size(), kUnvisited);
    std::uint32_t pre_counter = 0, post_counter = 0;
    std::vector<std::pair<TumourId, std::size_t>> stack;  // node, next child index
    stack.emplace_back(*root, 0);
    tree.pre_[*root] = pre_counter++;
    tree.nodes_[*root].level = 0;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < children[node].size()) {
        TumourId const child = children[node][next++];
        tree.pre_[child] = pre_counter++;
        tree.nodes_[child].level = tree.nodes_[node].level + 1;
        stack.emplace_back(child, 0);
      } else {
        tree.post_[node] = post_counter++;
        stack.pop_back();
      }
    }
    for (TumourId id = 0; id < rows.size(); ++id) {
      if (tree.pre_[id] == kUnvisited) {
        set_error(error, where(origin, rows[id].line) + "'" + rows[id].code + "' is not reachable from the root '" +
                             tree.nodes_[*root].code + "' (cycle in parents)");
        return std::nullopt;
      }
      if (tree.nodes_[id].level != rows[id].level) {
        set_error(error, where(origin, rows[id].line) + "level " + std::to_string(rows[id].level) + " of '" +
                             rows[id].code + "' disagrees with its depth " + std::to_string(tree.nodes_[id].level) +
                             " in the tree");
        return std::nullopt;
      }
    }
    return tree;
  } catch (std::exception const& e) {
    set_error(error, origin + ": " + e.what());
    return std::nullopt;
  }
}

std::optional<TumourId> OncoTree::find(std::string_view code) const {
  auto const it = by_code_.find(std::string(code));
  if (it == by_code_.end()) return std::nullopt;
  return it->second;
}

std::optional<TumourId> OncoTree::parent(TumourId id) const { return nodes_[id].parent; }

bool OncoTree::is_solid(TumourId id) const noexcept {
  if (id >= nodes_.size() || !nodes_[id].parent) return false;  // the root is not a tumour
  for (std::string_view code : {kLymphCode, kMyeloidCode}) {
    auto const it = by_code_.find(std::string(code));
    if (it != by_code_.end() && is_descendant(id, it->second)) return false;
  }
  return true;
}

std::vector<std::string> OncoTree::suggest(std::string_view code, std::size_t max) const {
  std::vector<std::string> out;
  if (max == 0 || code.empty()) return out;
  std::string const query = upper_ascii(code);

  // 1. Codes: exact (case-insensitive) first, then OSA distance <= 2; at equal distance a code of
  //    the query's length first (substitution/transposition before insertion/deletion), then by
  //    code. A distance must also stay below the query length, or a 1–2 letter query would
  //    match everything.
  std::vector<std::tuple<std::size_t, std::size_t, std::string const*>> close;
  std::string folded;  // one buffer for every code's folded form
  for (auto const& node : nodes_) {
    std::size_t const len_diff =
        node.code.size() > query.size() ? node.code.size() - query.size() : query.size() - node.code.size();
    if (len_diff > 2) continue;
    folded.assign(node.code);
    for (auto& c : folded) c = upper_ascii(c);
    std::size_t const d = osa_distance(query, folded, 2);  // only distances <= 2 are kept
    // A code that extends or truncates the query (NSCL → NSCLC) beats an unrelated code at
    // the same distance: rank prefix relations before the length difference.
    bool const prefix = folded.rfind(query, 0) == 0 || query.rfind(folded, 0) == 0;
    if (d <= 2 && d < query.size()) close.emplace_back(d, (prefix ? 0 : 4) + len_diff, &node.code);
  }
  auto const by_rank = [](auto const& a, auto const& b) {
    if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) < std::get<0>(b);
    if (std::get<1>(a) != std::get<1>(b)) return std::get<1>(a) < std::get<1>(b);
    return *std::get<2>(a) < *std::get<2>(b);
  };
  // Only the best `max` are wanted: a one-letter query can be close to hundreds of codes.
  auto const keep_close = close.begin() + static_cast<std::ptrdiff_t>(std::min(max, close.size()));
  std::partial_sort(close.begin(), keep_close, close.end(), by_rank);
  for (auto it = close.begin(); it != keep_close; ++it) out.push_back(*std::get<2>(*it));
  // A query of one or two letters is in hundreds of names: no name hint for it ("I" got
  // 'MGUSIGA', the shortest name holding an I).
  if (!out.empty() || query.size() < 3) return out;

  // 2. Fallback: codes whose name contains the query (an exact name first, then shorter names,
  //    then by code). Each key is computed once per node, not per comparison: a short query
  //    ("I") is in most names (found by the `patient` fuzz target, 2026-12-04).
  struct Named {
    bool exact;
    std::size_t size;
    Node const* node;
  };
  std::vector<Named> by_name;
  for (auto const& node : nodes_) {
    if (node.parent && contains_ci(node.name, code))
      by_name.push_back({util::iequals(node.name, query), node.name.size(), &node});
  }
  auto const keep_named = by_name.begin() + static_cast<std::ptrdiff_t>(std::min(max, by_name.size()));
  std::partial_sort(by_name.begin(), keep_named, by_name.end(), [](Named const& a, Named const& b) {
    if (a.exact != b.exact) return a.exact;
    if (a.size != b.size) return a.size < b.size;
    return a.node->code < b.node->code;
  });
  for (auto it = by_name.begin(); it != keep_named; ++it) out.push_back(it->node->code);
  return out;
}

std::optional<OncoTree::Retired> OncoTree::retired(std::string_view code) const {
  auto it = retired_.find(std::string(code));
  if (it == retired_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> OncoTree::history_of(TumourId id) const {
  return id < history_.size() ? history_[id] : std::vector<std::string>{};
}

std::vector<TumourId> OncoTree::lineage(TumourId id) const {
  std::vector<TumourId> path;
  if (id >= nodes_.size()) return path;
  for (std::optional<TumourId> cur = id; cur; cur = nodes_[*cur].parent) {
    path.push_back(*cur);
    if (path.size() > nodes_.size()) break;  // defensive: parse_tsv rejects cycles
  }
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace actionable::catalog
