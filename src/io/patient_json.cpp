// Patient records from JSON (patient.md). Every problem is reported with its JSON pointer;
// a record with any error is rejected whole (never half-read). Unknown fields are ignored.
// This file: the record, its findings and gene symbols, the input limits and the entry points;
// protein results, tests and treatments: patient_tests.cpp (the Reader: patient_reader.hpp).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <new>

#include "actionable/model/protein.hpp"
#include "io/patient_facts.hpp"
#include "io/patient_reader.hpp"
#include "util/json_text.hpp"

namespace actionable::io {
namespace record {

std::optional<std::string> Reader::gene(std::string const& symbol, std::string const& ptr) {
  return gene(catalog.genes.lookup(symbol), symbol, ptr);
}

std::optional<std::string> Reader::gene(catalog::GeneLookup const& look, std::string_view symbol_view,
                                        std::string const& ptr) {
  std::string const symbol(symbol_view);
  switch (look.match) {
    case catalog::GeneMatch::kApproved: return look.symbol;
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
    case catalog::GeneMatch::kUnknown: break;
  }
  std::string msg = "unknown gene symbol '" + symbol + "'";
  if (suggestions < kMaxSuggestions) {
    ++suggestions;
    auto sug = catalog.genes.suggest(symbol, 1);
    if (!sug.empty()) msg += "; did you mean '" + sug[0] + "'?";
  }
  error(ptr, msg);
  return std::nullopt;
}

void Reader::gene_field(std::string_view symbol, std::string const& base, std::string const& field, std::string& dst,
                        std::string& raw) {
  if (auto const id = catalog.genes.index(symbol)) {  // the common case: an approved symbol, nothing to say
    dst = catalog.genes.symbols()[*id];
    return;
  }
  auto look = catalog.genes.lookup(symbol);
  bool declared = std::find(marked.begin(), marked.end(), field) != marked.end();
  if (look.resolved() || (!declared && options.unknown_genes == UnknownGenePolicy::kError)) {
    if (auto s = gene(look, symbol, base + "/" + field)) dst = *s;
    return;
  }
  raw = symbol;
  if (!declared)
    warn(base + "/" + field, std::string(look.match == catalog::GeneMatch::kAmbiguous ? "ambiguous" : "unknown") +
                                 " gene symbol '" + std::string(symbol) +
                                 "' kept unresolved (it satisfies no gene rule)");
}

std::optional<model::Origin> Reader::origin(Object const& o, std::string const& base) {
  auto s = sv(o, "origin", base);
  if (!s) return model::Origin::kSomatic;
  using util::iequals;
  if (iequals(*s, "somatic") || iequals(*s, "tumour") || iequals(*s, "tumor")) return model::Origin::kSomatic;
  if (iequals(*s, "germline")) return model::Origin::kGermline;
  error(base + "/origin", "must be \"somatic\" or \"germline\"");
  return std::nullopt;
}

std::optional<int> Reader::exon_number(Object const& o, std::string_view key, std::string const& base) {
  auto it = o.find(key);
  if (!it || it->is_null()) return std::nullopt;
  if (it->is_number_integer() && it->integer() > 0 && it->integer() < 10000) return static_cast<int>(it->integer());
  if (it->is_string()) {  // VEP writes "19/28"
    std::string s = it->text();
    auto slash = s.find('/');
    std::string n = s.substr(0, slash);
    if (!n.empty() && n.size() < 5 &&
        std::all_of(n.begin(), n.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      return std::stoi(n);
  }
  error(at(base, key), "must be a positive exon / intron number (or \"N/TOTAL\")");
  return std::nullopt;
}

void Reader::finding(Node node, std::string const& base, model::Patient& p) {
  if (!node.is_object()) {
    error(base, "must be an object");
    return;
  }
  Object const f(node);
  std::size_t before = errors.size();
  // Built in place (a Finding is some 600 bytes of strings and optionals: moving one in cost
  // ~3 % of a 500-finding record's read, docs/performance.md); reset when it has an error, so
  // the indices stay aligned and the record is rejected.
  model::Finding& out = p.findings.emplace_back();
  auto type = lower(sv(f, "type", base).value_or("variant"));
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
    error(base + "/type", "unknown finding type '" + type + "' (variant, fusion, cnv, exon_skipping or biomarker)");
    return;
  }
  marked.clear();
  if (auto it = f.find("unresolved"); it && !it->is_null()) {
    if (!it->is_array())
      error(base + "/unresolved", "must be an array of field names (\"gene\", \"gene5\", \"gene3\")");
    else
      it->each([&](std::size_t i, Node v) {
        if (!v.is_string() || (v.string() != "gene" && v.string() != "gene5" && v.string() != "gene3"))
          error(base + "/unresolved/" + std::to_string(i), "must be \"gene\", \"gene5\" or \"gene3\"");
        else
          marked.push_back(v.text());
      });
  }
  if (auto o = origin(f, base)) out.origin = *o;
  out.method = str(f, "method", base).value_or("");
  out.classification = lower(sv(f, "classification", base).value_or(""));
  if (out.classification.empty()) out.classification = lower(sv(f, "oncogenicity", base).value_or(""));
  for (auto& c : out.classification)
    if (c == '_') c = ' ';

  switch (out.type) {
    case model::FindingType::kVariant: {
      if (auto g = sv(f, "gene", base, true)) gene_field(*g, base, "gene", out.gene, out.unresolved_gene);
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
      if (auto c = sv(f, "consequence", base)) {
        // "a&b", "a,b" or "a|b": each term trimmed and lower-cased, empty ones dropped.
        for (std::string_view rest = *c;;) {
          auto const cut = std::string_view::size_type(
              std::find_if(rest.begin(), rest.end(), [](char ch) { return ch == '&' || ch == ',' || ch == '|'; }) -
              rest.begin());
          if (auto term = trim_view(rest.substr(0, cut)); !term.empty()) out.consequences.push_back(lower(term));
          if (cut == rest.size()) break;
          rest.remove_prefix(cut + 1);
        }
      }
      out.exon = exon_number(f, "exon", base);
      out.intron = exon_number(f, "intron", base);
      out.vaf = num(f, "vaf", base, 0.0, 1.0);
      break;
    }
    case model::FindingType::kFusion: {
      auto g5 = sv(f, "gene5", base);
      auto g3 = sv(f, "gene3", base);
      auto g = sv(f, "gene", base);
      if (!g5 && !g3 && !g) {
        error(base, "a fusion needs \"gene5\" and/or \"gene3\" (or \"gene\")");
        break;
      }
      if (g5 && !g5->empty()) gene_field(*g5, base, "gene5", out.gene5, out.unresolved_gene5);
      if (g3 && !g3->empty()) gene_field(*g3, base, "gene3", out.gene3, out.unresolved_gene3);
      if (g && !g->empty() && !g5 && !g3) gene_field(*g, base, "gene", out.gene3, out.unresolved_gene3);
      out.gene = out.gene3.empty() ? out.gene5 : out.gene3;
      // FISH (break-apart) cannot name the partner (dsl.md §2).
      out.partner_resolved =
          !out.gene5.empty() && !out.gene3.empty() && upper(out.method).find("FISH") == std::string::npos;
      break;
    }
    case model::FindingType::kCnv: {
      if (auto g = sv(f, "gene", base, true)) gene_field(*g, base, "gene", out.gene, out.unresolved_gene);
      auto call = lower(sv(f, "call", base).value_or(""));
      if (call == "amplification" || call == "amp" || call == "amplified" || call == "high level amplification" ||
          call == "high-level amplification" || call == "2") {
        out.call = "amplification";
      } else if (call == "deletion" || call == "homozygous deletion" || call == "deep deletion" || call == "homdel" ||
                 call == "del" || call == "-2") {
        out.call = "deletion";
      } else if (call == "gain" || call == "1" || call == "low level gain") {
        out.call = "gain";
      } else if (call == "loss" || call == "shallow deletion" || call == "heterozygous deletion" || call == "hetloss" ||
                 call == "-1") {
        out.call = "loss";
      } else if (call == "neutral" || call == "0") {
        out.call = "neutral";
      } else if (!call.empty()) {
        error(base + "/call", "unknown copy-number call '" + call + "' (amplification, gain, loss, deletion, neutral)");
      }
      out.copies = num(f, "copies", base, 0.0, 1e6);
      out.ratio = num(f, "ratio", base, 0.0, 1e6);
      if (out.call.empty() && !out.copies && !out.ratio)
        error(base, "a cnv finding needs \"call\", \"copies\" or \"ratio\"");
      break;
    }
    case model::FindingType::kExonSkipping: {
      if (auto g = sv(f, "gene", base, true)) gene_field(*g, base, "gene", out.gene, out.unresolved_gene);
      auto it = f.find("exons");
      if (it && it->is_array()) {
        it->each([&](std::size_t i, Node e) {
          if (e.is_number_integer() && e.integer() > 0 && e.integer() < 10000) {
            out.exons.push_back(static_cast<int>(e.integer()));
          } else {
            error(base + "/exons/" + std::to_string(i), "must be a positive exon number");
          }
        });
      } else if (auto e = exon_number(f, "exon", base)) {
        out.exons.push_back(*e);
      } else if (it) {
        error(base + "/exons", "must be an array of exon numbers");
      }
      if (out.exons.empty() && errors.size() == before) error(base + "/exons", "required field is missing");
      break;
    }
    case model::FindingType::kBiomarker: {
      auto n = str(f, "name", base, true);
      if (n) out.name = model::canonical_biomarker_name(*n);
      if (n && protein(f, base, *n, out)) break;
      auto it = f.find("value");
      if (!it || it->is_null()) {
        error(base + "/value", "required field is missing");
      } else if (it->is_number()) {
        out.number = it->number();
      } else if (it->is_string()) {
        out.value = model::normalise_biomarker_value(out.name, trim(it->string()));
      } else if (it->is_boolean()) {
        out.value = it->boolean() ? "positive" : "negative";
      } else {
        error(base + "/value", "must be a string or a number");
      }
      break;
    }
  }
  if (errors.size() != before) out = model::Finding{};
}

std::optional<model::Patient> Reader::read(Node node) {
  if (!node.is_object()) {
    error("", "a patient record must be a JSON object");
    return std::nullopt;
  }
  Object const r(node);
  model::Patient p;
  p.id = str(r, "patient", "", true).value_or("");
  p.centre = str(r, "centre", "").value_or("");
  auto tum = r.find("tumour");
  std::string code;
  if (!tum || tum->is_null()) {
    error("/tumour", "required field is missing");
  } else if (tum->is_string()) {
    code = trim(tum->string());
    if (code.empty()) error("/tumour", "is empty: give the tumour's OncoTree code");
  } else if (tum->is_object()) {
    Object const t(*tum);
    auto const given = str(t, "oncotree", "/tumour", true);
    code = given.value_or("");
    // "" (or blanks) is no code: the record used to read as complete with no tumour, and only
    // the match refused it ("/tumour: required field is missing"; found by the fuzz target
    // patient, 2026-12-06).
    if (given && code.empty()) error("/tumour/oncotree", "is empty: give the tumour's OncoTree code");
    p.stage = str(t, "stage", "/tumour").value_or("");
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
  if (auto it = r.find("tests"); it && !it->is_null()) {
    if (!it->is_array())
      error("/tests", "must be an array");
    else
      it->each([&](std::size_t i, Node t) { test(t, "/tests/" + std::to_string(i), p); });
  }
  if (auto it = r.find("findings"); it && !it->is_null()) {
    if (!it->is_array())
      error("/findings", "must be an array");
    else {
      p.findings.reserve(it->size());
      it->each([&](std::size_t i, Node f) { finding(f, "/findings/" + std::to_string(i), p); });
    }
  }
  if (auto it = r.find("treatments"); it && !it->is_null()) {
    if (!it->is_array()) {
      error("/treatments", "must be an array");
    } else {
      std::vector<model::Treatment> tr;
      it->each([&](std::size_t i, Node t) { treatment(t, "/treatments/" + std::to_string(i), tr); });
      p.treatments = std::move(tr);
    }
  }
  detail::read_patient_facts(r, p, errors);
  if (auto s = str(r, "input", "")) {
    if (*s == "incomplete")
      p.input_incomplete = true;
    else if (*s != "complete")
      error("/input", "must be \"complete\" or \"incomplete\"");
  }
  if (auto it = r.find("input_issues"); it && !it->is_null()) {
    if (!it->is_array())
      error("/input_issues", "must be an array of strings");
    else
      it->each([&](std::size_t i, Node v) {
        if (!v.is_string())
          error("/input_issues/" + std::to_string(i), "must be a string");
        else
          p.input_issues.push_back(v.text());
      });
    if (!p.input_issues.empty() && !p.input_incomplete)
      error("/input_issues", "given, but \"input\" is not \"incomplete\"");
  }
  if (!errors.empty()) return std::nullopt;
  return p;
}

}  // namespace record

using nlohmann::json;
using record::Node;
using record::Reader;

namespace {

// Input limits of one record (docs/reliability.md, "Limits"): past them a record is refused
// with one clean error, before any work proportional to its size is done.
constexpr std::size_t kMaxRecordBytes = 16u << 20;  ///< 16 MiB of JSON text
constexpr std::size_t kMaxDepth = 64;               ///< nesting of arrays / objects
constexpr std::size_t kMaxFindings = 100000;        ///< entries of "findings"
constexpr std::size_t kMaxTests = 10000;            ///< entries of "tests"
constexpr std::size_t kMaxTreatments = 10000;       ///< entries of "treatments"

/// Offset where the nesting of [ and { first exceeds `max_depth` (outside strings), or npos.
/// (dsl/parser.cpp scans rule text alike, with its own comments and brackets.)
std::size_t too_deep(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char const c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
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

bool over_limit(Node node, std::vector<RecordError>& errors) {
  if (!node.is_object()) return false;
  record::Object const fields(node);
  bool over = false;
  for (auto [key, limit] : {std::pair<char const*, std::size_t>{"findings", kMaxFindings},
                            {"tests", kMaxTests},
                            {"treatments", kMaxTreatments},
                            {"labs", kMaxTreatments}}) {
    auto it = fields.find(key);
    if (it && it->is_array() && it->size() > limit) {
      errors.push_back({std::string("/") + key, std::to_string(it->size()) + " entries, more than the limit of " +
                                                    std::to_string(limit) + " per record"});
      over = true;
    }
  }
  return over;
}

/// The record behind either parser's value (json_node.hpp).
std::optional<model::Patient> read_node(Node record, catalog::Catalog const& catalog, std::vector<RecordError>& errors,
                                        std::vector<RecordError>* warnings, PatientReadOptions const& options) {
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

}  // namespace

std::optional<model::Patient> read_patient(nlohmann::json const& record, catalog::Catalog const& catalog,
                                           std::vector<RecordError>& errors, std::vector<RecordError>* warnings,
                                           PatientReadOptions const& options) {
  return read_node(Node(record), catalog, errors, warnings, options);
}

std::optional<model::Patient> read_patient_text(std::string_view text, catalog::Catalog const& catalog,
                                                std::vector<RecordError>& errors, std::vector<RecordError>* warnings,
                                                PatientReadOptions const& options) {
  if (text.size() > kMaxRecordBytes) {
    errors.push_back({"", "record is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                              std::to_string(kMaxRecordBytes) + " (16 MiB)"});
    return std::nullopt;
  }
  // The fast path: simdjson's DOM, one parser per thread (it keeps its buffers between records).
  // Its depth limit is ours: it accepts 64 levels and refuses 65, as too_deep does (the
  // table in tests/unit/patient_json_test.cpp), so a document it reads needs no pre-scan;
  // the byte-wise scan runs only on text it refuses, to name the offset.
  thread_local simdjson::dom::parser parser = [] {
    simdjson::dom::parser p;
    if (p.allocate(64u << 10, kMaxDepth) != simdjson::SUCCESS) throw std::bad_alloc();
    return p;
  }();
  simdjson::dom::element doc;
  if (!parser.parse(text.data(), text.size()).get(doc)) return read_node(Node(doc), catalog, errors, warnings, options);
  if (auto at = too_deep(text, kMaxDepth); at != std::string_view::npos) {
    errors.push_back({"", "JSON nested more than " + std::to_string(kMaxDepth) + " levels deep (at byte " +
                              std::to_string(at) + ")"});
    return std::nullopt;
  }
  // nlohmann would read the part before a NUL byte as the whole record (util/json_text.hpp).
  if (auto nul = util::nul_byte(text)) {
    errors.push_back({"", "invalid JSON: " + util::nul_byte_message(*nul)});
    return std::nullopt;
  }
  // Text simdjson refuses goes to nlohmann, which either reads it (an integer beyond 64 bits)
  // or gives the error message records have always had (json_node.hpp).
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) {
    // Re-parse with exceptions off but a callback-free sax to find the offset.
    try {
      [[maybe_unused]] auto again = json::parse(text.begin(), text.end());  // throws here
    } catch (json::parse_error const& e) {
      errors.push_back({"", std::string("invalid JSON at byte ") + std::to_string(e.byte) + ": " + [](std::string m) {
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
  return read_node(Node(j), catalog, errors, warnings, options);
}

}  // namespace actionable::io
