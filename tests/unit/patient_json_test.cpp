// Patient records (patient.md): validation errors carry JSON pointers; unknown fields are
// ignored; both examples of patient.md parse as they stand.
#include <fstream>
#include <regex>
#include <sstream>

#include "actionable/detail/io/patient_json.hpp"
#include "support.hpp"

using namespace actionable;

namespace {
std::vector<RecordError> errors_of(std::string const& text) {
  std::vector<RecordError> errs;
  io::read_patient_text(text, *actionable::testing::shared_catalog(), errs);
  return errs;
}
}  // namespace

TEST_CASE("patient json: the example record of patient.md reads") {
  std::ifstream in(std::string(ACTIONABLE_SOURCE_DIR) + "/rules/examples/patient_P1-000123.json");
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<RecordError> errs;
  auto p = io::read_patient_text(ss.str(), *actionable::testing::shared_catalog(), errs);
  REQUIRE(p);
  CHECK(p->findings.size() == 6);
  CHECK(p->tests.size() == 4);
  CHECK(p->findings[0].protein->to_string() == "p.L858R");
  CHECK(p->findings[1].gene5 == "EML4");
  CHECK(p->findings[2].copies == 8);
  CHECK(p->findings[5].number == 12.4);
  CHECK(p->tumour_code == "LUAD");
  CHECK(p->stage == "IV");
}

TEST_CASE("patient json: errors name the JSON pointer; unknown fields are ignored") {
  struct Row {
    char const* record;
    char const* pointer;
  };
  Row const rows[] = {
      {R"({"tumour":"LUAD"})", "/patient"},
      {R"({"patient":"p"})", "/tumour"},
      {R"({"patient":"p","tumour":{"oncotree":"XYZ"}})", "/tumour/oncotree"},
      {R"({"patient":"p","tumour":"LUAD","age":"sixty"})", "/age"},
      {R"({"patient":"p","tumour":"LUAD","ecog":7})", "/ecog"},
      {R"({"patient":"p","tumour":"LUAD","findings":[{"gene":"EGFR","hgvsp":"p.L858Z"}]})", "/findings/0/hgvsp"},
      {R"({"patient":"p","tumour":"LUAD","findings":[{},{"gene":"NOTAGENE1"}]})", "/findings/0/gene"},
      {R"({"patient":"p","tumour":"LUAD","findings":[{"gene":"EGFR"},{"gene":"NOTAGENE1"}]})", "/findings/1/gene"},
      {R"({"patient":"p","tumour":"LUAD","findings":[{"type":"cnv","gene":"MET","call":"huge"}]})", "/findings/0/call"},
      {R"({"patient":"p","tumour":"LUAD","findings":[{"type":"weird"}]})", "/findings/0/type"},
      {R"({"patient":"p","tumour":"LUAD","findings":[{"gene":"EGFR","origin":"mosaic"}]})", "/findings/0/origin"},
      {R"({"patient":"p","tumour":"LUAD","tests":[{"genes":["EGFR", 3]}]})", "/tests/0/genes/1"},
      {R"({"patient":"p","tumour":"LUAD","findings":[{"gene":"NEU"}]})", "/findings/0/gene"},
      {R"({"patient":"p","tumour":"LUAD","treatments":[{"drugs":"x"}]})", "/treatments/0/drugs"},
      {R"({"patient":"p","tumour":"LUAD","findings":[{"gene":"EGFR","vaf":1.5}]})", "/findings/0/vaf"},
      {R"([1,2])", ""},
      // An empty tumour code is no code (the fuzz target patient, 2026-12-06: it read as a
      // complete record with no tumour, and only the match refused it).
      {R"({"patient":"p","tumour":{"oncotree":""}})", "/tumour/oncotree"},
      {R"({"patient":"p","tumour":{"oncotree":" \t"}})", "/tumour/oncotree"},
      {R"({"patient":"p","tumour":""})", "/tumour"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.record);
    auto errs = errors_of(r.record);
    REQUIRE(!errs.empty());
    CHECK(errs[0].pointer == r.pointer);
  }
  CHECK(errors_of(R"({"patient":"p","tumour":{"oncotree":""}})")[0].message ==
        "is empty: give the tumour's OncoTree code");
  CHECK(errors_of(R"({"patient":"p","tumour":{"oncotree":""}})").size() == 1);
  CHECK(errors_of(R"({"patient":"p","tumour":{}})")[0].message == "required field is missing");
  CHECK(errors_of(R"({"patient":"p","tumour":{"oncotree":" "}})")[0].message ==
        "is empty: give the tumour's OncoTree code");
  CHECK(errors_of(R"({"patient":"p","tumour":{"oncotree":" "}})").size() == 1);
  CHECK(errors_of(R"({"patient":"p","tumour":"LUAD","name":"Jane Doe","nn":"85.01.01-123.45",)"
                  R"("findings":[{"gene":"EGFR","hgvsp":"p.L858R","note":"x"}]})")
            .empty());
}

