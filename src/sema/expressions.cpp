// Checker expression lowering: atoms with their display text, hash-consed IR nodes, expressions.
#include <algorithm>
#include <charconv>

#include "actionable/model/protein.hpp"
#include "sema/checker.hpp"
#include "util/number_text.hpp"

namespace actionable::sema::detail {

char const* cmp_text(ast::Cmp c) {
  switch (c) {
    case ast::Cmp::kEq: return "=";
    case ast::Cmp::kNe: return "!=";
    case ast::Cmp::kLt: return "<";
    case ast::Cmp::kLe: return "<=";
    case ast::Cmp::kGt: return ">";
    case ast::Cmp::kGe: return ">=";
  }
  return "?";
}

namespace {

constexpr std::uint32_t kNoGeneId = 0xFFFFFFFFu;  // a gene the catalog lacks (never after checks)

char const* origin_text(ast::Origin o) {
  return o == ast::Origin::kSomatic ? "somatic " : o == ast::Origin::kGermline ? "germline " : "";
}
char const* exon_event_text(ast::ExonEvent e) {
  switch (e) {
    case ast::ExonEvent::kDeletion: return "deletion";
    case ast::ExonEvent::kInsertion: return "insertion";
    case ast::ExonEvent::kSkipping: return "skipping";
    case ast::ExonEvent::kMutation: return "mutation";
    case ast::ExonEvent::kMissense: return "missense";
    case ast::ExonEvent::kTruncating: return "truncating";
    case ast::ExonEvent::kInframe: return "inframe";
    case ast::ExonEvent::kSplice: return "splice";
  }
  return "?";
}
char const* feature_text(ast::FeatureKind k) {
  switch (k) {
    case ast::FeatureKind::kMutation: return "mutation";
    case ast::FeatureKind::kMissense: return "missense";
    case ast::FeatureKind::kTruncating: return "truncating";
    case ast::FeatureKind::kInframe: return "inframe";
    case ast::FeatureKind::kSplice: return "splice";
    case ast::FeatureKind::kOncogenic: return "oncogenic";
    case ast::FeatureKind::kDeletion: return "deletion";
    case ast::FeatureKind::kWildtype: return "wildtype";
    case ast::FeatureKind::kAmplification: return "amplification";
    case ast::FeatureKind::kFusion: return "fusion";
    default: return "";
  }
}

}  // namespace

ir::AtomId Checker::intern_atom(ir::Atom a) {
  auto key = std::to_string(static_cast<int>(a.kind)) + "|" + a.display;
  auto it = atom_index.find(key);
  if (it != atom_index.end()) return it->second;
  a.gene_ids.clear();  // ids for integer coverage look-ups (eval::PatientView)
  for (auto const& g : a.genes) a.gene_ids.push_back(catalog.genes.index(g).value_or(kNoGeneId));
  rs.atoms.push_back(std::move(a));
  auto id = static_cast<ir::AtomId>(rs.atoms.size() - 1);
  atom_index.emplace(key, id);
  return id;
}

ir::NodeId Checker::intern_node(ir::Op op, ir::AtomId atom, std::vector<ir::NodeId> kids) {
  std::string key = std::to_string(static_cast<int>(op)) + ":" + std::to_string(atom);
  for (auto k : kids) key += "," + std::to_string(k);
  auto it = node_index.find(key);
  if (it != node_index.end()) return it->second;
  ir::Node n;
  n.op = op;
  n.atom = atom;
  n.kids = std::move(kids);
  rs.nodes.push_back(std::move(n));
  auto id = static_cast<ir::NodeId>(rs.nodes.size() - 1);
  node_index.emplace(key, id);
  return id;
}

std::optional<ir::AtomId> Checker::lower_atom(ast::Atom const& a) {
  ir::Atom out;
  out.kind = ir::AtomKind::kGene;
  out.origin = a.origin;
  out.feature = a.feature.kind;
  out.span = span(a);
  bool ok = true;
  for (auto const& g : a.genes) {
    if (auto s = gene(g))
      out.genes.push_back(*s);
    else
      ok = false;
  }
  if (a.gene5) {
    if (auto s = gene(*a.gene5))
      out.gene5 = *s;
    else
      ok = false;
  }
  auto const& f = a.feature;
  switch (f.kind) {
    case ast::FeatureKind::kProtein:
      for (auto const& p : f.proteins) {
        if (auto pc = protein(p, true))
          out.proteins.push_back(*pc);
        else
          ok = false;
      }
      break;
    case ast::FeatureKind::kCodon:
      for (int c : f.codons) {
        if (c <= 0) {
          diags.error("E222", span(f), "codon numbers start at 1");
          ok = false;
        }
      }
      out.codons = f.codons;
      break;
    case ast::FeatureKind::kExon:
      out.exon_first = f.exon_first;
      out.exon_last = f.exon_last;
      out.exon_event = f.exon_event;
      if (f.exon_first <= 0 || f.exon_last < f.exon_first) {
        diags.error("E222", span(f),
                    "impossible exon range " + std::to_string(f.exon_first) + "-" + std::to_string(f.exon_last));
        ok = false;
      } else {
        for (auto const& g : out.genes) {
          auto n = catalog.exons.exon_count(g);
          if (n > 0 && f.exon_last > n) {
            diags.error("E223", span(f),
                        g + " has " + std::to_string(n) + " exons on " + catalog.exons.transcript(g) + "; exon " +
                            std::to_string(f.exon_last) + " does not exist");
            ok = false;
          }
        }
      }
      break;
    case ast::FeatureKind::kAmplification:
      out.measure = f.measure;
      out.cmp = f.cmp;
      out.threshold = f.threshold;
      if (!f.measure.empty() && f.threshold < 0) {
        diags.error("E222", span(f), "a copy-number threshold cannot be negative");
        ok = false;
      }
      break;
    case ast::FeatureKind::kFusion:
      if (f.partner) {
        if (auto s = gene(*f.partner))
          out.partner = *s;
        else
          ok = false;
      }
      if (!out.gene5.empty() && out.genes.size() == 1 && out.gene5 == out.genes[0]) {
        diags.error("E222", span(a), "a gene cannot be fused with itself here");
        ok = false;
      }
      break;
    default: break;
  }
  if (!f.excluding.empty()) {
    // Any feature may be narrowed (dsl.md §2), but a protein change cannot narrow a fusion
    // or a copy-number call: that expression is impossible.
    bool impossible = f.kind == ast::FeatureKind::kFusion || f.kind == ast::FeatureKind::kAmplification ||
                      f.kind == ast::FeatureKind::kDeletion || a.gene5.has_value();
    if (impossible) {
      diags.error("E222", span(f.excluding.front()),
                  std::string("a protein change cannot narrow ") +
                      (a.gene5 || f.kind == ast::FeatureKind::kFusion ? "a fusion" : "a copy-number feature"));
      ok = false;
    }
    for (auto const& p : f.excluding) {
      if (auto pc = protein(p, false))
        out.excluding.push_back(*pc);
      else
        ok = false;
    }
  }
  if (!ok) return std::nullopt;
  // canonical display text
  std::string d = origin_text(a.origin);
  if (!out.gene5.empty()) {
    d += out.gene5 + "::" + out.genes[0] + " fusion";
  } else {
    if (out.genes.size() == 1) {
      d += out.genes[0];
    } else {
      d += "(";
      for (std::size_t i = 0; i < out.genes.size(); ++i) d += (i ? " | " : "") + out.genes[i];
      d += ")";
    }
    d += " ";
    switch (f.kind) {
      case ast::FeatureKind::kProtein:
        for (std::size_t i = 0; i < out.proteins.size(); ++i) d += (i ? " | " : "") + out.proteins[i].to_string();
        break;
      case ast::FeatureKind::kCodon:
        d += "codon ";
        for (std::size_t i = 0; i < out.codons.size(); ++i) d += (i ? ", " : "") + std::to_string(out.codons[i]);
        break;
      case ast::FeatureKind::kExon:
        d += "exon " + std::to_string(out.exon_first);
        if (out.exon_last != out.exon_first) d += "-" + std::to_string(out.exon_last);
        d += std::string(" ") + exon_event_text(out.exon_event);
        break;
      case ast::FeatureKind::kAmplification:
        d += "amplification";
        if (!out.measure.empty())
          d += " (" + out.measure + " " + cmp_text(out.cmp) + " " + util::number_text(out.threshold) + ")";
        break;
      case ast::FeatureKind::kFusion:
        d += "fusion";
        if (!out.partner.empty()) d += " with " + out.partner;
        break;
      default: d += feature_text(f.kind);
    }
  }
  if (!out.excluding.empty()) {
    d += " excluding ";
    for (std::size_t i = 0; i < out.excluding.size(); ++i) d += (i ? ", " : "") + out.excluding[i].to_string();
  }
  out.display = d;
  return intern_atom(std::move(out));
}

namespace {
char const* const kProteinMarkers = "HER2, PDL1, CLDN18, FOLR1, MLH1, MSH2, MSH6, PMS2, PANTRK, ALK, ROS1, MET";
}  // namespace

std::optional<std::string> Checker::protein_test_name(ast::Name const& n) {
  auto sp = n.text.find_first_of(" \t\r\n");
  std::string name = n.text.substr(0, sp);
  std::string method = sp == std::string::npos ? "" : n.text.substr(n.text.find_first_not_of(" \t\r\n", sp));
  auto marker = model::protein_marker(name);
  if (marker.empty()) {
    diags.error("E225", span(n), "'" + name + "' is not a protein biomarker",
                {std::string("known: ") + kProteinMarkers});
    return std::nullopt;
  }
  if (!model::protein_has_method(marker, method)) {
    diags.error("E225", span(n), marker + " is not reported by " + method, {"use IHC"});
    return std::nullopt;
  }
  return marker + " " + method;
}

std::optional<ir::AtomId> Checker::lower_protein(ast::Biomarker const& b) {
  ir::Atom out;
  out.kind = ir::AtomKind::kProtein;
  out.span = span(b);
  if (!b.derived.empty()) {  // HER2-positive, HER2-low, HER2-ultralow, HER2-negative
    out.name = "HER2";
    out.text = b.derived;
    out.display = "HER2-" + b.derived;
    return intern_atom(std::move(out));
  }
  Span where = b.marker.text.empty() ? span(b) : span(b.marker);
  auto marker = model::protein_marker(b.name);
  if (marker.empty()) {
    diags.error("E225", where, "'" + b.name + "' is not a protein biomarker",
                {std::string("known: ") + kProteinMarkers});
    return std::nullopt;
  }
  if (!model::protein_has_method(marker, b.method)) {
    diags.error("E225", where, marker + " is not reported by " + b.method, {"use IHC"});
    return std::nullopt;
  }
  out.name = marker;
  out.method = b.method;
  out.score = b.score;
  out.assay = b.assay;
  out.cmp = b.cmp;
  std::string d = marker == "PDL1" && !b.score.empty() ? "PDL1 " + b.score : marker + " " + b.method;
  if (b.number) {
    if (!model::protein_numeric(marker, b.method)) {
      std::string allowed;
      model::protein_value(marker, b.method, "", &allowed);
      diags.error("E225", span(b), marker + " " + b.method + " is a result, not a number",
                  {"write one of " + allowed + " (several with |)"});
      return std::nullopt;
    }
    if (*b.number < 0) {
      diags.error("E222", span(b), "a protein threshold cannot be negative");
      return std::nullopt;
    }
    out.number = b.number;
    d += std::string(" ") + cmp_text(b.cmp) + " " + util::number_text(*b.number);
  } else {
    for (std::size_t i = 0; i < b.values.size(); ++i) {
      std::string allowed;
      auto v = model::protein_value(marker, b.method, b.values[i].text, &allowed);
      if (v.empty()) {
        diags.error("E225", span(b.values[i]),
                    "'" + b.values[i].text + "' is not a " + marker + " " + b.method + " result",
                    {allowed.empty() ? std::string("this marker takes a comparison (>= N)") : "use " + allowed});
        return std::nullopt;
      }
      if (std::find(out.values.begin(), out.values.end(), v) == out.values.end()) out.values.push_back(v);
      d += (i ? " | " : " ") + v;
    }
  }
  if (!out.assay.empty()) d += " assay \"" + out.assay + "\"";
  out.display = d;
  return intern_atom(std::move(out));
}

std::optional<ir::AtomId> Checker::lower_biomarker(ast::Biomarker const& b) {
  if (b.protein) return lower_protein(b);
  ir::Atom out;
  out.kind = ir::AtomKind::kBiomarker;
  out.span = span(b);
  out.name = model::canonical_biomarker_name(b.name);
  out.cmp = b.cmp;
  out.number = b.number;
  out.text = b.text.empty() ? "" : model::normalise_biomarker_value(out.name, b.text);
  if (!b.number && b.cmp != ast::Cmp::kEq && b.cmp != ast::Cmp::kNe) {
    diags.error("E224", span(b),
                std::string("'") + cmp_text(b.cmp) + "' compares numbers; '" + b.text + "' is not a number");
    return std::nullopt;
  }
  if (out.name == "MSI" || out.name == "MMR" || out.name == "HRD") {
    if (b.name == "MSI" && b.text == "high" && b.cmp == ast::Cmp::kEq) out.display = "MSI high";
  }
  if (out.display.empty()) {
    if (out.name == "MMR" && out.text == "deficient" && out.cmp == ast::Cmp::kEq)
      out.display = "dMMR";
    else if (out.name == "MMR" && out.text == "proficient" && out.cmp == ast::Cmp::kEq)
      out.display = "pMMR";
    else if ((out.name == "MSI" || out.name == "HRD") && out.cmp == ast::Cmp::kEq)
      out.display = out.name + " " + out.text;
    else
      out.display = (out.name == "TMB" ? std::string("TMB") : "biomarker " + out.name) + " " + cmp_text(out.cmp) + " " +
                    (out.number ? util::number_text(*out.number) : out.text);
  }
  return intern_atom(std::move(out));
}

std::optional<ir::AtomId> Checker::lower_clinical(ast::Clinical const& c) {
  ir::Atom out;
  out.kind = ir::AtomKind::kClinical;
  out.span = span(c);
  out.field = c.field;
  out.cmp = c.cmp;
  switch (c.field) {
    case ast::ClinicalField::kAge:
    case ast::ClinicalField::kLines:
    case ast::ClinicalField::kEcog: {
      out.number = c.number;
      char const* f = c.field == ast::ClinicalField::kAge     ? "age"
                      : c.field == ast::ClinicalField::kLines ? "lines"
                                                              : "ecog";
      out.display = std::string(f) + " " + cmp_text(c.cmp) + " " + util::number_text(c.number);
      break;
    }
    case ast::ClinicalField::kSex: {
      auto v = upper(c.text);
      out.text = v == "FEMALE" ? "F" : v == "MALE" ? "M" : v;
      if (c.cmp != ast::Cmp::kEq && c.cmp != ast::Cmp::kNe) {
        diags.error("E224", span(c), "sex is compared with = or != only");
        return std::nullopt;
      }
      out.display = std::string("sex ") + cmp_text(c.cmp) + " " + out.text;
      break;
    }
    case ast::ClinicalField::kStage: {
      int r = model::stage_rank(c.text);
      if (r == 0) {
        diags.error("E272", span(c), "unreadable stage '" + c.text + "' (I, II, III, IV)");
        return std::nullopt;
      }
      out.number = r;
      out.text = upper(c.text);
      out.display = std::string("stage ") + cmp_text(c.cmp) + " " + out.text;
      break;
    }
    case ast::ClinicalField::kPrior:
      out.text = lower(c.text);
      out.display = "prior \"" + c.text + "\"";
      break;
    default:
      if (!lower_eligibility(c, out)) return std::nullopt;
      break;
  }
  return intern_atom(std::move(out));
}

std::optional<ir::AtomId> Checker::lower_tested(ast::Tested const& t) {
  ir::Atom out;
  out.kind = ir::AtomKind::kTested;
  out.span = span(t);
  out.origin = t.origin;
  bool ok = true;
  std::string d = std::string("tested ") + origin_text(t.origin);
  for (std::size_t i = 0; i < t.genes.size(); ++i) {
    auto const& g = t.genes[i];
    std::string shown;  // blanks folded: "HER2  IHC" → "HER2 IHC"
    for (char c : g.text) {
      bool blank = c == ' ' || c == '\t' || c == '\r' || c == '\n';
      if (blank && (shown.empty() || shown.back() == ' ')) continue;
      shown += blank ? ' ' : c;
    }
    d += (i ? ", " : "") + shown;
    if (g.text.find_first_of(" \t\r\n") != std::string::npos) {  // "HER2 IHC"
      if (auto name = protein_test_name(g))
        out.tested_biomarkers.push_back(*name);
      else
        ok = false;
    } else if (is_biomarker_name(upper(g.text))) {
      out.tested_biomarkers.push_back(model::canonical_biomarker_name(g.text));
    } else if (auto s = gene(g)) {
      out.genes.push_back(*s);
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  out.display = d;
  return intern_atom(std::move(out));
}

std::optional<ir::NodeId> Checker::lower_expr(std::uint32_t id) {
  auto const& pool = file->pool;
  auto const& n = pool.nodes[id];
  switch (n.op) {
    // Atom, biomarker, clinical and tested lower alike, each through its own lower_* and its own pool;
    // a helper would have to take both, for three lines a case.
    case ast::ExprOp::kAtom: {
      auto a = lower_atom(pool.atoms[n.payload]);
      if (!a) return std::nullopt;
      return intern_node(ir::Op::kAtom, *a, {});
    }
    case ast::ExprOp::kBiomarker: {
      auto a = lower_biomarker(pool.biomarkers[n.payload]);
      if (!a) return std::nullopt;
      return intern_node(ir::Op::kAtom, *a, {});
    }
    case ast::ExprOp::kClinical: {
      auto a = lower_clinical(pool.clinicals[n.payload]);
      if (!a) return std::nullopt;
      return intern_node(ir::Op::kAtom, *a, {});
    }
    case ast::ExprOp::kTested: {
      auto a = lower_tested(pool.tested[n.payload]);
      if (!a) return std::nullopt;
      return intern_node(ir::Op::kAtom, *a, {});
    }
    case ast::ExprOp::kRef: {
      auto const& name = pool.refs[n.payload];
      auto it = define_nodes.find(name.text);
      if (it != define_nodes.end()) return it->second;
      if (define_decls.count(name.text)) return std::nullopt;  // its own error was reported
      std::vector<std::string> notes;
      if (catalog.genes.lookup(name.text).resolved())
        notes.push_back("'" + name.text + "' is a gene: add a feature, e.g. '" + name.text + " mutation'");
      else if (auto best = closest_define(name.text); !best.empty())
        notes.push_back("did you mean '" + best + "'?");
      diags.error("E102", span(name), "undefined name '" + name.text + "'", notes);
      return std::nullopt;
    }
    case ast::ExprOp::kNot: {
      auto k = lower_expr(n.kids[0]);
      if (!k) return std::nullopt;
      return intern_node(ir::Op::kNot, 0, {*k});
    }
    case ast::ExprOp::kAnd:
    case ast::ExprOp::kOr: {
      std::vector<ir::NodeId> kids;
      bool ok = true;
      for (auto k : n.kids) {
        if (auto r = lower_expr(k))
          kids.push_back(*r);
        else
          ok = false;
      }
      if (!ok) return std::nullopt;
      return intern_node(n.op == ast::ExprOp::kAnd ? ir::Op::kAnd : ir::Op::kOr, 0, std::move(kids));
    }
  }
  return std::nullopt;
}

}  // namespace actionable::sema::detail
