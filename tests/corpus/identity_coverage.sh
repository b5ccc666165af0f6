#!/usr/bin/env bash
# ctest wrapper for identity_coverage.py: the bundled identity registry against the
# shared news-500 reference list (skips when the shared corpora are absent).
set -uo pipefail
shared=${BEACONWATCH_SHARED:-${BW_SHARED_DEFAULT:-${BW_SOURCE_DIR:-.}/../shared}}
csv=$shared/reference/news-500-domains.csv
psl=$shared/trackers/publicsuffix/effective_tld_names.dat
if [ ! -f "$csv" ] || [ ! -f "$psl" ]; then
  echo "SKIP: news-500-domains.csv or the Public Suffix List not found under $shared (set BEACONWATCH_SHARED)"
  exit 77
fi
exec python3 "$BW_SOURCE_DIR/tests/corpus/identity_coverage.py" \
  "$BW_SOURCE_DIR/data/identities/news-organisations.json" "$csv" "$psl"
