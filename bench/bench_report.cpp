// The tumour-board report (docs/report.md, issue 11 item 7): document build + HTML, + PDF, and
// the JSON document, per patient, for the README example patient and a 500-finding record,
// on the shipped rule sets (rules/precision1 + rules/precision2).
#include <benchmark/benchmark.h>

#include <memory>
#include <stdexcept>

#include "actionable/actionable.hpp"
#include "actionable/report/cohort.hpp"
#include "actionable/report/report.hpp"
#include "common.hpp"

namespace {

using namespace actionable;

struct Fixture {
  std::shared_ptr<catalog::Catalog const> catalog;
  std::shared_ptr<Engine const> engine;
  model::Patient readme, big;
  Outcome readme_out, big_out;
};

Fixture const& fixture() {
  static Fixture f = [] {
    Fixture x;
    x.catalog = bench::shipped_catalog();
    Diagnostics d;
    x.engine = Engine::from_paths({bench::source_path("rules/precision1"), bench::source_path("rules/precision2")},
                                  x.catalog, d);
    if (!x.engine) throw std::runtime_error("the shipped rule sets do not compile:\n" + d.format());
    x.readme = *io::read_patient_json(bench::readme_patient_text(), *x.catalog);
    x.readme_out = *x.engine->match(x.readme);
    std::string big = R"({"patient": "P-500", "tumour": {"oncotree": "LUAD"}, "findings": [)";
    auto const& genes = x.catalog->genes.symbols();
    for (int i = 0; i < 500; ++i)
      big += std::string(i ? "," : "") + R"({"gene": ")" + genes[static_cast<std::size_t>(i) * 37 % genes.size()] +
             R"(", "hgvsp": "p.G)" + std::to_string(10 + i) + R"(D", "vaf": 0.)" + std::to_string(10 + i % 80) + "}";
    big += "]}";
    x.big = *io::read_patient_json(big, *x.catalog);
    x.big_out = *x.engine->match(x.big);
    return x;
  }();
  return f;
}

template <int Which, int Backend>
void BM_Report(benchmark::State& state) {
  auto const& f = fixture();
  auto const& p = Which == 0 ? f.readme : f.big;
  auto const& o = Which == 0 ? f.readme_out : f.big_out;
  report::Options opt;
  opt.report_date = "2026-12-01";
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto doc = report::build(o, p, *f.catalog, opt);
    auto out = Backend == 0   ? report::render_html(doc)
               : Backend == 1 ? report::render_pdf(doc)
                              : report::render_json(doc);
    bytes = out.size();
    benchmark::DoNotOptimize(out);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}

BENCHMARK(BM_Report<0, 0>)->Name("BM_ReportHtml/readme")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Report<1, 0>)->Name("BM_ReportHtml/500_findings")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Report<0, 1>)->Name("BM_ReportPdf/readme")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Report<1, 1>)->Name("BM_ReportPdf/500_findings")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Report<0, 2>)->Name("BM_ReportJson/readme")->Unit(benchmark::kMicrosecond);

// The cohort report of 10,000 results (target <= 5 s): the README patient's result under ten
// tumour codes, every third without an actionable option; builder + HTML.
void BM_CohortBatch(benchmark::State& state) {
  auto const& f = fixture();
  static char const* const kTumours[] = {"LUAD", "COAD", "BRCA", "PAAD", "SKCM", "PRAD", "STAD", "OV", "BLCA", "GBM"};
  std::vector<std::pair<model::Patient, Outcome>> batch;
  batch.reserve(10000);
  for (int i = 0; i < 10000; ++i) {
    model::Patient p = f.readme;
    p.tumour_code = kTumours[i % 10];
    Outcome o = f.readme_out;
    if (i % 3 == 0) o.matches.clear();
    batch.emplace_back(std::move(p), std::move(o));
  }
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto c = report::cohort_from_batch(batch, "bench", "2026-12-02", "bench");
    auto html = report::render_cohort_html(c);
    bytes = html.size();
    benchmark::DoNotOptimize(html);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_CohortBatch)->Name("BM_CohortReport/10000_results")->Unit(benchmark::kMillisecond);

}  // namespace
