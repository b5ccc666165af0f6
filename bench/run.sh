#!/usr/bin/env bash
# bench/run.sh [BUILD_DIR] - throughput of beaconwatch on the shared corpora.
#
# Run by `make bench` (BUILD_DIR defaults to build). See BENCHMARKS.md for what
# is measured and how to read it. Needs the shared corpora in ../shared or
# $BEACONWATCH_SHARED; prints SKIP and exits 0 without them.
#
# Environment:
#   BENCH_REPS=3     repetitions per measurement (the median is reported)
#   BENCH_JOBS=2     thread count for the parallel runs
#   BENCH_PHISH=1000 how many phishing_pot files (by name) to use
#   BENCH_PEERS=1    0 skips the optional peer section (SpamAssassin, ClamAV, rspamd)
#   BENCH_PEER_MSGS=500 messages given to the (slow) peers
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-build}"
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
SHARED="${BEACONWATCH_SHARED:-$ROOT/../shared}"
REPS="${BENCH_REPS:-3}"
JOBS="${BENCH_JOBS:-2}"
NPHISH="${BENCH_PHISH:-1000}"
PEERS="${BENCH_PEERS:-1}"
PEER_MSGS="${BENCH_PEER_MSGS:-500}"

SA_DIR="$SHARED/corpus/spamassassin"
PH_DIR="$SHARED/corpus/phishing_pot"
if [[ ! -d "$SA_DIR/easy-ham-1" || ! -d "$SA_DIR/hard-ham-1" || ! -d "$PH_DIR" ]]; then
  echo "SKIP bench: shared corpora not found under $SHARED (set BEACONWATCH_SHARED)"
  exit 0
fi
BW="$BUILD/beaconwatch"
BENCH="$BUILD/bw_bench"
for b in "$BW" "$BENCH"; do
  if [[ ! -x "$b" ]]; then
    echo "bench: $b not found; build first (make build, or cmake --build $BUILD)" >&2
    exit 2
  fi
done

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
export LC_ALL=C

# The two sets, as lists of paths (phishing: the first N .eml files by name).
SA_PATHS=("$SA_DIR/easy-ham-1" "$SA_DIR/hard-ham-1")
find "${SA_PATHS[@]}" -type f | sort > "$TMP/sa.lst"
ls "$PH_DIR" | grep '\.eml$' | sort | head -n "$NPHISH" | sed "s|^|$PH_DIR/|" > "$TMP/phish.lst"
mapfile -t PH_PATHS < "$TMP/phish.lst"

bytes_of() { tr '\n' '\0' < "$1" | xargs -0 stat -c %s | awk '{s += $1} END {print s}'; }

echo "== machine"
echo "cpu:    $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "nproc:  $(nproc)"
echo "kernel: $(uname -r)"
echo "gmime:  $(pkg-config --modversion gmime-3.0 2>/dev/null || echo '?')"
echo "load:   $(cut -d' ' -f1-3 /proc/loadavg) (wall-time and -j numbers need an idle machine)"
echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"
echo

# ---- 1. in-process: floor (GMime parse + decode) vs scan (bw_scan + JSON) ----
echo "== in-process (bench/bw_bench.c): messages pre-read with bw_reader, then $REPS timed passes each, median"
"$BENCH" -r "$REPS" -j "$JOBS" -m floor,scan,nobeacons -n spamassassin -l "$TMP/sa.lst" | tee "$TMP/inproc.txt"
echo
"$BENCH" -r "$REPS" -j "$JOBS" -m floor,scan,nobeacons -n phishing -l "$TMP/phish.lst" | tee -a "$TMP/inproc.txt"
echo
echo "floorW = the floor with GMimeParserOptions carrying a no-op warning callback (what bw_view_build passes):"
"$BENCH" -r "$REPS" -j 1 -m floor -W -n spamassassin -l "$TMP/sa.lst" | grep -E '^ *floorW' | sed 's/^/  spamassassin/'
"$BENCH" -r "$REPS" -j 1 -m floor -W -n phishing -l "$TMP/phish.lst" | grep -E '^ *floorW' | sed 's/^/  phishing    /'
echo