TEST_CASE("patient json: invalid JSON reports the byte offset") {
  auto errs = errors_of(R"({"patient": "p", "tumour": )");
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].pointer.empty());
  CHECK(errs[0].message.find("invalid JSON at byte") == 0);
}

TEST_CASE("patient json: an alias gene in a record is read as the approved symbol") {
  std::vector<RecordError> errs, warns;
  auto p = io::read_patient_text(
      R"({"patient":"p","tumour":"BRCA","findings":[{"type":"cnv","gene":"HER2","call":"amplification"}]})",
      *actionable::testing::shared_catalog(), errs, &warns);
  REQUIRE(p);
  CHECK(p->findings[0].gene == "ERBB2");
  REQUIRE(warns.size() == 1);
  CHECK(warns[0].pointer == "/findings/0/gene");
}

TEST_CASE("patient json: unresolved gene symbols (issue 9)") {
  auto const& cat = *actionable::testing::shared_catalog();
  auto read = [&](nlohmann::json const& rec, io::PatientReadOptions opt, std::vector<RecordError>& errs,
                  std::vector<RecordError>* warns = nullptr) { return io::read_patient(rec, cat, errs, warns, opt); };
  nlohmann::json rec = {{"patient", "P"},
                        {"tumour", "LUAD"},
                        {"findings",
                         {{{"type", "fusion"}, {"gene5", "RP11-100N3.2"}, {"gene3", "ALK"}},
                          {{"gene", "LOC999999"}, {"hgvsp", "p.V600E"}},
                          {{"gene", "MLL2"}, {"hgvsp", "p.R5W"}}}}};
  SUBCASE("strict by default: unknown and ambiguous symbols are record errors") {
    std::vector<RecordError> errs;
    CHECK_FALSE(read(rec, {}, errs));
    REQUIRE(errs.size() == 3);
    CHECK(errs[0].pointer == "/findings/0/gene5");
    CHECK(errs[1].pointer == "/findings/1/gene");
    CHECK(errs[2].message.find("ambiguous gene symbol 'MLL2'") != std::string::npos);
  }
  SUBCASE("--unknown-genes warn: kept, unresolved, with warnings") {
    std::vector<RecordError> errs, warns;
    auto p = read(rec, {io::UnknownGenePolicy::kWarn}, errs, &warns);
    REQUIRE(p);
    CHECK(warns.size() == 3);
    auto const& f = p->findings;
    CHECK(f[0].gene == "ALK");  // a fusion of the known gene, partner unresolved
    CHECK(f[0].gene5.empty());
    CHECK(f[0].unresolved_gene5 == "RP11-100N3.2");
    CHECK_FALSE(f[0].partner_resolved);
    CHECK(f[0].normalised() == "RP11-100N3.2?::ALK fusion (partner not resolved)");
    CHECK(f[1].gene.empty());
    CHECK(f[1].normalised() == "LOC999999? p.V600E");
    CHECK(f[2].unresolved_gene == "MLL2");
  }
  SUBCASE("a field the record marks unresolved is accepted under the strict default") {
    auto marked = rec;
    marked["findings"][0]["unresolved"] = {"gene5"};
    marked["findings"][1]["unresolved"] = {"gene"};
    marked["findings"][2]["unresolved"] = {"gene"};
    std::vector<RecordError> errs;
    auto p = read(marked, {}, errs);
    REQUIRE(p);
    CHECK(p->findings[0].unresolved_gene5 == "RP11-100N3.2");
    // A marked symbol the catalog does resolve is resolved.
    auto known = rec;
    known["findings"] = {{{"gene", "BRAF"}, {"hgvsp", "p.V600E"}, {"unresolved", {"gene"}}}};
    auto q = read(known, {}, errs);
    REQUIRE(q);
    CHECK(q->findings[0].gene == "BRAF");
    CHECK(q->findings[0].unresolved_gene.empty());
    auto bad = marked;
    bad["findings"][1]["unresolved"] = {"hgvsp"};
    std::vector<RecordError> e2;
    CHECK_FALSE(read(bad, {}, e2));
    REQUIRE(e2.size() == 2);  // the bad field name, and then the unknown symbol it left unmarked
    CHECK(e2[0].pointer == "/findings/1/unresolved/0");
    CHECK(e2[1].pointer == "/findings/1/gene");
  }
}

