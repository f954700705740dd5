#!/usr/bin/env bash
# Lab files through the command line (issue 9): explicit formats obeyed, no silent row loss,
# no record lost to a gene name, assembly reported, --keep-going, --list-samples, and the
# MOAlmanac example patient and the CCLE cell lines end to end.
# Usage: lab_files_test.sh PATH/TO/actionable SOURCE_DIR. Prints "N passed, N failed".
set -u
BIN="$1"
SRC="$2"
export ACTIONABLE_REFERENCE="$SRC/rules/reference"
DATA="$SRC/../shared/data"
if [ ! -d "$DATA/moalmanac/example_inputs" ]; then
  echo "FAIL: $DATA/moalmanac/example_inputs not found (the shared data must sit beside the repo)"
  echo "0 passed, 1 failed"
  exit 1
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
run() {  # run NAME CODE cmd... (stdout → $T/out, stderr → $T/err)
  local name=$1 code=$2
  shift 2
  "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ "$rc" -eq "$code" ]; then ok; else bad "$name: exit $rc, expected $code"; sed 's/^/  | /' "$T/err" | head -8; fi
}
contains() {  # contains NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then ok; else bad "$1: '$3' not in $(basename "$2")"; sed 's/^/  | /' "$2" | head -5; fi
}
lacks() {  # lacks NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then bad "$1: '$3' in $(basename "$2")"; grep -F -- "$3" "$2" | head -3 | sed 's/^/  | /'; else ok; fi
}
lines() {  # lines NAME FILE N
  local n
  n=$(grep -c . "$2")
  if [ "$n" -eq "$3" ]; then ok; else bad "$1: $n lines, expected $3"; fi
}
RULES=(--rules "$SRC/rules/precision1" --rules "$SRC/rules/precision2")
M="$DATA/moalmanac/example_inputs/example_patient"
MOA=(--maf "$M.capture.somatic.snvs.maf" --maf "$M.capture.somatic.indels.maf"
     --germline-maf "$M.capture.germline.maf" --cna "$M.capture.somatic.called.cna.txt"
     --sv "$M.rna.star.fusions.txt")

# 1. A vcf2maf MAF given with --maf is a MAF (it was taken for a MOAlmanac table before).
V2M="$SRC/tests/io/data/vcf2maf_style.maf"
run "vcf2maf --maf" 0 "$BIN" convert --maf "$V2M"
lines "vcf2maf records" "$T/out" 2
contains "vcf2maf BRAF" "$T/out" '"hgvsp":"p.V600E"'
contains "vcf2maf read as maf" "$T/err" "vcf2maf_style.maf: maf, 3 rows, 2 samples: 3 variants"
run "vcf2maf match" 0 "$BIN" match "${RULES[@]}" --maf "$V2M" --tumour MEL
contains "vcf2maf BRAF options" "$T/out" '"mel_braf_v600_dabrafenib_trametinib"'

# 2. A file whose rows all fail stops the run: no result at all.
printf 'Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\n\tS1\tp.V600E\n\tS2\tp.G12D\n' >"$T/bad.maf"
run "all rows fail" 1 "$BIN" match "${RULES[@]}" --maf "$V2M" --maf "$T/bad.maf" --tumour MEL
contains "all rows fail: said" "$T/err" "bad.maf: error: nothing could be read from this file (2 rows, none read"
lines "all rows fail: nothing written" "$T/out" 0
printf 'feature_type\tfeature\talteration_type\talteration\nSomatic Variant\tBRAF\tMissense\tp.V600E\n' >"$T/simple.txt"
run "wrong flag" 1 "$BIN" convert --maf "$T/simple.txt"
contains "wrong flag: hint" "$T/err" "looks like a moalmanac file (if it is one, give it with --input)"
run "same file, --input" 0 "$BIN" convert --input "$T/simple.txt" --sample S1
contains "same file, --input: read" "$T/out" '"hgvsp":"p.V600E"'

