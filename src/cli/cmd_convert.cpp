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
#include <set>

#include "actionable/catalog/catalog.hpp"
#include "actionable/detail/io/readers/assemble.hpp"
#include "actionable/detail/io/readers/phenopacket.hpp"
#include "actionable/detail/io/readers/tumour_resolver.hpp"
#include "actionable/model/hgvs.hpp"
#include "cli/commands.hpp"
#include "cli/streams.hpp"

namespace actionable::cli {

bool InputOptions::any() const noexcept {
  return !(maf.empty() && germline_maf.empty() && cna.empty() && sv.empty() && clinical.empty() && panel.empty() &&
           vcf.empty() && germline_vcf.empty() && phenopacket.empty() && ctims.empty() && other.empty());
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
  app.add_option("--panel", o.panel,
                 "gene-panel file or gene-panel matrix (what each sample was tested for); repeatable")
      ->check(CLI::ExistingFile);
  app.add_option("--vcf", o.vcf, "VCF annotated by VEP (CSQ) or SnpEff (ANN); repeatable")->check(CLI::ExistingFile);
  app.add_option("--germline-vcf", o.germline_vcf, "annotated VCF of germline calls; repeatable")
      ->check(CLI::ExistingFile);
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
  app.add_flag("--keep-going", o.keep_going,
               "keep a record that lost a row of its inputs, marked \"input\": \"incomplete\" "
               "(default: such a record is an error and is not written)");
  app.add_option("--unknown-genes", o.unknown_genes,
                 "a gene symbol HGNC does not resolve: warn (keep the finding, symbol unresolved; "
                 "default) or error (reject the record)")
      ->check(CLI::IsMember({"warn", "error"}));
}

namespace {

std::string record_line(io::RecordSummary const& r) {
  auto const& c = r.counts;
  std::string s = "  " + r.id + ": " + std::to_string(c.findings()) + " findings (" + std::to_string(c.variants) +
                  " variants, " + std::to_string(c.cnvs) + " CNAs, " + std::to_string(c.fusions) + " fusions";
  if (c.exon_skipping) s += ", " + std::to_string(c.exon_skipping) + " exon skipping";
  if (c.biomarkers) s += ", " + std::to_string(c.biomarkers) + " biomarkers";
  s += ") from ";
  for (std::size_t i = 0; i < r.inputs.size(); ++i) s += (i ? ", " : "") + r.inputs[i];
  if (r.inputs.empty()) s += "no input";
  if (r.merged) s += "; " + std::to_string(r.merged) + " merged";
  if (!r.unresolved.empty()) s += "; " + std::to_string(r.unresolved.size()) + " unresolved symbols";
  if (r.incomplete()) s += "; INCOMPLETE: " + std::to_string(r.errors.size()) + " rows not read";
  return s;
}

std::string summary_line(io::FileSummary const& f) {
  auto const& c = f.counts;
  std::string s = f.file + ": " + f.format + ", " + std::to_string(c.rows) + " rows, " + std::to_string(c.samples) +
                  " samples: " + std::to_string(c.variants) + " variants, " + std::to_string(c.cnvs) + " CNAs, " +
                  std::to_string(c.fusions) + " fusions";
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
  if (tumours)
    ro.tumours = &*tumours;
  else
    std::cerr << "warning: " << err << ": OncoTree names will not be resolved\n";
  ro.validate_protein = [](std::string_view p, std::string* why) { return hgvs::parse_protein(p, why).has_value(); };
  ro.vcf_tumour_sample = o.tumour_sample;
  ro.age_reference_date = o.age_at;
  io::AssembleOptions ao;
  ao.sample = o.sample;
  ao.tumour = o.tumour;
  auto catalog = common.catalog();
  io::GeneResolver genes;
  genes.lookup = [catalog](std::string_view symbol) {
    auto look = catalog->genes.lookup(symbol);
    io::GeneResolution r;
    if (look.resolved()) {
      r.kind = io::GeneResolution::Kind::kResolved;
      r.symbol = look.symbol;
    } else if (look.match == catalog::GeneMatch::kAmbiguous) {
      r.kind = io::GeneResolution::Kind::kAmbiguous;
      r.candidates = look.candidates;
    }
    return r;
  };
  genes.symbol_of_id = [catalog](std::string_view id) {
    return catalog->genes.symbol_of_id(id).value_or(std::string());
  };
  ao.genes = &genes;
  ao.unknown_genes = o.unknown_genes == "error" ? io::UnknownGenes::kError : io::UnknownGenes::kWarn;
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
  for (auto const& f : a.files) std::cerr << summary_line(f) << "\n";
  // How the records were assembled: always when there are several, so that two records where
  // one was meant (a --sample that names no sample of the other inputs) cannot pass unseen.
  if (a.records.size() > 1 || o.list_samples) {
    std::cerr << a.records.size() << " records:\n";
    std::size_t shown = 0;
    for (auto const& r : a.summaries) {
      if (!o.verbose && !o.list_samples && shown++ >= 20) {
        std::cerr << "  … " << (a.summaries.size() - 20) << " more (--verbose lists them all)\n";
        break;
      }
      std::cerr << record_line(r) << "\n";
    }
    // Ids that appear in only some of the inputs that name samples.
    std::set<std::string> naming;
    for (auto const& r : a.summaries) naming.insert(r.inputs.begin(), r.inputs.end());
    std::size_t partial = 0;
    std::string first;
    for (auto const& r : a.summaries)
      if (naming.size() > 1 && r.inputs.size() < naming.size()) {
        if (partial++ == 0) first = r.id;
      }
    if (partial > 0)
      std::cerr << "warning: " << partial << " of " << a.records.size()
                << " records appear in only some of the inputs (e.g. " << first
                << "): check that the inputs name each sample alike (--sample, aliases)\n";
  }
  for (auto const& f : a.fatal) std::cerr << f.to_string() << "\n";
  if (!a.fatal.empty()) {
    std::cerr << "error: the inputs cannot be trusted as a whole (see above): no record written\n";
    throw CLI::RuntimeError(1);
  }
  AssembledInputs out;
  out.errors = a.error_count();
  for (std::size_t i = 0; i < a.records.size(); ++i) {
    auto const& s = a.summaries[i];
    // --list-samples writes no record: an incomplete one is listed as such, not left out.
    if (s.incomplete() && !o.keep_going && !o.list_samples) {
      ++out.rejected;
      std::cerr << s.id << ": error: " << s.errors.size() << " row" << (s.errors.size() == 1 ? "" : "s")
                << " of its inputs could not be read (first: " << s.errors.front().to_string()
                << "): record not written (--keep-going writes it marked incomplete)\n";
      continue;
    }
    out.records.push_back(std::move(a.records[i]));
    out.summaries.push_back(s);
  }
  return out;
}

namespace {

struct ConvertOptions {
  InputOptions inputs;
  std::string output;            // "" or "-" = stdout
  std::string format = "jsonl";  // jsonl | phenopacket
};

void run_convert(ConvertOptions const& o, Common& common) {
  if (!o.inputs.any()) {
    std::cerr << "error: convert needs at least one input (--maf, --cna, --sv, --clinical, --panel, --vcf, …)\n";
    throw CLI::RuntimeError(2);
  }
  auto in = assemble_from_options(o.inputs, common);
  if (o.inputs.list_samples) {
    // The records' ids, inputs and counts on standard output; no records written.
    bool incomplete = false;
    for (auto const& s : in.summaries) {
      std::cout << s.id << "\t" << s.counts.findings() << "\t";
      for (std::size_t i = 0; i < s.inputs.size(); ++i) std::cout << (i ? "," : "") << s.inputs[i];
      std::cout << "\t" << (s.incomplete() ? "incomplete" : "complete") << "\n";
      incomplete = incomplete || s.incomplete();
    }
    if (incomplete) throw CLI::RuntimeError(1);
    return;
  }
  std::ofstream file;
  std::ostream* out = &open_output(o.output, file);
  for (auto const& r : in.records) {
    if (o.format == "phenopacket")
      *out << io::write_interpretations(nullptr, r, nlohmann::json::object()).dump() << "\n";
    else
      *out << r.dump() << "\n";
  }
  out->flush();
  std::cerr << in.records.size() << " records written";
  if (in.rejected) std::cerr << "; " << in.rejected << " records not written (rows lost)";
  if (in.errors) std::cerr << "; " << in.errors << " rows could not be read (see above)";
  std::cerr << "\n";
  if (in.errors) throw CLI::RuntimeError(1);
}

}  // namespace

void setup_convert(CLI::App& app, Common& common) {
  auto opt = std::make_shared<ConvertOptions>();
  auto* sub = app.add_subcommand(
      "convert",
      "Read MAF, cBioPortal, VCF (VEP / SnpEff), Phenopacket or CTIMS inputs and write patient records (JSON Lines)");
  add_input_options(*sub, opt->inputs);
  sub->add_option("-o,--output", opt->output, "output file (default: standard output)");
  sub->add_option("--format", opt->format, "jsonl (patient records, default) or phenopacket (one packet per line)")
      ->check(CLI::IsMember({"jsonl", "phenopacket"}));
  sub->add_flag("--list-samples", opt->inputs.list_samples,
                "list the records the inputs form (id, findings, inputs, complete or not) as TSV; write none");
  sub->callback([opt, &common] { run_convert(*opt, common); });
}

}  // namespace actionable::cli
