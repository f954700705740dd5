// Semantic checks and lowering (dsl.md §1–§4, §7): ast::File… → ir::RuleSet.
//
// Passes, in order: names (ruleset, duplicates), defines (unknown references, cycles,
// depth; lowered in dependency order so no recursion crosses a define), criteria (clauses,
// genes, OncoTree codes, protein changes, levels, feasibility), tests (patients built from
// test blocks). Every problem is a Diagnostic with a stable code (docs/errors.md).
#include "actionable/sema/check.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>
#include <unordered_map>

namespace actionable::sema {
namespace {

constexpr std::uint32_t kNoGeneId = 0xFFFFFFFFu;  // a gene the catalog lacks (never after checks)


using ast::ClauseKind;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string num_text(double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}
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

bool is_biomarker_name(std::string const& n) {
  return n == "MSI" || n == "MMR" || n == "TMB" || n == "HRD" || n == "PDL1" || n == "PD-L1";
}

/// Valid evidence levels per scheme (docs/language.md, "Evidence levels").
bool valid_level(std::string const& scheme, std::string const& tier) {
  static const std::set<std::string> escat{"I-A", "I-B", "I-C", "II-A", "II-B", "III-A",
                                           "III-B", "IV-A", "V", "X"};
  static const std::set<std::string> oncokb{"1", "2", "3A", "3B", "4", "R1", "R2"};
  static const std::set<std::string> amp{"I", "II", "III", "IV", "I-A", "I-B", "II-C",
                                         "II-D", "IA", "IB", "IIC", "IID"};
  static const std::set<std::string> civic{"A", "B", "C", "D", "E"};
  if (scheme == "ESCAT") return escat.count(tier) > 0;
  if (scheme == "OncoKB") return oncokb.count(tier) > 0;
  if (scheme == "AMP") return amp.count(tier) > 0;
  if (scheme == "CIViC") return civic.count(tier) > 0;
  return false;
}

struct Checker {
  std::vector<ParsedFile> const& files;
  catalog::Catalog const& catalog;
  Diagnostics& diags;
  CheckOptions const& options;
  ir::RuleSet rs;

  // current file during lowering
  SourceFile const* src = nullptr;
  ast::File const* file = nullptr;

  std::unordered_map<std::string, ir::AtomId> atom_index;
  std::unordered_map<std::string, ir::NodeId> node_index;
  std::unordered_map<std::string, ir::NodeId> define_nodes;  // resolved defines
  struct DefineRef {
    std::size_t file;
    std::size_t index;
  };
  std::map<std::string, DefineRef> define_decls;
  std::map<std::string, Span> global_names;  // rules, trials, cohorts, defines

  Span span(ast::Located const& l) const { return Span{src, l.begin, l.end}; }

  // ---- genes and codes --------------------------------------------------------------

  std::optional<std::string> gene(ast::Name const& n) {
    auto look = catalog.genes.lookup(n.text);
    switch (look.match) {
      case catalog::GeneMatch::kApproved:
        return look.symbol;
      case catalog::GeneMatch::kCaseFold:
      case catalog::GeneMatch::kAlias:
      case catalog::GeneMatch::kPrevious: {
        char const* how = look.match == catalog::GeneMatch::kAlias      ? "an alias of"
                          : look.match == catalog::GeneMatch::kPrevious ? "a previous symbol of"
                                                                        : "written in another case for";
        diags.warning("W201", span(n),
                      "gene symbol '" + n.text + "' is " + how + " '" + look.symbol +
                          "'; read as " + look.symbol,
                      {"write '" + look.symbol + "' to silence this warning"});
        return look.symbol;
      }
      case catalog::GeneMatch::kAmbiguous: {
        std::string c;
        for (auto const& s : look.candidates) c += (c.empty() ? "" : ", ") + s;
        diags.error("E202", span(n), "ambiguous gene symbol '" + n.text + "'",
                    {"it is an alias or previous symbol of " + c + "; write the approved symbol"});
        return std::nullopt;
      }
      case catalog::GeneMatch::kUnknown:
        break;
    }
    std::vector<std::string> notes;
    auto sug = catalog.genes.suggest(n.text, 3);
    if (!sug.empty()) notes.push_back("did you mean '" + sug[0] + "'?");
    diags.error("E201", span(n), "unknown gene '" + n.text + "' (not an HGNC symbol)", notes);
    return std::nullopt;
  }

  std::optional<catalog::TumourId> tumour_code(ast::Name const& n) {
    if (auto id = catalog.oncotree.find(n.text)) return id;
    std::vector<std::string> notes;
    auto sug = catalog.oncotree.suggest(n.text, 3);
    if (!sug.empty()) notes.push_back("did you mean '" + sug[0] + "'?");
    diags.error("E211", span(n),
                "unknown OncoTree code '" + n.text + "' (OncoTree " + catalog.oncotree.version() +
                    ")",
                notes);
    return std::nullopt;
  }

