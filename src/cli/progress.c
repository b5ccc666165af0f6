/*
 * progress.c - messages done, MB/s and ETA on one self-overwriting line.
 *
 * Drawn on stderr only when it is a terminal; results go to stdout or a file,
 * so progress never mixes with output. The line is cleared before any error
 * message and at the end.
 */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

enum { PROGRESS_INTERVAL_MS = 200 };

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void bw_progress_init(bw_progress *p, int quiet) {
  p->enabled = !quiet && isatty(STDERR_FILENO);
  p->start = p->last = now_seconds();
  p->shown = 0;
}

void bw_progress_update(bw_progress *p, uint64_t messages, int64_t bytes_done, int64_t total) {
  if (!p->enabled) return;
  double t = now_seconds();
  if ((t - p->last) * 1000 < PROGRESS_INTERVAL_MS) return;
  p->last = t;
  double elapsed = t - p->start;
  double mbps = elapsed > 0 ? (double)bytes_done / 1e6 / elapsed : 0;
  fprintf(stderr, "\r\033[K%llu messages, %.1f MB/s", (unsigned long long)messages, mbps);
  if (total > 0 && bytes_done > 0 && bytes_done <= total) {
    double eta = elapsed * (double)(total - bytes_done) / (double)bytes_done;
    fprintf(stderr, ", %.0f%%, ETA %.0fs", 100.0 * (double)bytes_done / (double)total, eta);
  }
  fflush(stderr);
  p->shown = 1;
}

void bw_progress_clear(bw_progress *p) {
  if (!p->enabled || !p->shown) return;
  fputs("\r\033[K", stderr);
  fflush(stderr);
  p->shown = 0;
}