# 3. A row that fails makes its record an error (not written); --keep-going writes it marked.
printf 'Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nBRAF\tS1\tp.V600E\ntwo words\tS2\tp.G12D\nKRAS\tS2\tp.G12C\n' >"$T/one_bad.maf"
run "lost row: record rejected" 1 "$BIN" match "${RULES[@]}" --maf "$T/one_bad.maf" --tumour COADREAD
lines "lost row: only S1 written" "$T/out" 1
contains "lost row: S1 written" "$T/out" '"patient":"S1"'
contains "lost row: S2 named" "$T/err" "S2: error: 1 row of its inputs could not be read (first: $T/one_bad.maf:3: error: 'two words' is not a gene symbol)"
lacks "lost row: S1 complete" "$T/out" '"input":"incomplete"'
run "--keep-going" 1 "$BIN" match "${RULES[@]}" --maf "$T/one_bad.maf" --tumour COADREAD --keep-going
lines "--keep-going: both written" "$T/out" 2
contains "--keep-going: S2 marked" "$T/out" '"patient":"S2","ruleset"'
contains "--keep-going: marked incomplete" "$T/out" '"input":"incomplete","input_issues":['
contains "--keep-going: provisional pathway" "$T/out" '"provisional":true'
run "--keep-going text" 1 "$BIN" match "${RULES[@]}" --maf "$T/one_bad.maf" --tumour COADREAD --keep-going --format text
contains "--keep-going text: provisional" "$T/out" "PROVISIONAL — input incomplete"
run "convert lost row" 1 "$BIN" convert --maf "$T/one_bad.maf"
lines "convert lost row: S1 only" "$T/out" 1
run "convert --keep-going" 1 "$BIN" convert --maf "$T/one_bad.maf" --keep-going --tumour COADREAD
contains "convert --keep-going: marked" "$T/out" '"input":"incomplete"'
# ... and the marked record, matched later as JSON, still says so.
grep '"S2"' "$T/out" >"$T/s2.json"
run "incomplete JSON record" 0 "$BIN" match "${RULES[@]}" "$T/s2.json"
contains "incomplete JSON record: marked" "$T/out" '"input":"incomplete"'

# 4. MOAlmanac's example patient, every file at once. Its STAR-Fusion line 2 names EML4--ALK
#    over CD2AP/C11orf80 breakpoints: a row that contradicts itself is not read, so the record
#    is incomplete: refused by default, written marked PROVISIONAL with --keep-going (exit 1
#    either way: a row was lost), with its BRAF V600E options, its CNAs and fusions, the
#    unresolved symbols listed, and no ALK option.
run "MOAlmanac patient: edited fusion row" 1 "$BIN" match "${RULES[@]}" "${MOA[@]}" --tumour MEL
lines "MOAlmanac: nothing written" "$T/out" 0
contains "MOAlmanac: the row said" "$T/err" "star.fusions.txt:2: error: #FusionName EML4--ALK disagrees with LeftGene/RightGene CD2AP/C11orf80 (breakpoints 6:47471176:+, 11:66563752:+)"
contains "MOAlmanac: the record said" "$T/err" "record not written (--keep-going writes it marked incomplete)"
run "MOAlmanac patient" 1 "$BIN" match "${RULES[@]}" "${MOA[@]}" --tumour MEL --keep-going
lines "MOAlmanac: one result" "$T/out" 1
contains "MOAlmanac: marked" "$T/out" '"input":"incomplete"'
contains "MOAlmanac: BRAF V600E option" "$T/out" '"rule":"mel_braf_v600_dabrafenib_trametinib"'
contains "MOAlmanac: CNA" "$T/out" '"normalised":"CDKN2A deletion"'
contains "MOAlmanac: fusion" "$T/out" '"normalised":"PHRF1::PDIA4 fusion"'
lacks "MOAlmanac: no EML4::ALK" "$T/out" 'EML4::ALK'
contains "MOAlmanac: unresolved listed" "$T/out" '"unresolved":[{"finding":'
contains "MOAlmanac: RP11 kept" "$T/out" '"symbol":"RP11-100N3.2"'
contains "MOAlmanac: unresolved partner" "$T/out" '"normalised":"RP11-100N3.2?::'
python3 - "$T/out" <<'PY' && ok || bad "MOAlmanac: 493 findings, 12 unresolved"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
assert len(r["findings"]) == 493, len(r["findings"])
assert len(r["unresolved"]) == 12, len(r["unresolved"])
assert not any("ALK" in (o.get("rule") or "") for o in r.get("options", [])), r.get("options")
PY
run "MOAlmanac text" 1 "$BIN" match "${RULES[@]}" "${MOA[@]}" --tumour MEL --format text --keep-going
contains "MOAlmanac text: provisional" "$T/out" "PROVISIONAL"
contains "MOAlmanac text: unresolved section" "$T/out" "Unresolved gene symbols"
run "--unknown-genes error" 1 "$BIN" match "${RULES[@]}" "${MOA[@]}" --tumour MEL --unknown-genes error --keep-going
contains "--unknown-genes error: rejected" "$T/err" "unknown gene symbol 'AC016737.1'"

