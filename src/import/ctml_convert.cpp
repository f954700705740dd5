// CTML match trees → expressions: the tree walk, clinical criteria, tumour names, gene symbols.
#include <regex>
#include <sstream>

#include "ctml_internal.hpp"
#include "util/text.hpp"

namespace actionable::import::ctml_detail {

void Converter::error(std::string const& ptr, std::string msg) {
  issues.push_back({file, ptr, std::move(msg), true});
  tree_failed = true;
}
void Converter::note(std::string const& ptr, std::string msg) { issues.push_back({file, ptr, std::move(msg), false}); }

std::optional<std::string> Converter::str(json const& v) {
  if (v.is_string()) return v.get<std::string>();
  return std::nullopt;
}

std::optional<std::string> Converter::gene(std::string const& ptr, std::string const& sym) {
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

std::optional<std::pair<std::string, double>> Converter::comparison(std::string s) {
  static const std::regex re(R"(^\s*(>=|<=|==|=|>|<|!=)?\s*([-+]?[0-9]*\.?[0-9]+)\s*$)");
  std::smatch m;
  if (!std::regex_match(s, m, re)) return std::nullopt;
  std::string op = m[1].matched ? m[1].str() : "=";
  if (op == "==") op = "=";
  return std::make_pair(op, std::stod(m[2]));
}

std::string Converter::number(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

std::optional<TumourSet> Converter::tumour(std::string const& ptr, std::string value) {
  bool neg = !value.empty() && value[0] == '!';
  if (neg) value = trim(value.substr(1));
  TumourSet t;
  std::set<std::string> codes;
  if (value == "_SOLID_") {
    if (neg)
      codes = {"LYMPH", "MYELOID"};
    else
      codes = {"SOLID"};
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
  if (auto it = names.find(lower(value)); it != names.end())
    code = it->second;
  else if (cat.oncotree.find(value))
    code = value;
  else if (auto old = cat.oncotree.retired(value); old && old->current.size() == 1) {
    // A code retired in a later OncoTree release (docs/language.md, "Retired OncoTree codes").
    code = cat.oncotree.code(old->current.front());
    note(ptr, "retired OncoTree code '" + value + "' (" + old->how + ") read as " + code);
  } else {
    error(ptr, "'" + value + "' is not an OncoTree 2025-10-03 tumour name or code");
    return std::nullopt;
  }
  if (neg)
    t.except = {code};
  else {
    t.any = false;
    t.include = {code};
  }
  return t;
}

Expr Converter::clinical(std::string const& ptr, json const& c) {
  if (!c.is_object()) {
    error(ptr, "a clinical criterion must be an object");
    return Expr{};
  }
  std::vector<Expr> parts;
  for (auto const& [k0, v] : c.items()) {
    auto k = lower(k0);
    auto p = ptr + "/" + util::json_pointer_token(k0);
    auto s = str(v);
    if (k == "oncotree_primary_diagnosis") {
      if (!s) {
        error(p, "expected a string");
        continue;
      }
      auto t = tumour(p, *s);
      if (!t) continue;
      Expr e;
      e.kind = Expr::kTumour;
      e.tumour = *t;
      parts.push_back(e);
    } else if (k == "age_numerical") {
      auto cmp =
          s ? comparison(*s)
            : (v.is_number() ? std::optional<std::pair<std::string, double>>({"=", v.get<double>()}) : std::nullopt);
      if (!cmp) {
        error(p, "cannot read the age limit " + v.dump());
        continue;
      }
      if (cmp->first == "!=") {
        error(p, "age '!=' is not a limit");
        continue;
      }
      parts.push_back(leaf("age " + cmp->first + " " + number(cmp->second), true));
    } else if (k == "tmb_numerical") {
      auto cmp = s ? comparison(*s) : std::nullopt;
      if (!cmp) {
        error(p, "cannot read the TMB limit " + v.dump());
        continue;
      }
      parts.push_back(leaf("biomarker TMB " + cmp->first + " " + number(cmp->second)));
    } else if (k == "gender") {
      if (!s) {
        error(p, "expected a string");
        continue;
      }
      std::string g = *s;
      bool neg = !g.empty() && g[0] == '!';
      if (neg) g = g.substr(1);
      auto G = lower(trim(g));
      std::string sex = G == "male" ? "M" : G == "female" ? "F" : "";
      if (sex.empty()) {
        error(p, "unknown gender '" + *s + "'");
        continue;
      }
      parts.push_back(leaf(std::string("sex ") + (neg ? "!= " : "= ") + sex, true));
    } else if (k == "her2_status" || k == "er_status" || k == "pr_status") {
      std::string name = k == "her2_status" ? "HER2" : k == "er_status" ? "ER" : "PR";
      // matchengine-V2's true_false_map (dfci_config.json): true → Positive, false → Negative.
      std::optional<std::string> text = s;
      if (v.is_boolean())
        text = v.get<bool>() ? "Positive" : "Negative";
      else if (s && (lower(trim(*s)) == "true" || lower(trim(*s)) == "false"))
        text = lower(trim(*s)) == "true" ? "Positive" : "Negative";
      if (!text) {
        error(p, k0 + " " + v.dump() + ": expected a status text such as \"Positive\" (or true / false)");
        continue;
      }
      std::string val = *text;
      bool neg = !val.empty() && val[0] == '!';
      if (neg) val = val.substr(1);
      auto V = lower(trim(val));
      if (V != "positive" && V != "negative" && V != "equivocal" && V != "low") {
        error(p, "unknown " + k0 + " value '" + *s + "'");
        continue;
      }
      parts.push_back(leaf("biomarker " + name + (neg ? " != " : " = ") + V));
    } else if (k == "disease_status") {
      // Free text as curated ("Metastatic", "Refractory"; `!` negates): the patient record's
      // disease_status list (docs/inputs.md). MatchMiner's DFCI configuration ignores the key,
      // which widens the match; here it is a criterion.
      std::vector<Expr> any;
      auto one = [&](std::string val, std::string const& ptr) {
        bool neg = !val.empty() && val[0] == '!';
        if (neg) val = val.substr(1);
        auto t = lower(trim(val));
        if (t.empty() || t.find('"') != std::string::npos || t.find('\\') != std::string::npos) {
          error(ptr, "unreadable disease_status " + json(val).dump());
          return;
        }
        auto l = leaf("disease_status \"" + t + "\"", true);
        any.push_back(neg ? make(Expr::kNot, {l}) : l);
      };
      if (s)
        one(*s, p);
      else if (v.is_array() && !v.empty()) {
        for (std::size_t i = 0; i < v.size(); ++i) {
          if (v[i].is_string())
            one(v[i].get<std::string>(), p + "/" + std::to_string(i));
          else
            error(p + "/" + std::to_string(i), "expected a string");
        }
      } else {
        error(p, "expected a string or a list of strings");
        continue;
      }
      if (!any.empty()) parts.push_back(make(Expr::kOr, std::move(any)));
    } else {
      error(p, "clinical key '" + k0 +
                   "' has no translation (MatchMiner ignores some keys; ignoring them here "
                   "would widen the match)");
    }
  }
  return make(Expr::kAnd, std::move(parts));
}

/// matchengine-V2's prior_treatments collection (dfci_config.json): `{"drug": "X"}` (`!X`
/// negates) → prior "x".
Expr Converter::prior_treatment(std::string const& ptr, json const& c) {
  // Opens like clinical() above (object check, walk of the keys); the keys and what they become
  // are this criterion's own.
  if (!c.is_object()) {
    error(ptr, "a prior_treatments criterion must be an object {\"drug\": NAME}");
    return Expr{};
  }
  std::vector<Expr> parts;
  for (auto const& [k0, v] : c.items()) {
    auto p = ptr + "/" + util::json_pointer_token(k0);
    if (lower(k0) != "drug") {
      error(p, "prior_treatments key '" + k0 + "' has no translation");
      continue;
    }
    auto s = str(v);
    std::string d = s ? trim(*s) : "";
    bool neg = !d.empty() && d[0] == '!';
    if (neg) d = trim(d.substr(1));
    if (d.empty() || d.find('"') != std::string::npos || d.find('\\') != std::string::npos) {
      error(p, "expected a drug name, found " + v.dump());
      continue;
    }
    auto l = leaf("prior \"" + lower(d) + "\"", true);
    parts.push_back(neg ? make(Expr::kNot, {l}) : l);
  }
  return make(Expr::kAnd, std::move(parts));
}

// -- the tree --------------------------------------------------------------------------------

Expr Converter::node(std::string const& ptr, json const& v, int depth) {
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
    auto p = ptr + "/" + util::json_pointer_token(k0);
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
    } else if (k == "prior_treatments") {
      parts.push_back(prior_treatment(p, val));
    } else {
      error(p, "unknown match key '" + k0 + "'");
    }
  }
  return make(Expr::kAnd, std::move(parts));
}

}  // namespace actionable::import::ctml_detail
