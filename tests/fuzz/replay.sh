#!/usr/bin/env bash
# ctest fuzz_replay_<target>: replay, without libFuzzer, the target's seed corpus (hand-made
# seeds, the repository's examples and slices of ../shared/data: tests/fuzz/make_corpus.py)
# and every regression input found by fuzzing (tests/fuzz/regressions/<target>/), checking the
# target's invariants on each. Usage: replay.sh REPLAY_BINARY TARGET WORK_DIR
set -euo pipefail
bin=$1 target=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
python3 "$here/make_corpus.py" "$target" "$work"
inputs=("$work")
[ -d "$here/regressions/$target" ] && inputs+=("$here/regressions/$target")
exec "$bin" "${inputs[@]}"
