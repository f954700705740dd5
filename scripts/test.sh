#!/usr/bin/env bash
# The README's test command: build everything and run every test suite (doctest units,
# golden files, the oracle property test, CLI contract tests, the find_package consumer,
# the readers on real files, and the registry on SQLite and a real PostgreSQL server), then the
# sanitizer step of CI (scripts/reliability.sh ci: the unit and io suites under ASan + UBSan,
# clang-14, and a short pass of every libFuzzer target; docs/reliability.md). RELIABILITY=0
# leaves that step out, and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD_DIR:-build}
# A unity build with Ninja (UNITY=OFF for one source per compiler run): on 2 cores it builds
# the tree in ~6 min against ~14 min for Makefiles one source at a time (docs/reliability.md,
# "CI"). A build directory configured before keeps its generator.
gen=()
[ -f "$BUILD/CMakeCache.txt" ] || gen=(-G Ninja)
cmake -S . -B "$BUILD" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACTIONABLE_WERROR=ON \
  -DCMAKE_UNITY_BUILD="${UNITY:-ON}" >/dev/null
cmake --build "$BUILD" -j"$(nproc)"

# A throw-away PostgreSQL on 127.0.0.1 for the registry suite (stopped on exit).
if [ -f .ci/postgres.sh ]; then
  eval "$(bash .ci/postgres.sh)"
  trap 'bash .ci/postgres.sh stop "${ACTIONABLE_TEST_PG_DIR:-}" >/dev/null 2>&1 || true' EXIT
fi

# As many suites at a time as there are cores: every suite is safe side by side with any other (the
# PostgreSQL ones use their own databases and roles, registry_pg_faults its own cluster).
ctest --test-dir "$BUILD" -j"$(nproc)" --output-on-failure

if [ "${RELIABILITY:-1}" != 0 ]; then
  bash scripts/reliability.sh ci
else
  echo "test.sh: RELIABILITY=0: the sanitizer step (scripts/reliability.sh ci) was NOT run" >&2
fi
