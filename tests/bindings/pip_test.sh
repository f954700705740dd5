#!/usr/bin/env bash
# `pip install` of the Python package as its users do it (issue 10 item 7), run by ctest as
# "bindings_pip": pip builds bindings/python offline (--no-build-isolation --no-index) through
# CMake — reusing this build tree (ACTIONABLE_CMAKE_BUILD_DIR) so that CI does not compile the
# core a second time — into a fresh --target directory; then, from outside the source tree and
# without $ACTIONABLE_REFERENCE, the installed package finds its packaged reference data and
# passes the binding's test suite; then `mypy --strict` passes on that suite against the
# installed stubs. A from-scratch build (no ACTIONABLE_CMAKE_BUILD_DIR) is the same command.
# Usage: pip_test.sh PYTHON SOURCE_DIR BUILD_DIR
set -euo pipefail
PY="$1"; SRC="$2"; BUILD="$3"
# Debian's interpreter (python3-pip, python3-setuptools, python3-wheel) when this build uses another
# of the same version (a pyenv shim, say): the module's ABI tag is the same.
if [ -x /usr/bin/python3 ] && [ "$("$PY" -c "import sys; print(sys.version_info[:2])")" = "$(/usr/bin/python3 -c "import sys; print(sys.version_info[:2])")" ]; then PY=/usr/bin/python3; fi
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP" "$SRC/bindings/python/build" "$SRC"/bindings/python/*.egg-info' EXIT
command -v mypy >/dev/null || { echo "FAIL: mypy is not installed (Debian package mypy; scripts/deps.sh)"; exit 1; }

ACTIONABLE_CMAKE_BUILD_DIR="$BUILD" "$PY" -m pip install --quiet --no-build-isolation --no-deps --no-index \
  --target "$TMP/site" "$SRC/bindings/python"
ls "$TMP/site/actionable/"_core*.so "$TMP/site/actionable/__init__.pyi" "$TMP/site/actionable/py.typed" \
  "$TMP/site/actionable/reference/hgnc_symbols.tsv" >/dev/null

cp "$SRC/tests/bindings/test_python.py" "$TMP/"
cd "$TMP"
unset ACTIONABLE_REFERENCE
# The installed package, not the build tree's: its module path and its reference data.
PYTHONPATH="$TMP/site" "$PY" - "$TMP/site" <<'PY'
import os, sys, actionable
site = os.path.realpath(sys.argv[1])
assert os.path.realpath(actionable.__file__).startswith(site), actionable.__file__
e = actionable.Engine.from_sources({"r.rules": 'ruleset "r" version "1"\nrule r { when somatic EGFR p.L858R  tumour NSCLC  class approved  therapy "x" }\n'})
o = e.match_outcome({"patient": "P", "tumour": {"oncotree": "LUAD"}, "findings": [{"gene": "EGFR", "hgvsp": "p.L858R"}]})
assert o.pathway.recommended == actionable.PathwayOption.STANDARD_OF_CARE, o.pathway.recommended
print("installed package:", actionable.__file__, actionable.__version__)
PY
PYTHONPATH="$TMP/site" ACTIONABLE_SOURCE_DIR="$SRC" PYTHONDONTWRITEBYTECODE=1 "$PY" -m unittest -q test_python
MYPYPATH="$TMP/site" mypy --strict --no-incremental --cache-dir "$TMP/.mypy" test_python.py
echo "bindings_pip: 3 passed, 0 failed"
