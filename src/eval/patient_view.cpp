// PatientView's indexes: findings by gene and biomarker, and declared test coverage per gene.
#include <algorithm>

#include "actionable/detail/eval/patient_view.hpp"
#include "actionable/model/protein.hpp"
#include "eval/atom_common.hpp"

namespace actionable::eval {

using detail::kNoGeneId;
using model::FindingType;

PatientView::PatientView(model::Patient const& patient, catalog::Catalog const& catalog)
    : patient_(patient), catalog_(catalog) {
  auto add_gene = [&](std::string const& gene, std::uint32_t finding) {
    if (auto id = catalog.genes.index(gene))
      by_gene_id_.add(*id, finding);
    else
      by_other_gene_.add(gene, finding);
  };
  by_gene_id_.reserve(patient.findings.size());
  for (std::uint32_t i = 0; i < patient.findings.size(); ++i) {
    auto const& f = patient.findings[i];
    if (f.type == FindingType::kBiomarker) {
      by_biomarker_.add(f.name, i);
      continue;
    }
    if (f.type == FindingType::kFusion) {
      if (!f.gene5.empty()) add_gene(f.gene5, i);
      if (!f.gene3.empty() && f.gene3 != f.gene5) add_gene(f.gene3, i);
    } else if (!f.gene.empty()) {
      add_gene(f.gene, i);
    }
  }
  by_gene_id_.build();
  by_other_gene_.build();
  by_biomarker_.build();
  owned_.reserve(patient.tests.size());
  words_ = (catalog.genes.size() + 63) / 64;
  std::size_t n_bitmaps = 0;
  for (auto const& t : patient.tests) n_bitmaps += t.genes.size() > kBitmapAbove;
  bits_.assign(n_bitmaps * words_, 0);
  std::size_t next_bitmap = 0;
  for (auto const& t : patient.tests) {
    if (!t.biomarker.empty()) biomarker_tested_.insert(t.biomarker);
    // Protein tests (method-aware: IHC / ISH decide protein atoms, never gene atoms).
    auto pm = model::protein_method(t.method);
    auto add_protein = [&](std::string const& marker) {
      if (t.method.empty()) {
        for (char const* m : {"IHC", "ISH"})
          if (model::protein_has_method(marker, m)) protein_tests_.push_back({marker, m, t.score});
      } else if (!pm.empty() && model::protein_has_method(marker, pm)) {
        protein_tests_.push_back({marker, pm, t.score});
      }
    };
    if (!t.biomarker.empty()) {
      if (t.biomarker == "MMR") {
        for (char const* m : {"MLH1", "MSH2", "MSH6", "PMS2"}) add_protein(m);
      } else if (auto marker = model::protein_marker(t.biomarker); !marker.empty()) {
        add_protein(marker);
      }
    }
    if (!pm.empty())
      for (auto const& g : t.genes) {
        auto marker = g == "NTRK1" || g == "NTRK2" || g == "NTRK3" ? std::string("PANTRK") : model::protein_marker(g);
        if (!marker.empty()) add_protein(marker);
      }
    if (t.genes.empty()) continue;
    Coverage c;
    c.kinds = t.kinds;
    c.germline = t.origin != model::Origin::kSomatic;
    std::vector<std::uint32_t> const* ids = &t.gene_ids;
    bool complete = t.gene_ids.size() == t.genes.size();
    if (t.genes.size() > kBitmapAbove) {
      if (!complete) {  // a Patient built by hand: derive the ids
        auto& own = owned_.emplace_back();
        for (auto const& g : t.genes)
          if (auto id = catalog.genes.index(g)) own.push_back(*id);
        ids = &own;
      }
      std::uint64_t* b = bits_.data() + (next_bitmap++) * words_;
      std::uint64_t word = 0;  // one store per word run (sorted ids: one per word)
      std::size_t at = 0;
      for (auto id : *ids) {
        std::size_t w = id / 64;
        if (w >= words_) continue;
        if (w != at) {
          b[at] |= word;
          word = 0;
          at = w;
        }
        word |= std::uint64_t{1} << (id % 64);
      }
      if (words_ > 0) b[at] |= word;
      c.bits = b;
    } else {
      if (!complete || !std::is_sorted(t.gene_ids.begin(), t.gene_ids.end())) {
        auto& own = owned_.emplace_back();  // a Patient built by hand: derive the ids
        for (auto const& g : t.genes)
          if (auto id = catalog.genes.index(g)) own.push_back(*id);
        std::sort(own.begin(), own.end());
        ids = &own;
      }
      c.ids = ids->data();
      c.size = static_cast<std::uint32_t>(ids->size());
    }
    coverage_.push_back(c);
  }
}

bool PatientView::protein_tested(std::string const& marker, std::string const& method, std::string const& score) const {
  return std::any_of(protein_tests_.begin(), protein_tests_.end(), [&](ProteinTest const& t) {
    return t.marker == marker && t.method == method && (score.empty() || t.score.empty() || t.score == score);
  });
}

std::uint8_t PatientView::coverage(std::string const& gene, ast::Origin origin) const {
  if (closed_world()) return model::kDetectAll;
  auto id = catalog_.genes.index(gene);
  return id ? coverage(*id, origin) : 0;
}

std::uint8_t PatientView::coverage(std::uint32_t gene_id, ast::Origin origin) const {
  if (closed_world()) return model::kDetectAll;
  std::uint8_t k = 0;
  for (auto const& c : coverage_) {
    if (c.germline ? origin == ast::Origin::kSomatic : origin == ast::Origin::kGermline) continue;
    if ((k | c.kinds) == k) continue;  // adds nothing
    if (c.bits ? covers(c, gene_id) : std::binary_search(c.ids, c.ids + c.size, gene_id)) k |= c.kinds;
  }
  return k;
}

std::uint8_t PatientView::CoverageScan::operator()(std::uint32_t gene_id, ast::Origin origin) noexcept {
  if (p_.closed_world()) return model::kDetectAll;
  std::uint8_t k = 0;
  for (std::size_t t = 0; t < p_.coverage_.size(); ++t) {
    auto const& c = p_.coverage_[t];
    if (c.germline ? origin == ast::Origin::kSomatic : origin == ast::Origin::kGermline) continue;
    if (c.bits) {
      if (p_.covers(c, gene_id)) k |= c.kinds;
      continue;
    }
    // Gallop from pos_[t] to the first id >= gene_id, then binary search the last step.
    std::uint32_t lo = pos_[t], n = c.size;
    if (lo < n && c.ids[lo] < gene_id) {
      std::uint32_t step = 1, hi = lo + 1;
      while (hi < n && c.ids[hi] < gene_id) {
        lo = hi;
        step *= 2;
        hi = lo + step;
      }
      if (hi > n) hi = n;
      lo = static_cast<std::uint32_t>(std::lower_bound(c.ids + lo + 1, c.ids + hi, gene_id) - c.ids);
    }
    pos_[t] = lo;
    if (lo < n && c.ids[lo] == gene_id) k |= c.kinds;
  }
  return k;
}

std::span<std::uint32_t const> PatientView::findings_of(std::string const& gene, std::uint32_t gene_id) const {
  if (gene_id == kNoGeneId) {  // the atom's gene has no catalog id (never after sema): by symbol
    if (auto id = catalog_.genes.index(gene)) return by_gene_id_.find(*id);
    return by_other_gene_.find(gene);
  }
  return by_gene_id_.find(gene_id);
}

}  // namespace actionable::eval
