// CIViC molecular profile → rule expression: "GENE VARIANT" segments, AND / OR / NOT kept.
#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <sstream>

#include "actionable/import/civic.hpp"
#include "actionable/model/hgvs.hpp"

namespace actionable::import {

namespace {

struct Failure {
  std::string reason, detail;
};

struct Translator {
  catalog::Catalog const& cat;
  std::string origin;  // "somatic " / "germline " / ""
  std::vector<std::string>* notes;
  std::optional<Failure> failure;

  bool fail(std::string reason, std::string detail) {
    if (!failure) failure = Failure{std::move(reason), std::move(detail)};
    return false;
  }

  std::optional<std::string> gene(std::string const& sym) {
    auto g = cat.genes.lookup(sym);
    if (!g.resolved()) {
      fail("unknown gene", sym + (g.match == catalog::GeneMatch::kAmbiguous ? " (ambiguous symbol)" : ""));
      return std::nullopt;
    }
    if (g.symbol != sym && notes)
      notes->push_back("gene symbol " + sym + " read as the HGNC approved symbol " + g.symbol);
    return g.symbol;
  }

  /// One "GENE VARIANT NAME" segment.
  std::optional<std::string> segment(std::vector<std::string> const& toks) {
    std::string whole;
    for (auto const& t : toks) whole += (whole.empty() ? "" : " ") + t;
    if (toks.size() < 2) {
      fail("unparseable variant", whole);
      return std::nullopt;
    }
    std::string sym = toks[0];
    std::string name;
    for (std::size_t i = 1; i < toks.size(); ++i) name += (i > 1 ? " " : "") + toks[i];
    std::string U = upper(name);

    // Biomarkers named like genes.
    if (sym == "MSI" && (U == "HIGH" || U == "MSI-H")) return std::string("MSI high");
    if (sym == "TMB") {
      fail("biomarker without a threshold", whole);
      return std::nullopt;
    }

    // Fusions written A::B.
    auto sep = sym.find("::");
    if (sep != std::string::npos) {
      std::string a = sym.substr(0, sep), b = sym.substr(sep + 2);
      bool a_any = a == "v" || a == "?", b_any = b == "v" || b == "?";
      if (U != "FUSION" && U != "FUSIONS") {
        fail("unparseable variant", whole + " (a fusion breakpoint or exon junction is not expressible)");
        return std::nullopt;
      }
      if (a_any && b_any) {
        fail("unparseable variant", whole);
        return std::nullopt;
      }
      if (a_any || b_any) {
        auto g = gene(a_any ? b : a);
        if (!g) return std::nullopt;
        if (notes)
          notes->push_back(
              whole + ": partner unspecified; `" + *g +
              " fusion` matches either orientation (the rule language fixes the order only with a named partner)");
        return origin + *g + " fusion";
      }
      auto ga = gene(a);
      auto gb = gene(b);
      if (!ga || !gb) return std::nullopt;
      if (*ga == *gb) {
        fail("unparseable variant", whole + " (a gene fused with itself)");
        return std::nullopt;
      }
      return origin + *ga + "::" + *gb + " fusion";
    }

    auto g = gene(sym);
    if (!g) return std::nullopt;
    std::string G = origin + *g;

    static const std::map<std::string, std::string> plain = {
        {"MUTATION", "mutation"},
        {"MUTATIONS", "mutation"},
        {"AMPLIFICATION", "amplification"},
        {"DELETION", "deletion"},
        {"WILDTYPE", "wildtype"},
        {"WILD TYPE", "wildtype"},
        {"FUSION", "fusion"},
        {"FUSIONS", "fusion"},
        {"REARRANGEMENT", "fusion"},
        {"TRANSLOCATION", "fusion"},
        {"ACTIVATING MUTATION", "oncogenic"},
        {"GAIN-OF-FUNCTION", "oncogenic"},
        {"ONCOGENIC MUTATION", "oncogenic"},
        {"TRUNCATING MUTATION", "truncating"},
        {"MISSENSE MUTATION", "missense"},
        {"MISSENSE", "missense"},
    };
    if (auto it = plain.find(U); it != plain.end()) return G + " " + it->second;
    // "Loss" of a mismatch-repair gene: CIViC uses it for loss of the MMR protein (the items'
    // statements name IHC; NCI-MATCH arm Z1D defines MMR deficiency as MLH1 or MSH2 protein loss
    // by IHC). The protein atom `MSH2 IHC loss` says exactly that. A tumour IHC result has no
    // germline origin, so a germline "Loss" stays untranslated.
    if (U == "LOSS" && (*g == "MLH1" || *g == "MSH2" || *g == "MSH6" || *g == "PMS2") &&
        origin.rfind("germline", 0) != 0) {
      if (notes) notes->push_back("MMR protein loss read as IHC loss: " + whole + " -> " + *g + " IHC loss");
      return *g + " IHC loss";
    }
    if (U == "LOSS-OF-FUNCTION" || U == "LOSS OF FUNCTION" || U == "DELETERIOUS MUTATION" ||
        U == "INACTIVATING MUTATION")
      return "(" + G + " oncogenic or " + G + " deletion)";

    // Exons.
    static const std::regex exon_re(
        R"(^EXON (\d+)(?:-(\d+))? (DELETION|DEL|INSERTION|INS|SKIPPING MUTATION|SKIPPING|MUTATION|MISSENSE MUTATION|MISSENSE|TRUNCATING MUTATION|SPLICE SITE MUTATION)$)");
    std::smatch m;
    if (std::regex_match(U, m, exon_re)) {
      int first = std::stoi(m[1]);
      int last = m[2].matched ? std::stoi(m[2]) : first;
      int count = cat.exons.exon_count(*g);
      if (count == 0 || last > count || first < 1 || last < first) {
        fail("not in the exon table",
             whole + (count == 0 ? " (" + *g + " has no reference transcript in the shipped exon table)" : ""));
        return std::nullopt;
      }
      std::string ev = m[3];
      std::string feature = (ev == "DELETION" || ev == "DEL")                 ? "deletion"
                            : (ev == "INSERTION" || ev == "INS")              ? "insertion"
                            : (ev == "SKIPPING" || ev == "SKIPPING MUTATION") ? "skipping"
                            : (ev == "MISSENSE" || ev == "MISSENSE MUTATION") ? "missense"
                            : ev == "TRUNCATING MUTATION"                     ? "truncating"
                            : ev == "SPLICE SITE MUTATION"                    ? "splice"
                                                                              : "mutation";
      std::string range = std::to_string(first) + (last != first ? "-" + std::to_string(last) : "");
      return G + " exon " + range + " " + feature;
    }

    // Several codons: G12/G13.
    static const std::regex codons_re(R"(^[A-Z](\d+)(?:/[A-Z](\d+))+$)");
    if (std::regex_match(U, codons_re)) {
      static const std::regex num_re(R"(\d+)");
      std::string list;
      for (auto it = std::sregex_iterator(U.begin(), U.end(), num_re); it != std::sregex_iterator(); ++it)
        list += (list.empty() ? "" : ", ") + it->str();
      return G + " codon " + list;
    }

    // Protein changes (CIViC writes 1-letter changes, sometimes upper-cased keywords).
    std::string p = name;
    static const std::regex paren_c(R"(\s*\(c\.[^)]*\)\s*$)");
    p = std::regex_replace(p, paren_c, "");
    static const std::regex prot_re(R"(^([A-Za-z*])(\d+)(?:_([A-Za-z])(\d+))?(.*)$)");
    std::smatch pm;
    if (std::regex_match(p, pm, prot_re) && std::isupper(static_cast<unsigned char>(p[0]))) {
      std::string head = pm[1].str() + pm[2].str() + (pm[3].matched ? "_" + pm[3].str() + pm[4].str() : "");
      std::string tail = pm[5];
      std::string T = upper(tail);
      std::string fixed;
      if (tail.empty())
        fixed = head;
      else if (T.rfind("DELINS", 0) == 0)
        fixed = head + "delins" + tail.substr(6);
      else if (T.rfind(">", 0) == 0 && pm[3].matched)
        fixed = head + "delins" + tail.substr(1);  // E746_T751>I
      else if (T.rfind("DUP", 0) == 0) {
        // "A767_V769dupASV": HGVS dup names no residues; accept only when they repeat the range.
        std::string res = upper(tail.substr(3));
        if (!res.empty()) {
          int a = std::stoi(pm[2]);
          int b = pm[3].matched ? std::stoi(pm[4]) : a;
          if (static_cast<int>(res.size()) != b - a + 1 || res.front() != upper(pm[1].str())[0] ||
              (pm[3].matched && res.back() != upper(pm[3].str())[0])) {
            fail("unparseable variant", whole);
            return std::nullopt;
          }
        }
        fixed = head + "dup";
      } else if (T.rfind("DEL", 0) == 0)
        fixed = head + "del" + tail.substr(3);
      else if (T.rfind("INS", 0) == 0)
        fixed = head + "ins" + upper(tail.substr(3));
      else if (T.rfind("FS", 0) == 0)
        fixed = head + "fs" + tail.substr(2);
      else if (T.size() == 1 && (std::isalpha(static_cast<unsigned char>(T[0])) || T[0] == '*'))
        fixed = head + T;
      else
        fixed = head + tail;
      std::string err;
      if (auto pc = hgvs::parse_protein(fixed, &err)) {
        if (pc->kind == hgvs::EditKind::kSynonymous || pc->kind == hgvs::EditKind::kUnknown) {
          fail("unparseable variant", whole + " (synonymous or unknown change)");
          return std::nullopt;
        }
        return G + " " + pc->to_string();
      }
    }

    // Not translatable: say why, by kind.
    static const std::vector<std::pair<std::string, std::string>> protein_expression = {
        {"CD274 EXPRESSION", "PDL1"}, {"ERBB2 OVEREXPRESSION", "HER2"}, {"MET OVEREXPRESSION", "MET IHC"}};
    for (auto const& [name_u, atom] : protein_expression)
      if (upper(sym + " " + name) == name_u) {
        fail("expression or epigenetic marker",
             whole + " (the protein atom " + atom + " exists, but CIViC names no method, score or cut-off)");
        return std::nullopt;
      }
    if (U == "ITD" || U == "INTERNAL TANDEM DUPLICATION") {
      fail("unparseable variant",
           whole + " (no internal-tandem-duplication atom; `inframe` would also match deletions)");
      return std::nullopt;
    }
    if (*g == "EGFR" && (U == "VIII" || U == "EGFRVIII")) {
      fail("unparseable variant",
           whole + " (EGFRvIII deletes exons 2-7; `exon 2-7 skipping` would also match skipping of any one of them)");
      return std::nullopt;
    }
    if (U == "LOSS") {
      fail("unparseable variant",
           whole + " (Loss is ambiguous: copy-number loss, loss of expression or loss of function)");
      return std::nullopt;
    }
    if (U.find("DOMAIN") != std::string::npos || U.find("TKD") != std::string::npos ||
        U.find("P-LOOP") != std::string::npos) {
      fail("unparseable variant", whole + " (a protein domain: the source gives no residue range)");
      return std::nullopt;
    }
    if (U.find("FRAMESHIFT") != std::string::npos) {
      fail("unparseable variant", whole + " (no frameshift class atom; `truncating` is wider)");
      return std::nullopt;
    }
    static const std::vector<std::string> expression = {"EXPRESSION", "SERUM",      "PHOSPHORYLATION", "METHYLATION",
                                                        "ISOFORM",    "TRANSCRIPT", "AR-V7",           "NUCLEAR"};
    for (auto const& k : expression)
      if (U.find(k) != std::string::npos) {
        fail("expression or epigenetic marker", whole);
        return std::nullopt;
      }
    static const std::regex dna_re(R"(^RS\d+|C\.|\*\d|HOMOZYGOSITY|POLYMORPHISM|GENOTYPE|SPLICE SITE \()");
    if (std::regex_search(U, dna_re)) {
      fail("DNA-level or pharmacogenomic variant", whole);
      return std::nullopt;
    }
    fail("unparseable variant", whole);
    return std::nullopt;
  }
};

struct Node {
  enum Kind { kAtom, kAnd, kOr, kNot } kind = kAtom;
  std::string text;  // atom
  std::vector<Node> kids;
};

struct ProfileParser {
  std::vector<std::string> toks;
  std::size_t pos = 0;
  Translator& tr;
  bool ok = true;

