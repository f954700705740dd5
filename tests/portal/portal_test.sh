#!/usr/bin/env bash
# The PI portal end to end (issue 12 §7), run by ctest as portal_sqlite and portal_postgres:
# a registry with two centres (the shipped fictional demo patients), portal accounts, two
# `actionable serve` instances on loopback (the second with a 2-second idle timeout), the HTTP
# tests (portal_http_test.py), the browser tests in headless Chromium (portal_browser_test.py,
# with --browser), audit-verify after it all, and a graceful SIGTERM. Servers are stopped on exit.
#
# Usage: portal_test.sh ACTIONABLE SOURCE_DIR sqlite|postgres [--browser] [ARTIFACT_DIR]
# postgres needs ACTIONABLE_TEST_PG (scripts/test.sh starts a throw-away server); a missing
# server or tool is a failure, never a skip.
set -u
A=$1
SRC=$2
BACKEND=$3
BROWSER=${4:-}
ART=${5:-$PWD/portal-artifacts}
W=$(mktemp -d)
PIDS=()
PGDB=""
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  if [ -n "$PGDB" ]; then
    psql "$ACTIONABLE_TEST_PG" -qc "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null 2>&1
    for r in $(psql "$ACTIONABLE_TEST_PG" -Atc "SELECT rolname FROM pg_roles WHERE rolname LIKE '%${PGDB}%'" 2>/dev/null); do
      psql "$ACTIONABLE_TEST_PG" -qc "DROP ROLE IF EXISTS \"$r\"" >/dev/null 2>&1
    done
  fi
  rm -rf "$W"
}
trap cleanup EXIT
die() { echo "FAIL: $*"; echo "0 passed, 1 failed"; exit 1; }

case "$BACKEND" in
  sqlite) DB="sqlite:$W/registry.db" ;;
  postgres)
    [ -n "${ACTIONABLE_TEST_PG:-}" ] || die "ACTIONABLE_TEST_PG is not set (scripts/test.sh starts PostgreSQL)"
    command -v psql >/dev/null || die "psql not found"
    PGDB="act_portal_$$"
    psql "$ACTIONABLE_TEST_PG" -qc "CREATE DATABASE $PGDB TEMPLATE template0 ENCODING 'UTF8'" || die "cannot create database"
    base=${ACTIONABLE_TEST_PG%%\?*}
    query=""
    case "$ACTIONABLE_TEST_PG" in *\?*) query="?${ACTIONABLE_TEST_PG#*\?}" ;; esac
    DB="${base%/*}/$PGDB$query"
    ;;
  *) die "backend must be sqlite or postgres" ;;
esac

cd "$W"
"$A" registry --db "$DB" init --add-centre BE-DEMO-A="Demo A" --add-centre BE-DEMO-B="Demo B" --new-key key.hex \
  >/dev/null 2>init.err || { cat init.err; die "registry init"; }
export ACTIONABLE_PSEUDONYM_KEY_FILE="$W/key.hex"
"$A" registry --db "$DB" import "$SRC/rules/examples/portal_demo.jsonl" --rules "$SRC/rules/precision1" \
  --rules "$SRC/rules/precision2" 2>import.err || { cat import.err; die "import"; }
# A second match with another rule set, so the patient page has a "what changed" section.
"$A" registry --db "$DB" match --rules "$SRC/rules/precision1" 2>match.err || { cat match.err; die "second match"; }

mkpw() { printf 'Tb-%s\n' "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"; }
declare -A PW
add_user() {  # add_user LOGIN ROLE [CENTRE] [--totp]
  local login=$1 role=$2 centre=${3:-} extra=${4:-}
  PW[$login]=$(mkpw "$login")
  printf '%s\n' "${PW[$login]}" > "pw-$login"
  local c=()
  [ -n "$centre" ] && c=(--centre "$centre")
  "$A" registry --db "$DB" "${c[@]}" user add "$login" --role "$role" --password-file "pw-$login" $extra \
    >"user-$login.out" 2>"user-$login.err" || { cat "user-$login.err"; die "user add $login"; }
}
add_user pi-A pi BE-DEMO-A
add_user pi-B pi BE-DEMO-B
add_user dm-A data_manager BE-DEMO-A
add_user victim pi BE-DEMO-A
add_user pi-T pi BE-DEMO-A --totp
add_user admin admin
SECRET=$(sed -n 's/^TOTP secret for pi-T: //p' user-pi-T.out)
[ -n "$SECRET" ] || die "no TOTP secret printed"
# The password policy, from the command line.
printf 'short\n' > weak
"$A" registry --db "$DB" --centre BE-DEMO-A user add weakling --role pi --password-file weak 2>weak.err \
  && die "a short password was accepted"
