/*
 * engine.c - building the shared, read-only engine.
 *
 * Everything that is costly to prepare (GMime's global state, the public
 * suffix list, the compiled tracker rules, the identity registry) is loaded once here, so
 * that bw_scan() does no set-up work and any number of threads can scan with the same engine.
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
  *cfg = (bw_config){0}; /* no user identities, no trusted authserv-ids, no intel */
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

/* The protected identities (built-in plus the user's file) and their look-alike index. */
static int load_identities(bw_engine *e, bw_error *err) {
  int rc = bw_registry_new_default(&e->registry, err);
  if (rc == BW_OK && e->cfg.identities_path)
    rc = bw_registry_merge_file(e->registry, e->cfg.identities_path, err);
  if (rc == BW_OK) rc = bw_lookalike_index_new(e->registry, &e->lookalikes, err);
  return rc;
}

/*
 * The protected identities' own domains are a warninglist: a feed that lists
 * bbc.co.uk (say, because an attacker once abused a redirect there) must not
 * turn every real BBC newsletter into an attributed espionage hit.
 */
static int trust_registry_domains(bw_engine *e, bw_error *err) {
  for (size_t i = 0; i < bw_registry_count(e->registry); i++) {
    const bw_identity *id = bw_registry_at(e->registry, i);
    for (size_t d = 0; d < id->n_domains; d++)
      if (bw_intel_add_warning_domain(e->intel, id->domains[d], "identity-registry") != BW_OK)
        return bw_error_set(err, BW_ENOMEM, "out of memory building the warninglists");
  }
  return BW_OK;
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
  int rc = load_identities(e, err);
  if (rc != BW_OK) {
    bw_engine_free(e);
    return rc;
  }
  if (e->cfg.n_intel_paths) {
    int irc = bw_intel_load(e->cfg.intel_paths, e->cfg.n_intel_paths, &e->intel, NULL, err);
    if (irc == BW_OK) irc = trust_registry_domains(e, err);
    if (irc != BW_OK) {
      bw_engine_free(e);
      return irc;
    }
  }
  *out = e;
  return BW_OK;
}

void bw_engine_free(bw_engine *e) {
  if (!e) return;
  bw_url_ctx_free(e->urls);
  bw_trackers_free(e->trackers);
  bw_intel_free(e->intel);
  bw_lookalike_index_free(e->lookalikes);
  bw_registry_free(e->registry);
  free(e);
}
