// Variant-text interpretation tables (see variant_text.hpp). The SO order is VEP's
// "Ensembl variation – calculated variant consequences" list, most severe first.
#include "actionable/detail/io/readers/variant_text.hpp"

#include <iterator>
#include <cctype>
#include <cmath>
#include <utility>

#include "actionable/detail/io/readers/table.hpp"
#include "util/ascii.hpp"

namespace actionable::io {

namespace {

constexpr std::string_view kSoOrder[] = {
    "transcript_ablation",
    "splice_acceptor_variant",
    "splice_donor_variant",
    "splice_site_variant",
    "stop_gained",
    "frameshift_variant",
    "stop_lost",
    "start_lost",
    "transcript_amplification",
    "gene_fusion",
    "feature_elongation",
    "feature_truncation",
    "structural_variant",
    "inframe_insertion",
    "inframe_deletion",
    "missense_variant",
    "protein_altering_variant",
    "splice_donor_5th_base_variant",
    "splice_region_variant",
    "splice_donor_region_variant",
    "splice_polypyrimidine_tract_variant",
    "incomplete_terminal_codon_variant",
    "start_retained_variant",
    "stop_retained_variant",
    "synonymous_variant",
    "coding_sequence_variant",
    "mature_miRNA_variant",
    "5_prime_UTR_premature_start_codon_gain_variant",
    "5_prime_UTR_variant",
    "3_prime_UTR_variant",
    "non_coding_transcript_exon_variant",
    "intron_variant",
    "NMD_transcript_variant",
    "non_coding_transcript_variant",
    "coding_transcript_variant",
    "upstream_gene_variant",
    "downstream_gene_variant",
    "TFBS_ablation",
    "TFBS_amplification",
    "TF_binding_site_variant",
    "regulatory_region_ablation",
    "regulatory_region_amplification",
    "regulatory_region_variant",
    "intergenic_variant",
    "sequence_variant",
};

// Lower-case key with spaces / dashes folded to '_' and "'" dropped ("5'Flank" -> "5flank").
std::string fold(std::string_view s) {
  std::string out;
  for (char c : text::trim(s)) {
    if (c == ' ' || c == '-')
      out.push_back('_');
    else if (c == '\'')
      continue;
    else
      out.push_back(util::to_lower(c));
  }
  return out;
}

struct ClassMap {
  std::string_view key;  // folded
  std::string_view so;
};

constexpr ClassMap kClassMap[] = {
    {"missense_mutation", "missense_variant"},
    {"missense", "missense_variant"},
    {"nonsense_mutation", "stop_gained"},
    {"nonsense", "stop_gained"},
    {"nonstop_mutation", "stop_lost"},
    {"nonstop", "stop_lost"},
    {"silent", "synonymous_variant"},
    {"synonymous", "synonymous_variant"},
    {"frame_shift_del", "frameshift_variant"},
    {"frame_shift_ins", "frameshift_variant"},
    {"frameshift", "frameshift_variant"},
    {"frame_shift", "frameshift_variant"},
    {"in_frame_del", "inframe_deletion"},
    {"in_frame_ins", "inframe_insertion"},
    {"inframe_del", "inframe_deletion"},
    {"inframe_ins", "inframe_insertion"},
    {"deletion", "inframe_deletion"},    // MOAlmanac / CCLE "Deletion" (in frame)
    {"insertion", "inframe_insertion"},  // MOAlmanac / CCLE "Insertion" (in frame)
    {"splice_site", "splice_site_variant"},
    {"splice", "splice_site_variant"},
    {"splice_acceptor", "splice_acceptor_variant"},
    {"splice_donor", "splice_donor_variant"},
    {"splice_region", "splice_region_variant"},
    {"translation_start_site", "start_lost"},
    {"start_codon_snp", "start_lost"},
    {"start_codon_del", "start_lost"},
    {"start_codon_ins", "start_lost"},
    {"stop_codon_del", "stop_lost"},
    {"stop_codon_ins", "stop_lost"},
    {"de_novo_start_inframe", "5_prime_UTR_premature_start_codon_gain_variant"},
    {"de_novo_start_outofframe", "5_prime_UTR_premature_start_codon_gain_variant"},
    {"3utr", "3_prime_UTR_variant"},
    {"5utr", "5_prime_UTR_variant"},
    {"3_prime_utr", "3_prime_UTR_variant"},
    {"5_prime_utr", "5_prime_UTR_variant"},
    {"3flank", "downstream_gene_variant"},
    {"5flank", "upstream_gene_variant"},
    {"igr", "intergenic_variant"},
    {"intron", "intron_variant"},
    {"intronic", "intron_variant"},
    {"rna", "non_coding_transcript_exon_variant"},
    {"lincrna", "non_coding_transcript_exon_variant"},
    {"targeted_region", "sequence_variant"},
    {"unknown", "sequence_variant"},
    {"fusion", "gene_fusion"},
    {"disruptive_inframe_deletion", "inframe_deletion"},
    {"conservative_inframe_deletion", "inframe_deletion"},
    {"disruptive_inframe_insertion", "inframe_insertion"},
    {"conservative_inframe_insertion", "inframe_insertion"},
    {"non_coding_exon_variant", "non_coding_transcript_exon_variant"},
    {"initiator_codon_variant", "start_retained_variant"},
    {"bidirectional_gene_fusion", "gene_fusion"},
};

std::string_view canonical_so(std::string_view term) {
  for (auto t : kSoOrder)
    if (text::iequals(t, term)) return t;
  auto f = fold(term);
  for (auto const& m : kClassMap)
    if (m.key == f) return m.so;
  // Other SnpEff-only terms.
  if (f == "exon_loss_variant") return "feature_truncation";
  if (f == "intragenic_variant") return "sequence_variant";
  return {};
}

// Oncotator's "476_478AQA>A" (residues 476-478 = AQA, replaced by A) as HGVS
// "p.A476_A478delinsA"; nullopt when `body` is not of that shape.
std::optional<std::string> oncotator_delins(std::string_view body) {
  auto us = body.find('_');
  auto gt = body.find('>');
  if (us == std::string_view::npos || gt == std::string_view::npos || gt < us) return std::nullopt;
  auto first = text::to_int(body.substr(0, us));
  std::size_t i = us + 1;
  while (i < gt && std::isdigit(static_cast<unsigned char>(body[i]))) ++i;
  auto last = text::to_int(body.substr(us + 1, i - us - 1));
  auto ref = body.substr(i, gt - i);
  auto alt = body.substr(gt + 1);
  if (!first || !last || *last <= *first || ref.empty()) return std::nullopt;
  if (static_cast<long long>(ref.size()) != *last - *first + 1) return std::nullopt;
  for (char c : std::string(ref) + std::string(alt))
    if (!std::isupper(static_cast<unsigned char>(c)) && c != '*') return std::nullopt;
  std::string out = "p." + std::string(1, ref.front()) + std::to_string(*first) + "_" + std::string(1, ref.back()) +
                    std::to_string(*last);
  out += alt.empty() ? "del" : "delins" + std::string(alt);
  return out;
}

}  // namespace

std::optional<std::string> so_from_classification(std::string_view classification, std::string_view hgvsc) {
  auto so = canonical_so(classification);
  if (so.empty()) return std::nullopt;
  if (so == "splice_site_variant" && !hgvsc.empty()) {
    // c.1234+1G>A / c.1234+2T>C: donor; c.1235-1G>A / -2: acceptor.
    auto c = text::trim(hgvsc);
    for (std::size_t i = 1; i + 1 < c.size(); ++i) {
      if ((c[i] == '+' || c[i] == '-') && std::isdigit(static_cast<unsigned char>(c[i - 1])) &&
          (c[i + 1] == '1' || c[i + 1] == '2') &&
          (i + 2 >= c.size() || !std::isdigit(static_cast<unsigned char>(c[i + 2])))) {
        return std::string(c[i] == '+' ? "splice_donor_variant" : "splice_acceptor_variant");
      }
    }
  }
  return std::string(so);
}

int so_rank(std::string_view term) noexcept {
  for (std::size_t i = 0; i < std::size(kSoOrder); ++i)
    if (kSoOrder[i] == term) return static_cast<int>(i);
  return static_cast<int>(std::size(kSoOrder));
}

std::string most_severe_consequence(std::string_view list) {
  std::string best;
  int best_rank = 1 << 30;
  for (auto const& part : text::split_any(list, "&,")) {
    auto so = canonical_so(part);
    std::string term = so.empty() ? part : std::string(so);
    int r = so_rank(term);
    if (r < best_rank) {
      best_rank = r;
      best = term;
    }
  }
  return best;
}

std::optional<std::string> clean_protein_change(std::string_view raw, bool* splice_pseudo) {
  if (splice_pseudo) *splice_pseudo = false;
  auto s = text::trim(raw);
  if (text::is_missing(s)) return std::nullopt;
  // Transcript / protein accession prefix: ENSP00000275493.2:p.Leu858Arg, NP_005219.2:p.L858R.
  if (auto colon = s.find(':'); colon != std::string_view::npos) s = s.substr(colon + 1);
  std::string out = text::percent_decode(s);
  if (out.empty()) return std::nullopt;
  std::string_view body = out;
  if (text::starts_with_icase(body, "p.")) body.remove_prefix(2);
  if (body.empty()) return std::nullopt;
  // MAF splice pseudo-changes: X1445_splice, *1445_splice, p.?1445_splice.
  if (body.size() > 7 && text::iequals(body.substr(body.size() - 7), "_splice")) {
    if (splice_pseudo) *splice_pseudo = true;
    return std::nullopt;
  }
  if (auto delins = oncotator_delins(body)) return delins;
  char c0 = body.front();
  bool looks_protein =
      std::isupper(static_cast<unsigned char>(c0)) || c0 == '*' || c0 == '(' || c0 == '?' || c0 == '=' || c0 == '0';
  if (!looks_protein) return std::nullopt;
  // Oncotator-style synonymous "p.I227I" -> HGVS "p.I227=".
  if (body.size() >= 3 && std::isupper(static_cast<unsigned char>(c0)) && body.back() == c0) {
    auto digits = body.substr(1, body.size() - 2);
    bool all_digits = !digits.empty();
    for (char d : digits) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(d));
    if (all_digits) return "p." + std::string(body.substr(0, body.size() - 1)) + "=";
  }
  return "p." + std::string(body);
}