# 5. Say how records were assembled: --sample that names no sample of the MAFs.
run "--sample mismatch" 1 "$BIN" convert "${MOA[@]}" --sample example --keep-going
lines "--sample mismatch: two records" "$T/out" 2
contains "--sample mismatch: suggestion" "$T/err" "did you mean --sample example_tumor_profile?"
contains "--sample mismatch: records listed" "$T/err" "2 records:"
contains "--sample mismatch: per record" "$T/err" "  example: 182 findings (0 variants, 5 CNAs, 177 fusions)"
run "--list-samples" 1 "$BIN" convert "${MOA[@]}" --list-samples
contains "--list-samples: the record" "$T/out" "example_tumor_profile	493	"
contains "--list-samples: incomplete" "$T/out" "	incomplete"
lines "--list-samples: one line" "$T/out" 1

# 6. The same fact from a tissue MAF and a plasma VCF: one finding, both sources.
SP="$SRC/tests/io/data/same_patient"
run "tissue + plasma" 0 "$BIN" convert --maf "$SP/data_mutations.maf" --vcf "$SP/somatic.vep.vcf" --clinical "$SP/data_clinical_sample.txt"
contains "tissue + plasma: sources" "$T/out" '"sources":[{"input":"'
contains "tissue + plasma: merge said" "$T/err" "merged, both sources kept"

# 7. CCLE: no cell line rejected for a gene symbol (1,893 records, every one matched).
C="$DATA/cohorts/ccle_cell_lines_moalmanac/cell-lines"
run "CCLE" 0 "$BIN" match "${RULES[@]}" --input "$C.summary.txt" --input "$C.somatic-variants.annotated.txt" \
  --cna "$C.copy-numbers.annotated.txt" --sv "$C.fusions.annotated.txt" --tumour OTHER
lines "CCLE: every cell line matched" "$T/out" 1893
lacks "CCLE: no record rejected" "$T/err" "record not written"
lacks "CCLE: no unknown-gene error" "$T/err" "unknown gene symbol"

# 8. match --maf hands the assembled records to the engine as JSON values (no text round trip):
#    its results are byte for byte those of `convert | match -`, in every format, over several
#    batches (CCLE, one worker: 1,893 records in batches of 256).
same() {  # same NAME FILE1 FILE2
  if cmp -s "$2" "$3"; then ok; else bad "$1: outputs differ"; diff "$2" "$3" | head -4 | sed 's/^/  | /'; fi
}
CCLE=(--input "$C.summary.txt" --input "$C.somatic-variants.annotated.txt" --cna "$C.copy-numbers.annotated.txt"
      --sv "$C.fusions.annotated.txt" --tumour OTHER)
run "CCLE convert" 0 "$BIN" convert "${CCLE[@]}"
cp "$T/out" "$T/ccle.jsonl"
for fmt in json tsv text; do
  run "CCLE match --format $fmt" 0 "$BIN" match "${RULES[@]}" "${CCLE[@]}" -j 1 --format "$fmt" --summary "$T/s1.json"
  cp "$T/out" "$T/direct.$fmt"
  run "CCLE convert | match --format $fmt" 0 "$BIN" match "${RULES[@]}" "$T/ccle.jsonl" -j 1 --format "$fmt" \
    --unknown-genes warn --summary "$T/s2.json"
  same "CCLE: match --input = convert | match ($fmt)" "$T/direct.$fmt" "$T/out"
  same "CCLE: the same summary ($fmt)" "$T/s1.json" "$T/s2.json"
done
run "MOAlmanac convert" 1 "$BIN" convert "${MOA[@]}" --tumour MEL --keep-going
cp "$T/out" "$T/moa.jsonl"
run "MOAlmanac match" 1 "$BIN" match "${RULES[@]}" "${MOA[@]}" --tumour MEL --keep-going
cp "$T/out" "$T/direct.moa"
run "MOAlmanac convert | match" 0 "$BIN" match "${RULES[@]}" "$T/moa.jsonl" --unknown-genes warn
same "MOAlmanac: match --maf = convert | match" "$T/direct.moa" "$T/out"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
