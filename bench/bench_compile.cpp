// Compile time from source text: parse + sema::check + graph::compile (what
// Engine::from_sources does, minus the SHA-256), at 100 / 1,000 / 10,000 criteria; plus the
// check and graph stages alone, to see what dominates.
#include <benchmark/benchmark.h>

#include <map>

#include "cohort.hpp"

namespace {

using namespace actionable;

std::shared_ptr<catalog::Catalog const> const& catalog_ptr() {
  static auto const c = bench::load_catalog();
  return c;
}

/// The broad profile (bench/cohort.hpp, Vocabulary): more genes and tumour codes per size.
std::string const& broad_rules_text(std::size_t n) {
  static std::map<std::size_t, std::string> cache;
  auto it = cache.find(n);
  if (it == cache.end() && catalog_ptr())
    it = cache.emplace(n, bench::make_rules_broad(n, /*seed=*/1, bench::broad_vocabulary(*catalog_ptr()))).first;
  static std::string const empty;
  return it == cache.end() ? empty : it->second;
}

template <bool Broad>
void BM_CompileProfile(benchmark::State& state) {
  auto n = static_cast<std::size_t>(state.range(0));
  auto const& text = Broad ? broad_rules_text(n) : bench::cached_rules(n);
  auto const& cat = catalog_ptr();
  if (!cat) {
    state.SkipWithError("cannot load the reference catalog");
    return;
  }
  for (auto _ : state) {
    auto compiled = bench::compile_rules(text, cat);
    if (!compiled.graph) state.SkipWithError("compile failed");
    benchmark::DoNotOptimize(compiled.graph);
  }
  state.counters["criteria"] = static_cast<double>(n);
}

void BM_Compile(benchmark::State& s) { BM_CompileProfile<false>(s); }
void BM_CompileBroad(benchmark::State& s) { BM_CompileProfile<true>(s); }

/// sema::check alone (the AST is parsed once outside the loop).
void BM_Check(benchmark::State& state) {
  auto n = static_cast<std::size_t>(state.range(0));
  auto const& cat = catalog_ptr();
  if (!cat) {
    state.SkipWithError("cannot load the reference catalog");
    return;
  }
  auto src = std::make_shared<SourceFile const>("synthetic.rules", bench::cached_rules(n));
  Diagnostics pd;
  auto file = dsl::parse(*src, pd);
  if (!file) {
    state.SkipWithError("parse failed");
    return;
  }
  std::vector<sema::ParsedFile> parsed;
  parsed.push_back({src, std::move(*file)});
  for (auto _ : state) {
    Diagnostics diags;
    auto rs = sema::check(parsed, *cat, diags);
    if (!rs) state.SkipWithError("check failed");
    benchmark::DoNotOptimize(rs);
  }
  state.counters["criteria"] = static_cast<double>(n);
}

/// graph::compile alone (from a checked rule set).
void BM_Graph(benchmark::State& state) {
  auto n = static_cast<std::size_t>(state.range(0));
  auto const& cat = catalog_ptr();
  if (!cat) {
    state.SkipWithError("cannot load the reference catalog");
    return;
  }
  auto compiled = bench::compile_rules(bench::cached_rules(n), cat);
  if (!compiled.rules) {
    state.SkipWithError("compile failed");
    return;
  }
  for (auto _ : state) {
    auto g = graph::compile(compiled.rules, cat);
    benchmark::DoNotOptimize(g);
  }
  state.counters["criteria"] = static_cast<double>(n);
  state.counters["ir_nodes"] = static_cast<double>(compiled.rules->nodes.size());
  state.counters["atoms"] = static_cast<double>(compiled.rules->atoms.size());
}

}  // namespace

BENCHMARK(BM_Compile)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CompileBroad)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Check)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Graph)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