  std::optional<hgvs::ProteinChange> protein(ast::Name const& n, bool allow_position) {
    std::string why;
    auto pc = hgvs::parse_protein(n.text, &why);
    if (!pc) {
      diags.error("E221", span(n), "invalid protein change '" + n.text + "': " + why);
      return std::nullopt;
    }
    pc->predicted = false;
    using K = hgvs::EditKind;
    if (pc->kind == K::kSynonymous || pc->kind == K::kUnknown) {
      diags.error("E222", span(n),
                  "'" + n.text + "' does not describe an alteration (synonymous or unknown effect)");
      return std::nullopt;
    }
    if (pc->kind == K::kPosition && !allow_position) {
      diags.error("E222", span(n), "'" + n.text + "' is a position, not a protein change");
      return std::nullopt;
    }
    return pc;
  }

  // ---- atoms and nodes --------------------------------------------------------------

  ir::AtomId intern_atom(ir::Atom a) {
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

  ir::NodeId intern_node(ir::Op op, ir::AtomId atom, std::vector<ir::NodeId> kids) {
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

  std::optional<ir::AtomId> lower_atom(ast::Atom const& a) {
    ir::Atom out;
    out.kind = ir::AtomKind::kGene;
    out.origin = a.origin;
    out.feature = a.feature.kind;
    out.span = span(a);
    bool ok = true;
    for (auto const& g : a.genes) {
      if (auto s = gene(g)) out.genes.push_back(*s);
      else ok = false;
    }
    if (a.gene5) {
      if (auto s = gene(*a.gene5)) out.gene5 = *s;
      else ok = false;
    }
    auto const& f = a.feature;
    switch (f.kind) {
      case ast::FeatureKind::kProtein:
        for (auto const& p : f.proteins) {
          if (auto pc = protein(p, true)) out.proteins.push_back(*pc);
          else ok = false;
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
                      "impossible exon range " + std::to_string(f.exon_first) + "-" +
                          std::to_string(f.exon_last));
          ok = false;
        } else {
          for (auto const& g : out.genes) {
            auto n = catalog.exons.exon_count(g);
            if (n > 0 && f.exon_last > n) {
              diags.error("E223", span(f),
                          g + " has " + std::to_string(n) + " exons on " +
                              catalog.exons.transcript(g) + "; exon " +
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
          if (auto s = gene(*f.partner)) out.partner = *s;
          else ok = false;
        }
        if (!out.gene5.empty() && out.genes.size() == 1 && out.gene5 == out.genes[0]) {
          diags.error("E222", span(a), "a gene cannot be fused with itself here");
          ok = false;
        }
        break;
      default:
        break;
    }
    if (!f.excluding.empty()) {
      // Any feature may be narrowed (dsl.md §2), but a protein change cannot narrow a fusion
      // or a copy-number call: that expression is impossible.
      bool impossible = f.kind == ast::FeatureKind::kFusion ||
                        f.kind == ast::FeatureKind::kAmplification ||
                        f.kind == ast::FeatureKind::kDeletion || a.gene5.has_value();
      if (impossible) {
        diags.error("E222", span(f.excluding.front()),
                    std::string("a protein change cannot narrow ") +
                        (a.gene5 || f.kind == ast::FeatureKind::kFusion ? "a fusion"
                                                                        : "a copy-number feature"));
        ok = false;
      }
      for (auto const& p : f.excluding) {
        if (auto pc = protein(p, false)) out.excluding.push_back(*pc);
        else ok = false;
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
          for (std::size_t i = 0; i < out.proteins.size(); ++i)
            d += (i ? " | " : "") + out.proteins[i].to_string();
          break;
        case ast::FeatureKind::kCodon:
          d += "codon ";
          for (std::size_t i = 0; i < out.codons.size(); ++i)
            d += (i ? ", " : "") + std::to_string(out.codons[i]);
          break;
        case ast::FeatureKind::kExon:
          d += "exon " + std::to_string(out.exon_first);
          if (out.exon_last != out.exon_first) d += "-" + std::to_string(out.exon_last);
          d += std::string(" ") + exon_event_text(out.exon_event);
          break;
        case ast::FeatureKind::kAmplification:
          d += "amplification";
          if (!out.measure.empty())
            d += " (" + out.measure + " " + cmp_text(out.cmp) + " " + num_text(out.threshold) + ")";
          break;
        case ast::FeatureKind::kFusion:
          d += "fusion";
          if (!out.partner.empty()) d += " with " + out.partner;
          break;
        default:
          d += feature_text(f.kind);
      }
    }
    if (!out.excluding.empty()) {
      d += " excluding ";
      for (std::size_t i = 0; i < out.excluding.size(); ++i)
        d += (i ? ", " : "") + out.excluding[i].to_string();
    }
    out.display = d;
    return intern_atom(std::move(out));
  }

  std::optional<ir::AtomId> lower_biomarker(ast::Biomarker const& b) {
    ir::Atom out;
    out.kind = ir::AtomKind::kBiomarker;
    out.span = span(b);
    out.name = model::canonical_biomarker_name(b.name);
    out.cmp = b.cmp;
    out.number = b.number;
    out.text = b.text.empty() ? "" : model::normalise_biomarker_value(out.name, b.text);
    if (!b.number && b.cmp != ast::Cmp::kEq && b.cmp != ast::Cmp::kNe) {
      diags.error("E224", span(b),
                  std::string("'") + cmp_text(b.cmp) + "' compares numbers; '" + b.text +
                      "' is not a number");
      return std::nullopt;
    }
    if (out.name == "MSI" || out.name == "MMR" || out.name == "HRD") {
      if (b.name == "MSI" && b.text == "high" && b.cmp == ast::Cmp::kEq) out.display = "MSI high";
    }
    if (out.display.empty()) {
      if (out.name == "MMR" && out.text == "deficient" && out.cmp == ast::Cmp::kEq) out.display = "dMMR";
      else if (out.name == "MMR" && out.text == "proficient" && out.cmp == ast::Cmp::kEq) out.display = "pMMR";
      else if ((out.name == "MSI" || out.name == "HRD") && out.cmp == ast::Cmp::kEq) out.display = out.name + " " + out.text;
      else out.display = (out.name == "TMB" ? std::string("TMB") : "biomarker " + out.name) + " " +
                         cmp_text(out.cmp) + " " + (out.number ? num_text(*out.number) : out.text);
    }
    return intern_atom(std::move(out));
  }

  std::optional<ir::AtomId> lower_clinical(ast::Clinical const& c) {
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
        out.display = std::string(f) + " " + cmp_text(c.cmp) + " " + num_text(c.number);
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
    }
    return intern_atom(std::move(out));
  }

  std::optional<ir::AtomId> lower_tested(ast::Tested const& t) {
    ir::Atom out;
    out.kind = ir::AtomKind::kTested;
    out.span = span(t);
    out.origin = t.origin;
    bool ok = true;
    std::string d = std::string("tested ") + origin_text(t.origin);
    for (std::size_t i = 0; i < t.genes.size(); ++i) {
      auto const& g = t.genes[i];
      d += (i ? ", " : "") + g.text;
      if (is_biomarker_name(upper(g.text))) {
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

  /// Lower an expression of the current file (recursion bounded by the parser's depth limit).
  std::optional<ir::NodeId> lower_expr(std::uint32_t id) {
    auto const& pool = file->pool;
    auto const& n = pool.nodes[id];
    switch (n.op) {
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
          notes.push_back("'" + name.text +
                          "' is a gene: add a feature, e.g. '" + name.text + " mutation'");
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
          if (auto r = lower_expr(k)) kids.push_back(*r);
          else ok = false;
        }
        if (!ok) return std::nullopt;
        return intern_node(n.op == ast::ExprOp::kAnd ? ir::Op::kAnd : ir::Op::kOr, 0,
                           std::move(kids));
      }
    }
    return std::nullopt;
  }

  std::string closest_define(std::string const& name) const {
    std::string best;
    std::size_t best_d = 3;
    for (auto const& [n, _] : define_decls) {
      // Levenshtein distance, small strings
      std::vector<std::size_t> prev(n.size() + 1), cur(n.size() + 1);
      for (std::size_t j = 0; j <= n.size(); ++j) prev[j] = j;
      for (std::size_t i = 1; i <= name.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= n.size(); ++j)
          cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1,
                             prev[j - 1] + (std::toupper(name[i - 1]) == std::toupper(n[j - 1]) ? 0 : 1)});
        std::swap(prev, cur);
      }
      if (prev[n.size()] < best_d) {
        best_d = prev[n.size()];
        best = n;
      }
    }
    return best;
  }

  void set_file(std::size_t i) {
    src = files[i].source.get();
    file = &files[i].file;
  }

  // ---- pass 1: names ----------------------------------------------------------------

  void declare(std::string const& name, Span s, char const* what) {
    auto [it, inserted] = global_names.emplace(name, s);
    if (!inserted) {
      diags.error("E101", s, std::string("'") + name + "' is already defined (" + what + ")",
                  {"first defined at " + it->second.location()});
    }
  }

  void names() {
    std::optional<Span> ruleset_span;
    for (std::size_t i = 0; i < files.size(); ++i) {
      set_file(i);
      for (auto const& r : file->rulesets) {
        if (ruleset_span) {
          diags.error("E104", span(r), "a rule set has one 'ruleset' declaration",
                      {"first declared at " + ruleset_span->location()});
          continue;
        }
        ruleset_span = span(r);
        rs.name = r.name.text;
        rs.version = r.version.text;
      }
      for (std::size_t d = 0; d < file->defines.size(); ++d) {
        auto const& def = file->defines[d];
        declare(def.name.text, span(def.name), "define");
        define_decls.emplace(def.name.text, DefineRef{i, d});
      }
      for (auto const& b : file->blocks) {
        declare(b.name.text, span(b.name),
                b.kind == ast::BlockKind::kRule    ? "rule"
                : b.kind == ast::BlockKind::kTrial ? "trial"
                                                   : "precision2 cohort");
      }
    }
    if (!ruleset_span && options.require_ruleset) {
      Diagnostic d;
      d.severity = Severity::kError;
      d.code = "E105";
      d.path = files.empty() ? std::string("actionable") : files.front().source->path();
      d.message = "no 'ruleset \"NAME\" version \"V\"' declaration in the rule set";
      diags.add(std::move(d));
    }
  }

  // ---- pass 2: defines (cycles, depth, lowering in dependency order) -----------------

  void collect_refs(ast::File const& f, std::uint32_t root, std::vector<ast::Name const*>& out) {
    std::vector<std::uint32_t> stack{root};
    while (!stack.empty()) {
      auto id = stack.back();
      stack.pop_back();
      auto const& n = f.pool.nodes[id];
      if (n.op == ast::ExprOp::kRef) out.push_back(&f.pool.refs[n.payload]);
      for (auto k : n.kids) stack.push_back(k);
    }
  }

  void defines() {
    // dependency graph among defines
    std::map<std::string, std::vector<std::string>> deps;
    for (auto const& [name, ref] : define_decls) {
      auto const& f = files[ref.file].file;
      std::vector<ast::Name const*> refs;
      collect_refs(f, f.defines[ref.index].expr, refs);
      auto& d = deps[name];
      for (auto const* r : refs)
        if (define_decls.count(r->text)) d.push_back(r->text);
    }
    // iterative DFS: colour 0 white, 1 grey, 2 black; find cycles and a topological order
    std::map<std::string, int> colour;
    std::map<std::string, std::size_t> depth;
    std::vector<std::string> order;
    std::set<std::string> in_cycle;
    for (auto const& [start, _] : define_decls) {
      if (colour[start] != 0) continue;
      std::vector<std::pair<std::string, std::size_t>> stack{{start, 0}};
      std::vector<std::string> path{start};
      colour[start] = 1;
      while (!stack.empty()) {
        auto& [node, next] = stack.back();
        auto const& ds = deps[node];
        if (next < ds.size()) {
          auto const& m = ds[next++];
          if (colour[m] == 1) {
            // cycle: path from m to node
            auto it = std::find(path.begin(), path.end(), m);
            std::string chain;
            for (auto p = it; p != path.end(); ++p) chain += *p + " -> ";
            chain += m;
            bool fresh = true;
            for (auto p = it; p != path.end(); ++p) fresh = in_cycle.insert(*p).second && fresh;
            if (fresh) {
              auto ref = define_decls[m];
              set_file(ref.file);
              diags.error("E103", span(file->defines[ref.index].name),
                          "'define' cycle: " + chain);
            }
          } else if (colour[m] == 0) {
            colour[m] = 1;
            stack.push_back({m, 0});
            path.push_back(m);
          }
        } else {
          std::size_t dd = 0;
          for (auto const& m : ds) dd = std::max(dd, depth[m] + 1);
          depth[node] = dd;
          colour[node] = 2;
          order.push_back(node);
          stack.pop_back();
          path.pop_back();
        }
      }
    }
    for (auto const& name : order) {
      auto ref = define_decls[name];
      set_file(ref.file);
      auto const& def = file->defines[ref.index];
      if (in_cycle.count(name)) continue;
      if (depth[name] > options.max_define_depth) {
        diags.error("E106", span(def.name),
                    "'" + name + "' nests defines " + std::to_string(depth[name]) +
                        " deep (limit " + std::to_string(options.max_define_depth) + ")");
        continue;
      }
      bool deps_ok = true;
      for (auto const& m : deps[name]) deps_ok = deps_ok && define_nodes.count(m);
      if (!deps_ok) continue;
      auto body = lower_expr(def.expr);
      if (!body) continue;
      // A define gets its own node (not shared with identical plain expressions), so that
      // explanations can name it.
      ir::Node n = rs.nodes[*body];
      n.define = name;
      n.define_span = span(def.name);
      rs.nodes.push_back(std::move(n));
      auto id = static_cast<ir::NodeId>(rs.nodes.size() - 1);
      define_nodes[name] = id;
      rs.defines.push_back({name, id, span(def.name)});
    }
  }

  // ---- pass 3: criteria -------------------------------------------------------------

  struct ClauseSet {
    std::vector<ast::Clause const*> by_kind[10];
  };
  ClauseSet clauses_of(std::vector<ast::Clause> const& cs) {
    ClauseSet s;
    for (auto const& c : cs) s.by_kind[static_cast<int>(c.kind)].push_back(&c);
    return s;
  }
  static char const* clause_name(ClauseKind k) {
    switch (k) {
      case ClauseKind::kWhen: return "when";
      case ClauseKind::kTumour: return "tumour";
      case ClauseKind::kRequire: return "require";
      case ClauseKind::kExclude: return "exclude";
      case ClauseKind::kClass: return "class";
      case ClauseKind::kTherapy: return "therapy";
      case ClauseKind::kLevel: return "level";
      case ClauseKind::kCite: return "cite";
      case ClauseKind::kStatus: return "status";
      case ClauseKind::kSite: return "site";
    }
    return "?";
  }
  void allow(ClauseSet const& s, std::initializer_list<ClauseKind> allowed, char const* where) {
    for (int k = 0; k < 10; ++k) {
      bool ok = std::find(allowed.begin(), allowed.end(), static_cast<ClauseKind>(k)) != allowed.end();
      if (ok) continue;
      for (auto const* c : s.by_kind[k])
        diags.error("E246", span(*c),
                    std::string("'") + clause_name(c->kind) + "' is not allowed in " + where);
    }
  }
  void at_most_one(ClauseSet const& s, ClauseKind k) {
    auto const& v = s.by_kind[static_cast<int>(k)];
    for (std::size_t i = 1; i < v.size(); ++i)
      diags.error("E245", span(*v[i]), std::string("duplicate '") + clause_name(k) + "' clause",
                  {"first at " + span(*v[0]).location()});
  }
  ast::Clause const* first(ClauseSet const& s, ClauseKind k) {
    auto const& v = s.by_kind[static_cast<int>(k)];
    return v.empty() ? nullptr : v[0];
  }

  std::string source_text(ast::Located const& l) const {
    std::string t = src->text().substr(l.begin, l.end - l.begin);
    std::string out;
    bool space = false;
    for (char c : t) {
      if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
        space = true;
        continue;
      }
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
    }
    return out;
  }

