// MatchMiner / CTIMS patient documents (see ctims.hpp).
#include "actionable/detail/io/readers/ctims.hpp"

#include <ctime>
#include <fstream>
#include <sstream>

#include "actionable/detail/io/readers/table.hpp"
#include "actionable/detail/io/readers/tumour_resolver.hpp"
#include "actionable/detail/io/readers/variant_text.hpp"
#include "collector.hpp"
#include "json_scan.hpp"

namespace actionable::io {

namespace {

std::string str(nlohmann::json const& doc, std::initializer_list<char const*> keys) {
  for (auto k : keys) {
    auto it = doc.find(k);
    if (it == doc.end()) continue;
    auto v = detail::unwrap_ejson(*it);
    if (v.is_string() && !text::is_missing(v.get<std::string>())) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
  }
  return {};
}

struct Ymd {
  long long y;
  unsigned m, d;
};

std::optional<Ymd> civil_from_days(long long z) {
  z += 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long y = static_cast<long long>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Ymd{y + (m <= 2), m, d};
}

std::optional<Ymd> parse_date(std::string_view s) {
  s = text::trim(s);
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = text::to_int(s.substr(0, 4));
  auto m = text::to_int(s.substr(5, 2));
  auto d = text::to_int(s.substr(8, 2));
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > 31) return std::nullopt;
  return Ymd{*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d)};
}

std::optional<Ymd> birth_date(nlohmann::json const& doc) {
  if (auto it = doc.find("BIRTH_DATE"); it != doc.end()) {
    auto v = detail::unwrap_ejson(*it);
    if (v.is_number()) {
      auto ms = v.get<double>();
      return civil_from_days(static_cast<long long>(std::floor(ms / 86400000.0)));
    }
    if (v.is_string()) {
      if (auto d = parse_date(v.get<std::string>())) return d;
    }
  }
  if (auto it = doc.find("BIRTH_DATE_INT"); it != doc.end() && it->is_number()) {
    auto n = static_cast<long long>(it->get<double>());
    return Ymd{n / 10000, static_cast<unsigned>((n / 100) % 100), static_cast<unsigned>(n % 100)};
  }
  return std::nullopt;
}

/// MMR / MSI biomarkers from a CTIMS MMR_STATUS text.
std::vector<nlohmann::json> mmr_biomarkers(std::string const& s) {
  std::vector<nlohmann::json> out;
  auto v = text::lower(s);
  auto bm = [](char const* name, char const* value) {
    return nlohmann::json{{"type", "biomarker"}, {"name", name}, {"value", value}};
  };
  if (v.find("deficient") != std::string::npos || v.find("mmr-d") != std::string::npos) {
    out.push_back(bm("MMR", "deficient"));
    if (v.find("msi-h") != std::string::npos) out.push_back(bm("MSI", "high"));
  } else if (v.find("proficient") != std::string::npos || v.find("mmr-p") != std::string::npos) {
    out.push_back(bm("MMR", "proficient"));
    if (v.find("mss") != std::string::npos) out.push_back(bm("MSI", "stable"));
  }
  return out;
}

std::optional<std::string> ctims_cnv_call(std::string const& s) {
  auto v = text::lower(s);
  if (v == "high level amplification" || v == "amplification") return "amplification";
  if (v == "gain" || v == "low level gain") return "gain";
  if (v == "heterozygous deletion" || v == "loss") return "loss";
  if (v == "homozygous deletion" || v == "deletion" || v == "deep deletion") return "deletion";
  if (v == "neutral" || v == "diploid") return "";
  return std::nullopt;
}

