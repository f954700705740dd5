// Leaf semantics of gene atoms (dsl.md §2, §5), and PatientView::evaluate over every atom kind.
//
// A gene atom is true when some finding of that gene and origin matches its feature; false
// when none does and the gene was covered, for that origin, by a test whose method can detect
// the feature's kind (or the record declares no tests: closed world); unknown otherwise.
// Finding-level unknowns (a FISH fusion without partner, a call without a copy number, a
// variant without protein or consequence) propagate as unknown.
#include <algorithm>
#include <set>

#include "actionable/detail/eval/patient_view.hpp"
#include "eval/atom_common.hpp"

namespace actionable::eval {

namespace {

using detail::compare;
using detail::kNoGeneId;

using hgvs::EditKind;
using model::Finding;
using model::FindingType;

const std::set<std::string> kNonsyn{"missense_variant",
                                    "stop_gained",
                                    "stop_lost",
                                    "start_lost",
                                    "frameshift_variant",
                                    "inframe_insertion",
                                    "inframe_deletion",
                                    "protein_altering_variant",
                                    "splice_donor_variant",
                                    "splice_acceptor_variant",
                                    "transcript_ablation",
                                    "exon_loss_variant",
                                    "feature_truncation",
                                    "initiator_codon_variant",
                                    "splice_site_variant"};
const std::set<std::string> kNotNonsyn{"synonymous_variant",
                                       "intron_variant",
                                       "5_prime_utr_variant",
                                       "3_prime_utr_variant",
                                       "upstream_gene_variant",
                                       "downstream_gene_variant",
                                       "intergenic_variant",
                                       "non_coding_transcript_exon_variant",
                                       "non_coding_transcript_variant",
                                       "stop_retained_variant",
                                       "start_retained_variant",
                                       "regulatory_region_variant",
                                       "splice_region_variant",
                                       "splice_donor_5th_base_variant",
                                       "splice_donor_region_variant",
                                       "splice_polypyrimidine_tract_variant",
                                       "mature_mirna_variant",
                                       "tf_binding_site_variant",
                                       "nmd_transcript_variant",
                                       "coding_sequence_variant",
                                       "incomplete_terminal_codon_variant",
                                       "5_prime_utr_premature_start_codon_gain_variant"};
const std::set<std::string> kSplice{"splice_donor_variant",        "splice_acceptor_variant",
                                    "splice_region_variant",       "splice_donor_5th_base_variant",
                                    "splice_donor_region_variant", "splice_polypyrimidine_tract_variant",
                                    "splice_site_variant"};
const std::set<std::string> kTruncating{
    "stop_gained",         "frameshift_variant", "splice_donor_variant", "splice_acceptor_variant",
    "splice_site_variant", "start_lost",         "transcript_ablation"};

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
  if (f.protein)
    return f.protein->is_truncating()                                        ? Tri::kTrue
           : f.protein->kind == EditKind::kUnknown && f.consequences.empty() ? Tri::kUnknown
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
  if (rule.kind == EditKind::kFrameshift && found.kind == EditKind::kFrameshift && rule.alt.empty() && rule.fs_stop < 0)
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
  return want == ast::Origin::kAny || (want == ast::Origin::kSomatic) == (have == model::Origin::kSomatic);
}

}  // namespace

Tri PatientView::gene_atom_one(ir::Atom const& atom, std::string const& gene, std::uint32_t gene_id,
                               AtomValue& out) const {
  Tri result = Tri::kFalse;
  std::string detail;  // what is unknown at finding level
  if (auto found = findings_of(gene, gene_id); !found.empty()) {
    for (auto idx : found) {
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
              if (f.exon)
                in_exon = tri_of(in_range(*f.exon));
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
        // The variant-class features below read alike (a test on the finding, then what an
        // unknown names) but each calls its own predicate; a table of function pointers would
        // hide the exon-skipping cases of mutation and splice.
        case ast::FeatureKind::kMutation:
          if (f.type == FindingType::kVariant)
            v = variant_nonsyn(f);
          else if (f.type == FindingType::kExonSkipping)
            v = Tri::kTrue;
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
          if (f.type == FindingType::kVariant)
            v = splice(f);
          else if (f.type == FindingType::kExonSkipping)
            v = Tri::kTrue;
          if (v == Tri::kUnknown) detail = gene + " variant consequence";
          break;
        case ast::FeatureKind::kOncogenic: {
          auto const& c = f.classification;
          if (c == "oncogenic" || c == "likely oncogenic" || c == "pathogenic" || c == "likely pathogenic")
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
              if (value)
                v = tri_of(compare(*value, atom.cmp, atom.threshold));
              else
                v = f.call == "amplification" || f.call.empty() ? Tri::kUnknown : Tri::kFalse;
            }
            if (v == Tri::kUnknown) detail = gene + (atom.measure == "ratio" ? " amplification ratio" : " copy number");
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
        case ast::FeatureKind::kWildtype: break;
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
  if (auto found = findings_of(gene, gene_id); !found.empty()) {
    for (auto idx : found) {
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

AtomValue PatientView::evaluate(ir::Atom const& atom) const {
  switch (atom.kind) {
    case ir::AtomKind::kBiomarker: return biomarker_atom(atom);
    case ir::AtomKind::kClinical: return clinical_atom(atom);
    case ir::AtomKind::kTested: return tested_atom(atom);
    case ir::AtomKind::kProtein: return atom.method.empty() ? her2_status_atom(atom) : protein_atom(atom);
    case ir::AtomKind::kGene: break;
  }
  AtomValue out;
  Tri v = Tri::kFalse;
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < atom.genes.size(); ++i) {
    auto const& g = atom.genes[i];
    std::uint32_t id = i < atom.gene_ids.size() ? atom.gene_ids[i] : kNoGeneId;
    AtomValue one;
    Tri t =
        atom.feature == ast::FeatureKind::kWildtype ? wildtype_one(atom, g, id, one) : gene_atom_one(atom, g, id, one);
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
