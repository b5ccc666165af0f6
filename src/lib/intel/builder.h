/*
 * builder.h - what the feed loaders use to add indicators to an index being built.
 */
#ifndef BW_INTEL_BUILDER_H
#define BW_INTEL_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "intel/intel.h"
#include "intel/keys.h"
#include "url/url.h"

/* Where an indicator came from; strings are copied (interned) by the builder. */
typedef struct bw_intel_source {
  const char *feed;
  const char *label;  /* id or name within the feed, or NULL */
  const char *refs;   /* newline-separated references, or NULL */
  const char *actors; /* newline-separated "kind:name" attributions, or NULL */
  uint32_t group;     /* 0, or an AND-group from bw_intel_builder_new_group */
  uint16_t n_terms, term;
} bw_intel_source;

enum {
  BW_INTEL_MAX_KEYS = 100000000,     /* indicators in one index */
  BW_INTEL_MAX_FEED_BYTES = 1u << 30 /* size of one feed file */
};

const bw_url_ctx *bw_intel_builder_urls(const bw_intel_builder *b);
uint32_t bw_intel_builder_new_group(bw_intel_builder *b);

/* Adds a normalised key; returns BW_OK, BW_ENOMEM or BW_ELIMIT. */
int bw_intel_builder_add_key(bw_intel_builder *b, const bw_intel_key *k,
                             const bw_intel_source *src);

/*
 * Normalises value as type (0: inferred) and adds it, or records it in report
 * as unsupported with the reason. `item` says where the value was found.
 * Returns BW_OK (also when the value was only reported) or BW_ENOMEM/BW_ELIMIT.
 */
int bw_intel_builder_add_value(bw_intel_builder *b, bw_ioc_type type, const char *value, size_t len,
                               const bw_intel_source *src, bw_intel_report *report,
                               const char *item);

/* Records an unsupported item (item and reason are copied). */
void bw_intel_report_skip(bw_intel_report *r, const char *item, const char *reason);

/* Attribution text of one indicator: "kind:name" lines, deduplicated, names resolved. */
typedef struct bw_intel_names {
  char text[2048];
  size_t len;
} bw_intel_names;

/*
 * Adds an attribution. A name the actor knowledge base knows becomes
 * "actor:CANONICAL"; others keep kind ("actor", "campaign", "malware").
 */
void bw_intel_names_add(bw_intel_names *n, const char *kind, const char *name);
/* The MISP attribute type name as an indicator type, or 0 when not supported. */
bw_ioc_type bw_intel_misp_type(const char *type);
/* Adds the actor of every misp-galaxy:threat-actor="X" (and similar) tag in text. */
void bw_intel_names_from_tags(bw_intel_names *n, const char *text);

/* The feed loaders (feed_*.c); each returns BW_OK or BW_EFORMAT/BW_ENOMEM with err set. */
int bw_intel_load_stix(bw_intel_builder *b, const char *feed, json_t *root, bw_intel_report *report,
                       bw_error *err);
/* Returns BW_EFORMAT when root holds no MISP event. */
int bw_intel_load_misp(bw_intel_builder *b, const char *feed, json_t *root, bw_intel_report *report,
                       bw_error *err);
int bw_intel_load_list(bw_intel_builder *b, const char *feed, const char *data, size_t len,
                       bw_intel_report *report, bw_error *err);

#endif
