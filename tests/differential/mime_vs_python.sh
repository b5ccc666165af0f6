#!/usr/bin/env bash
# mime_vs_python.sh - ctest wrapper for the differential test of our MIME view
# against Python's email package (mime_vs_python.py; report in
# $BW_BUILD_DIR/mime_vs_python_report.txt). Skips (77) without the shared
# corpora or python3, so a fresh clone's `make check` still passes.
set -u

here="$(cd "$(dirname "$0")" && pwd)"
build="${BW_BUILD_DIR:-$here/../../build}"
source_dir="${BW_SOURCE_DIR:-$here/../..}"

shared=""
for candidate in "${BEACONWATCH_SHARED:-}" "${BW_SHARED_DEFAULT:-}" "$source_dir/../shared"; do
  if [ -n "$candidate" ] && [ -d "$candidate/corpus" ]; then
    shared="$candidate"
    break
  fi
done
if [ -z "$shared" ]; then
  echo "SKIP: ../shared not found (set BEACONWATCH_SHARED)"
  exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "SKIP: python3 not found (needed for the reference parser)"
  exit 77
fi
viewdump="$build/bw_viewdump"
if [ ! -x "$viewdump" ]; then
  echo "FAIL: $viewdump not built"
  exit 1
fi

BW_BUILD_DIR="$build" exec python3 "$here/mime_vs_python.py" --viewdump "$viewdump" \
  --shared "$shared" --source "$source_dir" --report "$build/mime_vs_python_report.txt"
