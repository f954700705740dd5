// Output of `actionable match` besides canonical JSON Lines: a flat TSV a tumour board or a
// spreadsheet can read (one row per patient × match), and a cohort summary (patients per
// pathway, per class, per gene; indeterminate counts with the tests that would decide them).
// Both are rendered from the typed Outcome (never by re-parsing the result JSON).
#pragma once

#include <istream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <string>

#include "actionable/engine.hpp"
#include "actionable/outcome.hpp"

namespace actionable::cli {

inline std::string tsv_field(std::string s) {
  for (auto& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s;
}

template <class Range, class Text>
std::string join(Range const& items, char const* sep, Text text) {
  std::string out;
  for (auto const& x : items) {
    if (!out.empty()) out += sep;
    out += text(x);
  }
  return out;
}

inline char const* kTsvHeader =
    "patient\trecommended\toptions\tclass\ttherapies\tlevel\trule\ttrial\tarm\tcohort\teligible\t"
    "findings\tbecause\n";

/// TSV rows of one outcome (a patient without any match gets one row with an empty class).
inline std::string result_tsv(Outcome const& r) {
  auto str = [](auto const& x) { return std::string(x); };
  std::string s;
  std::string head =
      tsv_field(r.patient) + "\t" + tsv_field(std::string(to_string(r.pathway.recommended))) + "\t" +
      tsv_field(join(r.pathway.options, ",", [](PathwayOption o) { return std::string(to_string(o)); })) + "\t";
  if (r.matches.empty()) return head + "\t\t\t\t\t\t\t\t\t\n";
  for (auto const& m : r.matches) {
    std::string findings;
    for (auto idx : m.findings)
      if (idx < r.findings.size()) findings += (findings.empty() ? "" : "; ") + r.findings[idx].normalised;
    auto const& c = m.criterion;
    s += head + tsv_field(std::string(to_string(m.cls))) + "\t" + tsv_field(join(m.therapies, " | ", str)) + "\t" +
         tsv_field(m.level) + "\t" + tsv_field(c.kind == CriterionKind::kRule ? c.name : "") + "\t" +
         tsv_field(c.kind == CriterionKind::kTrialArm ? c.name : "") + "\t" + tsv_field(c.arm) + "\t" +
         tsv_field(c.kind == CriterionKind::kCohort ? c.name : "") + "\t" +
         (c.kind == CriterionKind::kCohort ? (m.eligible ? "yes" : "no") : "") + "\t" + tsv_field(findings) + "\t" +
         tsv_field(join(m.because, "; ", [](Reason const& b) { return b.text; })) + "\n";
  }
  return s;
}

/// Cohort summary, accumulated outcome by outcome (in input order: deterministic).
struct CohortSummary {
  std::size_t patients = 0, rejected = 0, with_actionable = 0;
  std::map<std::string, std::size_t> recommended, options, classes, genes, indeterminate_missing;
  std::size_t with_indeterminate = 0;
  std::size_t incomplete_input = 0;  ///< outcomes built from lab files that lost rows

  void add(Outcome const& r) {
    ++patients;
    if (r.input_incomplete) ++incomplete_input;
    ++recommended[std::string(to_string(r.pathway.recommended))];
    for (auto o : r.pathway.options) ++options[std::string(to_string(o))];
    std::set<std::string> cls, gs;
    for (auto const& m : r.matches) {
      cls.insert(std::string(to_string(m.cls)));
      for (auto idx : m.findings) {
        if (idx >= r.findings.size()) continue;
        auto const& n = r.findings[idx].normalised;
        auto word = n.substr(0, n.find(' '));  // "EGFR", "MSI" or "EML4::ALK"
        auto sep = word.find("::");
        auto add_gene = [&](std::string g) {  // "RP11-…?" is an unresolved symbol, no gene
          if (!g.empty() && g.back() != '?') gs.insert(std::move(g));
        };
        if (sep == std::string::npos) {
          add_gene(word);
        } else {  // a fusion counts for both partners
          add_gene(word.substr(0, sep));
          add_gene(word.substr(sep + 2));
        }
      }
    }
    bool actionable = cls.count("approved") || cls.count("standard_of_care") || cls.count("matched_trial") ||
                      cls.count("precision2_candidate");
    if (actionable) ++with_actionable;
    for (auto const& c : cls) ++classes[c];
    for (auto const& g : gs) ++genes[g];
    if (!r.indeterminate.empty()) ++with_indeterminate;
    std::set<std::string> missing;
    for (auto const& x : r.indeterminate)
      for (auto const& m : x.missing) missing.insert(m.test);
    for (auto const& m : missing) ++indeterminate_missing[m];
  }

  nlohmann::ordered_json json() const {
    nlohmann::ordered_json j;
    j["patients"] = patients;
    j["rejected_records"] = rejected;
    j["patients_with_actionable_option"] = with_actionable;
    j["recommended"] = recommended;
    j["options"] = options;
    j["patients_per_class"] = classes;
    j["patients_per_gene"] = genes;
    j["patients_with_indeterminate"] = with_indeterminate;
    j["indeterminate_would_be_decided_by"] = indeterminate_missing;
    if (incomplete_input) j["patients_with_incomplete_input"] = incomplete_input;
    return j;
  }
};

/// Reads records from `in` (JSON Lines or one JSON document), matches them on `threads`
/// workers in input order and writes `format` to `out` (src/cli/cmd_match.cpp); `explain`
/// writes the decision trace instead. Returns the exit code. Declared once here for
/// `match` and `explain`.
int run_match(std::shared_ptr<Engine const> const& engine, std::istream& in, std::ostream& out,
              std::string const& origin, std::string const& format, unsigned threads, bool explain,
              CohortSummary* summary = nullptr, RecordPolicy const& match_options = {});
/// Matches records already in memory as JSON values (the records `convert` would write, from
/// the lab-file readers) in the same batches, with the same checks and output as a JSON
/// Lines input whose line N is records[N - 1]; issues name `origin`:N.
int run_match(std::shared_ptr<Engine const> const& engine, std::vector<nlohmann::json> const& records,
              std::ostream& out, std::string const& origin, std::string const& format, unsigned threads,
              CohortSummary* summary = nullptr, RecordPolicy const& match_options = {});

}  // namespace actionable::cli
