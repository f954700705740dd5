// Format detection, dispatch and the record assembler (see assemble.hpp).
#include "actionable/io/readers/assemble.hpp"

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "actionable/io/readers/alterations.hpp"
#include "actionable/io/readers/clinical.hpp"
#include "actionable/io/readers/cna.hpp"
#include "actionable/io/readers/ctims.hpp"
#include "actionable/io/readers/maf.hpp"
#include "actionable/io/readers/moalmanac.hpp"
#include "actionable/io/readers/panel.hpp"
#include "actionable/io/readers/phenopacket.hpp"
#include "actionable/io/readers/sv.hpp"
#include "actionable/io/readers/table.hpp"
#include "actionable/io/readers/vcf.hpp"

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
  std::size_t n = 0;
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
        head.find("\"subject\"") != std::string::npos ||
        head.find("\"genomicInterpretations\"") != std::string::npos)
      return InputKind::kPhenopacket;
    if (head.find("\"VARIANT_CATEGORY\"") != std::string::npos ||
        head.find("\"CLINICAL_ID\"") != std::string::npos ||
        head.find("\"ONCOTREE_PRIMARY_DIAGNOSIS_NAME\"") != std::string::npos)
      return InputKind::kCtims;
    return InputKind::kAuto;
  }
  if (head.compare(first, 16, "##fileformat=VCF") == 0) return InputKind::kVcf;
  if (text::starts_with_icase(std::string_view(head).substr(first), "stable_id")) return InputKind::kPanel;
  // Look at the first lines' fields.
  std::istringstream in(head);
  std::string line;
  int looked = 0;
  while (std::getline(in, line) && looked < 12) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (text::trim(line).empty()) continue;
    ++looked;
    std::string_view body = line;
    if (!body.empty() && body.front() == '#') body.remove_prefix(1);
    std::vector<std::string> fields;
    TableReader::split(body, body.find('\t') != std::string_view::npos ? '\t' : ',', fields);
    auto has = [&](std::string_view name) {
      for (auto const& f : fields)
        if (text::iequals(f, name)) return true;
      return false;
    };
    if (has("FusionName") || (has("LeftGene") && has("RightGene")) || has("Site1_Hugo_Symbol") ||
        has("GeneA") || has("Fusion"))
      return InputKind::kSv;
    if (has("feature") || has("ccle_name") || has("feature_type")) return InputKind::kMoalmanac;
    if (has("Hugo_Symbol") && (has("Variant_Classification") || has("HGVSp_Short") ||
                               has("Protein_Change") || has("HGVSp")))
      return InputKind::kMaf;
    if (has("ALTERATION") && has("HUGO_SYMBOL")) return InputKind::kAlterations;
    if (has("Copy_Number_Alteration") || has("call") || has("CNV_CALL")) return InputKind::kCna;
    if (has("Hugo_Symbol") || has("Gene Symbol")) return InputKind::kCna;
    if (has("SAMPLE_ID") && (has("mutations") || has("cna") || has("structural_variants")))
      return InputKind::kPanel;
    if (has("SAMPLE_ID") || has("PATIENT_ID") || has("Tumor_Sample_Barcode")) return InputKind::kClinical;
  }
  return InputKind::kAuto;
}

