#!/usr/bin/env bash
# The reliability part of CI (issue 14, docs/reliability.md), run by scripts/test.sh after the
# normal suite; on its own: `bash scripts/reliability.sh [asan|tsan|fuzz]...` (default: all).
#   asan  clang-14 build with AddressSanitizer + UndefinedBehaviorSanitizer (preset asan, which
#         also builds the libFuzzer targets); runs the unit, io, cli, cli_lab_files, registry
#         (SQLite only) and registry_cli suites under it. Any report fails the run.
#   fuzz  every fuzz target for $CI_FUZZ_SECONDS seconds (default 10) from its seed corpus, in
#         the asan build (scripts/fuzz.sh): fails on a crash, leak, timeout (> 1 s for one
#         input), out-of-memory or broken invariant.
#   tsan  clang-14 build with ThreadSanitizer of the core library and the parallel-match test
#         (preset tsan); runs it.
# Prints the wall time of each step.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(asan fuzz tsan)
JOBS=${JOBS:-$(nproc)}
t0=$(date +%s)
lap() { echo "reliability: $1: $(( $(date +%s) - t0 )) s"; t0=$(date +%s); }

for step in "${steps[@]}"; do
  case "$step" in
    asan)
      cmake --preset asan >/dev/null
      cmake --build build-asan -j"$JOBS" --target actionable actionable_tests actionable_io_tests \
        actionable_registry_tests fuzz_all
      lap "asan build"
      # SQLite only: the PostgreSQL cases are the server's business, not memory safety's.
      env -u ACTIONABLE_TEST_PG ACTIONABLE_CRASH_KILLS="${ACTIONABLE_CRASH_KILLS:-20}" \
        ctest --preset asan -j"$JOBS"
      lap "asan tests"
      ;;
    fuzz)
      FUZZ_BUILD_DIR=build-asan FUZZ_JOBS=$JOBS FUZZ_KEEP_CORPUS=0 \
        bash scripts/fuzz.sh all "${CI_FUZZ_SECONDS:-10}"
      lap "fuzz pass"
      ;;
    tsan)
      cmake --preset tsan >/dev/null
      cmake --build build-tsan -j"$JOBS" --target actionable_parallel_match_test
      lap "tsan build"
      ctest --preset tsan
      lap "tsan tests"
      ;;
    *) echo "reliability: unknown step $step" >&2; exit 2 ;;
  esac
done
