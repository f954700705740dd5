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

#include "actionable/detail/eval/evaluate.hpp"
#include "actionable/detail/eval/pathway.hpp"
#include "actionable/detail/eval/patient_view.hpp"
#include "actionable/detail/io/result_json.hpp"
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
/// covering every gene of the broad vocabulary (~5,600 genes, the same at every size, as a
/// large panel or an exome would) and every gene the rule set names, and MSI, MMR, TMB and
/// HRD measured. Findings are unchanged.
std::vector<model::Patient> comprehensive(std::vector<model::Patient> patients, ir::RuleSet const& rs,
                                          catalog::Catalog const& catalog) {
  std::vector<std::string> genes = bench::broad_vocabulary(catalog).genes;
  for (auto const& a : rs.atoms)
    if (a.kind == ir::AtomKind::kGene) {
      genes.insert(genes.end(), a.genes.begin(), a.genes.end());
      if (!a.gene5.empty()) genes.push_back(a.gene5);
    }
  std::sort(genes.begin(), genes.end());
  genes.erase(std::unique(genes.begin(), genes.end()), genes.end());
  std::vector<std::uint32_t> ids;  // as io::read_patient fills Test::gene_ids
  for (auto const& g : genes)
    if (auto id = catalog.genes.index(g)) ids.push_back(*id);
  for (auto& p : patients) {
    p.tests.clear();
    for (auto origin : {model::Origin::kSomatic, model::Origin::kGermline}) {
      model::Test t;
      t.origin = origin;
      t.method = "NGS";
      t.genes = genes;
      t.gene_ids = ids;
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

/// Dense: the same ~350 genes and ~70 tumour anchors at every size (a patient reaches a fixed
/// fraction of the rule set). Broad: the vocabulary grows with the rule set (bench/cohort.hpp,
/// Vocabulary). The patients are the same in both.
enum class Profile { kDense, kBroad };

Fixture const* fixture(std::size_t n, Profile profile) {
  static std::map<std::pair<std::size_t, Profile>, std::unique_ptr<Fixture>> cache;
  auto it = cache.find({n, profile});
  if (it != cache.end()) return it->second.get();
  auto f = std::make_unique<Fixture>();
  f->catalog = bench::load_catalog();
  if (!f->catalog) return nullptr;
  auto text = profile == Profile::kBroad ? bench::make_rules_broad(n, /*seed=*/1, bench::broad_vocabulary(*f->catalog))
                                         : bench::make_rules(n, /*seed=*/1);
  f->compiled = bench::compile_rules(text, f->catalog);
  if (!f->compiled.graph) return nullptr;
  f->patients = bench::read_patients(bench::make_patients(kPatients, /*seed=*/7), *f->catalog);
  if (f->patients.size() != kPatients) return nullptr;
  f->comprehensive = comprehensive(f->patients, *f->compiled.rules, *f->catalog);
  f->info = {f->compiled.rules->name, f->compiled.rules->version, "synthetic"};
  return cache.emplace(std::make_pair(n, profile), std::move(f)).first->second.get();
}

enum class Path { kGraph, kReference, kGraphJson, kGraphEvalOnly, kReferenceEvalOnly, kViewOnly };

template <Path P, bool Comprehensive = false, Profile Pr = Profile::kDense>
void BM_Match(benchmark::State& state) {
  auto n = static_cast<std::size_t>(state.range(0));
  auto const* f = fixture(n, Pr);
  if (!f) {
    state.SkipWithError("fixture failed (catalog, rules or patients)");
    return;
  }
  auto const& rs = *f->compiled.rules;
  auto const& g = *f->compiled.graph;
  double visited = 0, nodes = 0, entries = 0;
  auto const& cohort = Comprehensive ? f->comprehensive : f->patients;
  for (auto _ : state) {
    for (auto const& patient : cohort) {
      eval::PatientView view(patient, *f->catalog);
      if constexpr (P == Path::kViewOnly) {
        benchmark::DoNotOptimize(view);
        continue;
      }
      constexpr bool reference = P == Path::kReference || P == Path::kReferenceEvalOnly;
      auto ev = reference ? eval::evaluate_reference(rs, view) : eval::evaluate(g, view);
      visited += static_cast<double>(ev.criteria.size());
      nodes += static_cast<double>(ev.nodes_evaluated);
      if constexpr (P == Path::kGraphEvalOnly || P == Path::kReferenceEvalOnly) {
        benchmark::DoNotOptimize(ev);
        continue;
      } else {
        auto outcome = eval::classify(rs, view, ev);
        entries += static_cast<double>(outcome.matches.size() + outcome.indeterminate.size() +
                                       outcome.off_label.size() + outcome.excluded.size() + outcome.suppressed.size());
        if constexpr (P == Path::kGraphJson) {
          auto json = io::result_json(outcome, rs, f->info);
          benchmark::DoNotOptimize(json);
        }
        benchmark::DoNotOptimize(outcome);
      }
    }
  }
  double matched = static_cast<double>(state.iterations()) * static_cast<double>(f->patients.size());
  state.counters["patients/s"] = benchmark::Counter(matched, benchmark::Counter::kIsRate);
  state.counters["us/patient"] = benchmark::Counter(matched, benchmark::Counter::kIsRate | benchmark::Counter::kInvert,
                                                    benchmark::Counter::kIs1000);
  state.counters["criteria/patient"] = visited / matched;
  if (P != Path::kReference && P != Path::kReferenceEvalOnly && P != Path::kViewOnly)
    state.counters["nodes/patient"] = nodes / matched;
  state.counters["criteria"] = static_cast<double>(rs.criteria.size());
  if (P != Path::kGraphEvalOnly && P != Path::kReferenceEvalOnly) state.counters["entries/patient"] = entries / matched;
}

void BM_MatchGraph(benchmark::State& s) { BM_Match<Path::kGraph>(s); }
void BM_MatchReference(benchmark::State& s) { BM_Match<Path::kReference>(s); }
void BM_MatchGraphJson(benchmark::State& s) { BM_Match<Path::kGraphJson>(s); }
void BM_EvaluateGraph(benchmark::State& s) { BM_Match<Path::kGraphEvalOnly>(s); }
void BM_EvaluateReference(benchmark::State& s) { BM_Match<Path::kReferenceEvalOnly>(s); }
void BM_MatchGraphComprehensive(benchmark::State& s) { BM_Match<Path::kGraph, true>(s); }
void BM_MatchReferenceComprehensive(benchmark::State& s) { BM_Match<Path::kReference, true>(s); }
void BM_BroadMatchGraph(benchmark::State& s) { BM_Match<Path::kGraph, false, Profile::kBroad>(s); }
void BM_BroadMatchReference(benchmark::State& s) { BM_Match<Path::kReference, false, Profile::kBroad>(s); }
void BM_BroadMatchGraphComprehensive(benchmark::State& s) { BM_Match<Path::kGraph, true, Profile::kBroad>(s); }
void BM_BroadMatchReferenceComprehensive(benchmark::State& s) { BM_Match<Path::kReference, true, Profile::kBroad>(s); }
// Phases (broad profile): PatientView alone, PatientView + evaluate; classify is the
// difference between BM_BroadMatchGraph* and BM_BroadEvaluateGraph*.
void BM_BroadView(benchmark::State& s) { BM_Match<Path::kViewOnly, false, Profile::kBroad>(s); }
void BM_BroadViewComprehensive(benchmark::State& s) { BM_Match<Path::kViewOnly, true, Profile::kBroad>(s); }
void BM_BroadEvaluateGraph(benchmark::State& s) { BM_Match<Path::kGraphEvalOnly, false, Profile::kBroad>(s); }
void BM_BroadEvaluateGraphComprehensive(benchmark::State& s) {
  BM_Match<Path::kGraphEvalOnly, true, Profile::kBroad>(s);
}
void BM_BroadMatchGraphJson(benchmark::State& s) { BM_Match<Path::kGraphJson, false, Profile::kBroad>(s); }

}  // namespace

BENCHMARK(BM_BroadMatchGraphComprehensive)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BroadMatchReferenceComprehensive)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BroadMatchGraph)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BroadMatchReference)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BroadView)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BroadViewComprehensive)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BroadEvaluateGraph)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BroadEvaluateGraphComprehensive)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BroadMatchGraphJson)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatchGraphComprehensive)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatchReferenceComprehensive)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatchGraph)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatchReference)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatchGraphJson)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EvaluateGraph)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EvaluateReference)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