std::optional<std::string> clean_hgvsc(std::string_view raw) {
  auto s = text::trim(raw);
  if (text::is_missing(s)) return std::nullopt;
  if (auto colon = s.find(':'); colon != std::string_view::npos) s = s.substr(colon + 1);
  if (s.empty()) return std::nullopt;
  return text::percent_decode(s);
}

std::string strip_gene_id(std::string_view s) {
  s = text::trim(s);
  if (auto caret = s.find('^'); caret != std::string_view::npos) s = s.substr(0, caret);
  return std::string(s);
}

std::optional<FusionName> parse_fusion_name(std::string_view s, std::string* why) {
  auto fail = [&](std::string msg) -> std::optional<FusionName> {
    if (why) *why = std::move(msg);
    return std::nullopt;
  };
  s = text::trim(s);
  // Drop a trailing word "fusion" / "Fusion" and surrounding spaces.
  for (std::string_view suffix : {" fusion", " Fusion", " FUSION"}) {
    if (s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix)
      s = text::trim(s.substr(0, s.size() - suffix.size()));
  }
  if (s.empty()) return fail("empty fusion name");
  std::string a, b;
  std::size_t pos;
  if ((pos = s.find("::")) != std::string_view::npos) {
    a = strip_gene_id(s.substr(0, pos));
    b = strip_gene_id(s.substr(pos + 2));
  } else if ((pos = s.find("--")) != std::string_view::npos) {
    a = strip_gene_id(s.substr(0, pos));
    b = strip_gene_id(s.substr(pos + 2));
  } else if ((pos = s.find('/')) != std::string_view::npos) {
    a = strip_gene_id(s.substr(0, pos));
    b = strip_gene_id(s.substr(pos + 1));
  } else {
    auto first = s.find('-');
    if (first == std::string_view::npos) return fail("no partner separator in fusion '" + std::string(s) + "'");
    if (text::iequals(s.substr(first + 1), "intragenic")) {
      FusionName f;
      f.gene5 = f.gene3 = strip_gene_id(s.substr(0, first));
      f.intragenic = true;
      if (!text::is_gene_symbol(f.gene5)) return fail("bad gene symbol in '" + std::string(s) + "'");
      return f;
    }
    if (s.find('-', first + 1) != std::string_view::npos)
      return fail("ambiguous fusion name '" + std::string(s) + "' (several '-'): write it as GENE5::GENE3");
    a = strip_gene_id(s.substr(0, first));
    b = strip_gene_id(s.substr(first + 1));
  }
  if (!text::is_gene_symbol(a) || !text::is_gene_symbol(b))
    return fail("bad gene symbol in fusion '" + std::string(s) + "'");
  FusionName f{a, b, a == b};
  return f;
}

