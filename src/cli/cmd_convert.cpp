// `actionable convert`: read MAF / cBioPortal / VCF (VEP, SnpEff) / Phenopacket / CTIMS inputs and
// write one patient record per sample as JSON Lines (shared/spec/patient.md), or as Phenopackets.
// Also the input-option glue that `actionable match --maf …` shares (declared in
// include/actionable/io/readers/assemble.hpp). Diagnostics go to stderr as "file:line: error: …";
// rows that cannot be read are skipped (never another sample's), and then the exit code is 1.
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include "actionable/catalog/catalog.hpp"
#include "actionable/io/readers/assemble.hpp"
#include "actionable/io/readers/phenopacket.hpp"
#include "actionable/io/readers/tumour_resolver.hpp"
#include "actionable/model/hgvs.hpp"
#include "cli/commands.hpp"

namespace actionable::cli {

bool InputOptions::any() const noexcept {
  return !(maf.empty() && germline_maf.empty() && cna.empty() && sv.empty() && clinical.empty() &&
           panel.empty() && vcf.empty() && germline_vcf.empty() && phenopacket.empty() &&
           ctims.empty() && other.empty());
}

void add_input_options(CLI::App& app, InputOptions& o) {
  app.add_option("--maf", o.maf, "MAF file (TCGA / cBioPortal / vcf2maf); repeatable")->check(CLI::ExistingFile);
  app.add_option("--germline-maf", o.germline_maf, "MAF of germline calls; repeatable")->check(CLI::ExistingFile);
  app.add_option("--cna", o.cna, "copy-number file: cBioPortal discrete matrix (-2..2) or one call per row; repeatable")
      ->check(CLI::ExistingFile);
  app.add_option("--sv", o.sv, "structural variants / fusions: data_sv, fusion table, STAR-Fusion; repeatable")
      ->check(CLI::ExistingFile);
  app.add_option("--clinical", o.clinical, "clinical sample / patient file (ONCOTREE_CODE, AGE, ...); repeatable")
      ->check(CLI::ExistingFile);
  app.add_option("--panel", o.panel, "gene-panel file or gene-panel matrix (what each sample was tested for); repeatable")
      ->check(CLI::ExistingFile);
  app.add_option("--vcf", o.vcf, "VCF annotated by VEP (CSQ) or SnpEff (ANN); repeatable")->check(CLI::ExistingFile);
  app.add_option("--germline-vcf", o.germline_vcf, "annotated VCF of germline calls; repeatable")->check(CLI::ExistingFile);
  app.add_option("--phenopacket", o.phenopacket, "GA4GH Phenopacket v2 JSON; repeatable")->check(CLI::ExistingFile);
  app.add_option("--ctims", o.ctims, "MatchMiner / CTIMS clinical or genomic documents (extended JSON); repeatable")
      ->check(CLI::ExistingFile);
  app.add_option("--input", o.other, "any supported input, format detected from its content; repeatable")
      ->check(CLI::ExistingFile);
  app.add_option("--sample", o.sample, "record id for inputs without a sample column (STAR-Fusion, called CNAs)");
  app.add_option("--tumour", o.tumour, "OncoTree code for records whose inputs give none (e.g. AML)");
  app.add_option("--tumour-sample", o.tumour_sample, "VCF sample column holding the tumour");
  app.add_option("--age-at", o.age_at, "CTIMS: compute ages at this date (YYYY-MM-DD)");
  app.add_flag("--verbose", o.verbose, "print every note (default: the first 20 per file)");
}

namespace {

std::string summary_line(io::FileSummary const& f) {
  auto const& c = f.counts;
  std::string s = f.file + ": " + f.format + ", " + std::to_string(c.rows) + " rows, " +
                  std::to_string(c.samples) + " samples: " + std::to_string(c.variants) + " variants, " +
                  std::to_string(c.cnvs) + " CNAs, " + std::to_string(c.fusions) + " fusions";
  if (c.exon_skipping) s += ", " + std::to_string(c.exon_skipping) + " exon skipping";
  if (c.biomarkers) s += ", " + std::to_string(c.biomarkers) + " biomarkers";
  if (c.panels) s += ", " + std::to_string(c.panels) + " panel";
  s += "; " + std::to_string(c.skipped) + " rows skipped";
  if (f.errors || f.warnings)
    s += " (" + std::to_string(f.errors) + " errors, " + std::to_string(f.warnings) + " warnings)";
  return s;
}

}  // namespace

AssembledInputs assemble_from_options(InputOptions const& o, Common& common) {
  using io::InputKind;
  std::vector<io::Input> inputs;
  auto add = [&](std::vector<std::string> const& paths, InputKind kind, char const* origin) {
    for (auto const& p : paths) inputs.push_back(io::Input{kind, p, origin});
  };
  // Clinical files first: records then follow their sample order.
  add(o.clinical, InputKind::kClinical, "");
  add(o.panel, InputKind::kPanel, "");
  add(o.maf, InputKind::kMaf, "");
  add(o.germline_maf, InputKind::kMaf, "germline");
  add(o.cna, InputKind::kCna, "");
  add(o.sv, InputKind::kSv, "");
  add(o.vcf, InputKind::kVcf, "");
  add(o.germline_vcf, InputKind::kVcf, "germline");
  add(o.phenopacket, InputKind::kPhenopacket, "");
  add(o.ctims, InputKind::kCtims, "");
  add(o.other, InputKind::kAuto, "");

  io::ReadOptions ro;
  std::string dir = common.reference_dir.empty() ? catalog::Catalog::default_dir() : common.reference_dir;
  std::string err;
  auto tumours = io::TumourResolver::load(io::Source::file(dir + "/oncotree_2025_10_03.tsv"), &err);
  if (tumours) ro.tumours = &*tumours;
  else std::cerr << "warning: " << err << ": OncoTree names will not be resolved\n";
  ro.validate_protein = [](std::string_view p, std::string* why) {
    return hgvs::parse_protein(p, why).has_value();
  };
  ro.vcf_tumour_sample = o.tumour_sample;
  ro.age_reference_date = o.age_at;
  io::AssembleOptions ao;
  ao.sample = o.sample;
  ao.tumour = o.tumour;
  auto a = io::assemble_inputs(inputs, ro, ao);

  std::map<std::string, std::size_t> notes_shown;
  std::map<std::string, std::size_t> notes_hidden;
  for (auto const& i : a.issues) {
    if (i.level == io::IssueLevel::kNote && !o.verbose && notes_shown[i.file]++ >= 20) {
      ++notes_hidden[i.file];
      continue;
    }
    std::cerr << i.to_string() << "\n";
  }
  for (auto const& [file, n] : notes_hidden)
    std::cerr << file << ": note: " << n << " more notes not shown (--verbose shows them all)\n";
  bool any_read = false;
  for (auto const& f : a.files) {
    std::cerr << summary_line(f) << "\n";
    any_read = any_read || f.counts.rows > 0 || f.counts.panels > 0;
  }
  if (!inputs.empty() && !any_read) {
    std::cerr << "error: no input could be read\n";
    throw CLI::RuntimeError(1);
  }
  return AssembledInputs{std::move(a.records), a.error_count()};
}

namespace {

struct ConvertOptions {
  InputOptions inputs;
  std::string output;           // "" or "-" = stdout
  std::string format = "jsonl"; // jsonl | phenopacket
};

void run_convert(ConvertOptions const& o, Common& common) {
  if (!o.inputs.any()) {
    std::cerr << "error: convert needs at least one input (--maf, --cna, --sv, --clinical, --panel, --vcf, …)\n";
    throw CLI::RuntimeError(2);
  }
  auto in = assemble_from_options(o.inputs, common);
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!o.output.empty() && o.output != "-") {
    file.open(o.output, std::ios::binary);
    if (!file) {
      std::cerr << o.output << ": error: cannot write\n";
      throw CLI::RuntimeError(1);
    }
    out = &file;
  }
  for (auto const& r : in.records) {
    if (o.format == "phenopacket")
      *out << io::write_interpretations(nullptr, r, nlohmann::json::object()).dump() << "\n";
    else
      *out << r.dump() << "\n";
  }
  out->flush();
  std::cerr << in.records.size() << " records written";
  if (in.errors) std::cerr << "; " << in.errors << " rows could not be read (see above)";
  std::cerr << "\n";
  if (in.errors) throw CLI::RuntimeError(1);
}

}  // namespace

void setup_convert(CLI::App& app, Common& common) {
  auto opt = std::make_shared<ConvertOptions>();
  auto* sub = app.add_subcommand(
      "convert", "Read MAF, cBioPortal, VCF (VEP / SnpEff), Phenopacket or CTIMS inputs and write patient records (JSON Lines)");
  add_input_options(*sub, opt->inputs);
  sub->add_option("-o,--output", opt->output, "output file (default: standard output)");
  sub->add_option("--format", opt->format, "jsonl (patient records, default) or phenopacket (one packet per line)")
      ->check(CLI::IsMember({"jsonl", "phenopacket"}));
  sub->callback([opt, &common] { run_convert(*opt, common); });
}

}  // namespace actionable::cli
