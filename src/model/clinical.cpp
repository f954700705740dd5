// Laboratory tests and their units, brain-metastasis states (model/clinical.hpp).
//
// Unit factors convert a value into the test's canonical unit. They are definitions (1 g/L =
// 0.1 g/dL; 1 /µL = 10^-3 × 10^9/L) or molar masses: bilirubin 584.66 g/mol (1 mg/dL =
// 17.1 µmol/L), creatinine 113.12 g/mol (1 mg/dL = 88.4 µmol/L), haemoglobin monomer
// 16 114.5 g/mol (1 g/dL = 0.6206 mmol/L, the unit Dutch laboratories report). A unit not in
// a test's row is incompatible and refused; nothing is guessed.
#include "actionable/model/clinical.hpp"

#include <algorithm>
#include <cctype>

#include "util/ascii.hpp"

namespace actionable::model {

namespace {

struct UnitRow {
  std::string_view unit;
  double factor;  ///< value_in_unit × factor = value in the canonical unit
};
struct LabRow {
  std::string_view name;
  std::vector<std::string_view> aliases;
  bool uln;
  std::vector<UnitRow> units;  ///< the first is canonical
};

/// Cell counts (neutrophils, platelets): canonical 10^9/L; 1 /µL = 1 /mm3 = 10^-3 × 10^9/L.
std::vector<UnitRow> const& cell_count_units() {
  static std::vector<UnitRow> const kUnits = {{"10^9/L", 1},      {"x10^9/L", 1},     {"10^3/µL", 1},
                                              {"10^3/uL", 1},     {"/µL", 1e-3},      {"/uL", 1e-3},
                                              {"cells/µL", 1e-3}, {"cells/uL", 1e-3}, {"/mm3", 1e-3}};
  return kUnits;
}

std::vector<LabRow> const& labs() {
  static std::vector<LabRow> const kLabs = {
      {"creatinine_clearance", {"crcl", "creatinine clearance"}, false, {{"mL/min", 1}}},
      {"creatinine", {"serum_creatinine"}, true, {{"mg/dL", 1}, {"µmol/L", 1 / 88.4}, {"umol/L", 1 / 88.4}}},
      {"bilirubin",
       {"total_bilirubin", "bilirubin_total"},
       true,
       {{"mg/dL", 1}, {"µmol/L", 1 / 17.1}, {"umol/L", 1 / 17.1}}},
      {"alt", {"alat", "sgpt"}, true, {{"U/L", 1}, {"IU/L", 1}}},
      {"ast", {"asat", "sgot"}, true, {{"U/L", 1}, {"IU/L", 1}}},
      {"neutrophils", {"anc", "absolute_neutrophil_count"}, false, cell_count_units()},
      {"platelets", {"platelet_count", "plt"}, false, cell_count_units()},
      {"haemoglobin", {"hemoglobin", "hb", "hgb"}, false, {{"g/dL", 1}, {"g/L", 0.1}, {"mmol/L", 1 / 0.6206}}},
  };
  return kLabs;
}

using util::lower;

LabRow const* find_lab(std::string_view test) {
  auto t = lower(test);
  for (auto const& r : labs()) {
    if (r.name == t) return &r;
    for (auto a : r.aliases)
      if (a == t) return &r;
  }
  return nullptr;
}

}  // namespace

std::string lab_canonical_name(std::string_view test) {
  auto const* r = find_lab(test);
  return r ? std::string(r->name) : std::string();
}

std::string lab_canonical_unit(std::string_view test) {
  auto const* r = find_lab(test);
  return r ? std::string(r->units.front().unit) : std::string();
}

std::optional<double> lab_unit_factor(std::string_view test, std::string_view unit) {
  auto const* r = find_lab(test);
  if (!r) return std::nullopt;
  for (auto const& u : r->units)
    if (u.unit == unit) return u.factor;
  // Case-insensitive second chance for the letters (ml/min, u/l), never for the prefixes
  // (mmol vs Mmol cannot occur in the table, so folding is safe here).
  auto lu = lower(unit);
  for (auto const& u : r->units)
    if (lower(u.unit) == lu) return u.factor;
  return std::nullopt;
}

std::string lab_units_text(std::string_view test) {
  auto const* r = find_lab(test);
  if (!r) return {};
  std::string s;
  for (auto const& u : r->units) s += (s.empty() ? "" : ", ") + std::string(u.unit);
  if (r->uln) s += ", x ULN";
  return s;
}

bool lab_has_uln(std::string_view test) {
  auto const* r = find_lab(test);
  return r && r->uln;
}

std::string lab_tests_text() {
  std::string s;
  for (auto const& r : labs()) s += (s.empty() ? "" : ", ") + std::string(r.name);
  return s;
}

std::string normalise_brain_metastases(std::string_view text) {
  auto t = lower(text);
  std::replace(t.begin(), t.end(), '-', '_');
  std::replace(t.begin(), t.end(), ' ', '_');
  if (t == "none" || t == "no" || t == "absent") return "none";
  if (t == "treated_stable" || t == "stable" || t == "treated") return "treated_stable";
  if (t == "active" || t == "untreated" || t == "progressing") return "active";
  return {};
}

}  // namespace actionable::model

namespace actionable::model {

std::optional<long> iso_day_number(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t b, std::size_t n) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = b; i < b + n; ++i) {
      if (d[i] < '0' || d[i] > '9') return std::nullopt;
      v = v * 10 + (d[i] - '0');
    }
    return v;
  };
  auto y = digits(0, 4), m = digits(5, 2), day = digits(8, 2);
  if (!y || !m || !day || *m < 1 || *m > 12 || *day < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
  if (*day > kDays[*m - 1] + (*m == 2 && leap ? 1 : 0)) return std::nullopt;
  // H. Hinnant's days_from_civil.
  long yy = *y - (*m <= 2 ? 1 : 0);
  long era = (yy >= 0 ? yy : yy - 399) / 400;
  long yoe = yy - era * 400;
  long mp = (*m + 9) % 12;
  long doy = (153 * mp + 2) / 5 + *day - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace actionable::model
