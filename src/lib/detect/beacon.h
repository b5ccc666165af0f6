/*
 * beacon.h - what opening or clicking a message reveals, and to whom.
 *
 * The beacon detector turns the resources and links of a message into
 * beacons: URLs whose request tells a third party that this message was
 * opened (or a link clicked), and often by whom. Each beacon keeps the
 * signals that convinced the detector, so the output can explain itself.
 */
#ifndef BW_DETECT_BEACON_H
#define BW_DETECT_BEACON_H

#include "findings.h"
#include "detect/trackers.h"
#include "html/resources.h"
#include "mime/view.h"
#include "url/url.h"

typedef struct bw_beacon_signal {
  const char *signal;     /* "recipient_token", "opaque_id", "tiny", "hidden", "third_party_no_size",
                             "css", "sole_resource_from_host", "same_host_as_beacon", "redirector" */
  const char *detail;     /* plain words */
  const char *token;      /* the matched token, or NULL */
  const char *decodes_to; /* what the token decodes to (the address), or NULL */
} bw_beacon_signal;

typedef struct bw_beacon {
  const bw_url *url;
  const char *part;
  const char *trigger; /* "open" or "click" */
  const char *kind;    /* the resource kind or "link" */
  const char *vendor;  /* known tracker vendor, or NULL */
  int identifies_recipient;
  const char *token_encoding; /* md5, base64, raw, uuid, hexid, base62, ... or NULL */
  const char *recipient;      /* the address the token encodes, when known */
  double confidence;          /* 0..1 */
  bw_beacon_signal *signals;
  size_t n_signals;
} bw_beacon;

typedef struct bw_beacon_ctx {
  const bw_url_ctx *urls;
  const bw_trackers *trackers;
  bw_arena *arena;
  bw_findings *findings;
  const bw_view *view;
  const bw_extraction *extraction;
  const char *forced_recipient; /* --recipient, or NULL */
  bw_ptrvec *out;               /* bw_beacon* */
} bw_beacon_ctx;

int bw_beacons_detect(bw_beacon_ctx *ctx);

#endif
