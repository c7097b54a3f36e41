#!/bin/sh
# Runs Aerie's Node-side suites against the built server: integration (real socket.io clients
# over loopback), then end-to-end (SkylinkJS 0.6.37 in Chromium, inside a lo-only network
# namespace). Prints node's spec reporter output with the pass/fail counts of each suite and exits
# non-zero if either fails.
#
#   tests/run-node-tests.sh                 both suites
#   tests/run-node-tests.sh integration     only the integration suite
#   tests/run-node-tests.sh e2e             only the browser suite
#
# Env: AERIE_BIN (default build/release/aerie), AERIE_TEST_LOG=1 echoes the server's log,
# AERIE_E2E_NO_NETNS=1 runs the browser suite without the network namespace.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

bin="${AERIE_BIN:-$root/build/release/aerie}"
if [ ! -x "$bin" ]; then
  echo "run-node-tests: no server binary at $bin (build it first, or set AERIE_BIN)" >&2
  exit 2
fi
export AERIE_BIN="$bin"

if [ ! -d "$here/node_modules/socket.io-client-v1" ] || [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/puppeteer-core" ]; then
  echo "run-node-tests: installing test dependencies (npm ci in tests/)" >&2
  (cd "$here" && npm ci --no-audit --no-fund) || exit 2
fi

which="${1:-all}"
status=0

if [ "$which" = all ] || [ "$which" = integration ]; then
  echo "=== integration tests ==="
  node --test --test-reporter=spec --test-concurrency=1 tests/integration/ || status=1
fi

if [ "$which" = all ] || [ "$which" = e2e ]; then
  echo "=== end-to-end tests (Chromium and Firefox) ==="
  sh "$here/e2e/run.sh" || status=1
fi

exit $status
