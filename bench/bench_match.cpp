// Match throughput (patients/s) at 100 / 1,000 / 10,000 criteria: the compiled decision graph
// (PatientView + eval::evaluate + eval::classify) against the reference oracle (PatientView +
// eval::evaluate_reference + eval::classify); plus the graph path with io::result_json, i.e.
// everything Engine::match_json does after reading the record, and the two evaluators alone
// (PatientView + evaluate, no classify) to separate the index from the explanation work.
// Each iteration matches the
// same batch of synthetic patients (read from JSON once, outside the timing), so every size
// sees the same cohort.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>

#include "actionable/eval/evaluate.hpp"
#include "actionable/eval/pathway.hpp"
#include "actionable/eval/patient_view.hpp"
#include "actionable/io/result_json.hpp"
#include "cohort.hpp"

namespace {

using namespace actionable;

constexpr std::size_t kPatients = 500;

struct Fixture {
  std::shared_ptr<catalog::Catalog const> catalog;
  bench::CompiledRules compiled;
  std::vector<model::Patient> patients;
  std::vector<model::Patient> comprehensive;  ///< same patients, comprehensive profiling
  RuleSetInfo info;
};

/// The same patients as tested by comprehensive genomic profiling: somatic and germline NGS
/// covering every gene the rule set names, and MSI, MMR, TMB and HRD measured (the tests
/// a PRECISION 1 centre with a large panel reports). Findings are unchanged.
std::vector<model::Patient> comprehensive(std::vector<model::Patient> patients, ir::RuleSet const& rs) {
  std::vector<std::string> genes;
  for (auto const& a : rs.atoms)
    if (a.kind == ir::AtomKind::kGene) {
      genes.insert(genes.end(), a.genes.begin(), a.genes.end());
      if (!a.gene5.empty()) genes.push_back(a.gene5);
    }
  std::sort(genes.begin(), genes.end());
  genes.erase(std::unique(genes.begin(), genes.end()), genes.end());
  for (auto& p : patients) {
    p.tests.clear();
    for (auto origin : {model::Origin::kSomatic, model::Origin::kGermline}) {
      model::Test t;
      t.origin = origin;
      t.method = "NGS";
      t.genes = genes;
      p.tests.push_back(t);
    }
    for (char const* b : {"MSI", "MMR", "TMB", "HRD"}) {
      model::Test t;
      t.biomarker = b;
      p.tests.push_back(t);
    }
  }
  return patients;
}

Fixture const* fixture(std::size_t n) {
  static std::map<std::size_t, std::unique_ptr<Fixture>> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second.get();
  auto f = std::make_unique<Fixture>();
  f->catalog = bench::load_catalog();
  if (!f->catalog) return nullptr;
  f->compiled = bench::compile_rules(bench::make_rules(n, /*seed=*/1), f->catalog);
  if (!f->compiled.graph) return nullptr;
  f->patients = bench::read_patients(bench::make_patients(kPatients, /*seed=*/7), *f->catalog);
  if (f->patients.size() != kPatients) return nullptr;
  f->comprehensive = comprehensive(f->patients, *f->compiled.rules);
  f->info = {f->compiled.rules->name, f->compiled.rules->version, "synthetic"};
  return cache.emplace(n, std::move(f)).first->second.get();
}

enum class Path { kGraph, kReference, kGraphJson, kGraphEvalOnly, kReferenceEvalOnly };

template <Path P, bool Comprehensive = false>
void BM_Match(benchmark::State& state) {
  auto n = static_cast<std::size_t>(state.range(0));
  auto const* f = fixture(n);
  if (!f) {
    state.SkipWithError("fixture failed (catalog, rules or patients)");
    return;
  }
  auto const& rs = *f->compiled.rules;
  auto const& g = *f->compiled.graph;
  double visited = 0, nodes = 0;
  auto const& cohort = Comprehensive ? f->comprehensive : f->patients;
  for (auto _ : state) {
    for (auto const& patient : cohort) {
      eval::PatientView view(patient, *f->catalog);
      constexpr bool reference = P == Path::kReference || P == Path::kReferenceEvalOnly;
      auto ev = reference ? eval::evaluate_reference(rs, view) : eval::evaluate(g, view);
      visited += static_cast<double>(ev.criteria.size());
      nodes += static_cast<double>(ev.nodes_evaluated);
      if constexpr (P == Path::kGraphEvalOnly || P == Path::kReferenceEvalOnly) {
        benchmark::DoNotOptimize(ev);
        continue;
      } else {
        auto outcome = eval::classify(rs, view, ev);
        if constexpr (P == Path::kGraphJson) {
          auto json = io::result_json(outcome, rs, f->info).dump();
          benchmark::DoNotOptimize(json);
        }
        benchmark::DoNotOptimize(outcome);
      }
    }
  }
  double matched = static_cast<double>(state.iterations()) * static_cast<double>(f->patients.size());
  state.counters["patients/s"] = benchmark::Counter(matched, benchmark::Counter::kIsRate);
  state.counters["us/patient"] =
      benchmark::Counter(matched, benchmark::Counter::kIsRate | benchmark::Counter::kInvert,
                         benchmark::Counter::kIs1000);
  state.counters["criteria/patient"] = visited / matched;
  if (P != Path::kReference && P != Path::kReferenceEvalOnly)
    state.counters["nodes/patient"] = nodes / matched;
  state.counters["criteria"] = static_cast<double>(rs.criteria.size());
}

void BM_MatchGraph(benchmark::State& s) { BM_Match<Path::kGraph>(s); }
void BM_MatchReference(benchmark::State& s) { BM_Match<Path::kReference>(s); }
void BM_MatchGraphJson(benchmark::State& s) { BM_Match<Path::kGraphJson>(s); }
void BM_EvaluateGraph(benchmark::State& s) { BM_Match<Path::kGraphEvalOnly>(s); }
void BM_EvaluateReference(benchmark::State& s) { BM_Match<Path::kReferenceEvalOnly>(s); }
void BM_MatchGraphComprehensive(benchmark::State& s) { BM_Match<Path::kGraph, true>(s); }
void BM_MatchReferenceComprehensive(benchmark::State& s) { BM_Match<Path::kReference, true>(s); }

}  // namespace

BENCHMARK(BM_MatchGraphComprehensive)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatchReferenceComprehensive)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatchGraph)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatchReference)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatchGraphJson)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EvaluateGraph)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EvaluateReference)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
