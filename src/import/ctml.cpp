// MatchMiner CTML → trial blocks (include/actionable/import/ctml.hpp, docs/ctml.md).
#include "actionable/import/ctml.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "actionable/model/hgvs.hpp"

#ifdef ACTIONABLE_IMPORT_HAVE_YAML
#include <yaml-cpp/yaml.h>
#endif

namespace actionable::import {

using nlohmann::json;

std::string CtmlIssue::to_string() const {
  return file + ": " + (pointer.empty() ? std::string("/") : pointer) + ": " + (error ? "error: " : "note: ") + message;
}

bool CtmlResult::has_errors() const {
  return std::any_of(issues.begin(), issues.end(), [](CtmlIssue const& i) { return i.error; });
}

namespace {

std::string ptr_escape(std::string const& k) {
  std::string o;
  for (char c : k) {
    if (c == '~') o += "~0";
    else if (c == '/') o += "~1";
    else o += c;
  }
  return o;
}

bool ends_with(std::string const& s, std::string const& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// ---- reading documents -----------------------------------------------------------------------

/// Split text holding several JSON values one after the other (MatchMiner's
/// "two_trials_one_doc") into the values. Returns false with `error` on a syntax error.
bool parse_json_documents(std::string const& text, std::vector<json>& docs, std::string& error) {
  std::size_t i = 0;
  while (true) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size()) return true;
    // Find the end of this value: track nesting outside strings.
    std::size_t depth = 0, j = i;
    bool in_str = false, esc = false;
    for (; j < text.size(); ++j) {
      char c = text[j];
      if (in_str) {
        if (esc) esc = false;
        else if (c == '\\') esc = true;
        else if (c == '"') in_str = false;
        continue;
      }
      if (c == '"') in_str = true;
      else if (c == '{' || c == '[') ++depth;
      else if (c == '}' || c == ']') {
        if (depth == 0) break;
        if (--depth == 0) {
          ++j;
          break;
        }
      }
    }
    try {
      docs.push_back(json::parse(text.substr(i, j - i)));
    } catch (json::exception const& e) {
      error = e.what();
      return false;
    }
    i = j;
  }
}

#ifdef ACTIONABLE_IMPORT_HAVE_YAML
json yaml_to_json(YAML::Node const& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null: return nullptr;
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (auto const& x : n) a.push_back(yaml_to_json(x));
      return a;
    }
    case YAML::NodeType::Map: {
      json o = json::object();
      for (auto const& kv : n) o[kv.first.as<std::string>()] = yaml_to_json(kv.second);
      return o;
    }
    case YAML::NodeType::Scalar: {
      auto s = n.Scalar();
      if (n.Tag() == "?") {  // plain scalar: YAML core-schema types
        if (s == "true" || s == "True" || s == "TRUE") return true;
        if (s == "false" || s == "False" || s == "FALSE") return false;
        if (s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
        static const std::regex int_re(R"(^[-+]?[0-9]+$)"), float_re(R"(^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$)");
        if (std::regex_match(s, int_re)) {
          try {
            return std::stoll(s);
          } catch (...) {
          }
        }
        if (std::regex_match(s, float_re)) return std::stod(s);
      }
      return s;
    }
    default: return nullptr;
  }
}
#endif

bool parse_documents(CtmlInput const& in, std::vector<json>& docs, std::string& error) {
  bool yaml = ends_with(lower(in.name), ".yaml") || ends_with(lower(in.name), ".yml");
  if (!yaml) return parse_json_documents(in.text, docs, error);
#ifdef ACTIONABLE_IMPORT_HAVE_YAML
  try {
    for (auto const& d : YAML::LoadAll(in.text)) {
      auto j = yaml_to_json(d);
      if (!j.is_null()) docs.push_back(std::move(j));
    }
    return true;
  } catch (YAML::Exception const& e) {
    error = e.what();
    return false;
  }
#else
  error = "YAML CTML is not supported by this build (yaml-cpp was not found): convert it to JSON";
  return false;
#endif
}

// ---- tumour sets ------------------------------------------------------------------------------

struct TumourSet {
  bool any = true;                  ///< no include restriction
  std::set<std::string> include;    ///< codes or "SOLID" (when !any)
  std::set<std::string> except;     ///< codes
  bool operator<(TumourSet const& o) const {
    return std::tie(any, include, except) < std::tie(o.any, o.include, o.except);
  }
  bool operator==(TumourSet const& o) const = default;
};

// ---- the expression being built ---------------------------------------------------------------

