// Exon → protein-residue ranges for key cancer genes (LRG records; no restrictions on use).
//
// Loaded from rules/reference/exon_aa_ranges.tsv (shared/data/exon_aa_ranges/
// lrg_exon_protein_ranges.tsv). One reference transcript per gene: the first transcript listed
// for the gene, except where `preferred` says otherwise (MET: NM_001127500, the clinical
// numbering in which exon 14 = residues 981–1028). A codon split across a junction belongs to
// both exons.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace actionable::catalog {

struct ExonRange {
  std::int32_t exon = 0;      ///< conventional exon number along the transcript (exon_ordinal)
  std::int32_t aa_start = 0;  ///< first residue (1-based, inclusive)
  std::int32_t aa_end = 0;    ///< last residue (inclusive)
};

class ExonTable {
 public:
  ExonTable() = default;
  static std::optional<ExonTable> load_tsv(std::string const& path, std::string version, std::string* error);
  static std::optional<ExonTable> parse_tsv(std::string_view text, std::string origin, std::string version,
                                            std::string* error);

  /// True when the gene has a reference transcript in the table.
  bool has_gene(std::string_view gene) const;
  /// The RefSeq transcript used for `gene` ("" when absent).
  std::string transcript(std::string_view gene) const;
  /// Exons containing residue `aa` (0, 1 or 2 exons — 2 at a split codon), ascending.
  std::vector<std::int32_t> exons_of(std::string_view gene, std::int32_t aa) const;
  /// The residue range of one exon; nullopt when the gene or (coding) exon is unknown.
  std::optional<ExonRange> range(std::string_view gene, std::int32_t exon) const;
  /// Number of exons (coding or not) of the gene's reference transcript; 0 when unknown.
  std::int32_t exon_count(std::string_view gene) const;
  std::string const& version() const noexcept { return version_; }

 private:
  struct Gene {
    std::string transcript;
    std::int32_t exon_count = 0;
    std::vector<ExonRange> coding;  // ascending by exon
  };
  std::unordered_map<std::string, Gene> genes_;
  std::string version_;
};

}  // namespace actionable::catalog
