// The molecular tumour board report (docs/report.md): one document model built from the typed
// Outcome and the patient, rendered by separate back-ends — self-contained HTML (inline CSS and
// SVG figures, no script, A4 print stylesheet) and JSON (the model itself, for registry
// software that renders its own). Every statement is traceable to a rule (file:line) and a
// source; what is unknown (tests that would decide more) is shown as clearly as what is known.
// Fixed labels come from a message catalogue (English, Dutch, French); rule text stays as the
// rule author wrote it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actionable/catalog/catalog.hpp"
#include "actionable/model/patient.hpp"
#include "actionable/outcome.hpp"

namespace actionable::report {

enum class Language : std::uint8_t { kEn, kNl, kFr };
std::string_view to_string(Language l) noexcept;  ///< "en" | "nl" | "fr"
std::optional<Language> parse_language(std::string_view text) noexcept;

/// A fixed label in a language ("" when the key is unknown: tests check every key exists).
std::string_view label(Language lang, std::string_view key) noexcept;
/// Every key of a language's catalogue, sorted (for the completeness test).
std::vector<std::string_view> label_keys(Language lang);

struct Options {
  Language lang = Language::kEn;
  std::string report_date;     ///< YYYY-MM-DD: the run's date, never the wall clock's implicitly
  std::string engine_version;  ///< e.g. "0.1.0"
  /// Deployment-specific intended-use statement; "" = the catalogue's default.
  std::string intended_use;
};

/// A citation as shown: its text and, when it has one, a link (PMID → PubMed,
/// NCT → ClinicalTrials.gov, "EMA EPAR Name" → the EPAR page).
struct Citation {
  std::string text;
  std::string href;
};

struct Header {
  std::string pseudonym, centre;
  std::string tumour_code, tumour_name, tumour_path;  ///< path: "Tissue › Lung › NSCLC › LUAD"
  std::string stage, sex;
  std::optional<double> age, ecog, lines;
  std::string report_date, engine_version;
  RuleSetInfo ruleset;
  /// "precision1-be 2026.11.0"; rule sets side by side: each set's name and version,
  /// "precision1-be 2026.11.0 + civic-import civic-2026-05-26".
  std::string ruleset_label;
  std::string oncotree_version, hgnc_version;
  std::string intended_use;
};

struct OptionGroup {
  OptionClass cls = OptionClass::kApproved;
  std::vector<std::string> therapies;
};

struct Summary {
  PathwayOption recommended = PathwayOption::kEmpirical;
  std::vector<PathwayOption> options;
  std::string why;  ///< one sentence
  std::vector<OptionGroup> groups;
  bool provisional = false;
  std::vector<std::string> input_issues;
};

struct OptionRow {
  OptionClass cls = OptionClass::kApproved;
  std::string therapy;  ///< the therapies joined with " / "
  std::string level;
  std::vector<std::string> findings;  ///< normalised texts of the findings that drive it
  std::vector<Citation> cites;
  std::string criterion;           ///< rule name, "NCT… arm A" or cohort name
  std::string source;              ///< file:line of the rule
  std::vector<std::string> sites;  ///< quoted site names, then "BE-UZL (recruiting, 3 slots)"
  std::string phase;               ///< trials: "2", "1/2"; "" when not stated
  std::string availability;        ///< trials at sites: "open at this patient's centre" / "open elsewhere in Belgium"
  std::string eligibility;         ///< PRECISION 2 cohorts: "eligible" / why not
  std::string direction;           ///< evidence rows: "sensitivity" | "resistance" | "reduced_sensitivity" |
                                   ///< "adverse_response"
  bool supports = true;            ///< false: the evidence does not support `direction`
  std::vector<std::string> because;
};

/// "Order ROS1 FISH: 2 options depend on it".
struct TestToOrder {
  std::string test;
  std::vector<std::string> options;  ///< "[approved] crizotinib — ros1_crizotinib"
};

struct SuppressedRow {
  std::string criterion, therapy, by;
};
struct OffLabelRow {
  std::string therapy, criterion, level;
  std::vector<std::string> approved_in, findings;
  std::vector<Citation> cites;
};
struct NearMiss {
  std::string criterion, therapy, reason;
};

struct FindingRow {
  std::uint32_t index = 0;
  std::string gene, alteration, alteration3;  ///< HGVS p. one- and three-letter (or the event)
  std::string type, origin, method, specimen, classification;
  std::optional<double> vaf;
  std::vector<std::string> drives;  ///< options it drives ("approved: osimertinib")
  bool unresolved = false;
};

struct TestRow {
  std::string what;  ///< genes / biomarker
  std::string origin, method, specimen, panel;
};

struct TreatmentRow {
  std::optional<int> line;
  std::string drugs, start, end, best_response, progression;
};

struct Document {
  Language lang = Language::kEn;
  Header header;
  Summary summary;
  std::vector<OptionRow> options;  ///< approved, SoC, resistance, trials, PRECISION 2
  /// Literature / knowledge-base evidence (class evidence): its own section, never an option.
  std::vector<OptionRow> evidence;
  std::vector<TestToOrder> tests_to_order;
  std::vector<SuppressedRow> suppressed;
  std::vector<OffLabelRow> off_label;
  std::vector<NearMiss> near_misses;
  std::vector<FindingRow> findings;  ///< somatic (and biomarkers)
  std::vector<FindingRow> germline;  ///< in their own box, with a genetic-counselling note
  std::vector<TestRow> tests;
  std::vector<TreatmentRow> treatments;
  std::vector<UnresolvedGene> unresolved;
};

/// The document of one patient's outcome.
Document build(Outcome const& outcome, model::Patient const& patient, catalog::Catalog const& catalog,
               Options const& options);

/// One self-contained HTML file (no script, no network access; print stylesheet for A4).
std::string render_html(Document const& doc);
/// A4 PDF (cairo + pango): page numbers "N / M", a running header with pseudonym and date,
/// tables that break across pages with their header repeated. Same bytes for the same input.
std::string render_pdf(Document const& doc);
/// The document model as JSON (one line).
std::string render_json(Document const& doc);
/// An index page linking one report per patient (batch form): {file name, pseudonym, pathway}.
struct IndexEntry {
  std::string file, pseudonym, tumour;
  PathwayOption recommended = PathwayOption::kEmpirical;
  std::size_t options = 0;
};
std::string render_index_html(std::vector<IndexEntry> const& entries, Options const& options);

}  // namespace actionable::report
