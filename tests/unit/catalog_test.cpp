// Unit tests of the reference catalogs (OncoTree, HGNC genes, LRG exon ranges) against the
// shipped tables in rules/reference/, plus parser edge cases on small in-memory inputs
// (CRLF, UTF-8 BOM, malformed rows with line numbers, cycles, ambiguity).
// The expected numbers come from shared/data/*/SOURCE.md and were checked against the files.
// No test measures time.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <string>
#include <vector>

#include "actionable/catalog/catalog.hpp"

using actionable::catalog::Catalog;
using actionable::catalog::ExonTable;
using actionable::catalog::GeneCatalog;
using actionable::catalog::GeneMatch;
using actionable::catalog::OncoTree;

namespace {

#ifndef ACTIONABLE_SOURCE_DIR
#define ACTIONABLE_SOURCE_DIR "."
#endif

std::string reference_dir() { return std::string(ACTIONABLE_SOURCE_DIR) + "/rules/reference"; }

// The shipped tables are loaded once per process and shared by the read-only tests below.
Catalog const& shipped_tables() {
  static Catalog const catalog = [] {
    std::string error;
    auto loaded = Catalog::load(reference_dir(), &error);
    if (!loaded) {
      FAIL("cannot load " << reference_dir() << ": " << error);
      return Catalog{};
    }
    return std::move(*loaded);
  }();
  return catalog;
}

bool contains(std::vector<std::string> const& v, std::string const& s) {
  for (auto const& x : v) {
    if (x == s) return true;
  }
  return false;
}

constexpr char const* kTinyHeader = "code\tname\tmain_type\ttissue\tparent\tlevel\n";

}  // namespace

