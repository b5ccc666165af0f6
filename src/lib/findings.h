/*
 * findings.h - collecting findings during one scan.
 *
 * Every stage (readers' truncation, the MIME view's defects and limits, the
 * detectors) reports through this one sink, so the output and the verdict see
 * a single ordered list. Findings live in the scan's arena.
 */
#ifndef BW_FINDINGS_H
#define BW_FINDINGS_H

#include "beaconwatch.h"
#include "util/arena.h"

typedef struct bw_findings {
  bw_arena *arena;
  bw_ptrvec items; /* bw_finding* in the order reported */
  int oom;         /* set when an allocation failed; the scan then reports BW_ENOMEM */
} bw_findings;

void bw_findings_init(bw_findings *f, bw_arena *arena);

/* Adds a finding with a printf-formatted message; returns it (NULL on OOM). */
bw_finding *bw_findings_add(bw_findings *f, const char *kind, const char *detector,
                            bw_severity severity, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Appends a key/value piece of evidence (both copied into the arena). */
void bw_finding_add_evidence(bw_findings *f, bw_finding *finding, const char *key,
                             const char *value);

/* The common "limit_exceeded" finding: which limit, its value, and what was cut. */
void bw_findings_limit(bw_findings *f, const char *where, const char *limit, size_t value,
                       const char *consequence);

#endif