std::optional<CnaCall> parse_cna_call(std::string_view s) {
  s = text::trim(s);
  if (s.empty()) return std::nullopt;
  if (auto v = text::to_double(s)) {
    double d = *v;
    if (d >= 2) return CnaCall{"amplification", std::nullopt};
    if (d >= 1) return CnaCall{"gain", std::nullopt};
    if (d <= -2) return CnaCall{"deletion", std::nullopt};
    if (d <= -1) return CnaCall{"loss", std::nullopt};
    if (d == 0) return CnaCall{"", std::nullopt};
    return std::nullopt;  // 0.4, -0.7: not a discrete call
  }
  auto f = fold(s);
  if (f == "amplification" || f == "amp" || f == "high_level_amplification" || f == "highlevelamplification" ||
      f == "amplified")
    return CnaCall{"amplification", std::nullopt};
  if (f == "gain" || f == "low_level_gain" || f == "copy_number_gain" || f == "lowlevelgain")
    return CnaCall{"gain", std::nullopt};
  if (f == "loss" || f == "hetloss" || f == "heterozygous_deletion" || f == "shallow_deletion" ||
      f == "heterozygous_loss" || f == "copy_number_loss")
    return CnaCall{"loss", std::nullopt};
  if (f == "deletion" || f == "homdel" || f == "homozygous_deletion" || f == "deep_deletion" || f == "deep_loss" ||
      f == "homozygous_loss")
    return CnaCall{"deletion", std::nullopt};
  if (f == "wild_type" || f == "wildtype" || f == "neutral" || f == "diploid" || f == "no_change" || f == "none")
    return CnaCall{"", std::nullopt};
  return std::nullopt;
}

std::string hgnc_id(std::string_view raw) {
  auto t = text::trim(raw);
  if (t.size() > 5 && text::iequals(t.substr(0, 5), "HGNC:")) t.remove_prefix(5);
  if (t.empty() || t.size() > 9) return {};
  for (char c : t)
    if (c < '0' || c > '9') return {};
  return "HGNC:" + std::string(t);
}

}  // namespace actionable::io
