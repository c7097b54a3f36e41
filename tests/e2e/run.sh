#!/bin/sh
# Runs the browser end-to-end tests inside a fresh network namespace that has only `lo`, so
# every WebRTC packet stays on loopback (shared/notes/webrtc-testing.md, section 1). The test
# starts Aerie itself, inside the namespace. Needs root (unshare -n), /usr/bin/chromium and
# /usr/bin/firefox-esr (the firefox-*.e2e.test.mjs files fail, not skip, without it; both come
# from scripts/setup.sh --test).
# Set AERIE_E2E_NO_NETNS=1 to run without the namespace (e.g. where unshare is not allowed).
set -eu
cd "$(dirname "$0")/../.."
if [ "${AERIE_E2E_NO_NETNS:-0}" = "1" ]; then
  exec node --test --test-reporter=spec --test-concurrency=1 tests/e2e/
fi
exec unshare -n sh -c 'ip link set lo up; exec node --test --test-reporter=spec --test-concurrency=1 tests/e2e/'
