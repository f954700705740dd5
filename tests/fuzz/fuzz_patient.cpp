// Fuzz target: the patient JSON reader (io::read_patient_text) and the match on top of it.
//
// Input: one record as JSON text. Invariants:
//  - a record is read exactly when no error is reported; every error has a JSON pointer
//    ("" or "/…") and a one-line, non-empty message;
//  - `--unknown-genes warn` never rejects a record the default policy accepts;
//  - Engine::match_json accepts exactly the records read_patient_text accepts (same errors),
//    and explain_json and report_text accept them too;
//  - the two parsers (json_node.hpp) agree: text nlohmann parses reads to the same Patient,
//    errors and warnings through read_patient(json) as through read_patient_text; text with a
//    NUL byte (nlohmann would parse the part before it) is refused;
//  - the result is in nlohmann's compact form (json_writer.hpp);
//  - round trip: a record that reads, written back (parsed and serialised again) and re-read,
//    reads again and gives a byte-identical match result, whose "patient" is the record's id.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actionable/engine.hpp"
#include "actionable/detail/io/patient_json.hpp"
#include "fuzz_common.hpp"

using namespace actionable;

namespace {

void check_errors(std::vector<RecordError> const& errors, char const* who) {
  for (auto const& e : errors) {
    FUZZ_CHECK(e.pointer.empty() || e.pointer[0] == '/', std::string(who) + ": bad pointer '" + e.pointer + "'");
    FUZZ_CHECK(!e.message.empty(), std::string(who) + ": empty message at " + e.pointer);
    FUZZ_CHECK(e.message.find('\n') == std::string::npos, std::string(who) + ": multi-line message: " + e.message);
  }
}

std::string first(std::vector<RecordError> const& e) {
  return e.empty() ? std::string("(none)") : e.front().pointer + ": " + e.front().message;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::shipped_engine();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  auto const text = fuzz::as_text(data, size);
  auto const& cat = *fuzz::reference_catalog();
  std::vector<RecordError> errors, warnings;
  auto p = io::read_patient_text(text, cat, errors, &warnings);
  FUZZ_CHECK(p.has_value() == errors.empty(), "read result and errors disagree: " + first(errors));
  check_errors(errors, "errors");
  check_errors(warnings, "warnings");

  std::vector<RecordError> errors_warn;
  auto pw = io::read_patient_text(text, cat, errors_warn, nullptr, {io::UnknownGenePolicy::kWarn});
  FUZZ_CHECK(!p || pw, "--unknown-genes warn rejected a record the default accepts: " + first(errors_warn));

  // The two parsers (src/io/json_node.hpp): whatever nlohmann parses reads the same through it
  // as through simdjson — the same Patient, errors and warnings.
  // (nlohmann stops at a NUL byte and parses the prefix: such text is refused, not compared.)
  bool const has_nul = text.find('\0') != std::string_view::npos;
  FUZZ_CHECK(!has_nul || !p, "read_patient_text accepted text with a NUL byte");
  if (auto j = nlohmann::json::parse(text, nullptr, false); !has_nul && !j.is_discarded()) {
    std::vector<RecordError> errors_n, warnings_n;
    auto pn = io::read_patient(j, cat, errors_n, &warnings_n);
    FUZZ_CHECK(pn.has_value() == p.has_value(),
               "the nlohmann read disagrees: " + first(errors_n) + " / " + first(errors));
    FUZZ_CHECK(!pn || *pn == *p, "the nlohmann read gives another Patient");
    FUZZ_CHECK(errors_n == errors,
               "the nlohmann read reports other errors: " + first(errors_n) + " / " + first(errors));
    FUZZ_CHECK(warnings_n == warnings, "the nlohmann read reports other warnings: " + first(warnings_n));
  } else {
    FUZZ_CHECK(!p, "read_patient_text accepted text nlohmann refuses");
  }

  auto const& e = *fuzz::shipped_engine();
  auto m = e.match_json(text);
  FUZZ_CHECK(m.ok == p.has_value(), "match_json and read_patient_text disagree: " + first(m.errors));
  FUZZ_CHECK(m.errors.size() == errors.size(), "match_json reports other errors: " + first(m.errors));
  FUZZ_CHECK(m.ok != m.json.empty() || !m.ok, "ok match without a result");
  if (!p)
    return 0;  // (explain and report read the same way: checked on good records only, as
               // every read of a bad one computes gene suggestions over all of HGNC)
  auto x = e.explain_json(text);
  FUZZ_CHECK(x.ok, "explain_json rejected a record match_json accepts");
  auto r = e.report_text(text);
  FUZZ_CHECK(r.ok, "report_text rejected a record match_json accepts");

  auto result = nlohmann::json::parse(m.json, nullptr, false);
  FUZZ_CHECK(!result.is_discarded() && result.is_object(), "result is not a JSON object: " + m.json);
  // Canonical bytes (src/io/json_writer.hpp): what nlohmann's ordered dump writes of the result.
  FUZZ_CHECK(nlohmann::ordered_json::parse(m.json).dump() == m.json,
             "result is not in nlohmann's compact form: " + m.json);
  FUZZ_CHECK(result.value("patient", std::string("\x01")) == p->id,
             "result names another patient than the record: " + m.json);

  // Written back and re-read: the same record, the same result.
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  FUZZ_CHECK(!parsed.is_discarded(), "read_patient_text accepted text that is not JSON");
  auto again = parsed.dump();
  std::vector<RecordError> errors2;
  auto p2 = io::read_patient_text(again, cat, errors2);
  FUZZ_CHECK(p2.has_value(), "the record written back does not read: " + first(errors2) + "\n  " + again);
  FUZZ_CHECK(p2->id == p->id && p2->findings.size() == p->findings.size(),
             "the record written back reads differently: " + again);
  auto m2 = e.match_json(again);
  FUZZ_CHECK(m2.ok && m2.json == m.json,
             "the record written back matches differently:\n  " + m.json + "\n  " + m2.json);
  return 0;
}
