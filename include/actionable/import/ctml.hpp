// MatchMiner CTML trials → `trial` blocks (issue #3 part 3; user guide: docs/ctml.md).
//
// Input: CTML documents as JSON (one object, an array of objects, or several objects one after
// the other). Every `match` tree (of a step, an arm or a dose level) becomes one or more arms
// of the trial: the tumour criteria (`oncotree_primary_diagnosis`, names → OncoTree codes,
// `_SOLID_` / `_LIQUID_`, `!` = except) are lifted out of the boolean tree into the arm's
// `tumour` clause, so a tree whose branches name different tumours becomes one arm per tumour
// set ("ARM 1 #1", "ARM 1 #2"). Genomic and clinical criteria become the arm's `when`.
// A criterion that cannot be translated faithfully is an error: the arm (match tree) it is in
// is left out and the error names the file, the JSON pointer and the reason. MatchMiner's
// "ignored" keys (her2_status: ignore…) are errors here too, never silently dropped.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "actionable/catalog/catalog.hpp"
#include "actionable/import/common.hpp"

namespace actionable::import {

struct CtmlOptions {
  std::string ruleset_name = "ctml-import";
  std::string version = "ctml";
  /// Emit a `ruleset` declaration (ruleset.rules). Off when the trials join another rule set.
  bool with_ruleset = true;
  /// Largest number of arms one match tree may expand to (tumour sets × branches).
  std::size_t max_arms_per_tree = 64;
};

struct CtmlIssue {
  std::string file;
  std::string pointer;  ///< JSON pointer of the criterion ("/treatment_list/step/0/arm/1/match/0/and/2")
  std::string message;
  bool error = true;              ///< false: a note (e.g. a closed arm kept with status closed)
  std::string to_string() const;  ///< "file: /pointer: error: message"
};

struct CtmlResult {
  std::vector<GeneratedFile> files;  ///< ruleset.rules (optional) + one file per input document set
  std::vector<CtmlIssue> issues;
  std::size_t trials = 0, trials_written = 0;
  std::size_t match_trees = 0, match_trees_written = 0;
  std::size_t arms_written = 0;
  std::string report;
  bool has_errors() const;
};

/// One input: its display name and its text (JSON).
struct CtmlInput {
  std::string name;
  std::string text;
};

/// Convert CTML documents. Each input becomes one output file named after it
/// ("11-111.json" → "11-111.rules"). Trials are named by their NCT id when the document has
/// one (`nct_id`), else "CTML_" + protocol_no (never an invented NCT number).
CtmlResult import_ctml(std::vector<CtmlInput> const& inputs, std::shared_ptr<catalog::Catalog const> const& catalog,
                       CtmlOptions const& options = {});

}  // namespace actionable::import
