#!/usr/bin/env bash
# The tumour-board report in a browser (issue 11): for every shipped example patient,
# `actionable report` writes HTML that passes `tidy -errors -q` cleanly, and headless Chromium
# (Debian's) loads it: its DOM holds the pseudonym, the recommended pathway, every matched
# therapy and every missing test of the result, and a screenshot is not blank. Also: the batch
# form with an index, the JSON document, Dutch and French labels, byte-identical re-runs.
# Usage: report_html_test.sh PATH/TO/actionable SOURCE_DIR. Prints "N passed, N failed".
set -u
BIN="$1"
SRC="$2"
export ACTIONABLE_REFERENCE="$SRC/rules/reference"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
for tool in tidy chromium python3; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/deps.sh installs it)"; echo "0 passed, 1 failed"; exit 1; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
RULES=(--rules "$SRC/rules/precision1" --rules "$SRC/rules/precision2")
CHROME=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
        --disable-component-update --disable-sync --user-data-dir="$T/profile")
patients=("$SRC/rules/examples/patient_P1-000123.json")
for f in "$SRC"/tests/golden/match/*.json; do
  case "$f" in *.expect.json|*/bad_*) continue ;; esac
  [ -f "${f%.json}.rules" ] && continue
  patients+=("$f")
done
n=0
for p in "${patients[@]}"; do
  n=$((n + 1))
  name=$(basename "$p" .json)
  "$BIN" report "${RULES[@]}" "$p" --date 2026-12-01 -o "$T/$name.html" 2>"$T/err" || { bad "$name: report failed: $(head -3 "$T/err")"; continue; }
  "$BIN" match "${RULES[@]}" "$p" >"$T/$name.result.json" 2>/dev/null
  if tidy -errors -q "$T/$name.html" >"$T/tidy" 2>&1; then ok; else bad "$name: tidy: $(head -3 "$T/tidy")"; fi
  timeout 60 "${CHROME[@]}" --dump-dom "file://$T/$name.html" >"$T/$name.dom" 2>/dev/null
  python3 - "$T/$name.result.json" "$T/$name.dom" <<'PY' && ok || bad "$name: the DOM lacks a fact of the result"
import html, json, sys
r = json.loads(open(sys.argv[1]).readline())
dom = open(sys.argv[2], encoding="utf-8").read()
text = html.unescape(dom)
want = [r["patient"], 'data-pathway="%s"' % r["pathway"]["recommended"]]
want += [t for m in r["matches"] for t in m["therapies"]]
want += [m for x in r["indeterminate"] for m in x["missing"]]
missing = [w for w in want if w not in text]
if missing:
    print("  missing:", missing[:5])
    sys.exit(1)
PY
done
[ "$n" -ge 15 ] && ok || bad "only $n example patients"
# A screenshot of one report is not blank (more than 2% of its pixels are not white).
timeout 60 "${CHROME[@]}" --screenshot="$T/shot.png" --window-size=1100,1600 "file://$T/patient_P1-000123.html" >/dev/null 2>&1
python3 - "$T/shot.png" <<'PY' && ok || bad "the screenshot is blank or unreadable"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        bpp = {2: 3, 6: 4}[ctype]
        assert depth == 8
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
nonwhite = total = 0
i = 0
for _ in range(h):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        total += 1
        nonwhite += min(line[x:x + 3]) < 240
    prev = line
print(f"  screenshot: {nonwhite} of {total} pixels not white")
sys.exit(0 if nonwhite > total * 0.02 else 1)
PY
# Re-run with the same --date: the same bytes.
"$BIN" report "${RULES[@]}" "${patients[0]}" --date 2026-12-01 -o "$T/again.html" 2>/dev/null
cmp -s "$T/again.html" "$T/patient_P1-000123.html" && ok || bad "a re-run gives other bytes"
# Languages: the fixed labels change, rule text does not.
"$BIN" report "${RULES[@]}" "${patients[0]}" --date 2026-12-01 --lang nl -o "$T/nl.html" 2>/dev/null
grep -q "Kiembaanbevindingen" "$T/nl.html" && grep -q "osimertinib\|gefitinib" "$T/nl.html" && ok || bad "--lang nl"
"$BIN" report "${RULES[@]}" "${patients[0]}" --date 2026-12-01 --lang fr -o "$T/fr.html" 2>/dev/null
grep -q "Résultats constitutionnels" "$T/fr.html" && tidy -errors -q "$T/fr.html" >/dev/null 2>&1 && ok || bad "--lang fr"
# The JSON document model.
"$BIN" report "${RULES[@]}" "${patients[0]}" --date 2026-12-01 -o "$T/doc.json" 2>/dev/null
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['header']['pseudonym']=='P1-000123' and d['options']" "$T/doc.json" && ok || bad "--format json"
# Batch: one file per patient and an index.
for p in "${patients[@]:0:5}"; do python3 -c "import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))" "$p"; done >"$T/batch.jsonl"
"$BIN" report "${RULES[@]}" "$T/batch.jsonl" --date 2026-12-01 -o "$T/batch/" 2>"$T/err"
[ -f "$T/batch/index.html" ] && [ "$(ls "$T/batch" | grep -c '\.html$')" -eq 6 ] && tidy -errors -q "$T/batch/index.html" >/dev/null 2>&1 && ok ||
  bad "batch: expected 5 reports + index.html: $(ls "$T/batch" 2>/dev/null | tr '\n' ' ') $(head -2 "$T/err")"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
