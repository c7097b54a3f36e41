#!/usr/bin/env bash
# Installs what building and testing aerie need on Debian 12, only what is missing.
# Usage: scripts/setup.sh [--test|--turn]   (--test adds Chromium, Firefox ESR, coturn, the
# PostgreSQL 15 server and redis-server the store and cluster tests start themselves, and the test suites' npm packages;
# --turn adds coturn; --cluster adds PostgreSQL and Redis for scripts/cluster.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

want=(cmake ninja-build g++ ccache pkg-config libssl-dev libsqlite3-dev libgtest-dev libsrtp2-dev libusrsctp-dev
      libvpx-dev libopus-dev libwebm-dev libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libpq-dev)
[[ "${1:-}" == "--test" ]] && want+=(chromium firefox-esr coturn iproute2 nftables util-linux clang clang-tidy libclang-rt-14-dev
                                     postgresql-15 redis-server)
[[ "${1:-}" == "--turn" ]] && want+=(coturn)
[[ "${1:-}" == "--cluster" ]] && want+=(postgresql-15 redis-server curl)
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from elsewhere than Debian (as on these machines): judge it by the command.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Browser-side packages the pages use (the demo page loads SkylinkJS from here).
[[ -d node_modules/skylinkjs && -d node_modules/socket.io-client ]] || npm ci --no-audit --no-fund --loglevel=error
# Aerie's own Skylink library (client/) and the conferencing app (webapp/): built, not committed.
for dir in client webapp; do
  [[ -f $dir/package.json ]] || continue
  # (node_modules/eslint: a tree installed before the lint step came needs its devDependencies.)
  [[ -d $dir/node_modules/eslint ]] || (cd $dir && npm ci --no-audit --no-fund --loglevel=error)
  (cd $dir && npm run --silent build)
done
if [[ "${1:-}" == "--test" ]]; then
  # playwright-core drives Chromium, puppeteer-core (WebDriver BiDi) drives Firefox.
  (cd tests && { [[ -d node_modules/playwright-core && -d node_modules/puppeteer-core ]] || npm ci --no-audit --no-fund --loglevel=error; })
fi
