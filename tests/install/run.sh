#!/usr/bin/env bash
# Install the build tree into a temporary prefix, then configure, build and run a consumer
# project that uses find_package(actionable). Usage: run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD="$1"
SRC="$2"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cmake --install "$BUILD" --prefix "$T/prefix" >/dev/null
cmake -S "$SRC/tests/install" -B "$T/build" -DCMAKE_PREFIX_PATH="$T/prefix" >/dev/null
cmake --build "$T/build" >/dev/null
"$T/build/consumer" "$T/prefix/share/actionable/reference"
echo "install consumer: 1 passed, 0 failed"
