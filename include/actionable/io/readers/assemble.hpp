// From input files to patient records (shared/spec/patient.md): format detection, reading, and
// the assembler that joins every input's entries into one record per sample.
//
// Joining: entries are keyed by sample id, after mapping aliases (CCLE Sanger ids, CTIMS _id) to
// their record id. Records appear in order of first mention over the inputs, in the order the
// inputs are given (so the same inputs always give the same bytes). Findings keep input order.
// A field given twice with different values keeps the first and warns with both locations.
// Files without a sample column (STAR-Fusion, MOAlmanac called CNAs, sample-less VCFs) belong to
// AssembleOptions::sample, else to the one sample the other inputs name (else: error).
// Gene panels become `tests` (panel.hpp). Gene symbols pass through as given: the engine
// resolves aliases. A bad row only ever loses its own entry.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/io/readers/common.hpp"

namespace actionable::io {

/// What an input is meant to be (a command-line flag); kAuto = detect.
enum class InputKind : std::uint8_t {
  kAuto,         ///< detect from the content
  kMaf,          ///< --maf
  kCna,          ///< --cna (matrix or per-row table)
  kSv,           ///< --sv (data_sv, fusion tables, STAR-Fusion)
  kClinical,     ///< --clinical
  kPanel,        ///< --panel (gene-panel file, gene-panel matrix, gene list)
  kVcf,          ///< --vcf
  kPhenopacket,  ///< --phenopacket
  kCtims,        ///< --ctims (MatchMiner / CTIMS extended JSON)
  kAlterations,  ///< gene + free-text alteration table (OncoKB atypical alterations)
  kMoalmanac,    ///< MOAlmanac / CCLE tables
};

struct Input {
  InputKind kind = InputKind::kAuto;
  std::string path;
  /// "germline" for --germline-maf / --germline-vcf; "" = as the file says (default somatic).
  std::string origin;
};

/// The format of `source` judged from its first lines; kAuto when unknown.
InputKind detect_format(Source const& source);
/// Human name of a kind ("maf", "vcf", …).
char const* kind_name(InputKind kind) noexcept;

/// Reads one input with the reader its content calls for (the flag decides only when the
/// content does not).
ReadResult read_input(Input const& input, ReadOptions const& options = {});

struct AssembleOptions {
  /// Record id for inputs without a sample column. "" = the one sample the other inputs name.
  std::string sample;
  /// OncoTree code for records whose inputs give none (e.g. "AML" for TCGA-LAML). "" = none.
  std::string tumour;
};

/// What one file contributed (for reports and tests).
struct FileSummary {
  std::string file;
  std::string format;
  Counts counts;
  std::size_t errors = 0, warnings = 0, notes = 0;
};

struct Assembly {
  std::vector<nlohmann::json> records;  ///< one per sample, stable order
  std::vector<Issue> issues;            ///< readers' issues (input order), then the assembler's
  std::vector<FileSummary> files;
  std::size_t error_count() const noexcept;
};

/// Joins readers' results into records.
Assembly assemble(std::vector<ReadResult> const& results, AssembleOptions const& options = {});

/// read_input on each input, then assemble.
Assembly assemble_inputs(std::vector<Input> const& inputs, ReadOptions const& read_options = {},
                         AssembleOptions const& options = {});

}  // namespace actionable::io

// ---------------------------------------------------------------------------------------------
// Command-line glue, defined in src/cli/cmd_convert.cpp (linked into the `actionable` program
// only). `actionable convert` and `actionable match --maf …` share these options.
namespace CLI {
class App;
}
namespace actionable::cli {

struct Common;

/// The input flags of `convert` / `match`.
struct InputOptions {
  std::vector<std::string> maf, germline_maf, cna, sv, clinical, panel, vcf, germline_vcf,
      phenopacket, ctims, other;
  std::string sample;         ///< --sample: id for files without a sample column
  std::string tumour;         ///< --tumour: default OncoTree code
  std::string tumour_sample;  ///< --tumour-sample: VCF tumour column
  std::string age_at;         ///< --age-at: CTIMS reference date
  bool verbose = false;       ///< --verbose: print every note (default: 20 per file)
  bool any() const noexcept;
};

/// Adds --maf, --germline-maf, --cna, --sv, --clinical, --panel, --vcf, --germline-vcf,
/// --phenopacket, --ctims, --input (all repeatable), --sample, --tumour, --tumour-sample,
/// --age-at and --verbose to `app`.
void add_input_options(CLI::App& app, InputOptions& options);

/// Reads and assembles the inputs (OncoTree names and protein changes checked against the
/// catalog of `common`), prints issues to stderr ("file:line: error: …") and a one-line summary
/// per file. Returns the records and the number of errors (rows skipped as unreadable); throws
/// CLI::RuntimeError(1) only when no input could be read at all.
struct AssembledInputs {
  std::vector<nlohmann::json> records;
  std::size_t errors = 0;
};
AssembledInputs assemble_from_options(InputOptions const& options, Common& common);

}  // namespace actionable::cli
