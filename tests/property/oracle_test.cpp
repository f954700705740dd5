// Property test: the compiled decision graph agrees with the reference oracle.
//
// For several seeds and sizes, a synthetic rule set (bench/cohort.hpp) is compiled and every
// synthetic patient is matched twice — eval::evaluate over the graph and
// eval::evaluate_reference over the IR — each followed by eval::classify and io::result_json.
// The two result documents must be byte-identical. The graph must also reach fewer criteria
// than the rule set holds, on average (its tumour / gene index does its job).
// No test measures time; the sizes keep the suite to a few seconds in RelWithDebInfo.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "actionable/detail/eval/evaluate.hpp"
#include "actionable/detail/eval/pathway.hpp"
#include "actionable/detail/eval/patient_view.hpp"
#include "actionable/detail/io/result_json.hpp"
#include "cohort.hpp"

namespace {

#ifndef ACTIONABLE_SOURCE_DIR
#define ACTIONABLE_SOURCE_DIR "."
#endif

using namespace actionable;

std::shared_ptr<catalog::Catalog const> const& shipped_catalog() {
  static auto const catalog = bench::load_catalog(std::string(ACTIONABLE_SOURCE_DIR) + "/rules/reference");
  return catalog;
}

struct OracleRun {
  std::size_t patients = 0;
  std::size_t mismatches = 0;
  double mean_criteria_visited = 0;  ///< graph: criteria listed per patient
  double mean_nodes_evaluated = 0;
  std::size_t criteria = 0;
  std::size_t matches = 0, indeterminate = 0, suppressed = 0, off_label = 0, excluded = 0;
  std::string first_mismatch;
};

bench::Vocabulary const& broad_vocabulary() {
  static auto const v = bench::broad_vocabulary(*shipped_catalog());
  return v;
}

enum class Profile { kDense, kBroad };

std::string rules_text(Profile profile, std::size_t n, std::uint64_t seed, bench::RuleSetStats* st = nullptr) {
  return profile == Profile::kBroad ? bench::make_rules_broad(n, seed, broad_vocabulary(), st)
                                    : bench::make_rules(n, seed, st);
}

OracleRun run_oracle(std::size_t n_rules, std::uint64_t rule_seed, std::size_t n_patients, std::uint64_t patient_seed,
                     Profile profile = Profile::kDense) {
  OracleRun out;
  auto const& cat = shipped_catalog();
  REQUIRE(cat);
  auto text = rules_text(profile, n_rules, rule_seed);
  auto compiled = bench::compile_rules(text, cat);
  INFO(compiled.diags.format());
  REQUIRE(compiled.rules);
  REQUIRE(compiled.diags.error_count() == 0);
  auto const& rs = *compiled.rules;
  out.criteria = rs.criteria.size();
  RuleSetInfo info{rs.name, rs.version, "synthetic"};

  std::vector<std::string> errors;
  auto records = bench::make_patients(n_patients, patient_seed);
  auto patients = bench::read_patients(records, *cat, &errors);
  INFO((errors.empty() ? std::string() : errors.front()));
  REQUIRE(errors.empty());
  REQUIRE(patients.size() == n_patients);

  std::size_t visited = 0, nodes = 0;
  for (std::size_t i = 0; i < patients.size(); ++i) {
    eval::PatientView view(patients[i], *cat);
    auto fast = eval::evaluate(*compiled.graph, view);
    auto slow = eval::evaluate_reference(rs, view);
    auto fast_out = eval::classify(rs, view, fast);
    auto slow_out = eval::classify(rs, view, slow);
    auto a = io::result_json(fast_out, rs, info);
    auto b = io::result_json(slow_out, rs, info);
    visited += fast.criteria.size();
    nodes += fast.nodes_evaluated;
    out.matches += slow_out.matches.size();
    out.indeterminate += slow_out.indeterminate.size();
    out.suppressed += slow_out.suppressed.size();
    out.off_label += slow_out.off_label.size();
    out.excluded += slow_out.excluded.size();
    if (a != b) {
      if (out.mismatches == 0) {
        std::ostringstream s;
        s << "rules " << n_rules << " seed " << rule_seed << ", patient " << i << " (seed " << patient_seed
          << "):\n  record: " << records[i] << "\n  graph:     " << a << "\n  reference: " << b << "\n";
        out.first_mismatch = s.str();
      }
      ++out.mismatches;
    }
  }
  out.patients = patients.size();
  out.mean_criteria_visited = static_cast<double>(visited) / static_cast<double>(patients.size());
  out.mean_nodes_evaluated = static_cast<double>(nodes) / static_cast<double>(patients.size());
  return out;
}

void check_run(OracleRun const& r) {
  INFO(r.first_mismatch);
  CHECK(r.mismatches == 0);
  // The index works: on average the graph lists fewer criteria than the rule set has.
  CHECK(r.mean_criteria_visited < static_cast<double>(r.criteria));
  MESSAGE(r.criteria << " criteria, " << r.patients << " patients: graph visits " << r.mean_criteria_visited
                     << " criteria and " << r.mean_nodes_evaluated << " nodes per patient; outcomes: " << r.matches
                     << " matches, " << r.indeterminate << " indeterminate, " << r.suppressed << " suppressed, "
                     << r.off_label << " off-label, " << r.excluded << " excluded; " << r.mismatches << " mismatches");
}

}  // namespace

