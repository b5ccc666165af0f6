/*
 * scan.h - the engine and the result of one scan, shared by the pipeline
 * stages and the output formatters inside the library.
 */
#ifndef BW_SCAN_H
#define BW_SCAN_H

#include "beaconwatch.h"
#include "detect/beacon.h"
#include "detect/trackers.h"
#include "findings.h"
#include "html/resources.h"
#include "mime/view.h"
#include "url/url.h"
#include "util/arena.h"

struct bw_engine {
  bw_config cfg;
  bw_url_ctx *urls;
  bw_trackers *trackers; /* the bundled tracker-vendor rules, compiled */
};

struct bw_result {
  bw_arena arena;
  bw_locator locator;
  const char *recipient; /* the address beacons are checked against, or NULL */
  const char *recipient_source; /* "option", "delivered-to", "x-original-to", "to", "cc" */
  bw_view view;
  bw_extraction extraction;
  bw_ptrvec beacons; /* bw_beacon*, opens first, then clicks */
  bw_findings findings;
  bw_verdict verdict;
  int score;
};

/* Derives verdict and score from the findings (verdict.c). */
void bw_verdict_decide(bw_result *r);

#endif
