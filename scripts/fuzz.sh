#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) and runs each for a bounded time on its
# corpus (fuzz/corpus/<target>/, kept in the repo; new finds go to a scratch copy).
# Usage: scripts/fuzz.sh [seconds-per-target=30] [target ...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"; shift || true
targets=("$@"); ((${#targets[@]})) || targets=(stun engineio hub api websocket tls rtp twcc srtp sdp dtls sctp resp record)
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${targets[@]/#/fuzz_}" >/dev/null
status=0
for t in "${targets[@]}"; do
  work=$(mktemp -d)
  cp -r "fuzz/corpus/$t/." "$work/"
  log="$work/fuzz.log"
  extra=()
  # usrsctp frees a closed association on its own timer, later: every input would look like a
  # leak and cost a full heap scan. Leaks are still checked when the run ends.
  [[ $t == sctp ]] && extra=(-detect_leaks=0)
  if build/fuzz/fuzz_$t "${extra[@]}" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$work/" "$work" >"$log" 2>&1; then
    runs=$(grep -o "stat::number_of_executed_units: [0-9]*" "$log" | awk "{print \$2}" || true)

    echo "fuzz_$t: ok, $runs executions in ${seconds}s"
  else
    echo "fuzz_$t: FAILED — input saved in $work:"; tail -40 "$log"; status=1
  fi
done
exit $status
