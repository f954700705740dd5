// Private to src/sema (never installed): the Checker shared by check.cpp and its pass files.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "actionable/detail/sema/check.hpp"
#include "util/ascii.hpp"
#include "util/number_text.hpp"

namespace actionable::sema::detail {

/// "=", "!=", "<", "<=", ">", ">=".
char const* cmp_text(ast::Cmp c);

// Text helpers (names.cpp; case folding from src/util/ascii.hpp).
using util::lower;
using util::upper;
bool is_biomarker_name(std::string const& n);
/// Valid evidence levels per scheme (docs/language.md, "Evidence levels").
bool valid_level(std::string const& scheme, std::string const& tier);

/// State of one check: the inputs, the rule set being built and the symbol tables. The passes
/// run in the order of sema::check (check.cpp); each method is defined in the file named above it.
struct Checker {
  std::vector<ParsedFile> const& files;
  catalog::Catalog const& catalog;
  Diagnostics& diags;
  CheckOptions const& options;
  ir::RuleSet rs{};

  // current file during lowering
  SourceFile const* src = nullptr;
  ast::File const* file = nullptr;

  std::unordered_map<std::string, ir::AtomId> atom_index{};
  std::unordered_map<std::string, ir::NodeId> node_index{};
  std::unordered_map<std::string, ir::NodeId> define_nodes{};  // resolved defines
  struct DefineRef {
    std::size_t file;
    std::size_t index;
  };
  std::map<std::string, DefineRef> define_decls{};
  std::map<std::string, Span> global_names{};  // rules, trials, cohorts, defines

  Span span(ast::Located const& l) const { return Span{src, l.begin, l.end}; }

  void set_file(std::size_t i) {
    src = files[i].source.get();
    file = &files[i].file;
  }

  // ---- genes, codes, protein changes, define suggestions (names.cpp) -----------------

  std::optional<std::string> gene(ast::Name const& n);
  std::optional<catalog::TumourId> tumour_code(ast::Name const& n);
  std::optional<hgvs::ProteinChange> protein(ast::Name const& n, bool allow_position);
  std::string closest_define(std::string const& name) const;
  /// "did you mean" notes given so far for unknown genes: each scans every HGNC symbol, so a
  /// rule set gets at most kMaxGeneHints of them (docs/reliability.md, "Limits").
  std::size_t gene_hints = 0;
  static constexpr std::size_t kMaxGeneHints = 64;
  /// The same for unknown OncoTree codes (E211): each scans every OncoTree code and name.
  std::size_t tumour_hints = 0;
  static constexpr std::size_t kMaxTumourHints = 64;

  // ---- atoms, nodes and expressions (expressions.cpp) --------------------------------

  ir::AtomId intern_atom(ir::Atom a);
  ir::NodeId intern_node(ir::Op op, ir::AtomId atom, std::vector<ir::NodeId> kids);
  std::optional<ir::AtomId> lower_atom(ast::Atom const& a);
  std::optional<ir::AtomId> lower_biomarker(ast::Biomarker const& b);
  std::optional<ir::AtomId> lower_protein(ast::Biomarker const& b);
  /// A protein marker name with its method ("HER2 IHC") checked (E225); the canonical
  /// "NAME METHOD", or nullopt.
  std::optional<std::string> protein_test_name(ast::Name const& n);
  bool protein_fact(ast::PatientItem const& it, model::Patient& p);
  std::optional<ir::AtomId> lower_clinical(ast::Clinical const& c);
  /// The eligibility facts of lower_clinical (labs, washout, brain metastases, …; eligibility.cpp).
  bool lower_eligibility(ast::Clinical const& c, ir::Atom& out);
  std::optional<ir::AtomId> lower_tested(ast::Tested const& t);
  /// Lower an expression of the current file (recursion bounded by the parser's depth limit).
  std::optional<ir::NodeId> lower_expr(std::uint32_t id);

  // ---- pass 1: names; pass 2: defines (check.cpp) ------------------------------------

  void declare(std::string const& name, Span s, char const* what);
  void names();
  void collect_refs(ast::File const& f, std::uint32_t root, std::vector<ast::Name const*>& out);
  void defines();

  // ---- pass 3: criteria (criteria.cpp) -----------------------------------------------

  struct ClauseSet {
    std::vector<ast::Clause const*> by_kind[ast::kClauseKinds];
  };
  ClauseSet clauses_of(std::vector<ast::Clause> const& cs);
  static char const* clause_name(ast::ClauseKind k);
  void allow(ClauseSet const& s, std::initializer_list<ast::ClauseKind> allowed, char const* where);
  void at_most_one(ClauseSet const& s, ast::ClauseKind k);
  ast::Clause const* first(ClauseSet const& s, ast::ClauseKind k);
  std::string source_text(ast::Located const& l) const;
  bool lower_tumour(ast::TumourSet const& t, ir::TumourSet& out);
  std::optional<ir::Status> status(ast::Clause const* c);
  std::optional<ir::Status> status_value(ast::Name const& n);
  /// `phase` and `site CODE STATUS [slots N]` lines of a trial or an arm into `phase` /
  /// `centres` (an arm's lines replace the trial's); false on an error.
  bool trial_sites(ClauseSet const& s, std::string& phase, std::vector<ir::TrialSite>& centres);
  /// Fill the matching part of a criterion from clauses (own first, then inherited).
  bool evidence_clauses(ir::Criterion& cr, ClauseSet const& own, bool has_class, Span owner, std::string const& name);
  bool fill(ir::Criterion& cr, ClauseSet const& own, ClauseSet const* inherited, Span owner, char const* what);
  void criteria();

  // ---- pass 4: tests (tests.cpp) -----------------------------------------------------

  bool is_string_token(ast::Name const& n) const;
  void tests();
};

}  // namespace actionable::sema::detail