TEST_CASE("patient json: \"input\": \"incomplete\" and its issues (issue 9)") {
  auto const& cat = *actionable::testing::shared_catalog();
  std::vector<RecordError> errs;
  auto p = io::read_patient({{"patient", "P"},
                             {"tumour", "LUAD"},
                             {"input", "incomplete"},
                             {"input_issues", {"a.maf:3: error: 'two words' is not a gene symbol"}}},
                            cat, errs);
  REQUIRE(p);
  CHECK(p->input_incomplete);
  CHECK(p->input_issues.size() == 1);
  CHECK_FALSE(io::read_patient({{"patient", "P"}, {"tumour", "LUAD"}, {"input", "partial"}}, cat, errs));
  CHECK(errs.back().pointer == "/input");
  CHECK_FALSE(io::read_patient({{"patient", "P"}, {"tumour", "LUAD"}, {"input_issues", {"x"}}}, cat, errs));
  CHECK(errs.back().pointer == "/input_issues");
}

TEST_CASE("result json: incomplete input and unresolved symbols are said; complete records keep their bytes") {
  auto engine = actionable::testing::compile_ok(
      "ruleset \"t\" version \"1\"\nrule alk {\n  when ALK fusion\n  tumour NSCLC\n  class approved\n  therapy "
      "\"alectinib\"\n}\n");
  nlohmann::json rec = {
      {"patient", "P"},
      {"tumour", "LUAD"},
      {"findings", {{{"type", "fusion"}, {"gene5", "RP11-100N3.2"}, {"gene3", "ALK"}, {"unresolved", {"gene5"}}}}}};
  auto r = actionable::testing::match(*engine, rec);
  CHECK(r["matches"][0]["rule"] == "alk");  // still a fusion of ALK
  CHECK(r["unresolved"] == nlohmann::json::array({{{"finding", 0}, {"field", "gene5"}, {"symbol", "RP11-100N3.2"}}}));
  CHECK_FALSE(r.contains("input"));
  rec["input"] = "incomplete";
  rec["input_issues"] = {"a.maf:3: error: x"};
  auto s = actionable::testing::match(*engine, rec);
  CHECK(s["input"] == "incomplete");
  CHECK(s["input_issues"] == nlohmann::json::array({"a.maf:3: error: x"}));
  CHECK(s["pathway"]["provisional"] == true);
  auto text = engine->report_text(rec.dump());
  REQUIRE(text.ok);
  CHECK(text.json.find("PROVISIONAL — input incomplete") != std::string::npos);
  CHECK(text.json.find("Unresolved gene symbols") != std::string::npos);
}

