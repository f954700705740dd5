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
for tool in tidy chromium python3 pdfinfo pdftotext pdftoppm; do
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
# PDF (cairo + pango): A4 pages, the same facts as the result in pdftotext, every page renders,
# and a 500-finding record paginates with no word outside its page.
pdf_check() {  # pdf_check NAME PDF RESULT_JSON
  local name=$1 pdf=$2 result=$3 pages
  pages=$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
  if [ -z "$pages" ] || [ "$pages" -lt 1 ]; then bad "$name: pdfinfo cannot read the PDF"; return; fi
  if [ "$(pdfinfo -f 1 -l "$pages" "$pdf" | grep -c 'size: *595.276 x 841.89 pts (A4)')" -eq "$pages" ]; then ok; else bad "$name: not every page is A4"; fi
  rm -rf "$T/ppm" && mkdir "$T/ppm" && pdftoppm -r 30 -png "$pdf" "$T/ppm/p" 2>/dev/null
  [ "$(ls "$T/ppm" | wc -l)" -eq "$pages" ] && ok || bad "$name: pdftoppm rendered $(ls "$T/ppm" | wc -l) of $pages pages"
  pdftotext -layout "$pdf" "$T/pdf.txt" 2>/dev/null
  pdftotext -bbox "$pdf" "$T/pdf.bbox.html" 2>/dev/null
  python3 - "$result" "$T/pdf.txt" "$T/pdf.bbox.html" <<'PY' && ok || bad "$name: the PDF text lacks a fact of the result, or a word leaves its page"
import json, re, sys
r = json.loads(open(sys.argv[1]).readline())
text = re.sub(r"\s+", " ", open(sys.argv[2], encoding="utf-8").read())
want = [r["patient"]] + [t for m in r["matches"] for t in m["therapies"]] + \
       [m for x in r["indeterminate"] for m in x["missing"]]
squeeze = text.replace("- ", "-").replace(" ", "")
missing = [w for w in want if w.replace(" ", "") not in squeeze]
out = [m for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', open(sys.argv[3]).read())
       if float(m.group(3)) > 595.3 or float(m.group(4)) > 841.9 or float(m.group(1)) < 0 or float(m.group(2)) < 0]
if missing or out:
    print("  missing:", missing[:5], "outside the page:", len(out))
    sys.exit(1)
PY
}
for p in "${patients[@]:0:6}"; do
  name=$(basename "$p" .json)
  "$BIN" report "${RULES[@]}" "$p" --date 2026-12-01 -o "$T/$name.pdf" 2>/dev/null || { bad "$name: PDF report failed"; continue; }
  pdf_check "$name.pdf" "$T/$name.pdf" "$T/$name.result.json"
done
# A long identifier without spaces (a registry pseudonym is 64 hex digits) stands whole on one
# line of the PDF, never broken inside (it was, in a narrow header column, until 2026-12-04).
long_id=$(printf 'a%.0s' $(seq 1 32))$(printf 'f%.0s' $(seq 1 32))
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r["patient"]=sys.argv[2]; print(json.dumps(r))' \
  "${patients[0]}" "$long_id" >"$T/long_id.json"
"$BIN" report "${RULES[@]}" "$T/long_id.json" --date 2026-12-01 -o "$T/long_id.pdf" 2>/dev/null
long_pages=$(pdfinfo "$T/long_id.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
long_seen=$(pdftotext -layout "$T/long_id.pdf" - 2>/dev/null | grep -o "$long_id" | wc -l)
# once in each page's running title, once in the header block
[ "$long_seen" -ge $((${long_pages:-0} + 1)) ] && ok ||
  bad "a 64-character pseudonym is broken across lines in the PDF ($long_seen whole of $((${long_pages:-0} + 1)))"
"$BIN" report "${RULES[@]}" "${patients[0]}" --date 2026-12-01 -o "$T/again.pdf" 2>/dev/null
cmp -s "$T/again.pdf" "$T/patient_P1-000123.pdf" && ok || bad "a PDF re-run gives other bytes"
python3 - "$SRC/rules/reference/hgnc_symbols.tsv" >"$T/big.json" <<'PY'
import json, sys
genes = [l.split("\t")[1] for l in open(sys.argv[1]).read().splitlines()[1:] if "protein-coding" in l][:500]
print(json.dumps({"patient": "P-500", "tumour": {"oncotree": "LUAD"},
                  "findings": [{"gene": g, "hgvsp": "p.G%dD" % (10 + i), "vaf": (i % 100) / 100} for i, g in enumerate(genes)]}))
PY
"$BIN" match "${RULES[@]}" "$T/big.json" >"$T/big.result.json" 2>/dev/null
"$BIN" report "${RULES[@]}" "$T/big.json" --date 2026-12-01 -o "$T/big.pdf" 2>/dev/null
pdf_check "500 findings" "$T/big.pdf" "$T/big.result.json"
bigpages=$(pdfinfo "$T/big.pdf" | sed -n 's/^Pages: *//p')
[ "$(pdftotext "$T/big.pdf" - | grep -c 'p\.G[0-9]*D')" -ge 500 ] && [ "${bigpages:-0}" -ge 8 ] && ok ||
  bad "500 findings: $(pdftotext "$T/big.pdf" - | grep -c 'p\.G[0-9]*D') findings on ${bigpages:-0} pages"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