grep -q "at least 12" weak.err || die "short password message: $(cat weak.err)"
printf 'password1234\n' > common
"$A" registry --db "$DB" --centre BE-DEMO-A user add weakling --role pi --password-file common 2>common.err \
  && die "a common password was accepted"
grep -q "common passwords" common.err || die "common password message: $(cat common.err)"

pseudonyms() { "$A" registry --db "$DB" --centre "$1" patients | cut -f1; }
mapfile -t PA < <(pseudonyms BE-DEMO-A)
mapfile -t PB < <(pseudonyms BE-DEMO-B)
[ "${#PA[@]}" -eq 3 ] && [ "${#PB[@]}" -eq 2 ] || die "expected 3 + 2 patients, got ${#PA[@]} + ${#PB[@]}"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start() {  # start PORT LOG ARGS...
  local port=$1 log=$2; shift 2
  "$A" serve --db "$DB" --listen "127.0.0.1:$port" "$@" 2>"$log" &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  cat "$log"
  die "portal on port $port did not start"
}
command -v curl >/dev/null || die "curl not found"
P1=$(free_port)
start "$P1" serve.log --request-timeout 2s
MAIN_PID=${PIDS[-1]}
P2=$(free_port)
start "$P2" serve2.log --idle-timeout 2s

json_list() { printf '%s\n' "$@" | python3 -c 'import json,sys; print(json.dumps([l.strip() for l in sys.stdin if l.strip()]))'; }
cat > config.json <<JSON
{"base": "http://127.0.0.1:$P1", "short_base": "http://127.0.0.1:$P2", "request_timeout": 2,
 "users": {"pi-A": "${PW[pi-A]}", "pi-B": "${PW[pi-B]}", "dm-A": "${PW[dm-A]}", "victim": "${PW[victim]}",
           "pi-T": "${PW[pi-T]}", "admin": "${PW[admin]}"},
 "totp_secret": "$SECRET", "a": $(json_list "${PA[@]}"), "b": $(json_list "${PB[@]}"),
 "b_tumours": ["NSCLC", "COAD"]}
JSON

rc=0
python3 "$SRC/tests/portal/portal_http_test.py" config.json || rc=1
if [ "$BROWSER" = "--browser" ]; then
  # A third server: the HTTP tests end by locking this client address out of the first one.
  P3=$(free_port)
  start "$P3" serve3.log
  mkdir -p "$ART"
  sed "s|\"base\": \"http://127.0.0.1:$P1\"|\"base\": \"http://127.0.0.1:$P3\"|" config.json > config3.json
  # Debian's python3 (python3-selenium), whatever python3 comes first on PATH.
  /usr/bin/python3 "$SRC/tests/portal/portal_browser_test.py" config3.json "$ART" || rc=1
fi

# TLS (a throw-away self-signed certificate) and a reverse proxy that says https: Secure cookies
# and HSTS; plain HTTP without the proxy header gets neither (checked by the HTTP tests).
if [ "$BACKEND" = sqlite ]; then
  command -v openssl >/dev/null || die "openssl not found"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout tls.key -out tls.pem -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 || die "openssl req"
  P4=$(free_port)
  "$A" serve --db "$DB" --listen "127.0.0.1:$P4" --tls-cert tls.pem --tls-key tls.key 2>serve4.log &
  PIDS+=($!)
  for _ in $(seq 1 100); do curl -sfk "https://127.0.0.1:$P4/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -sk -D tls.h -o /dev/null "https://127.0.0.1:$P4/login"
  grep -qi '^strict-transport-security: max-age=' tls.h || { echo "FAIL: no HSTS under TLS"; rc=1; }
  grep -qi '^set-cookie: act_pre=.*; Secure' tls.h || { echo "FAIL: no Secure cookie under TLS"; rc=1; }
  curl -s --max-time 5 -o /dev/null "http://127.0.0.1:$P4/login" && { echo "FAIL: plain HTTP answered on the TLS port"; rc=1; }
  P5=$(free_port)
  "$A" serve --db "$DB" --listen "127.0.0.1:$P5" --behind-proxy 2>serve5.log &
  PIDS+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$P5/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -s -D proxy.h -o /dev/null -H 'X-Forwarded-Proto: https' -H 'X-Forwarded-For: 192.0.2.7' "http://127.0.0.1:$P5/login"
  grep -qi '^set-cookie: act_pre=.*; Secure' proxy.h || { echo "FAIL: no Secure cookie behind an https proxy"; rc=1; }
  grep -qi '^strict-transport-security' proxy.h || { echo "FAIL: no HSTS behind an https proxy"; rc=1; }
  grep -q '"client":"192.0.2.7"' serve5.log || { echo "FAIL: the proxy's client address is not logged"; rc=1; }
  [ "$rc" -eq 0 ] && echo "tls and proxy: 7 checks passed"