// ----------------------------------------------------------------------------------------------
TEST_SUITE("catalog.oncotree") {
  TEST_CASE("shipped OncoTree: size, version, root") {
    auto const& tree = shipped_tables().oncotree;
    CHECK(tree.size() == 898);
    CHECK(tree.version() == "oncotree_2025_10_03");
    auto const root = tree.find("TISSUE");
    REQUIRE(root);
    CHECK_FALSE(tree.parent(*root));
    CHECK(tree.level(*root) == 0);
    CHECK_FALSE(tree.is_solid(*root));
    CHECK_FALSE(tree.find("luad"));  // find is case-sensitive
    CHECK_FALSE(tree.find("NOPE"));
  }

  TEST_CASE("shipped OncoTree: ancestry table") {
    struct Row {
      char const* node;
      char const* ancestor;
      bool expected;
    };
    Row const rows[] = {
        {"LUAD", "NSCLC", true},  {"NSCLC", "LUNG", true},  {"LUAD", "LUNG", true},      {"LUAD", "TISSUE", true},
        {"LUAD", "LUAD", true},   {"NSCLC", "LUAD", false}, {"LUAD", "COADREAD", false}, {"NSCLC", "COADREAD", false},
        {"AML", "MYELOID", true}, {"AML", "MNM", true},     {"AML", "LYMPH", false},     {"LUNG", "NSCLC", false},
    };
    auto const& tree = shipped_tables().oncotree;
    for (auto const& r : rows) {
      CAPTURE(r.node);
      CAPTURE(r.ancestor);
      auto const n = tree.find(r.node);
      auto const a = tree.find(r.ancestor);
      REQUIRE(n);
      REQUIRE(a);
      CHECK(tree.is_descendant(*n, *a) == r.expected);
    }
  }

  TEST_CASE("shipped OncoTree: solid vs haematological") {
    struct Row {
      char const* code;
      bool solid;
    };
    Row const rows[] = {
        {"LUAD", true}, {"NSCLC", true}, {"LUNG", true},     {"COADREAD", true}, {"BREAST", true},
        {"AML", false}, {"MNM", false},  {"MYELOID", false}, {"LYMPH", false},   {"TISSUE", false},
    };
    auto const& tree = shipped_tables().oncotree;
    for (auto const& r : rows) {
      CAPTURE(r.code);
      auto const id = tree.find(r.code);
      REQUIRE(id);
      CHECK(tree.is_solid(*id) == r.solid);
    }
  }

  TEST_CASE("shipped OncoTree: lineage, levels and fields") {
    auto const& tree = shipped_tables().oncotree;
    auto const luad = tree.find("LUAD");
    REQUIRE(luad);
    std::vector<std::string> codes;
    for (auto const id : tree.lineage(*luad)) codes.push_back(tree.code(id));
    CHECK(codes == std::vector<std::string>{"TISSUE", "LUNG", "NSCLC", "LUAD"});
    CHECK(tree.level(*luad) == 3);
    CHECK(tree.name(*luad) == "Lung Adenocarcinoma");
    CHECK(tree.main_type(*luad) == "Non-Small Cell Lung Cancer");
    CHECK(tree.tissue(*luad) == "Lung");
    REQUIRE(tree.parent(*luad));
    CHECK(tree.code(*tree.parent(*luad)) == "NSCLC");

    auto const aml = tree.find("AML");
    REQUIRE(aml);
    codes.clear();
    for (auto const id : tree.lineage(*aml)) codes.push_back(tree.code(id));
    CHECK(codes == std::vector<std::string>{"TISSUE", "MYELOID", "MNM", "AML"});
  }

  TEST_CASE("shipped OncoTree: level counts match SOURCE.md") {
    auto const& tree = shipped_tables().oncotree;
    std::vector<std::size_t> per_level(8, 0);
    for (actionable::catalog::TumourId id = 0; id < tree.size(); ++id) {
      REQUIRE(tree.level(id) < per_level.size());
      ++per_level[tree.level(id)];
    }
    CHECK(per_level == std::vector<std::size_t>{1, 32, 233, 333, 147, 131, 21, 0});
  }

  TEST_CASE("shipped OncoTree: suggest") {
    struct Row {
      char const* query;
      char const* expected;  // must be among the suggestions
      bool first;            // ... and be the first one
    };
    Row const rows[] = {
        {"LAUD", "LUAD", true},                 // transposition
        {"luad", "LUAD", true},                 // exact, other case
        {"NSLC", "NSCLC", false},               // one deletion
        {"Lung Adenocarcinoma", "LUAD", true},  // name fallback
        {"adenocarcinoma", "LUAD", false},
    };
    auto const& tree = shipped_tables().oncotree;
    for (auto const& r : rows) {
      CAPTURE(r.query);
      auto const s = tree.suggest(r.query, 3);
      CHECK(s.size() <= 3);
      CHECK(contains(s, r.expected));
      if (r.first && !s.empty()) CHECK(s.front() == r.expected);
    }
    CHECK(tree.suggest("").empty());
    CHECK(tree.suggest("LUAD", 0).empty());
    CHECK(tree.suggest("zzzzzzzzzzzzzzzzzzzz").empty());
    CHECK(tree.suggest("I").empty());  // in most names: no hint
  }

  TEST_CASE("OncoTree parser: CRLF, BOM and rows in any order") {
    std::string const text =
        "\xEF\xBB\xBF"
        "code\tname\tmain_type\ttissue\tparent\tlevel\textra\r\n"
        "B\tLeaf B\tMT\tT\tA\t2\tx\r\n"
        "ROOT\tRoot\t\t\t\t0\t\r\n"
        "A\tNode A\tMT\tT\tROOT\t1\t\r\n"
        "C\tLeaf C\tMT\tT\tA\t2\t\r\n"
        "\r\n";
    std::string error;
    auto const tree = OncoTree::parse_tsv(text, "mem.tsv", "v1", &error);
    REQUIRE_MESSAGE(tree, error);
    CHECK(tree->size() == 4);
    CHECK(tree->version() == "v1");
    auto const a = tree->find("A"), b = tree->find("B"), c = tree->find("C"), root = tree->find("ROOT");
    REQUIRE((a && b && c && root));
    CHECK(tree->is_descendant(*b, *a));
    CHECK(tree->is_descendant(*c, *root));
    CHECK_FALSE(tree->is_descendant(*b, *c));
    CHECK_FALSE(tree->is_descendant(*a, *b));
    CHECK(tree->name(*root) == "Root");  // no stray '\r' or BOM in the fields
    CHECK(tree->code(tree->lineage(*b).front()) == "ROOT");
    // No LYMPH/MYELOID in this tree: everything but the root is solid.
    CHECK(tree->is_solid(*b));
    CHECK_FALSE(tree->is_solid(*root));
  }

  TEST_CASE("OncoTree parser: malformed input is reported with its line") {
    struct Row {
      char const* what;
      std::string text;
      char const* expected;  // the error must contain this
    };
    std::string const h = kTinyHeader;
    Row const rows[] = {
        {"empty", "", "bad.tsv:1:"},
        {"header lacks a column", "code\tname\tmain_type\ttissue\tlevel\n", "bad.tsv:1: header lacks column 'parent'"},
        {"too few fields", h + "ROOT\tRoot\t\t\t\t0\nA\tA\tM\n", "bad.tsv:3: expected at least 6"},
        {"bad level", h + "ROOT\tRoot\t\t\t\t0\nA\tA\tM\tT\tROOT\tone\n", "bad.tsv:3: level 'one'"},
        {"level disagrees", h + "ROOT\tRoot\t\t\t\t0\nA\tA\tM\tT\tROOT\t2\n", "bad.tsv:3: level 2"},
        {"empty code", h + "ROOT\tRoot\t\t\t\t0\n\tA\tM\tT\tROOT\t1\n", "bad.tsv:3: empty code"},
        {"duplicate code", h + "ROOT\tRoot\t\t\t\t0\nA\tA\tM\tT\tROOT\t1\nA\tA2\tM\tT\tROOT\t1\n",
         "bad.tsv:4: duplicate code 'A'"},
        {"missing parent", h + "ROOT\tRoot\t\t\t\t0\nA\tA\tM\tT\tNOWHERE\t1\n", "bad.tsv:3: parent 'NOWHERE'"},
        {"two roots", h + "ROOT\tRoot\t\t\t\t0\nR2\tRoot 2\t\t\t\t0\n", "bad.tsv:3: second root"},
        {"cycle beside a root", h + "ROOT\tRoot\t\t\t\t0\nA\tA\tM\tT\tB\t1\nB\tB\tM\tT\tA\t2\n",
         "bad.tsv:3: 'A' is not reachable"},
        {"cycle, no root", h + "A\tA\tM\tT\tB\t1\nB\tB\tM\tT\tA\t2\n", "bad.tsv:2: no root"},
        {"self parent", h + "ROOT\tRoot\t\t\t\t0\nA\tA\tM\tT\tA\t1\n", "bad.tsv:3: 'A' is its own parent"},
        {"header only", h, "bad.tsv:2: no tumour types"},
    };
    for (auto const& r : rows) {
      CAPTURE(r.what);
      std::string error;
      auto const tree = OncoTree::parse_tsv(r.text, "bad.tsv", "v", &error);
      CHECK_FALSE(tree);
      CHECK_MESSAGE(error.find(r.expected) != std::string::npos, error);
    }
  }

  TEST_CASE("OncoTree parser: deep chain is handled without recursion") {
    std::string text = kTinyHeader;
    text += "N0\tn\t\t\t\t0\n";
    constexpr int kDepth = 20000;
    for (int i = 1; i <= kDepth; ++i) {
      text += "N" + std::to_string(i) + "\tn\tM\tT\tN" + std::to_string(i - 1) + "\t" + std::to_string(i) + "\n";
    }
    std::string error;
    auto const tree = OncoTree::parse_tsv(text, "deep.tsv", "v", &error);
    REQUIRE_MESSAGE(tree, error);
    auto const leaf = tree->find("N" + std::to_string(kDepth));
    auto const top = tree->find("N0");
    REQUIRE((leaf && top));
    CHECK(tree->is_descendant(*leaf, *top));
    CHECK(tree->level(*leaf) == kDepth);
    CHECK(tree->lineage(*leaf).size() == kDepth + 1);
  }

  TEST_CASE("OncoTree load_tsv: a missing file is an error, not an exception") {
    std::string error;
    auto const tree = OncoTree::load_tsv("/nonexistent/oncotree.tsv", "v", &error);
    CHECK_FALSE(tree);
    CHECK(error.find("/nonexistent/oncotree.tsv") != std::string::npos);
    CHECK_FALSE(OncoTree::load_tsv("/nonexistent/oncotree.tsv", "v", nullptr));
  }
}

