/*
 * scan.c - one message through the pipeline: view -> resources -> beacons -> identity -> verdict.
 *
 * Each stage reads only what the previous one produced. All memory of a scan
 * comes from the result's arena, so freeing the result frees everything and
 * error paths need no clean-up of their own.
 */
#include <stdlib.h>
#include <string.h>

#include "intel/match.h"
#include "detect/links.h"
#include "scan.h"
#include "util/error.h"

/* The recipient a beacon would identify: the option, else the delivery headers, else To/Cc. */
static void choose_recipient(bw_result *r, const char *forced) {
  if (forced) {
    r->recipient = bw_arena_strdup(&r->arena, forced);
    r->recipient_source = "option";
    return;
  }
  const struct {
    const bw_address_list *list;
    const char *source;
  } order[] = {{&r->view.delivered_to, "delivered-to"},
               {&r->view.x_original_to, "x-original-to"},
               {&r->view.to, "to"},
               {&r->view.cc, "cc"}};
  for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
    if (order[i].list->n && order[i].list->items[0].address) {
      r->recipient = order[i].list->items[0].address;
      r->recipient_source = order[i].source;
      return;
    }
  }
}

static void copy_locator(bw_result *r, const bw_locator *loc) {
  r->locator.path = bw_arena_strdup(&r->arena, loc->path);
  r->locator.index = loc->path ? loc->index : -1;
  r->locator.offset = loc->path ? loc->offset : -1;
}

/*
 * Security teams receive suspect mail forwarded as an attachment, so the sender
 * that matters is the forwarded message's, not the colleague's who forwarded it.
 * Each embedded message's sender is judged as the outer one is; its findings
 * name the part they concern.
 */
enum { MAX_FORWARDED = 8 };

static int judge_forwarded(bw_result *r, const bw_identity_ctx *outer) {
  for (size_t i = 0; i < r->view.n_parts && r->embedded.len < MAX_FORWARDED; i++) {
    const bw_part *p = r->view.parts[i];
    if (!p->embedded || !p->embedded->n_parts) continue;
    bw_embedded *em = bw_arena_calloc(&r->arena, 1, sizeof(*em));
    if (!em || bw_ptrvec_push(&r->arena, &r->embedded, em) != 0) return BW_ENOMEM;
    em->part = p;
    bw_identity_ctx ic = *outer;
    ic.view = p->embedded;
    size_t before = r->findings.items.len;
    int rc = bw_identity_detect(&ic, &em->identity);
    if (rc != BW_OK) return rc;
    for (size_t k = before; k < r->findings.items.len; k++) {
      bw_finding *f = r->findings.items.items[k];
      if (!f->where) f->where = p->id;
    }
  }
  return BW_OK;
}

static int run_pipeline(const bw_engine *e, bw_result *r, const char *msg, size_t len,
                        const bw_scan_opts *opts) {
  const bw_limits *limits = &e->cfg.limits;
  if (opts && opts->truncated)
    bw_findings_limit(&r->findings, NULL, "message-bytes", limits->max_message_bytes,
                      "the message was cut at this size by the reader");
  if (len > limits->max_message_bytes) {
    bw_findings_limit(&r->findings, NULL, "message-bytes", limits->max_message_bytes,
                      "only the first part of the message was scanned");
    len = limits->max_message_bytes;
  }
  int rc = bw_view_build(&r->view, msg, len, limits, &r->arena, &r->findings);
  if (rc != BW_OK) return rc;
  choose_recipient(r, opts ? opts->recipient : NULL);
  bw_extract_ctx x = {.urls = e->urls, .limits = limits, .arena = &r->arena,
                      .findings = &r->findings, .out = &r->extraction};
  rc = bw_extract_view(&x, &r->view);
  if (rc != BW_OK) return rc;
  bw_beacon_ctx bc = {.urls = e->urls, .trackers = e->trackers, .arena = &r->arena, .findings = &r->findings, .view = &r->view,
                      .extraction = &r->extraction, .forced_recipient = opts ? opts->recipient : NULL,
                      .out = &r->beacons};
  unsigned skip = e->cfg.skip_detectors;
  const bw_address_list *from = &r->view.from;
  bw_links_ctx lc = {.urls = e->urls, .trackers = e->trackers, .arena = &r->arena,
                     .findings = &r->findings, .extraction = &r->extraction,
                     .sender_site = from->n && from->items[0].domain
                                        ? bw_url_registrable_domain(e->urls, &r->arena,
                                                                    from->items[0].domain)
                                        : NULL};
  rc = skip & BW_DETECTOR_BEACONS ? BW_OK : bw_beacons_detect(&bc);
  if (rc == BW_OK && !(skip & BW_DETECTOR_BEACONS)) rc = bw_links_detect(&lc);
  if (rc != BW_OK) return rc;
  rc = skip & BW_DETECTOR_INTEL
           ? BW_OK
           : bw_intel_match_message(e->intel, &r->view, &r->extraction, &r->findings, &r->arena);
  if (rc != BW_OK) return rc;
  bw_identity_ctx ic = {.registry = e->registry, .lookalikes = e->lookalikes, .urls = e->urls,
                        .arena = &r->arena, .findings = &r->findings, .view = &r->view,
                        .extraction = &r->extraction, .beacons = &r->beacons,
                        .trusted_authserv_ids = e->cfg.trusted_authserv_ids,
                        .n_trusted = e->cfg.n_trusted_authserv_ids};
  rc = skip & BW_DETECTOR_IDENTITY ? BW_OK : bw_identity_detect(&ic, &r->identity);
  if (rc == BW_OK && !(skip & BW_DETECTOR_IDENTITY)) rc = judge_forwarded(r, &ic);
  if (rc != BW_OK) return rc;
  bw_verdict_decide(r);
  return r->findings.oom ? BW_ENOMEM : BW_OK;
}

int bw_scan(const bw_engine *e, const char *msg, size_t len, const bw_scan_opts *opts,
            bw_result **out, bw_error *err) {
  *out = NULL;
  if (!e || (!msg && len)) return bw_error_set(err, BW_EINVAL, "bw_scan: no engine or no message");
  bw_result *r = calloc(1, sizeof(*r));
  if (!r) return bw_error_set(err, BW_ENOMEM, "out of memory");
  bw_arena_init(&r->arena);
  bw_findings_init(&r->findings, &r->arena);
  if (opts) copy_locator(r, &opts->locator);
  else r->locator.index = r->locator.offset = -1;
  int rc = run_pipeline(e, r, msg ? msg : "", len, opts);
  if (rc != BW_OK) {
    bw_result_free(r);
    return bw_error_set(err, rc, "scan failed: %s", bw_status_name(rc));
  }
  *out = r;
  return BW_OK;
}

bw_verdict bw_result_verdict(const bw_result *r) {
  return r->verdict;
}

int bw_result_score(const bw_result *r) {
  return r->score;
}

const bw_finding *const *bw_result_findings(const bw_result *r, size_t *n) {
  *n = r->findings.items.len;
  return (const bw_finding *const *)r->findings.items.items;
}

const bw_locator *bw_result_locator(const bw_result *r) {
  return &r->locator;
}

void bw_result_free(bw_result *r) {
  if (!r) return;
  bw_arena_free(&r->arena);
  free(r);
}