  bool lower_tumour(ast::TumourSet const& t, ir::TumourSet& out) {
    bool ok = true;
    out.span = span(t);
    for (auto const& c : t.include) {
      out.include_codes.push_back(c.text);
      if (c.text == "SOLID") {
        out.solid = true;
      } else if (c.text == "any" || c.text == "ANY") {
        out.any = true;
      } else if (auto id = tumour_code(c)) {
        out.include.push_back(*id);
      } else {
        ok = false;
      }
    }
    for (auto const& c : t.except) {
      out.except_codes.push_back(c.text);
      if (auto id = tumour_code(c)) out.except.push_back(*id);
      else ok = false;
    }
    return ok;
  }

  std::optional<ir::Status> status(ast::Clause const* c) {
    if (!c) return std::nullopt;
    auto const& v = c->values[0].text;
    if (v == "recruiting") return ir::Status::kRecruiting;
    if (v == "suspended") return ir::Status::kSuspended;
    if (v == "closed") return ir::Status::kClosed;
    diags.error("E247", span(c->values[0]), "unknown status '" + v + "'",
                {"use recruiting, suspended or closed"});
    return std::nullopt;
  }

  /// Fill the matching part of a criterion from clauses (own first, then inherited).
  bool fill(ir::Criterion& cr, ClauseSet const& own, ClauseSet const* inherited, Span owner,
            char const* what) {
    bool ok = true;
    auto pick = [&](ClauseKind k) -> ast::Clause const* {
      if (auto c = first(own, k)) return c;
      return inherited ? first(*inherited, k) : nullptr;
    };
    auto const* when = pick(ClauseKind::kWhen);
    if (!when) {
      diags.error("E241", owner, std::string(what) + " has no 'when' clause");
      ok = false;
    } else if (auto n = lower_expr(when->expr)) {
      cr.when = *n;
      cr.when_span = span(*when);
    } else {
      ok = false;
    }
    auto const* tum = pick(ClauseKind::kTumour);
    if (!tum) {
      diags.error("E242", owner, std::string(what) + " has no 'tumour' clause",
                  {"write 'tumour any' or 'tumour SOLID' for tumour-agnostic criteria"});
      ok = false;
    } else {
      ok = lower_tumour(tum->tumour, cr.tumour) && ok;
    }
    if (auto const* req = pick(ClauseKind::kRequire)) {
      if (auto n = lower_expr(req->expr)) {
        cr.require = *n;
        cr.require_text = source_text(file->pool.nodes[req->expr]);
      } else {
        ok = false;
      }
    }
    auto excl = own.by_kind[static_cast<int>(ClauseKind::kExclude)];
    if (excl.empty() && inherited) excl = inherited->by_kind[static_cast<int>(ClauseKind::kExclude)];
    for (auto const* e : excl) {
      if (auto n = lower_expr(e->expr))
        cr.excludes.push_back({*n, source_text(file->pool.nodes[e->expr]), span(*e)});
      else
        ok = false;
    }
    if (auto const* th = pick(ClauseKind::kTherapy))
      for (auto const& v : th->values) cr.therapies.push_back(v.text);
    for (auto const* c : own.by_kind[static_cast<int>(ClauseKind::kCite)])
      for (auto const& v : c->values) cr.cites.push_back(v.text);
    if (inherited)
      for (auto const* c : inherited->by_kind[static_cast<int>(ClauseKind::kCite)])
        for (auto const& v : c->values)
          if (std::find(cr.cites.begin(), cr.cites.end(), v.text) == cr.cites.end())
            cr.cites.push_back(v.text);
    if (auto const* lv = pick(ClauseKind::kLevel)) {
      auto const& t = lv->values[0].text;
      auto colon = t.find(':');
      std::string scheme = colon == std::string::npos ? t : t.substr(0, colon);
      std::string tier = colon == std::string::npos ? "" : t.substr(colon + 1);
      if (scheme != "ESCAT" && scheme != "OncoKB" && scheme != "AMP" && scheme != "CIViC") {
        diags.error("E231", span(lv->values[0]),
                    "unknown evidence-level scheme '" + scheme + "'",
                    {"use ESCAT:<tier>, OncoKB:<level>, AMP:<tier> or CIViC:<level>"});
        ok = false;
      } else if (!valid_level(scheme, tier)) {
        diags.error("E232", span(lv->values[0]),
                    "'" + tier + "' is not a valid " + scheme + " level");
        ok = false;
      } else {
        cr.level = t;
      }
    }
    return ok;
  }

