// HGNC gene symbols with aliases and previous symbols, as an immutable value.
//
// Loaded from rules/reference/hgnc_symbols.tsv (HGNC complete set, CC0; cite HGNC).
// Lookup order (see shared/data/hgnc/SOURCE.md): exact approved symbol → approved symbol
// case-insensitively → unique previous symbol → unique alias (both case-insensitive) →
// otherwise ambiguous or unknown. An alias never overrides an approved symbol.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace actionable::catalog {

/// How a symbol was resolved.
enum class GeneMatch : std::uint8_t {
  kApproved,   ///< the approved HGNC symbol itself (exact case)
  kCaseFold,   ///< an approved symbol written in another case ("Erbb2")
  kPrevious,   ///< a unique previous symbol (MLL -> KMT2A)
  kAlias,      ///< a unique alias (HER2 -> ERBB2)
  kAmbiguous,  ///< an alias / previous symbol of several genes (candidates listed)
  kUnknown,    ///< nothing matched
};

struct GeneLookup {
  GeneMatch match = GeneMatch::kUnknown;
  std::string symbol;                   ///< the approved symbol (empty unless resolved)
  std::uint32_t index = 0;              ///< its index in symbols() (valid when resolved)
  std::vector<std::string> candidates;  ///< for kAmbiguous: approved symbols, sorted
  bool resolved() const noexcept {
    return match == GeneMatch::kApproved || match == GeneMatch::kCaseFold || match == GeneMatch::kPrevious ||
           match == GeneMatch::kAlias;
  }
};

namespace detail {

/// Positions 0..n-1 of a list of unique keys, found by the key's hash: open addressing with
/// linear probing in a power-of-two table at most half full, each slot 8 bytes (a 32-bit tag
/// of the hash and the position + 1; 0 is empty). Built once, then read-only. A lookup is one
/// probe of a flat array and, on a tag match, one comparison the caller gives — where
/// std::unordered_map walked a list of heap nodes per bucket (docs/performance.md,
/// "Reading and writing records").
class SymbolIndex {
 public:
  void build(std::vector<std::uint64_t> const& hashes);
  /// The position whose hash is `hash` and for which `is_it(position)` holds, or nothing.
  template <typename Eq>
  std::optional<std::uint32_t> find(std::uint64_t hash, Eq&& is_it) const {
    if (slots_.empty()) return std::nullopt;
    auto const tag = static_cast<std::uint32_t>(hash >> 32);
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
      std::uint64_t const slot = slots_[i];
      if (slot == 0) return std::nullopt;
      if (static_cast<std::uint32_t>(slot >> 32) == tag) {
        auto const position = static_cast<std::uint32_t>(slot) - 1;
        if (is_it(position)) return position;
      }
    }
  }

 private:
  std::vector<std::uint64_t> slots_;
  std::size_t mask_ = 0;
};

}  // namespace detail

class GeneCatalog {
 public:
  GeneCatalog() = default;
  /// Columns: hgnc_id, symbol, name, locus_group, alias_symbols, prev_symbols, status
  /// ('|'-separated lists). Returns nullopt and fills `error` ("path:line: message") when malformed.
  static std::optional<GeneCatalog> load_tsv(std::string const& path, std::string version, std::string* error);
  static std::optional<GeneCatalog> parse_tsv(std::string_view text, std::string origin, std::string version,
                                              std::string* error);

  GeneLookup lookup(std::string_view symbol) const;
  /// True for an approved symbol, exact case.
  bool is_approved(std::string_view symbol) const;
  /// The index of an approved symbol (exact case) in symbols(), a dense gene id: ids order
  /// as the symbols do, so a sorted symbol list maps to a sorted id list.
  std::optional<std::uint32_t> index(std::string_view symbol) const;
  /// Up to `max` approved symbols closest to `symbol` (edit distance ≤ 2), for "did you mean".
  std::vector<std::string> suggest(std::string_view symbol, std::size_t max = 3) const;
  /// The approved symbol of an HGNC id ("HGNC:1097" → "BRAF"); nullopt when unknown.
  std::optional<std::string> symbol_of_id(std::string_view hgnc_id) const;
  std::size_t size() const noexcept { return symbols_.size(); }
  /// Every approved symbol, sorted (byte order).
  std::vector<std::string> const& symbols() const noexcept { return symbols_; }
  std::string const& version() const noexcept { return version_; }

 private:
  std::vector<std::string> symbols_;       // approved, sorted
  detail::SymbolIndex approved_;           // hash of the exact symbol -> index
  detail::SymbolIndex folded_;             // hash of the upper-cased symbol -> index (unique: the loader checks)
  std::vector<std::uint64_t> char_masks_;  // per symbol: the characters of its upper-cased form (suggest's filter)
  std::unordered_map<std::string, std::vector<std::uint32_t>> previous_;  // upper-cased
  std::unordered_map<std::string, std::vector<std::uint32_t>> alias_;     // upper-cased
  std::unordered_map<std::string, std::uint32_t> by_hgnc_id_;             // "HGNC:n" -> index
  std::string version_;
};

}  // namespace actionable::catalog
