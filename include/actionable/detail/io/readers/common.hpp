// Shared vocabulary of the input readers (issue #4; patient model: shared/spec/patient.md).
//
// Every reader turns one input file into a ReadResult: a flat list of Entries ("sample S has
// finding F", "sample S has field /age = 61", "panel P is used by sample S", ...) plus the Issues
// met on the way, each with file:line. Readers never build patient records themselves: the
// assembler (assemble.hpp) joins entries from all inputs into one record per sample, so a bad
// row can only ever drop its own entry, never change another sample's record.
// No exceptions leave a reader; a file that cannot be opened is one kError issue at line 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace actionable::io {

class TumourResolver;

/// How bad a row problem is.
enum class IssueLevel : std::uint8_t {
  kNote,     ///< a row skipped by policy (copy number 0, "Wild type", FILTER not PASS, …)
  kWarning,  ///< the row was read, but part of it was dropped or reinterpreted
  kError,    ///< the row (or file) could not be read and was skipped
};

/// One problem, located at file:line (line 0 = the whole file).
struct Issue {
  IssueLevel level = IssueLevel::kError;
  std::string file;
  std::size_t line = 0;
  std::string message;  ///< one line, no trailing period
  /// The sample (record id as the file names it) whose data the problem concerns; "" = not
  /// known (the row could not be read far enough, or the problem is the whole file's). The
  /// assembler uses it to mark exactly the records that lost data (docs/inputs.md,
  /// "Incomplete input").
  std::string sample;

  /// "file:line: error: message" (":line" omitted when 0).
  std::string to_string() const;
};

/// What a reader read (every count is of data rows or findings, never of header lines).
struct Counts {
  std::size_t rows = 0;           ///< data rows (or records) seen
  std::size_t variants = 0;       ///< type "variant" findings produced
  std::size_t cnvs = 0;           ///< type "cnv" findings produced
  std::size_t fusions = 0;        ///< type "fusion" findings produced
  std::size_t exon_skipping = 0;  ///< type "exon_skipping" findings produced
  std::size_t biomarkers = 0;     ///< type "biomarker" findings produced
  std::size_t skipped = 0;        ///< rows that produced nothing (errors and policy skips)
  std::size_t samples = 0;        ///< distinct sample ids named by the file
  std::size_t panels = 0;         ///< gene-panel definitions read
  std::size_t findings() const noexcept { return variants + cnvs + fusions + exon_skipping + biomarkers; }
  /// Counts one finding of `type` ("variant", "cnv", "fusion", "exon_skipping", "biomarker"; any
  /// other type is not counted): the readers' Collector and the assembler's summaries.
  void add_finding(std::string_view type) noexcept {
    if (type == "variant")
      ++variants;
    else if (type == "cnv")
      ++cnvs;
    else if (type == "fusion")
      ++fusions;
    else if (type == "exon_skipping")
      ++exon_skipping;
    else if (type == "biomarker")
      ++biomarkers;
  }
};

/// One fact about one sample, as read from one row.
struct Entry {
  enum class Kind : std::uint8_t {
    kSample,   ///< the sample exists (value unused)
    kFinding,  ///< value = a finding object (patient.md "findings")
    kTest,     ///< value = a test object (patient.md "tests")
    kField,    ///< key = JSON pointer into the record ("/age", "/tumour/oncotree"), value = value
    kPanel,    ///< key = gene-panel stable_id used by the sample; value = array of profiles
    kAlias,    ///< value = another id (string) that names the same sample
    kPatient,  ///< patient-level fields: sample = patient id, key/value as kField
    kNeutral,  ///< value = a finding object for a call that found nothing (copy-number
               ///< neutral): not a finding, kept only to report conflicting calls
  };
  Kind kind = Kind::kSample;
  std::string sample;  ///< "" = the one sample of a file that names none (STAR-Fusion, called CNAs)
  std::size_t line = 0;
  std::string key;
  nlohmann::json value;
};

/// A gene panel (cBioPortal gene-panel file): which genes it covers.
struct PanelDef {
  std::string id;  ///< stable_id
  std::string description;
  std::vector<std::string> genes;  ///< in file order, duplicates removed
  std::size_t line = 0;
};

/// Everything one input file contributed.
struct ReadResult {
  std::string file;    ///< path (or name of in-memory text)
  std::string format;  ///< detected format, e.g. "maf", "cbioportal-cna-matrix", "vcf-vep"
  std::vector<Entry> entries;
  std::vector<PanelDef> panels;
  std::vector<Issue> issues;
  Counts counts;

  std::size_t error_count() const noexcept;
  std::size_t count(IssueLevel level) const noexcept;
};

/// Checks one protein change (e.g. actionable::hgvs::parse_protein); returns false and may set
/// `why` when the text is not a protein change the engine understands.
using ProteinValidator = std::function<bool(std::string_view text, std::string* why)>;

/// Options every reader understands. Defaults are listed with each member.
struct ReadOptions {
  /// Origin of findings when the file does not say (MAF Mutation_Status, SV_Status, ...).
  /// "" = somatic. Set to "germline" for germline MAFs / VCFs.
  std::string origin;
  /// Optional protein-change check. Unset: every "p." string is passed through as given.
  /// Set: a change that fails is dropped from the finding (kept as "hgvsp_unparsed") with a
  /// warning; the gene-level finding (consequence, exon) is kept.
  ProteinValidator validate_protein;
  /// Optional OncoTree lookup for names / NCIt ids (CTIMS diagnoses, Phenopacket terms).
  TumourResolver const* tumours = nullptr;
  /// VCF: the tumour sample column (default: ##tumor_sample header, a column named like
  /// "TUMOR", else the only / first sample).
  std::string vcf_tumour_sample;
  /// CTIMS: compute "age" at this date (YYYY-MM-DD) from BIRTH_DATE; "" = no age.
  std::string age_reference_date;
};

/// Where a reader reads from: a file, or text in memory (for tests) named `path` in messages.
struct Source {
  std::string path;
  std::optional<std::string> text;
  static Source file(std::string path) { return Source{std::move(path), std::nullopt}; }
  static Source memory(std::string name, std::string text) { return Source{std::move(name), std::move(text)}; }
};

}  // namespace actionable::io
