// HGNC gene catalog loader and lookups (include/actionable/catalog/genes.hpp).
//
// Parses hgnc_symbols.tsv (columns found by name in the header), keeps the approved symbols
// sorted, and indexes previous symbols and aliases by their ASCII-upper-cased spelling (other
// bytes, e.g. Greek letters in UTF-8, are compared as they are). A non-approved key resolves only
// when all its previous-symbol and alias entries point to one gene (NEU: alias of ERBB2 and
// previous symbol of NEU1 → ambiguous). No exceptions escape: IO failures become the error.
#include "catalog/text.hpp"
#include "actionable/catalog/genes.hpp"

#include <algorithm>
#include <bit>
#include <exception>
#include <fstream>
#include <sstream>
#include <tuple>
#include <utility>

namespace actionable::catalog {
namespace {

/// The characters of an upper-cased symbol as a set: A-Z and 0-9 a bit each, any other byte
/// one of the remaining 28 bits (two such bytes may share a bit, which only lets more symbols
/// through suggest's filter, never fewer).
std::uint64_t char_mask(std::string_view folded) {
  std::uint64_t m = 0;
  for (char ch : folded) {
    auto const c = static_cast<unsigned char>(ch);
    unsigned const bit = c >= 'A' && c <= 'Z' ? c - 'A' : c >= '0' && c <= '9' ? 26 + (c - '0') : 36 + c % 28;
    m |= std::uint64_t{1} << bit;
  }
  return m;
}

using namespace detail;

struct RawGene {
  std::string symbol, hgnc_id;
  std::vector<std::string> aliases, previous;
};

/// Adds `gene` to the candidate list of `key` once.
void add_key(std::unordered_map<std::string, std::vector<std::uint32_t>>& index, std::string_view key,
             std::uint32_t gene) {
  if (key.empty()) return;
  auto& list = index[upper_ascii(key)];
  if (std::find(list.begin(), list.end(), gene) == list.end()) list.push_back(gene);
}

/// The hash the symbol indexes are built and searched with.
std::uint64_t symbol_hash(std::string_view s) noexcept { return std::hash<std::string_view>{}(s); }

}  // namespace

// The catalog tables' load_tsv / parse_tsv pair (as exons.cpp, oncotree.cpp); shared work is detail::load_tsv.
std::optional<GeneCatalog> GeneCatalog::load_tsv(std::string const& path, std::string version, std::string* error) {
  return detail::load_tsv<GeneCatalog>(path, std::move(version), error);
}

std::optional<GeneCatalog> GeneCatalog::parse_tsv(std::string_view text, std::string origin, std::string version,
                                                  std::string* error) {
  try {
    text = strip_bom(text);
    std::vector<RawGene> genes;
    std::unordered_map<std::string, std::size_t> folded_line;  // upper-cased symbol -> line
    std::string message;
    std::size_t col_id = 0, col_symbol = 0, col_alias = 0, col_prev = 0, col_status = 0;

    auto add_row = [&](std::size_t line_no, std::vector<std::string_view> const& f) {
      if (f[col_symbol].empty()) {
        message = where(origin, line_no) + "empty symbol";
        return false;
      }
      // The HGNC complete set holds only approved genes; skip anything else defensively.
      if (f[col_status] != "Approved") return true;
      auto const [it, fresh] = folded_line.emplace(upper_ascii(f[col_symbol]), line_no);
      if (!fresh) {
        message = where(origin, line_no) + "symbol '" + std::string(f[col_symbol]) +
                  "' repeats (case-insensitively) the symbol of line " + std::to_string(it->second);
        return false;
      }
      RawGene gene;
      gene.symbol = std::string(f[col_symbol]);
      gene.hgnc_id = std::string(f[col_id]);
      for (auto const a : split(f[col_alias], '|')) {
        if (!a.empty()) gene.aliases.emplace_back(a);
      }
      for (auto const p : split(f[col_prev], '|')) {
        if (!p.empty()) gene.previous.emplace_back(p);
      }
      genes.push_back(std::move(gene));
      return true;
    };
    // The column list is this table's own; the reading is catalog's shared read_tsv (as in exons.cpp).
    bool const ok = read_tsv(text, origin,
                             {{"hgnc_id", &col_id},
                              {"symbol", &col_symbol},
                              {"alias_symbols", &col_alias},
                              {"prev_symbols", &col_prev},
                              {"status", &col_status}},
                             {}, message, add_row);
    if (!ok) {
      set_error(error, std::move(message));
      return std::nullopt;
    }

    std::sort(genes.begin(), genes.end(), [](RawGene const& a, RawGene const& b) { return a.symbol < b.symbol; });
    GeneCatalog catalog;
    catalog.version_ = std::move(version);
    catalog.symbols_.reserve(genes.size());
    std::vector<std::uint64_t> exact, folded;
    exact.reserve(genes.size());
    folded.reserve(genes.size());
    for (std::uint32_t i = 0; i < genes.size(); ++i) {
      catalog.symbols_.push_back(genes[i].symbol);
      exact.push_back(symbol_hash(genes[i].symbol));
      std::string const upper = upper_ascii(genes[i].symbol);
      folded.push_back(symbol_hash(upper));
      catalog.char_masks_.push_back(char_mask(upper));
      if (!genes[i].hgnc_id.empty()) catalog.by_hgnc_id_.emplace(genes[i].hgnc_id, i);
    }
    catalog.approved_.build(exact);
    catalog.folded_.build(folded);
    for (std::uint32_t i = 0; i < genes.size(); ++i) {
      for (auto const& a : genes[i].aliases) add_key(catalog.alias_, a, i);
      for (auto const& p : genes[i].previous) add_key(catalog.previous_, p, i);
    }
    return catalog;
  } catch (std::exception const& e) {
    set_error(error, origin + ": " + e.what());
    return std::nullopt;
  }
}

std::optional<std::string> GeneCatalog::symbol_of_id(std::string_view hgnc_id) const {
  auto it = by_hgnc_id_.find(std::string(hgnc_id));
  if (it == by_hgnc_id_.end()) return std::nullopt;
  return symbols_[it->second];
}

GeneLookup GeneCatalog::lookup(std::string_view symbol) const {
  GeneLookup out;
  if (symbol.empty()) return out;
  if (auto const i = index(symbol)) {
    out.match = GeneMatch::kApproved;
    out.symbol = symbols_[*i];
    out.index = *i;
    return out;
  }
  std::string const folded = upper_ascii(symbol);
  if (auto const i =
          folded_.find(symbol_hash(folded), [&](std::uint32_t at) { return util::iequals(symbols_[at], symbol); })) {
    out.match = GeneMatch::kCaseFold;
    out.symbol = symbols_[*i];
    out.index = *i;
    return out;
  }
  // Union of the genes the key names as a previous symbol or as an alias.
  std::vector<std::uint32_t> genes;
  bool from_previous = false;
  if (auto const it = previous_.find(folded); it != previous_.end()) {
    genes = it->second;
    from_previous = !genes.empty();
  }
  if (auto const it = alias_.find(folded); it != alias_.end()) {
    for (auto const g : it->second) {
      if (std::find(genes.begin(), genes.end(), g) == genes.end()) genes.push_back(g);
    }
  }
  if (genes.empty()) return out;  // kUnknown
  if (genes.size() == 1) {
    out.match = from_previous ? GeneMatch::kPrevious : GeneMatch::kAlias;
    out.symbol = symbols_[genes.front()];
    out.index = genes.front();
    return out;
  }
  out.match = GeneMatch::kAmbiguous;
  std::sort(genes.begin(), genes.end());  // indices follow the sorted symbols
  for (auto const g : genes) out.candidates.push_back(symbols_[g]);
  return out;
}

bool GeneCatalog::is_approved(std::string_view symbol) const { return index(symbol).has_value(); }

std::optional<std::uint32_t> GeneCatalog::index(std::string_view symbol) const {
  return approved_.find(symbol_hash(symbol), [&](std::uint32_t at) { return symbols_[at] == symbol; });
}

void detail::SymbolIndex::build(std::vector<std::uint64_t> const& hashes) {
  std::size_t size = 16;
  while (size < 2 * hashes.size()) size *= 2;  // at most half full: a probe always ends
  slots_.assign(size, 0);
  mask_ = size - 1;
  for (std::size_t position = 0; position < hashes.size(); ++position) {
    std::size_t i = hashes[position] & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = (hashes[position] >> 32 << 32) | (position + 1);
  }
}

std::vector<std::string> GeneCatalog::suggest(std::string_view symbol, std::size_t max) const {
  std::vector<std::string> out;
  if (max == 0 || symbol.empty()) return out;
  std::string const query = upper_ascii(symbol);
  std::uint64_t const query_mask = char_mask(query);
  constexpr std::size_t kLimit = 2;
  // (distance, length difference, index): at equal distance a same-length symbol (substitution,
  // transposition: EGRF -> EGFR) ranks before an insertion or deletion (EGRF -> EGF). A distance
  // must stay below the query length so that very short queries do not match every short symbol.
  std::vector<std::tuple<std::size_t, std::size_t, std::uint32_t>> close;
  std::string folded;  // one buffer for every symbol's upper-case form
  for (std::uint32_t i = 0; i < symbols_.size(); ++i) {
    std::string const& s = symbols_[i];
    std::size_t const len_diff = s.size() > query.size() ? s.size() - query.size() : query.size() - s.size();
    if (len_diff > kLimit) continue;
    // Each edit removes at most one character of the query and adds at most one: a symbol
    // lacking more than kLimit of the query's characters, or holding more than kLimit others,
    // is farther than kLimit. The filter skips most symbols before the distance is computed
    // (a hint took ~3 ms, and a fuzzed record asked for thousands: docs/reliability.md).
    if (std::popcount(query_mask & ~char_masks_[i]) > static_cast<int>(kLimit) ||
        std::popcount(char_masks_[i] & ~query_mask) > static_cast<int>(kLimit))
      continue;
    folded.assign(s);
    for (char& c : folded) c = upper_ascii(c);
    std::size_t const d = osa_distance(query, folded, kLimit);
    if (d <= kLimit && d < query.size()) close.emplace_back(d, len_diff, i);
  }
  std::sort(close.begin(), close.end());  // ties by symbol: indices follow the sorted symbols
  for (auto const& [d, len_diff, i] : close) {
    if (out.size() == max) break;
    out.push_back(symbols_[i]);
  }
  return out;
}

}  // namespace actionable::catalog
