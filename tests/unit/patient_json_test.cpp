// Patient records (patient.md): validation errors carry JSON pointers; unknown fields are
// ignored; both examples of patient.md parse as they stand.
#include <fstream>
#include <regex>
#include <sstream>

#include "actionable/io/patient_json.hpp"
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
      {R"({"patient":"p","tumour":"LUAD","findings":[{"gene":"EGFR","hgvsp":"p.L858Z"}]})",
       "/findings/0/hgvsp"},
      {R"({"patient":"p","tumour":"LUAD","findings":[{},{"gene":"NOTAGENE1"}]})", "/findings/0/gene"},
      {R"({"patient":"p","tumour":"LUAD","findings":[{"gene":"EGFR"},{"gene":"NOTAGENE1"}]})",
       "/findings/1/gene"},
      {R"({"patient":"p","tumour":"LUAD","findings":[{"type":"cnv","gene":"MET","call":"huge"}]})",
       "/findings/0/call"},
      {R"({"patient":"p","tumour":"LUAD","findings":[{"type":"weird"}]})", "/findings/0/type"},
      {R"({"patient":"p","tumour":"LUAD","findings":[{"gene":"EGFR","origin":"mosaic"}]})",
       "/findings/0/origin"},
      {R"({"patient":"p","tumour":"LUAD","tests":[{"genes":["EGFR", 3]}]})", "/tests/0/genes/1"},
      {R"({"patient":"p","tumour":"LUAD","findings":[{"gene":"NEU"}]})", "/findings/0/gene"},
      {R"({"patient":"p","tumour":"LUAD","treatments":[{"drugs":"x"}]})", "/treatments/0/drugs"},
      {R"({"patient":"p","tumour":"LUAD","findings":[{"gene":"EGFR","vaf":1.5}]})", "/findings/0/vaf"},
      {R"([1,2])", ""},
  };
  for (auto const& r : rows) {
    CAPTURE(r.record);
    auto errs = errors_of(r.record);
    REQUIRE(!errs.empty());
    CHECK(errs[0].pointer == r.pointer);
  }
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
  auto p = io::read_patient_text(R"({"patient":"p","tumour":"BRCA","findings":[{"type":"cnv","gene":"HER2","call":"amplification"}]})",
                                 *actionable::testing::shared_catalog(), errs, &warns);
  REQUIRE(p);
  CHECK(p->findings[0].gene == "ERBB2");
  REQUIRE(warns.size() == 1);
  CHECK(warns[0].pointer == "/findings/0/gene");
}