struct Expr {
  enum Kind { kTrue, kLeaf, kAnd, kOr, kNot, kTumour } kind = kTrue;
  std::string text;      // kLeaf
  bool clinical = false; // kLeaf: a clinical field (age, sex) rather than an alteration/biomarker
  TumourSet tumour;      // kTumour
  std::vector<Expr> kids;
};

Expr leaf(std::string text, bool clinical = false) {
  Expr e;
  e.kind = Expr::kLeaf;
  e.text = std::move(text);
  e.clinical = clinical;
  return e;
}

Expr make(Expr::Kind k, std::vector<Expr> kids) {
  if (k == Expr::kNot) {
    Expr e;
    e.kind = Expr::kNot;
    e.kids = std::move(kids);
    return e;
  }
  // Flatten and drop neutral elements.
  std::vector<Expr> out;
  for (auto& c : kids) {
    if (k == Expr::kAnd && c.kind == Expr::kTrue) continue;
    if (c.kind == k && (k == Expr::kAnd || k == Expr::kOr)) {
      for (auto& g : c.kids) out.push_back(std::move(g));
    } else {
      out.push_back(std::move(c));
    }
  }
  if (k == Expr::kOr)
    for (auto const& c : out)
      if (c.kind == Expr::kTrue) return Expr{};
  if (out.empty()) return Expr{};
  if (out.size() == 1) return out[0];
  Expr e;
  e.kind = k;
  e.kids = std::move(out);
  return e;
}

std::string render(Expr const& e) {
  switch (e.kind) {
    case Expr::kTrue: return "";
    case Expr::kTumour: return "";
    case Expr::kLeaf: return e.text;
    case Expr::kNot: {
      auto const& k = e.kids[0];
      return k.kind == Expr::kLeaf ? "not " + render(k) : "not (" + render(k) + ")";
    }
    case Expr::kAnd: {
      std::string s;
      for (auto const& k : e.kids) s += (s.empty() ? "" : " and ") + (k.kind == Expr::kOr ? "(" + render(k) + ")" : render(k));
      return s;
    }
    case Expr::kOr: {
      std::string s;
      for (auto const& k : e.kids) s += (s.empty() ? "" : " or ") + render(k);
      return s;
    }
  }
  return "";
}

bool only_clinical(Expr const& e) {
  if (e.kind == Expr::kLeaf) return e.clinical;
  if (e.kind == Expr::kTrue) return true;
  for (auto const& k : e.kids)
    if (!only_clinical(k)) return false;
  return true;
}
bool no_clinical(Expr const& e) {
  if (e.kind == Expr::kLeaf) return !e.clinical;
  for (auto const& k : e.kids)
    if (!no_clinical(k)) return false;
  return true;
}

// ---- translation of one document ------------------------------------------------------------

struct Converter {
  catalog::Catalog const& cat;
  std::string file;
  std::vector<CtmlIssue>& issues;
  std::map<std::string, std::string> const& names;  // lower-case OncoTree name -> code
  bool tree_failed = false;

  void error(std::string const& ptr, std::string msg) {
    issues.push_back({file, ptr, std::move(msg), true});
    tree_failed = true;
  }
  void note(std::string const& ptr, std::string msg) { issues.push_back({file, ptr, std::move(msg), false}); }

  static std::optional<std::string> str(json const& v) {
    if (v.is_string()) return v.get<std::string>();
    return std::nullopt;
  }

  std::optional<std::string> gene(std::string const& ptr, std::string const& sym) {
    auto g = cat.genes.lookup(sym);
    if (!g.resolved()) {
      if (g.match == catalog::GeneMatch::kAmbiguous) {
        std::string c;
        for (auto const& x : g.candidates) c += (c.empty() ? "" : ", ") + x;
        error(ptr, "gene symbol '" + sym + "' is ambiguous (" + c + ")");
      } else {
        error(ptr, "unknown gene symbol '" + sym + "'");
      }
      return std::nullopt;
    }
    if (g.symbol != sym) note(ptr, "gene symbol '" + sym + "' read as the HGNC approved symbol '" + g.symbol + "'");
    return g.symbol;
  }

  // -- clinical --------------------------------------------------------------------------------

  std::optional<std::pair<std::string, double>> comparison(std::string s) {
    static const std::regex re(R"(^\s*(>=|<=|==|=|>|<|!=)?\s*([-+]?[0-9]*\.?[0-9]+)\s*$)");
    std::smatch m;
    if (!std::regex_match(s, m, re)) return std::nullopt;
    std::string op = m[1].matched ? m[1].str() : "=";
    if (op == "==") op = "=";
    return std::make_pair(op, std::stod(m[2]));
  }

  static std::string number(double v) {
    std::ostringstream o;
    o << v;
    return o.str();
  }