TEST_CASE("patient json: input limits give one clean error (docs/reliability.md)") {
  SUBCASE("a record larger than 16 MiB is refused before parsing") {
    std::string big = R"({"patient": "p", "x": ")" + std::string(17u << 20, 'a') + R"("})";
    auto errs = errors_of(big);
    REQUIRE(errs.size() == 1);
    CHECK(errs[0].pointer.empty());
    CHECK(errs[0].message.find("more than the limit of 16777216") != std::string::npos);
  }
  SUBCASE("nesting deeper than 64 levels") {
    std::string deep = R"({"patient": "p", "x": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
    auto errs = errors_of(deep);
    REQUIRE(errs.size() == 1);
    CHECK(errs[0].message.find("nested more than 64 levels") != std::string::npos);
    // 64 levels are fine (brackets inside strings do not count)
    std::string ok = R"({"patient": "p", "tumour": {"oncotree": "LUAD"}, "x": ")" + std::string(1000, '[') +
                     R"(", "y": )" + std::string(60, '[') + std::string(60, ']') + "}";
    CHECK(errors_of(ok).empty());
  }
  SUBCASE("the depth limit is exact: 64 levels read, 65 refused, the offset named") {
    // simdjson enforces the limit on the fast path; the byte scan names the offset only for
    // text simdjson refuses (patient_json.cpp). Expected messages: those of the byte scan that
    // ran before every parse until 2026-12-04.
    auto arrays = [](int n) { return std::string(n, '[') + std::string(n, ']'); };
    auto objects = [](int n) {
      std::string s;
      for (int i = 0; i < n; ++i) s += R"({"a":)";
      return s + "1" + std::string(n, '}');
    };
    std::string const head = R"({"patient": "p", "tumour": {"oncotree": "LUAD"}, "x": )";  // 54 bytes
    struct Case {
      std::string text;
      std::string message;  // "" = reads; otherwise the start of the one error
    };
    std::vector<Case> const cases = {
        {head + arrays(63) + "}", ""},  // 64 levels with the record's own object
        {head + arrays(64) + "}", "JSON nested more than 64 levels deep (at byte 117)"},
        {head + objects(63) + "}", ""},
        {head + objects(64) + "}", "JSON nested more than 64 levels deep (at byte 369)"},
        {arrays(65), "JSON nested more than 64 levels deep (at byte 64)"},
        {head + std::string(64, '[') + "}", "JSON nested more than 64 levels deep (at byte 117)"},  // and invalid
        {head + std::string(63, '[') + "}", "invalid JSON at byte 118"},
        {head + "\"" + std::string(100, '[') + "\", \"y\": " + arrays(63) + "}", ""},  // in a string: no level
    };
    for (auto const& c : cases) {
      CAPTURE(c.text);
      auto errs = errors_of(c.text);
      if (c.message.empty()) {
        CHECK(errs.empty());
      } else {
        REQUIRE(errs.size() == 1);
        CHECK(errs[0].message.substr(0, c.message.size()) == c.message);
      }
    }
  }
  SUBCASE("at most 16 'did you mean' hints per record (each scans every HGNC symbol)") {
    // Found by the patient fuzz target (a timeout): thousands of unknown symbols in a test's
    // genes cost ~3 ms each for the hint. Every one is still an error; only the hint stops.
    std::string genes;
    for (int i = 0; i < 40; ++i) genes += std::string(i ? "," : "") + R"("EGFRZ")";
    auto errs = errors_of(R"({"patient": "p", "tumour": {"oncotree": "LUAD"}, "tests": [{"genes": [)" + genes + "]}]}");
    std::size_t unknown = 0, hinted = 0;
    for (auto const& e : errs) {
      if (e.message.rfind("unknown gene symbol 'EGFRZ'", 0) == 0) ++unknown;
      if (e.message.find("did you mean 'EGFR'?") != std::string::npos) ++hinted;
    }
    CHECK(unknown == 40);
    CHECK(hinted == 16);
    CHECK(errs[0].message == "unknown gene symbol 'EGFRZ'; did you mean 'EGFR'?");
    CHECK(errs[39].message == "unknown gene symbol 'EGFRZ'");
  }
  SUBCASE("a NUL byte: refused, never the part before it (found by tests/fuzz)") {
    std::string text = R"({"patient": "p", "tumour": {"oncotree": "LUAD"}})";
    text += '\0';
    text += R"({"findings": [{"gene": "EGFR", "hgvsp": "p.L858R"}]})";
    auto errs = errors_of(text);
    REQUIRE(errs.size() == 1);
    CHECK(errs[0].message == "invalid JSON: a NUL byte at byte 48 (write U+0000 in a string as \\u0000)");
  }
  SUBCASE("a quoted value with a line end: the message stays one line (found by tests/fuzz)") {
    auto errs = errors_of(
        R"({"patient": "p", "tumour": {"oncotree": "LUAD"}, "findings": [{"gene": "EGFR", "hgvsp": "p.(L858\u000AR"}]})");
    REQUIRE(errs.size() == 1);
    CHECK(errs[0].pointer == "/findings/0/hgvsp");
    CHECK(errs[0].message.find('\n') == std::string::npos);
    CHECK(errs[0].message.rfind("cannot read protein change 'p.(L858\\nR': ", 0) == 0);
  }
  SUBCASE("more than 100000 findings") {
    std::string many = R"({"patient": "p", "tumour": {"oncotree": "LUAD"}, "findings": [)";
    for (int i = 0; i <= 100000; ++i) many += std::string(i ? "," : "") + R"({"gene": "EGFR"})";
    many += "]}";
    auto errs = errors_of(many);
    REQUIRE(errs.size() == 1);
    CHECK(errs[0].pointer == "/findings");
    CHECK(errs[0].message == "100001 entries, more than the limit of 100000 per record");
  }
}

