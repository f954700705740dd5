// The evaluator's per-patient machinery: IdMap (the memo's hash map), declared coverage by
// catalog gene id (PatientView::coverage and the ascending CoverageScan, with and without
// the ids io::read_patient fills), and the finding index keyed by biomarker value.
#include <algorithm>
#include <random>

#include "actionable/detail/eval/evaluate.hpp"
#include "actionable/detail/util/id_map.hpp"
#include "actionable/detail/eval/pathway.hpp"
#include "actionable/detail/eval/patient_view.hpp"
#include "actionable/detail/graph/decision_graph.hpp"
#include "actionable/detail/io/patient_json.hpp"
#include "support.hpp"

using namespace actionable;
using nlohmann::json;

namespace {

model::Patient read(json const& record) {
  std::vector<RecordError> errors;
  auto p = io::read_patient_text(record.dump(), *testing::shared_catalog(), errors);
  std::string msg;
  for (auto const& e : errors) msg += e.pointer + ": " + e.message + "\n";
  INFO(msg);
  REQUIRE(p.has_value());
  return std::move(*p);
}

}  // namespace

TEST_CASE_TEMPLATE("IdMap: put, find, overwrite, growth", Key, std::uint32_t, std::uint64_t) {
  using Map = util::BasicIdMap<Key>;
  Map m;
  CHECK(m.find(0) == nullptr);
  CHECK(m.size() == 0);
  m.put(0, 7);
  REQUIRE(m.find(0) != nullptr);
  CHECK(*m.find(0) == 7);
  m.put(0, 9);  // overwrite, same size
  CHECK(*m.find(0) == 9);
  CHECK(m.size() == 1);
  CHECK_FALSE(m.insert(0));  // present: insert leaves the value
  CHECK(*m.find(0) == 9);
  // Many keys, including colliding strides and the largest storable key; 64-bit keys also
  // differ only in their high half (a node id and its context, as the DAG walks key them).
  std::mt19937 rng(3);
  std::vector<Key> keys;
  for (std::uint32_t i = 0; i < 5000; ++i) keys.push_back(static_cast<Key>(i * 128));  // same low bits
  for (int i = 0; i < 5000; ++i) keys.push_back(static_cast<Key>(rng()) | 1u);
  if constexpr (sizeof(Key) == 8)
    for (std::uint64_t i = 1; i < 3000; ++i) keys.push_back(i << 32 | 1u);
  keys.push_back(Map::kNoKey - 1);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  keys.erase(std::remove(keys.begin(), keys.end(), Map::kNoKey), keys.end());
  for (std::size_t i = 0; i < keys.size(); ++i) m.put(keys[i], static_cast<std::uint32_t>(i));
  CHECK(m.size() == keys.size());
  bool all = true;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    auto const* v = m.find(keys[i]);
    all = all && v && *v == static_cast<std::uint32_t>(i);
  }
  CHECK(all);
  CHECK(m.find(2) == nullptr);  // even, never stored (stored evens are multiples of 128)
  CHECK(m.insert(2));
  CHECK(m.size() == keys.size() + 1);
}

