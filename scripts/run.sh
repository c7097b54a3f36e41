#!/usr/bin/env bash
# README command 1: install what is missing, build Release, run aerie on 127.0.0.1:8080 with
# its data (SQLite file, TLS certificate, development app key) under ./data/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
exec build/release/aerie serve --listen "${AERIE_LISTEN:-127.0.0.1:8080}" --data "${AERIE_DATA:-./data}" "$@"
