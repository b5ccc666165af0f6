#!/usr/bin/env bash
# html_vs_gumbo.sh - ctest wrapper of the tokenizer-vs-gumbo differential
# test: finds the shared corpora, runs html_vs_gumbo on them and leaves the
# per-part report in the build directory. Skips (exit 77) without corpora or
# without the program (built only when gumbo is installed).
set -u
src_dir=${BW_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build_dir=${BW_BUILD_DIR:-$src_dir/build}
shared=${BEACONWATCH_SHARED:-${BW_SHARED_DEFAULT:-$src_dir/../shared}}
if [ ! -d "$shared/corpus" ]; then
  echo "html_vs_gumbo: SKIP: no shared corpus at $shared/corpus"
  exit 77
fi
prog=$build_dir/html_vs_gumbo
if [ ! -x "$prog" ]; then
  echo "html_vs_gumbo: SKIP: $prog not built (gumbo missing?)"
  exit 77
fi
report=$build_dir/html_vs_gumbo.report.txt
"$prog" "$shared/corpus" "$report"
status=$?
echo "html_vs_gumbo: details in $report"
exit $status
