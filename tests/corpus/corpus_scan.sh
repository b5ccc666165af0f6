#!/usr/bin/env bash
# Scans every message of the shared corpora with the CLI and checks: no crash,
# no internal error, exactly one valid JSON record with the documented keys per
# message (each corpus file holds one message), and every file accounted for.
# Runs in the sanitizer build too (CI), where it is the ASan/UBSan corpus run.
set -uo pipefail
shared=${BEACONWATCH_SHARED:-${BW_SHARED_DEFAULT:-$BW_SOURCE_DIR/../shared}}
if [ ! -d "$shared/corpus" ]; then
  echo "SKIP: shared corpora not found at $shared (set BEACONWATCH_SHARED)"
  exit 77
fi
bin="$BW_BUILD_DIR/beaconwatch"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for dir in spamassassin/easy-ham-1 spamassassin/hard-ham-1 spamassassin/spam-1 phishing_pot parser-fixtures/emails; do
  src="$shared/corpus/$dir"
  [ -d "$src" ] || continue
  "$bin" scan -q -j 2 --fail-on targeted_beacon "$src" >"$out/records.jsonl" 2>"$out/stderr.txt"
  rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    echo "FAIL: scan of $dir exited $rc"
    head -n 20 "$out/stderr.txt"
    status=1
    continue
  fi
  if ! python3 "$BW_SOURCE_DIR/tests/corpus/check_records.py" "$src" "$out/records.jsonl"; then
    echo "FAIL: records of $dir"
    status=1
  fi
done
exit $status