  void criteria() {
    for (std::size_t i = 0; i < files.size(); ++i) {
      set_file(i);
      for (auto const& b : file->blocks) {
        auto own = clauses_of(b.clauses);
        for (auto k : {ClauseKind::kWhen, ClauseKind::kTumour, ClauseKind::kRequire,
                       ClauseKind::kClass, ClauseKind::kTherapy, ClauseKind::kLevel,
                       ClauseKind::kStatus})
          at_most_one(own, k);
        if (b.kind == ast::BlockKind::kRule) {
          allow(own, {ClauseKind::kWhen, ClauseKind::kTumour, ClauseKind::kRequire,
                      ClauseKind::kExclude, ClauseKind::kClass, ClauseKind::kTherapy,
                      ClauseKind::kLevel, ClauseKind::kCite},
                "a rule");
          ir::Criterion cr;
          cr.kind = ir::CriterionKind::kRule;
          cr.name = b.name.text;
          cr.span = span(b.name);
          bool ok = fill(cr, own, nullptr, span(b.name), ("rule '" + b.name.text + "'").c_str());
          auto const* cls = first(own, ClauseKind::kClass);
          if (!cls) {
            diags.error("E243", span(b.name), "rule '" + b.name.text + "' has no 'class' clause",
                        {"use class approved, standard_of_care or resistance"});
            ok = false;
          } else {
            auto const& v = cls->values[0].text;
            if (v == "approved") cr.cls = ir::Class::kApproved;
            else if (v == "standard_of_care") cr.cls = ir::Class::kStandardOfCare;
            else if (v == "resistance") cr.cls = ir::Class::kResistance;
            else {
              diags.error("E243", span(cls->values[0]), "unknown class '" + v + "'",
                          {"use approved, standard_of_care or resistance (trials and "
                           "PRECISION 2 cohorts have their own blocks)"});
              ok = false;
            }
          }
          if (cr.therapies.empty()) {
            diags.error("E244", span(b.name), "rule '" + b.name.text + "' names no therapy");
            ok = false;
          }
          if (ok) rs.criteria.push_back(std::move(cr));
        } else if (b.kind == ast::BlockKind::kPrecision2) {
          allow(own, {ClauseKind::kWhen, ClauseKind::kTumour, ClauseKind::kRequire,
                      ClauseKind::kExclude, ClauseKind::kTherapy, ClauseKind::kLevel,
                      ClauseKind::kCite, ClauseKind::kStatus},
                "a precision2 cohort");
          ir::Criterion cr;
          cr.kind = ir::CriterionKind::kCohort;
          cr.cls = ir::Class::kPrecision2;
          cr.name = b.name.text;
          cr.title = b.title ? b.title->text : "";
          cr.span = span(b.name);
          bool ok = fill(cr, own, nullptr, span(b.name),
                         ("precision2 cohort '" + b.name.text + "'").c_str());
          if (auto const* st = first(own, ClauseKind::kStatus)) {
            if (auto s = status(st)) cr.status = *s;
            else ok = false;
          } else {
            diags.warning("W250", span(b.name),
                          "precision2 cohort '" + b.name.text + "' has no status; assuming recruiting");
          }
          if (ok) rs.criteria.push_back(std::move(cr));
        } else {  // trial
          allow(own, {ClauseKind::kWhen, ClauseKind::kTumour, ClauseKind::kRequire,
                      ClauseKind::kExclude, ClauseKind::kTherapy, ClauseKind::kCite,
                      ClauseKind::kStatus, ClauseKind::kSite},
                "a trial");
          ir::Status trial_status = ir::Status::kRecruiting;
          if (auto const* st = first(own, ClauseKind::kStatus)) {
            if (auto s = status(st)) trial_status = *s;
          } else {
            diags.warning("W250", span(b.name),
                          "trial '" + b.name.text + "' has no status; assuming recruiting");
          }
          std::vector<std::string> sites;
          for (auto const* c : own.by_kind[static_cast<int>(ClauseKind::kSite)])
            for (auto const& v : c->values) sites.push_back(v.text);
          if (b.arms.empty()) {
            diags.error("E249", span(b.name), "trial '" + b.name.text + "' has no arm",
                        {"add arm \"A\" { when …  tumour … }"});
          }
          std::set<std::string> arm_names;
          for (auto const& arm : b.arms) {
            if (!arm_names.insert(arm.name.text).second)
              diags.error("E248", span(arm.name),
                          "trial '" + b.name.text + "' has two arms named \"" + arm.name.text + "\"");
            auto aown = clauses_of(arm.clauses);
            for (auto k : {ClauseKind::kWhen, ClauseKind::kTumour, ClauseKind::kRequire,
                           ClauseKind::kTherapy, ClauseKind::kStatus})
              at_most_one(aown, k);
            allow(aown, {ClauseKind::kWhen, ClauseKind::kTumour, ClauseKind::kRequire,
                         ClauseKind::kExclude, ClauseKind::kTherapy, ClauseKind::kCite,
                         ClauseKind::kStatus},
                  "a trial arm");
            ir::Criterion cr;
            cr.kind = ir::CriterionKind::kArm;
            cr.cls = ir::Class::kMatchedTrial;
            cr.name = b.name.text;
            cr.arm = arm.name.text;
            cr.title = b.title ? b.title->text : "";
            cr.span = span(arm.name);
            cr.sites = sites;
            bool ok = fill(cr, aown, &own, span(arm.name),
                           ("arm \"" + arm.name.text + "\" of trial '" + b.name.text + "'").c_str());
            cr.status = trial_status;
            if (auto const* st = first(aown, ClauseKind::kStatus)) {
              if (auto s = status(st)) {
                if (static_cast<int>(*s) > static_cast<int>(cr.status)) cr.status = *s;
              } else {
                ok = false;
              }
            }
            if (ok) rs.criteria.push_back(std::move(cr));
          }
        }
      }
    }
  }