TEST_CASE("coverage by gene id: record ids, hand-built tests and the ascending scan agree") {
  auto const& cat = *testing::shared_catalog();
  json record = {{"patient", "COV-1"},
                 {"tumour", {{"oncotree", "LUAD"}}},
                 {"findings", json::array()},
                 {"tests",
                  {{{"origin", "somatic"}, {"method", "NGS"}, {"genes", {"KRAS", "EGFR", "ALK", "BRAF", "TP53"}}},
                   {{"origin", "somatic"}, {"method", "FISH"}, {"genes", {"ROS1", "ALK"}}},
                   {{"origin", "germline"}, {"method", "NGS"}, {"genes", {"BRCA2", "BRCA1"}}}}}};
  auto p = read(record);
  // The reader sorts each test's genes and fills matching sorted ids.
  for (auto const& t : p.tests) {
    CHECK(std::is_sorted(t.genes.begin(), t.genes.end()));
    REQUIRE(t.gene_ids.size() == t.genes.size());
    CHECK(std::is_sorted(t.gene_ids.begin(), t.gene_ids.end()));
    for (std::size_t i = 0; i < t.genes.size(); ++i) CHECK(cat.genes.symbols()[t.gene_ids[i]] == t.genes[i]);
  }
  // The same tests built by hand: genes unsorted, no ids (PatientView derives them).
  model::Patient hand = p;
  for (auto& t : hand.tests) {
    std::reverse(t.genes.begin(), t.genes.end());
    t.gene_ids.clear();
  }
  eval::PatientView a(p, cat), b(hand, cat);
  std::vector<std::string> genes = {"ALK", "BRAF", "BRCA1", "BRCA2", "EGFR", "KRAS", "MET", "ROS1", "TP53", "ZNF"};
  std::vector<std::pair<std::uint32_t, std::string>> ids;
  for (auto const& g : genes)
    if (auto id = cat.genes.index(g)) ids.push_back({*id, g});
  std::sort(ids.begin(), ids.end());
  for (auto origin : {ast::Origin::kAny, ast::Origin::kSomatic, ast::Origin::kGermline}) {
    eval::PatientView::CoverageScan scan(a);
    for (auto const& entry : ids) {
      auto const id = entry.first;   // not a structured binding: clang 14 cannot capture one
      auto const& g = entry.second;  // (CAPTURE is a lambda)
      CAPTURE(g);
      CAPTURE(static_cast<int>(origin));
      auto expect = a.coverage(g, origin);
      CHECK(a.coverage(id, origin) == expect);
      CHECK(b.coverage(g, origin) == expect);
      CHECK(scan(id, origin) == expect);
    }
  }
  CHECK(a.coverage("ALK", ast::Origin::kSomatic) == model::kDetectAll);  // NGS | FISH
  CHECK(a.coverage("ROS1", ast::Origin::kSomatic) == (model::kDetectFusion | model::kDetectCnv));
  CHECK(a.coverage("MET", ast::Origin::kSomatic) == 0);
  CHECK(a.coverage("BRCA1", ast::Origin::kSomatic) == 0);
  CHECK(a.coverage("BRCA1", ast::Origin::kGermline) == model::kDetectAll);
  CHECK(a.coverage("BRCA1", ast::Origin::kAny) == model::kDetectAll);
}

TEST_CASE("finding index: a biomarker finding reaches only the criteria its value can satisfy") {
  auto engine = testing::compile_ok(R"(
rule msi_high_crc {
  when MSI high
  tumour COADREAD
  class approved
  therapy "pembrolizumab"
}
rule msi_stable_crc {
  when MSI stable
  tumour COADREAD
  class approved
  therapy "drug-s"
}
rule tmb_high_crc {
  when TMB >= 10
  tumour COADREAD
  class approved
  therapy "drug-t"
}
)");
  auto const& g = *engine->graph();
  auto const& cat = engine->catalog();
  auto listed = [&](json const& findings) {
    json record = {{"patient", "IDX-1"}, {"tumour", {{"oncotree", "LUAD"}}}, {"findings", findings}};
    auto p = read(record);
    eval::PatientView view(p, cat);
    auto ev = eval::evaluate(g, view);
    std::vector<std::string> names;
    for (auto const& v : ev.criteria) names.push_back(engine->rules()->criteria[v.id].name);
    // Whatever the index lists, the outcome equals the reference oracle's.
    auto ref = eval::evaluate_reference(*engine->rules(), view);
    auto a = eval::classify(*engine->rules(), view, ev);
    auto b = eval::classify(*engine->rules(), view, ref);
    CHECK(a.off_label.size() == b.off_label.size());
    return names;
  };
  // Off-tumour (LUAD): only evidence whose `when` can hold with the finding is visited.
  CHECK(listed(json::array({{{"type", "biomarker"}, {"name", "MSI"}, {"value", "stable"}}})) ==
        std::vector<std::string>{"msi_stable_crc"});
  CHECK(listed(json::array({{{"type", "biomarker"}, {"name", "MSI"}, {"value", "high"}}})) ==
        std::vector<std::string>{"msi_high_crc"});
  CHECK(listed(json::array({{{"type", "biomarker"}, {"name", "TMB"}, {"value", 3}}})) ==
        std::vector<std::string>{"tmb_high_crc"});  // numeric: any TMB value is looked at
  CHECK(listed(json::array()).empty());
}

