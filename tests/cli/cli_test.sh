#!/usr/bin/env bash
# CLI contract tests (patient.md "Command line"): exit codes 0/1/2, diagnostics format,
# JSON Lines batches with per-line errors, determinism, rule-author test output.
# Usage: cli_test.sh PATH/TO/actionable SOURCE_DIR. Prints "N passed, N failed".
set -u
BIN="$1"
SRC="$2"
export ACTIONABLE_REFERENCE="$SRC/rules/reference"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
expect_exit() {  # expect_exit NAME CODE cmd...
  local name=$1 code=$2
  shift 2
  "$@" >"$T/out" 2>"$T/err"
  local rc=$?
  if [ "$rc" -eq "$code" ]; then ok; else bad "$name: exit $rc, expected $code"; sed 's/^/  | /' "$T/err" | head -5; fi
}
contains() {  # contains NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then ok; else bad "$1: '$3' not in $2"; sed 's/^/  | /' "$2" | head -5; fi
}

EX="$SRC/rules/examples"
P1="$EX/patient_P1-000123.json"

# usage errors → 2
expect_exit "no subcommand" 2 "$BIN"
expect_exit "unknown option" 2 "$BIN" match --rules "$EX" --bogus
expect_exit "match without --rules" 2 "$BIN" match "$P1"
expect_exit "help" 0 "$BIN" --help
expect_exit "sub help" 0 "$BIN" match --help

# check
expect_exit "check examples" 0 "$BIN" check "$EX"
contains "check ok line" "$T/out" 'ok: ruleset "precision1-be" version "2026.11.0"'
rule() { printf 'ruleset "t" version "1"\nrule r {\n  when %s\n  tumour %s\n  class approved\n  therapy "x"\n}\n' "$1" "$2"; }
rule "EGRF mutation" LUAD >"$T/gene.rules"
rule "EGFR mutation" LUADX >"$T/code.rules"
rule "EGFR_SENS" LUAD >"$T/name.rules"
printf 'ruleset "t" version "1"\ndefine A = B\ndefine B = A\n' >"$T/cycle.rules"
printf 'ruleset "t" version "1"\nrule r {\n  when EGFR mutation and\n  tumour LUAD\n}\n' >"$T/syntax.rules"
for f in gene:3:8 code:4:10 name:3:8 cycle:2:8 syntax:4:3; do
  n=${f%%:*}
  expect_exit "check $n" 1 "$BIN" check "$T/$n.rules"
  contains "check $n location" "$T/err" "$T/$n.rules:${f#*:}: error:"
done
rule "HER2 amplification" BRCA >"$T/alias.rules"
expect_exit "alias is a warning" 0 "$BIN" check "$T/alias.rules"
contains "alias names ERBB2" "$T/err" "'HER2' is an alias of 'ERBB2'"
expect_exit "werror" 1 "$BIN" check --werror "$T/alias.rules"
expect_exit "missing file" 1 "$BIN" check "$T/nope.rules"

# rules: the compiled criteria as JSON Lines (defines first)
expect_exit "rules" 0 "$BIN" rules --rules "$EX"
contains "rules lists a criterion" "$T/out" '"kind":"rule","class":"approved"'
contains "rules: source location" "$T/out" '"at":"'
python3 -c "import json,sys; [json.loads(l) for l in open(sys.argv[1])]" "$T/out" && ok || bad "rules: not JSON Lines"

# oncotree: a node, and a retired code (issue 13)
expect_exit "oncotree GBM" 0 "$BIN" oncotree GBM
contains "oncotree: retired code mapped" "$T/out" "'GBM' is a retired code (revoked)"
contains "oncotree: current node" "$T/out" "GB	Glioblastoma, IDH-Wildtype"
expect_exit "oncotree unknown" 1 "$BIN" oncotree NOPE

