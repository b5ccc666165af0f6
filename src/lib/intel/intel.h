/*
 * intel.h - threat intelligence: feeds, the compiled index, lookups and matching.
 *
 * Analysts hand beaconwatch indicators as STIX 2.1 bundles, MISP events and
 * plain lists. Loaders turn each feed into normalised keys in a builder (and
 * report every item they cannot use, with the reason); the builder writes one
 * compact index file that is memory-mapped read-only at load, so millions of
 * indicators cost no parse time and little memory per scanning process. The
 * matcher (match.c) looks up every observable of a message in the index.
 */
#ifndef BW_INTEL_H
#define BW_INTEL_H

#include <stddef.h>
#include <stdint.h>

#include "beaconwatch.h"

/* What an indicator is; the numbers are stored in index files (never reuse one). */
typedef enum bw_ioc_type {
  BW_IOC_DOMAIN = 1,
  BW_IOC_URL = 2,
  BW_IOC_IPV4 = 3, /* an address or a CIDR network */
  BW_IOC_IPV6 = 4,
  BW_IOC_EMAIL = 5,
  BW_IOC_SUBJECT = 6,
  BW_IOC_MD5 = 7,
  BW_IOC_SHA1 = 8,
  BW_IOC_SHA256 = 9
} bw_ioc_type;
enum { BW_IOC_TYPE_MAX = 9 };

/* "domain", "url", "ipv4", "ipv6", "email", "subject", "md5", "sha1", "sha256". */
const char *bw_ioc_type_name(bw_ioc_type t);

/* ---- loading feeds ------------------------------------------------------- */

/* One item a loader could not use and why. */
typedef struct bw_intel_skip {
  char *item;   /* where and what ("file:12: foo", "indicator--…: [x509-certificate:…]") */
  char *reason; /* why it is not supported */
} bw_intel_skip;

/*
 * What loading one or more feeds produced. `loaded` counts indicator values
 * added to the index; `unsupported` counts values reported in `skips`. Only
 * the first BW_INTEL_MAX_SKIPS skips are kept; `unsupported` still counts all.
 */
typedef struct bw_intel_report {
  size_t loaded;
  size_t unsupported;
  bw_intel_skip *skips;
  size_t n_skips, cap_skips;
} bw_intel_report;
enum { BW_INTEL_MAX_SKIPS = 100000 };

void bw_intel_report_init(bw_intel_report *r);
void bw_intel_report_free(bw_intel_report *r);

typedef struct bw_intel_builder bw_intel_builder;

bw_intel_builder *bw_intel_builder_new(void);
void bw_intel_builder_free(bw_intel_builder *b);

/*
 * Loads one feed file into the builder. The format is detected from the
 * content: a JSON object with "type":"bundle" (STIX 2.1), a MISP event (or a
 * list of them), else a plain list or CSV. Unusable items go to report.
 * Returns BW_OK, or an error for a file that cannot be read or is not a feed.
 */
int bw_intel_builder_load_file(bw_intel_builder *b, const char *path, bw_intel_report *report,
                               bw_error *err);
/* The same for a feed already in memory; `name` is the feed name (a path's base name). */
int bw_intel_builder_load_buffer(bw_intel_builder *b, const char *name, const char *data,
                                 size_t len, bw_intel_report *report, bw_error *err);

/* Serialises the index (see docs/intel.md, "Index format") into a malloc'd buffer. */
int bw_intel_builder_serialize(bw_intel_builder *b, unsigned char **out, size_t *len,
                               bw_error *err);
/* Writes the index file atomically (a temporary file renamed over path). */
int bw_intel_builder_write(bw_intel_builder *b, const char *path, bw_error *err);

/* ---- the loaded intelligence --------------------------------------------- */

typedef struct bw_intel bw_intel;

/*
 * Loads indexes and feeds: each path that starts with the index magic is
 * memory-mapped; all other paths are feeds compiled together in memory.
 * report (may be NULL) receives what the feeds' loaders skipped.
 */
int bw_intel_load(const char *const *paths, size_t n, bw_intel **out, bw_intel_report *report,
                  bw_error *err);
/* Wraps a serialised index in memory (takes ownership of the malloc'd buf). */
int bw_intel_from_buffer(unsigned char *buf, size_t len, bw_intel **out, bw_error *err);
void bw_intel_free(bw_intel *in);

/* 1 when the file at path starts with the index magic, 0 when not, <0 on I/O error. */
int bw_intel_is_index_file(const char *path);

/*
 * Checks a whole index: the header, every section's bounds and the checksum
 * over the body (which loading skips to stay fast; lookups bounds-check every
 * read instead). Returns BW_OK or BW_EFORMAT with the reason in err.
 */
int bw_intel_verify(const bw_intel *in, bw_error *err);

/* Number of indicators (keys) over all loaded indexes; per type when type != 0. */
uint64_t bw_intel_count(const bw_intel *in, bw_ioc_type type);

/*
 * Adds a known-good domain to a warninglist: hits on an indicator for exactly
 * this domain (or www.domain, or an address at it) are suppressed and shown as
 * `intel_suppressed`. `list` names the warninglist ("identity-registry").
 */
int bw_intel_add_warning_domain(bw_intel *in, const char *domain, const char *list);
/* The warninglist that holds domain (exactly, or www.domain), or NULL. */
const char *bw_intel_warninglist_of(const bw_intel *in, const char *domain);

/* ---- lookups ------------------------------------------------------------- */

/* One indicator found in the index. Strings live as long as the bw_intel. */
typedef struct bw_intel_hit {
  bw_ioc_type type;
  const char *value;  /* the indicator as stored (normalised), NUL-terminated */
  const char *feed;   /* feed name */
  const char *label;  /* the indicator's id or name in its feed, "" when none */
  const char *refs;   /* references, newline-separated, "" when none */
  const char *actors; /* attribution, newline-separated "kind:name" entries, "" when none */
  uint32_t group;     /* non-zero: one term of an AND of n_terms comparisons */
  uint16_t n_terms, term;
} bw_intel_hit;

/* Called for each hit; a non-zero return stops the lookup and is returned by it. */
typedef int (*bw_intel_hit_fn)(const bw_intel_hit *hit, void *ctx);

/* Looks up a host name: itself and each parent domain of two labels or more. */
int bw_intel_lookup_domain(const bw_intel *in, const char *host, bw_intel_hit_fn fn, void *ctx);
/* Looks up a URL already normalised by bw_url_parse (its `normalized` field). */
int bw_intel_lookup_url(const bw_intel *in, const char *normalized, bw_intel_hit_fn fn, void *ctx);
/* Looks up an IPv4 or IPv6 address in text form against addresses and networks. */
int bw_intel_lookup_ip(const bw_intel *in, const char *ip, bw_intel_hit_fn fn, void *ctx);
int bw_intel_lookup_email(const bw_intel *in, const char *address, bw_intel_hit_fn fn, void *ctx);
int bw_intel_lookup_subject(const bw_intel *in, const char *subject, bw_intel_hit_fn fn, void *ctx);
/* A hash in hex; its length says which kind (32 MD5, 40 SHA-1, 64 SHA-256). */
int bw_intel_lookup_hash(const bw_intel *in, const char *hex, bw_intel_hit_fn fn, void *ctx);
/* Looks a value up as whatever type it reads as (the `intel lookup` command). */
int bw_intel_lookup_any(const bw_intel *in, const char *value, bw_intel_hit_fn fn, void *ctx);

#endif