// ----------------------------------------------------------------------------------------------
TEST_SUITE("catalog.genes") {
  TEST_CASE("shipped HGNC: size and version") {
    auto const& genes = shipped_tables().genes;
    CHECK(genes.size() == 43882);
    CHECK(genes.version() == "hgnc_2024_10_18");
  }

  TEST_CASE("shipped HGNC: lookup table") {
    struct Row {
      char const* query;
      GeneMatch match;
      char const* symbol;                   // "" unless resolved
      std::vector<std::string> candidates;  // for kAmbiguous
    };
    Row const rows[] = {
        {"EGFR", GeneMatch::kApproved, "EGFR", {}},
        {"ERBB2", GeneMatch::kApproved, "ERBB2", {}},
        {"C1orf21", GeneMatch::kApproved, "C1orf21", {}},
        {"Erbb2", GeneMatch::kCaseFold, "ERBB2", {}},
        {"egfr", GeneMatch::kCaseFold, "EGFR", {}},
        {"C1ORF21", GeneMatch::kCaseFold, "C1orf21", {}},
        {"HER2", GeneMatch::kAlias, "ERBB2", {}},
        {"her-2", GeneMatch::kAlias, "ERBB2", {}},
        {"C-KIT", GeneMatch::kAlias, "KIT", {}},  // spelled C-Kit in HGNC
        {"CD117", GeneMatch::kAlias, "KIT", {}},
        {"TRKA", GeneMatch::kAlias, "NTRK1", {}},
        {"PD-L1", GeneMatch::kAlias, "CD274", {}},
        {"PD-1", GeneMatch::kAlias, "PDCD1", {}},
        {"PKB\xCE\xB2", GeneMatch::kAlias, "AKT2", {}},  // PKBβ (UTF-8 Greek beta)
        {"pkb\xCE\xB2", GeneMatch::kAlias, "AKT2", {}},  // ASCII folded, Greek kept
        {"MLL", GeneMatch::kPrevious, "KMT2A", {}},
        {"H3F3A", GeneMatch::kPrevious, "H3-3A", {}},
        {"c11orf30", GeneMatch::kPrevious, "EMSY", {}},
        {"NEU", GeneMatch::kAmbiguous, "", {"ERBB2", "NEU1"}},
        {"MLL4", GeneMatch::kAmbiguous, "", {"KMT2B", "KMT2D"}},
        {"MLL2", GeneMatch::kAmbiguous, "", {"KMT2B", "KMT2D"}},
        {"ALK1", GeneMatch::kAmbiguous, "", {"ACVRL1", "ALK", "SLPI"}},
        {"PTC", GeneMatch::kAmbiguous, "", {"CCDC6", "RET", "TAS2R38"}},
        {"ABL", GeneMatch::kAmbiguous, "", {"ABL1", "DSP-AS1", "MTTP"}},
        {"FOO123", GeneMatch::kUnknown, "", {}},
        {"C-MET", GeneMatch::kUnknown, "", {}},
        {"", GeneMatch::kUnknown, "", {}},
        {"PKB\xCE\x92", GeneMatch::kUnknown, "", {}},  // Greek capital BETA: not folded
    };
    auto const& genes = shipped_tables().genes;
    for (auto const& r : rows) {
      CAPTURE(r.query);
      auto const got = genes.lookup(r.query);
      CHECK(got.match == r.match);
      CHECK(got.symbol == r.symbol);
      CHECK(got.candidates == r.candidates);
      bool const resolved = r.match == GeneMatch::kApproved || r.match == GeneMatch::kCaseFold ||
                            r.match == GeneMatch::kPrevious || r.match == GeneMatch::kAlias;
      CHECK(got.resolved() == resolved);
    }
  }

  TEST_CASE("shipped HGNC: an alias never overrides an approved symbol") {
    auto const& genes = shipped_tables().genes;
    // ROR1 and SMO are approved symbols and also aliases of RORA / SMOX.
    CHECK(genes.lookup("ROR1").symbol == "ROR1");
    CHECK(genes.lookup("ROR1").match == GeneMatch::kApproved);
    CHECK(genes.lookup("smo").symbol == "SMO");
    CHECK(genes.lookup("smo").match == GeneMatch::kCaseFold);
  }

  TEST_CASE("shipped HGNC: is_approved is exact") {
    auto const& genes = shipped_tables().genes;
    CHECK(genes.is_approved("EGFR"));
    CHECK(genes.is_approved("KMT2A"));
    CHECK_FALSE(genes.is_approved("egfr"));
    CHECK_FALSE(genes.is_approved("HER2"));
    CHECK_FALSE(genes.is_approved(""));
  }

  TEST_CASE("shipped HGNC: suggest") {
    auto const& genes = shipped_tables().genes;
    auto const s = genes.suggest("EGRF");
    CHECK(s.size() <= 3);
    CHECK(contains(s, "EGFR"));
    REQUIRE_FALSE(s.empty());
    CHECK(s.front() == "EGFR");  // same length (transposition) before EGF (deletion)
    CHECK(contains(genes.suggest("BRFA"), "BRAF"));
    CHECK(genes.suggest("KARS", 1) == std::vector<std::string>{"KRAS"});  // not KARS1
    CHECK(genes.suggest("tp35", 1) == std::vector<std::string>{"TP53"});
    CHECK(genes.suggest("EGFR", 1) == std::vector<std::string>{"EGFR"});
    CHECK(genes.suggest("", 3).empty());
    CHECK(genes.suggest("EGFR", 0).empty());
    CHECK(genes.suggest("QQQQQQQQQQQQQQQQQQQQQ").empty());
  }

  TEST_CASE("GeneCatalog parser: CRLF, BOM, UTF-8 aliases, duplicates in lists") {
    std::string const text =
        "\xEF\xBB\xBF"
        "hgnc_id\tsymbol\tname\tlocus_group\talias_symbols\tprev_symbols\tstatus\r\n"
        "HGNC:1\tAKT2\tkinase\tprotein-coding gene\tPKB\xCE\xB2|PKBB|pkbb\tOLD1\tApproved\r\n"
        "HGNC:2\tBETA\tother\tother\t\tOLD1\tApproved\r\n"
        "HGNC:3\tGONE\tgone\tother\t\t\tEntry Withdrawn\r\n";
    std::string error;
    auto const genes = GeneCatalog::parse_tsv(text, "mem.tsv", "v", &error);
    REQUIRE_MESSAGE(genes, error);
    CHECK(genes->size() == 2);
    CHECK(genes->lookup("AKT2").match == GeneMatch::kApproved);
    CHECK(genes->lookup("PKB\xCE\xB2").symbol == "AKT2");
    CHECK(genes->lookup("PkBb").match == GeneMatch::kAlias);  // listed twice, one gene
    CHECK(genes->lookup("OLD1").match == GeneMatch::kAmbiguous);
    CHECK(genes->lookup("OLD1").candidates == std::vector<std::string>{"AKT2", "BETA"});
    CHECK(genes->lookup("GONE").match == GeneMatch::kUnknown);
  }

  TEST_CASE("GeneCatalog parser: malformed input is reported with its line") {
    std::string const h = "hgnc_id\tsymbol\tname\tlocus_group\talias_symbols\tprev_symbols\tstatus\n";
    struct Row {
      char const* what;
      std::string text;
      char const* expected;
    };
    Row const rows[] = {
        {"empty", "", "g.tsv:1:"},
        {"header lacks a column", "hgnc_id\tsymbol\tname\n", "g.tsv:1: header lacks column 'alias_symbols'"},
        {"too few fields", h + "HGNC:1\tA\tx\tother\t\t\tApproved\nHGNC:2\tB\n", "g.tsv:3: expected at least 7"},
        {"empty symbol", h + "HGNC:1\t\tx\tother\t\t\tApproved\n", "g.tsv:2: empty symbol"},
        {"case duplicate", h + "HGNC:1\tABC\tx\tother\t\t\tApproved\nHGNC:2\tAbc\tx\tother\t\t\tApproved\n",
         "g.tsv:3: symbol 'Abc' repeats (case-insensitively) the symbol of line 2"},
    };
    for (auto const& r : rows) {
      CAPTURE(r.what);
      std::string error;
      CHECK_FALSE(GeneCatalog::parse_tsv(r.text, "g.tsv", "v", &error));
      CHECK_MESSAGE(error.find(r.expected) != std::string::npos, error);
    }
  }

  TEST_CASE("shipped HGNC: every approved symbol is found by the flat index, exactly and in other case") {
    auto const& genes = shipped_tables().genes;
    std::size_t exact = 0, folded = 0;
    for (std::uint32_t i = 0; i < genes.symbols().size(); ++i) {
      auto const& s = genes.symbols()[i];
      if (genes.index(s) == i) ++exact;
      std::string other;
      for (char c : s) other += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      auto const l = genes.lookup(other);
      if (l.resolved() && l.index == i) ++folded;
    }
    CHECK(exact == genes.size());
    CHECK(folded == genes.size());  // a lower-cased symbol folds back to its gene
    CHECK_FALSE(genes.index("EGFRX"));
    CHECK_FALSE(genes.index(""));
    CHECK_FALSE(genes.index("egfr"));  // index() is exact case
  }

  TEST_CASE("SymbolIndex: colliding hashes probe on, across the end of the table") {
    // Every key with the same hash: one chain of linear probes, started near the table's end
    // (16 slots: the hash's low bits 15) so that it wraps around to slot 0.
    std::vector<std::string> const keys = {"A", "B", "C", "D", "E", "F", "G", "H"};
    std::uint64_t const h = (std::uint64_t{0xABCD} << 32) | 15;
    actionable::catalog::detail::SymbolIndex index;
    index.build(std::vector<std::uint64_t>(keys.size(), h));
    for (std::uint32_t i = 0; i < keys.size(); ++i) {
      auto found = index.find(h, [&](std::uint32_t at) { return keys[at] == keys[i]; });
      REQUIRE(found);
      CHECK(*found == i);
    }
    CHECK_FALSE(index.find(h, [](std::uint32_t) { return false; }));  // the chain ends at an empty slot
    CHECK_FALSE(index.find((std::uint64_t{0x1234} << 32) | 15, [](std::uint32_t) { return true; }));  // other tag
    actionable::catalog::detail::SymbolIndex empty;
    CHECK_FALSE(empty.find(h, [](std::uint32_t) { return true; }));
  }
}

