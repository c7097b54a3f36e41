#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for the tests (unit tests through ctest, tests/lib/postgres.mjs):
#
#   scripts/pg-test-cluster.sh start DIR   initdb into DIR, serve on a Unix socket in DIR only
#                                          (no TCP port), print DIR when it accepts connections
#   scripts/pg-test-cluster.sh stop DIR    stop it at once and remove DIR
#
# The cluster trusts local connections as user `aerie`: URL postgresql:///DB?host=DIR&user=aerie.
# Durability is off (fsync, full-page writes): the data dies with the test. PostgreSQL refuses
# to run as root, so as root the server runs as `postgres` (Debian's package user) or `nobody`.
# Exit 3: no PostgreSQL binaries (AERIE_PG_BIN, default /usr/lib/postgresql/15/bin);
# `start-if-installed` exits 0 then (ctest's fixture: the tests themselves then skip).
set -euo pipefail
bin="${AERIE_PG_BIN:-/usr/lib/postgresql/15/bin}"
cmd="${1:-}" dir="${2:-}"
[[ ( $cmd == start || $cmd == start-if-installed || $cmd == stop ) && -n $dir ]] || {
  echo "usage: $0 start|start-if-installed|stop DIR" >&2; exit 2; }
as=()
if [[ $(id -u) -eq 0 ]]; then
  user=nobody
  id postgres >/dev/null 2>&1 && user=postgres
  as=(runuser -u "$user" --)
fi

stop() {
  [[ -d $dir/data ]] && (cd / && "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1) || true
  rm -rf "$dir"
}

if [[ $cmd == stop ]]; then stop; exit 0; fi

if [[ ! -x $bin/initdb || ! -x $bin/pg_ctl ]]; then
  echo "no PostgreSQL binaries in $bin (apt-get install postgresql-15)" >&2
  [[ $cmd == start-if-installed ]] && exit 0
  exit 3
fi
stop  # whatever an earlier run left there
mkdir -p "$dir"
chmod 700 "$dir"
[[ ${#as[@]} -gt 0 ]] && chown "$user" "$dir"
cd "$dir"
if ! "${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U aerie -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2; exit 1
fi
if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null; then
  cat "$dir/server.log" >&2; exit 1
fi
echo "$dir"
