// Record, follow-up and decision document parsing with whitelisted fields (docs/registry.md,
// "What is stored"). Nothing outside the whitelist reaches the database.
#include "record.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include "actionable/registry/stats.hpp"
#include "util/ascii.hpp"
#include "util/json_text.hpp"
#include "util/text.hpp"

namespace actionable::registry::detail {
namespace {

using json = nlohmann::json;

constexpr std::array kOptions = {"empirical", "standard_of_care", "matched_trial", "precision2"};
constexpr std::array kResponses = {"CR", "PR", "SD", "PD", "NE"};
constexpr std::array kSpecimens = {"tissue", "plasma", "blood", "saliva"};
constexpr std::array kConsentKinds = {"precision1", "trial", "germline"};
constexpr std::array kConsentStatus = {"given", "withdrawn", "refused"};
constexpr std::array kDiseaseStatus = {"NED", "response", "stable", "progression", "not_evaluable"};
constexpr std::array kVital = {"alive", "dead", "lost"};
constexpr std::array kInput = {"complete", "incomplete"};

template <std::size_t N>
bool one_of(std::string_view v, std::array<char const*, N> const& set) {
  return std::any_of(set.begin(), set.end(), [&](char const* s) { return v == s; });
}
template <std::size_t N>
std::string list(std::array<char const*, N> const& set) {
  std::string out;
  for (char const* s : set) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

using util::lower;

/// The engine's spellings (src/io/patient_json.cpp) mapped to the registry's column values.
std::optional<std::string> normal_origin(std::string const& v) {
  std::string l = lower(v);
  if (l == "somatic" || l == "tumour" || l == "tumor") return "somatic";
  if (l == "germline") return "germline";
  return std::nullopt;
}
std::optional<std::string> normal_type(std::string const& v) {
  std::string l = lower(v);
  if (l == "variant" || l == "mutation" || l == "snv" || l == "indel") return "variant";
  if (l == "fusion") return "fusion";
  if (l == "cnv" || l == "cna" || l == "copy_number") return "cnv";
  if (l == "exon_skipping") return "exon_skipping";
  if (l == "biomarker") return "biomarker";
  return std::nullopt;
}

/// Reads typed fields of one JSON object, recording issues with JSON pointers.
class Reader {
 public:
  Reader(json const& obj, std::string ptr, std::vector<RecordIssue>& issues)
      : obj_(obj), ptr_(std::move(ptr)), issues_(issues) {}

  std::string at(std::string const& key) const { return ptr_ + "/" + util::json_pointer_token(key); }
  void error(std::string pointer, std::string message) const {
    issues_.push_back(RecordIssue{0, std::move(pointer), std::move(message)});
  }
  bool has(char const* key) const { return obj_.contains(key) && !obj_.at(key).is_null(); }
  /// The array at `key`; nullptr when it is absent or null, and (with "must be an array") when
  /// it is something else. The record's sections tests, findings, treatments and consents.
  json const* array(char const* key) const {
    if (!has(key)) return nullptr;
    if (obj_.at(key).is_array()) return &obj_.at(key);
    error(at(key), "must be an array");
    return nullptr;
  }
  /// "origin" of a finding or a test: its normal form ("somatic" / "germline"), the value as
  /// given copied into `copy`; nullopt when absent, and (with an issue) when it is neither.
  std::optional<std::string> origin(json& copy) const {
    auto v = text("origin", false, 16);
    if (!v) return std::nullopt;
    auto n = normal_origin(*v);
    if (n)
      copy["origin"] = *v;
    else
      error(at("origin"), "must be \"somatic\" or \"germline\"");
    return n;
  }
  /// Calls f(element) with a Reader of each element of the array at `key` (pointer
  /// "/key/i"); an element that is not an object is an issue. False when there is no array.
  /// The record's tests, labs and consents (findings and treatments check their own).
  template <class F>
  bool objects(char const* key, F&& f) const {
    json const* a = array(key);
    if (!a) return false;
    for (std::size_t i = 0; i < a->size(); ++i) {
      std::string ptr = at(key) + "/" + std::to_string(i);
      if (!(*a)[i].is_object()) {
        error(ptr, "must be an object");
        continue;
      }
      f(Reader((*a)[i], ptr, issues_));
    }
    return true;
  }
  json const& raw(char const* key) const { return obj_.at(key); }
  std::vector<RecordIssue>& issues() const { return issues_; }

  std::optional<std::string> text(char const* key, bool required = false, std::size_t max = 200) const {
    if (!has(key)) {
      if (required) error(at(key), "missing (a string is required)");
      return std::nullopt;
    }
    json const& v = obj_.at(key);
    if (!v.is_string()) {
      error(at(key), "must be a string");
      return std::nullopt;
    }
    std::string s = v.get<std::string>();
    if (s.empty() && required) {
      error(at(key), "must not be empty");
      return std::nullopt;
    }
    if (s.size() > max) {
      error(at(key), "longer than " + std::to_string(max) + " bytes");
      return std::nullopt;
    }
    if (std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
      error(at(key), "contains control characters");
      return std::nullopt;
    }
    return s;
  }

  template <std::size_t N>
  std::optional<std::string> choice(char const* key, std::array<char const*, N> const& set,
                                    bool required = false) const {
    auto s = text(key, required, 64);
    if (s && !one_of(*s, set)) {
      error(at(key), "'" + *s + "' is not one of: " + list(set));
      return std::nullopt;
    }
    return s;
  }

  std::optional<std::int64_t> integer(char const* key, std::int64_t lo, std::int64_t hi, bool required = false) const {
    if (!has(key)) {
      if (required) error(at(key), "missing (an integer is required)");
      return std::nullopt;
    }
    json const& v = obj_.at(key);
    std::int64_t i = 0;
    auto out_of_range = [&] {
      error(at(key), "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
      return std::nullopt;
    };
    if (v.is_number_unsigned()) {
      if (v.get<std::uint64_t>() > static_cast<std::uint64_t>(hi)) return out_of_range();
      i = static_cast<std::int64_t>(v.get<std::uint64_t>());
    } else if (v.is_number_integer()) {
      i = v.get<std::int64_t>();
    } else if (v.is_number_float() && std::isfinite(v.get<double>()) &&
               v.get<double>() == std::floor(v.get<double>())) {
      // Range first: casting a double beyond int64 is undefined (UBSan, tests/fuzz 2026-12-04).
      double const d = v.get<double>();
      if (d < static_cast<double>(lo) || d > static_cast<double>(hi)) return out_of_range();
      i = static_cast<std::int64_t>(d);
    } else {
      error(at(key), "must be an integer");
      return std::nullopt;
    }
    if (i < lo || i > hi) {
      error(at(key), "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
      return std::nullopt;
    }
    return i;
  }

  std::optional<double> number(char const* key, double lo, double hi) const {
    if (!has(key)) return std::nullopt;
    json const& v = obj_.at(key);
    if (!v.is_number()) {
      error(at(key), "must be a number");
      return std::nullopt;
    }
    double d = v.get<double>();
    if (!(d >= lo && d <= hi)) {
      error(at(key), "out of range");
      return std::nullopt;
    }
    return d;
  }

  std::optional<bool> boolean(char const* key) const {
    if (!has(key)) return std::nullopt;
    json const& v = obj_.at(key);
    if (!v.is_boolean()) {
      error(at(key), "must be true or false");
      return std::nullopt;
    }
    return v.get<bool>();
  }

  std::optional<std::string> date(char const* key, bool required = false) const {
    auto s = text(key, required, 10);
    if (s && !parse_date(*s)) {
      error(at(key), "'" + *s + "' is not a date (YYYY-MM-DD)");
      return std::nullopt;
    }
    return s;
  }

  std::optional<std::vector<std::string>> strings(char const* key, std::size_t max_items = 2000) const {
    if (!has(key)) return std::nullopt;
    json const& v = obj_.at(key);
    if (!v.is_array()) {
      error(at(key), "must be an array of strings");
      return std::nullopt;
    }
    if (v.size() > max_items) {
      error(at(key), "too many items");
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string() || v[i].get<std::string>().empty() || v[i].get<std::string>().size() > 100) {
        error(at(key) + "/" + std::to_string(i), "must be a non-empty string (at most 100 bytes)");
        return std::nullopt;
      }
      out.push_back(v[i].get<std::string>());
    }
    return out;
  }

 private:
  json const& obj_;
  std::string ptr_;
  std::vector<RecordIssue>& issues_;
};

std::optional<TreatmentInput> read_treatment(json const& v, std::string const& ptr, std::vector<RecordIssue>& issues,
                                             json* match_copy) {
  if (!v.is_object()) {
    issues.push_back({0, ptr, "must be an object"});
    return std::nullopt;
  }
  std::size_t before = issues.size();
  Reader r(v, ptr, issues);
  TreatmentInput t;
  auto line = r.integer("line", 1, 100, true);
  t.drugs = r.strings("drugs", 50);
  t.start = r.date("start");
  t.end = r.date("end");
  t.progression = r.date("progression");
  t.best_response = r.choice("best_response", kResponses);
  t.basis = r.choice("basis", kOptions);
  t.off_label = r.boolean("off_label");
  t.trial = r.text("trial", false, 64);
  if (issues.size() != before || !line) return std::nullopt;
  t.line = *line;
  if (match_copy) {
    json m = json::object();
    m["line"] = t.line;
    if (t.drugs) m["drugs"] = *t.drugs;
    if (t.start) m["start"] = *t.start;
    if (t.end) m["end"] = *t.end;
    if (t.progression) m["progression"] = *t.progression;
    if (t.best_response) m["best_response"] = *t.best_response;
    *match_copy = std::move(m);
  }
  return t;
}

/// Copies the whitelisted fields of a finding after checking their types.
std::optional<ParsedFinding> read_finding(json const& v, std::string const& ptr, std::vector<RecordIssue>& issues) {
  // Opens like read_treatment above (object check, issue count, Reader); the fields read after it are
  // each function's own, so the shared part is these few lines, not a helper.
  if (!v.is_object()) {
    issues.push_back({0, ptr, "must be an object"});
    return std::nullopt;
  }
  std::size_t before = issues.size();
  Reader r(v, ptr, issues);
  ParsedFinding f;
  json d = json::object();
  if (auto n = r.origin(d)) f.origin = *n;
  if (auto t = r.text("type", false, 16)) {
    if (auto n = normal_type(*t)) {
      f.type = *n;
      d["type"] = *t;
    } else
      r.error(r.at("type"), "unknown finding type '" + *t + "' (variant, fusion, cnv, exon_skipping or biomarker)");
  }
  // The fields the engine reads (src/io/patient_json.cpp); nothing else is kept.
  for (char const* key : {"gene", "gene5", "gene3", "hgvsp", "hgvsc", "transcript", "consequence", "method", "call",
                          "classification", "oncogenicity", "name", "score", "assay"}) {
    if (auto s = r.text(key, false, 200)) d[key] = *s;
  }
  if (auto u = r.strings("unresolved", 3)) {  // the gene fields HGNC did not resolve (docs/inputs.md)
    for (auto const& field : *u)
      if (field != "gene" && field != "gene5" && field != "gene3")
        r.error(r.at("unresolved"), "must list \"gene\", \"gene5\" or \"gene3\"");
    d["unresolved"] = *u;
  }
  for (char const* key : {"exon", "intron"}) {  // a number, or VEP's "19/28"
    if (!r.has(key)) continue;
    json const& e = v.at(key);
    if (e.is_number_integer() || (e.is_string() && e.get<std::string>().size() <= 16))
      d[key] = e;
    else
      issues.push_back({0, r.at(key), "must be an exon / intron number (or \"N/TOTAL\")"});
  }
  if (r.number("copies", 0, 1e6)) d["copies"] = v.at("copies");
  if (r.number("ratio", 0, 1e6)) d["ratio"] = v.at("ratio");
  if (r.number("vaf", 0, 1)) d["vaf"] = v.at("vaf");
  if (r.has("exons")) {
    json const& ex = v.at("exons");
    bool ok = ex.is_array() && ex.size() <= 100 &&
              std::all_of(ex.begin(), ex.end(), [](json const& e) { return e.is_number_integer(); });
    if (ok)
      d["exons"] = ex;
    else
      issues.push_back({0, r.at("exons"), "must be an array of exon numbers"});
  }
  if (r.has("value")) {
    json const& val = v.at("value");
    if (val.is_number() || val.is_boolean() || (val.is_string() && val.get<std::string>().size() <= 64))
      d["value"] = val;
    else
      issues.push_back({0, r.at("value"), "must be a number, a boolean or a short string"});
  }
  if (issues.size() != before) return std::nullopt;
  auto str = [&](char const* k) -> std::optional<std::string> {
    if (d.contains(k)) return d[k].get<std::string>();
    return std::nullopt;
  };
  if (f.type == "fusion") {
    auto g5 = str("gene5"), g3 = str("gene3"), g = str("gene");
    if (!g5 && !g3 && !g) {
      issues.push_back({0, ptr, "a fusion needs gene5 and/or gene3 (or gene)"});
      return std::nullopt;
    }
    f.gene = g5 || g3 ? g5.value_or("?") + "::" + g3.value_or("?") : *g;
  } else if (f.type == "biomarker") {
    f.gene = str("name");
    if (!f.gene) {
      issues.push_back({0, r.at("name"), "missing (a biomarker needs a name)"});
      return std::nullopt;
    }
  } else {
    f.gene = str("gene");
    if (!f.gene) {
      issues.push_back({0, r.at("gene"), "missing (a string is required)"});
      return std::nullopt;
    }
  }
  f.data = std::move(d);
  return f;
}

/// The record's clinical facts and input status (docs/inputs.md), copied into the match input
/// `m` after checking their shapes (the engine checks their values when it matches).
/// "input_issues" are the lab-file readers' messages: they name files and quote rows (sample
/// barcodes, paths), so the registry keeps how many there were, not their text; the result
/// stays provisional (docs/registry.md, "What is stored").
void clinical_facts(Reader const& r, json const& doc, json& m) {
  if (auto d = r.date("as_of")) m["as_of"] = *d;
  for (char const* key : {"measurable_disease", "pregnant"})
    if (auto b = r.boolean(key)) m[key] = *b;
  if (auto b = r.text("brain_metastases", false, 32)) m["brain_metastases"] = *b;
  if (r.has("disease_status")) {
    if (doc.at("disease_status").is_string()) {
      if (auto d = r.text("disease_status", false, 64)) m["disease_status"] = *d;
    } else if (auto ds = r.strings("disease_status", 16)) {
      m["disease_status"] = *ds;
    }
  }
  json ml = json::array();
  if (r.objects("labs", [&](Reader const& lr) {
        json o = json::object();
        if (auto t = lr.text("test", true, 64)) o["test"] = *t;
        for (char const* key : {"value", "uln"})
          if (lr.number(key, 0, 1e300)) o[key] = lr.raw(key);
        if (auto u = lr.text("unit", false, 32)) o["unit"] = *u;
        if (auto d = lr.date("date")) o["date"] = *d;
        ml.push_back(std::move(o));
      }))
    m["labs"] = std::move(ml);
  if (auto in = r.choice("input", kInput)) m["input"] = *in;
  if (r.has("input_issues")) {
    json const& is = doc.at("input_issues");
    if (!is.is_array()) {
      r.error("/input_issues", "must be an array of strings");
    } else if (!is.empty()) {
      m["input_issues"] = json::array({std::to_string(is.size()) +
                                       " input issue(s) of the lab files, not stored by the registry (they quote file "
                                       "rows); the centre's conversion log has them"});
    }
  }
}

/// The JSON object of one input line ("not valid JSON: …", "`what` must be a JSON object").
std::optional<json> parse_object(std::string_view text, char const* what, std::vector<RecordIssue>& issues) {
  // nlohmann would read the part before a NUL byte as the whole line (util/json_text.hpp).
  if (auto nul = util::nul_byte(text)) {
    issues.push_back({0, "", "not valid JSON: " + util::nul_byte_message(*nul)});
    return std::nullopt;
  }
  json doc;
  try {
    doc = json::parse(text);
  } catch (json::exception const& e) {  // parse_error, and out_of_range for a number like 1e999
    issues.push_back({0, "", std::string("not valid JSON: ") + e.what()});
    return std::nullopt;
  }
  if (!doc.is_object()) {
    issues.push_back({0, "", std::string(what) + " must be a JSON object"});
    return std::nullopt;
  }
  return doc;
}

}  // namespace

bool valid_option(std::string_view option) { return one_of(option, kOptions); }
bool valid_response(std::string_view r) { return one_of(r, kResponses); }

std::optional<ParsedRecord> parse_record(std::string_view text, std::string const& default_centre,
                                         std::vector<RecordIssue>& issues) {
  auto parsed = parse_object(text, "a patient record", issues);
  if (!parsed) return std::nullopt;
  json const& doc = *parsed;
  std::size_t before = issues.size();
  Reader r(doc, "", issues);
  ParsedRecord rec;
  json m = json::object();
  auto id = r.text("patient", true, 128);
  auto centre = r.text("centre", default_centre.empty(), 32);
  if (!centre && !default_centre.empty() && !r.has("centre")) centre = default_centre;
  if (r.has("tumour")) {
    json const& t = doc.at("tumour");
    if (t.is_string() && t.get<std::string>().size() <= 32) {
      rec.oncotree = t.get<std::string>();
      m["tumour"] = t;
    } else if (!t.is_object()) {
      r.error("/tumour", "must be an object {\"oncotree\": CODE}");
    } else {
      Reader tr(t, "/tumour", issues);
      rec.oncotree = tr.text("oncotree", false, 32);
      rec.stage = tr.text("stage", false, 16);
      json mt = json::object();
      if (rec.oncotree) mt["oncotree"] = *rec.oncotree;
      if (rec.stage) mt["stage"] = *rec.stage;
      m["tumour"] = std::move(mt);
    }
  }
  if (!rec.stage) {
    if ((rec.stage = r.text("stage", false, 16))) m["stage"] = *rec.stage;
  }
  if (auto age = r.number("age", 0, 150)) {
    rec.age = static_cast<std::int64_t>(*age);
    m["age"] = doc.at("age");
  }
  rec.sex = r.text("sex", false, 16);
  rec.ecog = r.integer("ecog", 0, 5);
  rec.lines = r.integer("lines", 0, 100);
  rec.included = r.date("included");
  if (rec.sex) m["sex"] = *rec.sex;
  if (rec.ecog) m["ecog"] = *rec.ecog;
  if (rec.lines) m["lines"] = *rec.lines;

  json tests_copy = json::array();
  if (r.objects("tests", [&](Reader const& tr) {
        ParsedTest t;
        json o = json::object();
        if (auto n = tr.origin(o)) t.origin = *n;
        if ((t.method = tr.text("method", false, 32))) o["method"] = *t.method;
        if (auto sp = tr.text("specimen", false, 32)) {
          o["specimen"] = *sp;
          t.specimen = one_of(lower(*sp), kSpecimens) ? lower(*sp) : "other";
        }
        if ((t.panel = tr.text("panel", false, 100))) o["panel"] = *t.panel;
        if ((t.biomarker = tr.text("biomarker", false, 32))) o["biomarker"] = *t.biomarker;
        if (auto sc = tr.text("score", false, 32)) o["score"] = *sc;  // the PD-L1 score measured
        if (auto g = tr.strings("genes")) {
          t.genes = *g;
          o["genes"] = *g;
        }
        rec.tests.push_back(std::move(t));
        tests_copy.push_back(std::move(o));
      }))
    m["tests"] = std::move(tests_copy);
  if (json const* fs_array = r.array("findings")) {
    json const& fs = *fs_array;
    json mf = json::array();
    for (std::size_t i = 0; i < fs.size(); ++i) {
      if (auto f = read_finding(fs[i], "/findings/" + std::to_string(i), issues)) {
        mf.push_back(f->data);
        rec.findings.push_back(std::move(*f));
      }
    }
    m["findings"] = std::move(mf);
  }
  if (json const* ts_array = r.array("treatments")) {
    json const& ts = *ts_array;
    json mt = json::array();
    for (std::size_t i = 0; i < ts.size(); ++i) {
      json copy;
      if (auto t = read_treatment(ts[i], "/treatments/" + std::to_string(i), issues, &copy)) {
        bool dup = std::any_of(rec.treatments.begin(), rec.treatments.end(),
                               [&](TreatmentInput const& o) { return o.line == t->line; });
        if (dup) r.error("/treatments/" + std::to_string(i) + "/line", "line given twice");
        rec.treatments.push_back(std::move(*t));
        mt.push_back(std::move(copy));
      }
    }
    m["treatments"] = std::move(mt);
  }
  clinical_facts(r, doc, m);
  r.objects("consents", [&](Reader const& cr) {
    auto kind = cr.choice("kind", kConsentKinds, true);
    auto status = cr.choice("status", kConsentStatus, true);
    auto trial = cr.text("trial", false, 64);
    auto date = cr.date("date");
    if (kind && *kind == "trial" && !trial) cr.error(cr.at("trial"), "a trial consent names its trial");
    if (kind && status)
      rec.consents.push_back(ConsentInput{*kind, *status, *kind == "trial" ? trial.value_or("") : "", date});
  });
  if (issues.size() != before || !id || !centre) return std::nullopt;
  rec.local_id = *id;
  rec.centre = *centre;
  m["centre"] = rec.centre;
  rec.match_input = std::move(m);
  return rec;
}

std::string canonical_input(ParsedRecord const& r, std::string const& pseudonym) {
  json m = r.match_input;
  m["patient"] = pseudonym;
  return m.dump();
}

std::optional<FollowUpInput> parse_follow_up(std::string_view text, std::string const& default_centre,
                                             std::string& local_id, std::string& centre,
                                             std::vector<RecordIssue>& issues) {
  auto parsed = parse_object(text, "a follow-up", issues);
  if (!parsed) return std::nullopt;
  json const& doc = *parsed;
  std::size_t before = issues.size();
  Reader r(doc, "", issues);
  FollowUpInput f;
  auto id = r.text("patient", true, 128);
  auto c = r.text("centre", default_centre.empty(), 32);
  auto visit = r.integer("visit", 1, 100, true);
  auto date = r.date("date", true);
  f.disease_status = r.choice("disease_status", kDiseaseStatus);
  f.recist = r.choice("recist", kResponses);
  f.progression = r.date("progression");
  f.line = r.integer("line", 1, 100);
  f.vital_status = r.choice("vital_status", kVital).value_or("alive");
  f.death_date = r.date("death_date");
  if (f.vital_status == "dead" && !f.death_date) r.error("/death_date", "required when vital_status is dead");
  if (f.vital_status != "dead" && f.death_date) r.error("/death_date", "given but vital_status is not dead");
  if (r.has("treatment")) {
    f.treatment = read_treatment(doc.at("treatment"), "/treatment", issues, nullptr);
  }
  if (issues.size() != before || !id || !visit || !date) return std::nullopt;
  local_id = *id;
  centre = c ? *c : default_centre;
  f.visit = *visit;
  f.date = *date;
  return f;
}

}  // namespace actionable::registry::detail

namespace actionable::registry {

std::optional<FollowUpInput> parse_follow_up(std::string_view text, std::string const& default_centre,
                                             std::string& local_id, std::string& centre,
                                             std::vector<RecordIssue>& issues) {
  return detail::parse_follow_up(text, default_centre, local_id, centre, issues);
}

}  // namespace actionable::registry
