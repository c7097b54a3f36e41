#!/usr/bin/env bash
# README command 1: install what is missing, build Release, run aerie on 127.0.0.1:8080 with
# its data (SQLite file, TLS certificate, development app key) under ./data/.
#   scripts/run.sh --with-turn    also runs coturn on 127.0.0.1:3478 with a shared secret kept
#                                 in data/turn-secret (aerie's own STUN then gives way)
# Other arguments go to `aerie serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
turn=0
if [[ "${1:-}" == "--with-turn" ]]; then turn=1; shift; fi
scripts/setup.sh $([[ $turn == 1 ]] && echo --turn)
cmake --preset release >/dev/null
cmake --build --preset release
data="${AERIE_DATA:-./data}"
mkdir -p "$data"
args=(serve --listen "${AERIE_LISTEN:-127.0.0.1:8080}" --data "$data")
if [[ $turn == 1 ]]; then
  [[ -s "$data/turn-secret" ]] || (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$data/turn-secret")
  secret=$(cat "$data/turn-secret")
  mkdir -p "$data/coturn"
  turnserver -c docs/coturn.conf --static-auth-secret="$secret" --pidfile="$data/coturn/turn.pid" \
    --userdb="$data/coturn/turndb" --log-file="$data/coturn/turn.log" &
  coturn=$!
  trap 'kill $coturn 2>/dev/null; wait $coturn 2>/dev/null' EXIT
  echo "coturn running on 127.0.0.1:3478 (log: $data/coturn/turn.log)"
  args+=(--turn-secret "$secret" --stun off)
  build/release/aerie "${args[@]}" "$@"
else
  exec build/release/aerie "${args[@]}" "$@"
fi
