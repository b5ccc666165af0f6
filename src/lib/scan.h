/*
 * scan.h - the engine and the result of one scan, shared by the pipeline
 * stages and the output formatters inside the library.
 */
#ifndef BW_SCAN_H
#define BW_SCAN_H

#include "beaconwatch.h"
#include "detect/beacon.h"
#include "detect/identity.h"
#include "detect/lookalike.h"
#include "detect/trackers.h"
#include "findings.h"
#include "html/resources.h"
#include "intel/intel.h"
#include "mime/view.h"
#include "url/url.h"
#include "util/arena.h"

struct bw_engine {
  bw_config cfg;
  bw_url_ctx *urls;
  bw_trackers *trackers; /* the bundled tracker-vendor rules, compiled */
  bw_intel *intel;       /* threat-intel indexes from cfg.intel_paths, or NULL */
  bw_registry *registry; /* protected identities: built-in merged with cfg.identities_path */
  bw_lookalike_index *lookalikes; /* the registry's domains prepared for look-alike checks */
};

/* A message forwarded as an attachment (message/rfc822) and what its sender claims. */
typedef struct bw_embedded {
  const bw_part *part;
  bw_identity_result identity;
} bw_embedded;

struct bw_result {
  bw_arena arena;
  bw_locator locator;
  const char *recipient; /* the address beacons are checked against, or NULL */
  const char *recipient_source; /* "option", "delivered-to", "x-original-to", "to", "cc" */
  bw_view view;
  bw_extraction extraction;
  bw_ptrvec beacons; /* bw_beacon*, opens first, then clicks */
  bw_findings findings;
  bw_identity_result identity; /* who the sender claims to be and whether it holds */
  bw_ptrvec embedded;          /* bw_embedded*: forwarded messages and their senders' identity */
  bw_verdict verdict;
  int score;
  bw_ptrvec verdict_reasons; /* const char*: why the verdict, in plain words */
};

/* Derives verdict, score and reasons from the identity result, beacons and findings (verdict.c). */
void bw_verdict_decide(bw_result *r);

#endif