void read_clinical_doc(detail::Collector& out, nlohmann::json const& doc, std::size_t line) {
  auto id = str(doc, {"SAMPLE_ID"});
  auto oid = str(doc, {"_id"});
  if (id.empty()) id = oid;
  if (id.empty()) {
    out.skip(IssueLevel::kError, line, "clinical document without SAMPLE_ID or _id");
    return;
  }
  out.row_sample(id);
  out.sample(id, line);
  if (!oid.empty() && oid != id) out.alias(id, line, oid);
  auto diag = str(doc, {"ONCOTREE_PRIMARY_DIAGNOSIS_NAME", "ONCOTREE_PRIMARY_DIAGNOSIS"});
  if (!diag.empty()) {
    std::optional<std::string> code;
    if (out.options().tumours) code = out.options().tumours->code_for(diag);
    if (code) {
      out.field(id, line, "/tumour/oncotree", *code);
    } else {
      out.field(id, line, "/tumour/name", diag);
      out.issue(IssueLevel::kWarning, line,
                "'" + diag + "' is not an OncoTree name" + (out.options().tumours ? "" : " (no OncoTree table given)") +
                    ": kept as tumour.name, no OncoTree code");
    }
  }
  auto sex = text::lower(str(doc, {"GENDER", "SEX"}));
  if (sex == "female" || sex == "f")
    out.field(id, line, "/sex", "F");
  else if (sex == "male" || sex == "m")
    out.field(id, line, "/sex", "M");
  if (!out.options().age_reference_date.empty()) {
    auto ref = parse_date(out.options().age_reference_date);
    auto born = birth_date(doc);
    if (ref && born) {
      long long age = ref->y - born->y - ((ref->m < born->m || (ref->m == born->m && ref->d < born->d)) ? 1 : 0);
      if (age >= 0 && age < 150)
        out.field(id, line, "/age", age);
      else
        out.issue(IssueLevel::kWarning, line, "birth date after the reference date: no age");
    }
  }
  auto mmr = str(doc, {"MMR_STATUS"});
  if (!mmr.empty()) {
    auto bms = mmr_biomarkers(mmr);
    if (bms.empty()) out.issue(IssueLevel::kNote, line, "MMR_STATUS '" + mmr + "' is not a result: left out");
    for (auto& b : bms) out.finding(id, line, std::move(b));
  }
  if (auto it = doc.find("TUMOR_MUTATIONAL_BURDEN_PER_MEGABASE"); it != doc.end() && it->is_number())
    out.finding(id, line, {{"type", "biomarker"}, {"name", "TMB"}, {"value", detail::number(it->get<double>())}});
}

