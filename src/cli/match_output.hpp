// Output of `actionable match` besides canonical JSON Lines: a flat TSV a tumour board or a
// spreadsheet can read (one row per patient × match), and a cohort summary (patients per
// pathway, per class, per gene; indeterminate counts with the tests that would decide them).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <string>

namespace actionable::cli {

inline std::string tsv_field(std::string s) {
  for (auto& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s;
}

inline std::string join(nlohmann::json const& arr, char const* sep) {
  std::string out;
  for (auto const& x : arr) {
    if (!out.empty()) out += sep;
    out += x.is_string() ? x.get<std::string>() : x.dump();
  }
  return out;
}

inline char const* kTsvHeader =
    "patient\trecommended\toptions\tclass\ttherapies\tlevel\trule\ttrial\tarm\tcohort\teligible\t"
    "findings\tbecause\n";

/// TSV rows of one result (a patient without any match gets one row with an empty class).
inline std::string result_tsv(nlohmann::json const& r) {
  std::string s;
  std::string head = tsv_field(r.value("patient", "")) + "\t" +
                     tsv_field(r["pathway"].value("recommended", "")) + "\t" +
                     tsv_field(join(r["pathway"]["options"], ",")) + "\t";
  auto const& fs = r["findings"];
  if (r["matches"].empty()) return head + "\t\t\t\t\t\t\t\t\t\n";
  for (auto const& m : r["matches"]) {
    std::string findings;
    for (auto const& i : m["findings"]) {
      auto idx = i.get<std::size_t>();
      if (idx < fs.size()) findings += (findings.empty() ? "" : "; ") + fs[idx].value("normalised", "");
    }
    s += head + tsv_field(m.value("class", "")) + "\t" + tsv_field(join(m["therapies"], " | ")) + "\t" +
         tsv_field(m.value("level", "")) + "\t" + tsv_field(m.value("rule", "")) + "\t" +
         tsv_field(m.value("trial", "")) + "\t" + tsv_field(m.value("arm", "")) + "\t" +
         tsv_field(m.value("cohort", "")) + "\t" +
         (m.contains("eligible") ? (m["eligible"].get<bool>() ? "yes" : "no") : "") + "\t" +
         tsv_field(findings) + "\t" + tsv_field(join(m["because"], "; ")) + "\n";
  }
  return s;
}

/// Cohort summary, accumulated result by result (in input order: deterministic).
struct CohortSummary {
  std::size_t patients = 0, rejected = 0, with_actionable = 0;
  std::map<std::string, std::size_t> recommended, options, classes, genes, indeterminate_missing;
  std::size_t with_indeterminate = 0;
  std::size_t incomplete_input = 0;  ///< results built from lab files that lost rows

  void add(nlohmann::json const& r) {
    ++patients;
    if (r.value("input", "") == "incomplete") ++incomplete_input;
    ++recommended[r["pathway"].value("recommended", "")];
    for (auto const& o : r["pathway"]["options"]) ++options[o.get<std::string>()];
    std::set<std::string> cls, gs;
    auto const& fs = r["findings"];
    for (auto const& m : r["matches"]) {
      cls.insert(m.value("class", ""));
      for (auto const& i : m["findings"]) {
        auto idx = i.get<std::size_t>();
        if (idx >= fs.size()) continue;
        auto n = fs[idx].value("normalised", "");
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
    bool actionable = cls.count("approved") || cls.count("standard_of_care") ||
                      cls.count("matched_trial") || cls.count("precision2_candidate");
    if (actionable) ++with_actionable;
    for (auto const& c : cls) ++classes[c];
    for (auto const& g : gs) ++genes[g];
    if (!r["indeterminate"].empty()) ++with_indeterminate;
    std::set<std::string> missing;
    for (auto const& x : r["indeterminate"])
      for (auto const& m : x["missing"]) missing.insert(m.get<std::string>());
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

}  // namespace actionable::cli
