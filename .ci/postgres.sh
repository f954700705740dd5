#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster on 127.0.0.1 (random free port) for the registry tests,
# a real server, not a mock. Installs Debian's postgresql when no server binaries are found.
#   eval "$(bash .ci/postgres.sh)"      # exports ACTIONABLE_TEST_PG (URL) and ACTIONABLE_TEST_PG_DIR
#   bash .ci/postgres.sh stop "$ACTIONABLE_TEST_PG_DIR"
# Works as root: the server runs as the 'postgres' system user (or a dedicated 'actionable-ci'
# user). The cluster trusts loopback connections only and lives under /tmp; stop removes it.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

run_as() {  # run_as USER CMD... (no-op switch when not root)
  local user=$1; shift
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null 2>&1; then runuser -u "$user" -- "$@"
    else su -s /bin/sh "$user" -c "$(printf '%q ' "$@")"; fi
  else
    "$@"
  fi
}

find_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; fi
}

if [ "${1:-}" = "stop" ]; then
  dir=${2:-${ACTIONABLE_TEST_PG_DIR:-}}
  [ -n "$dir" ] && [ -d "$dir" ] || { log "nothing to stop"; exit 0; }
  bindir=$(find_bindir)
  owner=$(stat -c %U "$dir")
  run_as "$owner" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
  exit 0
fi

bindir=$(find_bindir)
if [ -z "$bindir" ]; then
  [ "$(id -u)" -eq 0 ] || { log "PostgreSQL is not installed and we are not root"; exit 1; }
  log "installing postgresql from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y postgresql >&2 || { apt-get update >&2 && apt-get install -y postgresql >&2; }
  bindir=$(find_bindir)
  [ -n "$bindir" ] || { log "no PostgreSQL server binaries after install"; exit 1; }
fi

user=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
  if getent passwd postgres >/dev/null; then user=postgres
  else
    getent passwd actionable-ci >/dev/null || useradd --system --no-create-home --shell /usr/sbin/nologin actionable-ci
    user=actionable-ci
  fi
fi

dir=$(mktemp -d /tmp/actionable-pg.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" -eq 0 ] && chown "$user" "$dir"
run_as "$user" "$bindir/initdb" -D "$dir/data" -U actionable -A trust -E UTF8 --locale=C.UTF-8 \
  --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
started=0
for _ in $(seq 1 20); do
  port=$(( 20000 + RANDOM % 40000 ))
  port_free "$port" || continue
  if run_as "$user" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=on" \
      start >/dev/null 2>&1; then
    started=1; break
  fi
done
[ "$started" -eq 1 ] || { log "could not start the server"; cat "$dir/server.log" >&2 || true; exit 1; }

url="postgresql://actionable@127.0.0.1:$port/postgres"
log "PostgreSQL $("$bindir/postgres" --version | awk "{print \$3}") running at $url (dir $dir)"
echo "export ACTIONABLE_TEST_PG='$url'"
echo "export ACTIONABLE_TEST_PG_DIR='$dir'"
