// Leaf semantics (dsl.md §2, §5): the value of each atom kind for one patient.
//
// A gene atom is true when some finding of that gene and origin matches its feature; false
// when none does and the gene was covered, for that origin, by a test whose method can detect
// the feature's kind (or the record declares no tests: closed world); unknown otherwise.
// Finding-level unknowns (a FISH fusion without partner, a call without a copy number, a
// variant without protein or consequence) propagate as unknown.
#include <algorithm>
#include <charconv>
#include <set>

#include "actionable/detail/eval/patient_view.hpp"

namespace actionable::eval {

namespace {
constexpr std::uint32_t kNoGeneId = 0xFFFFFFFFu;  // ir::Atom::gene_ids: not in the catalog
}  // namespace

namespace {

using hgvs::EditKind;
using model::Finding;
using model::FindingType;

const std::set<std::string> kNonsyn{
    "missense_variant",       "stop_gained",           "stop_lost",
    "start_lost",             "frameshift_variant",    "inframe_insertion",
    "inframe_deletion",       "protein_altering_variant", "splice_donor_variant",
    "splice_acceptor_variant", "transcript_ablation",  "exon_loss_variant",
    "feature_truncation",     "initiator_codon_variant", "splice_site_variant"};
const std::set<std::string> kNotNonsyn{
    "synonymous_variant", "intron_variant", "5_prime_utr_variant", "3_prime_utr_variant",
    "upstream_gene_variant", "downstream_gene_variant", "intergenic_variant",
    "non_coding_transcript_exon_variant", "non_coding_transcript_variant",
    "stop_retained_variant", "start_retained_variant", "regulatory_region_variant",
    "splice_region_variant", "splice_donor_5th_base_variant", "splice_donor_region_variant",
    "splice_polypyrimidine_tract_variant", "mature_mirna_variant", "tf_binding_site_variant",
    "nmd_transcript_variant", "coding_sequence_variant", "incomplete_terminal_codon_variant",
    "5_prime_utr_premature_start_codon_gain_variant"};
const std::set<std::string> kSplice{
    "splice_donor_variant", "splice_acceptor_variant", "splice_region_variant",
    "splice_donor_5th_base_variant", "splice_donor_region_variant",
    "splice_polypyrimidine_tract_variant", "splice_site_variant"};
const std::set<std::string> kTruncating{"stop_gained", "frameshift_variant",
                                        "splice_donor_variant", "splice_acceptor_variant",
                                        "splice_site_variant",
                                        "start_lost", "transcript_ablation"};

bool has_any(std::vector<std::string> const& cs, std::set<std::string> const& set) {
  for (auto const& c : cs)
    if (set.count(c)) return true;
  return false;
}
bool all_known(std::vector<std::string> const& cs) {
  if (cs.empty()) return false;
  for (auto const& c : cs)
    if (!kNonsyn.count(c) && !kNotNonsyn.count(c)) return false;
  return true;
}

/// Does the variant change the protein (or a canonical splice site)?
Tri variant_nonsyn(Finding const& f) {
  if (has_any(f.consequences, kNonsyn)) return Tri::kTrue;
  if (f.protein) {
    if (f.protein->is_nonsynonymous()) return Tri::kTrue;
    if (f.protein->kind == EditKind::kUnknown) return all_known(f.consequences) ? Tri::kFalse : Tri::kUnknown;
    return Tri::kFalse;
  }
  if (all_known(f.consequences)) return Tri::kFalse;
  return Tri::kUnknown;
}

/// Is this finding an alteration of its gene (for `wildtype` and `mutation`)?
Tri altered(Finding const& f) {
  switch (f.type) {
    case FindingType::kVariant: return variant_nonsyn(f);
    case FindingType::kFusion: return Tri::kTrue;
    case FindingType::kExonSkipping: return Tri::kTrue;
    case FindingType::kCnv:
      if (f.call == "amplification" || f.call == "deletion") return Tri::kTrue;
      if (f.call.empty()) return Tri::kUnknown;
      return Tri::kFalse;
    case FindingType::kBiomarker: return Tri::kFalse;
  }
  return Tri::kFalse;
}

Tri missense(Finding const& f) {
  if (has_any(f.consequences, {"missense_variant"})) return Tri::kTrue;
  if (f.protein) return tri_of(f.protein->kind == EditKind::kSubstitution);
  return f.consequences.empty() ? Tri::kUnknown : Tri::kFalse;
}
Tri truncating(Finding const& f) {
  if (has_any(f.consequences, kTruncating)) return Tri::kTrue;
  if (f.protein) return f.protein->is_truncating() ? Tri::kTrue
                        : f.protein->kind == EditKind::kUnknown && f.consequences.empty()
                            ? Tri::kUnknown
                            : Tri::kFalse;
  return f.consequences.empty() ? Tri::kUnknown : Tri::kFalse;
}
Tri inframe(Finding const& f) {
  if (has_any(f.consequences, {"inframe_insertion", "inframe_deletion"})) return Tri::kTrue;
  if (f.protein) return tri_of(f.protein->is_inframe_indel());
  return f.consequences.empty() ? Tri::kUnknown : Tri::kFalse;
}
Tri splice(Finding const& f) {
  if (has_any(f.consequences, kSplice)) return Tri::kTrue;
  if (f.protein || !f.consequences.empty()) return Tri::kFalse;
  return Tri::kUnknown;
}
Tri inframe_deletion(Finding const& f) {
  if (f.protein) {
    auto k = f.protein->kind;
    if (k == EditKind::kDeletion) return Tri::kTrue;
    if (k == EditKind::kDelIns) return tri_of(f.protein->deleted_count() > f.protein->inserted_count());
    return Tri::kFalse;
  }
  if (has_any(f.consequences, {"inframe_deletion"})) return Tri::kTrue;
  return f.consequences.empty() ? Tri::kUnknown : Tri::kFalse;
}
Tri inframe_insertion(Finding const& f) {
  if (f.protein) {
    auto k = f.protein->kind;
    if (k == EditKind::kInsertion || k == EditKind::kDuplication) return Tri::kTrue;
    if (k == EditKind::kDelIns) return tri_of(f.protein->deleted_count() <= f.protein->inserted_count());
    return Tri::kFalse;
  }
  if (has_any(f.consequences, {"inframe_insertion"})) return Tri::kTrue;
  return f.consequences.empty() ? Tri::kUnknown : Tri::kFalse;
}

bool same_change(hgvs::ProteinChange const& rule, hgvs::ProteinChange const& found) {
  if (rule.kind == EditKind::kFrameshift && found.kind == EditKind::kFrameshift &&
      rule.alt.empty() && rule.fs_stop < 0)
    return rule.first == found.first;  // p.S1982fs matches any frameshift at 1982
  return rule.to_string() == found.to_string();
}

/// A protein-change pattern (exact change or bare position) against a finding.
Tri protein_pattern(hgvs::ProteinChange const& rule, Finding const& f) {
  if (!f.protein) {
    // Without a protein description the change cannot be compared; a known non-coding or
    // synonymous variant cannot be it.
    return variant_nonsyn(f) == Tri::kFalse ? Tri::kFalse : Tri::kUnknown;
  }
  auto const& p = *f.protein;
  if (rule.kind == EditKind::kPosition) {
    if (!p.is_nonsynonymous()) return Tri::kFalse;
    return tri_of(p.first <= rule.first && rule.first <= p.last);
  }
  return tri_of(same_change(rule, p));
}

bool excluded(ir::Atom const& atom, Finding const& f) {
  if (!f.protein) return false;
  for (auto const& x : atom.excluding)
    if (same_change(x, *f.protein)) return true;
  return false;
}

std::string origin_suffix(ast::Origin o) {
  return o == ast::Origin::kSomatic ? " (somatic)" : o == ast::Origin::kGermline ? " (germline)" : "";
}

bool origin_ok(ast::Origin want, model::Origin have) {
  return want == ast::Origin::kAny ||
         (want == ast::Origin::kSomatic) == (have == model::Origin::kSomatic);
}

}  // namespace

namespace {

bool compare(double a, ast::Cmp c, double b) {
  switch (c) {
    case ast::Cmp::kEq: return a == b;
    case ast::Cmp::kNe: return a != b;
    case ast::Cmp::kLt: return a < b;
    case ast::Cmp::kLe: return a <= b;
    case ast::Cmp::kGt: return a > b;
    case ast::Cmp::kGe: return a >= b;
  }
  return false;
}

std::string num_text(double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace

PatientView::PatientView(model::Patient const& patient, catalog::Catalog const& catalog)
    : patient_(patient), catalog_(catalog) {
  for (std::uint32_t i = 0; i < patient.findings.size(); ++i) {
    auto const& f = patient.findings[i];
    if (f.type == FindingType::kBiomarker) {
      by_biomarker_[f.name].push_back(i);
      continue;
    }
    if (f.type == FindingType::kFusion) {
      if (!f.gene5.empty()) by_gene_[f.gene5].push_back(i);
      if (!f.gene3.empty() && f.gene3 != f.gene5) by_gene_[f.gene3].push_back(i);
    } else if (!f.gene.empty()) {
      by_gene_[f.gene].push_back(i);
    }
  }
  for (auto const& [g, idx] : by_gene_)
    if (auto id = catalog.genes.index(g)) by_gene_id_.push_back({*id, &idx});
  std::sort(by_gene_id_.begin(), by_gene_id_.end());
  owned_.reserve(patient.tests.size());
  words_ = (catalog.genes.size() + 63) / 64;
  std::size_t n_bitmaps = 0;
  for (auto const& t : patient.tests) n_bitmaps += t.genes.size() > kBitmapAbove;
  bits_.assign(n_bitmaps * words_, 0);
  std::size_t next_bitmap = 0;
  for (auto const& t : patient.tests) {
    if (!t.biomarker.empty()) biomarker_tested_.insert(t.biomarker);
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

std::vector<std::uint32_t> const* PatientView::findings_of(std::string const& gene,
                                                           std::uint32_t gene_id) const {
  if (gene_id == kNoGeneId) {  // not a catalog gene (never after sema): by symbol
    auto it = by_gene_.find(gene);
    return it == by_gene_.end() ? nullptr : &it->second;
  }
  auto it = std::lower_bound(by_gene_id_.begin(), by_gene_id_.end(),
                             std::pair<std::uint32_t, std::vector<std::uint32_t> const*>{gene_id, nullptr});
  return it != by_gene_id_.end() && it->first == gene_id ? it->second : nullptr;
}

Tri PatientView::gene_atom_one(ir::Atom const& atom, std::string const& gene, std::uint32_t gene_id,
                               AtomValue& out) const {
  Tri result = Tri::kFalse;
  std::string detail;  // what is unknown at finding level
  if (auto const* found = findings_of(gene, gene_id)) {
    for (auto idx : *found) {
      auto const& f = patient_.findings[idx];
      if (!origin_ok(atom.origin, f.origin)) continue;
      Tri v = Tri::kFalse;
      switch (atom.feature) {
        case ast::FeatureKind::kProtein:
          if (f.type == FindingType::kVariant) {
            for (auto const& pc : atom.proteins) v = tri_or(v, protein_pattern(pc, f));
            if (v == Tri::kUnknown) detail = gene + " protein change";
          }
          break;
        case ast::FeatureKind::kCodon:
          if (f.type == FindingType::kVariant) {
            for (int c : atom.codons) {
              hgvs::ProteinChange pos;
              pos.kind = EditKind::kPosition;
              pos.first = pos.last = c;
              v = tri_or(v, protein_pattern(pos, f));
            }
            if (v == Tri::kUnknown) detail = gene + " protein change";
          }
          break;
        case ast::FeatureKind::kExon: {
          Tri event = Tri::kFalse;
          Tri in_exon = Tri::kUnknown;
          auto in_range = [&](int e) { return atom.exon_first <= e && e <= atom.exon_last; };
          if (atom.exon_event == ast::ExonEvent::kSkipping) {
            if (f.type == FindingType::kExonSkipping) {
              event = Tri::kTrue;
              in_exon = tri_of(std::any_of(f.exons.begin(), f.exons.end(), in_range));
            } else if (f.type == FindingType::kVariant) {
              event = splice(f);
              if (f.exon) in_exon = tri_of(in_range(*f.exon));
              else if (f.intron)  // intron N lies between exons N and N+1
                in_exon = tri_of(in_range(*f.intron) || in_range(*f.intron + 1));
              else if (f.protein && f.protein->first > 0 && catalog_.exons.has_gene(gene)) {
                auto ex = catalog_.exons.exons_of(gene, f.protein->first);
                in_exon = tri_of(std::any_of(ex.begin(), ex.end(), in_range));
              }
            }
          } else if (f.type == FindingType::kVariant) {
            switch (atom.exon_event) {
              case ast::ExonEvent::kDeletion: event = inframe_deletion(f); break;
              case ast::ExonEvent::kInsertion: event = inframe_insertion(f); break;
              case ast::ExonEvent::kMutation: event = variant_nonsyn(f); break;
              case ast::ExonEvent::kMissense: event = missense(f); break;
              case ast::ExonEvent::kTruncating: event = truncating(f); break;
              case ast::ExonEvent::kInframe: event = inframe(f); break;
              case ast::ExonEvent::kSplice: event = splice(f); break;
              case ast::ExonEvent::kSkipping: break;
            }
            if (f.exon) {
              in_exon = tri_of(in_range(*f.exon));
            } else if (f.protein && f.protein->first > 0 && catalog_.exons.has_gene(gene)) {
              auto ex = catalog_.exons.exons_of(gene, f.protein->first);
              if (f.protein->last != f.protein->first) {
                auto ex2 = catalog_.exons.exons_of(gene, f.protein->last);
                ex.insert(ex.end(), ex2.begin(), ex2.end());
              }
              in_exon = tri_of(std::any_of(ex.begin(), ex.end(), in_range));
            } else if (f.intron && !f.exon) {
              in_exon = Tri::kFalse;  // an intronic variant is in no exon
              if (atom.exon_event == ast::ExonEvent::kSplice || atom.exon_event == ast::ExonEvent::kMutation)
                in_exon = tri_of(in_range(*f.intron) || in_range(*f.intron + 1));
            }
          }
          v = tri_and(event, in_exon);
          if (v == Tri::kUnknown) detail = gene + (in_exon == Tri::kUnknown ? " exon" : " variant consequence");
          break;
        }
        case ast::FeatureKind::kMutation:
          if (f.type == FindingType::kVariant) v = variant_nonsyn(f);
          else if (f.type == FindingType::kExonSkipping) v = Tri::kTrue;
          if (v == Tri::kUnknown) detail = gene + " variant consequence";
          break;
        case ast::FeatureKind::kMissense:
          if (f.type == FindingType::kVariant) v = missense(f);
          if (v == Tri::kUnknown) detail = gene + " variant consequence";
          break;
        case ast::FeatureKind::kTruncating:
          if (f.type == FindingType::kVariant) v = truncating(f);
          if (v == Tri::kUnknown) detail = gene + " variant consequence";
          break;
        case ast::FeatureKind::kInframe:
          if (f.type == FindingType::kVariant) v = inframe(f);
          if (v == Tri::kUnknown) detail = gene + " variant consequence";
          break;
        case ast::FeatureKind::kSplice:
          if (f.type == FindingType::kVariant) v = splice(f);
          else if (f.type == FindingType::kExonSkipping) v = Tri::kTrue;
          if (v == Tri::kUnknown) detail = gene + " variant consequence";
          break;
        case ast::FeatureKind::kOncogenic: {
          auto const& c = f.classification;
          if (c == "oncogenic" || c == "likely oncogenic" || c == "pathogenic" ||
              c == "likely pathogenic")
            v = Tri::kTrue;
          else if (c.empty())
            v = f.type == FindingType::kBiomarker ? Tri::kFalse : Tri::kUnknown;
          else
            v = Tri::kFalse;
          if (v == Tri::kUnknown) detail = gene + " variant classification";
          break;
        }
        case ast::FeatureKind::kAmplification:
          if (f.type == FindingType::kCnv) {
            if (atom.measure.empty()) {
              v = f.call == "amplification" ? Tri::kTrue : f.call.empty() ? Tri::kUnknown : Tri::kFalse;
            } else {
              auto const& value = atom.measure == "ratio" ? f.ratio : f.copies;
              if (value) v = tri_of(compare(*value, atom.cmp, atom.threshold));
              else v = f.call == "amplification" || f.call.empty() ? Tri::kUnknown : Tri::kFalse;
            }
            if (v == Tri::kUnknown)
              detail = gene + (atom.measure == "ratio" ? " amplification ratio" : " copy number");
          }
          break;
        case ast::FeatureKind::kDeletion:
          if (f.type == FindingType::kCnv) {
            v = f.call == "deletion" ? Tri::kTrue : f.call.empty() ? Tri::kUnknown : Tri::kFalse;
            if (v == Tri::kUnknown) detail = gene + " copy-number call";
          }
          break;
        case ast::FeatureKind::kFusion:
          if (f.type == FindingType::kFusion) {
            if (!atom.gene5.empty()) {  // ordered A::B (gene is B, the 3' partner)
              if (!f.partner_resolved) {
                v = Tri::kUnknown;
              } else {
                v = tri_of(f.gene5 == atom.gene5 && f.gene3 == gene);
              }
            } else if (!atom.partner.empty()) {
              if (!f.partner_resolved) {
                v = Tri::kUnknown;
              } else {
                std::string const& other = f.gene5 == gene ? f.gene3 : f.gene5;
                v = tri_of(other == atom.partner);
              }
            } else {
              v = Tri::kTrue;
            }
            if (v == Tri::kUnknown) detail = gene + " fusion partner";
          }
          break;
        case ast::FeatureKind::kWildtype:
          break;
      }
      if (v != Tri::kFalse && !atom.excluding.empty() && excluded(atom, f)) v = Tri::kFalse;
      if (v == Tri::kTrue) out.findings.push_back(idx);
      result = tri_or(result, v);
    }
  }
  if (result == Tri::kTrue) return result;
  auto cov = gene_id != kNoGeneId ? coverage(gene_id, atom.origin) : coverage(gene, atom.origin);
  bool covered = (cov & detect_kinds_needed(atom)) != 0;
  if (!covered) {
    out.missing.push_back(gene + origin_suffix(atom.origin));
    return Tri::kUnknown;
  }
  if (result == Tri::kUnknown && !detail.empty()) out.missing.push_back(detail);
  return result;
}

Tri PatientView::wildtype_one(ir::Atom const& atom, std::string const& gene, std::uint32_t gene_id,
                              AtomValue& out) const {
  ast::Origin origin = atom.origin == ast::Origin::kAny ? ast::Origin::kSomatic : atom.origin;
  Tri alt = Tri::kFalse;
  if (auto const* found = findings_of(gene, gene_id)) {
    for (auto idx : *found) {
      auto const& f = patient_.findings[idx];
      if (!origin_ok(origin, f.origin)) continue;
      if (!atom.excluding.empty() && excluded(atom, f)) continue;
      alt = tri_or(alt, altered(f));
    }
  }
  if (alt == Tri::kTrue) return Tri::kFalse;
  auto cov = gene_id != kNoGeneId ? coverage(gene_id, origin) : coverage(gene, origin);
  bool covered = (cov & model::kDetectVariant) != 0;
  if (!covered) {
    out.missing.push_back(gene + origin_suffix(origin));
    return Tri::kUnknown;
  }
  if (alt == Tri::kUnknown) out.missing.push_back(gene + " variant consequence");
  return tri_not(alt);
}


AtomValue PatientView::biomarker_atom(ir::Atom const& atom) const {
  AtomValue out;
  auto test_value = [&](Finding const& f) -> Tri {
    if (atom.number) {
      if (!f.number) return Tri::kUnknown;
      return tri_of(compare(*f.number, atom.cmp, *atom.number));
    }
    std::string have = f.number ? num_text(*f.number) : f.value;
    bool eq = have == atom.text;
    return tri_of(atom.cmp == ast::Cmp::kNe ? !eq : eq);
  };
  Tri v = Tri::kFalse;
  bool any = false;
  auto it = by_biomarker_.find(atom.name);
  if (it != by_biomarker_.end()) {
    for (auto idx : it->second) {
      any = true;
      Tri t = test_value(patient_.findings[idx]);
      if (t == Tri::kTrue) out.findings.push_back(idx);
      v = tri_or(v, t);
    }
  }
  if (any) {
    if (v == Tri::kUnknown) out.missing.push_back(atom.name + " value");
    out.value = v;
    return out;
  }
  // No reported value.
  if (closed_world()) {
    out.value = Tri::kFalse;
    return out;
  }
  if (biomarker_tested_.count(atom.name)) {
    // Measured but no result reported: read as the normal result for categorical markers.
    std::string_view normal = normal_biomarker_value(atom.name);
    if (!normal.empty() && !atom.number) {
      bool eq = normal == atom.text;
      out.value = tri_of(atom.cmp == ast::Cmp::kNe ? !eq : eq);
      return out;
    }
    out.missing.push_back(atom.name + " value");
    out.value = Tri::kUnknown;
    return out;
  }
  out.missing.push_back(atom.name);
  out.value = Tri::kUnknown;
  return out;
}

AtomValue PatientView::clinical_atom(ir::Atom const& atom) const {
  AtomValue out;
  auto unknown = [&](char const* what) {
    out.missing.push_back(what);
    out.value = Tri::kUnknown;
    return out;
  };
  auto const& p = patient_;
  switch (atom.field) {
    case ast::ClinicalField::kAge:
      if (!p.age) return unknown("age");
      out.value = tri_of(compare(*p.age, atom.cmp, *atom.number));
      return out;
    case ast::ClinicalField::kLines:
      if (!p.lines) return unknown("lines");
      out.value = tri_of(compare(*p.lines, atom.cmp, *atom.number));
      return out;
    case ast::ClinicalField::kEcog:
      if (!p.ecog) return unknown("ecog");
      out.value = tri_of(compare(*p.ecog, atom.cmp, *atom.number));
      return out;
    case ast::ClinicalField::kSex: {
      if (p.sex.empty()) return unknown("sex");
      bool eq = p.sex == atom.text;
      out.value = tri_of(atom.cmp == ast::Cmp::kNe ? !eq : eq);
      return out;
    }
    case ast::ClinicalField::kStage: {
      int r = model::stage_rank(p.stage);
      if (p.stage.empty() || r == 0) return unknown("stage");
      out.value = tri_of(compare(r, atom.cmp, *atom.number));
      return out;
    }
    case ast::ClinicalField::kPrior: {
      if (!p.treatments) {
        if (p.lines && *p.lines == 0) {
          out.value = Tri::kFalse;
          return out;
        }
        return unknown("prior treatments");
      }
      std::vector<std::string> parts;
      std::string cur;
      for (char c : atom.text + "+") {
        if (c == '+') {
          auto b = cur.find_first_not_of(' ');
          auto e = cur.find_last_not_of(' ');
          if (b != std::string::npos) parts.push_back(cur.substr(b, e - b + 1));
          cur.clear();
        } else {
          cur += c;
        }
      }
      for (auto const& t : *p.treatments) {
        bool all = !parts.empty();
        for (auto const& part : parts)
          all = all && std::find(t.drugs.begin(), t.drugs.end(), part) != t.drugs.end();
        if (all) {
          out.value = Tri::kTrue;
          return out;
        }
      }
      out.value = Tri::kFalse;
      return out;
    }
  }
  return out;
}

AtomValue PatientView::tested_atom(ir::Atom const& atom) const {
  AtomValue out;
  if (closed_world()) {
    out.value = Tri::kTrue;
    return out;
  }
  bool all = true;
  for (auto const& g : atom.genes) all = all && coverage(g, atom.origin) != 0;
  for (auto const& b : atom.tested_biomarkers) all = all && biomarker_tested_.count(b) > 0;
  out.value = tri_of(all);
  return out;
}

AtomValue PatientView::evaluate(ir::Atom const& atom) const {
  switch (atom.kind) {
    case ir::AtomKind::kBiomarker: return biomarker_atom(atom);
    case ir::AtomKind::kClinical: return clinical_atom(atom);
    case ir::AtomKind::kTested: return tested_atom(atom);
    case ir::AtomKind::kGene: break;
  }
  AtomValue out;
  Tri v = Tri::kFalse;
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < atom.genes.size(); ++i) {
    auto const& g = atom.genes[i];
    std::uint32_t id = i < atom.gene_ids.size() ? atom.gene_ids[i] : kNoGeneId;
    AtomValue one;
    Tri t = atom.feature == ast::FeatureKind::kWildtype ? wildtype_one(atom, g, id, one)
                                                        : gene_atom_one(atom, g, id, one);
    v = tri_or(v, t);
    out.findings.insert(out.findings.end(), one.findings.begin(), one.findings.end());
    if (t == Tri::kUnknown) missing.insert(missing.end(), one.missing.begin(), one.missing.end());
  }
  out.value = v;
  if (v == Tri::kUnknown) out.missing = std::move(missing);
  std::sort(out.findings.begin(), out.findings.end());
  out.findings.erase(std::unique(out.findings.begin(), out.findings.end()), out.findings.end());
  return out;
}

}  // namespace actionable::eval
