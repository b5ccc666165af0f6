/*
 * engine.c - building the shared, read-only engine.
 *
 * Everything that is costly to prepare (GMime's global state, the public
 * suffix list, the compiled tracker rules) is loaded once here, so that bw_scan() does no set-up work and
 * any number of threads can scan with the same engine.
 */
#include <gmime/gmime.h>
#include <pthread.h>
#include <stdlib.h>

#include "scan.h"
#include "util/error.h"

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

/* GMime keeps process-wide tables (charsets, iconv cache); initialise them exactly once. */
static void init_gmime(void) {
  g_mime_init();
}

void bw_config_init(bw_config *cfg) {
  cfg->limits.max_message_bytes = 64u << 20;
  cfg->limits.max_header_bytes = 1u << 20;
  cfg->limits.max_depth = 32;
  cfg->limits.max_parts = 1000;
  cfg->limits.max_decoded_bytes = 128u << 20;
  cfg->limits.max_html_bytes = 16u << 20;
  cfg->limits.max_urls = 10000;
}

/* Zero means "default" for every limit. */
static void apply_default_limits(bw_limits *l) {
  bw_config d;
  bw_config_init(&d);
  if (!l->max_message_bytes) l->max_message_bytes = d.limits.max_message_bytes;
  if (!l->max_header_bytes) l->max_header_bytes = d.limits.max_header_bytes;
  if (!l->max_depth) l->max_depth = d.limits.max_depth;
  if (!l->max_parts) l->max_parts = d.limits.max_parts;
  if (!l->max_decoded_bytes) l->max_decoded_bytes = d.limits.max_decoded_bytes;
  if (!l->max_html_bytes) l->max_html_bytes = d.limits.max_html_bytes;
  if (!l->max_urls) l->max_urls = d.limits.max_urls;
}

int bw_engine_new(const bw_config *cfg, bw_engine **out, bw_error *err) {
  *out = NULL;
  pthread_once(&gmime_once, init_gmime);
  bw_engine *e = calloc(1, sizeof(*e));
  if (!e) return bw_error_set(err, BW_ENOMEM, "out of memory creating the engine");
  if (cfg) e->cfg = *cfg;
  else bw_config_init(&e->cfg);
  apply_default_limits(&e->cfg.limits);
  e->urls = bw_url_ctx_new();
  if (!e->urls) {
    free(e);
    return bw_error_set(err, BW_EINTERNAL, "could not load the public suffix list (libpsl)");
  }
  e->trackers = bw_trackers_new();
  if (!e->trackers) {
    bw_engine_free(e);
    return bw_error_set(err, BW_ENOMEM, "out of memory compiling the tracker rules");
  }
  *out = e;
  return BW_OK;
}

void bw_engine_free(bw_engine *e) {
  if (!e) return;
  bw_url_ctx_free(e->urls);
  bw_trackers_free(e->trackers);
  free(e);
}
