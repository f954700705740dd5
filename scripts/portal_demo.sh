#!/usr/bin/env bash
# Start the PI portal on the shipped example data (docs/portal.md, "Try it"):
#   bash scripts/portal_demo.sh            # after the README's main command (./build/actionable)
# Creates ./portal-demo/ (a new SQLite registry with two fictional centres and the five
# fictional patients of rules/examples/portal_demo.jsonl, matched against the shipped rules,
# and one PI account per centre with a random password), prints the logins, and serves on
# http://127.0.0.1:8080/ until Ctrl-C. Run it again to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
A=${ACTIONABLE:-./build/actionable}
PORT=${PORT:-8080}
D=portal-demo
[ -x "$A" ] || { echo "build first: $A not found (see the README's main command)" >&2; exit 1; }
rm -rf "$D" && mkdir -p "$D" && chmod 700 "$D"
DB="sqlite:$D/registry.db"
"$A" registry --db "$DB" init --add-centre BE-DEMO-A="Demo hospital A" --add-centre BE-DEMO-B="Demo hospital B" \
  --new-key "$D/key.hex" >/dev/null
export ACTIONABLE_PSEUDONYM_KEY_FILE="$D/key.hex"
"$A" registry --db "$DB" import rules/examples/portal_demo.jsonl --rules rules/precision1 --rules rules/precision2
pw() { head -c 18 /dev/urandom | base64 | tr '+/' '-_'; }
umask 077
for c in A B; do
  p=$(pw); printf '%s\n' "$p" > "$D/pi-$c.password"
  "$A" registry --db "$DB" --centre "BE-DEMO-$c" user add "pi-$c" --role pi --password-file "$D/pi-$c.password"
done
p=$(pw); printf '%s\n' "$p" > "$D/admin.password"
"$A" registry --db "$DB" user add admin --role admin --password-file "$D/admin.password"
cat <<MSG

The PI portal on the shipped example data: http://127.0.0.1:$PORT/
  PI of centre BE-DEMO-A   login pi-A    password $(cat "$D/pi-A.password")
  PI of centre BE-DEMO-B   login pi-B    password $(cat "$D/pi-B.password")
  administrator            login admin   password $(cat "$D/admin.password")
(passwords also in $D/*.password; Ctrl-C stops the portal)

MSG
exec "$A" serve --db "$DB" --listen "127.0.0.1:$PORT"
