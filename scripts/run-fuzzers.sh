#!/usr/bin/env bash
# Runs every libFuzzer target built in BUILD_DIR for SECONDS each, starting from
# the seed corpus in tests/fuzz/seeds/<name>/ (copied to a scratch directory so
# the repository's seeds are never modified). Fails on the first crash, leak or
# timeout, leaving the reproducer in the scratch directory and naming it.
set -euo pipefail
build=$(cd "${1:?usage: run-fuzzers.sh BUILD_DIR SECONDS}" && pwd)
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/bw-fuzz.XXXXXX)
status=0
for bin in "$build"/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  short=${name#fuzz_}
  corpus="$work/$short"
  mkdir -p "$corpus"
  if [ -d "$root/tests/fuzz/seeds/$short" ]; then
    cp -r "$root/tests/fuzz/seeds/$short/." "$corpus/"
  fi
  echo "-- $name for ${seconds}s"
  if ! (cd "$work" && "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=262144 -print_final_stats=1 "$corpus" >"$work/$name.log" 2>&1); then
    echo "FAIL: $name (log and reproducer in $work)"
    tail -n 40 "$work/$name.log"
    status=1
  else
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$work/$name.log" | sed "s/^/   /" || true
  fi
done
[ "$status" -eq 0 ] && rm -rf "$work"
exit "$status"
