// Shared pieces of the knowledge importers (issue #3: `actionable import civic`,
// `actionable import ctml`): generated rule files, and the compile check that every importer
// runs on its own output before handing it back, so that `actionable check` on an import
// always succeeds. An importer never widens what its source says: whatever it cannot translate
// faithfully is left out and reported with its reason.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actionable/catalog/catalog.hpp"

namespace actionable::import {

/// One block of generated rule text (a rule, a trial, a define…) with an owner key, so that a
/// block the compiler rejects can be traced back to the input item it came from.
struct Block {
  std::string owner;  ///< input item id (CIViC "EID123", CTML "11-111 / ARM 1")
  std::string text;   ///< the block's text, ending with a newline
};

/// A generated rule file: a header (comments, `ruleset`) and blocks.
struct GeneratedFile {
  std::string path;    ///< relative path inside the output directory ("EGFR.rules")
  std::string header;  ///< text before the blocks
  std::vector<Block> blocks;
  std::string text() const;
};

/// A block the rule compiler rejected.
struct Rejected {
  std::string owner;
  std::string message;  ///< the first error diagnostic on that block, "[CODE] message"
};

/// Compile the files as one rule set (in memory); remove every block on which the compiler
/// reports an error, and repeat until the set compiles (at most `max_rounds`). Returns the
/// removed blocks. Files left without blocks are kept (their header may hold the `ruleset`).
/// `remaining_errors` receives diagnostics that could not be attributed to a block (empty
/// when the output compiles).
std::vector<Rejected> drop_uncompilable(std::vector<GeneratedFile>& files,
                                        std::shared_ptr<catalog::Catalog const> const& catalog,
                                        std::string* remaining_errors, int max_rounds = 8);

/// Quote a string for the rule language ("…", with \" and \\ escaped; newlines become blanks).
std::string quote(std::string const& s);

/// A rule-language identifier made from free text: [A-Za-z_][A-Za-z0-9_.-]*.
std::string identifier(std::string const& s);

/// Lower-case ASCII copy.
std::string lower(std::string s);
/// Upper-case ASCII copy.
std::string upper(std::string s);
/// Trim ASCII blanks.
std::string trim(std::string const& s);

/// Write the files under `dir` (created when missing). Returns false and sets `error` on failure.
bool write_files(std::string const& dir, std::vector<GeneratedFile> const& files, std::string* error);

}  // namespace actionable::import
