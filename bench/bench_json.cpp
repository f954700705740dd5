// The JSON adapters (issue 10 item 8; docs/performance.md, "Reading and writing records"):
// reading a patient record (io::read_patient_json: parse + validate + build the Patient) and
// writing its result (io::write_outcome), per patient, against bare parsing of the same bytes
// by simdjson (the floor) and by nlohmann (the parser the reader used before), for
//  * "readme": the README example patient (rules/examples/patient_P1-000123.json, 1.3 KB);
//  * "moalmanac": the MOAlmanac example patient (../shared/data/moalmanac/example_inputs, GPL
//    test data read in place, never copied) assembled into one record by the lab-file readers
//    — about 500 findings.
// The rule set is one rule (what the issue measured: the adapters, not the engine).
#include <benchmark/benchmark.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <simdjson.h>
#include <stdexcept>

#include "actionable/actionable.hpp"
#include "actionable/detail/io/patient_json.hpp"
#include "actionable/detail/io/readers/assemble.hpp"
#include "common.hpp"

namespace {

using namespace actionable;

struct Record {
  std::string text;
  model::Patient patient;
  Outcome outcome;
  std::size_t findings = 0;
};

struct Fixture {
  std::shared_ptr<catalog::Catalog const> catalog;
  std::shared_ptr<Engine const> engine;
  io::PatientReadOptions read{io::UnknownGenePolicy::kWarn};
  Record readme, moalmanac;
};

Record make(Fixture const& f, std::string text) {
  Record r;
  r.text = std::move(text);
  auto p = io::read_patient_json(r.text, *f.catalog, f.read);
  if (!p) throw std::runtime_error("bench record does not read: " + p.errors.front().message);
  r.patient = *p;
  r.findings = r.patient.findings.size();
  auto o = f.engine->match(r.patient);
  if (!o) throw std::runtime_error("bench record does not match");
  r.outcome = *o;
  return r;
}

Fixture const& fixture() {
  static Fixture f = [] {
    Fixture x;
    x.catalog = bench::shipped_catalog();
    Diagnostics d;
    x.engine = Engine::from_sources({{"one.rules",
                                      "ruleset \"bench\" version \"1\"\n"
                                      "rule egfr { when somatic EGFR mutation tumour NSCLC class approved "
                                      "therapy \"osimertinib\" }\n"}},
                                    x.catalog, d);
    if (!x.engine) throw std::runtime_error("bench rule set does not compile:\n" + d.format());
    x.readme = make(x, bench::readme_patient_text());
    // The MOAlmanac example patient, as `actionable convert` assembles it from its lab files.
    std::string const dir = bench::source_path("../shared/data/moalmanac/example_inputs/");
    std::vector<io::Input> inputs = {
        {io::InputKind::kMaf, dir + "example_patient.capture.somatic.snvs.maf", ""},
        {io::InputKind::kMaf, dir + "example_patient.capture.somatic.indels.maf", ""},
        {io::InputKind::kMaf, dir + "example_patient.capture.germline.maf", "germline"},
        {io::InputKind::kCna, dir + "example_patient.capture.somatic.called.cna.txt", ""},
        {io::InputKind::kSv, dir + "example_patient.rna.star.fusions.txt", ""},
    };
    io::AssembleOptions ao;
    ao.sample = "example_tumor_profile";  // the MAFs name it; the CNA and fusion files name none
    ao.tumour = "MEL";                    // its reported tumour type (../shared/data/moalmanac/SOURCE.md)
    auto a = io::assemble_inputs(inputs, {}, ao);
    if (a.records.size() != 1) throw std::runtime_error("the MOAlmanac example did not assemble into one record");
    x.moalmanac = make(x, a.records.front().dump());
    return x;
  }();
  return f;
}

Record const& pick(int which) { return which == 0 ? fixture().readme : fixture().moalmanac; }

void label(benchmark::State& state, Record const& r) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * r.text.size()));
  state.counters["findings"] = static_cast<double>(r.findings);
  state.counters["bytes"] = static_cast<double>(r.text.size());
}

/// The floor: simdjson's DOM parse of the record, nothing else.
template <int Which>
void BM_ParseSimdjson(benchmark::State& state) {
  auto const& r = pick(Which);
  simdjson::dom::parser parser;
  for (auto _ : state) {
    simdjson::dom::element doc;
    if (parser.parse(r.text.data(), r.text.size()).get(doc)) state.SkipWithError("simdjson refused the record");
    benchmark::DoNotOptimize(doc);
  }
  label(state, r);
}

/// nlohmann's parse of the same bytes (the reader's parser before simdjson).
template <int Which>
void BM_ParseNlohmann(benchmark::State& state) {
  auto const& r = pick(Which);
  for (auto _ : state) {
    auto j = nlohmann::json::parse(r.text);
    benchmark::DoNotOptimize(j);
  }
  label(state, r);
}

/// Record text to Patient: io::read_patient_json (simdjson, then validation).
template <int Which>
void BM_ReadPatient(benchmark::State& state) {
  auto const& f = fixture();
  auto const& r = pick(Which);
  for (auto _ : state) {
    auto p = io::read_patient_json(r.text, *f.catalog, f.read);
    benchmark::DoNotOptimize(p);
  }
  label(state, r);
}

/// The same through nlohmann (parse, then the reader over nlohmann's value): the path before.
template <int Which>
void BM_ReadPatientNlohmann(benchmark::State& state) {
  auto const& f = fixture();
  auto const& r = pick(Which);
  for (auto _ : state) {
    std::vector<RecordError> errors;
    auto p = io::read_patient(nlohmann::json::parse(r.text), *f.catalog, errors, nullptr, f.read);
    benchmark::DoNotOptimize(p);
  }
  label(state, r);
}

/// Outcome to result JSON (io::write_outcome, the canonical bytes).
template <int Which>
void BM_WriteOutcome(benchmark::State& state) {
  auto const& r = pick(Which);
  for (auto _ : state) {
    auto s = io::write_outcome(r.outcome);
    benchmark::DoNotOptimize(s);
  }
  label(state, r);
}

/// End to end for one record: read, match (one rule), write.
template <int Which>
void BM_ReadMatchWrite(benchmark::State& state) {
  auto const& f = fixture();
  auto const& r = pick(Which);
  for (auto _ : state) {
    auto p = io::read_patient_json(r.text, *f.catalog, f.read);
    auto o = f.engine->match(*p);
    auto s = io::write_outcome(*o);
    benchmark::DoNotOptimize(s);
  }
  label(state, r);
}

}  // namespace

BENCHMARK(BM_ParseSimdjson<0>)->Name("BM_ParseSimdjson/readme")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ParseSimdjson<1>)->Name("BM_ParseSimdjson/moalmanac")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ParseNlohmann<0>)->Name("BM_ParseNlohmann/readme")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ParseNlohmann<1>)->Name("BM_ParseNlohmann/moalmanac")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReadPatient<0>)->Name("BM_ReadPatient/readme")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReadPatient<1>)->Name("BM_ReadPatient/moalmanac")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReadPatientNlohmann<0>)->Name("BM_ReadPatientNlohmann/readme")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReadPatientNlohmann<1>)->Name("BM_ReadPatientNlohmann/moalmanac")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_WriteOutcome<0>)->Name("BM_WriteOutcome/readme")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_WriteOutcome<1>)->Name("BM_WriteOutcome/moalmanac")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReadMatchWrite<0>)->Name("BM_ReadMatchWrite/readme")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReadMatchWrite<1>)->Name("BM_ReadMatchWrite/moalmanac")->Unit(benchmark::kMicrosecond);