  std::optional<TumourSet> tumour(std::string const& ptr, std::string value) {
    bool neg = !value.empty() && value[0] == '!';
    if (neg) value = trim(value.substr(1));
    TumourSet t;
    std::set<std::string> codes;
    if (value == "_SOLID_") {
      if (neg) codes = {"LYMPH", "MYELOID"};
      else codes = {"SOLID"};
      t.any = false;
      t.include = codes;
      return t;
    }
    if (value == "_LIQUID_") {
      if (neg) {
        t.any = false;
        t.include = {"SOLID"};
      } else {
        t.any = false;
        t.include = {"LYMPH", "MYELOID"};
      }
      return t;
    }
    std::string code;
    if (auto it = names.find(lower(value)); it != names.end()) code = it->second;
    else if (cat.oncotree.find(value)) code = value;
    else {
      error(ptr, "'" + value + "' is not an OncoTree 2025-10-03 tumour name or code");
      return std::nullopt;
    }
    if (neg) t.except = {code};
    else {
      t.any = false;
      t.include = {code};
    }
    return t;
  }

  Expr clinical(std::string const& ptr, json const& c) {
    if (!c.is_object()) {
      error(ptr, "a clinical criterion must be an object");
      return Expr{};
    }
    std::vector<Expr> parts;
    for (auto const& [k0, v] : c.items()) {
      auto k = lower(k0);
      auto p = ptr + "/" + ptr_escape(k0);
      auto s = str(v);
      if (k == "oncotree_primary_diagnosis") {
        if (!s) { error(p, "expected a string"); continue; }
        auto t = tumour(p, *s);
        if (!t) continue;
        Expr e;
        e.kind = Expr::kTumour;
        e.tumour = *t;
        parts.push_back(e);
      } else if (k == "age_numerical") {
        auto cmp = s ? comparison(*s) : (v.is_number() ? std::optional<std::pair<std::string, double>>({"=", v.get<double>()}) : std::nullopt);
        if (!cmp) { error(p, "cannot read the age limit " + v.dump()); continue; }
        if (cmp->first == "!=") { error(p, "age '!=' is not a limit"); continue; }
        parts.push_back(leaf("age " + cmp->first + " " + number(cmp->second), true));
      } else if (k == "tmb_numerical") {
        auto cmp = s ? comparison(*s) : std::nullopt;
        if (!cmp) { error(p, "cannot read the TMB limit " + v.dump()); continue; }
        parts.push_back(leaf("biomarker TMB " + cmp->first + " " + number(cmp->second)));
      } else if (k == "gender") {
        if (!s) { error(p, "expected a string"); continue; }
        std::string g = *s;
        bool neg = !g.empty() && g[0] == '!';
        if (neg) g = g.substr(1);
        auto G = lower(trim(g));
        std::string sex = G == "male" ? "M" : G == "female" ? "F" : "";
        if (sex.empty()) { error(p, "unknown gender '" + *s + "'"); continue; }
        parts.push_back(leaf(std::string("sex ") + (neg ? "!= " : "= ") + sex, true));
      } else if (k == "her2_status" || k == "er_status" || k == "pr_status") {
        std::string name = k == "her2_status" ? "HER2" : k == "er_status" ? "ER" : "PR";
        if (!s) {
          error(p, k0 + " " + v.dump() + ": expected a status text such as \"Positive\" (MatchMiner ignores this key; "
                   "ignoring it here would widen the match)");
          continue;
        }
        std::string val = *s;
        bool neg = !val.empty() && val[0] == '!';
        if (neg) val = val.substr(1);
        auto V = lower(trim(val));
        if (V != "positive" && V != "negative" && V != "equivocal" && V != "low") {
          error(p, "unknown " + k0 + " value '" + *s + "'");
          continue;
        }
        parts.push_back(leaf("biomarker " + name + (neg ? " != " : " = ") + V));
      } else {
        error(p, "clinical key '" + k0 + "' has no translation (MatchMiner ignores some keys; ignoring them here "
                 "would widen the match)");
      }
    }
    return make(Expr::kAnd, std::move(parts));
  }

  // -- genomic ---------------------------------------------------------------------------------

