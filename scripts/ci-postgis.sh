#!/usr/bin/env bash
# Runs COMMAND... with a throw-away PostgreSQL/PostGIS cluster (Debian packages, installed by
# scripts/install-deps.sh) and $GP_TEST_PG set to its connection string, then stops the
# cluster and deletes it, whatever COMMAND's outcome. The server listens on 127.0.0.1 only,
# on a free port, with its data and socket in a temporary directory, password authentication
# over TCP (so the tests use a real password, which gridplan must never print or store).
# PostgreSQL refuses to run as root: as root the server runs as `nobody`.
#
#   scripts/ci-postgis.sh ctest --preset dev -R '^Gis'
#
# Without the packages it runs COMMAND without $GP_TEST_PG (the PostGIS tests then skip
# with a reason) and says so.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 1
fi

bindir=""
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && bindir=$d
done
pgver=$(basename "$(dirname "$bindir")" 2>/dev/null || true)
if [ -z "$bindir" ] || ! ls /usr/share/postgresql/"$pgver"/extension/postgis.control >/dev/null 2>&1; then
  echo "ci-postgis: PostgreSQL/PostGIS not installed (scripts/install-deps.sh); PostGIS tests will skip" >&2
  exec "$@"
fi

started=$(date +%s.%N)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gp-postgis.XXXXXX")
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  chown nobody "$tmp"
  run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi
password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$password" >"$tmp/pw"
chmod 600 "$tmp/pw"
if [ "$(id -u)" -eq 0 ]; then chown nobody "$tmp/pw"; fi

# A free TCP port on localhost.
port=""
for p in $(seq 55432 55532); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    port=$p
    break
  fi
done
[ -n "$port" ] || { echo "ci-postgis: no free port in 55432-55532" >&2; exit 2; }

cleanup() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

(cd "$tmp" && "${run_as[@]}" "$bindir/initdb" -D "$tmp/data" -U gp --pwfile="$tmp/pw" \
  --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1) ||
  { cat "$tmp/initdb.log" >&2; exit 2; }
rm -f "$tmp/pw"
(cd "$tmp" && "${run_as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null) || { cat "$tmp/server.log" >&2; exit 2; }
"$bindir/psql" -q -h "$tmp" -p "$port" -U gp -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE DATABASE gridplan" >/dev/null
"$bindir/psql" -q -h "$tmp" -p "$port" -U gp -d gridplan -v ON_ERROR_STOP=1 \
  -c "CREATE EXTENSION postgis" >/dev/null
ready=$(date +%s.%N)
echo "ci-postgis: PostgreSQL $pgver + PostGIS on 127.0.0.1:$port ready in $(awk "BEGIN{printf \"%.1f\", $ready - $started}") s" >&2

export GP_TEST_PG="PG:host=127.0.0.1 port=$port dbname=gridplan user=gp password=$password"
status=0
"$@" || status=$?
echo "ci-postgis: server stopped after $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $started}") s in total" >&2
exit $status
