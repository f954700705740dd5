#!/usr/bin/env bash
# The Python module under ThreadSanitizer (ctest python_tsan, preset tsan-python;
# docs/reliability.md "Sanitizers").
#
#   python_tsan.sh PYTHON MODULE_DIR SOURCE_DIR
#
# MODULE_DIR holds the package actionable/ with a _core module built with GCC and
# -fsanitize=thread. CPython itself is not instrumented: GCC's TSan runtime (libtsan.so.2) is
# preloaded into Debian's interpreter. It sees every access of the module (the engine, the
# one pool of match_many) and every lock and thread of the process, CPython's GIL included,
# but no access made by CPython's own code, so races inside CPython are out of its sight.
# (clang-14's shared runtime, libclang_rt.tsan-x86_64.so, crashes when preloaded even into
# /bin/true on Debian 12, hence GCC for this build.)
#
# 1. A control: a C function racing on a global, called from two Python threads through
#    ctypes (which releases the GIL); both threads are inside it at once. TSan must report
#    the race — a setup that cannot see it proves nothing, so the test fails.
# 2. tests/bindings/test_python.py, every test, under TSan (halt_on_error: the first report
#    ends the run): match / match_json / explain / report from four Python threads sharing one
#    Engine with the GIL released, match_many on the house pool with 1..4 threads, a ticker
#    thread running while match_many matches. Zero reports and every test passed, or it fails.
set -euo pipefail
PY=$1 MOD=$2 SRC=$3
fail() { echo "python_tsan: $*" >&2; exit 1; }

# A pyenv-style shim is a shell script: preload into the interpreter itself, not into bash.
real=$("$PY" -c 'import sys; print(sys.executable)')
[ -x "$real" ] || fail "no Python interpreter at '$real' (from $PY)"
rt=$(readlink -f "$(g++ -print-file-name=libtsan.so)")
[ -f "$rt" ] || fail "GCC's ThreadSanitizer runtime not found (Debian libtsan2, with g++)"
core=$(find "$MOD/actionable" -maxdepth 1 -name '_core*.so' 2>/dev/null | head -n 1)
[ -n "$core" ] || fail "no actionable/_core module in $MOD"
nm -D "$core" | grep -q ' U __tsan_' || fail "$core is not built with -fsanitize=thread"
linked=$(ldd "$core" | sed -n 's/^[[:space:]]*libtsan[^ ]* => \([^ ]*\) .*/\1/p')
if [ -z "$linked" ] || [ "$(readlink -f "$linked")" != "$rt" ]; then fail "$core is not linked against $rt"; fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:suppressions=$SRC/tests/tsan.supp"

# 1. The control.
cat >"$tmp/race.c" <<'EOF'
#include <stdatomic.h>
static long counter;
static atomic_int arrived;
/* Both threads write `counter` with nothing ordering the writes: a relaxed atomic is no
   synchronisation for TSan, and the spin keeps the first thread inside until the second
   has come in. */
void bump(void) {
  counter++;
  atomic_fetch_add_explicit(&arrived, 1, memory_order_relaxed);
  while (atomic_load_explicit(&arrived, memory_order_relaxed) < 2) {
  }
  counter++;
}
EOF
gcc -O1 -g -fsanitize=thread -fPIC -shared "$tmp/race.c" -o "$tmp/librace.so"
set +e
LD_PRELOAD=$rt "$real" - "$tmp/librace.so" >"$tmp/control.log" 2>&1 <<'EOF'
import ctypes, sys, threading
lib = ctypes.CDLL(sys.argv[1])
threads = [threading.Thread(target=lib.bump) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
EOF
rc=$?
set -e
if [ $rc -ne 66 ] || ! grep -q 'WARNING: ThreadSanitizer: data race' "$tmp/control.log"; then
  cat "$tmp/control.log" >&2
  fail "control: the race in race.c was not reported (exit $rc): TSan is not watching this interpreter"
fi
echo "python_tsan: control: TSan reported the planted race (exit 66), as it must"

# 2. The binding's suite.
set +e
(cd "$SRC/tests/bindings" &&
  LD_PRELOAD=$rt PYTHONPATH=$MOD PYTHONDONTWRITEBYTECODE=1 ACTIONABLE_SOURCE_DIR=$SRC \
    "$real" -m unittest -v test_python) >"$tmp/suite.log" 2>&1
rc=$?
set -e
cat "$tmp/suite.log"
grep -q 'ThreadSanitizer' "$tmp/suite.log" && fail "a ThreadSanitizer report (above)"
[ $rc -eq 0 ] || fail "test_python failed under TSan (exit $rc)"
ran=$(sed -n 's/^Ran \([0-9]*\) tests.*/\1/p' "$tmp/suite.log")
echo "python_tsan: test_python: $ran tests under ThreadSanitizer, no report"
