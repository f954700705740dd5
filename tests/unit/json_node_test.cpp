// The patient reader over its two parsers (src/io/json_node.hpp): record text is parsed by
// simdjson, records in memory are nlohmann values, and what a record means must not depend on
// which one read it. Differential: every record below, and every patient record the tests and
// examples ship, is read both ways — read_patient_text (simdjson) and read_patient over
// nlohmann's parse — and must give the same Patient, the same errors and the same warnings.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "actionable/detail/io/patient_json.hpp"
#include "support.hpp"

using namespace actionable;

namespace {

std::string errors_text(std::vector<RecordError> const& es) {
  std::string s;
  for (auto const& e : es) s += "[" + e.pointer + "] " + e.message + "\n";
  return s;
}

/// Reads `text` both ways (both policies) and checks they agree; returns the simdjson read.
std::optional<model::Patient> read_both_ways(std::string const& text, std::string const& where) {
  auto const& cat = *actionable::testing::shared_catalog();
  std::optional<model::Patient> first;
  for (auto policy : {io::UnknownGenePolicy::kError, io::UnknownGenePolicy::kWarn}) {
    std::vector<RecordError> e1, w1, e2, w2;
    auto a = io::read_patient_text(text, cat, e1, &w1, {policy});
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (policy == io::UnknownGenePolicy::kError) first = a;
    // nlohmann stops at a NUL byte and parses what comes before it: such text is refused by the
    // reader (tests/fuzz/regressions/patient/nul-byte-prefix.json), not compared.
    if (j.is_discarded() || text.find('\0') != std::string::npos) {  // so must the reader
      INFO(where);
      CHECK_FALSE(a.has_value());
      continue;
    }
    auto b = io::read_patient(j, cat, e2, &w2, {policy});
    INFO(where, "\nsimdjson errors:\n", errors_text(e1), "nlohmann errors:\n", errors_text(e2));
    CHECK(a.has_value() == b.has_value());
    CHECK(errors_text(e1) == errors_text(e2));
    CHECK(errors_text(w1) == errors_text(w2));
    if (a && b) CHECK(*a == *b);
  }
  return first;
}

std::string file_text(std::filesystem::path const& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("json node: the two parsers read every shipped patient record alike") {
  namespace fs = std::filesystem;
  std::string const src = ACTIONABLE_SOURCE_DIR;
  std::size_t records = 0;
  std::vector<fs::path> files;
  for (auto const* dir :
       {"/tests/golden/match", "/rules/examples", "/tests/fuzz/seeds/patient", "/tests/fuzz/regressions/patient"})
    for (auto const& e : fs::directory_iterator(src + dir))
      if (auto ext = e.path().extension();
          (ext == ".json" || ext == ".jsonl") && e.path().string().find(".expect.") == std::string::npos)
        files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (auto const& f : files) {
    auto text = file_text(f);
    if (f.extension() == ".jsonl") {
      std::istringstream in(text);
      std::string line;
      for (std::size_t n = 1; std::getline(in, line); ++n)
        if (!line.empty()) {
          read_both_ways(line, f.string() + ":" + std::to_string(n));
          ++records;
        }
    } else {
      read_both_ways(text, f.string());
      ++records;
    }
  }
  CHECK(files.size() >= 25);
  CHECK(records >= files.size());
}

TEST_CASE("json node: edge cases of JSON itself read the same through both parsers") {
  // Each row: a record whose JSON exercises one difference between the parsers.
  struct Row {
    char const* what;
    std::string text;
  };
  std::string const head = R"({"patient": "P", "tumour": "LUAD", )";
  std::vector<Row> rows = {
      {"a key given twice: the last value counts", head + R"("age": 30, "age": 40})"},
      {"a key given twice inside a finding",
       head + R"("findings": [{"gene": "EGFR", "gene": "KRAS", "hgvsp": "p.G12C"}]})"},
      {"the id given twice, the second not a string", R"({"patient": "P", "patient": 7, "tumour": "LUAD"})"},
      {"-0 as an exon number", head + R"("findings": [{"type": "exon_skipping", "gene": "MET", "exons": [-0]}]})"},
      {"-0 as an age", head + R"("age": -0})"},
      {"-0.0 as an ECOG", head + R"("ecog": -0.0})"},
      {"an integer beyond 64 bits (simdjson refuses, nlohmann reads a double)",
       head + R"("age": 123456789012345678901234567890})"},
      {"an unsigned integer beyond int64",
       head + R"("findings": [{"type": "exon_skipping", "gene": "MET", "exons": [18446744073709551615]}]})"},
      {"an exon as 19.0", head + R"("findings": [{"type": "exon_skipping", "gene": "MET", "exon": 19.0}]})"},
      {"an exponent", head + R"("findings": [{"gene": "EGFR", "hgvsp": "p.L858R", "vaf": 2.5E-1}]})"},
      {"a number out of double range", head + R"("age": 1e999})"},
      {"escapes and non-ASCII text", head + R"("centre": "Li\u00e8ge \"CHU\"", "sex": "f\u00e9minin"})"},
      {"a NUL inside a string", head + R"("centre": "a\u0000b"})"},
      {"a UTF-8 byte-order mark", "\xEF\xBB\xBF" + head + R"("age": 50})"},
      {"invalid UTF-8 in a string", head + "\"centre\": \"\xC3\x28\"}"},
      {"a raw control character in a string", head + "\"centre\": \"a\tb\"}"},
      {"trailing text after the record", head + R"("age": 50} x)"},
      {"two records on one line", head + R"("age": 50}{"patient": "Q"})"},
      {"a record that is an array", R"([{"patient": "P"}])"},
      {"a record that is a string", R"("P")"},
      {"an empty object", "{}"},
      {"an empty text", ""},
      {"whitespace only", " \n\t "},
      {"booleans and nulls in every position",
       head + R"("pregnant": null, "measurable_disease": true, "findings": null, "tests": null})"},
      {"a finding array of mixed kinds",
       head + R"("findings": [1, "x", null, [], {"gene": "EGFR", "hgvsp": "p.L858R"}]})"},
      {"deeply nested but within the limit", head + R"("extra": )" + std::string(60, '[') + std::string(60, ']') + "}"},
  };
  for (auto const& r : rows) {
    CAPTURE(r.what);
    read_both_ways(r.text, r.what);
  }
}

TEST_CASE("json node: what each parser-specific case means") {
  std::string const head = R"({"patient": "P", "tumour": "LUAD", )";
  auto p = read_both_ways(head + R"("age": 30, "age": 40})", "twice");
  REQUIRE(p);
  CHECK(*p->age == 40);  // nlohmann's rule: the last value
  p = read_both_ways(head + R"("age": -0})", "-0");
  REQUIRE(p);
  CHECK(*p->age == 0);
  CHECK_FALSE(std::signbit(*p->age));  // JSON's -0 is the integer 0: no "-0" can be printed
  p = read_both_ways(head + R"("age": 123456789012345678901234567890})", "bigint");
  CHECK_FALSE(p);  // a double beyond 150: "out of range", through nlohmann
  std::vector<RecordError> e;
  CHECK_FALSE(io::read_patient_text(head + R"("age": 123456789012345678901234567890})",
                                    *actionable::testing::shared_catalog(), e));
  REQUIRE(e.size() == 1);
  CHECK(e[0].pointer == "/age");
  CHECK(e[0].message == "out of range");
  e.clear();
  // A number beyond double range: simdjson refuses it, and so does nlohmann, with the message
  // records have always had.
  CHECK_FALSE(io::read_patient_text(head + R"("age": 1e999})", *actionable::testing::shared_catalog(), e));
  REQUIRE(e.size() == 1);
  CHECK(e[0].pointer == "");
  CHECK(e[0].message == "invalid JSON: [json.exception.out_of_range.406] number overflow parsing '1e999'");
  e.clear();
  CHECK_FALSE(io::read_patient_text(head + R"("age": 50} x)", *actionable::testing::shared_catalog(), e));
  REQUIRE(e.size() == 1);
  CHECK(e[0].message.rfind("invalid JSON at byte ", 0) == 0);
}
