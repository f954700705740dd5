// Format detection and dispatch (see assemble.hpp): an explicit flag (--maf, --cna, …) chooses
// the reader; content sniffing serves only inputs given without one (--input).
#include <fstream>
#include <sstream>

#include "actionable/detail/io/readers/alterations.hpp"
#include "actionable/detail/io/readers/assemble.hpp"
#include "actionable/detail/io/readers/clinical.hpp"
#include "actionable/detail/io/readers/cna.hpp"
#include "actionable/detail/io/readers/ctims.hpp"
#include "actionable/detail/io/readers/maf.hpp"
#include "actionable/detail/io/readers/moalmanac.hpp"
#include "actionable/detail/io/readers/panel.hpp"
#include "actionable/detail/io/readers/phenopacket.hpp"
#include "actionable/detail/io/readers/sv.hpp"
#include "actionable/detail/io/readers/table.hpp"
#include "actionable/detail/io/readers/vcf.hpp"

namespace actionable::io {

std::string Issue::to_string() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  out += level == IssueLevel::kError ? "error" : level == IssueLevel::kWarning ? "warning" : "note";
  out += ": " + message;
  return out;
}

std::size_t ReadResult::count(IssueLevel level) const noexcept {
  std::size_t n = 0;
  for (auto const& i : issues) n += i.level == level;
  return n;
}
std::size_t ReadResult::error_count() const noexcept { return count(IssueLevel::kError); }

std::size_t Assembly::error_count() const noexcept {
  std::size_t n = fatal.size();
  for (auto const& i : issues) n += i.level == IssueLevel::kError;
  return n;
}

char const* kind_name(InputKind kind) noexcept {
  switch (kind) {
    case InputKind::kAuto: return "unknown";
    case InputKind::kMaf: return "maf";
    case InputKind::kCna: return "cna";
    case InputKind::kSv: return "sv";
    case InputKind::kClinical: return "clinical";
    case InputKind::kPanel: return "panel";
    case InputKind::kVcf: return "vcf";
    case InputKind::kPhenopacket: return "phenopacket";
    case InputKind::kCtims: return "ctims";
    case InputKind::kAlterations: return "alterations";
    case InputKind::kMoalmanac: return "moalmanac";
  }
  return "unknown";
}

namespace {

/// The kind a table header calls for; kAuto when these fields say nothing.
InputKind kind_of_header(std::vector<std::string> const& fields) {
  auto has = [&](std::string_view name) {
    for (auto const& f : fields)
      if (text::iequals(text::trim(f), name)) return true;
    return false;
  };
  // A MAF first: vcf2maf MAFs carry VEP's columns (Feature, Feature_type, Gene, …), which
  // must not make them look like MOAlmanac tables.
  if (has("Hugo_Symbol") && (has("Variant_Classification") || has("HGVSp_Short") || has("Protein_Change") ||
                             has("HGVSp") || has("Tumor_Seq_Allele2")))
    return InputKind::kMaf;
  if (has("FusionName") || (has("LeftGene") && has("RightGene")) || has("Site1_Hugo_Symbol") || has("GeneA") ||
      has("Fusion"))
    return InputKind::kSv;
  if (has("ccle_name") || has("feature_type") ||
      (has("feature") && (has("alteration_type") || has("partner") || has("model_id"))))
    return InputKind::kMoalmanac;
  if (has("ALTERATION") && has("HUGO_SYMBOL")) return InputKind::kAlterations;
  if (has("Copy_Number_Alteration") || has("call") || has("CNV_CALL")) return InputKind::kCna;
  if (has("Hugo_Symbol") || has("Gene Symbol")) return InputKind::kCna;
  if (has("SAMPLE_ID") && (has("mutations") || has("cna") || has("structural_variants"))) return InputKind::kPanel;
  if (has("SAMPLE_ID") || has("PATIENT_ID") || has("Tumor_Sample_Barcode")) return InputKind::kClinical;
  return InputKind::kAuto;
}

}  // namespace

InputKind detect_format(Source const& source) {
  std::string head;
  if (source.text) {
    head = source.text->substr(0, 65536);
  } else {
    std::ifstream f(source.path, std::ios::binary);
    if (!f) return InputKind::kAuto;
    head.resize(65536);
    f.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(f.gcount()));
  }
  if (head.compare(0, 3, "\xEF\xBB\xBF") == 0) head.erase(0, 3);
  auto first = head.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return InputKind::kAuto;
  if (head[first] == '{' || head[first] == '[') {
    if (head.find("\"phenopacketSchemaVersion\"") != std::string::npos ||
        head.find("\"subject\"") != std::string::npos || head.find("\"genomicInterpretations\"") != std::string::npos)
      return InputKind::kPhenopacket;
    if (head.find("\"VARIANT_CATEGORY\"") != std::string::npos || head.find("\"CLINICAL_ID\"") != std::string::npos ||
        head.find("\"ONCOTREE_PRIMARY_DIAGNOSIS_NAME\"") != std::string::npos)
      return InputKind::kCtims;
    return InputKind::kAuto;
  }
  if (head.compare(first, 16, "##fileformat=VCF") == 0) return InputKind::kVcf;
  if (text::starts_with_icase(std::string_view(head).substr(first), "stable_id")) return InputKind::kPanel;
  // The first header-like lines: blank lines and '#' comments without a field separator
  // (vcf2maf's "#version 2.4", free text) are skipped; a '#' line with fields is a header
  // (STAR-Fusion's "#FusionName") or cBioPortal's display-name lines, judged like any other.
  std::istringstream in(head);
  std::string line;
  int looked = 0;
  while (std::getline(in, line) && looked < 12) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (text::trim(line).empty()) continue;
    std::string_view body = line;
    bool tab = body.find('\t') != std::string_view::npos;
    if (body.front() == '#') {
      if (!tab && body.find(',') == std::string_view::npos) continue;
      body.remove_prefix(1);
    }
    ++looked;
    std::vector<std::string> fields;
    TableReader::split(body, tab ? '\t' : ',', fields);
    if (auto k = kind_of_header(fields); k != InputKind::kAuto) return k;
  }
  return InputKind::kAuto;
}

