// A patient prepared for evaluation: findings grouped by gene and biomarker, declared
// coverage per origin and gene (what each test's method can detect), and the leaf semantics
// of every atom kind (dsl.md §2, §5). Shared by the compiled evaluator and the reference
// oracle: the two differ in which criteria they visit and how, never in what an atom means.
#pragma once

#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "actionable/catalog/catalog.hpp"
#include "actionable/detail/eval/kleene.hpp"
#include "actionable/detail/ir/rule_set.hpp"
#include "actionable/model/patient.hpp"

namespace actionable::eval {

/// The value of one atom for one patient, with what supports it.
struct AtomValue {
  Tri value = Tri::kFalse;
  std::vector<std::uint32_t> findings;  ///< findings that make it true
  std::vector<std::string> missing;     ///< what would decide it, when unknown
};

/// Finding indices grouped by a key (a gene's catalog id, a biomarker's name): a flat multimap
/// built once per view — the (key, finding) pairs sorted, kept as two parallel arrays — instead
/// of a hash map of vectors (a node, a key string and a vector allocated per distinct key, per
/// patient). A lookup is a binary search; its findings come out in record order.
template <class Key>
class FindingIndex {
 public:
  void reserve(std::size_t n) { pairs_.reserve(n); }
  void add(Key key, std::uint32_t finding) { pairs_.emplace_back(std::move(key), finding); }
  /// After the last add: sort and split.
  void build() {
    std::sort(pairs_.begin(), pairs_.end());
    keys_.reserve(pairs_.size());
    findings_.reserve(pairs_.size());
    for (auto& [k, f] : pairs_) {
      keys_.push_back(std::move(k));
      findings_.push_back(f);
    }
    pairs_ = {};
  }
  /// The findings under `key` (empty when none).
  std::span<std::uint32_t const> find(Key const& key) const noexcept {
    auto [lo, hi] = std::equal_range(keys_.begin(), keys_.end(), key);
    return {findings_.data() + (lo - keys_.begin()), static_cast<std::size_t>(hi - lo)};
  }

 private:
  std::vector<std::pair<Key, std::uint32_t>> pairs_;
  std::vector<Key> keys_;
  std::vector<std::uint32_t> findings_;
};

// Atom semantics shared with graph::compile live in the IR (detail/ir/rule_set.hpp).
using ir::detect_kinds_needed;
using ir::normal_biomarker_value;

class PatientView {
 public:
  PatientView(model::Patient const& patient, catalog::Catalog const& catalog);
  // Internal indexes point into the view's own containers: moving keeps them valid (the
  // containers' nodes and buffers move along), copying would not.
  PatientView(PatientView const&) = delete;
  PatientView& operator=(PatientView const&) = delete;
  PatientView(PatientView&&) noexcept = default;

  model::Patient const& patient() const noexcept { return patient_; }
  catalog::Catalog const& catalog() const noexcept { return catalog_; }
  bool closed_world() const noexcept { return patient_.closed_world(); }

  /// Evaluate one atom. Pure function of (atom, patient, catalog).
  AtomValue evaluate(ir::Atom const& atom) const;

  /// Detection kinds covered for a gene and origin (closed world: all).
  std::uint8_t coverage(std::string const& gene, ast::Origin origin) const;
  /// The same for a gene given by catalog id (catalog::GeneCatalog::index).
  std::uint8_t coverage(std::uint32_t gene_id, ast::Origin origin) const;
  /// Coverage of many genes asked in ascending id order (the trigger lists of the decision
  /// graph are sorted by gene id): each test's id list is searched by galloping forward
  /// from where the previous query stopped, so a sorted batch of k queries touches the
  /// lists almost sequentially instead of making k independent binary searches.
  class CoverageScan {
   public:
    explicit CoverageScan(PatientView const& p) : p_(p), pos_(p.coverage_.size(), 0) {}
    /// Start a new ascending batch.
    void restart() noexcept { std::fill(pos_.begin(), pos_.end(), 0u); }
    /// The same as PatientView::coverage(gene_id, origin); ids must not decrease between
    /// two calls without a restart().
    std::uint8_t operator()(std::uint32_t gene_id, ast::Origin origin) noexcept;

