#!/usr/bin/env bash
# view_vs_gmime.sh - ctest wrapper for the differential test of the plain MIME
# parser (src/lib/mime/entity.c) against GMime: bw_viewdiff builds every
# message of the shared corpora both ways and fails on any difference in the
# view or its findings. It also fails when fewer than 90% of the corpus
# messages take the plain path: the parser exists for speed, and a change
# that quietly sent most mail back to GMime would pass every other test.
# Skips (77) without the shared corpora.
set -u

build=${BW_BUILD_DIR:-build}
shared=${BEACONWATCH_SHARED:-${BW_SHARED_DEFAULT:-${BW_SOURCE_DIR:-.}/../shared}}
if [ ! -d "$shared/corpus" ]; then
  echo "SKIP: shared corpora not found at $shared (set BEACONWATCH_SHARED)"
  exit 77
fi
tool="$build/bw_viewdiff"
if [ ! -x "$tool" ]; then
  echo "FAIL: $tool not built"
  exit 1
fi

paths=()
for sub in corpus/spamassassin corpus/phishing_pot corpus/parser-fixtures corpus/newsletter-html eval-campaign/messages; do
  [ -e "$shared/$sub" ] && paths+=("$shared/$sub")
done
out=$("$tool" -v "${paths[@]}")
status=$?
echo "$out" | grep -v "^view_vs_gmime:" | head -40
summary=$(echo "$out" | tail -n 1)
echo "$summary"
[ "$status" -eq 0 ] || { echo "FAIL: the views differ"; exit 1; }
rate=$(echo "$summary" | sed -n 's/.*(\([0-9.]*\)%).*/\1/p')
if [ -z "$rate" ] || awk -v r="$rate" 'BEGIN { exit !(r < 90) }'; then
  echo "FAIL: only ${rate:-?}% of messages took the plain path (expected at least 90%)"
  exit 1
fi
echo "PASS"