namespace {

bool has_matrix_header(Source const& source) {
  TableReader t(source, TableOptions{0, {"Hugo_Symbol", "Gene Symbol", "gene", "feature"}});
  if (!t.ok()) return false;
  bool call = t.column({"Copy_Number_Alteration", "call", "alteration_type", "CNV_CALL", "Alteration", "CNA", "cnv"})
                  .has_value();
  bool sample = t.column({"Tumor_Sample_Barcode", "SAMPLE_ID", "Sample", "model_id", "sample_id"}).has_value();
  return !call && !sample;
}

ReadResult read_as(InputKind kind, Source const& src, ReadOptions const& opts) {
  switch (kind) {
    case InputKind::kMaf: return read_maf(src, opts);
    case InputKind::kCna: return has_matrix_header(src) ? read_cna_matrix(src, opts) : read_cna_table(src, opts);
    case InputKind::kSv: return read_sv_table(src, opts);
    case InputKind::kClinical: return read_clinical(src, opts);
    case InputKind::kPanel: return read_panel(src, opts);
    case InputKind::kVcf: return read_vcf(src, opts);
    case InputKind::kPhenopacket: return read_phenopacket(src, opts);
    case InputKind::kCtims: return read_ctims(src, opts);
    case InputKind::kAlterations: return read_alterations(src, opts);
    case InputKind::kMoalmanac: return read_moalmanac_table(src, opts);
    case InputKind::kAuto: break;
  }
  return {};
}

/// Which flag reads a detected kind (for hints). (An enum-to-text switch; the same shape as
/// model/protein.cpp's names, one switch per enum.)
char const* flag_of(InputKind kind) noexcept {
  switch (kind) {
    case InputKind::kMaf: return "--maf";
    case InputKind::kCna: return "--cna";
    case InputKind::kSv: return "--sv";
    case InputKind::kClinical: return "--clinical";
    case InputKind::kPanel: return "--panel";
    case InputKind::kVcf: return "--vcf";
    case InputKind::kPhenopacket: return "--phenopacket";
    case InputKind::kCtims: return "--ctims";
    default: return "--input";
  }
}

}  // namespace

ReadResult read_input(Input const& input, ReadOptions const& options) {
  ReadOptions opts = options;
  if (!input.origin.empty()) opts.origin = input.origin;
  Source src = Source::file(input.path);
  {
    std::ifstream probe(input.path, std::ios::binary);
    if (!probe) {
      ReadResult r;
      r.file = input.path;
      r.format = kind_name(input.kind);
      r.issues.push_back(Issue{IssueLevel::kError, input.path, 0, "cannot open file", {}});
      return r;
    }
  }
  InputKind detected = detect_format(src);
  // The flag decides; detection serves only inputs given without one.
  InputKind use = input.kind == InputKind::kAuto ? detected : input.kind;
  if (use == InputKind::kAuto) {
    ReadResult r;
    r.file = input.path;
    r.format = "unknown";
    r.issues.push_back(Issue{IssueLevel::kError,
                             input.path,
                             0,
                             "cannot tell the format of this file (not a MAF, CNA, SV, clinical, "
                             "gene-panel, VCF, Phenopacket, CTIMS or MOAlmanac file): give it with "
                             "the flag of its format (--maf, --cna, --sv, …)",
                             {}});
    return r;
  }
  ReadResult r = read_as(use, src, opts);
  // Families one flag legitimately covers: --cna reads MOAlmanac / CCLE copy-number tables,
  // --sv their fusion tables and OncoKB's atypical-alteration tables are not SV files.
  bool same_family = detected == InputKind::kAuto || detected == use ||
                     (use == InputKind::kCna && detected == InputKind::kMoalmanac) ||
                     (use == InputKind::kSv && detected == InputKind::kMoalmanac);
  if (input.kind != InputKind::kAuto && !same_family) {
    std::string msg = std::string("given as ") + kind_name(input.kind) + " and read as " + r.format +
                      "; its header looks like a " + kind_name(detected) + " file";
    if (r.error_count() > 0) msg += std::string(" (if it is one, give it with ") + flag_of(detected) + ")";
    r.issues.insert(
        r.issues.begin(),
        Issue{r.error_count() > 0 ? IssueLevel::kWarning : IssueLevel::kNote, input.path, 0, std::move(msg), {}});
  }
  return r;
}

}  // namespace actionable::io