TEST_CASE("patient json: protein biomarkers in the forms of issue 15, and their errors") {
  std::vector<RecordError> errs;
  auto p = io::read_patient_text(R"({"patient":"p","tumour":"BRCA","tests":[{"biomarker":"HER2","method":"IHC"}],
    "findings":[{"type":"biomarker","name":"HER2","method":"IHC","value":"1+"},
                {"type":"biomarker","name":"HER2","method":"ISH","value":"negative"},
                {"type":"biomarker","name":"PDL1","method":"IHC","score":"CPS","value":10,"assay":"22C3"},
                {"type":"biomarker","name":"CLDN18","method":"IHC","value":80},
                {"type":"biomarker","name":"MLH1","method":"IHC","value":"loss"}]})",
                                 *actionable::testing::shared_catalog(), errs);
  REQUIRE_MESSAGE(p, (errs.empty() ? std::string() : errs[0].pointer + ": " + errs[0].message));
  CHECK(p->tests[0].biomarker == "HER2");
  CHECK(p->tests[0].method == "IHC");
  CHECK(p->findings[0].normalised() == "HER2 IHC 1+");
  CHECK(p->findings[1].normalised() == "HER2 ISH negative");
  CHECK(p->findings[2].normalised() == "PDL1 IHC CPS 10 (22C3)");
  CHECK(p->findings[2].score == "CPS");
  CHECK(p->findings[3].normalised() == "CLDN18 IHC 80%");
  CHECK(p->findings[4].normalised() == "MLH1 IHC loss");

  struct Row {
    char const* finding;
    char const* pointer;
    char const* message;
  };
  Row const rows[] = {
      {R"({"type":"biomarker","name":"HER2","method":"IHC","value":"4+"})", "/findings/0/value",
       "HER2 IHC must be one of 0, ultralow, 1+, 2+, 3+"},
      {R"({"type":"biomarker","name":"HER2","value":"positive"})", "/findings/0/method", ""},
      {R"({"type":"biomarker","name":"HER2","method":"NGS","value":"amplified"})", "/findings/0/method", ""},
      {R"({"type":"biomarker","name":"CLDN18","method":"IHC","value":180})", "/findings/0/value",
       "out of range (0 to 100)"},
      {R"({"type":"biomarker","name":"PDL1","method":"IHC","score":"XYZ","value":1})", "/findings/0/score", ""},
      {R"({"type":"biomarker","name":"MSH6","method":"IHC","value":"maybe"})", "/findings/0/value",
       "MSH6 IHC must be one of loss, intact"},
      {R"({"type":"biomarker","name":"CLDN18","method":"ISH","value":80})", "/findings/0/method", ""},
  };
  for (auto const& r : rows) {
    CAPTURE(r.finding);
    auto e = errors_of(std::string(R"({"patient":"p","tumour":"STAD","findings":[)") + r.finding + "]}");
    REQUIRE(!e.empty());
    CHECK(e[0].pointer == r.pointer);
    if (*r.message) CHECK(e[0].message == r.message);
  }
}
