// Fuzz targets: the lab-file readers (actionable::io), one executable per reader, chosen by
// reader_name.cpp (tests/fuzz/CMakeLists.txt).
//
// Input: one file's text, read with io::Source::memory. Invariants (all readers):
//  - no exception leaves a reader (libFuzzer reports one as a crash);
//  - every issue names the file, has a one-line, non-empty message and a line within the file;
//    every entry's line is within the file too;
//  - the counts agree with the entries (counts.findings() == the finding entries);
//  - readers never report a finding (or a field, a test) without a sample when the file has a
//    sample column: for MAF, CNA matrix, clinical and CTIMS files always; for CNA and SV tables
//    when their header has a sample column; for a VCF when it has sample columns;
//  - round trip of line ends: the same text written with CRLF line ends reads to the same
//    entries, panels and counts (inputs without CR and, for tables, without quotes);
//  - the reader's entries assemble (io::assemble) into records that io::read_patient takes
//    without a crash, one summary per record, each record naming its patient.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/detail/io/patient_json.hpp"
#include "actionable/detail/io/readers/assemble.hpp"
#include "actionable/detail/io/readers/clinical.hpp"
#include "actionable/detail/io/readers/cna.hpp"
#include "actionable/detail/io/readers/ctims.hpp"
#include "actionable/detail/io/readers/maf.hpp"
#include "actionable/detail/io/readers/panel.hpp"
#include "actionable/detail/io/readers/phenopacket.hpp"
#include "actionable/detail/io/readers/sv.hpp"
#include "actionable/detail/io/readers/table.hpp"
#include "actionable/detail/io/readers/vcf.hpp"
#include "fuzz_common.hpp"

using namespace actionable;

namespace {

enum class SampleRule { kAlways, kIfColumn, kVcf, kNone };

struct Reader {
  io::ReadResult (*read)(io::Source const&, io::ReadOptions const&);
  SampleRule samples;
  bool table;                                      ///< a delimited table (quotes may span lines)
  io::TableOptions header{};                       ///< kIfColumn: how the reader finds its header
  std::vector<std::string_view> sample_columns{};  ///< kIfColumn: its sample column names
};

// The reader this executable fuzzes, named by reader_name.cpp (compiled per target with
// FUZZ_READER_NAME; this file is compiled once for all readers).
extern "C" char const fuzz_reader_name[];

Reader make_reader(std::string_view name) {
  if (name == "maf") return {io::read_maf, SampleRule::kAlways, true};
  if (name == "vcf") return {io::read_vcf, SampleRule::kVcf, false};
  if (name == "cna_table")
    return {io::read_cna_table,
            SampleRule::kIfColumn,
            true,
            io::TableOptions{0, {"Hugo_Symbol", "gene", "feature", "HUGO_SYMBOL"}},
            {"Tumor_Sample_Barcode", "SAMPLE_ID", "Sample", "model_id", "sample_id"}};
  if (name == "cna_matrix") return {io::read_cna_matrix, SampleRule::kAlways, true};
  if (name == "sv")
    return {io::read_sv_table,
            SampleRule::kIfColumn,
            true,
            io::TableOptions{
                0, {"Site1_Hugo_Symbol", "GeneA", "Fusion", "FusionName", "LeftGene", "partner", "Site2_Hugo_Symbol"}},
            {"Sample_Id", "Tumor_Sample_Barcode", "SAMPLE_ID", "model_id", "Sample"}};
  if (name == "clinical") return {io::read_clinical, SampleRule::kAlways, true};
  if (name == "panel") return {io::read_panel, SampleRule::kNone, true};
  if (name == "phenopacket") return {io::read_phenopacket, SampleRule::kNone, false};
  if (name == "ctims") return {io::read_ctims, SampleRule::kAlways, false};
  std::fprintf(stderr, "fuzz_readers: unknown reader '%s'\n", std::string(name).c_str());
  std::exit(2);
}

Reader const kReader = make_reader(fuzz_reader_name);

constexpr char kName[] = "fuzz-input";

/// Physical lines of a text: line ends are LF, CRLF or a lone CR.
std::size_t physical_lines(std::string_view s) {
  std::size_t n = 1;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n')
      ++n;
    else if (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n'))
      ++n;
  }
  return n;
}

bool has_sample_column(std::string const& text) {
  switch (kReader.samples) {
    case SampleRule::kAlways: return true;
    case SampleRule::kNone: return false;
    case SampleRule::kVcf: {
      // The "#CHROM" line with FORMAT and at least one sample column. Lines end as the readers
      // end them (util::read_line: '\n', "\r\n" or a lone '\r'): split on '\n' only, a
      // "#CHROM … INFO\rFORMAT\tN\tT" line looked like a header with samples, which the reader
      // (rightly) reads as an 8-column header and a broken line (CI fuzz pass, 2026-12-02).
      std::size_t pos = 0;
      while (pos < text.size()) {
        auto end = text.find_first_of("\r\n", pos);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + pos, end - pos);
        if (line.rfind("#CHROM", 0) == 0) {
          std::vector<std::string> fields;
          io::TableReader::split(line, '\t', fields);
          return fields.size() >= 10;
        }
        pos = end + 1;
      }
      return false;
    }
    case SampleRule::kIfColumn: {
      io::TableReader t(io::Source::memory(kName, text), kReader.header);
      if (!t.ok()) return false;
      for (auto name : kReader.sample_columns)
        if (t.column(name)) return true;
      return false;
    }
  }
  return false;
}

