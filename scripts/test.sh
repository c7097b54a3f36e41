#!/usr/bin/env bash
# README command 2: install what is missing, build, run every test suite. Each runner prints its
# own summary (ctest, node's test runner, libFuzzer).
#   1. Release build: unit tests (ctest), integration and end-to-end tests (node --test; the
#      browser tests run in Chromium inside a lo-only network namespace).
#   2. ASan+UBSan build: unit tests and integration tests again; any sanitizer report fails.
#   3. libFuzzer targets, a short bounded run each on the kept corpus.
# AERIE_TEST_QUICK=1 skips 2 and 3.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
status=0

cmake --preset release >/dev/null
cmake --build --preset release
echo "=== unit tests (ctest, release) ==="
ctest --preset release --output-on-failure -j2 || status=1
echo "=== layer check: every #include points down (node --test, tests/layers/) ==="
node --test tests/layers/ || status=1
echo "=== naming (clang-tidy with .clang-tidy, scripts/tidy.sh) ==="
scripts/tidy.sh || status=1
echo "=== lint (eslint, client/ and webapp/) ==="
(cd client && npm run --silent lint) || status=1
(cd webapp && npm run --silent lint) || status=1
echo "=== browser library unit tests (node --test, client/) ==="
(cd client && npm test) || status=1
echo "=== conferencing app unit tests (node --test, webapp/) ==="
(cd webapp && npm test) || status=1
echo "=== integration and end-to-end tests (node --test, release) ==="
AERIE_BIN="$PWD/build/release/aerie" tests/run-node-tests.sh || status=1
echo "=== benchmark smoke run (bench/run.sh --smoke) ==="
bench/run.sh --smoke || status=1

if [[ "${AERIE_TEST_QUICK:-0}" != 1 ]]; then
  cmake --preset asan >/dev/null
  cmake --build --preset asan
  reports=$(mktemp -d)
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:log_path=$reports/asan"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
  echo "=== unit tests (ctest, ASan+UBSan) ==="
  ctest --test-dir build/asan --output-on-failure -j2 || status=1
  echo "=== integration tests (node --test, aerie built with ASan+UBSan) ==="
  AERIE_BIN="$PWD/build/asan/aerie" tests/run-node-tests.sh integration || status=1
  echo "=== soak, 1 minute: churn beside 400 held peers, every other room over TLS (bench/soak.mjs --wss, aerie with ASan+UBSan) ==="
  AERIE_BIN="$PWD/build/asan/aerie" node bench/soak.mjs --minutes 1 --rooms 20 --hold 400 --wss || status=1
  if compgen -G "$reports/*" >/dev/null; then
    echo "=== sanitizer reports ==="; cat "$reports"/*; status=1
  else
    echo "sanitizers: no reports"
  fi
  unset ASAN_OPTIONS UBSAN_OPTIONS
  echo "=== fuzz targets (libFuzzer, ${AERIE_FUZZ_SECONDS:-10} s each) ==="
  scripts/fuzz.sh "${AERIE_FUZZ_SECONDS:-10}" || status=1
fi
exit $status
