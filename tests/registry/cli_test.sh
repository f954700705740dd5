#!/usr/bin/env bash
# End-to-end check of `actionable registry …` (run by ctest as registry_cli when the CLI is built):
# init with a new key, import with matching, decide, follow-up, endpoints, replay, diff, export,
# forget, audit-verify, integrity-check, backup / restore, the key file's mode, rotate-key, and
# the exit codes (0 ok, 1 bad input, 2 usage).
set -u
A=$1
SRC=$2
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
fails=0
pass=0
expect() {  # expect CODE DESCRIPTION CMD...
  local want=$1 what=$2; shift 2
  "$@" >"$W/out" 2>"$W/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then pass=$((pass + 1)); else
    fails=$((fails + 1)); echo "FAIL: $what (exit $got, expected $want)"; cat "$W/err"; fi
}
contains() {  # contains FILE TEXT DESCRIPTION
  if grep -qF -- "$2" "$1"; then pass=$((pass + 1)); else fails=$((fails + 1)); echo "FAIL: $3: '$2' not in $1"; cat "$1"; fi
}

expect 0 "init" "$A" registry init --add-centre BE-UZL=Leuven --new-key key.hex
export ACTIONABLE_PSEUDONYM_KEY_FILE="$W/key.hex"
{ tr -d '\n' < "$SRC/rules/examples/patient_P1-000123.json"; echo
  echo '{"patient":"X2","centre":"BE-UZL","age":"old","name":"Jan Peeters"}'
  echo '{"patient":"X3","tumour":{"oncotree":"COAD"},"national_number":"85.07.30-033.61"}'; } > p.jsonl
