// Exon → residue-range table loader and queries (include/actionable/catalog/exons.hpp).
//
// Parses exon_aa_ranges.tsv (columns found by name), picks one reference transcript per gene
// (the first listed, except a preferred accession such as MET NM_001127500, matched with or
// without its version suffix) and keeps that transcript's coding exons sorted by exon number.
// No exceptions escape: IO failures and malformed rows become "origin:line: message".
#include "catalog/text.hpp"
#include "actionable/catalog/exons.hpp"

#include <algorithm>
#include <charconv>
#include <exception>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

namespace actionable::catalog {
namespace {

using namespace detail;

/// Genes whose reference transcript is not the first one listed: gene → accession (no version).
struct Preferred {
  std::string_view gene;
  std::string_view accession;
};
constexpr Preferred kPreferred[] = {
    {"MET", "NM_001127500"},  // clinical numbering: exon 14 = residues 981–1028
};

std::optional<std::int32_t> parse_int(std::string_view s) {
  std::int32_t value = 0;
  auto const [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

/// "NM_001127500.1" and "NM_001127500" both match accession "NM_001127500".
bool same_accession(std::string_view transcript, std::string_view accession) {
  if (transcript.substr(0, accession.size()) != accession) return false;
  return transcript.size() == accession.size() || transcript[accession.size()] == '.';
}

struct Row {
  std::int32_t exon = 0;
  bool coding = false;
  std::int32_t aa_start = 0, aa_end = 0;
  std::size_t line = 0;
};

struct GeneRows {
  std::vector<std::string> transcript_order;            // first-seen order
  std::map<std::string, std::vector<Row>> transcripts;  // transcript -> rows
};

}  // namespace

// load_tsv / parse_tsv as every catalog table has them (genes.cpp, oncotree.cpp): the public entry
// points of each class; the shared work is already detail::load_tsv and read_tsv.
std::optional<ExonTable> ExonTable::load_tsv(std::string const& path, std::string version, std::string* error) {
  return detail::load_tsv<ExonTable>(path, std::move(version), error);
}

std::optional<ExonTable> ExonTable::parse_tsv(std::string_view text, std::string origin, std::string version,
                                              std::string* error) {
  try {
    text = strip_bom(text);
    std::map<std::string, GeneRows> by_gene;
    std::string message;
    std::size_t col_gene = 0, col_tx = 0, col_exon = 0, col_start = 0, col_end = 0, col_coding = 0;

    auto add_row = [&](std::size_t line_no, std::vector<std::string_view> const& f) {
      auto fail = [&](std::string const& what) {
        message = where(origin, line_no) + what;
        return false;
      };
      if (f[col_gene].empty()) return fail("empty gene");
      if (f[col_tx].empty()) return fail("empty transcript");
      Row row;
      row.line = line_no;
      auto const exon = parse_int(f[col_exon]);
      if (!exon || *exon < 1) {
        return fail("exon_ordinal '" + std::string(f[col_exon]) + "' is not a positive integer");
      }
      row.exon = *exon;
      if (f[col_coding] == "yes") {
        auto const s = parse_int(f[col_start]);
        auto const e = parse_int(f[col_end]);
        if (!s || !e || *s < 1 || *e < *s) {
          return fail("coding exon needs 1 <= aa_start <= aa_end, found '" + std::string(f[col_start]) + "'–'" +
                      std::string(f[col_end]) + "'");
        }
        row.coding = true;
        row.aa_start = *s;
        row.aa_end = *e;
      } else if (f[col_coding] != "no") {
        return fail("coding must be 'yes' or 'no', found '" + std::string(f[col_coding]) + "'");
      }
      auto& gene = by_gene[std::string(f[col_gene])];
      std::string const tx(f[col_tx]);
      auto [it, fresh] = gene.transcripts.try_emplace(tx);
      if (fresh) gene.transcript_order.push_back(tx);
      for (auto const& other : it->second) {
        if (other.exon == row.exon) {
          return fail("exon " + std::to_string(row.exon) + " of " + tx + " repeats line " + std::to_string(other.line));
        }
      }
      it->second.push_back(row);
      return true;
    };
    // The column list is this table's own; the reading is catalog's shared read_tsv (as in genes.cpp).
    bool const ok = read_tsv(text, origin,
                             {{"gene", &col_gene},
                              {"transcript", &col_tx},
                              {"exon_ordinal", &col_exon},
                              {"aa_start", &col_start},
                              {"aa_end", &col_end},
                              {"coding", &col_coding}},
                             {}, message, add_row);
    if (!ok) {
      set_error(error, std::move(message));
      return std::nullopt;
    }

    ExonTable table;
    table.version_ = std::move(version);
    for (auto& [gene_name, rows] : by_gene) {
      std::string chosen = rows.transcript_order.front();
      for (auto const& pref : kPreferred) {
        if (pref.gene != gene_name) continue;
        for (auto const& tx : rows.transcript_order) {
          if (same_accession(tx, pref.accession)) {
            chosen = tx;
            break;
          }
        }
      }
      auto& tx_rows = rows.transcripts[chosen];
      Gene gene;
      gene.transcript = chosen;
      gene.exon_count = static_cast<std::int32_t>(tx_rows.size());
      for (auto const& row : tx_rows) {
        if (row.coding) gene.coding.push_back(ExonRange{row.exon, row.aa_start, row.aa_end});
      }
      std::sort(gene.coding.begin(), gene.coding.end(),
                [](ExonRange const& a, ExonRange const& b) { return a.exon < b.exon; });
      table.genes_.emplace(gene_name, std::move(gene));
    }
    return table;
  } catch (std::exception const& e) {
    set_error(error, origin + ": " + e.what());
    return std::nullopt;
  }
}

bool ExonTable::has_gene(std::string_view gene) const { return genes_.find(std::string(gene)) != genes_.end(); }

std::string ExonTable::transcript(std::string_view gene) const {
  auto const it = genes_.find(std::string(gene));
  return it == genes_.end() ? std::string{} : it->second.transcript;
}

std::vector<std::int32_t> ExonTable::exons_of(std::string_view gene, std::int32_t aa) const {
  std::vector<std::int32_t> out;
  auto const it = genes_.find(std::string(gene));
  if (it == genes_.end()) return out;
  for (auto const& r : it->second.coding) {
    if (r.aa_start <= aa && aa <= r.aa_end) out.push_back(r.exon);
  }
  return out;  // ascending: `coding` is sorted by exon
}

std::optional<ExonRange> ExonTable::range(std::string_view gene, std::int32_t exon) const {
  auto const it = genes_.find(std::string(gene));
  if (it == genes_.end()) return std::nullopt;
  for (auto const& r : it->second.coding) {
    if (r.exon == exon) return r;
  }
  return std::nullopt;
}

std::int32_t ExonTable::exon_count(std::string_view gene) const {
  auto const it = genes_.find(std::string(gene));
  return it == genes_.end() ? 0 : it->second.exon_count;
}

}  // namespace actionable::catalog
