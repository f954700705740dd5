// CIViC disease → OncoTree: DiseaseMap, the reviewed table civic_disease_oncotree.tsv.
#include <fstream>
#include <sstream>

#include "actionable/import/civic.hpp"
#include "civic_internal.hpp"
#include "util/text.hpp"

namespace actionable::import {

namespace {

using civic_detail::lines_of;
using util::split_exact;

std::string normalise_doid(std::string_view doid) {
  std::string d = trim(std::string(doid));
  if (d.empty()) return d;
  if (d.rfind("DOID:", 0) == 0) return d;
  return "DOID:" + d;
}

}  // namespace

// ---- DiseaseMap ------------------------------------------------------------------------------

std::optional<DiseaseMap> DiseaseMap::parse(std::string_view text, std::string const& origin, std::string* error) {
  DiseaseMap m;
  auto lines = lines_of(text);
  if (lines.empty()) {
    if (error) *error = origin + ": empty file";
    return std::nullopt;
  }
  auto header = split_exact(lines[0], '\t');
  auto col = [&](char const* name) -> int {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    return -1;
  };
  int c_doid = col("doid"), c_name = col("civic_disease"), c_codes = col("oncotree"), c_map = col("mapping"),
      c_rev = col("review"), c_note = col("note");
  if (c_doid < 0 || c_name < 0 || c_codes < 0) {
    if (error) *error = origin + ":1: expected columns doid, civic_disease, oncotree";
    return std::nullopt;
  }
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty() || lines[i][0] == '#') continue;
    auto f = split_exact(lines[i], '\t');
    auto get = [&](int c) {
      return c >= 0 && static_cast<std::size_t>(c) < f.size() ? f[static_cast<std::size_t>(c)] : std::string();
    };
    Entry e;
    e.doid = normalise_doid(get(c_doid));
    e.disease = get(c_name);
    for (auto& c : split_exact(get(c_codes), ',')) {
      auto t = trim(c);
      if (!t.empty()) e.codes.push_back(t);
    }
    e.mapping = get(c_map);
    e.review = get(c_rev);
    e.note = get(c_note);
    std::size_t idx = m.entries_.size();
    if (!e.doid.empty())
      m.by_doid_.emplace(e.doid, idx);
    else if (!e.disease.empty())
      m.by_name_.emplace(lower(e.disease), idx);
    m.entries_.push_back(std::move(e));
  }
  return m;
}

std::optional<DiseaseMap> DiseaseMap::load(std::string const& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (error) *error = "cannot read '" + path + "'";
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path, error);
}

DiseaseMap::Entry const* DiseaseMap::find(std::string_view doid, std::string_view disease) const {
  auto d = normalise_doid(doid);
  if (!d.empty()) {
    auto it = by_doid_.find(d);
    if (it != by_doid_.end()) return &entries_[it->second];
    return nullptr;
  }
  auto it = by_name_.find(lower(std::string(disease)));
  return it == by_name_.end() ? nullptr : &entries_[it->second];
}

std::string DiseaseMap::default_path(std::string const& reference_dir) {
  return reference_dir + "/civic_disease_oncotree.tsv";
}

}  // namespace actionable::import
