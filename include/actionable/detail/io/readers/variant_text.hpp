// Interpreting the free-text cells of variant tables: MAF Variant_Classification -> Sequence
// Ontology consequence (patient.md: "consequence uses SO terms, as VEP writes them"), SO
// severity ranking (VEP's order, for '&'-joined lists), protein / cDNA change clean-up, fusion
// names (EML4-ALK, EML4--ALK, EML4::ALK, "ETV6-RUNX1 fusion", X-intragenic) and copy-number
// calls (GISTIC -2..2 or words). Pure functions; tested table-style in variant_text_test.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace actionable::io {

/// SO consequence for a MAF / Oncotator / cBioPortal / MOAlmanac / CTIMS variant class
/// ("Missense_Mutation", "Missense", "Splice Site", "Frame_Shift_Del", "In_Frame_Ins", …);
/// an SO term given as is is returned unchanged. `hgvsc` refines Splice_Site into
/// splice_donor_variant (c.N+1/+2) or splice_acceptor_variant (c.N-1/-2); without it a
/// splice site is "splice_site_variant" (the SO parent of both). nullopt when unknown.
std::optional<std::string> so_from_classification(std::string_view classification, std::string_view hgvsc = {});

/// Position in VEP's severity order (0 = most severe: transcript_ablation); unknown terms rank
/// after every known one.
int so_rank(std::string_view term) noexcept;

/// Normalises SnpEff-only terms to VEP's (disruptive_inframe_deletion -> inframe_deletion, …)
/// and returns the most severe of an '&'- or ','-joined list. "" for an empty list.
std::string most_severe_consequence(std::string_view list);

/// A protein change as the engine wants it: trimmed, "ENSP…:"/"NP_…:" prefix removed, %3D
/// decoded, "p." added when missing ("V600E" -> "p.V600E", "Gly12Cys" -> "p.Gly12Cys").
/// nullopt for missing values ("", ".", "NA", "p.?"-free blanks) and for pseudo-changes that are
/// not HGVS (MAF "p.X1445_splice", "p.*1445_splice"): then `splice_pseudo` is set when given.
std::optional<std::string> clean_protein_change(std::string_view raw, bool* splice_pseudo = nullptr);

/// A cDNA change without its transcript prefix ("ENST…:c.35G>A" -> "c.35G>A"); nullopt when
/// missing.
std::optional<std::string> clean_hgvsc(std::string_view raw);

/// A fusion as two genes. `intragenic` for "EGFR-intragenic" (gene5 == gene3).
struct FusionName {
  std::string gene5;
  std::string gene3;
  bool intragenic = false;
};
/// Parses "EML4-ALK", "EML4--ALK", "EML4::ALK", "EML4/ALK", "ETV6-RUNX1 fusion",
/// "EGFR-intragenic", and STAR-Fusion genes with Ensembl ids ("EML4^ENSG00000…").
/// Names with several single dashes (NKX2-1-…) are ambiguous: nullopt with `why` set.
std::optional<FusionName> parse_fusion_name(std::string_view s, std::string* why = nullptr);

/// Gene symbol without a STAR-Fusion / Ensembl suffix: "EML4^ENSG00000198087.7" -> "EML4".
std::string strip_gene_id(std::string_view s);

/// A copy-number call.
/// An HGNC gene id as VEP writes it ("HGNC:1097", older releases "1097") → "HGNC:1097";
/// "" when the text is not one.
std::string hgnc_id(std::string_view text);

struct CnaCall {
  std::string call;              ///< "amplification", "gain", "loss", "deletion"; "" = neutral (no finding)
  std::optional<double> copies;  ///< absolute copy number when the cell gave one
};
/// Reads a GISTIC value (2, 1, 0, -1, -2, also "2.0"; -1.5 counts as -1) or a word:
/// Amplification / AMP / High level amplification -> amplification; Gain / Low-level gain ->
/// gain; Loss / HETLOSS / Heterozygous deletion / Shallow deletion -> loss;
/// Deletion / HOMDEL / Homozygous deletion / Deep deletion -> deletion (homozygous);
/// 0 / Wild type / Neutral / Diploid / No change -> "" (neutral). nullopt = unreadable.
std::optional<CnaCall> parse_cna_call(std::string_view s);

}  // namespace actionable::io
