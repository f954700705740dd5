// Patient-model helpers: method → detection kinds, biomarker value normalisation, stage
// ranks and the canonical one-line description of a finding.
#include "util/ascii.hpp"
#include "util/number_text.hpp"
#include "actionable/model/patient.hpp"
#include "actionable/model/protein.hpp"

#include <algorithm>
#include <charconv>
#include <cctype>

namespace actionable::model {
namespace {

using util::lower;
using util::number_text;
using util::upper;

}  // namespace

std::uint8_t method_kinds(std::string const& method) {
  std::string m = lower(method);
  m.erase(std::remove_if(m.begin(), m.end(), [](char c) { return c == '-' || c == ' ' || c == '_'; }), m.end());
  if (m.empty() || m == "ngs" || m == "wes" || m == "wgs" || m == "panel" || m == "dnaseq" || m == "sequencing" ||
      m == "ctdna" || m == "liquidbiopsy")
    return kDetectAll;
  if (m == "fish" || m == "cish" || m == "sish" || m == "ish") return kDetectFusion | kDetectCnv;
  if (m == "rtpcr" || m == "rna" || m == "rnaseq" || m == "rnangs" || m == "nanostring" || m == "qrtpcr")
    return kDetectFusion | kDetectRna;
  if (m == "snparray" || m == "array" || m == "cgh" || m == "acgh" || m == "arraycgh" || m == "mlpa") return kDetectCnv;
  if (m == "pcr" || m == "ddpcr" || m == "qpcr" || m == "sanger" || m == "pyrosequencing" || m == "cobas")
    return kDetectVariant;
  if (m == "ihc") return 0;
  return kDetectAll;
}

std::string normalise_biomarker_value(std::string const& name, std::string const& value) {
  std::string v = lower(value);
  std::string n = upper(name);
  if (n == "MSI") {
    if (v == "msi-h" || v == "msih" || v == "msi-high" || v == "high" || v == "msi high" || v == "unstable" ||
        v == "instable")
      return "high";
    if (v == "msi-l" || v == "msil" || v == "msi-low" || v == "low") return "low";
    if (v == "mss" || v == "stable" || v == "msi-stable" || v == "microsatellite stable") return "stable";
  } else if (n == "MMR") {
    if (v == "dmmr" || v == "deficient" || v == "mmr-d" || v == "loss") return "deficient";
    if (v == "pmmr" || v == "proficient" || v == "mmr-p" || v == "intact" || v == "retained") return "proficient";
  } else if (n == "HRD") {
    if (v == "positive" || v == "hrd+" || v == "hrd positive" || v == "deficient") return "positive";
    if (v == "negative" || v == "hrd-" || v == "hrd negative" || v == "proficient") return "negative";
  }
  return v;
}

std::string canonical_biomarker_name(std::string const& name) {
  std::string n = upper(name);
  if (n == "PD-L1" || n == "PD_L1") return "PDL1";
  return n;
}

int stage_rank(std::string const& stage) {
  std::string s = upper(stage);
  if (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0]))) {
    int r = s[0] - '0';
    return r >= 0 && r <= 4 ? r : 0;
  }
  if (s.rfind("IV", 0) == 0) return 4;
  if (s.rfind("III", 0) == 0) return 3;
  if (s.rfind("II", 0) == 0) return 2;
  if (s.rfind("I", 0) == 0) return 1;
  if (s.rfind("0", 0) == 0) return 0;
  return 0;
}

std::string Finding::normalised() const {
  std::string out;
  // An unresolved symbol is shown as written, marked with '?'.
  auto shown = [](std::string const& resolved, std::string const& raw) {
    return resolved.empty() && !raw.empty() ? raw + "?" : resolved;
  };
  bool unresolved = !unresolved_gene.empty() || !unresolved_gene5.empty() || !unresolved_gene3.empty();
  switch (type) {
    case FindingType::kVariant:
      out = shown(gene, unresolved_gene) + " ";
      if (protein) {
        out += protein->to_string();
      } else if (!hgvsc.empty()) {
        out += hgvsc;
      } else if (!consequences.empty()) {
        out += consequences.front();
      } else {
        out += "variant";
      }
      if (exon && !protein) out += " (exon " + std::to_string(*exon) + ")";
      break;
    case FindingType::kFusion:
      if (unresolved) {
        auto g5 = shown(gene5, unresolved_gene5), g3 = shown(gene3, unresolved_gene3);
        out = (!g5.empty() && !g3.empty() ? g5 + "::" + g3 : g5.empty() ? g3 : g5) + " fusion";
      } else if (!gene5.empty() && !gene3.empty()) {
        out = gene5 + "::" + gene3 + " fusion";
      } else {
        out = (gene5.empty() ? gene3 : gene5) + " fusion";
      }
      if (!partner_resolved) out += " (partner not resolved)";
      break;
    case FindingType::kCnv:
      out = shown(gene, unresolved_gene) + " " + (call.empty() ? std::string("copy-number change") : call);
      if (copies)
        out += " (cn " + number_text(*copies) + ")";
      else if (ratio)
        out += " (ratio " + number_text(*ratio) + ")";
      break;
    case FindingType::kExonSkipping: {
      out = shown(gene, unresolved_gene) + " exon ";
      for (std::size_t i = 0; i < exons.size(); ++i) out += (i ? "," : "") + std::to_string(exons[i]);
      out += " skipping";
      break;
    }
    case FindingType::kBiomarker:
      if (!protein_method(method).empty() && !protein_marker(name).empty()) {
        // A protein result: "HER2 IHC 1+", "PDL1 IHC CPS 10 (22C3)", "CLDN18 IHC 80%".
        out = name + " " + protein_method(method) + (score.empty() ? "" : " " + score) + " " +
              (number ? number_text(*number) : value);
        if (number && (name == "CLDN18" || name == "FOLR1" || name == "MET" || (name == "PDL1" && score != "CPS")))
          out += "%";
        if (!assay.empty()) out += " (" + assay + ")";
      } else {
        out = name + " " + (number ? number_text(*number) : value);
      }
      break;
  }
  if (origin == Origin::kGermline && type != FindingType::kBiomarker) out += " (germline)";
  return out;
}

}  // namespace actionable::model
