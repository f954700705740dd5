// The one-call facade over the pipeline (parse → check → compile → evaluate → result JSON),
// for programs that link the library (registry, bindings, CLI). An Engine is immutable once
// built and safe to share between threads; match() is const and allocates per call only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actionable/catalog/catalog.hpp"
#include "actionable/diagnostics.hpp"
#include "actionable/model/patient.hpp"
#include "actionable/outcome.hpp"
#include "actionable/trace.hpp"

namespace actionable {

namespace ir {
class RuleSet;
}
namespace graph {
class DecisionGraph;
}

/// A rule file's path and text, as read (or as archived by the registry), and the rule set
/// it belongs to when several are used side by side (docs/language.md, "Rule sets side by
/// side"): sources with different `set` values form separate rule sets when more than one of
/// them declares a `ruleset`; otherwise `set` is ignored and all the sources form one.
struct RuleSource {
  std::string path;
  std::string text;
  std::uint32_t set = 0;
};

/// The outcome of matching one record: the result JSON (canonical, one line, no newline) or
/// the record's errors (never both).
struct MatchOutcome {
  bool ok = false;
  std::string json;
  std::vector<RecordError> errors;
};

/// Per-call options of match_json / explain_json / report_text.
struct RecordPolicy {
  /// A gene symbol HGNC does not resolve: false (default) rejects the record, true keeps the
  /// finding with its symbol unresolved (`--unknown-genes warn`; docs/inputs.md).
  bool warn_unknown_genes = false;
};

class Engine {
 public:
  /// Read every `.rules` file under the given files/directories (directories recursively,
  /// sorted by path), compile them as one rule set — or, when more than one of the paths
  /// declares a `ruleset`, each path as its own rule set, side by side (each must then declare
  /// exactly one). Returns nullptr when there are errors; all diagnostics (errors and
  /// warnings) go to `diags`.
  static std::shared_ptr<Engine const> from_paths(std::vector<std::string> const& paths,
                                                  std::shared_ptr<catalog::Catalog const> catalog, Diagnostics& diags);
  /// Same, from sources already in memory (e.g. a rule set archived in the registry).
  static std::shared_ptr<Engine const> from_sources(std::vector<RuleSource> sources,
                                                    std::shared_ptr<catalog::Catalog const> catalog,
                                                    Diagnostics& diags);

  /// Match one patient (a model::Patient read by io::read_patient_json, by a lab-file reader, or
  /// built by the caller). Errors only for what the engine cannot interpret: a tumour code
  /// that is not in the loaded OncoTree ("/tumour/oncotree").
  Result<Outcome> match(model::Patient const& patient) const;
  /// match() over many patients on `threads` threads (0 = all cores); results in input order.
  std::vector<Result<Outcome>> match_many(std::vector<model::Patient> const& patients, unsigned threads = 0) const;

  /// The decision trace of one patient as data (trace.hpp): every criterion reached with each
  /// atom's value, and the outcome. Errors as match().
  Result<Trace> explain(model::Patient const& patient) const;

  /// Match one patient record given as JSON text (patient.md): io::read_patient_json, match,
  /// io::write_outcome.
  MatchOutcome match_json(std::string_view record, RecordPolicy const& options = {}) const;

  /// The decision trace of one record, for people (`actionable explain`): the patient as
  /// read, every criterion its tumour and findings reach with each atom's value, then the
  /// outcome. On a bad record, returns the errors instead (ok = false).
  MatchOutcome explain_json(std::string_view record, RecordPolicy const& options = {}) const;
  /// The match as a readable report (`actionable match --format text`).
  MatchOutcome report_text(std::string_view record, RecordPolicy const& options = {}) const;

  /// Run the rule set's `test` blocks (dsl.md §7).
  struct TestReport {
    std::size_t passed = 0;
    std::size_t failed = 0;
    std::vector<std::string> failures;  ///< "file:line: test \"title\": what differed"
  };
  TestReport run_tests() const;

  /// The rule set's identity; with several side by side, the combined one (names and
  /// versions joined with " + ", sha256 over the parts' sha256s: docs/language.md).
  RuleSetInfo const& info() const noexcept;
  /// Each rule set's own identity, in order (one entry for a single rule set).
  std::vector<RuleSetInfo> const& rule_sets() const noexcept;
  std::shared_ptr<ir::RuleSet const> rules() const noexcept;
  std::shared_ptr<graph::DecisionGraph const> graph() const noexcept;
  /// Graphviz DOT of the compiled decision graph.
  std::string dot() const;
  std::vector<RuleSource> const& sources() const noexcept;
  catalog::Catalog const& catalog() const noexcept;

  ~Engine();

 private:
  struct Impl;

 public:
  explicit Engine(std::unique_ptr<Impl> impl);  ///< used by from_sources; Impl is private

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace actionable