# match: one record, JSON out
expect_exit "match one" 0 "$BIN" match --rules "$EX" "$P1"
contains "match recommended" "$T/out" '"recommended":"standard_of_care"'
cp "$T/out" "$T/first"
"$BIN" match --rules "$EX" "$P1" >"$T/second"
if cmp -s "$T/first" "$T/second"; then ok; else bad "match not byte-identical"; fi
expect_exit "match text" 0 "$BIN" match --rules "$EX" --format text "$P1"
contains "match text" "$T/out" "Recommended: standard_of_care"

# JSON Lines on stdin with a bad line in the middle: the batch goes on, the line is named
python3 -c "import json,sys; d=json.load(open('$P1')); print(json.dumps(d))" >"$T/batch.jsonl"
echo '{"patient": "bad", "tumour": {"oncotree": "NOPE"}}' >>"$T/batch.jsonl"
echo 'not json' >>"$T/batch.jsonl"
python3 -c "import json; d=json.load(open('$P1')); d['patient']='P2'; print(json.dumps(d))" >>"$T/batch.jsonl"
"$BIN" match --rules "$EX" - <"$T/batch.jsonl" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 1 ] && ok || bad "batch exit $rc, expected 1"
[ "$(wc -l <"$T/out")" -eq 2 ] && ok || bad "batch: expected 2 results"
contains "batch line 2 named" "$T/err" "<stdin>:2: /tumour/oncotree: unknown OncoTree code 'NOPE'"
contains "batch line 3 named" "$T/err" "<stdin>:3: invalid JSON"
contains "batch order" "$T/out" '"patient":"P2"'
if [ "$(sed -n 2p "$T/out" | grep -c '"patient":"P2"')" -eq 1 ]; then ok; else bad "batch output order"; fi

# "-" as an output file means standard output (cli/streams.hpp): no file named "-" is made.
(cd "$T" && rm -f ./- && "$BIN" match --rules "$EX" "$P1" -o - >"$T/dash.out" 2>/dev/null)
"$BIN" match --rules "$EX" "$P1" >"$T/plain.out" 2>/dev/null
cmp -s "$T/dash.out" "$T/plain.out" && ok || bad "match -o - writes the result to stdout"
[ ! -e "$T/-" ] && ok || bad "match -o - made a file named -"
(cd "$T" && "$BIN" match --rules "$EX" "$P1" -o "$T/dash.jsonl" --summary - >"$T/dash.summary" 2>/dev/null)
python3 -c "import json,sys; s=json.load(open('$T/dash.summary')); sys.exit(0 if s['patients']==1 else 1)" && ok || bad "match --summary - prints the summary on stdout"
[ ! -e "$T/-" ] && ok || bad "match --summary - made a file named -"

# TSV for tumour boards and the cohort summary
"$BIN" match --rules "$EX" --format tsv --summary "$T/summary.json" - <"$T/batch.jsonl" >"$T/out.tsv" 2>/dev/null
head -1 "$T/out.tsv" | grep -q "^patient	recommended	options	class	therapies" && ok || bad "tsv header"
[ "$(grep -c '^P2	standard_of_care' "$T/out.tsv")" -ge 1 ] && ok || bad "tsv rows"
python3 -c "import json,sys; s=json.load(open('$T/summary.json')); sys.exit(0 if s['patients']==2 and s['rejected_records']==2 and s['recommended']['standard_of_care']==2 else 1)" && ok || bad "cohort summary"

# explain and graph
expect_exit "explain" 0 "$BIN" explain --rules "$EX" "$P1"
contains "explain steps" "$T/out" "1. tumour: yes — LUAD is under NSCLC"
contains "explain outcome" "$T/out" "Outcome: recommended standard_of_care"
expect_exit "graph" 0 "$BIN" graph --rules "$EX" --format dot
contains "graph dot" "$T/out" "digraph actionable {"

