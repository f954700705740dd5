// HGVS protein-change normalisation (dsl.md §2 features, patient.md "hgvsp").
//
// Accepts 1-letter and 3-letter amino acids, with or without "p." and the
// predicted-change parentheses "p.(…)", stops written "*", "Ter" or "X",
// and the edit kinds substitution, synonymous "=", del, ins, dup, delins,
// fs, ext, start loss (p.M1?/p.Met1?), p.? and p.0. Every accepted change has
// one canonical 1-letter spelling (to_string), so two spellings of the same
// change compare equal. No exceptions: parse errors are values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace actionable::hgvs {

/// The kind of a protein-level edit.
enum class EditKind : std::uint8_t {
  kSubstitution,  ///< p.V600E: one residue replaced by another (missense)
  kNonsense,      ///< p.R213*: a residue replaced by a stop
  kSynonymous,    ///< p.G7= (or p.=): no change to the protein
  kDeletion,      ///< p.E746_A750del
  kInsertion,     ///< p.D770_N771insSVD
  kDuplication,   ///< p.A767_V769dup
  kDelIns,        ///< p.L747_P753delinsS
  kFrameshift,    ///< p.S1982Rfs*22 (also short form p.S1982fs)
  kExtension,     ///< p.*110Glnext*17, p.M1ext-5 (stop lost / N-terminal extension)
  kStartLoss,     ///< p.M1? (initiation codon affected, consequence unknown)
  kUnknown,       ///< p.? (effect unknown)
  kNoProtein,     ///< p.0 (no protein produced)
  kPosition,      ///< p.G12 (a bare codon, used by rules as "any change at codon 12")
};

/// A normalised protein change. Positions are 1-based residue numbers.
struct ProteinChange {
  EditKind kind = EditKind::kUnknown;
  char ref_first = 0;         ///< 1-letter residue at `first` ('*' for stop; 0 if not given)
  std::int32_t first = 0;     ///< first affected residue (0 for p.?, p.0, p.=)
  char ref_last = 0;          ///< residue at `last` (== ref_first for a single position)
  std::int32_t last = 0;      ///< last affected residue (== first for a single position)
  std::string alt;            ///< 1-letter residues: substitution target, inserted or replacement
                              ///< sequence, frameshift's first new residue ("" when not given)
  std::int32_t fs_stop = -1;  ///< frameshift / extension new-stop distance; -1 when not given
  bool predicted = false;     ///< written inside parentheses p.(…)

  /// Canonical 1-letter form with "p." prefix: p.V600E, p.R213*, p.E746_A750del,
  /// p.D770_N771insSVD, p.A767_V769dup, p.L747_P753delinsS, p.S1982Rfs*22, p.G7=, p.G12,
  /// p.?, p.0, p.M1?. Parentheses are dropped (prediction is not part of identity).
  std::string to_string() const;

  /// Residues removed from the protein by this edit (del/delins: last-first+1; dup/ins: 0;
  /// substitution: 1).
  std::int32_t deleted_count() const noexcept;
  /// Residues added (ins: alt.size(); dup: last-first+1; delins: alt.size(); substitution: 1).
  std::int32_t inserted_count() const noexcept;

  /// True for changes that alter the protein: everything except kSynonymous, kUnknown
  /// and kPosition. (kNoProtein, kStartLoss, kExtension, kFrameshift, kNonsense count.)
  bool is_nonsynonymous() const noexcept;
  /// In-frame del/ins/dup/delins (not frameshift).
  bool is_inframe_indel() const noexcept;
  /// Nonsense, frameshift, start loss or p.0.
  bool is_truncating() const noexcept;

  friend bool operator==(ProteinChange const&, ProteinChange const&) = default;
};

/// Parse one protein change. `text` may be "p.V600E", "p.Val600Glu", "p.(V600E)", "V600E",
/// "p.Arg213Ter", "R213X", "p.E746_A750del", "p.Ser1982ArgfsTer22", "p.S1982fs", "p.G12",
/// "p.(Gly7=)", …  Leading/trailing ASCII blanks are ignored. Returns nullopt on anything else,
/// and then, when `error` is not null, stores a one-line reason there (e.g.
/// "unknown amino acid 'Xyz' at column 3").
std::optional<ProteinChange> parse_protein(std::string_view text, std::string* error = nullptr);

/// 1-letter code for a 3-letter amino acid ("Val" -> 'V', "Ter" -> '*'), case-insensitive
/// first letter; 0 when unknown.
char aa3_to_aa1(std::string_view aa3) noexcept;
/// 3-letter code for a 1-letter residue ('V' -> "Val", '*' -> "Ter"); "" when unknown.
std::string_view aa1_to_aa3(char aa1) noexcept;

}  // namespace actionable::hgvs