# ---- 2. end to end: the real CLI, JSON to /dev/null ------------------------
# median of REPS runs of wall and CPU (user+sys) time, via bash's `time`.
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

time_cli() { # set jobs nmsgs bytes paths...
  local set=$1 jobs=$2 nmsgs=$3 bytes=$4
  shift 4
  : > "$TMP/w" && : > "$TMP/c"
  for ((i = 0; i < REPS; i++)); do
    local t rc
    t=$( { TIMEFORMAT='%R %U %S'; time "$BW" scan -q -j "$jobs" "$@" > /dev/null 2> "$TMP/err"; } 2>&1 )
    rc=$(tail -n1 <<< "$t")
    read -r real user sys <<< "$rc"
    echo "$real" >> "$TMP/w"
    echo "$user $sys" | awk '{print $1 + $2}' >> "$TMP/c"
  done
  local w c
  w=$(median < "$TMP/w")
  c=$(median < "$TMP/c")
  awk -v s="$set" -v j="$jobs" -v n="$nmsgs" -v b="$bytes" -v w="$w" -v c="$c" 'BEGIN {
    printf "  cli    -j %-2d %8.0f msg/s %8.2f MB/s | per core %8.0f msg/s %8.2f MB/s | wall %.3f s cpu %.3f s\n",
           j, n / w, b / 1e6 / w, n / c, b / 1e6 / c, w, c
    printf "RESULT set=%s mode=cli threads=%d msgs=%d bytes=%d wall=%.4f cpu=%.4f msgs_s=%.1f mb_s=%.3f msgs_s_core=%.1f mb_s_core=%.3f\n",
           s, j, n, b, w, c, n / w, b / 1e6 / w, n / c, b / 1e6 / c }' | tee -a "$TMP/cli.txt"
}

echo "== end to end: $BW scan -q -j N ... > /dev/null (reading from disk, page cache warm), median of $REPS"
SA_N=$(wc -l < "$TMP/sa.lst"); SA_B=$(bytes_of "$TMP/sa.lst")
PH_N=$(wc -l < "$TMP/phish.lst"); PH_B=$(bytes_of "$TMP/phish.lst")
cat "${PH_PATHS[@]}" "$(head -1 "$TMP/sa.lst")" > /dev/null   # warm the page cache
echo "set spamassassin: $SA_N files, $(awk -v b="$SA_B" 'BEGIN {printf "%.2f", b / 1e6}') MB"
time_cli spamassassin 1 "$SA_N" "$SA_B" "${SA_PATHS[@]}"
time_cli spamassassin "$JOBS" "$SA_N" "$SA_B" "${SA_PATHS[@]}"
echo "set phishing: $PH_N files, $(awk -v b="$PH_B" 'BEGIN {printf "%.2f", b / 1e6}') MB"
time_cli phishing 1 "$PH_N" "$PH_B" "${PH_PATHS[@]}"
time_cli phishing "$JOBS" "$PH_N" "$PH_B" "${PH_PATHS[@]}"
echo

