// Parse-only throughput: rule-set source text → ast::File (the Spirit X3 grammar), at 100 /
// 1,000 / 10,000 criteria. The text is generated once per size (bench/cohort.hpp).
#include <benchmark/benchmark.h>

#include <map>

#include "cohort.hpp"

namespace {

using namespace actionable;

void BM_Parse(benchmark::State& state) {
  auto n = static_cast<std::size_t>(state.range(0));
  auto const& text = bench::cached_rules(n);
  for (auto _ : state) {
    SourceFile src("synthetic.rules", text);
    Diagnostics diags;
    auto file = dsl::parse(src, diags);
    if (!file) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(file);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
  state.counters["criteria"] = static_cast<double>(n);
  state.counters["KiB"] = static_cast<double>(text.size()) / 1024.0;
}

}  // namespace

BENCHMARK(BM_Parse)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
