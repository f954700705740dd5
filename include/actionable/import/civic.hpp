// CIViC clinical evidence → rule files (issue #3 part 2; user guide: docs/civic.md).
//
// Input: the CIViC "ClinicalEvidenceSummaries" TSV (CC0), one evidence item per row.
// Output: a compilable rule set, one file per gene (plus ruleset.rules), one rule per imported
// evidence item, named civic_eid<EID>, citing its PMID (or ASCO / ASH abstract), the EID, the
// rating and any NCT ids of the row, with `level CIViC:<A–E>`. Molecular profiles with AND /
// OR / NOT become the same boolean expression in the rule language. Diseases map to OncoTree
// through the shipped, reviewed table rules/reference/civic_disease_oncotree.tsv.
// What is not imported is counted by reason; nothing is silently widened.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actionable/catalog/catalog.hpp"
#include "actionable/import/common.hpp"

namespace actionable::import {

/// The reviewed CIViC disease → OncoTree table (rules/reference/civic_disease_oncotree.tsv).
/// Columns: doid, civic_disease, oncotree (comma-separated codes, `any` or `SOLID`; empty =
/// unmapped), mapping, review, note. Rows without a DOID are matched by disease name.
class DiseaseMap {
 public:
  struct Entry {
    std::string doid;                ///< "DOID:3908" ("" for CIViC diseases without a DOID)
    std::string disease;             ///< CIViC disease name
    std::vector<std::string> codes;  ///< empty = unmapped
    std::string mapping, review, note;
  };
  static std::optional<DiseaseMap> load(std::string const& path, std::string* error);
  static std::optional<DiseaseMap> parse(std::string_view text, std::string const& origin, std::string* error);
  /// By DOID (numeric "3908" or "DOID:3908"), else by disease name (case-insensitive).
  Entry const* find(std::string_view doid, std::string_view disease) const;
  std::vector<Entry> const& entries() const noexcept { return entries_; }
  /// rules/reference/civic_disease_oncotree.tsv next to the catalog's reference directory.
  static std::string default_path(std::string const& reference_dir);

 private:
  std::vector<Entry> entries_;
  std::map<std::string, std::size_t> by_doid_;  // "DOID:3908"
  std::map<std::string, std::size_t> by_name_;  // lower-case name
};

struct CivicOptions {
  std::string ruleset_name = "civic-import";
  std::string version;         ///< "" = "civic-" + newest last_review_date of the input
  std::string levels = "ABC";  ///< evidence levels to import (CIViC:A–E)
  /// What to do with predictive Sensitivity/Response evidence that Supports the association:
  /// "evidence" (the default: `class evidence`, `direction sensitivity`) or "skip". CIViC items
  /// are never `approved` nor `standard_of_care` (docs/civic.md, "Which class?").
  std::string sensitivity_class = "evidence";
  bool include_flagged = false;  ///< import items CIViC marks is_flagged (default: skip them)
  /// Emit ruleset.rules with the `ruleset` declaration. Off when the rules join another rule
  /// set (`--no-ruleset`); the compile check still runs with the declaration.
  bool with_ruleset = true;
};

/// What happened to one evidence item.
struct CivicOutcome {
  std::string eid;        ///< "EID1234"
  std::string gene_file;  ///< the output file of an imported item
  bool imported = false;
  std::string reason;              ///< skipped: the reason category (see docs/civic.md); imported: ""
  std::string detail;              ///< the variant / disease / message that caused it
  std::vector<std::string> notes;  ///< imported with remarks (orientation, phenotype, symbol)
  bool predictive_abc = false;     ///< evidence type Predictive with level A, B or C
};

struct CivicResult {
  std::vector<GeneratedFile> files;    ///< ruleset.rules + one file per gene
  std::vector<CivicOutcome> outcomes;  ///< one per input row, in input order
  std::vector<std::string> errors;     ///< input problems (bad header, unreadable rows)
  std::string report;                  ///< the human-readable report (report.md)
  std::size_t imported = 0;
  std::size_t predictive_abc = 0, predictive_abc_imported = 0;
};

/// Import a CIViC evidence TSV given as text (`origin` names it in messages).
CivicResult import_civic(std::string_view tsv, std::string const& origin, DiseaseMap const& diseases,
                         std::shared_ptr<catalog::Catalog const> const& catalog, CivicOptions const& options = {});

/// Translate one CIViC molecular profile ("EGFR L858R OR EGFR Exon 19 Deletion") into a rule
/// expression with the given origin prefix ("somatic", "germline" or ""). On failure returns
/// nullopt and sets `reason` (category) and `detail`. `notes` collects remarks. Exposed for tests.
std::optional<std::string> civic_profile_expression(std::string_view profile, std::string const& origin,
                                                    catalog::Catalog const& catalog, std::string* reason,
                                                    std::string* detail, std::vector<std::string>* notes);

}  // namespace actionable::import
