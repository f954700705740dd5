// GA4GH Phenopackets v2 reader and interpretation writer (see phenopacket.hpp).
#include "actionable/detail/io/readers/phenopacket.hpp"

#include <fstream>
#include <sstream>

#include "actionable/detail/io/readers/clinical.hpp"
#include "actionable/detail/io/readers/table.hpp"
#include "actionable/detail/io/readers/tumour_resolver.hpp"
#include "actionable/detail/io/readers/variant_text.hpp"
#include "collector.hpp"
#include "json_scan.hpp"

namespace actionable::io {

namespace {

using nlohmann::json;

std::string sget(json const& j, char const* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json const& jget(json const& j, char const* key) {
  static json const null_json;
  if (!j.is_object()) return null_json;
  auto it = j.find(key);
  return it != j.end() ? *it : null_json;
}

std::string extension(json const& descriptor, char const* name) {
  for (auto const& e : jget(descriptor, "extensions"))
    if (sget(e, "name") == name) {
      auto const& v = jget(e, "value");
      if (v.is_string()) return v.get<std::string>();
    }
  return {};
}

/// "P61Y6M" -> 61.
std::optional<long long> iso_years(std::string const& d) {
  if (d.size() < 3 || d[0] != 'P') return std::nullopt;
  auto y = d.find('Y');
  if (y == std::string::npos) return std::nullopt;
  return text::to_int(std::string_view(d).substr(1, y - 1));
}

void read_descriptor(detail::Collector& out, std::string const& id, std::size_t line, json const& gi,
                     json const& descriptor, std::string const& origin, std::string const& acmg) {
  auto gene = sget(jget(descriptor, "geneContext"), "symbol");
  auto stype = jget(descriptor, "structuralType");
  auto st_id = sget(stype, "id");
  auto st_label = text::lower(sget(stype, "label"));
  std::string label = sget(descriptor, "label");
  json f = json::object();
  f["origin"] = origin;
  if (!sget(descriptor, "id").empty()) f["source_id"] = sget(descriptor, "id");
  bool is_fusion = st_id == "SO:0001565" || st_id == "SO:0001886" || st_label.find("fusion") != std::string::npos;
  if (is_fusion) {
    auto g5 = extension(descriptor, "gene5");
    auto g3 = extension(descriptor, "gene3");
    if (g5.empty() && g3.empty()) {
      std::string why;
      for (auto const& cand : {label, sget(descriptor, "description"), sget(descriptor, "id")}) {
        if (auto fn = parse_fusion_name(cand, &why)) {
          g5 = fn->gene5;
          g3 = fn->gene3;
          break;
        }
      }
    }
    if (g5.empty() && g3.empty() && !gene.empty()) g5 = gene;
    if (g5.empty() && g3.empty()) {
      out.skip(IssueLevel::kError, line, "fusion descriptor without genes");
      return;
    }
    f["type"] = "fusion";
    if (!g5.empty()) f["gene5"] = g5;
    if (!g3.empty()) f["gene3"] = g3;
    out.finding(id, line, std::move(f));
    return;
  }
  if (!text::is_gene_symbol(gene)) {
    out.skip(IssueLevel::kError, line,
             gene.empty() ? "variationDescriptor without geneContext.symbol" : "'" + gene + "' is not a gene symbol");
    return;
  }
  f["gene"] = gene;
  bool cnv_gain = st_id == "SO:0001742" || st_id == "SO:0001880" || st_id == "SO:0001911" ||
                  st_label.find("gain") != std::string::npos || st_label.find("amplification") != std::string::npos ||
                  st_label.find("increase") != std::string::npos;
  bool cnv_loss = st_id == "SO:0001743" || st_id == "SO:0001912" ||
                  st_label.find("copy_number_loss") != std::string::npos ||
                  st_label.find("decrease") != std::string::npos || st_label == "deletion" ||
                  st_label.find("copy number loss") != std::string::npos;
  if (cnv_gain || cnv_loss) {
    f["type"] = "cnv";
    auto allelic = text::lower(sget(jget(descriptor, "allelicState"), "label"));
    auto allelic_id = sget(jget(descriptor, "allelicState"), "id");
    if (cnv_gain) {
      bool amp = st_id == "SO:0001880" || st_label.find("amplification") != std::string::npos ||
                 extension(descriptor, "call") == "amplification";
      f["call"] = amp ? "amplification" : "gain";
    } else {
      bool homo = allelic.find("homozygous") != std::string::npos || allelic_id == "GENO:0000136" ||
                  extension(descriptor, "call") == "deletion";
      f["call"] = homo ? "deletion" : "loss";
    }
    if (auto cn = text::to_double(extension(descriptor, "copies"))) f["copies"] = detail::number(*cn);
    out.finding(id, line, std::move(f));
    return;
  }
  for (auto const& e : jget(descriptor, "expressions")) {
    auto syntax = text::lower(sget(e, "syntax"));
    auto value = sget(e, "value");
    if (syntax == "hgvs.p" && !f.contains("hgvsp")) out.add_protein(f, value, line);
    if (syntax == "hgvs.c" && !f.contains("hgvsc")) {
      if (auto colon = value.find(':'); colon != std::string::npos && !f.contains("transcript"))
        f["transcript"] = value.substr(0, colon);
      if (auto c = clean_hgvsc(value)) f["hgvsc"] = *c;
    }
  }
  auto csq = extension(descriptor, "consequence");
  if (!csq.empty())
    f["consequence"] = most_severe_consequence(csq);
  else if (auto mc = sget(jget(descriptor, "molecularConsequence"), "label"); !mc.empty())
    f["consequence"] = most_severe_consequence(mc);
  if (auto x = text::leading_int(extension(descriptor, "exon")); x && *x > 0) f["exon"] = *x;
  if (auto v = text::to_double(extension(descriptor, "allele_frequency")); v && *v >= 0 && *v <= 1)
    f["vaf"] = detail::round4(*v);
  if (acmg == "PATHOGENIC")
    f["classification"] = "pathogenic";
  else if (acmg == "LIKELY_PATHOGENIC")
    f["classification"] = "likely_pathogenic";
  else if (acmg == "BENIGN")
    f["classification"] = "benign";
  else if (acmg == "LIKELY_BENIGN")
    f["classification"] = "likely_benign";
  else if (acmg == "UNCERTAIN_SIGNIFICANCE")
    f["classification"] = "uncertain_significance";
  (void)gi;
  out.finding(id, line, std::move(f));
}

void read_packet(detail::Collector& out, json const& p, std::size_t line) {
  auto const& subject = jget(p, "subject");
  std::string id = sget(subject, "id");
  if (id.empty()) id = sget(p, "id");
  if (id.empty()) {
    out.skip(IssueLevel::kError, line, "phenopacket without subject.id or id");
    return;
  }
  out.row_sample(id);
  out.sample(id, line);
  // Diagnosis.
  auto const& diseases = jget(p, "diseases");
  json term;
  if (diseases.is_array() && !diseases.empty()) term = jget(diseases[0], "term");
  if (term.is_null()) {
    for (auto const& in : jget(p, "interpretations")) {
      term = jget(jget(in, "diagnosis"), "disease");
      if (!term.is_null()) break;
    }
  }
  if (!term.is_null()) {
    std::optional<std::string> code;
    auto tid = sget(term, "id");
    if (text::starts_with_icase(tid, "oncotree:")) code = tid.substr(9);
    if (!code && out.options().tumours) code = out.options().tumours->code_for(tid);
    if (!code && out.options().tumours) code = out.options().tumours->code_for(sget(term, "label"));
    if (code)
      out.field(id, line, "/tumour/oncotree", *code);
    else {
      out.field(id, line, "/tumour/name", sget(term, "label").empty() ? tid : sget(term, "label"));
      out.issue(IssueLevel::kWarning, line,
                "disease " + tid + " '" + sget(term, "label") + "' has no OncoTree code: kept as tumour.name");
    }
    if (diseases.is_array() && !diseases.empty()) {
      auto const& stages = jget(diseases[0], "diseaseStage");
      if (stages.is_array() && !stages.empty()) {
        std::string st = sget(stages[0], "label");  // owned: sget returns a temporary
        if (text::starts_with_icase(st, "stage ")) st.erase(0, 6);
        if (!st.empty()) out.field(id, line, "/tumour/stage", st);
      }
    }
  }
  auto sex = sget(subject, "sex");
  if (sex == "FEMALE")
    out.field(id, line, "/sex", "F");
  else if (sex == "MALE")
    out.field(id, line, "/sex", "M");
  auto dur = sget(jget(jget(subject, "timeAtLastEncounter"), "age"), "iso8601duration");
  if (auto y = iso_years(dur)) out.field(id, line, "/age", *y);
  bool has_biosamples = jget(p, "biosamples").is_array() && !jget(p, "biosamples").empty();
  // Findings.
  for (auto const& in : jget(p, "interpretations")) {
    for (auto const& gi : jget(jget(in, "diagnosis"), "genomicInterpretations")) {
      auto const& vi = jget(gi, "variantInterpretation");
      auto const& desc = jget(vi, "variationDescriptor");
      if (desc.is_null()) {
        out.issue(IssueLevel::kNote, line, "genomicInterpretation without a variant (gene only): skipped");
        continue;
      }
      std::string origin = out.origin(extension(desc, "origin"));
      if (extension(desc, "origin").empty() && has_biosamples && sget(gi, "subjectOrBiosampleId") == id)
        origin = "germline";
      read_descriptor(out, id, line, gi, desc, origin, sget(vi, "acmgPathogenicityClassification"));
    }
  }
  for (auto const& m : jget(p, "measurements")) {
    auto label = text::lower(sget(jget(m, "assay"), "label"));
    if (label.find("microsatellite") != std::string::npos) {
      auto v = msi_value(sget(jget(jget(m, "value"), "ontologyClass"), "label"));
      if (v.empty()) {
        auto l = text::lower(sget(jget(jget(m, "value"), "ontologyClass"), "label"));
        if (l.find("stable") != std::string::npos)
          v = "stable";
        else if (l.find("high") != std::string::npos)
          v = "high";
        else if (l.find("low") != std::string::npos)
          v = "low";
      }
      if (!v.empty()) out.finding(id, line, {{"type", "biomarker"}, {"name", "MSI"}, {"value", v}});
      continue;
    }
    if (label.find("mutational burden") == std::string::npos && label.find("mutations/megabase") == std::string::npos)
      continue;
    auto const& q = jget(jget(m, "value"), "quantity");
    auto const& v = jget(q, "value");
    if (v.is_number())
      out.finding(id, line, {{"type", "biomarker"}, {"name", "TMB"}, {"value", detail::number(v.get<double>())}});
  }
}

json descriptor_for(json const& finding, std::size_t index) {
  json d = json::object();
  d["id"] = finding.value("source_id", "finding-" + std::to_string(index));
  auto type = finding.value("type", std::string("variant"));
  auto gene_ctx = [](std::string const& g) { return json{{"valueId", "HGNC.symbol:" + g}, {"symbol", g}}; };
  if (type == "fusion") {
    auto g5 = finding.value("gene5", std::string());
    auto g3 = finding.value("gene3", std::string());
    d["label"] = g5 + "::" + g3;
    d["structuralType"] = {{"id", "SO:0001565"}, {"label", "gene_fusion"}};
    d["moleculeContext"] = "genomic";
    json ext = json::array();
    if (!g5.empty()) ext.push_back({{"name", "gene5"}, {"value", g5}});
    if (!g3.empty()) ext.push_back({{"name", "gene3"}, {"value", g3}});
    d["extensions"] = ext;
  } else if (type == "cnv") {
    auto call = finding.value("call", std::string());
    d["geneContext"] = gene_ctx(finding.value("gene", std::string()));
    d["label"] = finding.value("gene", std::string()) + " " + call;
    if (call == "amplification")
      d["structuralType"] = {{"id", "SO:0001880"}, {"label", "feature_amplification"}};
    else if (call == "gain")
      d["structuralType"] = {{"id", "SO:0001742"}, {"label", "copy_number_gain"}};
    else
      d["structuralType"] = {{"id", "SO:0001743"}, {"label", "copy_number_loss"}};
    if (call == "deletion") d["allelicState"] = {{"id", "GENO:0000136"}, {"label", "homozygous"}};
    d["moleculeContext"] = "genomic";
    d["extensions"] = json::array({{{"name", "call"}, {"value", call}}});
  } else {
    auto gene = finding.value("gene", std::string());
    d["geneContext"] = gene_ctx(gene);
    json ex = json::array();
    if (finding.contains("hgvsp")) ex.push_back({{"syntax", "hgvs.p"}, {"value", finding["hgvsp"]}});
    if (finding.contains("hgvsc")) {
      auto c = finding["hgvsc"].get<std::string>();
      if (finding.contains("transcript")) c = finding["transcript"].get<std::string>() + ":" + c;
      ex.push_back({{"syntax", "hgvs.c"}, {"value", c}});
    }
    if (!ex.empty()) d["expressions"] = ex;
    d["label"] = gene + (finding.contains("hgvsp") ? " " + finding["hgvsp"].get<std::string>() : "");
    d["moleculeContext"] = "genomic";
    json ext = json::array();
    if (finding.contains("consequence")) ext.push_back({{"name", "consequence"}, {"value", finding["consequence"]}});
    if (finding.contains("exon"))
      ext.push_back({{"name", "exon"}, {"value", std::to_string(finding["exon"].get<int>())}});
    if (!ext.empty()) d["extensions"] = ext;
  }
  if (finding.value("origin", std::string("somatic")) == "germline") {
    if (!d.contains("extensions")) d["extensions"] = json::array();
    d["extensions"].push_back({{"name", "origin"}, {"value", "germline"}});
  }
  return d;
}

json const* packet_descriptor(json const& packet, std::string const& id) {
  for (auto const& in : jget(packet, "interpretations"))
    for (auto const& gi : jget(jget(in, "diagnosis"), "genomicInterpretations")) {
      auto const& d = jget(jget(gi, "variantInterpretation"), "variationDescriptor");
      if (sget(d, "id") == id) return &d;
    }
  return nullptr;
}

std::string join(json const& arr, char const* sep) {
  std::string out;
  if (!arr.is_array()) return out;
  for (auto const& v : arr) {
    if (!out.empty()) out += sep;
    out += v.is_string() ? v.get<std::string>() : v.dump();
  }
  return out;
}

}  // namespace

ReadResult read_phenopacket(Source const& source, ReadOptions const& options) {
  ReadResult r;
  detail::Collector out(r, source, "phenopacket", options);
  // The JSON readers' loop, as read_ctims's; see there.
  std::string data;
  if (!out.source_text(source, data)) return r;
  for (auto& item : detail::scan_json_objects(data)) {
    if (!out.begin_json_item(item)) continue;
    read_packet(out, item.value, item.line);
  }
  out.finish();
  return r;
}

json write_interpretations(json packet, json const& record, json const& result,
                           PhenopacketWriteOptions const& options) {
  std::string pid = record.value("patient", result.value("patient", std::string("patient")));
  if (packet.is_null()) {
    packet = json::object();
    packet["id"] = pid;
    packet["subject"] = {{"id", pid}};
    if (record.contains("sex")) packet["subject"]["sex"] = record["sex"] == "F" ? "FEMALE" : "MALE";
    if (record.contains("age") && record["age"].is_number())
      packet["subject"]["timeAtLastEncounter"] = {
          {"age", {{"iso8601duration", "P" + std::to_string(record["age"].get<long long>()) + "Y"}}}};
    auto code = jget(jget(record, "tumour"), "oncotree");
    if (code.is_string())
      packet["diseases"] = json::array({{{"term", {{"id", "oncotree:" + code.get<std::string>()}, {"label", code}}}}});
    json meta = {{"createdBy", "actionable"}, {"phenopacketSchemaVersion", "2.0"}, {"resources", json::array()}};
    if (!options.created.empty()) meta["created"] = options.created;
    packet["metaData"] = meta;
    // The record's own findings: variants / fusions / CNVs as one interpretation (somatic ones
    // on a tumour biosample, germline ones on the subject), TMB and MSI as measurements.
    std::string tumour_sample = pid + "-tumour";
    packet["biosamples"] = json::array({{{"id", tumour_sample},
                                         {"individualId", pid},
                                         {"materialSample", {{"id", "EFO:0009655"}, {"label", "abnormal sample"}}}}});
    json gis = json::array();
    json measurements = json::array();
    auto const& fs = jget(record, "findings");
    for (std::size_t i = 0; fs.is_array() && i < fs.size(); ++i) {
      auto const& f = fs[i];
      auto type = f.value("type", std::string("variant"));
      if (type == "biomarker") {
        auto name = f.value("name", std::string());
        if (name == "TMB" && f["value"].is_number())
          measurements.push_back(
              {{"assay", {{"id", "LOINC:94076-7"}, {"label", "Mutations/Megabase [# Ratio] in Tumor"}}},
               {"value",
                {{"quantity",
                  {{"unit", {{"id", "UCUM:1/1000000"}, {"label", "mutations per megabase"}}},
                   {"value", f["value"]}}}}}});
        else if (name == "MSI" && f["value"].is_string()) {
          auto v = f["value"].get<std::string>();
          std::string label = v == "stable" ? "Microsatellite Stable"
                              : v == "high" ? "Microsatellite Instability-High"
                                            : "Microsatellite Instability-Low";
          measurements.push_back({{"assay", {{"id", "NCIT:C36318"}, {"label", "Microsatellite Instability Analysis"}}},
                                  {"value", {{"ontologyClass", {{"id", ""}, {"label", label}}}}}});
        }
        continue;
      }
      if (type == "exon_skipping") continue;
      bool germline = f.value("origin", std::string("somatic")) == "germline";
      json vi = {{"acmgPathogenicityClassification", "NOT_PROVIDED"},
                 {"therapeuticActionability", "UNKNOWN_ACTIONABILITY"},
                 {"variationDescriptor", descriptor_for(f, i)}};
      auto cls = f.value("classification", std::string());
      if (cls == "pathogenic")
        vi["acmgPathogenicityClassification"] = "PATHOGENIC";
      else if (cls == "likely_pathogenic")
        vi["acmgPathogenicityClassification"] = "LIKELY_PATHOGENIC";
      gis.push_back({{"subjectOrBiosampleId", germline ? pid : tumour_sample},
                     {"interpretationStatus", "CONTRIBUTORY"},
                     {"variantInterpretation", vi}});
    }
    json disease0 =
        packet.contains("diseases") ? packet["diseases"][0]["term"] : json{{"id", "NCIT:C3262"}, {"label", "Neoplasm"}};
    if (!gis.empty())
      packet["interpretations"] =
          json::array({{{"id", pid + "-findings"},
                        {"progressStatus", "COMPLETED"},
                        {"diagnosis", {{"disease", disease0}, {"genomicInterpretations", gis}}}}});
    if (!measurements.empty()) packet["measurements"] = measurements;
  }
  json disease;
  if (jget(packet, "diseases").is_array() && !packet["diseases"].empty()) disease = jget(packet["diseases"][0], "term");
  if (disease.is_null()) {
    auto code = jget(jget(record, "tumour"), "oncotree");
    if (code.is_string())
      disease = {{"id", "oncotree:" + code.get<std::string>()}, {"label", code}};
    else
      disease = {{"id", "NCIT:C3262"}, {"label", "Neoplasm"}};
  }
  std::string subject = sget(jget(packet, "subject"), "id");
  if (subject.empty()) subject = pid;
  auto const& findings = jget(record, "findings");
  std::string rs = sget(jget(result, "ruleset"), "name");
  auto add = [&](std::string const& what, std::string const& status, json const& indices, std::string const& summary) {
    json gis = json::array();
    if (indices.is_array())
      for (auto const& ix : indices) {
        if (!ix.is_number_integer()) continue;
        auto i = ix.get<std::size_t>();
        if (!findings.is_array() || i >= findings.size()) continue;
        auto const& f = findings[i];
        if (f.value("type", std::string()) == "biomarker") continue;
        json d;
        if (auto const* orig =
                f.contains("source_id") ? packet_descriptor(packet, f["source_id"].get<std::string>()) : nullptr)
          d = *orig;
        else
          d = descriptor_for(f, i);
        gis.push_back({{"subjectOrBiosampleId", subject},
                       {"interpretationStatus", "CONTRIBUTORY"},
                       {"variantInterpretation",
                        {{"acmgPathogenicityClassification", "NOT_PROVIDED"},
                         {"therapeuticActionability", status == "COMPLETED" ? "ACTIONABLE" : "UNKNOWN_ACTIONABILITY"},
                         {"variationDescriptor", d}}}});
      }
    json interp = {{"id", "actionable:" + (rs.empty() ? std::string() : rs + ":") + what},
                   {"progressStatus", status},
                   {"diagnosis", {{"disease", disease}, {"genomicInterpretations", gis}}},
                   {"summary", summary}};
    if (!packet.contains("interpretations") || !packet["interpretations"].is_array())
      packet["interpretations"] = json::array();
    packet["interpretations"].push_back(std::move(interp));
  };
  for (auto const& m : jget(result, "matches")) {
    std::string what = sget(m, "rule");
    if (what.empty() && !sget(m, "trial").empty())
      what = sget(m, "trial") + (sget(m, "arm").empty() ? "" : "/" + sget(m, "arm"));
    if (what.empty()) what = sget(m, "cohort");
    std::string summary = sget(m, "class") + ":";
    auto therapies = join(jget(m, "therapies"), ", ");
    if (!therapies.empty()) summary += " " + therapies;
    if (!sget(m, "level").empty()) summary += " [" + sget(m, "level") + "]";
    summary += " (" + what + ")";
    auto because = join(jget(m, "because"), "; ");
    if (!because.empty()) summary += " because " + because;
    add(what, "COMPLETED", jget(m, "findings"), summary);
  }
  for (auto const& ind : jget(result, "indeterminate")) {
    std::string what = sget(ind, "rule");
    if (what.empty()) what = sget(ind, "trial") + (sget(ind, "arm").empty() ? "" : "/" + sget(ind, "arm"));
    add(what, "IN_PROGRESS", jget(ind, "findings"),
        "indeterminate (" + what + "): missing " + join(jget(ind, "missing"), ", "));
  }
  return packet;
}

}  // namespace actionable::io
