#!/usr/bin/env bash
# Install the build tree into a temporary prefix, then configure, build and run a consumer
# project that uses find_package(actionable). Usage: run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD="$1"
SRC="$2"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cmake --install "$BUILD" --prefix "$T/prefix" >/dev/null
pass=0
fail=0
# The installed public headers name no Boost, nlohmann_json or range-v3 header outside detail/.
leaks=$(grep -rlE '#include <(boost|nlohmann|range)/' "$T/prefix/include/actionable" --exclude-dir=detail || true)
if [ -z "$leaks" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: public headers include third-party headers: $leaks"; fi
# The docs/api.md example, compiled against the installed package with only the umbrella header.
mkdir -p "$T/build"
awk '/^```cpp$/{inblock=1; buf=""; next} /^```$/{if (inblock && buf ~ /^\/\/ api-example/) {printf "%s", buf; exit} inblock=0; next} inblock{buf = buf $0 "\n"}' \
  "$SRC/docs/api.md" >"$T/build/api_example.cpp"
if [ -s "$T/build/api_example.cpp" ] && [ "$(grep -c '#include <actionable/' "$T/build/api_example.cpp")" -eq 1 ] &&
   grep -q '#include <actionable/actionable.hpp>' "$T/build/api_example.cpp"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: docs/api.md has no '// api-example' block including only <actionable/actionable.hpp>"
fi
cmake -S "$SRC/tests/install" -B "$T/build" -DCMAKE_PREFIX_PATH="$T/prefix" >/dev/null
cmake --build "$T/build" >/dev/null
if "$T/build/consumer" "$T/prefix/share/actionable/reference"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: consumer"; fi
if "$T/build/api_example" "$T/prefix/share/actionable/reference" >"$T/example.out"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: the docs/api.md example"; cat "$T/example.out"
fi
echo "install consumer: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
