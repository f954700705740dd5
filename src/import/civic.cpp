// CIViC clinical evidence TSV → rule files (include/actionable/import/civic.hpp, docs/civic.md).
#include "actionable/import/civic.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iomanip>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "actionable/model/hgvs.hpp"
#include "../io/readers/utf8.hpp"

namespace actionable::import {

namespace {

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t b = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.emplace_back(s.substr(b, i - b));
      b = i + 1;
    }
  }
  return out;
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (b < text.size()) {
    auto e = text.find('\n', b);
    if (e == std::string_view::npos) e = text.size();
    std::string line(text.substr(b, e - b));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(std::move(line));
    b = e + 1;
  }
  return out;
}

std::string normalise_doid(std::string_view doid) {
  std::string d = trim(std::string(doid));
  if (d.empty()) return d;
  if (d.rfind("DOID:", 0) == 0) return d;
  return "DOID:" + d;
}

bool all_digits(std::string const& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// ---- molecular profile → expression -------------------------------------------------------

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
          notes->push_back(whole + ": partner unspecified; `" + *g +
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
        {"MUTATION", "mutation"},          {"MUTATIONS", "mutation"},
        {"AMPLIFICATION", "amplification"}, {"DELETION", "deletion"},
        {"WILDTYPE", "wildtype"},          {"WILD TYPE", "wildtype"},
        {"FUSION", "fusion"},              {"FUSIONS", "fusion"},
        {"REARRANGEMENT", "fusion"},       {"TRANSLOCATION", "fusion"},       {"ACTIVATING MUTATION", "oncogenic"},
        {"GAIN-OF-FUNCTION", "oncogenic"}, {"ONCOGENIC MUTATION", "oncogenic"},
        {"TRUNCATING MUTATION", "truncating"}, {"MISSENSE MUTATION", "missense"},
        {"MISSENSE", "missense"},
    };
    if (auto it = plain.find(U); it != plain.end()) return G + " " + it->second;
    if (U == "LOSS-OF-FUNCTION" || U == "LOSS OF FUNCTION" || U == "DELETERIOUS MUTATION" ||
        U == "INACTIVATING MUTATION")
      return "(" + G + " oncogenic or " + G + " deletion)";

    // Exons.
    static const std::regex exon_re(R"(^EXON (\d+)(?:-(\d+))? (DELETION|DEL|INSERTION|INS|SKIPPING MUTATION|SKIPPING|MUTATION|MISSENSE MUTATION|MISSENSE|TRUNCATING MUTATION|SPLICE SITE MUTATION)$)");
    std::smatch m;
    if (std::regex_match(U, m, exon_re)) {
      int first = std::stoi(m[1]);
      int last = m[2].matched ? std::stoi(m[2]) : first;
      int count = cat.exons.exon_count(*g);
      if (count == 0 || last > count || first < 1 || last < first) {
        fail("not in the exon table", whole + (count == 0 ? " (" + *g + " has no reference transcript in the shipped exon table)" : ""));
        return std::nullopt;
      }
      std::string ev = m[3];
      std::string feature = (ev == "DELETION" || ev == "DEL") ? "deletion" : (ev == "INSERTION" || ev == "INS") ? "insertion"
                          : (ev == "SKIPPING" || ev == "SKIPPING MUTATION") ? "skipping"
                          : (ev == "MISSENSE" || ev == "MISSENSE MUTATION") ? "missense"
                          : ev == "TRUNCATING MUTATION" ? "truncating"
                          : ev == "SPLICE SITE MUTATION" ? "splice" : "mutation";
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
      if (tail.empty()) fixed = head;
      else if (T.rfind("DELINS", 0) == 0) fixed = head + "delins" + tail.substr(6);
      else if (T.rfind(">", 0) == 0 && pm[3].matched) fixed = head + "delins" + tail.substr(1);  // E746_T751>I
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
      } else if (T.rfind("DEL", 0) == 0) fixed = head + "del" + tail.substr(3);
      else if (T.rfind("INS", 0) == 0) fixed = head + "ins" + upper(tail.substr(3));
      else if (T.rfind("FS", 0) == 0) fixed = head + "fs" + tail.substr(2);
      else if (T.size() == 1 && (std::isalpha(static_cast<unsigned char>(T[0])) || T[0] == '*')) fixed = head + T;
      else fixed = head + tail;
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
    static const std::vector<std::string> expression = {"EXPRESSION", "SERUM", "PHOSPHORYLATION", "METHYLATION",
                                                        "ISOFORM", "TRANSCRIPT", "AR-V7", "NUCLEAR"};
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

std::string origin_prefix(std::string const& variant_origin) {
  if (variant_origin == "Somatic") return "somatic ";
  if (variant_origin == "Rare Germline" || variant_origin == "Common Germline") return "germline ";
  return "";
}

/// The gene whose file a profile goes to: the first gene named; for an A::B fusion the partner
/// seen more often on its own in the input (ties: the 3' gene); v/? partners are skipped.
std::string file_gene(std::string const& profile, std::map<std::string, std::size_t> const& solo) {
  std::istringstream in(profile);
  std::string tok;
  while (in >> tok) {
    if (tok == "NOT" || tok == "(" || tok == "AND" || tok == "OR") continue;
    auto sep = tok.find("::");
    if (sep == std::string::npos) return tok;
    std::string a = tok.substr(0, sep), b = tok.substr(sep + 2);
    if (a == "v" || a == "?") return b;
    if (b == "v" || b == "?") return a;
    auto ca = solo.count(a) ? solo.at(a) : 0, cb = solo.count(b) ? solo.at(b) : 0;
    return ca > cb ? a : b;
  }
  return "misc";
}

std::string therapy_text(std::string const& therapies, std::string const& interaction,
                         std::vector<std::string>& out) {
  std::vector<std::string> names;
  for (auto& t : split(therapies, ',')) {
    auto n = lower(trim(t));
    if (!n.empty()) names.push_back(n);
  }
  if (names.empty()) return "";
  if (names.size() == 1 || interaction == "Substitutes" || interaction.empty()) {
    out = names;
    return interaction.empty() && names.size() > 1 ? "unspecified" : "";
  }
  std::string joined;
  std::string sep = interaction == "Sequential" ? " followed by " : " + ";
  for (auto const& n : names) joined += (joined.empty() ? "" : sep) + n;
  out = {joined};
  return "";
}

std::string percent(std::size_t a, std::size_t b) {
  if (b == 0) return "n/a";
  std::ostringstream o;
  o << std::fixed << std::setprecision(1) << (100.0 * static_cast<double>(a) / static_cast<double>(b)) << "%";
  return o.str();
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
  auto header = split(lines[0], '\t');
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
    auto f = split(lines[i], '\t');
    auto get = [&](int c) { return c >= 0 && static_cast<std::size_t>(c) < f.size() ? f[static_cast<std::size_t>(c)] : std::string(); };
    Entry e;
    e.doid = normalise_doid(get(c_doid));
    e.disease = get(c_name);
    for (auto& c : split(get(c_codes), ',')) {
      auto t = trim(c);
      if (!t.empty()) e.codes.push_back(t);
    }
    e.mapping = get(c_map);
    e.review = get(c_rev);
    e.note = get(c_note);
    std::size_t idx = m.entries_.size();
    if (!e.doid.empty()) m.by_doid_.emplace(e.doid, idx);
    else if (!e.disease.empty()) m.by_name_.emplace(lower(e.disease), idx);
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

// ---- the import ----------------------------------------------------------------------------

CivicResult import_civic(std::string_view tsv, std::string const& origin_name, DiseaseMap const& diseases,
                         std::shared_ptr<catalog::Catalog const> const& catalog, CivicOptions const& options) {
  CivicResult res;
  auto lines = lines_of(tsv);
  if (lines.empty()) {
    res.errors.push_back(origin_name + ": empty file");
    return res;
  }
  auto header = split(lines[0], '\t');
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < header.size(); ++i) col[trim(header[i])] = i;
  for (char const* need : {"molecular_profile", "disease", "doid", "therapies", "therapy_interaction_type",
                           "evidence_type", "evidence_direction", "evidence_level", "significance",
                           "citation_id", "source_type", "rating", "evidence_id", "variant_origin"}) {
    if (!col.count(need)) {
      res.errors.push_back(origin_name + ":1: missing column '" + std::string(need) + "' (not a CIViC evidence TSV?)");
      return res;
    }
  }
  struct Row {
    std::size_t line;
    std::vector<std::string> f;
  };
  std::vector<Row> rows;
  std::string newest;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    if (auto bad = io::detail::utf8_problem(lines[i]); !bad.empty()) {
      // The generated rule files must be UTF-8 (E006): the row is left out, and said so.
      res.errors.push_back(origin_name + ":" + std::to_string(i + 1) + ": line " + bad);
      continue;
    }
    auto f = split(lines[i], '\t');
    if (f.size() < header.size()) {
      res.errors.push_back(origin_name + ":" + std::to_string(i + 1) + ": " + std::to_string(f.size()) +
                           " fields, expected " + std::to_string(header.size()));
      continue;
    }
    if (col.count("last_review_date")) {
      auto d = f[col["last_review_date"]].substr(0, 10);
      if (d > newest) newest = d;
    }
    rows.push_back({i + 1, std::move(f)});
  }
  auto get = [&](Row const& r, char const* name) -> std::string {
    auto it = col.find(name);
    return it == col.end() ? std::string() : trim(r.f[it->second]);
  };

  // Genes seen on their own (for choosing the file of an A::B fusion).
  std::map<std::string, std::size_t> solo;
  for (auto const& r : rows) {
    auto mp = get(r, "molecular_profile");
    std::istringstream in(mp);
    std::string first;
    in >> first;
    if (first.find("::") == std::string::npos) ++solo[first];
  }

  std::map<std::string, GeneratedFile> by_gene;
  std::set<std::string> levels;
  for (char c : options.levels) levels.insert(std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(c)))));

  for (auto const& r : rows) {
    CivicOutcome out;
    out.eid = "EID" + get(r, "evidence_id");
    auto type = get(r, "evidence_type");
    auto level = get(r, "evidence_level");
    auto sig = get(r, "significance");
    auto dir = get(r, "evidence_direction");
    out.predictive_abc = type == "Predictive" && (level == "A" || level == "B" || level == "C");
    auto skip = [&](std::string reason, std::string detail) {
      out.reason = std::move(reason);
      out.detail = std::move(detail);
      res.outcomes.push_back(out);
    };
    if (type != "Predictive") { skip("unsupported evidence type", type); continue; }
    if (sig != "Sensitivity/Response" && sig != "Resistance") { skip("unsupported significance", sig); continue; }
    if (dir != "Supports") { skip("direction does not support", dir + " " + sig); continue; }
    if (!levels.count(level)) { skip("level not imported", "level " + level); continue; }
    if (get(r, "is_flagged") == "true" && !options.include_flagged) { skip("flagged by CIViC", "is_flagged"); continue; }
    std::string cls = sig == "Resistance" ? "resistance" : options.sensitivity_class;
    if (cls == "skip") { skip("sensitivity class skipped", sig); continue; }
    auto const* dis = diseases.find(get(r, "doid"), get(r, "disease"));
    std::string disease_label = get(r, "disease") + (get(r, "doid").empty() ? "" : " (DOID:" + get(r, "doid") + ")");
    if (!dis || dis->codes.empty()) {
      skip("unmapped disease", disease_label.empty() ? "(no disease)" : disease_label);
      continue;
    }
    auto mp = get(r, "molecular_profile");
    std::string reason, detail;
    auto expr = civic_profile_expression(mp, trim(origin_prefix(get(r, "variant_origin"))), *catalog, &reason, &detail,
                                         &out.notes);
    if (!expr) { skip(reason, detail); continue; }
    std::vector<std::string> therapies;
    auto interaction = get(r, "therapy_interaction_type");
    auto therapy_problem = therapy_text(get(r, "therapies"), interaction, therapies);
    if (therapies.empty()) { skip("no therapy", mp); continue; }
    if (therapy_problem == "unspecified") {
      skip("unparseable therapy", get(r, "therapies") + " (several therapies, no interaction type)");
      continue;
    }

    // Citations: never invent one; only what the row holds.
    std::vector<std::string> cites;
    auto src = get(r, "source_type");
    auto cid = get(r, "citation_id");
    if (src == "PubMed" && all_digits(cid)) cites.push_back("PMID:" + cid);
    else if (!cid.empty()) cites.push_back(quote(src + " abstract " + (get(r, "asco_abstract_id").empty() ? cid : get(r, "asco_abstract_id"))));
    cites.push_back(quote("CIViC " + out.eid));
    auto rating = get(r, "rating");
    if (!rating.empty()) cites.push_back(quote("CIViC rating " + rating + "/5"));
    for (auto& n : split(get(r, "nct_ids"), ',')) {
      auto t = trim(n);
      if (!t.empty()) cites.push_back(quote(t));
    }

    std::string tumour;
    for (auto const& c : dis->codes) tumour += (tumour.empty() ? "" : ", ") + c;

    std::ostringstream b;
    b << "# " << out.eid << " | " << mp << " | " << disease_label << " | " << sig;
    if (!interaction.empty()) b << " | therapies: " << interaction;
    b << "\n";
    if (dis->review.find("broader") != std::string::npos || dis->mapping.find("ancestor") != std::string::npos)
      out.notes.push_back("disease mapped to a broader OncoTree set: " + disease_label + " -> " + tumour);
    auto pheno = get(r, "phenotypes");
    if (!pheno.empty()) {
      b << "# CIViC phenotypes: " << pheno << " (not expressible in the rule language; the rule is not narrowed by them)\n";
      out.notes.push_back("phenotypes not encoded: " + pheno);
    }
    b << "rule " << identifier("civic_" + lower(out.eid)) << " {\n";
    b << "  when    " << *expr << "\n";
    b << "  tumour  " << tumour << "\n";
    b << "  class   " << cls << "\n";
    b << "  therapy ";
    for (std::size_t i = 0; i < therapies.size(); ++i) b << (i ? ", " : "") << quote(therapies[i]);
    b << "\n  level   CIViC:" << level << "\n";
    b << "  cite    ";
    for (std::size_t i = 0; i < cites.size(); ++i) b << (i ? ", " : "") << cites[i];
    b << "\n}\n";

    auto gene = identifier(file_gene(mp, solo));
    auto& file = by_gene[gene];
    if (file.path.empty()) {
      file.path = gene + ".rules";
      file.header = "# CIViC evidence for " + gene + ", imported by `actionable import civic` from " + origin_name +
                    ".\n# CIViC content is CC0 1.0 (https://civicdb.org). Generated file: edit the importer or the\n"
                    "# disease table (rules/reference/civic_disease_oncotree.tsv), not this file. See docs/civic.md.\n";
    }
    file.blocks.push_back({out.eid, b.str()});
    out.imported = true;
    out.gene_file = file.path;
    res.outcomes.push_back(out);
  }

  // Assemble the files: ruleset.rules first, then genes in name order.
  GeneratedFile head;
  head.path = "ruleset.rules";
  std::string version = options.version.empty() ? "civic-" + (newest.empty() ? std::string("unknown") : newest) : options.version;
  head.header = "# CIViC clinical evidence as rules, generated by `actionable import civic` (docs/civic.md).\n"
                "# Source: " + origin_name + " (CIViC, CC0 1.0). Not an EU approval list: class\n"
                "# standard_of_care here means \"CIViC predictive evidence of sensitivity\", with its level.\n"
                "ruleset " + quote(options.ruleset_name) + " version " + quote(version) + "\n";
  res.files.push_back(head);
  for (auto& [g, f] : by_gene) res.files.push_back(std::move(f));

  std::string remaining;
  auto rejected = drop_uncompilable(res.files, catalog, &remaining);
  std::map<std::string, std::string> rejected_by;
  for (auto const& r : rejected) rejected_by[r.owner] = r.message;
  for (auto& o : res.outcomes) {
    if (o.imported && rejected_by.count(o.eid)) {
      o.imported = false;
      o.reason = "rejected by the rule compiler";
      o.detail = rejected_by[o.eid];
      o.gene_file.clear();
    }
  }
  if (!remaining.empty()) res.errors.push_back("the generated rules do not compile:\n" + remaining);
  // Drop files left empty (keep ruleset.rules).
  res.files.erase(std::remove_if(res.files.begin() + 1, res.files.end(),
                                 [](GeneratedFile const& f) { return f.blocks.empty(); }),
                  res.files.end());

  // ---- report ----
  std::map<std::string, std::size_t> by_reason_all, by_reason_abc;
  std::map<std::string, std::map<std::string, std::size_t>> details_abc;
  std::map<std::string, std::size_t> note_kinds;
  for (auto const& o : res.outcomes) {
    if (o.imported) ++res.imported;
    if (o.predictive_abc) {
      ++res.predictive_abc;
      if (o.imported) ++res.predictive_abc_imported;
    }
    auto key = o.imported ? std::string("imported") : o.reason;
    ++by_reason_all[key];
    if (o.predictive_abc) {
      ++by_reason_abc[key];
      if (!o.imported) ++details_abc[o.reason][o.detail];
    }
    if (o.imported)
      for (auto const& n : o.notes) {
        auto k = n.substr(0, n.find(':'));
        if (n.find("partner unspecified") != std::string::npos) k = "fusion partner unspecified (orientation not fixed)";
        else if (n.rfind("gene symbol", 0) == 0) k = "gene symbol read as the approved symbol";
        ++note_kinds[k];
      }
  }
  std::size_t supports_abc = 0, supports_abc_imported = 0;
  for (auto const& o : res.outcomes)
    if (o.predictive_abc && o.reason != "direction does not support" && o.reason != "unsupported significance") {
      ++supports_abc;
      if (o.imported) ++supports_abc_imported;
    }

  std::ostringstream rep;
  rep << "# CIViC import report\n\n";
  rep << "Input: `" << origin_name << "` (" << res.outcomes.size() << " evidence items). Rule set "
      << quote(options.ruleset_name) << " version " << quote(version) << ", levels imported: " << options.levels
      << ", sensitivity class: " << options.sensitivity_class << ".\n\n";
  rep << "- imported: **" << res.imported << "** rules in " << (res.files.size() - 1) << " gene files\n";
  rep << "- predictive evidence, level A–C: " << res.predictive_abc << " items, **" << res.predictive_abc_imported
      << " imported (" << percent(res.predictive_abc_imported, res.predictive_abc) << ")**\n";
  rep << "- of those that support a sensitivity or resistance association (the ones a rule can state): "
      << supports_abc << " items, " << supports_abc_imported << " imported ("
      << percent(supports_abc_imported, supports_abc) << ")\n\n";
  rep << "## Items by outcome\n\n| outcome | predictive A–C | all items |\n|---|---:|---:|\n";
  std::vector<std::pair<std::string, std::size_t>> order(by_reason_all.begin(), by_reason_all.end());
  std::sort(order.begin(), order.end(), [&](auto const& a, auto const& b) {
    if ((a.first == "imported") != (b.first == "imported")) return a.first == "imported";
    auto ca = by_reason_abc.count(a.first) ? by_reason_abc.at(a.first) : 0;
    auto cb = by_reason_abc.count(b.first) ? by_reason_abc.at(b.first) : 0;
    if (ca != cb) return ca > cb;
    if (a.second != b.second) return a.second > b.second;
    return a.first < b.first;
  });
  for (auto const& [k, n] : order)
    rep << "| " << k << " | " << (by_reason_abc.count(k) ? by_reason_abc.at(k) : 0) << " | " << n << " |\n";
  if (!note_kinds.empty()) {
    rep << "\n## Imported with a remark (also written as a comment on the rule)\n\n| remark | rules |\n|---|---:|\n";
    for (auto const& [k, n] : note_kinds) rep << "| " << k << " | " << n << " |\n";
  }
  rep << "\n## Predictive A–C items not imported, by reason and detail\n";
  for (auto const& [reason, m] : details_abc) {
    std::vector<std::pair<std::string, std::size_t>> d(m.begin(), m.end());
    std::sort(d.begin(), d.end(), [](auto const& a, auto const& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    rep << "\n### " << reason << "\n\n";
    for (auto const& [k, n] : d) rep << "- " << k << " — " << n << "\n";
  }
  rep << "\nEvery item, with its outcome: `import_items.tsv` next to this report.\n";
  res.report = rep.str();
  return res;
}

}  // namespace actionable::import