  Expr genomic(std::string const& ptr, json const& g) {
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
      if (v.is_string()) s = trim(v.get<std::string>());
      else if (v.is_number_integer() && k == "exon") s = std::to_string(v.get<long long>());
      else if (v.is_boolean() && k == "wildtype") s = v.get<bool>() ? "true" : "false";
      else {
        error(ptr + "/" + ptr_escape(k0), "genomic key '" + k0 + "' has a non-text value " + v.dump());
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
    static const std::set<std::string> known = {"hugo_symbol", "variant_category", "protein_change",
                                                "wildcard_protein_change", "exon", "variant_classification",
                                                "cnv_call", "fusion_partner_hugo_symbol", "wildtype", "mmr_status",
                                                "ms_status", "apobec_signature", "pole_signature", "tobacco_signature",
                                                "temozolomide_signature", "uva_signature"};
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
    static const std::map<std::string, std::string> sigs = {{"apobec_signature", "APOBEC"}, {"pole_signature", "POLE"},
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
        if (v == "MMR-DEFICIENT" || v == "MSI-H") sig_parts.push_back(leaf("(dMMR or MSI high)"));
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
        error(at("fusion_partner_hugo_symbol"), "an intergenic rearrangement has no translation (the rule language "
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

    // Copy number.
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
        error(at("variant_category"), "any copy-number change (gains and losses included) has no translation: the "
                                      "rule language has amplification and homozygous deletion");
        return Expr{};
      }
      auto call = lower(f["cnv_call"]);
      if (call == "high level amplification" || call == "high amplification" || call == "amplification")
        return neg(leaf(G + " amplification"));
      if (call == "homozygous deletion") return neg(leaf(G + " deletion"));
      error(at("cnv_call"), "cnv_call '" + f["cnv_call"] + "' has no translation (the rule language has "
                            "amplification and homozygous deletion only)");
      return Expr{};
    }

    if (cat_ == "any variation" || (cat_.empty() && !has("protein_change") && !has("wildcard_protein_change") &&
                                    !has("exon") && !has("variant_classification"))) {
      error(at("variant_category"), "any alteration of " + *G0 + " (mutations, every copy-number change and "
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
                  (vc == "In_Frame_Del" && (pc->kind == K::kDeletion || (pc->kind == K::kDelIns && pc->deleted_count() > pc->inserted_count()))) ||
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
        error(at("variant_classification"), "'" + vc + "' anywhere in " + *G0 + " needs its exons, and " + *G0 +
                                                " is not in the shipped exon table");
        return Expr{};
      }
      return neg(leaf(G + " exon 1-" + std::to_string(count) + ev));
    }
    error(at("variant_classification"), "variant_classification '" + vc + "' has no translation (the rule language "
                                        "has missense, truncating, inframe, splice and exon-level insertions and "
                                        "deletions)");
    return Expr{};
  }

  // -- the tree --------------------------------------------------------------------------------

  Expr node(std::string const& ptr, json const& v, int depth) {
    if (depth > 200) {
      error(ptr, "match tree nested too deeply");
      return Expr{};
    }
    if (v.is_array()) {
      std::vector<Expr> parts;
      for (std::size_t i = 0; i < v.size(); ++i) parts.push_back(node(ptr + "/" + std::to_string(i), v[i], depth + 1));
      return make(Expr::kAnd, std::move(parts));
    }
    if (!v.is_object()) {
      error(ptr, "expected an object or a list, found " + v.dump());
      return Expr{};
    }
    std::vector<Expr> parts;
    for (auto const& [k0, val] : v.items()) {
      auto k = lower(k0);
      auto p = ptr + "/" + ptr_escape(k0);
      if (k.rfind("and", 0) == 0 || k.rfind("or", 0) == 0) {
        if (!val.is_array()) {
          error(p, "'" + k0 + "' must hold a list");
          continue;
        }
        if (val.empty()) {
          error(p, "an empty '" + k0 + "'");
          continue;
        }
        std::vector<Expr> kids;
        for (std::size_t i = 0; i < val.size(); ++i) kids.push_back(node(p + "/" + std::to_string(i), val[i], depth + 1));
        parts.push_back(make(k.rfind("and", 0) == 0 ? Expr::kAnd : Expr::kOr, std::move(kids)));
      } else if (k == "genomic") {
        parts.push_back(genomic(p, val));
      } else if (k == "clinical") {
        parts.push_back(clinical(p, val));
      } else {
        error(p, "unknown match key '" + k0 + "'");
      }
    }
    return make(Expr::kAnd, std::move(parts));
  }
};

// ---- lifting tumours out of the tree ----------------------------------------------------------

struct Lifter {
  catalog::OncoTree const& tree;