  static bool is_op(std::string const& t) { return t == "AND" || t == "OR" || t == "NOT" || t == "(" || t == ")"; }

  // parse_or and parse_and are the two precedence levels of one loop; written out, each says which
  // operator it joins and which level it descends to.
  std::optional<Node> parse_or() {
    auto l = parse_and();
    if (!l) return std::nullopt;
    Node n{Node::kOr, "", {*l}};
    while (pos < toks.size() && toks[pos] == "OR") {
      ++pos;
      auto r = parse_and();
      if (!r) return std::nullopt;
      n.kids.push_back(*r);
    }
    return n.kids.size() == 1 ? n.kids[0] : n;
  }
  std::optional<Node> parse_and() {
    auto l = parse_unary();
    if (!l) return std::nullopt;
    Node n{Node::kAnd, "", {*l}};
    while (pos < toks.size() && toks[pos] == "AND") {
      ++pos;
      auto r = parse_unary();
      if (!r) return std::nullopt;
      n.kids.push_back(*r);
    }
    return n.kids.size() == 1 ? n.kids[0] : n;
  }
  std::optional<Node> parse_unary() {
    if (pos >= toks.size()) return std::nullopt;
    if (toks[pos] == "NOT") {
      ++pos;
      auto k = parse_unary();
      if (!k) return std::nullopt;
      return Node{Node::kNot, "", {*k}};
    }
    if (toks[pos] == "(") {
      ++pos;
      auto e = parse_or();
      if (!e || pos >= toks.size() || toks[pos] != ")") return std::nullopt;
      ++pos;
      return e;
    }
    std::vector<std::string> seg;
    while (pos < toks.size() && !is_op(toks[pos])) seg.push_back(toks[pos++]);
    if (seg.empty()) return std::nullopt;
    auto t = tr.segment(seg);
    if (!t) {
      ok = false;
      return Node{Node::kAtom, "", {}};  // keep parsing; the failure is recorded
    }
    return Node{Node::kAtom, *t, {}};
  }
};

std::string render(Node const& n) {
  switch (n.kind) {
    case Node::kAtom: return n.text;
    case Node::kNot: {
      auto const& k = n.kids[0];
      return k.kind == Node::kAtom || k.kind == Node::kNot ? "not " + render(k) : "not (" + render(k) + ")";
    }
    // The and/or rendering of ctml_expr.cpp's render(), for CIViC's own Node: the two trees differ in
    // their kinds (kAtom/kNot vs kLeaf) and in when 'not' needs parentheses.
    case Node::kAnd: {
      std::string s;
      for (auto const& k : n.kids)
        s += (s.empty() ? "" : " and ") + (k.kind == Node::kOr ? "(" + render(k) + ")" : render(k));
      return s;
    }
    case Node::kOr: {
      std::string s;
      for (auto const& k : n.kids) s += (s.empty() ? "" : " or ") + render(k);
      return s;
    }
  }
  return "";
}

}  // namespace

// ---- profile translation -------------------------------------------------------------------

std::optional<std::string> civic_profile_expression(std::string_view profile, std::string const& origin,
                                                    catalog::Catalog const& catalog, std::string* reason,
                                                    std::string* detail, std::vector<std::string>* notes) {
  std::string pre = origin.empty() ? "" : origin + " ";
  Translator tr{catalog, pre, notes, std::nullopt};
  std::vector<std::string> toks;
  {
    std::istringstream in{std::string(profile)};
    std::string t;
    while (in >> t) toks.push_back(t);
  }
  ProfileParser p{toks, 0, tr};
  auto node = p.parse_or();
  if (tr.failure) {
    if (reason) *reason = tr.failure->reason;
    if (detail) *detail = tr.failure->detail;
    return std::nullopt;
  }
  if (!node || !p.ok || p.pos != toks.size()) {
    if (reason) *reason = "unparseable variant";
    if (detail) *detail = std::string(profile) + " (profile syntax)";
    return std::nullopt;
  }
  return render(*node);
}

}  // namespace actionable::import