std::string describe(io::ReadResult const& r) {
  nlohmann::json j = {{"format", r.format}};
  auto& entries = j["entries"] = nlohmann::json::array();
  for (auto const& e : r.entries) entries.push_back({static_cast<int>(e.kind), e.sample, e.line, e.key, e.value});
  auto& panels = j["panels"] = nlohmann::json::array();
  for (auto const& p : r.panels) panels.push_back({p.id, p.description, p.genes, p.line});
  auto const& c = r.counts;
  j["counts"] = {c.rows, c.variants, c.cnvs, c.fusions, c.exon_skipping, c.biomarkers, c.skipped, c.samples, c.panels};
  j["errors"] = r.error_count();
  return j.dump();
}

void check_result(io::ReadResult const& r, std::string const& text) {
  auto const lines = physical_lines(text);
  for (auto const& i : r.issues) {
    FUZZ_CHECK(i.file == kName, "issue names another file: " + i.to_string());
    FUZZ_CHECK(!i.message.empty(), "issue without a message at line " + std::to_string(i.line));
    FUZZ_CHECK(i.message.find('\n') == std::string::npos && i.message.find('\r') == std::string::npos,
               "multi-line issue message: " + i.message);
    FUZZ_CHECK(i.line <= lines, "issue beyond the last line (" + std::to_string(lines) + "): " + i.to_string());
  }
  std::size_t findings = 0;
  bool const need_sample = has_sample_column(text);
  for (auto const& e : r.entries) {
    FUZZ_CHECK(e.line <= lines,
               "entry beyond the last line: line " + std::to_string(e.line) + " of " + std::to_string(lines));
    bool const per_sample =
        e.kind == io::Entry::Kind::kFinding || e.kind == io::Entry::Kind::kField || e.kind == io::Entry::Kind::kTest;
    if (e.kind == io::Entry::Kind::kFinding) {
      ++findings;
      FUZZ_CHECK(e.value.is_object(), "finding is not an object: " + e.value.dump());
    }
    if (per_sample && need_sample)
      FUZZ_CHECK(!e.sample.empty(), "a finding without a sample at line " + std::to_string(e.line) +
                                        " although the file has a sample column: " + e.value.dump());
  }
  FUZZ_CHECK(findings == r.counts.findings(), "counts say " + std::to_string(r.counts.findings()) +
                                                  " findings, entries hold " + std::to_string(findings));
  for (auto const& p : r.panels) {
    std::set<std::string> genes(p.genes.begin(), p.genes.end());
    FUZZ_CHECK(genes.size() == p.genes.size(), "panel " + p.id + " lists a gene twice");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::reference_catalog();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string const text(fuzz::as_text(data, size));
  io::ReadOptions options;
  auto r = kReader.read(io::Source::memory(kName, text), options);
  check_result(r, text);

  // The same file with CRLF line ends.
  if (text.find('\r') == std::string::npos && text.find('\n') != std::string::npos &&
      (!kReader.table || text.find('"') == std::string::npos)) {
    std::string crlf;
    crlf.reserve(text.size() * 2);
    for (char ch : text) {
      if (ch == '\n') crlf += '\r';
      crlf += ch;
    }
    auto r2 = kReader.read(io::Source::memory(kName, crlf), options);
    auto a = describe(r), b = describe(r2);
    FUZZ_CHECK(a == b, "CRLF line ends read differently:\n  LF:   " + a + "\n  CRLF: " + b);
  }

  // Assembled into records, read as patients.
  auto assembly = io::assemble({r});
  FUZZ_CHECK(assembly.summaries.size() == assembly.records.size(), "one summary per record");
  auto const& cat = *fuzz::reference_catalog();
  for (std::size_t i = 0; i < assembly.records.size(); ++i) {
    auto const& rec = assembly.records[i];
    FUZZ_CHECK(rec.is_object() && rec.contains("patient") && rec["patient"].is_string(),
               "assembled record without a patient id: " + rec.dump());
    FUZZ_CHECK(rec["patient"].get<std::string>() == assembly.summaries[i].id, "record and summary differ");
    std::vector<RecordError> errors;
    auto p = io::read_patient(rec, cat, errors, nullptr, {io::UnknownGenePolicy::kWarn});
    FUZZ_CHECK(p.has_value() == errors.empty(), "read_patient result and errors disagree");
  }
  return 0;
}