  bool solid_code(std::string const& c) const {
    auto id = tree.find(c);
    return id && tree.is_solid(*id);
  }
  /// Meet of two include terms (codes or SOLID); nullopt when disjoint.
  std::optional<std::string> meet(std::string const& a, std::string const& b) const {
    if (a == b) return a;
    if (a == "TISSUE") return b;
    if (b == "TISSUE") return a;
    if (a == "SOLID") return solid_code(b) ? std::optional<std::string>(b) : std::nullopt;
    if (b == "SOLID") return solid_code(a) ? std::optional<std::string>(a) : std::nullopt;
    auto ia = tree.find(a), ib = tree.find(b);
    if (!ia || !ib) return std::nullopt;
    if (tree.is_descendant(*ib, *ia)) return b;
    if (tree.is_descendant(*ia, *ib)) return a;
    return std::nullopt;
  }
  bool inside(std::string const& code, std::string const& anc) const {
    if (code == "SOLID") return false;
    auto ic = tree.find(code), ia = tree.find(anc);
    return ic && ia && tree.is_descendant(*ic, *ia);
  }
  std::optional<TumourSet> intersect(TumourSet const& a, TumourSet const& b) const {
    TumourSet r;
    r.except = a.except;
    r.except.insert(b.except.begin(), b.except.end());
    if (a.any && b.any) r.any = true;
    else if (a.any) { r.any = false; r.include = b.include; }
    else if (b.any) { r.any = false; r.include = a.include; }
    else {
      r.any = false;
      for (auto const& x : a.include)
        for (auto const& y : b.include)
          if (auto m = meet(x, y)) r.include.insert(*m);
      if (r.include.empty()) return std::nullopt;
    }
    if (!r.any) {
      std::set<std::string> kept;
      for (auto const& c : r.include) {
        bool gone = false;
        for (auto const& e : r.except) gone = gone || inside(c, e);
        if (!gone) kept.insert(c);
      }
      if (kept.empty()) return std::nullopt;
      r.include = kept;
      // Drop exceptions outside every included code (they exclude nothing).
      std::set<std::string> ex;
      for (auto const& e : r.except) {
        bool relevant = false;
        for (auto const& c : r.include) relevant = relevant || c == "SOLID" || inside(e, c);
        if (relevant) ex.insert(e);
      }
      r.except = ex;
    }
    return r;
  }

  using Branches = std::vector<std::pair<TumourSet, Expr>>;

  std::optional<Branches> lift(Expr const& e, std::size_t limit) const {
    switch (e.kind) {
      case Expr::kTrue: return Branches{{TumourSet{}, Expr{}}};
      case Expr::kTumour: return Branches{{e.tumour, Expr{}}};
      case Expr::kLeaf:
      case Expr::kNot: return Branches{{TumourSet{}, e}};
      case Expr::kOr: {
        Branches all;
        for (auto const& k : e.kids) {
          auto b = lift(k, limit);
          if (!b) return std::nullopt;
          all.insert(all.end(), b->begin(), b->end());
        }
        return merge(all, limit);
      }
      case Expr::kAnd: {
        Branches acc{{TumourSet{}, Expr{}}};
        for (auto const& k : e.kids) {
          auto b = lift(k, limit);
          if (!b) return std::nullopt;
          Branches next;
          for (auto const& [ta, ea] : acc)
            for (auto const& [tb, eb] : *b) {
              auto t = intersect(ta, tb);
              if (!t) continue;
              next.push_back({*t, make(Expr::kAnd, {ea, eb})});
              if (next.size() > limit * 4) return std::nullopt;
            }
          acc = merge(next, limit);
        }
        return acc;
      }
    }
    return std::nullopt;
  }

  Branches merge(Branches const& in, std::size_t) const {
    std::vector<TumourSet> order;
    std::map<TumourSet, std::vector<Expr>> by;
    for (auto const& [t, e] : in) {
      if (!by.count(t)) order.push_back(t);
      by[t].push_back(e);
    }
    Branches out;
    for (auto const& t : order) out.push_back({t, make(Expr::kOr, by[t])});
    return out;
  }
};

std::string tumour_text(TumourSet const& t) {
  std::string s;
  if (t.any) s = "any";
  else
    for (auto const& c : t.include) s += (s.empty() ? "" : ", ") + c;
  if (!t.except.empty()) {
    s += " except ";
    bool first = true;
    for (auto const& c : t.except) {
      s += (first ? "" : ", ") + c;
      first = false;
    }
  }
  return s;
}

std::string status_of(std::string const& text, bool& known) {
  auto s = lower(trim(text));
  known = true;
  if (s == "open to accrual" || s == "open" || s == "recruiting" || s == "active") return "recruiting";
  if (s.find("suspend") != std::string::npos || s.find("hold") != std::string::npos) return "suspended";
  if (s.find("closed") != std::string::npos || s == "completed" || s == "terminated" || s == "withdrawn") return "closed";
  known = false;
  return "closed";
}

bool yes(json const& v) {
  return v.is_string() && lower(trim(v.get<std::string>())) == "y";
}

std::string text_of(json const& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return v.dump();
  return "";
}

}  // namespace

