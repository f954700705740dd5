// Checker name resolution: genes (HGNC), OncoTree codes, protein changes, evidence levels, defines.
#include <algorithm>
#include <cctype>
#include <set>

#include "sema/checker.hpp"
#include "util/ascii.hpp"

namespace actionable::sema::detail {

bool is_biomarker_name(std::string const& n) {
  return n == "MSI" || n == "MMR" || n == "TMB" || n == "HRD" || n == "PDL1" || n == "PD-L1";
}

/// Valid evidence levels per scheme (docs/language.md, "Evidence levels").
bool valid_level(std::string const& scheme, std::string const& tier) {
  static const std::set<std::string> escat{"I-A", "I-B", "I-C", "II-A", "II-B", "III-A", "III-B", "IV-A", "V", "X"};
  static const std::set<std::string> oncokb{"1", "2", "3A", "3B", "4", "R1", "R2"};
  static const std::set<std::string> amp{"I",    "II",   "III", "IV", "I-A", "I-B",
                                         "II-C", "II-D", "IA",  "IB", "IIC", "IID"};
  static const std::set<std::string> civic{"A", "B", "C", "D", "E"};
  if (scheme == "ESCAT") return escat.count(tier) > 0;
  if (scheme == "OncoKB") return oncokb.count(tier) > 0;
  if (scheme == "AMP") return amp.count(tier) > 0;
  if (scheme == "CIViC") return civic.count(tier) > 0;
  return false;
}

std::optional<std::string> Checker::gene(ast::Name const& n) {
  auto look = catalog.genes.lookup(n.text);
  switch (look.match) {
    case catalog::GeneMatch::kApproved: return look.symbol;
    case catalog::GeneMatch::kCaseFold:
    case catalog::GeneMatch::kAlias:
    case catalog::GeneMatch::kPrevious: {
      char const* how = look.match == catalog::GeneMatch::kAlias      ? "an alias of"
                        : look.match == catalog::GeneMatch::kPrevious ? "a previous symbol of"
                                                                      : "written in another case for";
      diags.warning("W201", span(n),
                    "gene symbol '" + n.text + "' is " + how + " '" + look.symbol + "'; read as " + look.symbol,
                    {"write '" + look.symbol + "' to silence this warning"});
      return look.symbol;
    }
    case catalog::GeneMatch::kAmbiguous: {
      std::string c;
      for (auto const& s : look.candidates) c += (c.empty() ? "" : ", ") + s;
      diags.error("E202", span(n), "ambiguous gene symbol '" + n.text + "'",
                  {"it is an alias or previous symbol of " + c + "; write the approved symbol"});
      return std::nullopt;
    }
    case catalog::GeneMatch::kUnknown: break;
  }
  std::vector<std::string> notes;
  if (gene_hints < kMaxGeneHints) {
    ++gene_hints;
    auto sug = catalog.genes.suggest(n.text, 3);
    if (!sug.empty()) notes.push_back("did you mean '" + sug[0] + "'?");
  }
  diags.error("E201", span(n), "unknown gene '" + n.text + "' (not an HGNC symbol)", notes);
  return std::nullopt;
}

std::optional<catalog::TumourId> Checker::tumour_code(ast::Name const& n) {
  if (auto id = catalog.oncotree.find(n.text)) return id;
  auto const& tree = catalog.oncotree;
  if (auto old = tree.retired(n.text)) {
    if (old->current.size() == 1) {
      auto id = old->current.front();
      diags.warning("W212", span(n),
                    "'" + n.text + "' is a retired OncoTree code (" + old->how + "); read as " + tree.code(id) + " (" +
                        tree.name(id) + ", OncoTree " + tree.version() + ")",
                    {"write " + tree.code(id)});
      return id;
    }
    std::string list;
    for (auto id : old->current) list += (list.empty() ? "" : ", ") + tree.code(id);
    diags.error("E211", span(n),
                "'" + n.text + "' is a retired OncoTree code split into " + list + " (OncoTree " + tree.version() + ")",
                {"write the current code that fits"});
    return std::nullopt;
  }
  std::vector<std::string> notes;
  if (tumour_hints < kMaxTumourHints) {
    ++tumour_hints;
    auto sug = catalog.oncotree.suggest(n.text, 1);
    if (!sug.empty()) notes.push_back("did you mean '" + sug[0] + "'?");
  }
  diags.error("E211", span(n), "unknown OncoTree code '" + n.text + "' (OncoTree " + catalog.oncotree.version() + ")",
              notes);
  return std::nullopt;
}

std::optional<hgvs::ProteinChange> Checker::protein(ast::Name const& n, bool allow_position) {
  std::string why;
  auto pc = hgvs::parse_protein(n.text, &why);
  if (!pc) {
    diags.error("E221", span(n), "invalid protein change '" + n.text + "': " + why);
    return std::nullopt;
  }
  pc->predicted = false;
  using K = hgvs::EditKind;
  if (pc->kind == K::kSynonymous || pc->kind == K::kUnknown) {
    diags.error("E222", span(n), "'" + n.text + "' does not describe an alteration (synonymous or unknown effect)");
    return std::nullopt;
  }
  if (pc->kind == K::kPosition && !allow_position) {
    diags.error("E222", span(n), "'" + n.text + "' is a position, not a protein change");
    return std::nullopt;
  }
  return pc;
}

std::string Checker::closest_define(std::string const& name) const {
  std::string best;
  std::size_t best_d = 3;
  for (auto const& [n, _] : define_decls) {
    // Levenshtein distance, small strings
    std::vector<std::size_t> prev(n.size() + 1), cur(n.size() + 1);
    for (std::size_t j = 0; j <= n.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= name.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= n.size(); ++j)
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1,
                           prev[j - 1] + (util::to_upper(name[i - 1]) == util::to_upper(n[j - 1]) ? 0 : 1)});
      std::swap(prev, cur);
    }
    if (prev[n.size()] < best_d) {
      best_d = prev[n.size()];
      best = n;
    }
  }
  return best;
}

}  // namespace actionable::sema::detail
