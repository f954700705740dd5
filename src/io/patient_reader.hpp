// Private to the io module: the patient-record reader shared by patient_json.cpp (the record,
// its findings and gene symbols) and patient_tests.cpp (protein results, tests, treatments).
// Every problem goes to `errors` with its JSON pointer; a record with any error is rejected whole.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "actionable/detail/io/patient_json.hpp"
#include "io/json_node.hpp"
#include "util/ascii.hpp"
#include "util/text.hpp"

namespace actionable::io::record {

using util::lower;
using util::upper;

inline std::string_view trim_view(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string_view::npos ? std::string_view() : s.substr(b, e - b + 1);
}
inline std::string trim(std::string_view s) { return std::string(trim_view(s)); }

struct Reader {
  catalog::Catalog const& catalog;
  std::vector<RecordError>& errors;
  std::vector<RecordError>* warnings;
  PatientReadOptions options;
  std::vector<std::string> marked;  // the current finding's "unresolved" fields
  /// "did you mean" hints given so far: each compares the symbol with every HGNC symbol
  /// (~3 ms), so a record gets at most kMaxSuggestions of them (docs/reliability.md, "Limits").
  std::size_t suggestions = 0;
  static constexpr std::size_t kMaxSuggestions = 16;

  /// Messages are one line: a quoted value's control characters are escaped (util::one_line).
  void error(std::string const& ptr, std::string msg) { errors.push_back({ptr, util::one_line(std::move(msg))}); }
  /// The pointer of member `key` of the object at `base` (keys are string_views: a literal's
  /// length is known where it is written, not measured per lookup).
  static std::string at(std::string const& base, std::string_view key) {
    std::string p;
    p.reserve(base.size() + 1 + key.size());
    return p.append(base).append(1, '/').append(key);
  }
  void warn(std::string const& ptr, std::string msg) {
    if (warnings) warnings->push_back({ptr, util::one_line(std::move(msg))});
  }

  std::optional<std::string> str(Object const& o, std::string_view key, std::string const& base,
                                 bool required = false) {
    if (auto v = sv(o, key, base, required)) return std::string(*v);
    return std::nullopt;
  }
  /// The same as a view into the document (no copy), for a value the reader only inspects or
  /// transforms (lower-cases, splits); valid while the parsed document lives.
  std::optional<std::string_view> sv(Object const& o, std::string_view key, std::string const& base,
                                     bool required = false) {
    auto it = o.find(key);
    if (!it || it->is_null()) {
      if (required) error(at(base, key), "required field is missing");
      return std::nullopt;
    }
    if (!it->is_string()) {
      error(at(base, key), "must be a string");
      return std::nullopt;
    }
    return trim_view(it->string());
  }

  std::optional<double> num(Object const& o, std::string_view key, std::string const& base, double lo = -1e300,
                            double hi = 1e300, bool integer = false) {
    auto it = o.find(key);
    if (!it || it->is_null()) return std::nullopt;
    if (!it->is_number()) {
      error(at(base, key), "must be a number");
      return std::nullopt;
    }
    double v = it->number();
    if (!std::isfinite(v) || v < lo || v > hi) {
      error(at(base, key), "out of range");
      return std::nullopt;
    }
    if (integer && std::floor(v) != v) {
      error(at(base, key), "must be a whole number");
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::string> gene(std::string const& symbol, std::string const& ptr);
  /// The same with the symbol already looked up.
  std::optional<std::string> gene(catalog::GeneLookup const& look, std::string_view symbol, std::string const& ptr);

  /// Resolves `symbol` (field `field` of the finding at `base`) into `dst`. A symbol HGNC does
  /// not resolve is an error, unless the record marks the field unresolved or the policy says
  /// warn: then `raw` keeps it and `dst` stays empty (docs/inputs.md, "Unresolved gene symbols").
  void gene_field(std::string_view symbol, std::string const& base, std::string const& field, std::string& dst,
                  std::string& raw);

  std::optional<model::Origin> origin(Object const& o, std::string const& base);

  std::optional<int> exon_number(Object const& o, std::string_view key, std::string const& base);

  void finding(Node f, std::string const& base, model::Patient& p);

  /// A protein biomarker result (docs/inputs.md, "Protein biomarkers"): HER2 IHC / ISH,
  /// PD-L1 scores, Claudin 18.2, FRα, MMR proteins, pan-TRK, ALK, ROS1, c-MET by IHC. Returns
  /// false when the finding is not one (a legacy biomarker such as MSI, TMB, ER).
  bool protein(Object const& f, std::string const& base, std::string const& raw_name, model::Finding& out);

  void test(Node t, std::string const& base, model::Patient& p);

  void treatment(Node t, std::string const& base, std::vector<model::Treatment>& out);

  std::optional<model::Patient> read(Node r);
};

}  // namespace actionable::io::record