# rule-author tests
expect_exit "test examples" 0 "$BIN" test "$EX"
contains "test summary" "$T/out" "1 passed, 0 failed"
cp "$EX/spec.rules" "$T/spec.rules"
printf 'test "fails" {\n  patient { tumour LUAD  somatic EGFR p.L858R }\n  expect matched_trial\n}\n' >"$T/failing.rules"
expect_exit "failing test" 1 "$BIN" test "$T/spec.rules" "$T/failing.rules"
contains "failure names file:line" "$T/out" "$T/failing.rules:1: test \"fails\": expect matched_trial (line 3) failed"
contains "failure summary" "$T/out" "0 passed, 1 failed"

# the shipped default rule set
expect_exit "precision1 check" 0 "$BIN" check "$SRC/rules/precision1" "$SRC/rules/precision2"
if [ -s "$T/err" ]; then bad "precision1 check printed warnings"; sed 's/^/  | /' "$T/err" | head; else ok; fi
expect_exit "precision1 tests" 0 "$BIN" test "$SRC/rules/precision1"

# The same patient as JSON, as MAF+CNA+SV+clinical+panel, and as VEP VCFs (+ CNA/SV/clinical)
# gives the same result (issue 4). Finding indices differ with input order: compare the
# decisions (pathway, matches by class/rule/therapies, indeterminate, off-label, suppressed).
if "$BIN" --help | grep -q convert; then
  SP="$SRC/tests/io/data/same_patient"
  RULES=(--rules "$SRC/rules/precision1" --rules "$SRC/rules/precision2")
  "$BIN" match "${RULES[@]}" "$SP/record.json" >"$T/sp_json" 2>/dev/null
  "$BIN" match "${RULES[@]}" --maf "$SP/data_mutations.maf" --cna "$SP/data_cna.txt" --sv "$SP/data_sv.txt" \
    --clinical "$SP/data_clinical_sample.txt" --panel "$SP/gene_panel_focus5.txt" >"$T/sp_cbio" 2>/dev/null
  "$BIN" match "${RULES[@]}" --vcf "$SP/somatic.vep.vcf" --germline-vcf "$SP/germline.vep.vcf" --cna "$SP/data_cna.txt" \
    --sv "$SP/data_sv.txt" --clinical "$SP/data_clinical_sample.txt" --panel "$SP/gene_panel_focus5.txt" >"$T/sp_vcf" 2>/dev/null
  cat >"$T/decisions.py" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[0])
key = lambda m: m.get("rule") or (m.get("trial", "") + "/" + m.get("arm", "")) or m.get("cohort")
out = {"pathway": r["pathway"],
       "matches": sorted((m["class"], key(m), tuple(m["therapies"])) for m in r["matches"]),
       "indeterminate": sorted((key(x), tuple(x["missing"])) for x in r["indeterminate"]),
       "off_label": sorted(key(x) for x in r["off_label"]),
       "suppressed": sorted(key(x) for x in r["suppressed"]),
       "normalised": sorted(f["normalised"] for f in r["findings"])}
print(json.dumps(out, sort_keys=True))
PY
  for form in cbio vcf; do
    if [ -s "$T/sp_$form" ] && [ "$(python3 "$T/decisions.py" "$T/sp_json")" = "$(python3 "$T/decisions.py" "$T/sp_$form")" ]; then
      ok
    else
      bad "same patient as $form differs from JSON"
      diff <(python3 "$T/decisions.py" "$T/sp_json" | tr ',' '\n') <(python3 "$T/decisions.py" "$T/sp_$form" | tr ',' '\n') | head -10
    fi
  done
fi

