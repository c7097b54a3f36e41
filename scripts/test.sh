#!/usr/bin/env bash
# README command 2: install what is missing, build, run every test suite. Each runner prints its
# own summary (ctest, node's test runner).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
cmake --preset release >/dev/null
cmake --build --preset release
status=0
echo "=== unit tests (ctest) ==="
ctest --preset release --output-on-failure -j2 || status=1
echo "=== integration and end-to-end tests (node --test) ==="
AERIE_BIN="$PWD/build/release/aerie" tests/run-node-tests.sh || status=1
exit $status
