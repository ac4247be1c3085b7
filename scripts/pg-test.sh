#!/bin/sh
# The ledger read from a real PostgreSQL: installs Debian's postgresql when missing (as
# root), starts a throwaway cluster on a private port listening only on a socket folder of
# its own, loads geodata/control.csv into it with ogr2ogr, renders the bundled map with its
# [control] in the database, changes one row with psql, and checks that the change is drawn
# (query answers otherwise), that the fingerprint changed and that no password shows.  The
# cluster is stopped and removed whatever happens.  Needs a built CLI: build/ or BUILD_DIR.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cli="$root/${BUILD_DIR:-build}/conflictmap"
port=${PG_TEST_PORT:-54329}
password="s3cret-$$"
start=$(date +%s)

say() { echo "pg-test: $*"; }
fail() { echo "pg-test: FAIL: $*" >&2; exit 1; }

[ -x "$cli" ] || fail "no $cli: build first (scripts/setup.sh)"

# Debian puts the server's programs under /usr/lib/postgresql/VERSION/bin, off the PATH
pg_bin() {
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  command -v initdb >/dev/null && dirname "$(command -v initdb)"
}
if [ -z "$(pg_bin)" ] || ! command -v psql >/dev/null || ! command -v ogr2ogr >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing postgresql gdal-bin"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql gdal-bin >/dev/null
  else
    fail "needs postgresql (initdb, psql) and gdal-bin (ogr2ogr): run as root to install them"
  fi
fi
bin=$(pg_bin)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cm-pg.XXXXXX")
chmod 755 "$tmp"
# the server refuses to run as root: as root, run it as Debian's postgres user
run=""
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  run="runuser -u postgres --"
fi
cleanup() {
  rc=$?
  if [ -f "$tmp/data/postmaster.pid" ]; then
    $run "$bin/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
  say "cluster stopped and removed; $(( $(date +%s) - start )) s"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# the server's own: its data, its socket, its log
mkdir "$tmp/data" "$tmp/sock"
printf '%s\n' "$password" > "$tmp/sock/pwfile"
[ -z "$run" ] || chown -R postgres "$tmp/data" "$tmp/sock"
$run "$bin/initdb" -D "$tmp/data" -U cm --pwfile="$tmp/sock/pwfile" -A scram-sha-256 \
  --no-instructions >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; fail "initdb"; }
# no TCP at all: only the socket in our own folder
rm "$tmp/sock/pwfile"
$run "$bin/pg_ctl" -D "$tmp/data" -l "$tmp/sock/server.log" -w \
  -o "-p $port -k $tmp/sock -c listen_addresses=''" start >/dev/null ||
  { cat "$tmp/sock/server.log" >&2; fail "the server did not start"; }
say "cluster up ($(basename "$(dirname "$bin")"), port $port, socket in $tmp/sock)"

export PGPASSWORD="$password"
psql_cm() { psql -X -q -v ON_ERROR_STOP=1 -h "$tmp/sock" -p "$port" -U cm "$@"; }
psql_cm -d postgres -c "CREATE DATABASE conflict" || fail "createdb"
conn="PG:host=$tmp/sock port=$port dbname=conflict user=cm password=$password"
# a plain table (no PostGIS): every column text, as the CSV reads
ogr2ogr -f PostgreSQL "$conn" "$root/geodata/control.csv" -nln control -lco FID=fid \
  -oo AUTODETECT_TYPE=NO || fail "ogr2ogr could not load the ledger"
say "loaded $(psql_cm -d conflict -tAc 'SELECT count(*) FROM control') ledger rows"

# the bundled map, its files by absolute path, its [control] in the database
geo="$root/geodata"
sed -e "s|^file = \(.*\)|file = $geo/\1|" -e "/^styles = /s|\.\./|$root/|g" \
  "$geo/libya.map" > "$tmp/libya.map"
awk -v conn="$conn" '
  /^\[/ { group = $0 }
  group == "[control]" && /^file = / { print "file = " conn; print "layer = control"; next }
  { print }' "$tmp/libya.map" > "$tmp/pg.map"
grep -q "^layer = control" "$tmp/pg.map" || fail "could not write the map file"

first=$(awk -F, 'NR == 2 { print $1 }' "$geo/control.csv")
ask() { "$cli" query "$tmp/pg.map" --date "$first" --at 17.3,30.3 2>"$tmp/query.err"; }
fingerprint() { "$cli" info "$1" | awk '$1 == "data-sha256" { print $2 }'; }

"$cli" render "$tmp/pg.map" --date "$first" --dpi 40 -o "$tmp/before.png" 2>"$tmp/render.err" ||
  { cat "$tmp/render.err" >&2; fail "render from the database"; }
before=$(ask) || { cat "$tmp/query.err" >&2; fail "query from the database"; }
fp_before=$(fingerprint "$tmp/before.png")
say "before: Sirte district on $first: $(echo "$before" | cut -f1-2); data-sha256 $fp_before"

psql_cm -d conflict -c "UPDATE control SET controller = 'GNA' WHERE region = 'sirte' AND date = '$first'"
"$cli" render "$tmp/pg.map" --date "$first" --dpi 40 -o "$tmp/after.png" 2>"$tmp/render.err" ||
  { cat "$tmp/render.err" >&2; fail "render after the edit"; }
after=$(ask) || { cat "$tmp/query.err" >&2; fail "query after the edit"; }
fp_after=$(fingerprint "$tmp/after.png")
say "after:  Sirte district on $first: $(echo "$after" | cut -f1-2); data-sha256 $fp_after"

[ "$(echo "$before" | cut -f1)" = LNA ] || fail "before the edit, expected LNA: $before"
[ "$(echo "$after" | cut -f1)" = GNA ] || fail "the edit is not drawn: $after"
[ -n "$fp_before" ] && [ "$fp_before" != unavailable ] || fail "no fingerprint: $fp_before"
[ "$fp_before" != "$fp_after" ] || fail "the fingerprint did not change with the row"
cmp -s "$tmp/before.png" "$tmp/after.png" && fail "the two renders are the same image"

# the password nowhere: not in the figures' metadata, not in messages
for f in before.png after.png; do
  "$cli" info "$tmp/$f" > "$tmp/info.txt"
  ! grep -q "$password" "$tmp/info.txt" "$tmp/$f" || fail "the password is in $f"
done
sed 's/^layer = control/layer = no_such_table/' "$tmp/pg.map" > "$tmp/bad.map"
if "$cli" render "$tmp/bad.map" -o "$tmp/bad.png" 2>"$tmp/bad.err"; then
  fail "a missing table was not an error"
fi
grep -q 'no layer "no_such_table"' "$tmp/bad.err" || { cat "$tmp/bad.err" >&2; fail "message"; }
grep -q 'password=\*\*\*' "$tmp/bad.err" || { cat "$tmp/bad.err" >&2; fail "not masked"; }
! grep -q "$password" "$tmp/bad.err" "$tmp/render.err" "$tmp/query.err" ||
  fail "the password is in a message"
! grep -q "no such file" "$tmp/bad.err" || fail "a connection string was taken for a file"
say "message: $(head -1 "$tmp/bad.err")"
say "ok"