# ---- limits: a JSON Lines line longer than 16 MiB is refused by line number, never kept; a ------
# multi-line document larger than 16 MiB is refused (docs/reliability.md, "Limits").
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps(r))' "$P1" >"$T/one.jsonl"
{ cat "$T/one.jsonl"; head -c $((16 * 1024 * 1024 + 5)) /dev/zero | tr '\0' ' '; echo x; cat "$T/one.jsonl"; } >"$T/huge.jsonl"
"$BIN" match --rules "$EX" "$T/huge.jsonl" >"$T/huge.out" 2>"$T/huge.err"; rc=$?
[ "$rc" = 1 ] && [ "$(wc -l <"$T/huge.out")" = 2 ] && grep -q ':2: line longer than 16777216 bytes: record refused' "$T/huge.err" && ok ||
  bad "a 16 MiB JSON Lines line: exit $rc, $(wc -l <"$T/huge.out") results, $(head -c 300 "$T/huge.err")"
{ echo '{'; echo '"patient": "P-big",'; head -c $((16 * 1024 * 1024 + 5)) /dev/zero | tr '\0' '\n'; echo '}'; } >"$T/huge_doc.json"
"$BIN" match --rules "$EX" "$T/huge_doc.json" >/dev/null 2>"$T/huge_doc.err"; rc=$?
[ "$rc" = 1 ] && grep -q 'the record is larger than 16777216 bytes: refused' "$T/huge_doc.err" && ok ||
  bad "a 16 MiB multi-line document: exit $rc, $(head -c 300 "$T/huge_doc.err")"

# eligibility facts (docs/language.md "Near misses"): a near miss in JSON and text, a bad lab unit → exit 1 with its pointer
G="$SRC/tests/golden/match/trial_eligibility_facts"
expect_exit "near miss json" 0 "$BIN" match --rules "$G.rules" "$G.json"
contains "near miss json" "$T/out" '"near_misses":[{"trial":"NCT00000011","arm":"A","class":"matched_trial"'
contains "near miss eligible once" "$T/out" '"eligible_once":["lab alt <= 2.5 x ULN","lab haemoglobin >= 9 g/dL"]'
expect_exit "near miss text" 0 "$BIN" match --rules "$G.rules" --format text "$G.json"
contains "near miss text" "$T/out" 'NCT00000011 arm A: eligible once lab alt <= 2.5 x ULN and lab haemoglobin >= 9 g/dL'
sed 's#"unit": "/µL"#"unit": "g/dL"#' "$G.json" | tr -d '\n' >"$T/badlab.json"
expect_exit "incompatible lab unit" 1 "$BIN" match --rules "$G.rules" "$T/badlab.json"
contains "incompatible lab unit" "$T/err" "/labs/2/unit: 'g/dL' is not a unit of platelets"

# a file that cannot be opened or written: one message, "PATH: cannot open file" / "PATH:
# cannot write file", exit 1, nothing else written (src/cli/streams.hpp)
NOFILE="$T/no-such-dir/p.json"
expect_exit "match: missing input" 1 "$BIN" match --rules "$EX" "$NOFILE"
contains "match: missing input said" "$T/err" "$NOFILE: cannot open file"
expect_exit "explain: missing input" 1 "$BIN" explain --rules "$EX" "$NOFILE"
contains "explain: missing input said" "$T/err" "$NOFILE: cannot open file"
expect_exit "report: missing input" 1 "$BIN" report --rules "$EX" "$NOFILE"
contains "report: missing input said" "$T/err" "$NOFILE: cannot open file"
expect_exit "match: unwritable output" 1 "$BIN" match --rules "$EX" "$P1" -o "$T/no-such-dir/out.jsonl"
contains "match: unwritable output said" "$T/err" "$T/no-such-dir/out.jsonl: cannot write file"
expect_exit "match: unwritable summary" 1 "$BIN" match --rules "$EX" "$P1" --summary "$T/no-such-dir/s.json"
contains "match: unwritable summary said" "$T/err" "$T/no-such-dir/s.json: cannot write file"
printf 'Hugo_Symbol\tTumor_Sample_Barcode\tHGVSp_Short\nBRAF\tS1\tp.V600E\n' >"$T/one.maf"
expect_exit "convert: unwritable output" 1 "$BIN" convert --maf "$T/one.maf" -o "$T/no-such-dir/out.jsonl"
contains "convert: unwritable output said" "$T/err" "$T/no-such-dir/out.jsonl: cannot write file"
expect_exit "match: stdin named <stdin>" 1 "$BIN" match --rules "$EX" - <<<'{"patient": 1}'
contains "match: stdin named <stdin>" "$T/err" "<stdin>:1: /patient: must be a string"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