# ---- 3. summary against the targets ------------------------------------------
echo "== summary (targets: scan >= 70% of floor on spamassassin, >= 50% on phishing, per core; -j $JOBS >= 1.8x -j 1)"
grep -h '^RESULT' "$TMP/inproc.txt" "$TMP/cli.txt" | awk -v J="$JOBS" '
  function kv(line, key,   a, i, n, p) { n = split(line, a, " "); for (i = 1; i <= n; i++) { split(a[i], p, "="); if (p[1] == key) return p[2] } return "" }
  { set = kv($0, "set"); mode = kv($0, "mode"); t = kv($0, "threads")
    if (mode == "calibration") { cal[set] = kv($0, "speedup"); next }
    core[set, mode, t] = kv($0, "msgs_s_core"); wall[set, mode, t] = kv($0, "msgs_s"); sets[set] = 1 }
  END {
    for (s in sets) {
      want = (s == "spamassassin") ? 70 : 50
      r = 100 * core[s, "scan", 1] / core[s, "floor", 1]
      printf "%-13s scan/floor per core: %5.1f%%  (target >= %d%%)  %s\n", s, r, want, (r >= want) ? "PASS" : "MISS"
      fs = wall[s, "floor", J] / wall[s, "floor", 1]; ss = wall[s, "scan", J] / wall[s, "scan", 1]
      cs = wall[s, "cli", J] / wall[s, "cli", 1]
      v = (ss >= 1.8 && cs >= 1.8) ? "PASS" : "MISS"
      if (v == "MISS" && cal[s] < 1.8) v = "NOT MEASURABLE here (the machine itself gave only " cal[s] "x)"
      printf "%-13s -j %d/-j 1 wall: scan %.2fx  cli %.2fx  floor %.2fx  (target >= 1.80x)  %s; machine calibration %.2fx\n",
             s, J, ss, cs, fs, v, cal[s]
    }
  }' | sort
echo

# ---- 4. optional: peers on the same mail (a different job) -------------------
if [[ "$PEERS" == 0 ]]; then
  echo "== peers: skipped (BENCH_PEERS=0)"
  exit 0
fi
echo "== peers, different job (content filters, not beacon extraction): first $PEER_MSGS messages of easy-ham-1 + hard-ham-1, one run each"
head -n "$PEER_MSGS" "$TMP/sa.lst" > "$TMP/peer.lst"
PN=$(wc -l < "$TMP/peer.lst")
peer_time() { # label cmd...
  local label=$1; shift
  local t
  t=$( { TIMEFORMAT='%R %U %S'; time "$@" > /dev/null 2>&1; } 2>&1 | tail -n1)
  read -r real user sys <<< "$t"
  awk -v l="$label" -v n="$PN" -v w="$real" -v u="$user" -v s="$sys" 'BEGIN {
    printf "  %-46s %8.1f msg/s (wall %.1f s, cpu %.1f s)\n", l, n / w, w, u + s }'
}
{
  TIMEFORMAT='%R %U %S'
  time "$BW" scan -q -j 1 $(cat "$TMP/peer.lst") > /dev/null 2>&1
} 2> "$TMP/bwpeer" ; read -r real user sys < <(tail -n1 "$TMP/bwpeer")
awk -v n="$PN" -v w="$real" -v u="$user" -v s="$sys" 'BEGIN {
  printf "  %-46s %8.1f msg/s (wall %.1f s, cpu %.1f s)\n", "beaconwatch scan -j 1 (same messages)", n / w, w, u + s }'

if command -v spamassassin > /dev/null; then
  # One perl process over an mbox of the messages; -L: no network tests.
  while read -r f; do
    printf 'From bench@localhost Thu Jan  1 00:00:00 1970\n'
    sed 's/^\(>*From \)/>\1/' "$f"
    echo
  done < "$TMP/peer.lst" > "$TMP/peer.mbox"
  peer_time "spamassassin -L --test-mode --mbox (1 process)" spamassassin -L --test-mode --mbox "$TMP/peer.mbox"
else
  echo "  spamassassin: not installed (apt-get install spamassassin), skipped"
fi
if command -v clamscan > /dev/null; then
  if ls /var/lib/clamav/*.c[lv]d > /dev/null 2>&1; then
    peer_time "clamscan -f LIST (incl. signature load)" clamscan --no-summary -f "$TMP/peer.lst"
  else
    echo "  clamscan: installed but no signature database in /var/lib/clamav (run freshclam), skipped"
  fi
else
  echo "  clamscan: not installed (apt-get install clamav), skipped"
fi
if command -v rspamc > /dev/null && rspamc stat > /dev/null 2>&1; then
  peer_time "rspamc (running rspamd, files)" rspamc $(cat "$TMP/peer.lst")
else
  echo "  rspamc: not installed or no running rspamd, skipped"
fi
