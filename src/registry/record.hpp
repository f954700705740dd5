// The registry's reading of a patient record (shared/spec/patient.md) and of follow-up and
// decision documents: every known field is type-checked, every unknown field is dropped (it may
// hold a name or a national number). The match input is rebuilt from known fields only, with
// "patient" replaced by the pseudonym, and dumped canonically (sorted keys, one line).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/registry/registry.hpp"

namespace actionable::registry::detail {

struct ParsedTest {
  std::string origin = "somatic";
  std::optional<std::string> method, specimen, panel, biomarker;
  std::vector<std::string> genes;
};

struct ParsedFinding {
  std::string origin = "somatic";
  std::string type = "variant";
  std::optional<std::string> gene;  ///< gene, gene5::gene3 for fusions, or biomarker name
  nlohmann::json data;              ///< known fields only
};

struct ParsedRecord {
  std::string local_id;
  std::string centre;
  std::optional<std::string> oncotree, stage, sex, included;
  std::optional<std::int64_t> age, ecog, lines;
  std::vector<ParsedTest> tests;
  std::vector<ParsedFinding> findings;
  std::vector<TreatmentInput> treatments;
  std::vector<ConsentInput> consents;
  nlohmann::json match_input;  ///< known matching fields; "patient" filled by canonical_input()
};

/// Parse and sanitise one record. `default_centre` is used when the record has no "centre".
/// Problems are appended to `issues` (JSON pointer + message); nullopt when any.
std::optional<ParsedRecord> parse_record(std::string_view text, std::string const& default_centre,
                                         std::vector<RecordIssue>& issues);

/// The canonical match input: match_input with "patient" = pseudonym, dumped sorted, one line.
std::string canonical_input(ParsedRecord const& r, std::string const& pseudonym);

/// A follow-up document: {"patient", "centre"?, "visit", "date", "disease_status"?, "recist"?,
/// "progression"?, "line"?, "vital_status", "death_date"?, "treatment"?: {…}}.
std::optional<FollowUpInput> parse_follow_up(std::string_view text, std::string const& default_centre,
                                             std::string& local_id, std::string& centre,
                                             std::vector<RecordIssue>& issues);

/// Field checks shared with the C++ API (decide / follow-up given as structs).
bool valid_option(std::string_view option);
bool valid_response(std::string_view r);

}  // namespace actionable::registry::detail
