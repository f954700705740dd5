#!/usr/bin/env bash
# The sanitizer and fuzzing checks of issue 14 (docs/reliability.md).
#
#   bash scripts/reliability.sh [STEP]...      (default: ci)
#
# Steps:
#   ci    what CI runs (scripts/test.sh calls it after the normal suite), sized for the
#         30-minute CI budget on 2 cores: preset asan-ci (build-asan-ci), clang-14 with
#         AddressSanitizer + UBSan, a unity build of the CLI, the unit, io and registry test
#         executables and every libFuzzer target (no bindings or benches), then ctest --preset
#         asan-ci (io, the unit suite in two processes, unit_part1 + unit_part2 = unit, so that
#         both cores run it, cli, cli_lab_files, registry on SQLite and PostgreSQL with 20
#         kills each, registry_cli),
#         then the short fuzz pass: every fuzz target for FUZZ_SECONDS (default 5) from its
#         seeds (scripts/fuzz.sh; fails on a crash, leak, > 1 s input, OOM or broken
#         invariant), then the tsan step below.
#   asan  preset asan (build-asan), by hand: the whole tree under ASan + UBSan with the
#         libFuzzer targets; runs unit, io, cli, cli_lab_files, registry (SQLite and
#         PostgreSQL) and registry_cli.
#   fuzz  every fuzz target for FUZZ_SECONDS (default 10) from its seeds, in build-asan
#         (scripts/fuzz.sh), by hand: fails on a crash, leak, > 1 s input, OOM or broken invariant.
#   tsan  preset tsan (build-tsan), also the last part of ci: ThreadSanitizer build (unity,
#         Ninja) of the parallel-match test (the engine shared by threads) and the
#         portal-threads test (the portal behind its HTTP server, several clients); runs both;
#         then preset tsan-python (build-tsan-python, GCC): the Python module's suite under
#         TSan (ctest python_tsan).
#   all   asan fuzz tsan.
# A missing tool (clang++-14, the sanitizer runtimes, libFuzzer) is an error, never a skipped
# step; so is any sanitizer report. Prints the wall time of each step. JOBS (default: nproc)
# sets the build's parallelism. The registry's PostgreSQL half runs against the server of
# ACTIONABLE_TEST_PG (scripts/test.sh's); without one, a throw-away server on loopback is
# started for the run (.ci/postgres.sh) and stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(ci)
JOBS=${JOBS:-$(nproc)}
CXX_SAN=clang++-14   # the compiler of the presets (CMakePresets.json)
# Wall time and CPU time (user + sys of the finished child processes, from bash's `times`, which
# must run in this shell, not in a $(…) subshell) of each step.
times_file=$(mktemp)
trap 'rm -f "$times_file"' EXIT
cpu=0
read_cpu() {
  times >"$times_file"
  cpu=$(awk 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); s += a[1] * 60 + a[2] }
                       printf "%d", s }' "$times_file")
}
t0=$(date +%s)
read_cpu
c0=$cpu
lap() {
  read_cpu
  echo "reliability: $1: $(( $(date +%s) - t0 )) s wall, $(( cpu - c0 )) s CPU"
  t0=$(date +%s) c0=$cpu
}
die() { echo "reliability: $*" >&2; exit 1; }

# need FLAGS...: clang++-14 can build and link a program with each set of flags, or the run
# stops here naming the Debian package (scripts/deps.sh installs them all).
need() {
  command -v cmake >/dev/null || die "cmake not found (run scripts/deps.sh)"
  command -v "$CXX_SAN" >/dev/null || die "$CXX_SAN not found (Debian clang-14; run scripts/deps.sh)"
  local tmp flags pkg src
  tmp=$(mktemp -d)
  for flags in "$@"; do
    if [[ "$flags" == *fuzzer* ]]; then
      pkg=libfuzzer-14-dev
      src='#include <cstddef>
#include <cstdint>
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }'
    else
      pkg=libclang-rt-14-dev
      src='int main() { return 0; }'
    fi
    # shellcheck disable=SC2086
    if ! echo "$src" | "$CXX_SAN" $flags -x c++ - -o "$tmp/a.out" 2>"$tmp/err"; then
      head -n 20 "$tmp/err" >&2
      rm -rf "$tmp"
      die "$CXX_SAN cannot link with $flags (Debian $pkg; run scripts/deps.sh)"
    fi
  done
  rm -rf "$tmp"
}

