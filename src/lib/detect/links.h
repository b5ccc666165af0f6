/*
 * links.h - deceptive links: the visible text shows one site, the link opens another.
 *
 * Each one becomes a `deceptive_link` finding (docs/output.md); the verdict
 * counts it as deception.
 */
#ifndef BW_DETECT_LINKS_H
#define BW_DETECT_LINKS_H

#include "detect/trackers.h"
#include "findings.h"
#include "html/resources.h"
#include "url/url.h"

typedef struct bw_links_ctx {
  const bw_url_ctx *urls;
  const bw_trackers *trackers;
  const char *sender_site; /* registrable domain of the From address, or NULL */
  bw_arena *arena;
  bw_findings *findings;
  const bw_extraction *extraction;
} bw_links_ctx;

int bw_links_detect(const bw_links_ctx *ctx);

#endif