expect 1 "import with one bad record" "$A" registry import p.jsonl --rules "$SRC/rules/precision1"
contains "$W/err" "p.jsonl:2: /age" "per-line error with pointer"
contains "$W/err" "2 new" "import summary"
expect 0 "re-import is idempotent" "$A" registry import --db sqlite:./actionable.db - < <(head -1 p.jsonl)
contains "$W/err" "1 unchanged" "unchanged on re-import"
expect 1 "decide without reason" "$A" registry decide --patient P1-000123 --option matched_trial --trial NCT1
expect 0 "decide" "$A" registry decide --patient P1-000123 --option standard_of_care --date 2025-10-01
expect 2 "decide with a bad option" "$A" registry decide --patient P1-000123 --option chemo
echo '{"patient":"P1-000123","visit":1,"date":"2026-04-01","recist":"SD","vital_status":"alive"}' > fu.jsonl
expect 0 "follow-up" "$A" registry follow-up fu.jsonl
expect 0 "endpoints table" "$A" registry endpoints --as-of 2026-06-01
contains "$W/out" "actionable alteration" "endpoints table"
expect 0 "endpoints json" "$A" registry endpoints --format json
contains "$W/out" '"pfs_ratio"' "endpoints json"
expect 0 "replay" "$A" registry replay
contains "$W/err" "byte-identical" "replay summary"
expect 0 "diff" "$A" registry diff "$SRC/rules/examples/spec.rules" "$SRC/rules/precision1"
expect 0 "export" "$A" registry export --output export.jsonl
if grep -qE "Peeters|85.07.30|P1-000123" export.jsonl actionable.db*; then fails=$((fails + 1)); echo "FAIL: identifier at rest"; else pass=$((pass + 1)); fi
expect 0 "audit-verify" "$A" registry audit-verify
expect 0 "integrity-check" "$A" registry integrity-check
expect 0 "forget" "$A" registry forget --patient X3
expect 1 "forgotten patient cannot be re-imported" "$A" registry import p.jsonl
contains "$W/err" "forgotten" "tombstone message"
# Backups: restore gives an identical export; an existing file is never overwritten.
expect 0 "backup" "$A" registry backup "$W/backup.db"
contains "$W/err" "integrity_check ok" "backup checked"
expect 1 "backup never overwrites" "$A" registry backup "$W/backup.db"
"$A" registry export -o before.jsonl 2>/dev/null
head -1 p.jsonl | sed 's/P1-000123/LATE1/' > late.jsonl
expect 0 "import after the backup" "$A" registry import late.jsonl
expect 0 "restore" "$A" registry restore "$W/backup.db"
contains "$W/err" "audit chain ok" "restore summary"
"$A" registry export -o after.jsonl 2>/dev/null
if cmp -s before.jsonl after.jsonl; then pass=$((pass + 1)); else fails=$((fails + 1)); echo "FAIL: restore: export differs"; fi
echo "not a database" > junk.db
expect 1 "restore refuses a file that is not a registry" "$A" registry restore junk.db
contains "$W/err" "cannot be restored" "restore refusal"
# The key file: refused when group or others may read it, with the fix named; never printed.
chmod 640 "$W/key.hex"
expect 1 "group-readable key refused" "$A" registry import p.jsonl
contains "$W/err" "chmod 600 $W/key.hex" "key file fix named"
chmod 600 "$W/key.hex"
# Key rotation: every pseudonym re-derived; the old key refused afterwards; records unchanged.
cp "$W/key.hex" "$W/old.hex"
# An ids line with a NUL byte is refused, never read as the part before it: nothing changes.
{ cat p.jsonl; printf '{"patient": "P-NUL"}\000{"patient": "P-REST"}\n'; } >"$W/nul.jsonl"
expect 1 "rotate-key: a NUL byte refused" "$A" registry rotate-key --new-key "$W/nul-new.hex" "$W/nul.jsonl"
contains "$W/err" "nul.jsonl:$(($(wc -l <p.jsonl) + 1)): not a JSON object: a NUL byte at byte 20" "NUL byte message"
contains "$W/err" "nothing changed" "NUL byte: nothing changed"
if [ -e "$W/nul-new.hex" ]; then fails=$((fails + 1)); echo "FAIL: a key written for a refused rotation"; else pass=$((pass + 1)); fi
expect 0 "rotate-key" "$A" registry rotate-key --new-key "$W/new.hex" p.jsonl
contains "$W/err" "rotated: 1 patient(s), 1 tombstone(s)" "rotation summary"
if grep -qF -e "$(head -c 64 "$W/key.hex")" -e "$(head -c 64 "$W/new.hex")" "$W/err" "$W/out"; then fails=$((fails + 1)); echo "FAIL: key printed"; else pass=$((pass + 1)); fi
expect 1 "old key refused after rotation" "$A" registry import p.jsonl
contains "$W/err" "not the registry's" "old key message"
expect 1 "new key: records unchanged, the forgotten one refused" env ACTIONABLE_PSEUDONYM_KEY_FILE="$W/new.hex" "$A" registry import p.jsonl
contains "$W/err" "1 unchanged" "unchanged after rotation"
expect 0 "integrity after rotation" "$A" registry integrity-check
export ACTIONABLE_PSEUDONYM_KEY_FILE="$W/new.hex"
expect 0 "replay after rotation" "$A" registry replay
expect 1 "wrong key refused" env ACTIONABLE_PSEUDONYM_KEY=zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz ACTIONABLE_PSEUDONYM_KEY_FILE= "$A" registry import p.jsonl
# A repeatable option takes one value per occurrence, so the records file after it stays the
# records file (it was read as a rule file, or as a second centre with nothing imported, exit 0).
W2=$W/one-value; mkdir -p "$W2"
expect 0 "init, two centres" "$A" registry --db "sqlite:$W2/r.db" init --add-centre BE-A --add-centre BE-B=Leuven --new-key "$W2/k"
echo '{"patient":"V1","tumour":{"oncotree":"LUAD"},"findings":[{"gene":"EGFR","hgvsp":"p.L858R"}]}' > "$W2/v.jsonl"
expect 0 "import -r RULES FILE: FILE is the records" env ACTIONABLE_PSEUDONYM_KEY_FILE="$W2/k" "$A" registry --db "sqlite:$W2/r.db" import --default-centre BE-A -r "$SRC/rules/precision1" "$W2/v.jsonl"
contains "$W/err" "1 new" "import -r RULES FILE imports FILE"
contains "$W/err" "1 run(s)" "import -r RULES FILE matches it"
echo '{"patient":"V2","centre":"BE-B","tumour":{"oncotree":"LUAD"}}' > "$W2/v2.jsonl"
expect 0 "import --centre C FILE: FILE is the records" env ACTIONABLE_PSEUDONYM_KEY_FILE="$W2/k" "$A" registry --db "sqlite:$W2/r.db" import --centre BE-B "$W2/v2.jsonl"
contains "$W/err" "1 new" "import --centre C FILE imports FILE"
expect 0 "--centre A --centre B" env ACTIONABLE_PSEUDONYM_KEY_FILE="$W2/k" "$A" registry --db "sqlite:$W2/r.db" --centre BE-A --centre BE-B export
[ "$(wc -l < "$W/out")" -eq 2 ] && pass=$((pass + 1)) || { fails=$((fails + 1)); echo "FAIL: two centres export two patients"; cat "$W/out"; }
expect 2 "--centre A B is a usage error" env ACTIONABLE_PSEUDONYM_KEY_FILE="$W2/k" "$A" registry --db "sqlite:$W2/r.db" --centre BE-A BE-B export
contains "$W/err" "not expected: BE-B" "--centre A B names the extra value"
expect 1 "no registry" "$A" registry --db sqlite:./none.db patients
expect 2 "usage" "$A" registry frobnicate
echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
