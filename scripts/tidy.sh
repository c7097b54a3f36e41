#!/usr/bin/env bash
# clang-tidy's naming check (.clang-tidy) over src/, with the Release build's compile commands.
#   scripts/tidy.sh [file ...]     default: every .cpp under src/ (their headers are checked too)
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f build/release/compile_commands.json ]] || cmake --preset release >/dev/null
files=("$@")
((${#files[@]})) || mapfile -t files < <(find src -name '*.cpp' | sort)
# GCC-only warning flags in the compile commands are not clang's business.
out=$(printf '%s\n' "${files[@]}" | xargs -P"$(nproc)" -n4 clang-tidy -p build/release --quiet \
        --extra-arg=-Wno-unknown-warning-option 2>/dev/null | grep -E '(warning|error):' | sort -u || true)
if [[ -n "$out" ]]; then
  echo "$out"
  echo "tidy: $(wc -l <<<"$out") naming problem(s)"
  exit 1
fi
echo "tidy: ${#files[@]} files, names as .clang-tidy says"
