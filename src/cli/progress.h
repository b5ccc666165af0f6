/*
 * progress.h - the one-line progress display on a terminal's standard error.
 */
#ifndef BW_CLI_PROGRESS_H
#define BW_CLI_PROGRESS_H

#include <stdint.h>

typedef struct bw_progress {
  int enabled;
  double start;
  double last;
  int shown; /* something is on the line and must be cleared */
} bw_progress;

/* Enabled only when stderr is a terminal and not quiet, so pipes and logs stay clean. */
void bw_progress_init(bw_progress *p, int quiet);
/* Redraws at most a few times a second. total < 0 when unknown (no ETA then). */
void bw_progress_update(bw_progress *p, uint64_t messages, int64_t bytes_done, int64_t total);
/* Clears the line before anything else is printed to the terminal. */
void bw_progress_clear(bw_progress *p);

#endif
