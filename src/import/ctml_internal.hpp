// Private to src/import (never installed): the pieces of the CTML importer shared by ctml*.cpp.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/import/ctml.hpp"

namespace actionable::import::ctml_detail {

using nlohmann::json;

// ---- reading documents (ctml_read.cpp) ------------------------------------------------------

/// The JSON values of one input: JSON (several values one after the other allowed) or YAML
/// (by its name's extension). Returns false with `error` on a syntax error.
bool parse_documents(CtmlInput const& in, std::vector<json>& docs, std::string& error);

// ---- tumour sets ------------------------------------------------------------------------------

struct TumourSet {
  bool any = true;                ///< no include restriction
  std::set<std::string> include;  ///< codes or "SOLID" (when !any)
  std::set<std::string> except;   ///< codes
  bool operator<(TumourSet const& o) const {
    return std::tie(any, include, except) < std::tie(o.any, o.include, o.except);
  }
  bool operator==(TumourSet const& o) const = default;
};

// ---- the expression being built (ctml_expr.cpp) ---------------------------------------------

struct Expr {
  enum Kind { kTrue, kLeaf, kAnd, kOr, kNot, kTumour } kind = kTrue;
  std::string text;       // kLeaf
  bool clinical = false;  // kLeaf: a clinical field (age, sex) rather than an alteration/biomarker
  TumourSet tumour;       // kTumour
  std::vector<Expr> kids;
};

Expr leaf(std::string text, bool clinical = false);
/// A node of kind k over kids: nested and/or flattened, neutral elements dropped.
Expr make(Expr::Kind k, std::vector<Expr> kids);
/// Rule-language text of an expression (tumour and true nodes render as "").
std::string render(Expr const& e);
bool only_clinical(Expr const& e);
bool no_clinical(Expr const& e);

// ---- translation of one match tree (ctml_convert.cpp, ctml_genomic.cpp) ---------------------

struct Converter {
  catalog::Catalog const& cat;
  std::string file;
  std::vector<CtmlIssue>& issues;
  std::map<std::string, std::string> const& names;  // lower-case OncoTree name -> code
  bool tree_failed = false;

  void error(std::string const& ptr, std::string msg);
  void note(std::string const& ptr, std::string msg);
  static std::optional<std::string> str(json const& v);
  std::optional<std::string> gene(std::string const& ptr, std::string const& sym);

  // clinical (ctml_convert.cpp)
  std::optional<std::pair<std::string, double>> comparison(std::string s);
  static std::string number(double v);
  std::optional<TumourSet> tumour(std::string const& ptr, std::string value);
  Expr clinical(std::string const& ptr, json const& c);
  Expr prior_treatment(std::string const& ptr, json const& c);

  // genomic (ctml_genomic.cpp)
  Expr genomic(std::string const& ptr, json const& g);

  // the tree (ctml_convert.cpp)
  Expr node(std::string const& ptr, json const& v, int depth);
};

// ---- lifting tumours out of the tree (ctml_expr.cpp) ----------------------------------------

struct Lifter {
  catalog::OncoTree const& tree;

  bool solid_code(std::string const& c) const;
  /// Meet of two include terms (codes or SOLID); nullopt when disjoint.
  std::optional<std::string> meet(std::string const& a, std::string const& b) const;
  bool inside(std::string const& code, std::string const& anc) const;
  std::optional<TumourSet> intersect(TumourSet const& a, TumourSet const& b) const;

  using Branches = std::vector<std::pair<TumourSet, Expr>>;

  std::optional<Branches> lift(Expr const& e, std::size_t limit) const;
  Branches merge(Branches const& in, std::size_t) const;
};

}  // namespace actionable::import::ctml_detail
