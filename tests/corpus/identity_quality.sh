#!/usr/bin/env bash
# ctest wrapper for identity_quality.py (skips when the shared corpora are absent).
set -uo pipefail
shared=${BEACONWATCH_SHARED:-${BW_SHARED_DEFAULT:-$BW_SOURCE_DIR/../shared}}
if [ ! -f "$shared/eval-campaign/labels.jsonl" ] || [ ! -d "$shared/corpus/spamassassin/easy-ham-1" ] ||
  [ ! -d "$shared/corpus/spamassassin/hard-ham-1" ]; then
  echo "SKIP: eval-campaign or spamassassin ham not found under $shared (set BEACONWATCH_SHARED)"
  exit 77
fi
exec python3 "$BW_SOURCE_DIR/tests/corpus/identity_quality.py" "$BW_BUILD_DIR/beaconwatch" "$shared" \
  "$BW_BUILD_DIR/identity_quality_misses.txt"