// ----------------------------------------------------------------------------------------------
// The references of the two "did you mean" searches: a plain optimal-string-alignment distance
// (no filter, no early exit) and ASCII upper case.
namespace suggest_ref {
std::size_t osa(std::string const& a, std::string const& b) {
  static std::vector<std::vector<std::size_t>> d;  // reused: the reference runs ~10^7 times
  d.resize(std::max(d.size(), a.size() + 1));
  for (auto& row : d) row.resize(std::max(row.size(), b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}
std::string upper(std::string s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}
}  // namespace suggest_ref

// ----------------------------------------------------------------------------------------------
TEST_SUITE("catalog.genes.suggest") {
  // The reference: the ranking GeneCatalog::suggest promises, by brute force over every symbol
  // with a plain optimal-string-alignment distance (no filter, no early exit).
  std::vector<std::string> reference(GeneCatalog const& g, std::string const& query, std::size_t max) {
    std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> close;
    auto const q = suggest_ref::upper(query);
    for (std::size_t i = 0; i < g.symbols().size(); ++i) {
      auto const s = suggest_ref::upper(g.symbols()[i]);
      std::size_t const len_diff = s.size() > q.size() ? s.size() - q.size() : q.size() - s.size();
      if (len_diff > 2) continue;
      auto const d = suggest_ref::osa(q, s);
      if (d <= 2 && d < q.size()) close.emplace_back(d, len_diff, i);
    }
    std::sort(close.begin(), close.end());
    std::vector<std::string> out;
    for (auto const& [d, l, i] : close)
      if (out.size() < max) out.push_back(g.symbols()[i]);
    return out;
  }

  TEST_CASE("suggest with its character filter equals the brute-force ranking") {
    auto const& g = shipped_tables().genes;
    std::size_t queries = 0;
    for (std::size_t i = 0; i < g.symbols().size(); i += 797) {
      std::string const s = g.symbols()[i];
      std::vector<std::string> qs = {s + "X", s.substr(1), "Q" + s.substr(1), suggest_ref::upper(s) + "-1"};
      if (s.size() > 2) qs.push_back(s.substr(0, 1) + s[2] + s[1] + s.substr(3));  // a transposition
      for (auto const& q : qs) {
        CAPTURE(q);
        CHECK(g.suggest(q, 5) == reference(g, q, 5));
        ++queries;
      }
    }
    for (std::string q : {"EGRF", "BRAFF", "ERBB5", "NTRK0", "kras", "TP-53", "HER2", "\xCE\xB1KRAS", "A", "AB"}) {
      CAPTURE(q);
      CHECK(g.suggest(q, 5) == reference(g, q, 5));
      ++queries;
    }
    CHECK(queries > 250);
  }
}

// ----------------------------------------------------------------------------------------------
TEST_SUITE("catalog.oncotree.suggest") {
  // The reference: the ranking OncoTree::suggest promises (oncotree.cpp), written plainly — every
  // key recomputed, a full sort — against the partial sorts with keys computed once.
  std::vector<std::string> oncotree_reference(actionable::catalog::OncoTree const& tree, std::string const& query,
                                              std::size_t max) {
    using actionable::catalog::TumourId;
    std::vector<std::string> out;
    if (max == 0 || query.empty()) return out;
    auto const q = suggest_ref::upper(query);
    std::vector<std::tuple<std::size_t, std::size_t, std::string>> close;
    for (TumourId id = 0; id < tree.size(); ++id) {
      auto const c = suggest_ref::upper(tree.code(id));
      std::size_t const len_diff = c.size() > q.size() ? c.size() - q.size() : q.size() - c.size();
      if (len_diff > 2) continue;
      auto const d = suggest_ref::osa(q, c);
      bool const prefix = c.rfind(q, 0) == 0 || q.rfind(c, 0) == 0;
      if (d <= 2 && d < q.size()) close.emplace_back(d, (prefix ? 0 : 4) + len_diff, tree.code(id));
    }
    std::sort(close.begin(), close.end());
    for (auto const& [d, l, c] : close)
      if (out.size() < max) out.push_back(c);
    if (!out.empty() || q.size() < 3) return out;                   // no name hint for one or two letters
    std::vector<std::tuple<bool, std::size_t, std::string>> named;  // (not exact, name length, code)
    for (TumourId id = 0; id < tree.size(); ++id) {
      auto const n = suggest_ref::upper(std::string(tree.name(id)));
      if (tree.level(id) > 0 && n.find(q) != std::string::npos) named.emplace_back(n != q, n.size(), tree.code(id));
    }
    std::sort(named.begin(), named.end());
    for (auto const& [e, l, c] : named)
      if (out.size() < max) out.push_back(c);
    return out;
  }

  TEST_CASE("suggest equals the plain ranking, short queries included") {
    auto const& tree = shipped_tables().oncotree;
    std::vector<std::string> qs = {"I",
                                   "A",
                                   "a",
                                   "IV",
                                   "C",
                                   "NSCLCC",
                                   "luad",
                                   "Lung",
                                   "carcinoma",
                                   "Adenocarcinoma",
                                   "Breast Invasive Ductal Carcinoma",
                                   "zz",
                                   "\xCE\xB1",
                                   "-",
                                   " "};
    for (actionable::catalog::TumourId id = 0; id < tree.size(); id += 7) {
      std::string const c(tree.code(id));
      qs.push_back(c + "X");
      if (c.size() > 1) qs.push_back(c.substr(1));
      if (c.size() > 2) qs.push_back(c.substr(0, 1) + c[2] + c[1] + c.substr(3));
      std::string const n(tree.name(id));
      qs.push_back(n.substr(0, n.size() / 2));
    }
    for (auto const& q : qs) {
      CAPTURE(q);
      CHECK(tree.suggest(q, 3) == oncotree_reference(tree, q, 3));
      CHECK(tree.suggest(q, 1) == oncotree_reference(tree, q, 1));
    }
    CHECK(qs.size() > 400);
  }
}

TEST_SUITE("catalog.exons") {
  TEST_CASE("shipped exon table: ranges (SOURCE.md spot checks)") {
    struct Row {
      char const* gene;
      std::int32_t exon;
      std::int32_t aa_start, aa_end;
    };
    Row const rows[] = {
        {"EGFR", 18, 688, 728},   {"EGFR", 19, 729, 761},   {"EGFR", 20, 762, 823},   {"EGFR", 21, 824, 875},
        {"KIT", 9, 449, 514},     {"KIT", 11, 550, 592},    {"KIT", 13, 627, 664},    {"KIT", 17, 788, 828},
        {"PDGFRA", 12, 552, 596}, {"PDGFRA", 14, 631, 668}, {"PDGFRA", 18, 814, 854}, {"KRAS", 2, 1, 37},
        {"KRAS", 3, 38, 97},      {"KRAS", 4, 97, 150},     {"NRAS", 2, 1, 37},       {"NRAS", 3, 38, 97},
        {"NRAS", 4, 97, 150},     {"BRAF", 11, 439, 478},   {"BRAF", 15, 581, 620},   {"ERBB2", 20, 770, 831},
        {"MET", 14, 981, 1028},
    };
    auto const& exons = shipped_tables().exons;
    for (auto const& r : rows) {
      CAPTURE(r.gene);
      CAPTURE(r.exon);
      auto const range = exons.range(r.gene, r.exon);
      REQUIRE(range);
      CHECK(range->exon == r.exon);
      CHECK(range->aa_start == r.aa_start);
      CHECK(range->aa_end == r.aa_end);
    }
  }

  TEST_CASE("shipped exon table: reference transcripts and exon counts") {
    struct Row {
      char const* gene;
      char const* transcript;
      std::int32_t exons;
    };
    Row const rows[] = {
        {"EGFR", "NM_005228.3", 28},
        {"KIT", "NM_000222.2", 21},
        {"PDGFRA", "LRG_309t1", 23},
        {"KRAS", "NM_004985.5", 5},  // first listed (isoform b)
        {"NRAS", "NM_002524.3", 7},
        {"BRAF", "NM_004333.4", 18},
        {"ERBB2", "NM_004448.3", 27},
        {"MET", "NM_001127500.1", 21},
        {"TP53", "", 0},
    };
    auto const& exons = shipped_tables().exons;
    CHECK(exons.version() == "lrg_00634cf");
    for (auto const& r : rows) {
      CAPTURE(r.gene);
      CHECK(exons.has_gene(r.gene) == (r.exons > 0));
      CHECK(exons.transcript(r.gene) == r.transcript);
      CHECK(exons.exon_count(r.gene) == r.exons);
    }
  }

  TEST_CASE("shipped exon table: residue -> exons, split codons in both") {
    struct Row {
      char const* gene;
      std::int32_t aa;
      std::vector<std::int32_t> exons;
    };
    Row const rows[] = {
        {"EGFR", 746, {19}},  {"EGFR", 790, {20}}, {"EGFR", 858, {21}},    {"EGFR", 729, {19}},     {"EGFR", 761, {19}},
        {"EGFR", 762, {20}},  {"EGFR", 80, {2}},   {"EGFR", 81, {3}},      {"EGFR", 142, {3, 4}},  // split codon
        {"KIT", 113, {2, 3}}, {"KIT", 560, {11}},  {"KIT", 816, {17}},     {"KRAS", 12, {2}},       {"KRAS", 61, {3}},
        {"KRAS", 97, {3, 4}}, {"BRAF", 600, {15}}, {"MET", 981, {13, 14}}, {"MET", 1028, {14, 15}}, {"MET", 1000, {14}},
        {"ERBB2", 776, {20}}, {"EGFR", 0, {}},     {"EGFR", 5000, {}},     {"NOPE", 600, {}},
    };
    auto const& exons = shipped_tables().exons;
    for (auto const& r : rows) {
      CAPTURE(r.gene);
      CAPTURE(r.aa);
      CHECK(exons.exons_of(r.gene, r.aa) == r.exons);
    }
  }

  TEST_CASE("shipped exon table: unknown gene or non-coding exon") {
    auto const& exons = shipped_tables().exons;
    CHECK_FALSE(exons.has_gene("FOO123"));
    CHECK(exons.transcript("FOO123").empty());
    CHECK(exons.exons_of("FOO123", 10).empty());
    CHECK_FALSE(exons.range("FOO123", 1));
    CHECK(exons.exon_count("FOO123") == 0);
    CHECK_FALSE(exons.range("egfr", 19));  // gene symbols are exact
    CHECK_FALSE(exons.range("MET", 1));    // 5' UTR-only exon
    CHECK_FALSE(exons.range("EGFR", 29));
    CHECK_FALSE(exons.range("EGFR", 0));
  }

  TEST_CASE("ExonTable parser: preferred transcript, CRLF, BOM") {
    std::string const text =
        "\xEF\xBB\xBF"
        "gene\ttranscript\texon_ordinal\taa_start\taa_end\tcoding\r\n"
        "MET\tNM_000245.2\t1\t1\t10\tyes\r\n"
        "MET\tNM_001127500\t1\t\t\tno\r\n"
        "MET\tNM_001127500\t3\t20\t30\tyes\r\n"
        "MET\tNM_001127500\t2\t1\t20\tyes\r\n"
        "ABC\tNM_2.1\t1\t1\t5\tyes\r\n"
        "ABC\tNM_1.1\t1\t1\t9\tyes\r\n";
    std::string error;
    auto const t = ExonTable::parse_tsv(text, "mem.tsv", "v", &error);
    REQUIRE_MESSAGE(t, error);
    CHECK(t->transcript("MET") == "NM_001127500");  // accession without version also matches
    CHECK(t->exon_count("MET") == 3);
    CHECK(t->exons_of("MET", 20) == std::vector<std::int32_t>{2, 3});  // sorted by exon
    CHECK(t->transcript("ABC") == "NM_2.1");                           // first listed
    CHECK(t->range("ABC", 1)->aa_end == 5);
  }

  TEST_CASE("ExonTable parser: malformed input is reported with its line") {
    std::string const h = "gene\ttranscript\texon_ordinal\taa_start\taa_end\tcoding\n";
    struct Row {
      char const* what;
      std::string text;
      char const* expected;
    };
    Row const rows[] = {
        {"empty", "", "e.tsv:1:"},
        {"header lacks a column", "gene\ttranscript\n", "e.tsv:1: header lacks column 'exon_ordinal'"},
        {"too few fields", h + "A\tT\t1\n", "e.tsv:2: expected at least 6"},
        {"bad exon", h + "A\tT\tx\t1\t2\tyes\n", "e.tsv:2: exon_ordinal 'x'"},
        {"reversed range", h + "A\tT\t1\t1\t2\tyes\nA\tT\t2\t9\t3\tyes\n", "e.tsv:3: coding exon needs"},
        {"bad coding flag", h + "A\tT\t1\t1\t2\tmaybe\n", "e.tsv:2: coding must be"},
        {"repeated exon", h + "A\tT\t1\t1\t2\tyes\nA\tT\t1\t2\t3\tyes\n", "e.tsv:3: exon 1 of T repeats line 2"},
        {"empty gene", h + "\tT\t1\t1\t2\tyes\n", "e.tsv:2: empty gene"},
    };
    for (auto const& r : rows) {
      CAPTURE(r.what);
      std::string error;
      CHECK_FALSE(ExonTable::parse_tsv(r.text, "e.tsv", "v", &error));
      CHECK_MESSAGE(error.find(r.expected) != std::string::npos, error);
    }
  }
}

// ----------------------------------------------------------------------------------------------
TEST_SUITE("catalog") {
  // Loads the whole reference folder again from scratch; checks content only, never time.
  TEST_CASE("Catalog::load reads the shipped folder (no timing measured)") {
    std::string error;
    auto const catalog = Catalog::load(reference_dir() + "/", &error);  // trailing slash is fine
    REQUIRE_MESSAGE(catalog, error);
    CHECK(error.empty());
    CHECK(catalog->oncotree.size() == 898);
    CHECK(catalog->genes.size() == 43882);
    CHECK(catalog->exons.has_gene("EGFR"));
  }

  TEST_CASE("Catalog::load names the missing file") {
    std::string error;
    CHECK_FALSE(Catalog::load("/nonexistent-actionable-dir", &error));
    CHECK(error.find("/nonexistent-actionable-dir/oncotree_2025_10_03.tsv") != std::string::npos);
  }

  TEST_CASE("Catalog::default_dir honours ACTIONABLE_REFERENCE") {
    char const* old = std::getenv("ACTIONABLE_REFERENCE");
    std::string const saved = old != nullptr ? old : "";
    bool const had = old != nullptr;

    ::setenv("ACTIONABLE_REFERENCE", "/some/where", 1);
    CHECK(Catalog::default_dir() == "/some/where");
    ::setenv("ACTIONABLE_REFERENCE", "", 1);  // empty counts as unset
    CHECK(Catalog::default_dir() != "");
    CHECK(Catalog::default_dir() != "/some/where");
    ::unsetenv("ACTIONABLE_REFERENCE");
    CHECK_FALSE(Catalog::default_dir().empty());

    if (had) {
      ::setenv("ACTIONABLE_REFERENCE", saved.c_str(), 1);
    }
  }
}