namespace {

bool has_matrix_header(Source const& source) {
  TableReader t(source, TableOptions{0, {"Hugo_Symbol", "Gene Symbol", "gene", "feature"}});
  if (!t.ok()) return false;
  bool call = t.column({"Copy_Number_Alteration", "call", "alteration_type", "CNV_CALL", "Alteration",
                        "CNA", "cnv"}).has_value();
  bool sample = t.column({"Tumor_Sample_Barcode", "SAMPLE_ID", "Sample", "model_id", "sample_id"}).has_value();
  return !call && !sample;
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
      r.issues.push_back(Issue{IssueLevel::kError, input.path, 0, "cannot open file"});
      return r;
    }
  }
  InputKind kind = detect_format(src);
  InputKind use = kind == InputKind::kAuto ? input.kind : kind;
  ReadResult r;
  switch (use) {
    case InputKind::kMaf: r = read_maf(src, opts); break;
    case InputKind::kCna:
      r = has_matrix_header(src) ? read_cna_matrix(src, opts) : read_cna_table(src, opts);
      break;
    case InputKind::kSv: r = read_sv_table(src, opts); break;
    case InputKind::kClinical: r = read_clinical(src, opts); break;
    case InputKind::kPanel: r = read_panel(src, opts); break;
    case InputKind::kVcf: r = read_vcf(src, opts); break;
    case InputKind::kPhenopacket: r = read_phenopacket(src, opts); break;
    case InputKind::kCtims: r = read_ctims(src, opts); break;
    case InputKind::kAlterations: r = read_alterations(src, opts); break;
    case InputKind::kMoalmanac: r = read_moalmanac_table(src, opts); break;
    case InputKind::kAuto:
      r.file = input.path;
      r.format = "unknown";
      r.issues.push_back(Issue{IssueLevel::kError, input.path, 0,
                               "cannot tell the format of this file (not a MAF, CNA, SV, clinical, "
                               "gene-panel, VCF, Phenopacket or CTIMS file)"});
      return r;
  }
  if (input.kind != InputKind::kAuto && kind != InputKind::kAuto && kind != input.kind &&
      !(input.kind == InputKind::kSv && (kind == InputKind::kMoalmanac || kind == InputKind::kAlterations)) &&
      !(input.kind == InputKind::kCna && kind == InputKind::kMoalmanac) &&
      !(input.kind == InputKind::kMaf && kind == InputKind::kMoalmanac))
    r.issues.insert(r.issues.begin(), Issue{IssueLevel::kNote, input.path, 0,
                                            std::string("given as ") + kind_name(input.kind) +
                                                ", read as " + r.format});
  return r;
}

namespace {

struct Builder {
  std::vector<nlohmann::json> records;
  std::unordered_map<std::string, std::size_t> index;
  // Where each field of each record came from ("file:line"), for conflict messages.
  std::vector<std::map<std::string, std::string>> origin_of;

  std::size_t get(std::string const& id) {
    auto it = index.find(id);
    if (it != index.end()) return it->second;
    nlohmann::json r = nlohmann::json::object();
    r["patient"] = id;
    r["findings"] = nlohmann::json::array();
    records.push_back(std::move(r));
    origin_of.emplace_back();
    index.emplace(id, records.size() - 1);
    return records.size() - 1;
  }
};

}  // namespace

