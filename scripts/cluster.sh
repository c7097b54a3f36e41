#!/usr/bin/env bash
# A local cluster on loopback (issue 17): Redis (node registry, room ownership, liveness),
# PostgreSQL (app keys, shared), and three aerie nodes, each on its own port. Installs what is
# missing, builds Release, runs everything in the foreground; Ctrl-C stops it all.
#
#   scripts/cluster.sh              nodes a, b, c on 127.0.0.1:8081, :8082, :8083
#   AERIE_CLUSTER_PORT=9000 scripts/cluster.sh     nodes on 9001..9003
#   AERIE_REDIS_PORT=6390 (default)                 Redis's port
#
# The API on any node sends a room's peers to the room's node (docs/cluster.md). PostgreSQL and
# Redis here are throwaway (no persistence; under /tmp): the development key is printed again
# at each start. Node data (TLS certificates) stays under data/cluster/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --cluster
cmake --preset release >/dev/null
cmake --build --preset release
bin=build/release/aerie
base="${AERIE_CLUSTER_PORT:-8080}"
redis_port="${AERIE_REDIS_PORT:-6390}"
pgdir=$(mktemp -d /tmp/aerie-cluster-pg.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/pg-test-cluster.sh stop "$pgdir" || true
}
trap cleanup EXIT INT TERM

scripts/pg-test-cluster.sh start "$pgdir" >/dev/null
/usr/lib/postgresql/15/bin/createdb -h "$pgdir" -U aerie aerie
store="postgresql:///aerie?host=$pgdir&user=aerie"
echo "PostgreSQL on $pgdir (database aerie)"

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning &
pids+=($!)
for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.05; done
echo "Redis on 127.0.0.1:$redis_port"

i=0
for id in a b c; do
  i=$((i + 1))
  port=$((base + i))
  data="data/cluster/node-$id"
  mkdir -p "$data"
  stun=(--stun off)
  [[ $id == a ]] && stun=()
  "$bin" serve --listen "127.0.0.1:$port" --data "$data" --store "$store" \
    --redis "127.0.0.1:$redis_port" --node-id "$id" --media-port $((50000 + 100 * i)) "${stun[@]}" "$@" \
    2>&1 | sed -u "s/^/[$id] /" &
  pids+=($!)
  # One at a time: the first creates the development key in the shared store.
  for _ in $(seq 200); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.05; done
done
echo "Cluster up: nodes a, b, c on 127.0.0.1:$((base + 1))..$((base + 3)); Ctrl-C stops it."
wait