void read_genomic_doc(detail::Collector& out, nlohmann::json const& doc, std::size_t line) {
  auto sample = str(doc, {"SAMPLE_ID", "CLINICAL_ID"});
  if (sample.empty()) {
    out.skip(IssueLevel::kError, line, "genomic document without CLINICAL_ID or SAMPLE_ID");
    return;
  }
  out.row_sample(sample);
  if (doc.value("WILDTYPE", false)) {
    out.skip(IssueLevel::kNote, line, "WILDTYPE document: not a finding");
    return;
  }
  auto cat = text::upper(str(doc, {"VARIANT_CATEGORY"}));
  auto gene = str(doc, {"HARMONIZED_HUGO_SYMBOL", "TRUE_HUGO_SYMBOL"});
  if (cat == "MUTATION" || cat == "CNV") {
    if (!text::is_gene_symbol(gene)) {
      out.skip(IssueLevel::kError, line, gene.empty() ? "no gene symbol" : "'" + gene + "' is not a gene symbol");
      return;
    }
  }
  if (cat == "MUTATION") {
    nlohmann::json f = {{"origin", out.origin()}, {"gene", gene}};
    out.add_protein(f, str(doc, {"HARMONIZED_PROTEIN_CHANGE", "TRUE_PROTEIN_CHANGE"}), line);
    auto cls = str(doc, {"HARMONIZED_VARIANT_CLASSIFICATION", "TRUE_VARIANT_CLASSIFICATION"});
    if (!cls.empty()) {
      if (auto so = so_from_classification(cls, str(doc, {"HARMONIZED_CDNA_CHANGE", "TRUE_CDNA_CHANGE"})))
        f["consequence"] = *so;
      else
        out.issue(IssueLevel::kWarning, line, "unknown variant classification '" + cls + "'");
    }
    if (auto it = doc.find("TRUE_TRANSCRIPT_EXON"); it != doc.end() && it->is_number_integer())
      f["exon"] = it->get<int>();
    if (auto it = doc.find("ALLELE_FRACTION"); it != doc.end() && it->is_number())
      f["vaf"] = detail::round4(it->get<double>());
    out.finding(sample, line, std::move(f));
  } else if (cat == "CNV") {
    auto call_text = str(doc, {"CNV_CALL"});
    auto call = ctims_cnv_call(call_text);
    if (!call) {
      out.skip(IssueLevel::kError, line, "'" + call_text + "' is not a CNV_CALL");
      return;
    }
    if (call->empty()) {
      out.skip(IssueLevel::kNote, line, "copy-number neutral: no finding");
      return;
    }
    out.finding(sample, line, {{"origin", out.origin()}, {"type", "cnv"}, {"gene", gene}, {"call", *call}});
  } else if (cat == "SV") {
    auto left = str(doc, {"HARMONIZED_LEFT_PARTNER_GENE", "LEFT_PARTNER_GENE"});
    auto right = str(doc, {"HARMONIZED_RIGHT_PARTNER_GENE", "RIGHT_PARTNER_GENE"});
    if (left.empty() && right.empty()) {
      out.skip(IssueLevel::kNote, line, "structural variant given only as a comment: no genes to match");
      return;
    }
    if ((!left.empty() && !text::is_gene_symbol(left)) || (!right.empty() && !text::is_gene_symbol(right))) {
      out.skip(IssueLevel::kError, line, "'" + left + "' / '" + right + "' is not a gene pair");
      return;
    }
    if (left == right) {
      out.finding(sample, line,
                  {{"origin", out.origin()},
                   {"gene", left},
                   {"consequence", "structural_variant"},
                   {"sv", left + "-intragenic"}});
      return;
    }
    nlohmann::json f = {{"origin", out.origin()}, {"type", "fusion"}};
    if (!left.empty()) f["gene5"] = left;
    if (!right.empty()) f["gene3"] = right;
    out.finding(sample, line, std::move(f));
  } else if (cat == "SIGNATURE") {
    std::size_t n = 0;
    auto mmr = str(doc, {"MMR_STATUS"});
    for (auto& b : mmr_biomarkers(mmr)) {
      out.finding(sample, line, std::move(b));
      ++n;
    }
    for (auto const& [key, val] : doc.items()) {
      if (key == "MMR_STATUS" || key.size() < 8 || key.substr(key.size() - 7) != "_STATUS") continue;
      if (!val.is_string()) continue;
      auto v = text::lower(val.get<std::string>());
      if (v != "yes" && v != "no") continue;
      out.finding(sample, line, {{"type", "biomarker"}, {"name", key.substr(0, key.size() - 7)}, {"value", v}});
      ++n;
    }
    if (n == 0) {
      out.skip(IssueLevel::kNote, line,
               "signature document without a result" + (mmr.empty() ? std::string() : " ('" + mmr + "')"));
    }
  } else {
    out.skip(IssueLevel::kError, line, "unknown VARIANT_CATEGORY '" + cat + "'");
  }
}

}  // namespace

ReadResult read_ctims(Source const& source, ReadOptions const& options) {
  ReadResult r;
  detail::Collector out(r, source, "ctims", options);
  // The JSON readers' loop, as read_phenopacket's: three Collector calls that are already shared;
  // what each reader does with a document is its own.
  std::string data;
  if (!out.source_text(source, data)) return r;
  for (auto& item : detail::scan_json_objects(data)) {
    if (!out.begin_json_item(item)) continue;
    auto const& doc = item.value;
    if (doc.contains("VARIANT_CATEGORY") || doc.contains("CLINICAL_ID")) {
      r.format = "ctims-genomic";
      read_genomic_doc(out, doc, item.line);
    } else {
      r.format = "ctims-clinical";
      read_clinical_doc(out, doc, item.line);
    }
  }
  out.finish();
  return r;
}

}  // namespace actionable::io