  // ---- pass 4: tests ----------------------------------------------------------------

  bool is_string_token(ast::Name const& n) const {
    return n.begin < src->text().size() && src->text()[n.begin] == '"';
  }

  void tests() {
    std::set<std::string> criterion_names;
    for (auto const& c : rs.criteria) criterion_names.insert(c.name);
    static const std::set<std::string> class_expect{
        "approved", "standard_of_care", "resistance", "matched_trial", "precision2_candidate",
        "indeterminate", "suppressed", "off_label", "excluded", "rule"};
    static const std::set<std::string> options_set{"standard_of_care", "matched_trial",
                                                   "precision2", "empirical"};
    for (std::size_t i = 0; i < files.size(); ++i) {
      set_file(i);
      for (auto const& t : file->tests) {
        ir::TestCase tc;
        tc.title = t.title.text;
        tc.span = span(t);
        bool ok = true;
        bool has_tumour = false;
        auto& p = tc.patient;
        p.id = "test:" + t.title.text;
        for (auto const& it : t.patient) {
          model::Origin origin =
              it.origin == ast::Origin::kGermline ? model::Origin::kGermline : model::Origin::kSomatic;
          switch (it.kind) {
            case ast::PatientItemKind::kTumour:
              if (auto id = tumour_code(it.value)) {
                p.tumour = *id;
                p.tumour_code = it.value.text;
                has_tumour = true;
              } else {
                ok = false;
              }
              break;
            case ast::PatientItemKind::kAge: p.age = it.number; break;
            case ast::PatientItemKind::kLines: p.lines = it.number; break;
            case ast::PatientItemKind::kEcog: p.ecog = it.number; break;
            case ast::PatientItemKind::kSex: {
              auto v = upper(it.value.text);
              p.sex = v == "FEMALE" ? "F" : v == "MALE" ? "M" : v;
              break;
            }
            case ast::PatientItemKind::kStage: p.stage = it.value.text; break;
            case ast::PatientItemKind::kPrior: {
              if (!p.treatments) p.treatments.emplace();
              model::Treatment tr;
              for (auto const& d : it.names) tr.drugs.push_back(lower(d.text));
              p.treatments->push_back(std::move(tr));
              break;
            }
            case ast::PatientItemKind::kTested: {
              model::Test test;
              test.origin = origin;
              test.method = "NGS";
              for (auto const& g : it.names) {
                if (is_biomarker_name(upper(g.text))) {
                  model::Test bt;
                  bt.biomarker = model::canonical_biomarker_name(g.text);
                  p.tests.push_back(bt);
                } else if (auto s = gene(g)) {
                  test.genes.push_back(*s);
                } else {
                  ok = false;
                }
              }
              std::sort(test.genes.begin(), test.genes.end());
              if (!test.genes.empty()) p.tests.push_back(std::move(test));
              break;
            }
            case ast::PatientItemKind::kBiomarker: {
              model::Finding f;
              f.type = model::FindingType::kBiomarker;
              f.name = model::canonical_biomarker_name(it.value.text);
              f.number = it.number;
              if (!it.text.empty()) f.value = model::normalise_biomarker_value(f.name, it.text);
              p.findings.push_back(std::move(f));
              break;
            }
            case ast::PatientItemKind::kVariant: {
              model::Finding f;
              f.origin = origin;
              auto g = gene(it.gene);
              std::string why;
              auto pc = hgvs::parse_protein(it.value.text, &why);
              if (!pc) {
                diags.error("E221", span(it.value),
                            "invalid protein change '" + it.value.text + "': " + why);
                ok = false;
              }
              if (!g) ok = false;
              if (g && pc) {
                f.gene = *g;
                f.protein = *pc;
                if (it.number) f.exon = static_cast<int>(*it.number);
                f.classification = it.text;
                p.findings.push_back(std::move(f));
              }
              break;
            }
            case ast::PatientItemKind::kFusion: {
              model::Finding f;
              f.type = model::FindingType::kFusion;
              f.origin = origin;
              auto g3 = gene(it.gene);
              if (!g3) ok = false;
              if (it.gene5) {
                auto g5 = gene(*it.gene5);
                if (!g5) ok = false;
                if (g5 && g3) {
                  f.gene5 = *g5;
                  f.gene3 = *g3;
                  f.gene = *g3;
                  f.partner_resolved = true;
                  p.findings.push_back(std::move(f));
                }
              } else if (g3) {
                f.gene3 = *g3;
                f.gene = *g3;
                f.partner_resolved = false;
                f.method = "FISH";
                p.findings.push_back(std::move(f));
              }
              break;
            }
            case ast::PatientItemKind::kAmplification:
            case ast::PatientItemKind::kDeletion: {
              model::Finding f;
              f.type = model::FindingType::kCnv;
              f.origin = origin;
              auto g = gene(it.gene);
              if (!g) {
                ok = false;
                break;
              }
              f.gene = *g;
              f.call = it.kind == ast::PatientItemKind::kDeletion ? "deletion" : "amplification";
              if (it.number) {
                if (it.measure == "ratio") f.ratio = *it.number;
                else f.copies = *it.number;
              }
              p.findings.push_back(std::move(f));
              break;
            }
            case ast::PatientItemKind::kExonSkipping: {
              model::Finding f;
              f.type = model::FindingType::kExonSkipping;
              f.origin = origin;
              auto g = gene(it.gene);
              if (!g) {
                ok = false;
                break;
              }
              f.gene = *g;
              f.exons = {static_cast<int>(*it.number)};
              p.findings.push_back(std::move(f));
              break;
            }
          }
        }
        if (!has_tumour) {
          diags.error("E264", span(t.title), "test \"" + t.title.text + "\": the patient has no tumour",
                      {"add e.g. 'tumour LUAD' to the patient block"});
          ok = false;
        }
        for (auto const& e : t.expects) {
          ir::Expectation x;
          x.negated = e.negated;
          x.what = e.what.text;
          x.span = span(e);
          if (e.target) {
            x.target = e.target->text;
            x.target_is_string = is_string_token(*e.target);
          }
          if (e.arm) x.arm = e.arm->text;
          if (class_expect.count(x.what)) {
            if (e.target && !is_string_token(*e.target) && !criterion_names.count(x.target)) {
              diags.error("E262", span(*e.target),
                          "no rule, trial or cohort named '" + x.target + "'");
              ok = false;
            }
            if (x.what == "rule" && !e.target) {
              diags.error("E263", span(e), "'expect rule' needs a rule name");
              ok = false;
            }
          } else if (x.what == "pathway" || x.what == "option") {
            if (!e.target || !options_set.count(x.target)) {
              diags.error("E263", span(e),
                          "'expect " + x.what +
                              "' takes standard_of_care, matched_trial, precision2 or empirical");
              ok = false;
            }
          } else if (x.what == "coverage") {
            if (!e.target || (x.target != "assumed" && x.target != "declared")) {
              diags.error("E263", span(e), "'expect coverage' takes assumed or declared");
              ok = false;
            }
          } else {
            diags.error("E261", span(e.what), "unknown expectation '" + x.what + "'",
                        {"use approved, standard_of_care, resistance, matched_trial, "
                         "precision2_candidate, indeterminate, suppressed, off_label, excluded, "
                         "rule, pathway, option or coverage"});
            ok = false;
          }
          tc.expects.push_back(std::move(x));
        }
        if (ok) rs.tests.push_back(std::move(tc));
      }
    }
  }
};

}  // namespace

std::optional<ir::RuleSet> check(std::vector<ParsedFile> const& files,
                                 catalog::Catalog const& catalog, Diagnostics& diags,
                                 CheckOptions const& options) {
  std::size_t errors_before = diags.error_count();
  Checker c{files, catalog, diags, options, {}};
  for (auto const& f : files) c.rs.sources.push_back(f.source);
  c.names();
  c.defines();
  c.criteria();
  c.tests();
  if (diags.error_count() != errors_before) return std::nullopt;
  return std::move(c.rs);
}

}  // namespace actionable::sema