CtmlResult import_ctml(std::vector<CtmlInput> const& inputs, std::shared_ptr<catalog::Catalog const> const& catalog,
                       CtmlOptions const& options) {
  CtmlResult res;
  auto const& cat = *catalog;
  std::map<std::string, std::string> names;
  for (catalog::TumourId id = 0; id < cat.oncotree.size(); ++id) names.emplace(lower(cat.oncotree.name(id)), cat.oncotree.code(id));

  if (options.with_ruleset) {
    GeneratedFile head;
    head.path = "ruleset.rules";
    head.header = "# MatchMiner CTML trials as trial blocks, generated by `actionable import ctml` (docs/ctml.md).\n"
                  "ruleset " + quote(options.ruleset_name) + " version " + quote(options.version) + "\n";
    res.files.push_back(head);
  }
  std::map<std::string, std::string> trial_seen;  // trial name -> file
  std::set<std::string> out_names;
  std::ostringstream rep;
  rep << "# CTML import report\n\n| file | trial | match trees | translated | arms | status |\n|---|---|---:|---:|---:|---|\n";

  for (auto const& in : inputs) {
    std::vector<json> docs;
    std::string perr;
    if (!parse_documents(in, docs, perr)) {
      res.issues.push_back({in.name, "", "cannot read: " + perr, true});
      rep << "| " << in.name << " | (unreadable) | | | | |\n";
      continue;
    }
    // Flatten arrays of trials.
    std::vector<json> trials;
    for (auto& d : docs) {
      if (d.is_array())
        for (auto& x : d) trials.push_back(x);
      else trials.push_back(d);
    }
    std::string base = in.name;
    if (auto s = base.find_last_of("/\\"); s != std::string::npos) base = base.substr(s + 1);
    if (auto dot = base.find_last_of('.'); dot != std::string::npos) base = base.substr(0, dot);
    std::string stem;
    for (char ch : base) stem += (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.') ? ch : '_';
    if (stem.empty() || stem == "ruleset") stem = "trials_" + stem;
    std::string path = stem + ".rules";
    for (int n = 2; out_names.count(path); ++n) path = stem + "_" + std::to_string(n) + ".rules";
    out_names.insert(path);
    GeneratedFile file;
    file.path = path;
    file.header = "# Trials from " + in.name + " (MatchMiner CTML), generated by `actionable import ctml`.\n"
                  "# Generated file: see docs/ctml.md for the translation and its differences from MatchMiner.\n";

    for (std::size_t ti = 0; ti < trials.size(); ++ti) {
      auto const& t = trials[ti];
      std::string tptr = trials.size() > 1 ? "/" + std::to_string(ti) : "";
      ++res.trials;
      if (!t.is_object()) {
        res.issues.push_back({in.name, tptr, "a trial must be a JSON object", true});
        continue;
      }
      std::string protocol = t.contains("protocol_no") ? text_of(t["protocol_no"]) : "";
      std::string nct = t.contains("nct_id") ? trim(text_of(t["nct_id"])) : "";
      static const std::regex nct_re(R"(^NCT[0-9]{8}$)");
      std::string name;
      if (std::regex_match(nct, nct_re)) name = nct;
      else if (!protocol.empty()) name = identifier("CTML_" + protocol);
      else {
        // No identifier in the document: a local label from the file name (never an NCT number).
        name = identifier("CTML_" + base + (trials.size() > 1 ? "_" + std::to_string(ti + 1) : ""));
        res.issues.push_back({in.name, tptr, "a trial without protocol_no or nct_id: named '" + name + "' after its file", false});
      }
      if (trial_seen.count(name)) {
        res.issues.push_back({in.name, tptr, "trial '" + name + "' was already converted from " + trial_seen[name] +
                                                 "; this copy is left out (two trials cannot share a name)",
                              true});
        rep << "| " << in.name << " | " << name << " (duplicate) | | | | |\n";
        continue;
      }
      std::string title = t.contains("short_title") ? text_of(t["short_title"])
                        : t.contains("long_title") ? text_of(t["long_title"]) : protocol;
      // Status: _summary.status[0].value, else status; absent = open (as MatchMiner).
      std::string st_text;
      if (t.contains("_summary") && t["_summary"].is_object() && t["_summary"].contains("status") &&
          t["_summary"]["status"].is_array() && !t["_summary"]["status"].empty() &&
          t["_summary"]["status"][0].is_object() && t["_summary"]["status"][0].contains("value"))
        st_text = text_of(t["_summary"]["status"][0]["value"]);
      else if (t.contains("status"))
        st_text = text_of(t["status"]);
      std::string status = "recruiting";
      if (st_text.empty()) {
        res.issues.push_back({in.name, tptr + "/status", "no trial status: read as open to accrual (as MatchMiner does)", false});
      } else {
        bool known = false;
        status = status_of(st_text, known);
        if (!known)
          res.issues.push_back({in.name, tptr + "/status", "unknown trial status '" + st_text + "': written as closed", true});
      }

      // Collect the match trees.
      struct Clause {
        std::string name, ptr, status, description;
        json const* tree;
      };
      std::vector<Clause> clauses;
      if (t.contains("match")) clauses.push_back({"trial", tptr + "/match", "recruiting", "", &t["match"]});
      if (t.contains("treatment_list") && t["treatment_list"].is_object() && t["treatment_list"].contains("step") &&
          t["treatment_list"]["step"].is_array()) {
        auto const& steps = t["treatment_list"]["step"];
        for (std::size_t si = 0; si < steps.size(); ++si) {
          auto const& s = steps[si];
          if (!s.is_object()) continue;
          std::string sp = tptr + "/treatment_list/step/" + std::to_string(si);
          std::string scode = s.contains("step_code") ? text_of(s["step_code"]) : std::to_string(si + 1);
          bool all_suspended = true;
          if (s.contains("arm") && s["arm"].is_array())
            for (auto const& a : s["arm"]) all_suspended = all_suspended && a.is_object() && a.contains("arm_suspended") && yes(a["arm_suspended"]);
          if (s.contains("match"))
            clauses.push_back({"step " + scode, sp + "/match", all_suspended ? "suspended" : "recruiting", "", &s["match"]});
          if (!(s.contains("arm") && s["arm"].is_array())) continue;
          auto const& arms = s["arm"];
          for (std::size_t ai = 0; ai < arms.size(); ++ai) {
            auto const& a = arms[ai];
            if (!a.is_object()) continue;
            std::string ap = sp + "/arm/" + std::to_string(ai);
            std::string acode = a.contains("arm_code") ? text_of(a["arm_code"]) : "arm " + std::to_string(ai + 1);
            bool asusp = a.contains("arm_suspended") && yes(a["arm_suspended"]);
            std::string adesc = a.contains("arm_description") ? text_of(a["arm_description"]) : "";
            if (a.contains("match")) clauses.push_back({acode, ap + "/match", asusp ? "suspended" : "recruiting", adesc, &a["match"]});
            if (a.contains("dose_level") && a["dose_level"].is_array()) {
              auto const& levels = a["dose_level"];
              for (std::size_t li = 0; li < levels.size(); ++li) {
                auto const& l = levels[li];
                if (!l.is_object() || !l.contains("match")) continue;
                std::string lcode = l.contains("level_code") ? text_of(l["level_code"]) : "level " + std::to_string(li + 1);
                bool lsusp = (l.contains("level_suspended") && yes(l["level_suspended"])) || asusp;
                clauses.push_back({acode + " / " + lcode, ap + "/dose_level/" + std::to_string(li) + "/match",
                                   lsusp ? "suspended" : "recruiting", adesc, &l["match"]});
              }
            }
          }
        }
      }

      std::ostringstream blk;
      blk << "# protocol " << protocol << (nct.empty() ? "" : ", nct_id " + nct) << "; status \"" << st_text << "\"\n";
      blk << "trial " << name << " " << quote(!title.empty() ? title : !protocol.empty() ? protocol : name) << " {\n";
      blk << "  status  " << status << "\n";
      std::size_t trees = 0, trees_ok = 0, arms = 0;
      std::set<std::string> arm_names;
      for (auto const& c : clauses) {
        ++trees;
        ++res.match_trees;
        Converter conv{cat, in.name, res.issues, names};
        auto expr = conv.node(c.ptr, *c.tree, 0);
        if (conv.tree_failed) {
          res.issues.push_back({in.name, c.ptr, "match tree of '" + c.name + "' left out (see the errors above)", true});
          continue;
        }
        auto tree_json = c.tree->dump();
        if (c.tree->is_array() && c.tree->empty()) {
          res.issues.push_back({in.name, c.ptr, "empty match tree of '" + c.name + "': nothing to match, left out", false});
          continue;
        }
        Lifter lifter{cat.oncotree};
        auto branches = lifter.lift(expr, options.max_arms_per_tree);
        if (!branches || branches->size() > options.max_arms_per_tree) {
          res.issues.push_back({in.name, c.ptr, "match tree of '" + c.name + "' expands to more than " +
                                                    std::to_string(options.max_arms_per_tree) + " tumour sets: left out",
                                true});
          continue;
        }
        if (branches->empty()) {
          res.issues.push_back({in.name, c.ptr, "match tree of '" + c.name + "' can never match (its tumour criteria "
                                                    "exclude each other): left out",
                                true});
          continue;
        }
        // Branches with the same condition and exceptions become one arm with the union of
        // their tumour codes (an OR over diagnoses with the same criteria).
        {
          Lifter::Branches merged;
          std::map<std::pair<std::string, std::set<std::string>>, std::size_t> at;
          for (auto const& [ts, e] : *branches) {
            auto key = std::make_pair(render(e) + (e.kind == Expr::kTrue ? "<true>" : ""), ts.except);
            auto it = at.find(key);
            if (it != at.end() && !ts.any && !merged[it->second].first.any) {
              merged[it->second].first.include.insert(ts.include.begin(), ts.include.end());
            } else if (it == at.end()) {
              at.emplace(key, merged.size());
              merged.push_back({ts, e});
            } else {
              merged.push_back({ts, e});
            }
          }
          *branches = merged;
        }
        bool tumour_only = false;
        for (auto const& [ts, e] : *branches) tumour_only = tumour_only || e.kind == Expr::kTrue;
        if (tumour_only) {
          res.issues.push_back({in.name, c.ptr, "match tree of '" + c.name + "' has a branch with tumour criteria only; "
                                                    "an arm needs a `when` condition: left out",
                                true});
          continue;
        }
        ++trees_ok;
        ++res.match_trees_written;
        std::size_t k = 0;
        for (auto const& [ts, e] : *branches) {
          ++k;
          std::string an = c.name + (branches->size() > 1 ? " #" + std::to_string(k) : "");
          for (int n = 2; arm_names.count(an); ++n) an = c.name + " (" + std::to_string(n) + ")" + (branches->size() > 1 ? " #" + std::to_string(k) : "");
          arm_names.insert(an);
          // when = alterations / biomarkers; require = clinical fields, when the tree splits so.
          std::string when_text, require_text;
          if (e.kind == Expr::kAnd) {
            std::vector<Expr> gen, cli;
            bool split = true;
            for (auto const& x : e.kids) {
              if (only_clinical(x)) cli.push_back(x);
              else if (no_clinical(x)) gen.push_back(x);
              else split = false;
            }
            if (split && !gen.empty() && !cli.empty()) {
              when_text = render(make(Expr::kAnd, gen));
              require_text = render(make(Expr::kAnd, cli));
            }
          }
          if (when_text.empty()) when_text = render(e);
          blk << "\n  # " << c.ptr << (c.description.empty() ? "" : " — " + c.description) << "\n";
          blk << "  arm " << quote(an) << " {\n";
          blk << "    status  " << c.status << "\n";
          blk << "    when    " << when_text << "\n";
          blk << "    tumour  " << tumour_text(ts) << "\n";
          if (!require_text.empty()) blk << "    require " << require_text << "\n";
          blk << "  }\n";
          ++arms;
        }
        (void)tree_json;
      }
      blk << "}\n";
      rep << "| " << in.name << " | " << name << " | " << trees << " | " << trees_ok << " | " << arms << " | " << status << " |\n";
      if (arms == 0) {
        res.issues.push_back({in.name, tptr, "trial '" + name + "' has no translatable match tree: not written", true});
        continue;
      }
      trial_seen[name] = in.name;
      file.blocks.push_back({name, blk.str()});
      res.arms_written += arms;
    }
    if (!file.blocks.empty()) res.files.push_back(std::move(file));
  }

  std::string remaining;
  auto rejected = drop_uncompilable(res.files, catalog, &remaining);
  for (auto const& r : rejected)
    res.issues.push_back({"(generated)", "", "trial '" + r.owner + "' rejected by the rule compiler: " + r.message, true});
  if (!remaining.empty()) res.issues.push_back({"(generated)", "", "the generated rules do not compile:\n" + remaining, true});
  res.trials_written = 0;
  for (auto const& f : res.files) res.trials_written += f.blocks.size();
  res.files.erase(std::remove_if(res.files.begin(), res.files.end(),
                                 [&](GeneratedFile const& f) { return f.blocks.empty() && f.path != "ruleset.rules"; }),
                  res.files.end());

  rep << "\n" << res.trials << " trials read, " << res.trials_written << " written; " << res.match_trees << " match trees, "
      << res.match_trees_written << " translated into " << res.arms_written << " arms.\n\n## Issues\n\n";
  for (auto const& i : res.issues) rep << "- " << i.to_string() << "\n";
  res.report = rep.str();
  return res;
}

}  // namespace actionable::import
