// Unit tests of the HGVS protein-change parser (src/model/hgvs.cpp): a table of spellings and
// their canonical forms (and rejections), count/predicate semantics, the biocommons/hgvs
// grammar vectors (with an explicit, commented exclusion table), the biocommons HGVSp columns
// (gcp__*.tsv, ext.tsv, extra.txt) and the real-world protein_change_corpus.tsv, whose parse
// count is reported with MESSAGE and guarded by a floor. Data: ACTIONABLE_SHARED_DATA.
#include "actionable/model/hgvs.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

using actionable::hgvs::aa1_to_aa3;
using actionable::hgvs::aa3_to_aa1;
using actionable::hgvs::EditKind;
using actionable::hgvs::parse_protein;
using actionable::hgvs::ProteinChange;

namespace {

#ifndef ACTIONABLE_SHARED_DATA
#define ACTIONABLE_SHARED_DATA "../shared/data"
#endif

std::string const kVectorDir = ACTIONABLE_SHARED_DATA "/hgvs_test_vectors";

// ---------------------------------------------------------------------------------------
// Spelling table: input -> canonical to_string() and kind; canonical "" means "rejected".
struct HgvsRow {
  std::string_view input;
  std::string_view canonical;
  EditKind kind = EditKind::kUnknown;
};

constexpr EditKind kSub = EditKind::kSubstitution;
constexpr EditKind kNon = EditKind::kNonsense;
constexpr EditKind kSyn = EditKind::kSynonymous;
constexpr EditKind kDel = EditKind::kDeletion;
constexpr EditKind kIns = EditKind::kInsertion;
constexpr EditKind kDup = EditKind::kDuplication;
constexpr EditKind kDin = EditKind::kDelIns;
constexpr EditKind kFs = EditKind::kFrameshift;
constexpr EditKind kExt = EditKind::kExtension;
constexpr EditKind kSl = EditKind::kStartLoss;
constexpr EditKind kUnk = EditKind::kUnknown;
constexpr EditKind kNo = EditKind::kNoProtein;
constexpr EditKind kPos = EditKind::kPosition;

constexpr HgvsRow kRows[] = {
    // substitution (missense)
    {"p.V600E", "p.V600E", kSub},
    {"p.Val600Glu", "p.V600E", kSub},
    {"p.(V600E)", "p.V600E", kSub},
    {"p.(Val600Glu)", "p.V600E", kSub},
    {"V600E", "p.V600E", kSub},
    {"Val600Glu", "p.V600E", kSub},
    {"(V600E)", "p.V600E", kSub},
    {"p.VAL600GLU", "p.V600E", kSub},
    {"p.V600Glu", "p.V600E", kSub},  // mixed alphabets between ref and alt are tolerated
    {" \tp.V600E \r\n", "p.V600E", kSub},
    {"p.M1V", "p.M1V", kSub},
    {"p.Sec12Pyl", "p.U12O", kSub},
    {"p.V600delinsE", "p.V600E", kSub},  // one residue for one residue is a substitution
    {"V600>E", "p.V600E", kSub},
    // nonsense
    {"p.R213*", "p.R213*", kNon},
    {"p.Arg213Ter", "p.R213*", kNon},
    {"p.Arg213*", "p.R213*", kNon},
    {"p.(Arg213Ter)", "p.R213*", kNon},
    {"R213X", "p.R213*", kNon},
    {"p.ARG213TER", "p.R213*", kNon},
    {"p.Ser2176*", "p.S2176*", kNon},
    // synonymous
    {"p.G7=", "p.G7=", kSyn},
    {"p.(Gly7=)", "p.G7=", kSyn},
    {"p.=", "p.=", kSyn},
    {"p.(=)", "p.=", kSyn},
    {"=", "p.=", kSyn},
    {"p.L858L", "p.L858=", kSyn},
    {"p.Leu858Leu", "p.L858=", kSyn},
    {"p.*110=", "p.*110=", kSyn},
    {"p.Ter110Ter", "p.*110=", kSyn},
    // deletion
    {"p.E746_A750del", "p.E746_A750del", kDel},
    {"p.Glu746_Ala750del", "p.E746_A750del", kDel},
    {"p.K745del", "p.K745del", kDel},
    {"p.(Leu4363del)", "p.L4363del", kDel},
    {"E746_A750delELREA", "p.E746_A750del", kDel},  // legacy: listed residues match
    {"K550_K558DEL", "p.K550_K558del", kDel},       // upper-case keywords (CIViC names)
    {"p.Leu2490_Thr2496del", "p.L2490_T2496del", kDel},
    // insertion
    {"p.D770_N771insSVD", "p.D770_N771insSVD", kIns},
    {"p.Asp770_Asn771insSerValAsp", "p.D770_N771insSVD", kIns},
    {"p.D770_N771insSerValAsp", "p.D770_N771insSVD", kIns},
    {"p.Gly10_Phe11insMetMet", "p.G10_F11insMM", kIns},
    {"p.G10_F11insMM*", "p.G10_F11insMM*", kIns},
    {"p.G10_F11insX", "p.G10_F11ins*", kIns},
    {"S501_A502INSAY", "p.S501_A502insAY", kIns},
    // duplication
    {"p.A767_V769dup", "p.A767_V769dup", kDup},
    {"p.Ala767_Val769dup", "p.A767_V769dup", kDup},
    {"p.K745dup", "p.K745dup", kDup},
    {"A767_V769dupASV", "p.A767_V769dup", kDup},
    // delins
    {"p.L747_P753delinsS", "p.L747_P753delinsS", kDin},
    {"p.Leu747_Pro753delinsSer", "p.L747_P753delinsS", kDin},
    {"p.(Cys200_Tyr205delinsIleLeuGln)", "p.C200_Y205delinsILQ", kDin},
    {"p.Ala4518_Ala5423delinsGln", "p.A4518_A5423delinsQ", kDin},
    {"p.N771delinsGY", "p.N771delinsGY", kDin},
    {"E746_T751>I", "p.E746_T751delinsI", kDin},          // legacy COSMIC spelling
    {"T417_D419DELTYDINSI", "p.T417_D419delinsI", kDin},  // legacy del<seq>ins<seq>
    {"M774DELINSWLV", "p.M774delinsWLV", kDin},
    // frameshift
    {"p.S1982Rfs*22", "p.S1982Rfs*22", kFs},
    {"p.Ser1982ArgfsTer22", "p.S1982Rfs*22", kFs},
    {"p.S1982RfsX22", "p.S1982Rfs*22", kFs},
    {"p.S1982fs", "p.S1982fs", kFs},
    {"p.(Gly8Trpfs*50)", "p.G8Wfs*50", kFs},
    {"p.S1982Rfs*?", "p.S1982Rfs", kFs},
    {"p.S1982Rfs*", "p.S1982Rfs", kFs},
    {"p.SER1982ARGfsTER22", "p.S1982Rfs*22", kFs},
    {"p.Arg170Profs", "p.R170Pfs", kFs},
    {"p.N1039fs", "p.N1039fs", kFs},
    {"p.Ala4518GlnfsTer2", "p.A4518Qfs*2", kFs},
    {"W288FS", "p.W288fs", kFs},
    {"R135FSX177", "p.R135fs*177", kFs},
    {"T148HFSX9", "p.T148Hfs*9", kFs},
    // extension
    {"p.*110Glnext*17", "p.*110Qext*17", kExt},
    {"p.Ter110GlnextTer17", "p.*110Qext*17", kExt},
    {"p.X110Qext*17", "p.*110Qext*17", kExt},
    {"p.(Ter3057Pheext*4)", "p.*3057Fext*4", kExt},
    {"p.*110Qext*?", "p.*110Qext*?", kExt},
    {"p.*110Qext", "p.*110Qext*?", kExt},
    {"p.Met1ext-5", "p.M1ext-5", kExt},
    {"p.Met1Valext-10", "p.M1Vext-10", kExt},
    {"p.M1ext", "p.M1ext", kExt},
    // start loss, unknown, no protein
    {"p.M1?", "p.M1?", kSl},
    {"p.Met1?", "p.M1?", kSl},
    {"p.(Met1?)", "p.M1?", kSl},
    {"p.?", "p.?", kUnk},
    {"?", "p.?", kUnk},
    {"p.0", "p.0", kNo},
    {"p.0?", "p.0", kNo},
    {"p.(0)", "p.0", kNo},
    // bare positions (rules: "any change at codon 12")
    {"p.G12", "p.G12", kPos},
    {"G12", "p.G12", kPos},
    {"p.Gly12", "p.G12", kPos},
    {"Q61", "p.Q61", kPos},
    {"p.*10", "p.*10", kPos},

    // rejected
    {"", ""},
    {"   ", ""},
    {"p.", ""},
    {"p.()", ""},
    {"p.(?)", ""},
    {"p.(0?)", ""},
    {"c.1799T>A", ""},
    {"g.140453136A>T", ""},
    {"NP_004324.2:p.Val600Glu", ""},  // accession prefixes are the caller's business
    {"p.X1445_splice", ""},
    {"X1445_splice", ""},
    {"p.V0E", ""},
    {"p.V-1E", ""},
    {"p.V0600E", ""},
    {"p.V99999999999E", ""},
    {"p.V600EE", ""},
    {"p.V600E)", ""},
    {"p.(V600E", ""},
    {"p.((V600E))", ""},
    {"p.v600e", ""},
    {"p.val600glu", ""},
    {"p.Xyz600Glu", ""},
    {"p.Val600Xyz", ""},
    {"p.J600E", ""},
    {"p.V600J", ""},
    {"p.Glx600E", ""},  // ambiguity codes are not residues
    {"p.600E", ""},
    {"p.V600", "p.V600", kPos},
    {"p.A750_E746del", ""},
    {"p.E746_E746del", ""},
    {"p.E746_A750", ""},
    {"p.E746_A750E", ""},
    {"p.E746-A750del", ""},
    {"p.D770_N772insSVD", ""},  // insertion flanks must be adjacent
    {"p.D770insSVD", ""},
    {"p.D770_N771ins3", ""},
    {"p.D770_N771ins", ""},
    {"p.D770_N771insSerVD", ""},  // mixed alphabets inside a sequence
    {"p.D770_N771insS*V", ""},    // a stop must end the sequence
    {"p.L747_P753delins", ""},
    {"p.E746_A750delELRE", ""},  // listed residues do not match the range
    {"p.E746_A750delELREV", ""},
    {"p.A3del3", ""},
    {"p.A3_F4dup2", ""},
    {"p.S1982Rfs22", ""},
    {"p.S1982Rfs?", ""},
    {"p.S1982RfsTer0", ""},
    {"p.R213*fs", ""},
    {"p.*110Qext-5", ""},
    {"p.M1ext*5", ""},
    {"p.M2ext-5", ""},
    {"p.A3?", ""},
    {"p.E746_A750fs", ""},
    {"V600E (c.1799T>A)", ""},
    {"BRAF V600E", ""},
    {"V600E/K", ""},
    {"V600E+V600M", ""},
    {"Exon 19 Deletion", ""},
    {"Amplification", ""},
    {"p.KIM2014fs", ""},  // legacy multi-residue TCGA spelling: ambiguous
    {"p.V600del fs", ""},
};

TEST_CASE("hgvs: spelling table parses to the canonical form") {
  std::size_t accepted = 0;
  std::size_t rejected = 0;
  for (HgvsRow const& row : kRows) {
    CAPTURE(row.input);
    std::string error;
    auto const change = parse_protein(row.input, &error);
    if (row.canonical.empty()) {
      CHECK_FALSE(change.has_value());
      CHECK_FALSE(error.empty());
      ++rejected;
      continue;
    }
    CAPTURE(error);
    REQUIRE(change.has_value());
    CHECK(change->to_string() == row.canonical);
    CHECK(change->kind == row.kind);
    ++accepted;
    // The canonical form is a fixed point and denotes the same change.
    auto const again = parse_protein(change->to_string());
    REQUIRE(again.has_value());
    ProteinChange expected = *change;
    expected.predicted = false;
    CHECK(*again == expected);
  }
  MESSAGE("spelling table: " << accepted << " accepted, " << rejected << " rejected rows");
  CHECK(accepted + rejected >= 60);
}

TEST_CASE("hgvs: fields of parsed changes") {
  auto v600e = parse_protein("p.Val600Glu");
  REQUIRE(v600e);
  CHECK(v600e->ref_first == 'V');
  CHECK(v600e->first == 600);
  CHECK(v600e->ref_last == 'V');
  CHECK(v600e->last == 600);
  CHECK(v600e->alt == "E");
  CHECK(v600e->fs_stop == -1);
  CHECK_FALSE(v600e->predicted);
  CHECK(*v600e == *parse_protein("V600E"));
  // Prediction is not part of the spelling, but it is a field, so == sees it.
  auto predicted = parse_protein("p.(V600E)");
  REQUIRE(predicted);
  CHECK(predicted->predicted);
  CHECK(predicted->to_string() == v600e->to_string());
  CHECK_FALSE(*predicted == *v600e);

  auto del = parse_protein("p.Glu746_Ala750del");
  REQUIRE(del);
  CHECK(del->ref_first == 'E');
  CHECK(del->first == 746);
  CHECK(del->ref_last == 'A');
  CHECK(del->last == 750);
  CHECK(del->alt.empty());

  auto fs = parse_protein("p.(Gly8Trpfs*50)");
  REQUIRE(fs);
  CHECK(fs->predicted);
  CHECK(fs->alt == "W");
  CHECK(fs->fs_stop == 50);
  CHECK(parse_protein("p.S1982fs")->alt.empty());
  CHECK(parse_protein("p.S1982Rfs*?")->fs_stop == -1);

  auto ext = parse_protein("p.*110Glnext*17");
  REQUIRE(ext);
  CHECK(ext->ref_first == '*');
  CHECK(ext->alt == "Q");
  CHECK(ext->fs_stop == 17);
  auto next = parse_protein("p.Met1ext-5");  // N-terminal: fs_stop is the upstream distance
  REQUIRE(next);
  CHECK(next->ref_first == 'M');
  CHECK(next->first == 1);
  CHECK(next->fs_stop == 5);

  auto unknown = parse_protein("p.?");
  REQUIRE(unknown);
  CHECK(unknown->first == 0);
  CHECK(unknown->ref_first == 0);
  auto no_protein = parse_protein("p.0?");
  REQUIRE(no_protein);
  CHECK(no_protein->predicted);
  auto syn = parse_protein("p.=");
  REQUIRE(syn);
  CHECK(syn->first == 0);
}

struct Counts {
  std::string_view input;
  std::int32_t deleted;
  std::int32_t inserted;
  bool nonsynonymous;
  bool inframe;
  bool truncating;
};

TEST_CASE("hgvs: deleted/inserted counts and predicates") {
  constexpr Counts kCases[] = {
      {"p.V600E", 1, 1, true, false, false},
      {"p.R213*", 1, 0, true, false, true},
      {"p.G7=", 0, 0, false, false, false},
      {"p.=", 0, 0, false, false, false},
      {"p.E746_A750del", 5, 0, true, true, false},
      {"p.K745del", 1, 0, true, true, false},
      {"p.D770_N771insSVD", 0, 3, true, true, false},
      {"p.A767_V769dup", 0, 3, true, true, false},
      {"p.K745dup", 0, 1, true, true, false},
      {"p.L747_P753delinsS", 7, 1, true, true, false},
      {"p.N771delinsGY", 1, 2, true, true, false},
      {"p.S1982Rfs*22", 0, 0, true, false, true},
      {"p.S1982fs", 0, 0, true, false, true},
      {"p.*110Qext*17", 0, 0, true, false, false},
      {"p.M1ext-5", 0, 0, true, false, false},
      {"p.M1?", 0, 0, true, false, true},
      {"p.?", 0, 0, false, false, false},
      {"p.0", 0, 0, true, false, true},
      {"p.G12", 0, 0, false, false, false},
  };
  for (Counts const& c : kCases) {
    CAPTURE(c.input);
    auto const change = parse_protein(c.input);
    REQUIRE(change.has_value());
    CHECK(change->deleted_count() == c.deleted);
    CHECK(change->inserted_count() == c.inserted);
    CHECK(change->is_nonsynonymous() == c.nonsynonymous);
    CHECK(change->is_inframe_indel() == c.inframe);
    CHECK(change->is_truncating() == c.truncating);
  }
}

TEST_CASE("hgvs: amino-acid code conversion") {
  CHECK(aa3_to_aa1("Val") == 'V');
  CHECK(aa3_to_aa1("val") == 'V');
  CHECK(aa3_to_aa1("VAL") == 'V');
  CHECK(aa3_to_aa1("Ter") == '*');
  CHECK(aa3_to_aa1("Sec") == 'U');
  CHECK(aa3_to_aa1("Pyl") == 'O');
  CHECK(aa3_to_aa1("vAL") == 0);
  CHECK(aa3_to_aa1("Xaa") == 0);
  CHECK(aa3_to_aa1("Glx") == 0);
  CHECK(aa3_to_aa1("Va") == 0);
  CHECK(aa3_to_aa1("Vall") == 0);
  CHECK(aa1_to_aa3('V') == "Val");
  CHECK(aa1_to_aa3('W') == "Trp");
  CHECK(aa1_to_aa3('*') == "Ter");
  CHECK(aa1_to_aa3('X') == "Ter");
  CHECK(aa1_to_aa3('J').empty());
  CHECK(aa1_to_aa3('v').empty());
  CHECK(aa1_to_aa3(0).empty());
  for (char c : std::string_view("ACDEFGHIKLMNPQRSTVWYUO*")) {
    CAPTURE(c);
    CHECK(aa3_to_aa1(aa1_to_aa3(c)) == c);
  }
}

TEST_CASE("hgvs: error messages name the problem") {
  std::string error;
  CHECK_FALSE(parse_protein("p.Xyz600Glu", &error));
  CHECK(error == "unknown amino acid 'Xyz' at column 3");
  CHECK_FALSE(parse_protein("  p.Val600Xyz", &error));
  CHECK(error == "unknown amino acid 'Xyz' at column 11");
  CHECK_FALSE(parse_protein("p.X1445_splice", &error));
  CHECK(error.find("splice") != std::string::npos);
  CHECK_FALSE(parse_protein("c.1799T>A", &error));
  CHECK(error.find("'c.'") != std::string::npos);
  CHECK_FALSE(parse_protein("p.V0E", &error));
  CHECK(error.find("positive") != std::string::npos);
  CHECK_FALSE(parse_protein("p.A750_E746del", &error));
  CHECK(error.find("range") != std::string::npos);
  error = "untouched";
  CHECK(parse_protein("p.V600E", &error));
  CHECK(error == "untouched");
}

// ---------------------------------------------------------------------------------------
// File helpers.

std::vector<std::string> read_lines(std::string const& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t const end = text.find(sep, start);
    out.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

// "NP_000001.1:p.Gly25Trp" -> "p.Gly25Trp" (what a caller does before parse_protein).
std::string strip_accession(std::string_view s) {
  std::size_t const colon = s.find(':');
  return std::string(colon == std::string_view::npos ? s : s.substr(colon + 1));
}

// ---------------------------------------------------------------------------------------
// biocommons/hgvs grammar_test.tsv.
//
// Rule selection. A rule is tested when it describes a protein change:
//  * complete rules: the case is a whole change, parsed as written (accession prefixes in
//    p_variant / *_hgvs_position / hgvs_variant stripped as a caller would);
//  * fragment rules: the case is an edit without its position ("del", "Argfs*9", "ext-12",
//    "*10"); it is parsed after prepending a fixed position, see compose_fragment().
// Residue-only rules (aa1, aat13_seq, term3, ...) are not protein changes; their alphabet is
// exercised through the fragment rules. Nucleotide and other rules are out of scope. Every
// rule of the file must fall into one of these groups, so new rules cannot be skipped.
constexpr std::string_view kCompleteRules[] = {
    "p_posedit",       "p_posedit_special", "p_typed_posedit", "p_variant",
    "p_hgvs_position", "hgvs_position",     "hgvs_variant",    "p_pos",
    "def_p_pos",       "p_interval",        "def_p_interval",
};
constexpr std::string_view kFragmentRules[] = {
    "pro_del",   "pro_delins", "pro_dup", "pro_edit", "pro_edit_mu", "pro_ext",  "pro_fs",       "pro_ins",
    "pro_subst", "pro_ident",  "fs",      "ext",      "aa13_fs",     "aa13_ext", "fsext_offset",
};
constexpr std::string_view kResidueRules[] = {
    "aa1",   "aa13",      "aa1_seq", "aa13_seq", "aa3",   "aa3_seq", "aat1",  "aat1_seq",
    "aat13", "aat13_seq", "aat3",    "aat3_seq", "term1", "term13",  "term3",
};
constexpr std::string_view kNonProteinPrefixes[] = {
    "accn",        "base",          "c_",         "g_",     "m_",     "n_",     "r_",
    "def_c_",      "def_g_",        "def_m_",     "def_n_", "def_r_", "dna",    "rna",
    "na_iupac",    "uncertain_",    "nnum",       "num",    "snum",   "offset", "pm",
    "gene_symbol", "opt_gene_expr", "paren_gene",
};

// Deliberate differences from biocommons. Each entry states what parse_protein does instead
// and is itself checked; an entry that matches no vector fails the test.
struct Exclusion {
  std::string_view rule;
  std::string_view item;
  bool we_parse;
  std::string_view reason;
};

constexpr std::string_view kRangeOnly =
    "a residue range without an edit is not a ProteinChange (kPosition is one codon)";
constexpr std::string_view kNucleotide = "nucleotide-level (n./g./c./r.): parse_protein accepts protein changes only";
constexpr std::string_view kEditUncertain =
    "uncertain edit in parentheses after the position (p.Ala3(del)) is not supported; only "
    "the whole-change p.(...) form is";
constexpr std::string_view kOldExt =
    "obsolete new-initiation residue inside an N-terminal extension (ext Val-5); current "
    "HGVS writes p.Met1ext-5";
constexpr std::string_view kListedDel =
    "legacy spelling that lists the deleted residues (E746_A750delELREA) is accepted when "
    "the count and both end residues match the range";

constexpr Exclusion kExclusions[] = {
    {"p_posedit", "Ala3", true, "a bare codon is accepted as EditKind::kPosition (rule patterns such as p.G12)"},
    {"p_interval", "Met1_Gly10", false, kRangeOnly},
    {"p_interval", "(Met1_Gly10)", false, kRangeOnly},
    {"def_p_interval", "Met1_Gly10", false, kRangeOnly},
    {"p_hgvs_position", "AC_01234.5:p.Met1_Gly10", false, kRangeOnly},
    {"hgvs_position", "AC_01234.5:n.1", false, kNucleotide},
    {"hgvs_position", "AC_01234.5:g.1", false, kNucleotide},
    {"hgvs_position", "AC_01234.5:c.1", false, kNucleotide},
    {"hgvs_position", "AC_01234.5:r.1", false, kNucleotide},
    {"hgvs_position", "NM_01234.5:c.22+6", false, kNucleotide},
    {"hgvs_variant", "AC_01234.5:c.1A>T", false, kNucleotide},
    {"hgvs_variant", "AC_01234.5:r.1A>U", false, kNucleotide},
    {"hgvs_variant", "AC_01234.5:g.1A>T", false, kNucleotide},
    {"pro_edit_mu", "(delinsCysTyr)", false, kEditUncertain},
    {"pro_edit_mu", "(del)", false, kEditUncertain},
    {"pro_edit_mu", "(insAsn)", false, kEditUncertain},
    {"pro_edit_mu", "(Glu)", false, kEditUncertain},
    {"ext", "extVal-5", false, kOldExt},
    {"aa13_ext", "Val-5", false, kOldExt},
    {"pro_del", "delA", true, kListedDel},
    {"pro_del", "delAla", true, kListedDel},
};

template <std::size_t N>
bool contains(std::string_view const (&list)[N], std::string_view rule) {
  return std::find(std::begin(list), std::end(list), rule) != std::end(list);
}

bool is_non_protein(std::string_view rule) {
  for (std::string_view prefix : kNonProteinPrefixes) {
    if (rule.starts_with(prefix)) return true;
  }
  return false;
}

// True when the fragment spells residues in 3-letter code ("Argfs", "delinsAla"), false
// when it uses 1-letter residues ("Rfs", "insAG"); stops ("*", "X", "Ter") do not count.
bool uses_three_letter(std::string_view frag) {
  bool one_letter = false;
  for (std::size_t i = 0; i < frag.size(); ++i) {
    if (frag[i] < 'A' || frag[i] > 'Z') continue;
    if (i + 3 <= frag.size() && frag[i + 1] >= 'a' && frag[i + 1] <= 'z' && aa3_to_aa1(frag.substr(i, 3)) != 0) {
      if (frag.substr(i, 3) != "Ter") return true;
      i += 2;
      continue;
    }
    if (frag[i] != 'X') one_letter = true;
  }
  return !one_letter;
}

// Prepends a position (and, for tail-only rules, the edit head) so that a fragment becomes a
// whole change. The prefix uses the fragment's alphabet; insertions and delins get a range.
std::string compose_fragment(std::string_view rule, std::string_view frag) {
  bool const three = uses_three_letter(frag);
  auto pick = [three](std::string_view aa3, std::string_view aa1) { return std::string(three ? aa3 : aa1); };
  std::string_view bare = frag;
  if (bare.starts_with("(")) bare.remove_prefix(1);
  bool const needs_range = rule == "pro_delins" || rule == "pro_ins" ||
                           ((rule == "pro_edit" || rule == "pro_edit_mu") && bare.starts_with("ins"));
  bool const n_terminal = frag.find('-') != std::string_view::npos;
  std::string prefix = "p.";
  if (needs_range) {
    prefix += pick("Ala3_Phe4", "A3_F4");
  } else if (rule == "pro_subst") {
    prefix += pick("Met1", "M1");  // residue 1 so that "?" is a start loss
  } else if (rule == "pro_ext") {
    prefix += pick("Ter110", "*110");
  } else if (rule == "pro_fs") {
    prefix += pick("Ser3", "S3");
  } else if (rule == "fs") {
    prefix += "Arg3Ser";
  } else if (rule == "aa13_fs") {
    prefix += "Arg3Serfs";
  } else if (rule == "fsext_offset") {
    prefix += "Arg3Serfs*";
  } else if (rule == "ext") {
    prefix += n_terminal ? "Met1" : "Ter110Gln";
  } else if (rule == "aa13_ext") {
    prefix += n_terminal ? "Met1ext" : "Ter110Glnext";
  } else {  // pro_del, pro_dup, pro_ident, pro_edit, pro_edit_mu
    prefix += pick("Ala3", "A3");
  }
  return prefix + std::string(frag);
}

TEST_CASE("hgvs: biocommons grammar vectors") {
  auto const lines = read_lines(kVectorDir + "/grammar_test.tsv");
  REQUIRE_MESSAGE(lines.size() > 300, "cannot read " << kVectorDir << "/grammar_test.tsv");
  std::vector<bool> exclusion_used(std::size(kExclusions), false);
  std::size_t checked = 0;
  std::size_t passed = 0;
  std::size_t excluded = 0;
  std::size_t valid_cases = 0;
  std::size_t invalid_cases = 0;
  std::map<std::string, int> rules_seen;
  for (std::size_t n = 1; n < lines.size(); ++n) {  // line 0 is the header
    std::string const& line = lines[n];
    if (line.empty() || line[0] == '#') continue;
    auto const cols = split(line, '\t');
    REQUIRE(cols.size() >= 4);
    std::string const& rule = cols[0];
    bool const complete = contains(kCompleteRules, rule);
    bool const fragment = contains(kFragmentRules, rule);
    if (!complete && !fragment) {
      CHECK_MESSAGE((contains(kResidueRules, rule) || is_non_protein(rule)),
                    "unclassified grammar rule '" << rule << "' (line " << n + 1 << ")");
      continue;
    }
    std::string valid = cols[2];
    std::transform(valid.begin(), valid.end(), valid.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    REQUIRE((valid == "true" || valid == "false"));
    bool const biocommons_valid = valid == "true";
    std::vector<std::string> items = cols[3] == "list" ? split(cols[1], '|') : std::vector<std::string>{cols[1]};
    for (std::string const& item : items) {
      std::string const input = complete ? (item.find(':') != std::string::npos ? strip_accession(item) : item)
                                         : compose_fragment(rule, item);
      bool expect = biocommons_valid;
      std::string_view reason;
      for (std::size_t e = 0; e < std::size(kExclusions); ++e) {
        if (kExclusions[e].rule == rule && kExclusions[e].item == item) {
          exclusion_used[e] = true;
          expect = kExclusions[e].we_parse;
          reason = kExclusions[e].reason;
        }
      }
      std::string error;
      bool const parsed = parse_protein(input, &error).has_value();
      INFO("rule " << rule << " line " << n + 1 << ": '" << item << "' -> '" << input << "' biocommons " << valid
                   << "; " << error);
      CHECK(parsed == expect);
      ++checked;
      ++rules_seen[rule];
      if (!reason.empty()) {
        ++excluded;
      } else if (parsed == expect) {
        ++passed;
        (biocommons_valid ? valid_cases : invalid_cases) += 1;
      }
    }
  }
  for (std::size_t e = 0; e < std::size(kExclusions); ++e) {
    CHECK_MESSAGE(exclusion_used[e], "stale exclusion " << kExclusions[e].rule << " '" << kExclusions[e].item << "'");
  }
  MESSAGE("grammar vectors: " << checked << " protein cases in " << rules_seen.size() << " rules; " << passed
                              << " agree with biocommons (" << valid_cases << " valid, " << invalid_cases
                              << " invalid), " << excluded << " in the exclusion table");
  CHECK(passed + excluded == checked);
  CHECK(checked >= 200);
}

TEST_CASE("hgvs: biocommons HGVSp columns all parse") {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto const& entry : std::filesystem::directory_iterator(kVectorDir, ec)) {
    std::string const name = entry.path().filename().string();
    if (name.starts_with("gcp__") || name == "ext.tsv") files.push_back(name);
  }
  std::sort(files.begin(), files.end());
  REQUIRE_MESSAGE(files.size() >= 13, "cannot list " << kVectorDir);
  std::size_t parsed = 0;
  std::size_t total = 0;
  for (std::string const& name : files) {
    auto const lines = read_lines(kVectorDir + "/" + name);
    REQUIRE(!lines.empty());
    auto const header = split(lines[0], '\t');
    auto const col = std::find(header.begin(), header.end(), "HGVSp") - header.begin();
    REQUIRE(static_cast<std::size_t>(col) < header.size());
    for (std::size_t n = 1; n < lines.size(); ++n) {
      if (lines[n].empty() || lines[n][0] == '#') continue;
      auto const cols = split(lines[n], '\t');
      if (static_cast<std::size_t>(col) >= cols.size() || cols[col].empty()) continue;
      std::string const input = strip_accession(cols[col]);
      std::string error;
      bool const ok = parse_protein(input, &error).has_value();
      INFO(name << " line " << n + 1 << ": " << cols[col] << ": " << error);
      CHECK(ok);
      ++total;
      parsed += ok ? 1 : 0;
    }
  }
  // extra.txt: real-world NP_ protein variants mixed with nucleotide ones.
  for (std::string const& line : read_lines(kVectorDir + "/extra.txt")) {
    if (line.find(":p.") == std::string::npos || line[0] == '#') continue;
    std::string error;
    bool const ok = parse_protein(strip_accession(line), &error).has_value();
    INFO("extra.txt: " << line << ": " << error);
    CHECK(ok);
    ++total;
    parsed += ok ? 1 : 0;
  }
  MESSAGE("biocommons HGVSp columns (" << files.size() << " gcp/ext files + extra.txt): " << parsed << " of " << total
                                       << " parse");
  CHECK(total >= 390);
}

// ---------------------------------------------------------------------------------------
// Real-world strings (CIViC names, MAF columns, MOAlmanac, biocommons). Many rows are not
// single protein changes ("Amplification", "BRAF V600E AND BRAF V600K", "V600E (c.1799T>A)")
// and are rejected by design; the floors guard against regressions.
TEST_CASE("hgvs: protein_change_corpus.tsv parse count") {
  auto const lines = read_lines(kVectorDir + "/protein_change_corpus.tsv");
  REQUIRE_MESSAGE(lines.size() > 6000, "cannot read protein_change_corpus.tsv");
  std::size_t rows = 0;
  std::size_t parsed_raw = 0;
  std::size_t parsed_stripped = 0;
  std::map<std::string, std::pair<std::size_t, std::size_t>> by_style;  // parsed, total
  for (std::size_t n = 1; n < lines.size(); ++n) {
    if (lines[n].empty()) continue;
    auto const cols = split(lines[n], '\t');
    REQUIRE(cols.size() >= 2);
    ++rows;
    auto const raw = parse_protein(cols[0]);
    parsed_raw += raw ? 1 : 0;
    // What a caller does with "NP_…:p.…" before calling parse_protein.
    auto const change = parse_protein(strip_accession(cols[0]));
    auto& style = by_style[cols[1]];
    ++style.second;
    if (!change) continue;
    ++parsed_stripped;
    ++style.first;
    // Every accepted row has a canonical spelling that parses back to the same change.
    auto const again = parse_protein(change->to_string());
    ProteinChange expected = *change;
    expected.predicted = false;
    INFO(cols[0] << " -> " << change->to_string());
    REQUIRE(again.has_value());
    CHECK(*again == expected);
  }
  MESSAGE("protein_change_corpus.tsv: " << parsed_raw << " of " << rows << " rows parse as written, " << parsed_stripped
                                        << " after stripping an accession prefix");
  for (auto const& [style, counts] : by_style) {
    MESSAGE("  " << style << ": " << counts.first << " of " << counts.second);
  }
  CHECK(rows == 6479);
  CHECK(parsed_raw >= 2878);
  CHECK(parsed_stripped >= 3733);
}

}  // namespace
