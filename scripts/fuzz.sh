#!/usr/bin/env bash
# Run the libFuzzer targets of tests/fuzz (docs/reliability.md).
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS]     (defaults: all, 60 s per target)
#
# Builds them first when needed (clang-14, -DACTIONABLE_FUZZ=ON, ASan + UBSan, in
# $FUZZ_BUILD_DIR, default build-fuzz), makes each target's seed corpus from the repository and
# ../shared/data (tests/fuzz/make_corpus.py; in the build tree, never in the repository), then
# runs each target for SECONDS with its dictionary, FUZZ_PARALLEL targets at a time (LeakSanitizer
# with tests/lsan.supp). Fails (exit 1) on any crash, leak, timeout (> 1 s for one input,
# -timeout=1), out-of-memory (> 2 GB) or broken invariant; the input is saved under
# $FUZZ_BUILD_DIR/fuzz-artifacts/TARGET/ — copy it to tests/fuzz/regressions/TARGET/ so the
# normal test suite replays it. Prints one line per target: executions, coverage edges
# (cov), features (ft), corpus size. Environment:
#   FUZZ_BUILD_DIR  build directory (default build-fuzz)
#   FUZZ_JOBS       parallel build jobs (default 2)
#   FUZZ_ARGS       extra libFuzzer flags (e.g. "-runs=100000" or "-max_len=65536")
#   FUZZ_KEEP_CORPUS=0  start each run from the seeds only (default: keep what earlier runs found)
#   FUZZ_PARALLEL   targets fuzzed at a time, one process each (default FUZZ_JOBS)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${1:-all}
SECONDS_PER=${2:-60}
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
JOBS=${FUZZ_JOBS:-2}
CXX_FUZZ=${CXX_FUZZ:-clang++-14}
CC_FUZZ=${CC_FUZZ:-clang-14}

if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  CC=$CC_FUZZ CXX=$CXX_FUZZ cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACTIONABLE_FUZZ=ON \
    -DACTIONABLE_BUILD_TESTS=OFF -DACTIONABLE_BUILD_BENCH=OFF -DACTIONABLE_BUILD_BINDINGS=OFF \
    -DACTIONABLE_INSTALL=OFF -DACTIONABLE_BUILD_CLI=OFF >/dev/null
fi
read -r -a ALL <"$BUILD/fuzz_targets.txt" || true
IFS=';' read -r -a ALL <<<"${ALL[*]}"
if [ "$TARGET" = all ]; then TARGETS=("${ALL[@]}"); else TARGETS=("$TARGET"); fi
build_targets=()
for t in "${TARGETS[@]}"; do build_targets+=(--target "fuzz_$t"); done
cmake --build "$BUILD" -j"$JOBS" "${build_targets[@]}" >/dev/null

# The dictionaries of a target (tests/fuzz/dict/NAME.dict), one or more.
dicts_of() {
  case "$1" in
    cna_table|cna_matrix) echo cna ;;
    report) echo patient ;;
    ctml_yaml) echo ctml ctml_yaml ;;  # the CTML keys and the YAML syntax
    *) echo "$1" ;;
  esac
}

# LeakSanitizer: third-party process-lifetime caches only (fontconfig, via the PDF report).
export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
mkdir -p "$BUILD/fuzz-logs"

# run_one TARGET: one fuzzing run; writes fuzz-logs/TARGET.summary (the report line and, on a
# failure, the evidence) and fuzz-logs/TARGET.rc.
run_one() {
  local t=$1 bin corpus art log d dict dict_arg start rc wall execs last cov ft files
  bin="$BUILD/tests/fuzz/fuzz_$t"
  corpus="$BUILD/fuzz-corpus/$t"
  if [ "${FUZZ_KEEP_CORPUS:-1}" = 0 ]; then rm -rf "$corpus"; fi
  python3 tests/fuzz/make_corpus.py "$t" "$corpus" 2>/dev/null
  art="$BUILD/fuzz-artifacts/$t"
  mkdir -p "$art"
  log="$BUILD/fuzz-logs/$t.log"
  # One -dict for libFuzzer: the target's dictionaries, concatenated in the build tree.
  dict="$BUILD/fuzz-logs/$t.dict"
  : >"$dict"
  for d in $(dicts_of "$t"); do
    if [ -f "tests/fuzz/dict/$d.dict" ]; then cat "tests/fuzz/dict/$d.dict" >>"$dict"; fi
  done
  dict_arg=()
  [ -s "$dict" ] && dict_arg=(-dict="$dict")
  start=$(date +%s)
  set +e
  # shellcheck disable=SC2086
  "$bin" -max_total_time="$SECONDS_PER" -timeout=1 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$art/" "${dict_arg[@]}" ${FUZZ_ARGS:-} "$corpus" >"$log" 2>&1
  rc=$?
  set -e
  wall=$(( $(date +%s) - start ))
  execs=$( (grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" || true) | grep -o '[0-9]*$' | tail -1 || true)
  if [ -z "$execs" ]; then  # no final stats (timeout, out-of-memory): the last progress line
    execs=$( (grep -oE '^#[0-9]+' "$log" || true) | tail -1 | tr -d '#')
  fi
  last=$( (grep -E '^#[0-9]+' "$log" || true) | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  files=$(find "$corpus" -type f | wc -l)
  {
    printf 'fuzz: %-12s %10s execs  cov %6s  ft %6s  corpus %5s  %4ss  %s\n' "$t" "${execs:-?}" "${cov:-?}" \
      "${ft:-?}" "$files" "$wall" "$([ $rc -eq 0 ] && echo ok || echo "FAILED (exit $rc)")"
    if [ $rc -ne 0 ]; then
      (grep -E 'ERROR: |invariant broken|SUMMARY|Test unit written|leak|ALARM' "$log" || true) | head -20 | sed 's/^/  | /'
      ls "$art" | sed "s|^|  artifact: $art/|"; echo
    fi
  } >"$BUILD/fuzz-logs/$t.summary"
  echo "$rc" >"$BUILD/fuzz-logs/$t.rc"
}

for t in "${TARGETS[@]}"; do
  [ -x "$BUILD/tests/fuzz/fuzz_$t" ] || { echo "fuzz: no target '$t' (have: ${ALL[*]})" >&2; exit 2; }
done
# FUZZ_PARALLEL targets at a time (default: JOBS), each a single libFuzzer process.
PARALLEL=${FUZZ_PARALLEL:-$JOBS}
for t in "${TARGETS[@]}"; do
  rm -f "$BUILD/fuzz-logs/$t.rc" "$BUILD/fuzz-logs/$t.summary"
  while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do wait -n || true; done
  run_one "$t" &
done
wait
failed=()
for t in "${TARGETS[@]}"; do
  cat "$BUILD/fuzz-logs/$t.summary" 2>/dev/null || echo "fuzz: $t: no summary (the run did not finish)"
  [ "$(cat "$BUILD/fuzz-logs/$t.rc" 2>/dev/null || echo 1)" = 0 ] || failed+=("$t")
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (logs in $BUILD/fuzz-logs)" >&2
  exit 1
fi