# The TSan build of the core library and parallel_match, and of the portal (registry, report)
# and portal_threads, and their runs (the last part of ci,
# or a step of its own).
tsan_step() {
  need "-fsanitize=thread"
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j"$JOBS"
  lap "tsan build (core, registry, report and portal libraries; parallel_match, portal_threads)"
  ctest --preset tsan
  lap "tsan tests (parallel_match, portal_threads)"
  # The Python module under TSan: GCC, whose runtime can be preloaded into CPython
  # (tests/threads/python_tsan.sh).
  command -v g++ >/dev/null || die "g++ not found (Debian g++; run scripts/deps.sh)"
  echo 'int main() { return 0; }' | g++ -fsanitize=thread -x c++ - -o /dev/null 2>/dev/null ||
    die "g++ cannot link with -fsanitize=thread (Debian libtsan2; run scripts/deps.sh)"
  cmake --preset tsan-python >/dev/null
  cmake --build --preset tsan-python -j"$JOBS"
  lap "tsan-python build (core library and the Python module, GCC)"
  ctest --preset tsan-python
  lap "tsan-python test (a planted race reported, then test_python.py: no report)"
}

# A PostgreSQL server for the registry suite under ASan: the caller's, or a throw-away one.
pg_started=""
need_pg() {
  [ -n "${ACTIONABLE_TEST_PG:-}" ] && return 0
  eval "$(bash .ci/postgres.sh)"
  pg_started=$ACTIONABLE_TEST_PG_DIR
  trap 'rm -f "$times_file"; bash .ci/postgres.sh stop "$pg_started" >/dev/null 2>&1 || true' EXIT
}

expand=()
for step in "${steps[@]}"; do
  case "$step" in
    all) expand+=(asan fuzz tsan) ;;
    *) expand+=("$step") ;;
  esac
done

for step in "${expand[@]}"; do
  case "$step" in
    ci)
      need "-fsanitize=address,undefined" "-fsanitize=fuzzer,address,undefined"
      cmake --preset asan-ci >/dev/null
      cmake --build --preset asan-ci -j"$JOBS"
      lap "asan-ci build (CLI, unit, io and registry test executables, fuzz targets)"
      need_pg
      CI=true ctest --preset asan-ci -j"$JOBS"
      lap "asan-ci tests (unit, io, cli, cli_lab_files, registry on SQLite and PostgreSQL, registry_cli)"
      FUZZ_BUILD_DIR=build-asan-ci FUZZ_JOBS=$JOBS FUZZ_KEEP_CORPUS=0 \
        bash scripts/fuzz.sh all "${FUZZ_SECONDS:-5}"
      lap "asan-ci fuzz pass (every target, ${FUZZ_SECONDS:-5} s each)"
      tsan_step
      ;;
    asan)
      need "-fsanitize=address,undefined" "-fsanitize=fuzzer,address,undefined"
      cmake --preset asan >/dev/null
      cmake --build --preset asan -j"$JOBS"
      lap "asan build"
      need_pg
      CI=true ACTIONABLE_CRASH_KILLS="${ACTIONABLE_CRASH_KILLS:-20}" ctest --preset asan -j"$JOBS"
      lap "asan tests"
      ;;
    fuzz)
      need "-fsanitize=fuzzer,address,undefined"
      [ -f build-asan/CMakeCache.txt ] || cmake --preset asan >/dev/null
      FUZZ_BUILD_DIR=build-asan FUZZ_JOBS=$JOBS FUZZ_KEEP_CORPUS=0 \
        bash scripts/fuzz.sh all "${FUZZ_SECONDS:-10}"
      lap "fuzz pass"
      ;;
    tsan) tsan_step ;;
    *) die "unknown step $step (ci, asan, fuzz, tsan, all)" ;;
  esac
done