   private:
    PatientView const& p_;
    std::vector<std::uint32_t> pos_;
  };

  /// Was this biomarker measured (a test declares it)?
  bool biomarker_tested(std::string const& name) const { return biomarker_tested_.count(name) > 0; }
  /// Was the protein marker tested by that method (model/protein.hpp)? A test naming the
  /// marker (or, by IHC / ISH, its gene) with that method or none; an MMR test covers the four
  /// MMR proteins by IHC; a PD-L1 test naming a score covers only that score.
  bool protein_tested(std::string const& marker, std::string const& method, std::string const& score = {}) const;

 private:
  Tri gene_atom_one(ir::Atom const& atom, std::string const& gene, std::uint32_t gene_id, AtomValue& out) const;
  Tri wildtype_one(ir::Atom const& atom, std::string const& gene, std::uint32_t gene_id, AtomValue& out) const;
  AtomValue biomarker_atom(ir::Atom const& atom) const;
  AtomValue clinical_atom(ir::Atom const& atom) const;
  /// Labs, washout, brain metastases, measurable disease, pregnancy, disease status, prior
  /// drug classes (src/eval/eligibility_atoms.cpp).
  AtomValue eligibility_atom(ir::Atom const& atom) const;
  AtomValue tested_atom(ir::Atom const& atom) const;
  AtomValue protein_atom(ir::Atom const& atom) const;
  AtomValue her2_status_atom(ir::Atom const& atom) const;
  /// dMMR / pMMR from the MMR proteins' IHC results: "deficient" (some loss; its findings in
  /// `loss`), "proficient" (all four intact), or "" with the undecided proteins in `missing`.
  std::string mmr_from_proteins(std::vector<std::uint32_t>& loss, std::vector<std::string>& missing) const;

  model::Patient const& patient_;
  catalog::Catalog const& catalog_;
  /// The findings of a gene (by catalog id when known, else by symbol).
  std::span<std::uint32_t const> findings_of(std::string const& gene, std::uint32_t gene_id) const;
  /// The biomarker findings of that name (upper case: MSI, TMB, HER2, MLH1…).
  std::span<std::uint32_t const> biomarker_findings(std::string_view name) const noexcept {
    return by_biomarker_.find(name);
  }

  /// Gene findings by catalog id; symbols the catalog does not know (a Patient built by hand
  /// rather than read) by symbol. The string views point into patient_'s findings.
  FindingIndex<std::uint32_t> by_gene_id_;
  FindingIndex<std::string_view> by_other_gene_;
  FindingIndex<std::string_view> by_biomarker_;
  /// Declared coverage, one entry per gene test: its genes as sorted catalog ids — the
  /// record's own Test::gene_ids when complete and sorted (io::read_patient fills them so),
  /// else a sorted copy derived from the symbols in owned_. Building a view costs one
  /// sequential check per test; a query is an integer binary search per test.
  /// A test listing more than kBitmapAbove genes (a large panel, an exome) gets instead a
  /// bitmap over the catalog's ids (catalog size / 8 bytes, built in one sequential pass
  /// over its ids, sorted or not): its queries are then one bit test on a few kilobytes,
  /// rather than a search through tens of kilobytes of ids.
  static constexpr std::size_t kBitmapAbove = 512;
  struct Coverage {
    std::uint32_t const* ids = nullptr;  ///< sorted ids (no bitmap)
    std::uint32_t size = 0;
    std::uint64_t const* bits = nullptr;  ///< bitmap over catalog ids (large tests)
    std::uint8_t kinds = 0;
    bool germline = false;
  };
  bool covers(Coverage const& c, std::uint32_t gene_id) const noexcept {
    return gene_id / 64 < words_ && ((c.bits[gene_id / 64] >> (gene_id % 64)) & 1u);
  }
  std::vector<Coverage> coverage_;
  std::vector<std::vector<std::uint32_t>> owned_;
  std::vector<std::uint64_t> bits_;  ///< the bitmaps, words_ words each
  std::size_t words_ = 0;
  std::unordered_set<std::string> biomarker_tested_;
  struct ProteinTest {
    std::string marker, method, score;
  };
  std::vector<ProteinTest> protein_tests_;
};

}  // namespace actionable::eval
