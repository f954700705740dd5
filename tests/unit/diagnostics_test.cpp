// Parser and semantic diagnostics (dsl.md §1–§4; docs/errors.md): every code, its location,
// and for a few, the full rendered message (the contract a rule author sees).
#include <string>

#include "actionable/detail/dsl/parser.hpp"
#include "actionable/detail/sema/check.hpp"
#include "support.hpp"

using namespace actionable;
using actionable::testing::compile;
using actionable::testing::first_code;

namespace {

struct Case {
  char const* name;
  char const* source;  // without the ruleset line unless the case is about it
  char const* code;    // expected first (sorted) diagnostic code
  char const* where;   // expected "line:col" of that diagnostic ("" = no span)
};

// A valid rule around which cases vary one thing.
#define RULE(WHEN, TUMOUR) "rule r {\n  when " WHEN "\n  tumour " TUMOUR "\n  class approved\n  therapy \"x\"\n}\n"

Case const kCases[] = {
    {"syntax: missing expression", "rule r {\n  when\n  tumour LUAD\n}\n", "E001", "4:3"},
    {"syntax: unknown clause", "rule r {\n  when EGFR mutation\n  colour red\n}\n", "E001", "4:3"},
    {"syntax: unterminated block", "rule r {\n  when EGFR mutation\n", "E001", "4:1"},
    {"syntax: top-level garbage", "rules r {}\n", "E001", "2:1"},
    {"syntax: bad exon event", RULE("EGFR exon 19 frobnication", "LUAD"), "E001", "3:21"},
    {"duplicate rule", RULE("EGFR mutation", "LUAD") RULE("KRAS mutation", "LUAD"), "E101", "8:6"},
    {"duplicate define", "define A = EGFR mutation\ndefine A = KRAS mutation\n", "E101", "3:8"},
    {"undefined name", RULE("EGFR_SENS", "LUAD"), "E102", "3:8"},
    {"gene without feature", RULE("EGFR", "LUAD"), "E102", "3:8"},
    {"define cycle", "define A = B and EGFR mutation\ndefine B = A\n", "E103", "2:8"},
    {"self cycle", "define A = not A\n", "E103", "2:8"},
    {"two rulesets", "ruleset \"a\" version \"1\"\nruleset \"b\" version \"2\"\n", "E104", "2:1"},
    {"unknown gene", RULE("EGRF mutation", "LUAD"), "E201", "3:8"},
    {"ambiguous gene", RULE("NEU amplification", "BRCA"), "E202", "3:8"},
    {"unknown oncotree code", RULE("EGFR mutation", "LUADX"), "E211", "4:10"},
    {"unknown code in except", RULE("EGFR mutation", "SOLID except FOO"), "E211", "4:23"},
    {"invalid protein change", RULE("EGFR p.L858Z", "LUAD"), "E221", "3:13"},
    {"synonymous is not an alteration", RULE("EGFR p.L858=", "LUAD"), "E222", "3:13"},
    {"excluding on a fusion", RULE("ALK fusion excluding p.F1174L", "LUAD"), "E222", "3:29"},
    {"inverted exon range", RULE("EGFR exon 21-18 mutation", "LUAD"), "E222", "3:13"},
    {"exon beyond the gene", RULE("EGFR exon 40 deletion", "LUAD"), "E223", "3:13"},
    {"ordering on text", RULE("biomarker PDL1 >= high", "LUAD"), "E224", "3:8"},
    {"unknown level scheme",
     "rule r {\n  when EGFR mutation\n  tumour LUAD\n  class approved\n"
     "  therapy \"x\"\n  level FOO:1\n}\n",
     "E231", "7:9"},
    {"bad ESCAT tier",
     "rule r {\n  when EGFR mutation\n  tumour LUAD\n  class approved\n"
     "  therapy \"x\"\n  level ESCAT:VI\n}\n",
     "E232", "7:9"},
    {"no when", "rule r {\n  tumour LUAD\n  class approved\n  therapy \"x\"\n}\n", "E241", "2:6"},
    {"no tumour", "rule r {\n  when EGFR mutation\n  class approved\n  therapy \"x\"\n}\n", "E242", "2:6"},
    {"no class", "rule r {\n  when EGFR mutation\n  tumour LUAD\n  therapy \"x\"\n}\n", "E243", "2:6"},
    {"unknown class",
     "rule r {\n  when EGFR mutation\n  tumour LUAD\n  class matched_trial\n"
     "  therapy \"x\"\n}\n",
     "E243", "5:9"},
    {"no therapy", "rule r {\n  when EGFR mutation\n  tumour LUAD\n  class approved\n}\n", "E244", "2:6"},
    {"duplicate clause",
     "rule r {\n  when EGFR mutation\n  when KRAS mutation\n  tumour LUAD\n"
     "  class approved\n  therapy \"x\"\n}\n",
     "E245", "4:3"},
    {"clause not allowed",
     "rule r {\n  when EGFR mutation\n  tumour LUAD\n  class approved\n"
     "  therapy \"x\"\n  site \"UZ Leuven\"\n}\n",
     "E246", "7:3"},
    {"unknown status",
     "trial NCT00000001 \"t\" {\n  status open\n  arm \"A\" {\n"
     "    when EGFR mutation\n    tumour LUAD\n  }\n}\n",
     "E247", "3:10"},
    {"duplicate arm",
     "trial NCT00000001 \"t\" {\n  status recruiting\n  arm \"A\" {\n"
     "    when EGFR mutation\n    tumour LUAD\n  }\n  arm \"A\" {\n"
     "    when KRAS mutation\n    tumour LUAD\n  }\n}\n",
     "E248", "8:7"},
    {"trial without arms", "trial NCT00000001 \"t\" {\n  status recruiting\n}\n", "E249", "2:7"},
    {"unknown expectation",
     RULE("EGFR mutation", "LUAD") "test \"t\" {\n  patient { tumour LUAD }\n  expect approvedd \"x\"\n}\n", "E261",
     "10:10"},
    {"expectation names nothing",
     RULE("EGFR mutation", "LUAD") "test \"t\" {\n  patient { tumour LUAD }\n  expect approved nosuchrule\n}\n", "E262",
     "10:19"},
    {"bad pathway option",
     RULE("EGFR mutation", "LUAD") "test \"t\" {\n  patient { tumour LUAD }\n  expect pathway trials\n}\n", "E263",
     "10:3"},
    {"test patient without tumour",
     RULE("EGFR mutation", "LUAD") "test \"t\" {\n  patient { age 60 }\n  expect pathway empirical\n}\n", "E264",
     "8:6"},
    {"unreadable stage", RULE("EGFR mutation and stage >= V", "LUAD"), "E272", "3:26"},
    {"unknown lab test", RULE("EGFR mutation and lab lactate >= 2 mmol/L", "LUAD"), "E273", "3:26"},
    {"unit of another test", RULE("EGFR mutation and lab platelets >= 100 g/dL", "LUAD"), "E274", "3:26"},
    {"x ULN without a ULN", RULE("EGFR mutation and lab haemoglobin >= 2 x ULN", "LUAD"), "E274", "3:26"},
    {"ATC class not in the table", RULE("EGFR mutation and prior class L01ZZ", "LUAD"), "E275", "3:26"},
    {"test patient date",
     RULE("EGFR mutation", "LUAD") "test \"t\" {\n  patient { tumour LUAD as_of 2026-02-30 }\n"
                                   "  expect not approved\n}\n",
     "E276", "9:25"},
    {"alias is a warning", RULE("HER2 amplification", "BRCA"), "W201", "3:8"},
    {"unknown protein marker", RULE("KRAS IHC positive", "BRCA"), "E225", "3:8"},
    {"not a HER2 IHC score", RULE("HER2 IHC 4+", "BRCA"), "E225", "3:17"},
    {"evidence without direction",
     "rule r {\n  when EGFR mutation\n  tumour LUAD\n  class evidence\n"
     "  therapy \"x\"\n  level CIViC:B\n}\n",
     "E251", "2:6"},
    {"direction outside evidence",
     "rule r {\n  when EGFR mutation\n  tumour LUAD\n  class approved\n"
     "  direction sensitivity\n  therapy \"x\"\n}\n",
     "E251", "6:3"},
    {"unknown direction after not",
     "rule r {\n  when EGFR mutation\n  tumour LUAD\n  class evidence\n"
     "  direction not maybe\n  therapy \"x\"\n  level CIViC:B\n}\n",
     "E251", "6:17"},
    {"negated direction outside evidence",
     "rule r {\n  when EGFR mutation\n  tumour LUAD\n  class approved\n"
     "  direction not sensitivity\n  therapy \"x\"\n}\n",
     "E251", "6:3"},
    {"trial without status",
     "trial NCT00000001 \"t\" {\n  arm \"A\" {\n    when EGFR mutation\n"
     "    tumour LUAD\n  }\n}\n",
     "W250", "2:7"},
};

}  // namespace

