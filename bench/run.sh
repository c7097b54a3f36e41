#!/usr/bin/env bash
# One command for the signaling benchmark (see bench/README.md):
#
#   bench/run.sh --smoke     aerie only, 200 peers, every phase once; < 30 s; exits non-zero on any error
#   bench/run.sh --quick     aerie, socket.io and PeerJS, 4,000 peers at 1,000 joins/s; a few minutes
#   bench/run.sh --full      10,000 peers with relay steps, then 100,000 idle peers per server; ~20 min
#
# --generator cpp swaps the Node load generator (client.mjs) for the C++ one (bench/loadgen/,
# built here into build/loadgen/aerie-loadgen) for aerie and socket.io.
#
# Other arguments go to bench/bench.mjs (--targets aerie,sio --peers N --room K --join-rate R ...).
# Loopback only: servers listen on 127.0.0.1, clients bind 127.1.w.{1,2}.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

mode=quick
generator=node
args=()
prev=
for a in "$@"; do
  case "$a" in
    --smoke) mode=smoke ;;
    --quick) mode=quick ;;
    --full) mode=full ;;
    *) args+=("$a") ;;
  esac
  if [ "$prev" = --generator ]; then generator="$a"; fi
  prev="$a"
done

# 100,000 peers need 100,000 descriptors in the server and as many across the clients.
want=1048576
if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt "$want" ]; then
  ulimit -Hn "$want" 2>/dev/null || want="$(ulimit -Hn)"
fi
ulimit -Sn "$want" 2>/dev/null || ulimit -Sn "$(ulimit -Hn)"
if [ "$mode" = full ] && [ "$(ulimit -n)" -lt 110000 ]; then
  echo "bench: ulimit -n is $(ulimit -n) (the hard limit cannot be raised here): the capacity run holds" \
       "at most that many peers in one server" >&2
fi

if [ ! -x "${AERIE_BIN:-$root/build/release/aerie}" ]; then
  echo "bench: building aerie (Release)" >&2
  (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release >/dev/null)
fi
if [ "$generator" = cpp ] && [ -z "${AERIE_LOADGEN:-}" ]; then
  # Incremental: a no-op when nothing changed. Its own build tree, never build/release.
  if [ ! -f "$root/build/loadgen/build.ninja" ]; then
    echo "bench: configuring the C++ load generator (build/loadgen)" >&2
    cmake -S "$here/loadgen" -B "$root/build/loadgen" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  ninja -C "$root/build/loadgen" >/dev/null || { echo "bench: building build/loadgen/aerie-loadgen failed" >&2; exit 1; }
fi
if [ ! -d "$here/node_modules/socket.io" ] || [ ! -d "$here/node_modules/peer" ] || [ ! -d "$here/node_modules/ws" ]; then
  echo "bench: installing the load generator's and reference servers' packages (npm ci in bench/)" >&2
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi

cd "$root"
exec node "$here/bench.mjs" --mode "$mode" ${args[@]+"${args[@]}"}