TEST_SUITE("oracle") {
  TEST_CASE("synthetic rule sets and records are valid input") {
    auto const& cat = shipped_catalog();
    REQUIRE(cat);
    // The broad vocabulary: the 352 cancer genes, then enough HGNC symbols for 10,000
    // criteria at four per gene, and every plain OncoTree code.
    auto const& vocabulary = broad_vocabulary();
    CHECK(vocabulary.genes.size() >= 2500);
    CHECK(vocabulary.tumours.size() > 800);
    for (auto profile : {Profile::kDense, Profile::kBroad})
      for (std::size_t n : {100u, 1000u, 10000u}) {
        for (std::uint64_t seed : {1u, 2u}) {
          CAPTURE(n);
          CAPTURE(seed);
          CAPTURE(profile == Profile::kBroad);
          bench::RuleSetStats st;
          auto text = rules_text(profile, n, seed, &st);
          CHECK(text == rules_text(profile, n, seed));  // deterministic
          auto compiled = bench::compile_rules(text, cat);
          INFO(compiled.diags.format().substr(0, 4000));
          REQUIRE(compiled.rules);
          CHECK(compiled.diags.error_count() == 0);
          CHECK(compiled.diags.warning_count() == 0);
          CHECK(compiled.rules->criteria.size() == n);
          CHECK(st.criteria == n);
          CHECK(st.rules + st.arms + st.cohorts == n);
          if (n >= 1000) {
            CHECK(st.trials > 0);
            CHECK(st.cohorts > 0);
            CHECK(st.defines > 0);
          }
        }
      }
    auto records = bench::make_patients(500, 3);
    CHECK(records == bench::make_patients(500, 3));
    std::vector<std::string> errors;
    auto patients = bench::read_patients(records, *cat, &errors);
    INFO((errors.empty() ? std::string() : errors.front()));
    CHECK(errors.empty());
    CHECK(patients.size() == 500);
    std::size_t closed = 0, with_findings = 0;
    for (auto const& p : patients) {
      closed += p.closed_world();
      with_findings += !p.findings.empty();
    }
    CHECK(closed > 0);
    CHECK(closed < patients.size() / 2);
    CHECK(with_findings > patients.size() / 2);
  }

  TEST_CASE("compiled graph matches the reference oracle (30 rules, many seeds)") {
    OracleRun all;
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
      auto r = run_oracle(30, seed, 150, seed + 1000);
      if (all.first_mismatch.empty()) all.first_mismatch = r.first_mismatch;
      all.mismatches += r.mismatches;
      all.patients += r.patients;
      all.criteria += r.criteria;
      all.mean_criteria_visited += r.mean_criteria_visited;
      all.mean_nodes_evaluated += r.mean_nodes_evaluated;
      all.matches += r.matches;
      all.indeterminate += r.indeterminate;
      all.suppressed += r.suppressed;
      all.off_label += r.off_label;
      all.excluded += r.excluded;
    }
    all.criteria /= 40;
    all.mean_criteria_visited /= 40;
    all.mean_nodes_evaluated /= 40;
    check_run(all);
  }

  TEST_CASE("compiled graph matches the reference oracle (100 rules)") {
    for (std::uint64_t seed : {11u, 12u, 13u, 14u, 15u, 16u}) check_run(run_oracle(100, seed, 400, seed + 100));
  }

  TEST_CASE("compiled graph matches the reference oracle (1,000 rules)") {
    for (std::uint64_t seed : {21u, 22u, 23u}) check_run(run_oracle(1000, seed, 300, seed + 100));
  }

  TEST_CASE("compiled graph matches the reference oracle (10,000 rules)") {
    check_run(run_oracle(10000, 31, 120, 131));
  }

  TEST_CASE("compiled graph matches the reference oracle (broad profile)") {
    for (std::uint64_t seed : {41u, 42u, 43u, 44u}) check_run(run_oracle(100, seed, 300, seed + 100, Profile::kBroad));
    for (std::uint64_t seed : {51u, 52u}) check_run(run_oracle(1000, seed, 300, seed + 100, Profile::kBroad));
    check_run(run_oracle(10000, 61, 300, 161, Profile::kBroad));
  }
}
