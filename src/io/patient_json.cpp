// Patient records from JSON (patient.md). Every problem is reported with its JSON pointer;
// a record with any error is rejected whole (never half-read). Unknown fields are ignored.
#include "util/ascii.hpp"
#include "actionable/detail/io/patient_json.hpp"
#include "actionable/model/protein.hpp"
#include "io/patient_facts.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace actionable::io {
namespace {

using nlohmann::json;

using util::lower;
using util::upper;
std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t\r\n");
  auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

struct Reader {
  catalog::Catalog const& catalog;
  std::vector<RecordError>& errors;
  std::vector<RecordError>* warnings;
  PatientReadOptions options;
  std::vector<std::string> marked;  // the current finding's "unresolved" fields

  void error(std::string const& ptr, std::string msg) { errors.push_back({ptr, std::move(msg)}); }
  void warn(std::string const& ptr, std::string msg) {
    if (warnings) warnings->push_back({ptr, std::move(msg)});
  }

  std::optional<std::string> str(json const& o, char const* key, std::string const& base,
                                 bool required = false) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) {
      if (required) error(base + "/" + key, "required field is missing");
      return std::nullopt;
    }
    if (!it->is_string()) {
      error(base + "/" + key, "must be a string");
      return std::nullopt;
    }
    return trim(it->get<std::string>());
  }

  std::optional<double> num(json const& o, char const* key, std::string const& base,
                            double lo = -1e300, double hi = 1e300, bool integer = false) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return std::nullopt;
    if (!it->is_number()) {
      error(base + "/" + key, "must be a number");
      return std::nullopt;
    }
    double v = it->get<double>();
    if (!std::isfinite(v) || v < lo || v > hi) {
      error(base + "/" + key, "out of range");
      return std::nullopt;
    }
    if (integer && std::floor(v) != v) {
      error(base + "/" + key, "must be a whole number");
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::string> gene(std::string const& symbol, std::string const& ptr) {
    auto look = catalog.genes.lookup(symbol);
    switch (look.match) {
      case catalog::GeneMatch::kApproved:
        return look.symbol;
      case catalog::GeneMatch::kCaseFold:
      case catalog::GeneMatch::kAlias:
      case catalog::GeneMatch::kPrevious:
        warn(ptr, "'" + symbol + "' read as HGNC symbol '" + look.symbol + "'");
        return look.symbol;
      case catalog::GeneMatch::kAmbiguous: {
        std::string c;
        for (auto const& s : look.candidates) c += (c.empty() ? "" : ", ") + s;
        error(ptr, "ambiguous gene symbol '" + symbol + "' (could be " + c + ")");
        return std::nullopt;
      }
      case catalog::GeneMatch::kUnknown:
        break;
    }
    std::string msg = "unknown gene symbol '" + symbol + "'";
    auto sug = catalog.genes.suggest(symbol, 1);
    if (!sug.empty()) msg += "; did you mean '" + sug[0] + "'?";
    error(ptr, msg);
    return std::nullopt;
  }

  /// Resolves `symbol` (field `field` of the finding at `base`) into `dst`. A symbol HGNC does
  /// not resolve is an error, unless the record marks the field unresolved or the policy says
  /// warn: then `raw` keeps it and `dst` stays empty (docs/inputs.md, "Unresolved gene symbols").
  void gene_field(std::string const& symbol, std::string const& base, std::string const& field,
                  std::string& dst, std::string& raw) {
    bool declared = std::find(marked.begin(), marked.end(), field) != marked.end();
    auto look = catalog.genes.lookup(symbol);
    if (look.resolved() || (!declared && options.unknown_genes == UnknownGenePolicy::kError)) {
      if (auto s = gene(symbol, base + "/" + field)) dst = *s;
      return;
    }
    raw = symbol;
    if (!declared)
      warn(base + "/" + field, std::string(look.match == catalog::GeneMatch::kAmbiguous ? "ambiguous" : "unknown") +
                                   " gene symbol '" + symbol + "' kept unresolved (it satisfies no gene rule)");
  }

  std::optional<model::Origin> origin(json const& o, std::string const& base) {
    auto s = str(o, "origin", base);
    if (!s) return model::Origin::kSomatic;
    auto v = lower(*s);
    if (v == "somatic" || v == "tumour" || v == "tumor") return model::Origin::kSomatic;
    if (v == "germline") return model::Origin::kGermline;
    error(base + "/origin", "must be \"somatic\" or \"germline\"");
    return std::nullopt;
  }

  std::optional<int> exon_number(json const& o, char const* key, std::string const& base) {
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return std::nullopt;
    if (it->is_number_integer() && it->get<long long>() > 0 && it->get<long long>() < 10000)
      return static_cast<int>(it->get<long long>());
    if (it->is_string()) {  // VEP writes "19/28"
      std::string s = it->get<std::string>();
      auto slash = s.find('/');
      std::string n = s.substr(0, slash);
      if (!n.empty() && n.size() < 5 &&
          std::all_of(n.begin(), n.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return std::stoi(n);
    }
    error(base + "/" + key, "must be a positive exon / intron number (or \"N/TOTAL\")");
    return std::nullopt;
  }

  void finding(json const& f, std::string const& base, model::Patient& p) {
    if (!f.is_object()) {
      error(base, "must be an object");
      return;
    }
    std::size_t before = errors.size();
    model::Finding out;
    auto type = str(f, "type", base).value_or("variant");
    type = lower(type);
    if (type == "variant" || type == "mutation" || type == "snv" || type == "indel") {
      out.type = model::FindingType::kVariant;
    } else if (type == "fusion") {
      out.type = model::FindingType::kFusion;
    } else if (type == "cnv" || type == "cna" || type == "copy_number") {
      out.type = model::FindingType::kCnv;
    } else if (type == "exon_skipping") {
      out.type = model::FindingType::kExonSkipping;
    } else if (type == "biomarker") {
      out.type = model::FindingType::kBiomarker;
    } else {
      error(base + "/type",
            "unknown finding type '" + type +
                "' (variant, fusion, cnv, exon_skipping or biomarker)");
      return;
    }
    marked.clear();
    if (auto it = f.find("unresolved"); it != f.end() && !it->is_null()) {
      if (!it->is_array()) error(base + "/unresolved", "must be an array of field names (\"gene\", \"gene5\", \"gene3\")");
      else
        for (std::size_t i = 0; i < it->size(); ++i) {
          auto const& v = (*it)[i];
          if (!v.is_string() || (v != "gene" && v != "gene5" && v != "gene3"))
            error(base + "/unresolved/" + std::to_string(i), "must be \"gene\", \"gene5\" or \"gene3\"");
          else marked.push_back(v.get<std::string>());
        }
    }
    if (auto o = origin(f, base)) out.origin = *o;
    out.method = str(f, "method", base).value_or("");
    out.classification = lower(str(f, "classification", base).value_or(""));
    if (out.classification.empty())
      out.classification = lower(str(f, "oncogenicity", base).value_or(""));
    for (auto& c : out.classification)
      if (c == '_') c = ' ';

    switch (out.type) {
      case model::FindingType::kVariant: {
        if (auto g = str(f, "gene", base, true)) gene_field(*g, base, "gene", out.gene, out.unresolved_gene);
        if (auto h = str(f, "hgvsp", base); h && !h->empty()) {
          std::string why;
          auto pc = hgvs::parse_protein(*h, &why);
          if (!pc) {
            error(base + "/hgvsp", "cannot read protein change '" + *h + "': " + why);
          } else {
            out.protein = *pc;
          }
        }
        out.hgvsc = str(f, "hgvsc", base).value_or("");
        out.transcript = str(f, "transcript", base).value_or("");
        if (auto c = str(f, "consequence", base)) {
          std::string cur;
          for (char ch : *c + "&") {
            if (ch == '&' || ch == ',' || ch == '|') {
              if (!trim(cur).empty()) out.consequences.push_back(lower(trim(cur)));
              cur.clear();
            } else {
              cur += ch;
            }
          }
        }
        out.exon = exon_number(f, "exon", base);
        out.intron = exon_number(f, "intron", base);
        out.vaf = num(f, "vaf", base, 0.0, 1.0);
        break;
      }
      case model::FindingType::kFusion: {
        auto g5 = str(f, "gene5", base);
        auto g3 = str(f, "gene3", base);
        auto g = str(f, "gene", base);
        if (!g5 && !g3 && !g) {
          error(base, "a fusion needs \"gene5\" and/or \"gene3\" (or \"gene\")");
          break;
        }
        if (g5 && !g5->empty()) gene_field(*g5, base, "gene5", out.gene5, out.unresolved_gene5);
        if (g3 && !g3->empty()) gene_field(*g3, base, "gene3", out.gene3, out.unresolved_gene3);
        if (g && !g->empty() && !g5 && !g3) gene_field(*g, base, "gene", out.gene3, out.unresolved_gene3);
        out.gene = out.gene3.empty() ? out.gene5 : out.gene3;
        // FISH (break-apart) cannot name the partner (dsl.md §2).
        out.partner_resolved = !out.gene5.empty() && !out.gene3.empty() &&
                               upper(out.method).find("FISH") == std::string::npos;
        break;
      }
      case model::FindingType::kCnv: {
        if (auto g = str(f, "gene", base, true)) gene_field(*g, base, "gene", out.gene, out.unresolved_gene);
        auto call = lower(str(f, "call", base).value_or(""));
        if (call == "amplification" || call == "amp" || call == "amplified" ||
            call == "high level amplification" || call == "high-level amplification" ||
            call == "2") {
          out.call = "amplification";
        } else if (call == "deletion" || call == "homozygous deletion" || call == "deep deletion" ||
                   call == "homdel" || call == "del" || call == "-2") {
          out.call = "deletion";
        } else if (call == "gain" || call == "1" || call == "low level gain") {
          out.call = "gain";
        } else if (call == "loss" || call == "shallow deletion" || call == "heterozygous deletion" ||
                   call == "hetloss" || call == "-1") {
          out.call = "loss";
        } else if (call == "neutral" || call == "0") {
          out.call = "neutral";
        } else if (!call.empty()) {
          error(base + "/call",
                "unknown copy-number call '" + call + "' (amplification, gain, loss, deletion, neutral)");
        }
        out.copies = num(f, "copies", base, 0.0, 1e6);
        out.ratio = num(f, "ratio", base, 0.0, 1e6);
        if (out.call.empty() && !out.copies && !out.ratio)
          error(base, "a cnv finding needs \"call\", \"copies\" or \"ratio\"");
        break;
      }
      case model::FindingType::kExonSkipping: {
        if (auto g = str(f, "gene", base, true)) gene_field(*g, base, "gene", out.gene, out.unresolved_gene);
        auto it = f.find("exons");
        if (it != f.end() && it->is_array()) {
          for (std::size_t i = 0; i < it->size(); ++i) {
            auto const& e = (*it)[i];
            if (e.is_number_integer() && e.get<long long>() > 0 && e.get<long long>() < 10000) {
              out.exons.push_back(static_cast<int>(e.get<long long>()));
            } else {
              error(base + "/exons/" + std::to_string(i), "must be a positive exon number");
            }
          }
        } else if (auto e = exon_number(f, "exon", base)) {
          out.exons.push_back(*e);
        } else if (it != f.end()) {
          error(base + "/exons", "must be an array of exon numbers");
        }
        if (out.exons.empty() && errors.size() == before)
          error(base + "/exons", "required field is missing");
        break;
      }
      case model::FindingType::kBiomarker: {
        auto n = str(f, "name", base, true);
        if (n) out.name = model::canonical_biomarker_name(*n);
        if (n && protein(f, base, *n, out)) break;
        auto it = f.find("value");
        if (it == f.end() || it->is_null()) {
          error(base + "/value", "required field is missing");
        } else if (it->is_number()) {
          out.number = it->get<double>();
        } else if (it->is_string()) {
          out.value = model::normalise_biomarker_value(out.name, trim(it->get<std::string>()));
        } else if (it->is_boolean()) {
          out.value = it->get<bool>() ? "positive" : "negative";
        } else {
          error(base + "/value", "must be a string or a number");
        }
        break;
      }
    }
    if (errors.size() == before) p.findings.push_back(std::move(out));
    else p.findings.push_back(model::Finding{});  // keep indices aligned; record is rejected
  }

  /// A protein biomarker result (docs/inputs.md, "Protein biomarkers"): HER2 IHC / ISH,
  /// PD-L1 scores, Claudin 18.2, FRα, MMR proteins, pan-TRK, ALK, ROS1, c-MET by IHC. Returns
  /// false when the finding is not one (a legacy biomarker such as MSI, TMB, ER).
  bool protein(json const& f, std::string const& base, std::string const& raw_name, model::Finding& out) {
    auto marker = model::protein_marker(raw_name);
    if (marker.empty()) return false;
    auto method = model::protein_method(out.method);
    auto value = f.find("value");
    bool has_value = value != f.end() && !value->is_null();
    if (method.empty()) {
      if (!out.method.empty()) {
        if (marker == "HER2" || marker == "ALK" || marker == "ROS1" || marker == "MET")
          error(base + "/method", "'" + out.method + "' is not a protein method (IHC or ISH): a DNA result of " +
                                      raw_name + " is a variant, cnv or fusion finding of the gene");
        else
          error(base + "/method", "'" + out.method + "' is not a protein method: " + raw_name + " is read by IHC");
        return true;
      }
      // No method: an IHC result for the markers only IHC reports (PD-L1 without a score
      // stays the plain biomarker `biomarker PDL1 …` of earlier records).
      bool ihc_only = marker == "CLDN18" || marker == "FOLR1" || marker == "PANTRK" || model::is_mmr_protein(marker) ||
                      (marker == "PDL1" && f.contains("score"));
      bool her2_score = marker == "HER2" && has_value &&
                        (value->is_number() || !model::protein_value("HER2", "IHC", value->is_string() ? value->get<std::string>() : "").empty());
      if (marker == "HER2" && !her2_score) {
        error(base + "/method", "a HER2 result needs its method: \"IHC\" (0, ultralow, 1+, 2+, 3+) or \"ISH\" (positive, negative)");
        return true;
      }
      if (!ihc_only && !her2_score) return false;
      method = "IHC";
    }
    if (!model::protein_has_method(marker, method)) {
      error(base + "/method", marker + " is not reported by " + method + " (use IHC)");
      return true;
    }
    out.name = marker;
    out.method = method;
    if (auto sc = str(f, "score", base)) {
      if (marker != "PDL1") {
        error(base + "/score", "only PD-L1 results have a score");
      } else if (auto canon = model::pdl1_score(*sc); !canon.empty()) {
        out.score = canon;
      } else {
        error(base + "/score", "unknown PD-L1 score '" + *sc + "' (TPS, CPS, TC, IC or TAP)");
      }
    }
    out.assay = str(f, "assay", base).value_or("");
    if (!has_value) {
      error(base + "/value", "required field is missing");
      return true;
    }
    std::string allowed;
    if (model::protein_numeric(marker, method)) {
      std::optional<double> v;
      if (value->is_number()) v = value->get<double>();
      else if (value->is_string()) {
        auto text = trim(value->get<std::string>());
        if (!text.empty() && text.back() == '%') text.pop_back();
        char* end = nullptr;
        double d = std::strtod(text.c_str(), &end);
        if (!text.empty() && end == text.c_str() + text.size()) v = d;
        else if (auto c = model::protein_value(marker, method, text, &allowed); !c.empty()) out.value = c;
      }
      if (v) {
        if (!std::isfinite(*v) || *v < 0 || *v > 100) error(base + "/value", "out of range (0 to 100)");
        else out.number = v;
      } else if (out.value.empty()) {
        error(base + "/value", std::string("must be a number") +
                                   (marker == "PDL1" ? " (the score's value)" : " (per cent of tumour cells)") +
                                   (allowed.empty() ? "" : " or one of " + allowed));
      }
      return true;
    }
    std::string text;
    if (value->is_number()) {
      double d = value->get<double>();
      if (marker == "HER2" && method == "IHC" && (d == 0 || d == 1 || d == 2 || d == 3))
        text = d == 0 ? "0" : std::to_string(static_cast<int>(d)) + "+";
    } else if (value->is_string()) {
      text = trim(value->get<std::string>());
    } else if (value->is_boolean()) {
      text = value->get<bool>() ? "positive" : "negative";
    }
    auto c = model::protein_value(marker, method, text, &allowed);
    if (c.empty()) error(base + "/value", marker + " " + method + " must be one of " + allowed);
    else out.value = c;
    return true;
  }

  void test(json const& t, std::string const& base, model::Patient& p) {
    if (!t.is_object()) {
      error(base, "must be an object");
      return;
    }
    model::Test out;
    if (auto o = origin(t, base)) out.origin = *o;
    out.method = str(t, "method", base).value_or("");
    out.specimen = str(t, "specimen", base).value_or("");
    out.panel = str(t, "panel", base).value_or("");
    out.kinds = model::method_kinds(out.method);
    if (auto b = str(t, "biomarker", base)) {
      out.biomarker = model::canonical_biomarker_name(*b);
      // A protein marker tested by IHC / ISH (or without a method) goes by its canonical name.
      if (auto m = model::protein_marker(*b); !m.empty() && (out.method.empty() || !model::protein_method(out.method).empty()))
        out.biomarker = m;
    }
    if (auto sc = str(t, "score", base)) {
      if (auto canon = model::pdl1_score(*sc); !canon.empty()) out.score = canon;
      else error(base + "/score", "unknown PD-L1 score '" + *sc + "' (TPS, CPS, TC, IC or TAP)");
    }
    auto it = t.find("genes");
    if (it != t.end() && !it->is_null()) {
      if (!it->is_array()) {
        error(base + "/genes", "must be an array of gene symbols");
      } else {
        for (std::size_t i = 0; i < it->size(); ++i) {
          auto const& g = (*it)[i];
          auto ptr = base + "/genes/" + std::to_string(i);
          if (!g.is_string()) {
            error(ptr, "must be a string");
          } else if (auto s = gene(trim(g.get<std::string>()), ptr)) {
            out.genes.push_back(*s);
          }
        }
      }
    }
    if (out.genes.empty() && out.biomarker.empty())
      error(base, "a test needs \"genes\" or \"biomarker\"");
    std::sort(out.genes.begin(), out.genes.end());
    out.genes.erase(std::unique(out.genes.begin(), out.genes.end()), out.genes.end());
    out.gene_ids.reserve(out.genes.size());  // sorted too: ids follow the sorted symbols
    for (auto const& g : out.genes)
      if (auto id = catalog.genes.index(g)) out.gene_ids.push_back(*id);
    p.tests.push_back(std::move(out));
  }

  void treatment(json const& t, std::string const& base, std::vector<model::Treatment>& out) {
    if (!t.is_object()) {
      error(base, "must be an object");
      return;
    }
    model::Treatment tr;
    if (auto l = num(t, "line", base, 0, 100, true)) tr.line = static_cast<int>(*l);
    auto it = t.find("drugs");
    if (it != t.end() && !it->is_null()) {
      if (!it->is_array()) {
        error(base + "/drugs", "must be an array of drug names");
      } else {
        for (std::size_t i = 0; i < it->size(); ++i) {
          if (!(*it)[i].is_string()) error(base + "/drugs/" + std::to_string(i), "must be a string");
          else tr.drugs.push_back(lower(trim((*it)[i].get<std::string>())));
        }
      }
    }
    tr.start = str(t, "start", base).value_or("");
    tr.end = str(t, "end", base).value_or("");
    tr.best_response = str(t, "best_response", base).value_or("");
    tr.progression = str(t, "progression", base).value_or("");
    out.push_back(std::move(tr));
  }

  std::optional<model::Patient> read(json const& r) {
    if (!r.is_object()) {
      error("", "a patient record must be a JSON object");
      return std::nullopt;
    }
    model::Patient p;
    p.id = str(r, "patient", "", true).value_or("");
    p.centre = str(r, "centre", "").value_or("");
    auto tum = r.find("tumour");
    std::string code;
    if (tum == r.end() || tum->is_null()) {
      error("/tumour", "required field is missing");
    } else if (tum->is_string()) {
      code = trim(tum->get<std::string>());
    } else if (tum->is_object()) {
      code = str(*tum, "oncotree", "/tumour", true).value_or("");
      p.stage = str(*tum, "stage", "/tumour").value_or("");
    } else {
      error("/tumour", "must be an object {\"oncotree\": CODE}");
    }
    if (!code.empty()) {
      std::string ptr = tum->is_string() ? "/tumour" : "/tumour/oncotree";
      auto const& tree = catalog.oncotree;
      auto old = tree.find(code) ? std::nullopt : tree.retired(code);
      if (auto id = tree.find(code)) {
        p.tumour = *id;
        p.tumour_code = code;
      } else if (old && old->current.size() == 1) {
        // A code of an earlier OncoTree release (cBioPortal studies are full of them).
        auto id = old->current.front();
        warn(ptr, "'" + code + "' is a retired OncoTree code (" + old->how + "): read as " + tree.code(id) + " (" +
                      tree.name(id) + ")");
        p.tumour = id;
        p.tumour_code = tree.code(id);
      } else if (old) {
        std::string list;
        for (auto id : old->current) list += (list.empty() ? "" : ", ") + tree.code(id);
        error(ptr, "'" + code + "' is a retired OncoTree code split into " + list + ": give the current code");
      } else {
        std::string msg = "unknown OncoTree code '" + code + "' (OncoTree " + tree.version() + ")";
        auto sug = tree.suggest(code, 1);
        if (!sug.empty()) msg += "; did you mean '" + sug[0] + "'?";
        error(ptr, msg);
      }
    }
    if (p.stage.empty()) p.stage = str(r, "stage", "").value_or("");
    p.age = num(r, "age", "", 0, 150);
    if (auto s = str(r, "sex", "")) {
      auto v = upper(*s);
      p.sex = v == "FEMALE" ? "F" : v == "MALE" ? "M" : v;
    }
    p.ecog = num(r, "ecog", "", 0, 5, true);
    p.lines = num(r, "lines", "", 0, 100, true);
    if (auto it = r.find("tests"); it != r.end() && !it->is_null()) {
      if (!it->is_array()) error("/tests", "must be an array");
      else
        for (std::size_t i = 0; i < it->size(); ++i) test((*it)[i], "/tests/" + std::to_string(i), p);
    }
    if (auto it = r.find("findings"); it != r.end() && !it->is_null()) {
      if (!it->is_array()) error("/findings", "must be an array");
      else
        for (std::size_t i = 0; i < it->size(); ++i)
          finding((*it)[i], "/findings/" + std::to_string(i), p);
    }
    if (auto it = r.find("treatments"); it != r.end() && !it->is_null()) {
      if (!it->is_array()) {
        error("/treatments", "must be an array");
      } else {
        std::vector<model::Treatment> tr;
        for (std::size_t i = 0; i < it->size(); ++i)
          treatment((*it)[i], "/treatments/" + std::to_string(i), tr);
        p.treatments = std::move(tr);
      }
    }
    detail::read_patient_facts(r, p, errors);
    if (auto s = str(r, "input", "")) {
      if (*s == "incomplete") p.input_incomplete = true;
      else if (*s != "complete") error("/input", "must be \"complete\" or \"incomplete\"");
    }
    if (auto it = r.find("input_issues"); it != r.end() && !it->is_null()) {
      if (!it->is_array()) error("/input_issues", "must be an array of strings");
      else
        for (std::size_t i = 0; i < it->size(); ++i) {
          if (!(*it)[i].is_string()) error("/input_issues/" + std::to_string(i), "must be a string");
          else p.input_issues.push_back((*it)[i].get<std::string>());
        }
      if (!p.input_issues.empty() && !p.input_incomplete)
        error("/input_issues", "given, but \"input\" is not \"incomplete\"");
    }
    if (!errors.empty()) return std::nullopt;
    return p;
  }
};

}  // namespace

namespace {

// Input limits of one record (docs/reliability.md, "Limits"): past them a record is refused
// with one clean error, before any work proportional to its size is done.
constexpr std::size_t kMaxRecordBytes = 16u << 20;  ///< 16 MiB of JSON text
constexpr std::size_t kMaxDepth = 64;               ///< nesting of arrays / objects
constexpr std::size_t kMaxFindings = 100000;        ///< entries of "findings"
constexpr std::size_t kMaxTests = 10000;            ///< entries of "tests"
constexpr std::size_t kMaxTreatments = 10000;       ///< entries of "treatments"

/// Offset where the nesting of [ and { first exceeds `max_depth` (outside strings), or npos.
std::size_t too_deep(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char const c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

bool over_limit(json const& record, std::vector<RecordError>& errors) {
  if (!record.is_object()) return false;
  bool over = false;
  for (auto [key, limit] : {std::pair<char const*, std::size_t>{"findings", kMaxFindings},
                            {"tests", kMaxTests}, {"treatments", kMaxTreatments}, {"labs", kMaxTreatments}}) {
    auto it = record.find(key);
    if (it != record.end() && it->is_array() && it->size() > limit) {
      errors.push_back({std::string("/") + key, std::to_string(it->size()) + " entries, more than the limit of " +
                                                    std::to_string(limit) + " per record"});
      over = true;
    }
  }
  return over;
}

}  // namespace

std::optional<model::Patient> read_patient(nlohmann::json const& record,
                                           catalog::Catalog const& catalog,
                                           std::vector<RecordError>& errors,
                                           std::vector<RecordError>* warnings,
                                           PatientReadOptions const& options) {
  if (over_limit(record, errors)) return std::nullopt;
  std::size_t before = errors.size();
  std::vector<RecordError> local;
  Reader r{catalog, local, warnings, options, {}};
  try {
    auto p = r.read(record);
    errors.insert(errors.end(), local.begin(), local.end());
    if (errors.size() != before) return std::nullopt;
    return p;
  } catch (std::exception const& e) {
    errors.push_back({"", std::string("cannot read record: ") + e.what()});
    return std::nullopt;
  }
}

std::optional<model::Patient> read_patient_text(std::string_view text,
                                                catalog::Catalog const& catalog,
                                                std::vector<RecordError>& errors,
                                                std::vector<RecordError>* warnings,
                                                PatientReadOptions const& options) {
  if (text.size() > kMaxRecordBytes) {
    errors.push_back({"", "record is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                              std::to_string(kMaxRecordBytes) + " (16 MiB)"});
    return std::nullopt;
  }
  if (auto at = too_deep(text, kMaxDepth); at != std::string_view::npos) {
    errors.push_back({"", "JSON nested more than " + std::to_string(kMaxDepth) + " levels deep (at byte " +
                              std::to_string(at) + ")"});
    return std::nullopt;
  }
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) {
    // Re-parse with exceptions off but a callback-free sax to find the offset.
    try {
      [[maybe_unused]] auto again = json::parse(text.begin(), text.end());  // throws here
    } catch (json::parse_error const& e) {
      errors.push_back({"", std::string("invalid JSON at byte ") + std::to_string(e.byte) + ": " +
                                [](std::string m) {
                                  auto p = m.find("parse error");
                                  auto c = m.find(": ", p == std::string::npos ? 0 : p);
                                  return c == std::string::npos ? m : m.substr(c + 2);
                                }(e.what())});
      return std::nullopt;
    } catch (std::exception const& e) {
      errors.push_back({"", std::string("invalid JSON: ") + e.what()});
      return std::nullopt;
    }
    errors.push_back({"", "invalid JSON"});
    return std::nullopt;
  }
  return read_patient(j, catalog, errors, warnings, options);
}

}  // namespace actionable::io
