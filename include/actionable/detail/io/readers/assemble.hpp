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
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/detail/io/readers/common.hpp"

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

/// How a gene symbol of a lab file resolved against the gene catalog (HGNC), as the
/// caller's resolver says (the readers do not link the catalog).
struct GeneResolution {
  enum class Kind : std::uint8_t {
    kResolved,   ///< an approved symbol, or an alias / previous symbol of exactly one gene
    kAmbiguous,  ///< an alias / previous symbol of several genes (`candidates`)
    kUnknown,    ///< not a symbol HGNC knows (clone-based loci RP11-…, AC0…, typos)
  };
  Kind kind = Kind::kUnknown;
  std::string symbol;                   ///< approved symbol when resolved
  std::vector<std::string> candidates;  ///< approved symbols when ambiguous
};
struct GeneResolver {
  std::function<GeneResolution(std::string_view symbol)> lookup;
  /// Approved symbol of an HGNC id ("HGNC:1097" → "BRAF"); "" when unknown. Optional.
  std::function<std::string(std::string_view hgnc_id)> symbol_of_id;
};

/// What to do with a gene symbol of a lab file that the catalog does not resolve.
enum class UnknownGenes : std::uint8_t {
  kWarn,   ///< keep the finding, its symbol marked unresolved (default for lab files)
  kError,  ///< leave the symbol as written: the engine then rejects the record
};

struct AssembleOptions {
  /// Record id for inputs without a sample column. "" = the one sample the other inputs name.
  std::string sample;
  /// OncoTree code for records whose inputs give none (e.g. "AML" for TCGA-LAML). "" = none.
  std::string tumour;
  /// Resolves gene symbols (null: symbols pass through unchecked, as before).
  GeneResolver const* genes = nullptr;
  UnknownGenes unknown_genes = UnknownGenes::kWarn;
};

/// What one file contributed (for reports and tests).
struct FileSummary {
  std::string file;
  std::string format;
  Counts counts;
  std::size_t errors = 0, warnings = 0, notes = 0;
};

/// How one record was assembled (parallel to Assembly::records).
struct RecordSummary {
  std::string id;
  std::vector<std::string> inputs;      ///< files that contributed to it, in input order
  Counts counts;                        ///< its findings by type (rows / samples unused)
  std::vector<Issue> errors;            ///< rows of its inputs that could not be read
  std::vector<std::string> unresolved;  ///< gene symbols kept unresolved
  std::size_t merged = 0;               ///< findings merged with the same fact from another input
  bool incomplete() const noexcept { return !errors.empty(); }
};

struct Assembly {
  std::vector<nlohmann::json> records;   ///< one per sample, stable order
  std::vector<RecordSummary> summaries;  ///< one per record, same order
  std::vector<Issue> issues;             ///< readers' issues (input order), then the assembler's
  std::vector<FileSummary> files;
  /// Problems that make the whole run unusable (a file that yielded nothing, rows that belong
  /// to no record): the caller must not write any result when this is non-empty.
  std::vector<Issue> fatal;
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
  std::vector<std::string> maf, germline_maf, cna, sv, clinical, panel, vcf, germline_vcf, phenopacket, ctims, other;
  std::string sample;         ///< --sample: id for files without a sample column
  std::string tumour;         ///< --tumour: default OncoTree code
  std::string tumour_sample;  ///< --tumour-sample: VCF tumour column
  std::string age_at;         ///< --age-at: CTIMS reference date
  bool verbose = false;       ///< --verbose: print every note (default: 20 per file)
  bool list_samples = false;  ///< convert --list-samples: list the records, write none
  bool keep_going = false;    ///< --keep-going: keep records that lost rows, marked incomplete
  std::string unknown_genes;  ///< --unknown-genes warn|error; "" = warn for lab files, error for JSON
  bool any() const noexcept;
};

/// Adds --maf, --germline-maf, --cna, --sv, --clinical, --panel, --vcf, --germline-vcf,
/// --phenopacket, --ctims, --input (all repeatable), --sample, --tumour, --tumour-sample,
/// --age-at and --verbose to `app`.
void add_input_options(CLI::App& app, InputOptions& options);

/// Reads and assembles the inputs (OncoTree names, protein changes and gene symbols checked
/// against the catalog of `common`), prints issues to stderr ("file:line: error: …"), a
/// one-line summary per file and, when the inputs form several records, one line per record.
/// Records that lost a row are dropped with an error (`rejected` counts them), or kept marked
/// `"input": "incomplete"` under --keep-going. Throws CLI::RuntimeError(1) when the run cannot
/// be trusted at all (a file that yielded nothing, rows that belong to no record).
struct AssembledInputs {
  std::vector<nlohmann::json> records;
  std::vector<io::RecordSummary> summaries;
  std::size_t errors = 0;    ///< rows that could not be read
  std::size_t rejected = 0;  ///< records dropped because they lost rows
};
AssembledInputs assemble_from_options(InputOptions const& options, Common& common);

}  // namespace actionable::cli
