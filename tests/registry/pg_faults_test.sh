#!/usr/bin/env bash
# PostgreSQL faults end to end (ctest registry_pg_faults; docs/reliability.md "Registry faults"),
# on a throw-away cluster of its own (.ci/postgres.sh) so that restarting it disturbs no other
# test:
#   1. the server restarted (pg_ctl restart -m fast) during a bulk import: a clean error, the
#      committed batches whole, and a rerun converges;
#   2. the tablespace full (root only: a small tmpfs mount): a clean error naming the cause,
#      nothing half-written, and after the space is grown a rerun converges;
#   3. the documented backup procedure (pg_dump -Fc, pg_restore into a new database) gives an
#      identical export, in the same cluster and in another one (roles first, as documented).
# Without root, step 2 cannot mount a file system: the test then reports itself skipped
# (exit 77, shown by ctest as "Skipped"), never passes silently.
set -u
A=$1
SRC=$2
W=$(mktemp -d)
chmod 755 "$W"
MNT=""
SECOND_DIR=""
cleanup() {
  [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
  [ -n "$SECOND_DIR" ] && bash "$SRC/.ci/postgres.sh" stop "$SECOND_DIR" >/dev/null 2>&1
  bash "$SRC/.ci/postgres.sh" stop "${ACTIONABLE_TEST_PG_DIR:-}" >/dev/null 2>&1
  rm -rf "$W"
}
trap cleanup EXIT
eval "$(bash "$SRC/.ci/postgres.sh")" || { echo "FAIL: could not start a PostgreSQL server"; exit 1; }
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
OWNER=$(stat -c %U "$ACTIONABLE_TEST_PG_DIR")
BASE=${ACTIONABLE_TEST_PG%/postgres}
psql() { "$BIN/psql" -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }
cd "$W"
fails=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
clean_error() {  # clean_error FILE: one "actionable registry: …" line, no crash text
  if grep -q "^actionable registry: " "$1" && ! grep -qiE "terminate called|segmentation|core dumped|internal error" "$1"
  then ok; else bad "not a clean error:"; cat "$1"; fi
}
# N records of one centre; FINDINGS findings each (big records fill a tablespace quickly).
records() {
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
prefix, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    f = [{"origin": "somatic", "gene": "EGFR", "hgvsp": "p.Leu%dArg" % (j + 1)} for j in range(k)]
    print(json.dumps({"patient": "%s%d" % (prefix, i), "centre": "BE-PG", "tumour": {"oncotree": "LUAD"},
                      "tests": [{"origin": "somatic", "method": "NGS", "genes": ["EGFR"]}], "findings": f}))
PY
}
whole() {  # whole URL FINDINGS: patients whose findings are not all there
  psql "$1" -c "SELECT COUNT(*) FROM patients p WHERE (SELECT COUNT(*) FROM findings f WHERE f.patient_id = p.id) <> $2"
}
"$A" registry --db "$BASE/act_pgf" init >/dev/null 2>&1 && bad "init of a missing database succeeded" || ok
psql "$ACTIONABLE_TEST_PG" -c "CREATE DATABASE act_pgf"
"$A" registry --db "$BASE/act_pgf" init --add-centre BE-PG --new-key key.hex 2>err || { bad "init"; cat err; }
export ACTIONABLE_PSEUDONYM_KEY_FILE="$W/key.hex"

# 1. Server restart during a bulk import.
records R 1200 2 > r.jsonl
"$A" registry --db "$BASE/act_pgf" import r.jsonl --batch 25 2>import1.err &
importer=$!
for _ in $(seq 1 200); do  # wait until some batches are committed
  n=$(psql "$BASE/act_pgf" -c "SELECT COUNT(*) FROM patients" 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 50 ] && break
  sleep 0.05
done
"$BIN/pg_ctl" --version >/dev/null
if [ "$(id -u)" -eq 0 ]; then runuser -u "$OWNER" -- "$BIN/pg_ctl" -D "$ACTIONABLE_TEST_PG_DIR/data" -m fast -w restart >/dev/null
else "$BIN/pg_ctl" -D "$ACTIONABLE_TEST_PG_DIR/data" -m fast -w restart >/dev/null; fi
wait $importer
rc=$?
[ "$rc" -eq 1 ] && ok || bad "import across a server restart: exit $rc, expected 1"
clean_error import1.err
before=$(psql "$BASE/act_pgf" -c "SELECT COUNT(*) FROM patients")
[ "$(whole "$BASE/act_pgf" 2)" = 0 ] && ok || bad "restart: a patient half-written"
[ "$before" -gt 0 ] && [ "$before" -lt 1200 ] && ok || bad "restart: $before patients before the rerun (expected 0 < n < 1200)"
"$A" registry --db "$BASE/act_pgf" import r.jsonl 2>import1b.err && ok || { bad "rerun after restart"; cat import1b.err; }
grep -q "$((1200 - before)) new, 0 updated, $before unchanged" import1b.err && ok || { bad "rerun did not converge"; cat import1b.err; }
"$A" registry --db "$BASE/act_pgf" integrity-check >/dev/null 2>ic1.err && ok || { bad "integrity after restart"; cat ic1.err; }
echo "restart: $before of 1200 records committed before the restart; $(head -1 import1.err)"

# 3. Backup with pg_dump, restore with pg_restore into a new database: an identical export.
"$A" registry --db "$BASE/act_pgf" export -o before.jsonl 2>/dev/null
"$BIN/pg_dump" -Fc -d "$BASE/act_pgf" -f pgf.dump && ok || bad "pg_dump"
psql "$ACTIONABLE_TEST_PG" -c "CREATE DATABASE act_pgf_restored"
"$BIN/pg_restore" --exit-on-error -d "$BASE/act_pgf_restored" pgf.dump && ok || bad "pg_restore"
"$A" registry --db "$BASE/act_pgf_restored" export -o after.jsonl 2>/dev/null
cmp -s before.jsonl after.jsonl && [ -s before.jsonl ] && ok || bad "pg_dump / pg_restore: the export differs"
"$A" registry --db "$BASE/act_pgf_restored" integrity-check >/dev/null 2>ic3.err && ok || { bad "integrity of the restored copy"; cat ic3.err; }
"$A" registry --db "$BASE/act_pgf" backup x.db 2>b.err; [ $? -eq 1 ] && grep -q "pg_dump" b.err && ok || bad "backup on PostgreSQL does not point to pg_dump"

# 3b. The same dump restored into another cluster, as docs/registry.md "Backups" says: the roles
#     first (pg_dumpall --roles-only; the act_<db>_* roles are cluster-wide), then a new
#     database and pg_restore: an identical export and a clean integrity check there too.
FIRST_PG=$ACTIONABLE_TEST_PG FIRST_DIR=$ACTIONABLE_TEST_PG_DIR
eval "$(bash "$SRC/.ci/postgres.sh")" || { echo "FAIL: could not start a second PostgreSQL server"; exit 1; }
SECOND_PG=$ACTIONABLE_TEST_PG SECOND_DIR=$ACTIONABLE_TEST_PG_DIR
SECOND_BASE=${SECOND_PG%/postgres}
ACTIONABLE_TEST_PG=$FIRST_PG ACTIONABLE_TEST_PG_DIR=$FIRST_DIR
"$BIN/pg_dumpall" --roles-only -d "$FIRST_PG" -f roles.sql && ok || bad "pg_dumpall --roles-only"
# The second cluster already has its superuser: that one CREATE ROLE fails, the rest must not.
"$BIN/psql" -X -q -d "$SECOND_PG" -f roles.sql 2>roles.err >/dev/null
grep -v 'role "[^"]*" already exists' roles.err | grep -q "ERROR" && { bad "roles into the second cluster"; cat roles.err; } || ok
psql "$SECOND_PG" -c "CREATE DATABASE act_pgf_elsewhere"
"$BIN/pg_restore" --exit-on-error -d "$SECOND_BASE/act_pgf_elsewhere" pgf.dump && ok || bad "pg_restore into the second cluster"
"$A" registry --db "$SECOND_BASE/act_pgf_elsewhere" export -o elsewhere.jsonl 2>/dev/null
cmp -s before.jsonl elsewhere.jsonl && ok || bad "restored into another cluster: the export differs"
"$A" registry --db "$SECOND_BASE/act_pgf_elsewhere" integrity-check >/dev/null 2>ic4.err && ok || { bad "integrity in the second cluster"; cat ic4.err; }
bash "$SRC/.ci/postgres.sh" stop "$SECOND_DIR" >/dev/null 2>&1
SECOND_DIR=""

# 2. Tablespace full (needs root to mount a small file system).
skipped=0
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIPPED: tablespace-full case (needs root to mount a tmpfs; docs/reliability.md)"
  skipped=1
else
  MNT="$W/small"
  mkdir -p "$MNT"
  mount -t tmpfs -o size=10m,mode=700 tmpfs "$MNT" || { bad "cannot mount a tmpfs"; MNT=""; }
  if [ -n "$MNT" ]; then
    chown "$OWNER" "$MNT"
    psql "$ACTIONABLE_TEST_PG" -c "CREATE TABLESPACE act_small LOCATION '$MNT'"
    psql "$ACTIONABLE_TEST_PG" -c "CREATE DATABASE act_full TABLESPACE act_small"
    "$A" registry --db "$BASE/act_full" init --add-centre BE-PG 2>err >/dev/null || { bad "init on the small tablespace"; cat err; }
    records F 1000 60 > f.jsonl
    "$A" registry --db "$BASE/act_full" import f.jsonl --batch 20 2>import2.err
    rc=$?
    [ "$rc" -eq 1 ] && ok || bad "import onto a full tablespace: exit $rc, expected 1"
    clean_error import2.err
    grep -qi "no space left on device\|could not extend" import2.err && ok || { bad "the error does not name the full disk"; cat import2.err; }
    # While the tablespace is full the server refuses even new connections ("could not write
    # init file"), so the database is inspected once the space has grown, before any write.
    mount -o remount,size=256m "$MNT" || bad "cannot grow the tmpfs"
    full=$(psql "$BASE/act_full" -c "SELECT COUNT(*) FROM patients")
    [ "$(whole "$BASE/act_full" 60)" = 0 ] && ok || bad "full: a patient half-written"
    [ -n "$full" ] && [ "$((full % 20))" -eq 0 ] && [ "$full" -lt 1000 ] && ok ||
      bad "full: '$full' patients is not a whole number of batches of 20 below 1000"
    "$A" registry --db "$BASE/act_full" integrity-check >/dev/null 2>ic2.err && ok || { bad "integrity after the failure"; cat ic2.err; }
    "$A" registry --db "$BASE/act_full" import f.jsonl 2>import2b.err && ok || { bad "rerun after growing the space"; cat import2b.err; }
    grep -q "$((1000 - full)) new, 0 updated, $full unchanged" import2b.err && ok || { bad "rerun did not converge"; cat import2b.err; }
    "$A" registry --db "$BASE/act_full" integrity-check >/dev/null 2>ic2b.err && ok || { bad "integrity after the rerun"; cat ic2b.err; }
    echo "tablespace full: $full of 1000 records committed; $(head -1 import2.err | cut -c1-200)"
    psql "$ACTIONABLE_TEST_PG" -c "DROP DATABASE act_full"
    psql "$ACTIONABLE_TEST_PG" -c "DROP TABLESPACE act_small"
  fi
fi
echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ] || exit 1
[ "$skipped" -eq 0 ] || exit 77