TEST_CASE("coverage by gene id: large panels (bitmaps) agree with set membership") {
  auto const& cat = *testing::shared_catalog();
  auto const& symbols = cat.genes.symbols();
  REQUIRE(symbols.size() > 40000);
  // An exome-like somatic panel (every 40th approved symbol, > kBitmapAbove genes) and a
  // small germline one; the symbols every 40th + 20 are not tested.
  json genes = json::array();
  std::vector<std::string> listed, unlisted;
  for (std::size_t i = 0; i < symbols.size(); i += 40) {
    genes.push_back(symbols[i]);
    listed.push_back(symbols[i]);
    if (i + 20 < symbols.size()) unlisted.push_back(symbols[i + 20]);
  }
  REQUIRE(listed.size() > 1000);
  json record = {{"patient", "COV-2"},
                 {"tumour", {{"oncotree", "LUAD"}}},
                 {"findings", json::array()},
                 {"tests",
                  {{{"origin", "somatic"}, {"method", "NGS"}, {"genes", genes}},
                   {{"origin", "germline"}, {"method", "NGS"}, {"genes", {"BRCA1", "BRCA2"}}}}}};
  auto p = read(record);
  model::Patient hand = p;  // the same tests built by hand: unsorted symbols, no ids
  for (auto& t : hand.tests) {
    std::reverse(t.genes.begin(), t.genes.end());
    t.gene_ids.clear();
  }
  eval::PatientView a(p, cat), b(hand, cat);
  std::size_t wrong = 0;
  for (auto const* list : {&listed, &unlisted}) {
    std::vector<std::uint32_t> ids;
    for (auto const& g : *list) ids.push_back(*cat.genes.index(g));
    std::sort(ids.begin(), ids.end());
    eval::PatientView::CoverageScan scan(a);
    for (auto id : ids) {
      std::uint8_t expect = list == &listed ? model::kDetectAll : 0;
      auto const& g = symbols[id];
      wrong += a.coverage(id, ast::Origin::kSomatic) != expect;
      wrong += a.coverage(g, ast::Origin::kAny) != expect;
      wrong += b.coverage(g, ast::Origin::kSomatic) != expect;
      wrong += scan(id, ast::Origin::kSomatic) != expect;
      wrong += a.coverage(id, ast::Origin::kGermline) != 0;  // the germline test is small
    }
  }
  CHECK(wrong == 0);
  CHECK(a.coverage("BRCA1", ast::Origin::kGermline) == model::kDetectAll);
  CHECK(a.coverage(eval::IdMap::kNoKey, ast::Origin::kSomatic) == 0);  // not a catalog id
}

TEST_CASE("FindingIndex: findings grouped by key, in record order; absent keys give none") {
  eval::FindingIndex<std::string_view> byname;
  eval::FindingIndex<std::uint32_t> byid;
  std::vector<std::string> names = {"TMB", "MSI", "TMB", "HER2", "MSI", "TMB"};
  std::vector<std::uint32_t> ids = {7, 3, 7, 9, 3, 7};
  for (std::uint32_t i = 0; i < names.size(); ++i) {
    byname.add(names[i], i);
    byid.add(ids[i], i);
  }
  byname.build();
  byid.build();
  auto as_vec = [](std::span<std::uint32_t const> s) { return std::vector<std::uint32_t>(s.begin(), s.end()); };
  CHECK(as_vec(byname.find("TMB")) == std::vector<std::uint32_t>{0, 2, 5});
  CHECK(as_vec(byname.find("MSI")) == std::vector<std::uint32_t>{1, 4});
  CHECK(as_vec(byname.find("HER2")) == std::vector<std::uint32_t>{3});
  CHECK(byname.find("PDL1").empty());
  CHECK(byname.find("").empty());
  CHECK(as_vec(byid.find(7)) == std::vector<std::uint32_t>{0, 2, 5});
  CHECK(byid.find(8).empty());
  eval::FindingIndex<std::uint32_t> none;
  none.build();
  CHECK(none.find(0).empty());
}