TEST_CASE("diagnostics: every code at its place") {
  for (auto const& c : kCases) {
    CAPTURE(c.name);
    Diagnostics d;
    compile(c.source, d);
    INFO(d.format());
    auto sorted = d.sorted();
    REQUIRE(!sorted.empty());
    CHECK(sorted.front().code == c.code);
    if (*c.where && sorted.front().span.valid()) {
      auto lc = sorted.front().span.file->line_col(sorted.front().span.begin);
      CHECK(std::to_string(lc.line) + ":" + std::to_string(lc.col) == c.where);
    }
  }
}

TEST_CASE("diagnostics: full text of the alias warning and a did-you-mean") {
  Diagnostics d;
  auto e = compile(RULE("HER2 amplification", "BRCA"), d, "rules/x.rules");
  REQUIRE(e != nullptr);  // a warning does not stop compilation
  CHECK(d.format() ==
        "rules/x.rules:3:8: warning: gene symbol 'HER2' is an alias of 'ERBB2'; read as ERBB2 "
        "[W201]\n    when HER2 amplification\n         ^~~~\n  note: write 'ERBB2' to silence "
        "this warning\n");
  Diagnostics d2;
  CHECK(compile(RULE("EGFR mutation", "NSCL"), d2, "r.rules") == nullptr);
  CHECK(d2.format().find("r.rules:4:10: error: unknown OncoTree code 'NSCL'") != std::string::npos);
  CHECK(d2.format().find("note: did you mean 'NSCLC'?") != std::string::npos);
}