fi

# Reports from the registry (issue 11 item 5): the same run gives the same bytes; the cohort report.
"$A" registry --db "$DB" --centre BE-DEMO-A report --pseudonym "${PA[0]}" -o r1.html 2>rep.err \
  && "$A" registry --db "$DB" --centre BE-DEMO-A report --pseudonym "${PA[0]}" -o r2.html 2>>rep.err \
  && cmp -s r1.html r2.html && grep -q "${PA[0]}" r1.html || { cat rep.err; echo "FAIL: registry report not byte-identical"; rc=1; }
"$A" registry --db "$DB" --centre BE-DEMO-A report --pseudonym "${PB[0]}" -o rb.html 2>rb.err \
  && { echo "FAIL: registry report of another centre's patient"; rc=1; }
"$A" registry --db "$DB" --centre BE-DEMO-A report --pseudonym "${PA[0]}" -o r1.pdf 2>>rep.err \
  && pdfinfo r1.pdf | grep -q "Page size: *595" || { cat rep.err; echo "FAIL: registry report PDF"; rc=1; }
"$A" registry --db "$DB" --centre BE-DEMO-A report --cohort -o cohort.html 2>>rep.err \
  && grep -q "Overall survival from inclusion" cohort.html && ! grep -q "${PB[0]:0:12}" cohort.html \
  || { cat rep.err; echo "FAIL: cohort report"; rc=1; }
if command -v tidy >/dev/null; then
  tidy -errors -q cohort.html 2>tidy.err >/dev/null
  grep -q "Error:" tidy.err && { cat tidy.err; echo "FAIL: tidy errors in the cohort report"; rc=1; }
fi
[ "$rc" -eq 0 ] && echo "registry reports: checks passed"

# Nothing identifying in the access log; one JSON object per request.
python3 - serve.log <<'PY' || rc=1
import json, sys
n = bad = 0
for line in open(sys.argv[1]):
    if not line.startswith("{"):
        continue
    j = json.loads(line)
    n += 1
    if "?" in j["path"] or "password" in line or "act_session" in line:
        bad += 1
        print("FAIL: access log line leaks:", line.strip())
print(f"access log: {n} lines, {bad} leaking")
sys.exit(1 if bad or n < 50 else 0)
PY
"$A" registry --db "$DB" audit-verify >verify.out 2>&1 || { cat verify.out; echo "FAIL: audit-verify"; rc=1; }
if [ "$BACKEND" = postgres ]; then
  # Row-level security saw the portal act as the centre's role: the actor names the portal user.
  n=$(psql "${DB}" -Atc "SELECT COUNT(*) FROM audit_log WHERE actor LIKE '%/portal:pi-A' AND action = 'follow_up.record'")
  [ "$n" -ge 1 ] || { echo "FAIL: no follow_up.record by .../portal:pi-A in the audit log"; rc=1; }
fi
# Graceful shutdown on SIGTERM.
kill -TERM "$MAIN_PID"
for _ in $(seq 1 100); do kill -0 "$MAIN_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$MAIN_PID" 2>/dev/null; then echo "FAIL: no exit 10 s after SIGTERM"; rc=1; else
  wait "$MAIN_PID"; st=$?
  [ "$st" -eq 0 ] || { echo "FAIL: exit status $st after SIGTERM"; rc=1; }
  grep -q "stopped" serve.log || { echo "FAIL: no 'stopped' line"; rc=1; }
fi
[ "$rc" -eq 0 ] && echo "portal ($BACKEND): all checks passed"
exit "$rc"