Assembly assemble(std::vector<ReadResult> const& results, AssembleOptions const& options) {
  Assembly a;
  auto warn = [&](IssueLevel level, std::string const& file, std::size_t line, std::string msg) {
    a.issues.push_back(Issue{level, file, line, std::move(msg)});
  };
  for (auto const& r : results) {
    a.issues.insert(a.issues.end(), r.issues.begin(), r.issues.end());
    FileSummary s{r.file, r.format, r.counts, r.count(IssueLevel::kError),
                  r.count(IssueLevel::kWarning), r.count(IssueLevel::kNote)};
    a.files.push_back(std::move(s));
  }
  // 1. Panels.
  std::map<std::string, PanelDef const*> panels;
  std::vector<PanelDef const*> panel_order;
  for (auto const& r : results)
    for (auto const& p : r.panels) {
      auto [it, fresh] = panels.emplace(p.id, &p);
      if (fresh) panel_order.push_back(&p);
      else if (it->second->genes != p.genes)
        warn(IssueLevel::kWarning, r.file, p.line, "panel " + p.id + " defined twice with different genes: the first is used");
    }
  // 2. Aliases.
  std::unordered_map<std::string, std::string> alias;
  for (auto const& r : results)
    for (auto const& e : r.entries) {
      if (e.kind != Entry::Kind::kAlias || !e.value.is_string()) continue;
      auto other = e.value.get<std::string>();
      if (other == e.sample) continue;
      auto [it, fresh] = alias.emplace(other, e.sample);
      if (!fresh && it->second != e.sample)
        warn(IssueLevel::kWarning, r.file, e.line,
             "id " + other + " already names " + it->second + ": not also " + e.sample);
    }
  auto canonical = [&](std::string const& s) {
    auto it = alias.find(s);
    return it == alias.end() ? s : it->second;
  };
  // 3. The owner of sample-less entries.
  std::string anon = options.sample;
  bool anon_needed = false;
  std::set<std::string> named;
  for (auto const& r : results)
    for (auto const& e : r.entries) {
      if (e.kind == Entry::Kind::kAlias || e.kind == Entry::Kind::kPatient) continue;
      if (e.sample.empty()) anon_needed = true;
      else named.insert(canonical(e.sample));
    }
  bool anon_ok = true;
  if (anon_needed && anon.empty()) {
    if (named.size() == 1) {
      anon = *named.begin();
    } else if (named.empty()) {
      anon = "sample";
      for (auto const& r : results)
        if (!r.entries.empty()) {
          warn(IssueLevel::kNote, r.file, 0, "no input names a sample: the record is called 'sample' (use --sample)");
          break;
        }
    } else {
      anon_ok = false;
    }
  }
  // 4. Records.
  Builder b;
  struct PanelRef {
    std::string id;
    nlohmann::json profiles;
    std::string file;
    std::size_t line;
  };
  std::vector<std::vector<PanelRef>> panel_refs;
  struct PatientField {
    std::string patient, key, file;
    std::size_t line;
    nlohmann::json value;
  };
  std::vector<PatientField> patient_fields;
  auto set_field = [&](std::size_t ri, std::string const& key, nlohmann::json const& value,
                       std::string const& file, std::size_t line) {
    auto& rec = b.records[ri];
    nlohmann::json::json_pointer ptr(key);
    std::string where = file + ":" + std::to_string(line);
    if (rec.contains(ptr)) {
      if (rec[ptr] != value)
        warn(IssueLevel::kWarning, file, line,
             rec["patient"].get<std::string>() + ": " + key + " is already " + rec[ptr].dump() + " (" +
                 b.origin_of[ri][key] + "): " + value.dump() + " ignored");
      return;
    }
    rec[ptr] = value;
    b.origin_of[ri][key] = where;
  };
  std::set<std::string> reported_anon;
  std::set<std::string> merged_reported;
  for (auto const& r : results) {
    for (auto const& e : r.entries) {
      if (e.kind == Entry::Kind::kAlias) continue;
      if (e.kind == Entry::Kind::kPatient) {
        patient_fields.push_back(PatientField{e.sample, e.key, r.file, e.line, e.value});
        continue;
      }
      std::string id = e.sample.empty() ? anon : canonical(e.sample);
      if (e.sample.empty() && !anon_ok) {
        if (reported_anon.insert(r.file).second)
          warn(IssueLevel::kError, r.file, 0,
               "this file names no sample and the other inputs name " + std::to_string(named.size()) +
                   ": give the sample with --sample; its rows are skipped");
        continue;
      }
      if (e.kind == Entry::Kind::kSample && !e.sample.empty() && id != e.sample &&
          merged_reported.insert(e.sample).second)
        warn(IssueLevel::kNote, r.file, e.line,
             e.sample + " is another name of " + id + " (alias given by an input): joined into " + id);
      auto ri = b.get(id);
      if (panel_refs.size() < b.records.size()) panel_refs.resize(b.records.size());
      auto& rec = b.records[ri];
      switch (e.kind) {
        case Entry::Kind::kSample: break;
        case Entry::Kind::kFinding: rec["findings"].push_back(e.value); break;
        case Entry::Kind::kTest:
          if (!rec.contains("tests")) rec["tests"] = nlohmann::json::array();
          rec["tests"].push_back(e.value);
          break;
        case Entry::Kind::kField: set_field(ri, e.key, e.value, r.file, e.line); break;
        case Entry::Kind::kPanel: panel_refs[ri].push_back(PanelRef{e.key, e.value, r.file, e.line}); break;
        default: break;
      }
    }
  }
  // 5. Patient-level fields.
  for (auto const& pf : patient_fields) {
    std::vector<std::size_t> targets;
    for (std::size_t i = 0; i < b.records.size(); ++i) {
      auto const& rec = b.records[i];
      if (rec.value("patient_id", std::string()) == pf.patient) targets.push_back(i);
    }
    if (targets.empty()) targets.push_back(b.get(canonical(pf.patient)));
    for (auto i : targets) set_field(i, pf.key, pf.value, pf.file, pf.line);
  }
  panel_refs.resize(b.records.size());
  // 6. Panels -> tests.
  bool any_ref = false;
  for (auto const& refs : panel_refs) any_ref = any_ref || !refs.empty();
  if (!any_ref && panel_order.size() == 1) {
    for (auto& refs : panel_refs)
      refs.push_back(PanelRef{panel_order[0]->id, nlohmann::json::array({"mutations", "cna", "structural_variants"}), "", 0});
  } else if (!any_ref && panel_order.size() > 1) {
    warn(IssueLevel::kWarning, "(panels)", 0,
         std::to_string(panel_order.size()) + " gene panels given but no sample says which it used "
         "(GENE_PANEL column or gene-panel matrix): no tests recorded");
  }
  std::set<std::string> unknown_reported;
  for (std::size_t i = 0; i < b.records.size(); ++i) {
    std::map<std::string, std::set<std::string>> by_panel;
    std::map<std::string, PanelRef const*> first_ref;
    for (auto const& ref : panel_refs[i]) {
      for (auto const& p : ref.profiles)
        if (p.is_string()) by_panel[ref.id].insert(p.get<std::string>());
      first_ref.emplace(ref.id, &ref);
    }
    for (auto const& [id, profiles] : by_panel) {
      auto it = panels.find(id);
      if (it == panels.end()) {
        if (unknown_reported.insert(id).second) {
          auto const* ref = first_ref[id];
          bool exome = text::iequals(id, "WES") || text::iequals(id, "WXS") || text::iequals(id, "WGS");
          warn(IssueLevel::kWarning, ref->file, ref->line,
               "gene panel " + id + (exome ? " (exome/genome) has no gene list" : " is not defined by any --panel file") +
                   ": samples using it get no tests entry");
        }
        continue;
      }
      nlohmann::json t = {{"origin", "somatic"}, {"method", "NGS"}, {"panel", id},
                          {"genes", it->second->genes}};
      nlohmann::json pr = nlohmann::json::array();
      for (auto const& p : profiles) pr.push_back(p);
      t["profiles"] = pr;
      auto& rec = b.records[i];
      if (!rec.contains("tests")) rec["tests"] = nlohmann::json::array();
      rec["tests"].push_back(std::move(t));
    }
  }
  // 7. Default tumour.
  if (!options.tumour.empty())
    for (auto& rec : b.records)
      if (!rec.contains(nlohmann::json::json_pointer("/tumour/oncotree")))
        rec["tumour"]["oncotree"] = options.tumour;
  a.records = std::move(b.records);
  return a;
}

Assembly assemble_inputs(std::vector<Input> const& inputs, ReadOptions const& read_options,
                         AssembleOptions const& options) {
  std::vector<ReadResult> results;
  results.reserve(inputs.size());
  for (auto const& in : inputs) results.push_back(read_input(in, read_options));
  return assemble(results, options);
}

}  // namespace actionable::io