TEST_CASE("diagnostics: missing ruleset declaration") {
  Diagnostics d;
  auto e = Engine::from_sources({{"a.rules", RULE("EGFR mutation", "LUAD")}}, actionable::testing::shared_catalog(), d);
  CHECK(e == nullptr);
  CHECK(first_code(d) == "E105");
}

TEST_CASE("diagnostics: output is sorted by file and position, and deterministic") {
  Diagnostics d;
  auto src = std::string(RULE("EGRF mutation and FOO", "LUADX"));
  compile(src, d);
  auto a = d.format();
  Diagnostics d2;
  compile(src, d2);
  CHECK(a == d2.format());
  CHECK(a.find("E201") < a.find("E102"));
  CHECK(a.find("E102") < a.find("E211"));
}

TEST_CASE("limits: pathological input gives a clean error, never a crash") {
  SUBCASE("100000 nested parentheses") {
    std::string s = "define A = " + std::string(100000, '(') + "EGFR mutation" + std::string(100000, ')') + "\n";
    Diagnostics d;
    CHECK(compile(s, d) == nullptr);
    CHECK(first_code(d) == "E005");
  }
  SUBCASE("100000 nested nots") {
    std::string s = "define A = ";
    for (int i = 0; i < 100000; ++i) s += "not ";
    s += "EGFR mutation\n";
    Diagnostics d;
    CHECK(compile(s, d) == nullptr);
    CHECK(first_code(d) == "E005");
  }
  SUBCASE("a file that is not UTF-8 (found by tests/fuzz)") {
    std::string s = std::string(RULE("EGFR mutation", "LUAD"));
    s.replace(s.find("\"x\""), 3, "\"caf\xE9\"");  // a Latin-1 therapy name
    Diagnostics d;
    CHECK(compile(s, d) == nullptr);
    CHECK(first_code(d) == "E006");
    CHECK(d.format().find("not valid UTF-8 (byte 0xE9)") != std::string::npos);
  }
  SUBCASE("a UTF-8 letter outside a string (found by tests/fuzz)") {
    // Spirit's x3::alnum / x3::space on a byte >= 0x80 asserted (and was UB with NDEBUG):
    // the grammar's character classes are ASCII ranges (src/dsl/config.hpp). The assertion is
    // only compiled in without NDEBUG, as in the sanitizer presets, so this case guards the fix
    // in CI's asan-ci step; tests/fuzz/regressions/rules/utf8-letter-in-code.rules is the same.
    std::string s = RULE("EGFR mutation",
                         "\xC3\xB3"
                         "CA");  // tumour óCA
    Diagnostics d;
    CHECK(compile(s, d) == nullptr);
    CHECK(first_code(d) == "E001");
  }
  SUBCASE("more rules, trials and cohorts than the limit (E108, before any other pass)") {
    std::string s = "ruleset \"big\" version \"1\"\n";
    for (int i = 0; i <= 100000; ++i)
      s += "rule r" + std::to_string(i) + " { when somatic EGFR mutation tumour NSCLC class approved therapy \"x\" }\n";
    Diagnostics d;
    CHECK(compile(s, d) == nullptr);
    CHECK(first_code(d) == "E108");
    CHECK(d.error_count() == 1);
    CHECK(d.format().find("the rule set has 100001 rules, trials and cohorts, more than the limit of 100000") !=
          std::string::npos);
    // The boundary, with a small limit: the limit itself checks, one more does not.
    auto src = std::make_shared<SourceFile const>(
        "t.rules", std::string("ruleset \"t\" version \"1\"\n") +
                       "rule a { when somatic EGFR mutation tumour NSCLC class approved therapy \"x\" }\n"
                       "rule b { when somatic KRAS mutation tumour NSCLC class approved therapy \"y\" }\n");
    Diagnostics d2;
    auto file = dsl::parse(*src, d2);
    REQUIRE(file);
    std::vector<sema::ParsedFile> files{{src, std::move(*file)}};
    sema::CheckOptions at_limit;
    at_limit.max_blocks = 2;
    CHECK(sema::check(files, *testing::shared_catalog(), d2, at_limit));
    at_limit.max_blocks = 1;
    CHECK_FALSE(sema::check(files, *testing::shared_catalog(), d2, at_limit));
    CHECK(first_code(d2) == "E108");
  }
  SUBCASE("at most 64 'did you mean' notes for unknown genes per rule set") {
    std::string s = "ruleset \"t\" version \"1\"\n";
    for (int i = 0; i < 70; ++i)
      s +=
          "rule r" + std::to_string(i) + " { when somatic EGFRZ mutation tumour NSCLC class approved therapy \"x\" }\n";
    Diagnostics d;
    CHECK(compile(s, d) == nullptr);
    auto const text = d.format();
    std::size_t unknown = 0, hints = 0;
    for (std::size_t at = 0; (at = text.find("unknown gene 'EGFRZ'", at)) != std::string::npos; ++at) ++unknown;
    for (std::size_t at = 0; (at = text.find("did you mean 'EGFR'?", at)) != std::string::npos; ++at) ++hints;
    CHECK(unknown == 70);
    CHECK(hints == 64);
  }
  SUBCASE("at most 64 'did you mean' notes for unknown OncoTree codes per rule set") {
    std::string s = "ruleset \"t\" version \"1\"\n";
    for (int i = 0; i < 70; ++i)
      s +=
          "rule r" + std::to_string(i) + " { when somatic EGFR mutation tumour NSCLCC class approved therapy \"x\" }\n";
    Diagnostics d;
    CHECK(compile(s, d) == nullptr);
    auto const text = d.format();
    std::size_t unknown = 0, hints = 0;
    for (std::size_t at = 0; (at = text.find("unknown OncoTree code 'NSCLCC'", at)) != std::string::npos; ++at)
      ++unknown;
    for (std::size_t at = 0; (at = text.find("did you mean 'NSCLC'?", at)) != std::string::npos; ++at) ++hints;
    CHECK(unknown == 70);
    CHECK(hints == 64);
  }
  SUBCASE("a long define chain") {
    std::string s = "define D0 = EGFR mutation\n";
    for (int i = 1; i < 2000; ++i)
      s += "define D" + std::to_string(i) + " = D" + std::to_string(i - 1) + " or KRAS mutation\n";
    Diagnostics d;
    CHECK(compile(s, d) == nullptr);
    CHECK(first_code(d) == "E106");
  }
  SUBCASE("a very wide expression is fine") {
    std::string s = "define A = EGFR mutation";
    for (int i = 0; i < 20000; ++i) s += " or KRAS p.G12C";
    s += "\n";
    Diagnostics d;
    CHECK(compile(s, d) != nullptr);
  }
  SUBCASE("a file over the size limit") {
    SourceFile src("big.rules", std::string(2048, ' '));
    Diagnostics d;
    dsl::ParseLimits limits;
    limits.max_bytes = 1024;
    CHECK(!dsl::parse(src, d, limits));
    CHECK(first_code(d) == "E004");
  }
  SUBCASE("binary garbage") {
    std::string s;
    for (int i = 0; i < 5000; ++i) s += static_cast<char>((i * 7919) % 256);
    Diagnostics d;
    CHECK(compile(s, d) == nullptr);
    CHECK(d.has_errors());
  }
}
