// Protein biomarkers: names, methods, values (include/actionable/model/protein.hpp).
#include "actionable/model/protein.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "util/ascii.hpp"

namespace actionable::model {
namespace {

/// Upper case without blanks, '-', '_' and '.' ("pan-TRK" → "PANTRK", "CLDN18.2" → "CLDN182").
std::string squeeze(std::string_view s) {
  std::string out;
  for (unsigned char c : s)
    if (!std::isspace(c) && c != '-' && c != '_' && c != '.') out += util::to_upper(static_cast<char>(c));
  return out;
}

std::string lower_trim(std::string_view s) {
  std::string out;
  for (char c : s) out += util::to_lower(c);
  auto b = out.find_first_not_of(" \t");
  auto e = out.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : out.substr(b, e - b + 1);
}

}  // namespace

std::string protein_marker(std::string_view name) {
  std::string n = squeeze(name);
  if (n == "HER2" || n == "ERBB2" || n == "HER2NEU") return "HER2";
  if (n == "PDL1" || n == "CD274") return "PDL1";
  if (n == "CLDN18" || n == "CLDN182" || n == "CLAUDIN182" || n == "CLAUDIN18") return "CLDN18";
  if (n == "FOLR1" || n == "FRA" || n == "FRALPHA" || n == "FOLATERECEPTORALPHA") return "FOLR1";
  if (n == "MLH1" || n == "MSH2" || n == "MSH6" || n == "PMS2" || n == "ALK" || n == "ROS1") return n;
  if (n == "PANTRK" || n == "TRK") return "PANTRK";
  if (n == "MET" || n == "CMET") return "MET";
  // "FRα" in UTF-8: squeeze upper-cases only ASCII, so compare the raw bytes too.
  if (n == "FR\xCE\xB1") return "FOLR1";
  return {};
}

std::string protein_method(std::string_view method) {
  std::string m = squeeze(method);
  if (m == "IHC" || m == "IMMUNOHISTOCHEMISTRY") return "IHC";
  if (m == "ISH" || m == "FISH" || m == "CISH" || m == "SISH" || m == "DISH" || m == "BDISH") return "ISH";
  return {};
}

bool protein_has_method(std::string_view marker, std::string_view method) {
  if (method == "IHC") return !marker.empty();
  if (method == "ISH") return marker == "HER2";
  return false;
}

bool protein_numeric(std::string_view marker, std::string_view method) {
  if (method != "IHC") return false;
  return marker == "PDL1" || marker == "CLDN18" || marker == "FOLR1" || marker == "MET";
}

std::string protein_value(std::string_view marker, std::string_view method, std::string_view value,
                          std::string* allowed) {
  std::string v = lower_trim(value);
  std::string squeezed;
  for (char c : v)
    if (c != ' ') squeezed += c;
  auto set_allowed = [&](char const* list) {
    if (allowed) *allowed = list;
  };
  if (marker == "HER2" && method == "IHC") {
    set_allowed("0, ultralow, 1+, 2+, 3+");
    if (squeezed == "0" || squeezed == "null" || squeezed == "0(null)") return "0";
    if (squeezed == "ultralow" || squeezed == "0+" || squeezed == ">0<1+" || squeezed == "0-1+") return "ultralow";
    if (squeezed == "1+" || squeezed == "1") return "1+";
    if (squeezed == "2+" || squeezed == "2") return "2+";
    if (squeezed == "3+" || squeezed == "3") return "3+";
    return {};
  }
  if (marker == "HER2" && method == "ISH") {
    set_allowed("positive, negative");
    if (v == "positive" || v == "pos" || v == "amplified" || v == "amplification") return "positive";
    if (v == "negative" || v == "neg" || v == "not amplified" || v == "non-amplified" || v == "nonamplified")
      return "negative";
    return {};
  }
  if (is_mmr_protein(marker) && method == "IHC") {
    set_allowed("loss, intact");
    if (v == "loss" || v == "lost" || v == "absent" || v == "deficient" || v == "negative") return "loss";
    if (v == "intact" || v == "retained" || v == "preserved" || v == "present" || v == "normal" || v == "proficient" ||
        v == "positive")
      return "intact";
    return {};
  }
  if (method == "IHC" && (marker == "PANTRK" || marker == "ALK" || marker == "ROS1" || marker == "MET" ||
                          marker == "PDL1" || marker == "CLDN18" || marker == "FOLR1")) {
    set_allowed("positive, negative");
    if (v == "positive" || v == "pos" || v == "overexpression" || v == "overexpressed") return "positive";
    if (v == "negative" || v == "neg") return "negative";
    return {};
  }
  set_allowed("");
  return {};
}

std::string_view protein_normal_value(std::string_view marker, std::string_view method) noexcept {
  if (is_mmr_protein(marker) && method == "IHC") return "intact";
  if (marker == "HER2" && method == "ISH") return "negative";
  if (method == "IHC" && (marker == "PANTRK" || marker == "ALK" || marker == "ROS1")) return "negative";
  return {};
}

bool is_mmr_protein(std::string_view marker) noexcept {
  return marker == "MLH1" || marker == "MSH2" || marker == "MSH6" || marker == "PMS2";
}

std::string pdl1_score(std::string_view score) {
  std::string s = squeeze(score);
  if (s == "TPS" || s == "CPS" || s == "TC" || s == "IC" || s == "TAP") return s;
  if (s == "TUMOURPROPORTIONSCORE" || s == "TUMORPROPORTIONSCORE") return "TPS";
  if (s == "COMBINEDPOSITIVESCORE") return "CPS";
  return {};
}

// An enum-to-text switch, one per enum (the shape of io/readers/detect.cpp's flag_of).
char const* her2_status_name(Her2Status s) noexcept {
  switch (s) {
    case Her2Status::kPositive: return "positive";
    case Her2Status::kLow: return "low";
    case Her2Status::kUltralow: return "ultralow";
    case Her2Status::kNegative: return "negative";
  }
  return "?";
}

}  // namespace actionable::model
