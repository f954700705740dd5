#!/usr/bin/env bash
# The tree stays formatted by the root .clang-format (issue 10 item 6): every C and C++ file
# under src, include, tests, bench and bindings, checked by clang-format-14 (Debian
# clang-format-14, scripts/deps.sh); a file it would change fails the test with the diff.
# Fix with: clang-format-14 -i FILE.
set -euo pipefail
root=${1:?usage: check_format.sh SOURCE_DIR}
cf=$(command -v clang-format-14 || true)
if [ -z "$cf" ]; then
  echo "check_format: clang-format-14 not found (scripts/deps.sh installs it)" >&2
  exit 1
fi
cd "$root"
mapfile -t files < <(find src include tests bench bindings -type f \
  \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.c' \) -not -path '*/build*' | sort)
[ "${#files[@]}" -gt 100 ] || { echo "check_format: only ${#files[@]} files found under $root" >&2; exit 1; }
bad=0
for f in "${files[@]}"; do
  if ! out=$("$cf" --style=file "$f" | diff -u "$f" - ); then
    echo "$out" | head -40
    bad=$((bad + 1))
  fi
done
if [ "$bad" -ne 0 ]; then
  echo "check_format: $bad of ${#files[@]} files are not formatted by .clang-format" >&2
  exit 1
fi
echo "check_format: ${#files[@]} files formatted"
