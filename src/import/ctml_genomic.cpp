// CTML genomic criteria → alteration, fusion, copy-number and signature atoms.
#include <algorithm>

#include "actionable/model/hgvs.hpp"
#include "ctml_internal.hpp"
#include "util/text.hpp"

namespace actionable::import::ctml_detail {

Expr Converter::genomic(std::string const& ptr, json const& g) {
  if (!g.is_object()) {
    error(ptr, "a genomic criterion must be an object");
    return Expr{};
  }
  std::map<std::string, std::string> f;  // lower-case key -> value without '!'
  std::map<std::string, std::string> raw;
  bool negated = false;
  bool bad = false;
  for (auto const& [k0, v] : g.items()) {
    auto k = lower(k0);
    if (k == "display_name") continue;  // a label for people, not a criterion
    std::string s;
    if (v.is_string())
      s = trim(v.get<std::string>());
    else if (v.is_number_integer() && k == "exon")
      s = std::to_string(v.get<long long>());
    else if (v.is_boolean() && k == "wildtype")
      s = v.get<bool>() ? "true" : "false";
    else {
      error(ptr + "/" + util::json_pointer_token(k0), "genomic key '" + k0 + "' has a non-text value " + v.dump());
      bad = true;
      continue;
    }
    raw[k] = s;
    if (!s.empty() && s[0] == '!') {
      negated = true;
      s = trim(s.substr(1));
    }
    if (k == "true_variant_classification") k = "variant_classification";
    if (k == "true_protein_change") k = "protein_change";
    if (k == "true_hugo_symbol") k = "hugo_symbol";
    f[k] = s;
  }
  if (bad) return Expr{};
  auto at = [&](char const* k) { return ptr + "/" + k; };
  auto has = [&](char const* k) { return f.count(k) > 0; };
  static const std::set<std::string> known = {"hugo_symbol",
                                              "variant_category",
                                              "protein_change",
                                              "wildcard_protein_change",
                                              "exon",
                                              "variant_classification",
                                              "cnv_call",
                                              "fusion_partner_hugo_symbol",
                                              "wildtype",
                                              "mmr_status",
                                              "ms_status",
                                              "apobec_signature",
                                              "pole_signature",
                                              "tobacco_signature",
                                              "temozolomide_signature",
                                              "uva_signature"};
  for (auto const& [k, v] : f)
    if (!known.count(k)) {
      error(at(k.c_str()), "genomic key '" + k + "' has no translation");
      bad = true;
    }
  if (bad) return Expr{};
  auto neg = [&](Expr e) { return negated ? make(Expr::kNot, {std::move(e)}) : e; };
  std::string cat_ = has("variant_category") ? lower(f["variant_category"]) : "";
  std::string sym = has("hugo_symbol") ? f["hugo_symbol"] : "";
  bool no_gene = sym.empty() || lower(sym) == "none";

  // Signatures and MMR / MSI (hugo_symbol "None" or absent).
  static const std::map<std::string, std::string> sigs = {{"apobec_signature", "APOBEC"},
                                                          {"pole_signature", "POLE"},
                                                          {"tobacco_signature", "TOBACCO"},
                                                          {"temozolomide_signature", "TEMOZOLOMIDE"},
                                                          {"uva_signature", "UVA"}};
  std::vector<Expr> sig_parts;
  for (auto const& [k, name] : sigs)
    if (has(k.c_str())) {
      auto v = lower(f[k]);
      if (v != "yes" && v != "no") {
        error(at(k.c_str()), "unknown " + k + " value '" + f[k] + "'");
        return Expr{};
      }
      sig_parts.push_back(leaf("biomarker " + name + " = " + v));
    }
  for (char const* k : {"mmr_status", "ms_status"})
    if (has(k)) {
      auto v = upper(f[k]);
      if (v == "MMR-DEFICIENT" || v == "MSI-H")
        sig_parts.push_back(leaf("(dMMR or MSI high)"));
      else if (v == "MMR-PROFICIENT" || v == "MSS" || v == "MSI-L")
        sig_parts.push_back(leaf("(biomarker MMR = proficient or biomarker MSI = stable)"));
      else {
        error(at(k), "unknown " + std::string(k) + " value '" + f[k] + "'");
        return Expr{};
      }
    }
  if (!sig_parts.empty()) {
    for (auto const& [k, v] : f)
      if (k != "hugo_symbol" && k != "variant_category" && !sigs.count(k) && k != "mmr_status" && k != "ms_status") {
        error(at(k.c_str()), "'" + k + "' combined with a signature criterion has no translation");
        return Expr{};
      }
    if (!no_gene) {
      error(at("hugo_symbol"), "a signature criterion names gene '" + sym + "'");
      return Expr{};
    }
    return neg(make(Expr::kAnd, std::move(sig_parts)));
  }

  // Structural variants (also "any_gene" on one side).
  if (cat_ == "structural variation" || cat_ == "sv" || has("fusion_partner_hugo_symbol")) {
    if (!cat_.empty() && cat_ != "structural variation" && cat_ != "sv") {
      error(at("fusion_partner_hugo_symbol"), "a fusion partner on a '" + f["variant_category"] + "' criterion");
      return Expr{};
    }
    for (auto const& [k, v] : f)
      if (k != "hugo_symbol" && k != "variant_category" && k != "fusion_partner_hugo_symbol") {
        error(at(k.c_str()), "'" + k + "' on a structural-variant criterion has no translation");
        return Expr{};
      }
    std::string partner = has("fusion_partner_hugo_symbol") ? f["fusion_partner_hugo_symbol"] : "";
    auto is_any = [](std::string const& s) { return lower(s) == "any_gene"; };
    if (lower(partner) == "intergenic" || lower(sym) == "intergenic") {
      error(at("fusion_partner_hugo_symbol"),
            "an intergenic rearrangement has no translation (the rule language "
            "names fusions between two genes)");
      return Expr{};
    }
    if (no_gene || is_any(sym)) {
      if (partner.empty() || is_any(partner)) {
        error(at("hugo_symbol"), "a structural variant in any gene has no translation");
        return Expr{};
      }
      std::swap(sym, partner);
      partner.clear();
    }
    auto g1 = gene(at("hugo_symbol"), sym);
    if (!g1) return Expr{};
    if (partner.empty() || is_any(partner)) return neg(leaf("somatic " + *g1 + " fusion"));
    auto g2 = gene(at("fusion_partner_hugo_symbol"), partner);
    if (!g2) return Expr{};
    if (*g1 == *g2) {
      error(at("fusion_partner_hugo_symbol"), "'" + *g1 + "' rearranged with itself (intragenic) has no translation");
      return Expr{};
    }
    return neg(leaf("somatic " + *g1 + " fusion with " + *g2));
  }

  if (no_gene || lower(sym) == "any_gene") {
    error(at("hugo_symbol"), "a genomic criterion without a gene has no translation");
    return Expr{};
  }
  auto G0 = gene(at("hugo_symbol"), sym);
  if (!G0) return Expr{};
  std::string G = "somatic " + *G0;

  if (has("wildtype")) {
    if (f.size() != 2 || lower(f["wildtype"]) != "true") {
      error(at("wildtype"), "'wildtype' is translated only as {hugo_symbol, wildtype: true}");
      return Expr{};
    }
    return neg(leaf(G + " wildtype"));
  }

  // Copy number. Checked like the structural variants above (category, then the allowed keys);
  // the keys and the messages are each category's own.
  if (cat_ == "copy number variation" || cat_ == "cnv" || has("cnv_call")) {
    if (!cat_.empty() && cat_ != "copy number variation" && cat_ != "cnv") {
      error(at("cnv_call"), "a cnv_call on a '" + f["variant_category"] + "' criterion");
      return Expr{};
    }
    for (auto const& [k, v] : f)
      if (k != "hugo_symbol" && k != "variant_category" && k != "cnv_call") {
        error(at(k.c_str()), "'" + k + "' on a copy-number criterion has no translation");
        return Expr{};
      }
    if (!has("cnv_call")) {
      error(at("variant_category"),
            "any copy-number change (gains and losses included) has no translation: the "
            "rule language has amplification and homozygous deletion");
      return Expr{};
    }
    auto call = lower(f["cnv_call"]);
    if (call == "high level amplification" || call == "high amplification" || call == "amplification")
      return neg(leaf(G + " amplification"));
    if (call == "homozygous deletion") return neg(leaf(G + " deletion"));
    error(at("cnv_call"), "cnv_call '" + f["cnv_call"] +
                              "' has no translation (the rule language has "
                              "amplification and homozygous deletion only)");
    return Expr{};
  }

  if (cat_ == "any variation" || (cat_.empty() && !has("protein_change") && !has("wildcard_protein_change") &&
                                  !has("exon") && !has("variant_classification"))) {
    error(at("variant_category"), "any alteration of " + *G0 +
                                      " (mutations, every copy-number change and "
                                      "structural variants) has no faithful translation");
    return Expr{};
  }
  if (!cat_.empty() && cat_ != "mutation") {
    error(at("variant_category"), "unknown variant_category '" + f["variant_category"] + "'");
    return Expr{};
  }

  // Mutations.
  std::string vc = has("variant_classification") ? f["variant_classification"] : "";
  std::optional<int> exon;
  if (has("exon")) {
    try {
      exon = std::stoi(f["exon"]);
    } catch (...) {
      error(at("exon"), "cannot read exon '" + f["exon"] + "'");
      return Expr{};
    }
    int count = cat.exons.exon_count(*G0);
    if (count == 0 || *exon < 1 || *exon > count) {
      error(at("exon"), "exon " + f["exon"] + " of " + *G0 + " is not in the shipped exon table");
      return Expr{};
    }
  }
  if (has("protein_change") || has("wildcard_protein_change")) {
    if (has("protein_change") && has("wildcard_protein_change")) {
      error(at("wildcard_protein_change"), "both protein_change and wildcard_protein_change");
      return Expr{};
    }
    bool wild = has("wildcard_protein_change");
    std::string text = wild ? f["wildcard_protein_change"] : f["protein_change"];
    std::string err;
    auto pc = hgvs::parse_protein(text, &err);
    if (!pc) {
      error(at(wild ? "wildcard_protein_change" : "protein_change"), "cannot read '" + text + "': " + err);
      return Expr{};
    }
    if (wild && pc->kind != hgvs::EditKind::kPosition) {
      error(at("wildcard_protein_change"), "'" + text + "' is not a bare codon (p.V600)");
      return Expr{};
    }
    if (!wild && (pc->kind == hgvs::EditKind::kPosition || pc->kind == hgvs::EditKind::kSynonymous ||
                  pc->kind == hgvs::EditKind::kUnknown)) {
      error(at("protein_change"), "'" + text + "' is not a protein change a finding can have");
      return Expr{};
    }
    if (!vc.empty()) {
      using K = hgvs::EditKind;
      bool ok = (vc == "Missense_Mutation" && (wild || pc->kind == K::kSubstitution)) ||
                (vc == "Nonsense_Mutation" && pc->kind == K::kNonsense) ||
                ((vc == "Frame_Shift_Del" || vc == "Frame_Shift_Ins") && pc->kind == K::kFrameshift) ||
                (vc == "In_Frame_Del" && (pc->kind == K::kDeletion ||
                                          (pc->kind == K::kDelIns && pc->deleted_count() > pc->inserted_count()))) ||
                (vc == "In_Frame_Ins" && (pc->kind == K::kInsertion || pc->kind == K::kDuplication ||
                                          (pc->kind == K::kDelIns && pc->deleted_count() <= pc->inserted_count())));
      if (!ok || (wild && vc != "Missense_Mutation")) {
        error(at("variant_classification"), "variant_classification '" + vc + "' with '" + text +
                                                "' has no translation (one atom cannot constrain both)");
        return Expr{};
      }
    }
    if (exon) {
      auto ex = cat.exons.exons_of(*G0, pc->first);
      if (std::find(ex.begin(), ex.end(), *exon) == ex.end()) {
        error(at("exon"), "'" + text + "' is not in exon " + std::to_string(*exon) + " of " + *G0);
        return Expr{};
      }
    }
    return neg(leaf(G + " " + pc->to_string()));
  }
  std::string where = exon ? " exon " + std::to_string(*exon) : "";
  if (vc.empty()) {
    if (exon) return neg(leaf(G + where + " mutation"));
    return neg(leaf(G + " mutation"));
  }
  if (vc == "Missense_Mutation") return neg(leaf(G + (exon ? where + " missense" : " missense")));
  if (vc == "Splice_Site") return neg(leaf(G + (exon ? where + " splice" : " splice")));
  if (vc == "In_Frame_Del" || vc == "In_Frame_Ins") {
    std::string ev = vc == "In_Frame_Del" ? " deletion" : " insertion";
    if (exon) return neg(leaf(G + where + ev));
    int count = cat.exons.exon_count(*G0);
    if (count == 0) {
      error(at("variant_classification"),
            "'" + vc + "' anywhere in " + *G0 + " needs its exons, and " + *G0 + " is not in the shipped exon table");
      return Expr{};
    }
    return neg(leaf(G + " exon 1-" + std::to_string(count) + ev));
  }
  error(at("variant_classification"), "variant_classification '" + vc +
                                          "' has no translation (the rule language "
                                          "has missense, truncating, inframe, splice and exon-level insertions and "
                                          "deletions)");
  return Expr{};
}

}  // namespace actionable::import::ctml_detail
