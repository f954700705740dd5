// OncoTree code lookup for inputs that name a tumour rather than code it: CTIMS / MatchMiner
// (ONCOTREE_PRIMARY_DIAGNOSIS_NAME "Lung Adenocarcinoma"), Phenopackets (NCIT:C3512,
// "oncotree:LUAD"). Built from the flattened OncoTree TSV (columns code, name, …, nci), e.g.
// rules/reference/oncotree_2025_10_03.tsv. An immutable value; no global state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "actionable/detail/io/readers/common.hpp"

namespace actionable::io {

class TumourResolver {
 public:
  /// Loads the TSV; nullopt (and `error` set) when it cannot be read or lacks code/name columns.
  static std::optional<TumourResolver> load(Source const& source, std::string* error = nullptr);

  /// The OncoTree code for: a code ("LUAD", case-insensitive), a name ("Lung Adenocarcinoma",
  /// case-insensitive), an NCIt id ("NCIT:C3512" or "C3512"), or "oncotree:LUAD".
  std::optional<std::string> code_for(std::string_view text) const;
  std::size_t size() const noexcept { return codes_.size(); }

 private:
  std::unordered_map<std::string, std::string> codes_;  // upper-case code -> code
  std::unordered_map<std::string, std::string> names_;  // lower-case name -> code
  std::unordered_map<std::string, std::string> ncit_;   // "C3512" -> code
};

}  // namespace actionable::io
