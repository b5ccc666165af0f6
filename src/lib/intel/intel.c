/*
 * intel.c - the loaded threat intelligence: indexes, warninglists, lookups.
 *
 * A bw_intel holds any number of compiled indexes (memory-mapped files, or
 * feeds compiled in memory at load) and the warninglists of known-good
 * domains. Lookups turn an observable into the same key the compiler made
 * (keys.c) and ask every index; an IP address is asked once per network
 * prefix length that occurs in the index.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel/builder.h"
#include "intel/index.h"
#include "intel/intel.h"
#include "intel/keys.h"
#include "util/error.h"

#include "intel/warninglist_data.inc"

enum { MAX_INDEXES = 64 };

typedef struct warning_entry {
  char *domain;
  const char *list;
} warning_entry;

struct bw_intel {
  bw_intel_index indexes[MAX_INDEXES];
  size_t n_indexes;
  warning_entry *warnings; /* open addressing, power-of-two capacity */
  size_t n_warnings, cap_warnings;
  char **list_names; /* owned names of added warninglists */
  size_t n_list_names;
};

/* ---- warninglists -------------------------------------------------------- */

static uint64_t text_hash(const char *s) {
  return bw_intel_fnv(BW_INTEL_FNV_SEED, s, strlen(s));
}

static int warnings_grow(bw_intel *in) {
  size_t cap = in->cap_warnings ? in->cap_warnings * 2 : 512;
  warning_entry *w = calloc(cap, sizeof(*w));
  if (!w) return -1;
  for (size_t i = 0; i < in->cap_warnings; i++) {
    if (!in->warnings[i].domain) continue;
    size_t j = text_hash(in->warnings[i].domain) & (cap - 1);
    while (w[j].domain) j = (j + 1) & (cap - 1);
    w[j] = in->warnings[i];
  }
  free(in->warnings);
  in->warnings = w;
  in->cap_warnings = cap;
  return 0;
}

/* The interned copy of a warninglist name. */
static const char *list_name(bw_intel *in, const char *list) {
  if (list == BW_WARNINGLIST_NAME) return list;
  for (size_t i = 0; i < in->n_list_names; i++)
    if (strcmp(in->list_names[i], list) == 0) return in->list_names[i];
  char **p = realloc(in->list_names, (in->n_list_names + 1) * sizeof(*p));
  if (!p) return NULL;
  in->list_names = p;
  if (!(p[in->n_list_names] = strdup(list))) return NULL;
  return p[in->n_list_names++];
}

int bw_intel_add_warning_domain(bw_intel *in, const char *domain, const char *list) {
  bw_intel_key k;
  if (!domain || bw_intel_key_domain(domain, strlen(domain), &k)) return BW_EINVAL;
  char norm[260];
  bw_intel_key_format(k.bytes, k.len, norm, sizeof(norm));
  if (bw_intel_warninglist_of(in, norm)) return BW_OK;
  if ((in->n_warnings + 1) * 2 > in->cap_warnings && warnings_grow(in)) return BW_ENOMEM;
  const char *name = list_name(in, list ? list : "user");
  char *copy = strdup(norm);
  if (!name || !copy) {
    free(copy);
    return BW_ENOMEM;
  }
  size_t j = text_hash(copy) & (in->cap_warnings - 1);
  while (in->warnings[j].domain) j = (j + 1) & (in->cap_warnings - 1);
  in->warnings[j] = (warning_entry){copy, name};
  in->n_warnings++;
  return BW_OK;
}

static const char *warning_exact(const bw_intel *in, const char *domain) {
  if (!in->cap_warnings) return NULL;
  size_t j = text_hash(domain) & (in->cap_warnings - 1);
  for (; in->warnings[j].domain; j = (j + 1) & (in->cap_warnings - 1))
    if (strcmp(in->warnings[j].domain, domain) == 0) return in->warnings[j].list;
  return NULL;
}

const char *bw_intel_warninglist_of(const bw_intel *in, const char *domain) {
  if (!in || !domain) return NULL;
  const char *list = warning_exact(in, domain);
  if (!list && strncmp(domain, "www.", 4) == 0) list = warning_exact(in, domain + 4);
  return list;
}

static int add_bundled_warnings(bw_intel *in) {
  for (size_t i = 0; i < sizeof(BW_WARNING_DOMAINS) / sizeof(BW_WARNING_DOMAINS[0]); i++)
    if (bw_intel_add_warning_domain(in, BW_WARNING_DOMAINS[i], BW_WARNINGLIST_NAME) == BW_ENOMEM)
      return BW_ENOMEM;
  return BW_OK;
}

/* ---- loading ------------------------------------------------------------- */

void bw_intel_free(bw_intel *in) {
  if (!in) return;
  for (size_t i = 0; i < in->n_indexes; i++) bw_intel_index_close(&in->indexes[i]);
  for (size_t i = 0; i < in->cap_warnings; i++) free(in->warnings[i].domain);
  free(in->warnings);
  for (size_t i = 0; i < in->n_list_names; i++) free(in->list_names[i]);
  free(in->list_names);
  free(in);
}

static bw_intel *intel_new(void) {
  bw_intel *in = calloc(1, sizeof(*in));
  if (in && add_bundled_warnings(in) != BW_OK) {
    bw_intel_free(in);
    return NULL;
  }
  return in;
}

int bw_intel_is_index_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return BW_EIO;
  char magic[BW_INTEL_MAGIC_LEN];
  size_t n = fread(magic, 1, sizeof(magic), f);
  fclose(f);
  return n == sizeof(magic) && memcmp(magic, BW_INTEL_MAGIC, sizeof(magic)) == 0;
}

static int add_buffer(bw_intel *in, unsigned char *buf, size_t len, bw_error *err) {
  if (in->n_indexes == MAX_INDEXES) {
    free(buf);
    return bw_error_set(err, BW_ELIMIT, "more than %d intel indexes", MAX_INDEXES);
  }
  int rc = bw_intel_index_open_memory(&in->indexes[in->n_indexes], buf, len, 0, err);
  if (rc != BW_OK) {
    free(buf);
    memset(&in->indexes[in->n_indexes], 0, sizeof(in->indexes[0]));
    return rc;
  }
  in->n_indexes++;
  return BW_OK;
}

int bw_intel_from_buffer(unsigned char *buf, size_t len, bw_intel **out, bw_error *err) {
  *out = NULL;
  bw_intel *in = intel_new();
  if (!in) {
    free(buf);
    return bw_error_set(err, BW_ENOMEM, "out of memory");
  }
  int rc = add_buffer(in, buf, len, err);
  if (rc != BW_OK) {
    bw_intel_free(in);
    return rc;
  }
  *out = in;
  return BW_OK;
}

/* Compiles the feeds among paths in memory into one more index of in. */
static int compile_feeds(bw_intel *in, const char *const *paths, size_t n, bw_intel_report *report,
                         bw_error *err) {
  bw_intel_builder *b = bw_intel_builder_new();
  if (!b) return bw_error_set(err, BW_ENOMEM, "out of memory");
  int rc = BW_OK;
  for (size_t i = 0; i < n && rc == BW_OK; i++)
    if (bw_intel_is_index_file(paths[i]) == 0)
      rc = bw_intel_builder_load_file(b, paths[i], report, err);
  unsigned char *buf = NULL;
  size_t len = 0;
  if (rc == BW_OK) rc = bw_intel_builder_serialize(b, &buf, &len, err);
  bw_intel_builder_free(b);
  return rc == BW_OK ? add_buffer(in, buf, len, err) : rc;
}

static int open_indexes(bw_intel *in, const char *const *paths, size_t n, size_t *n_feeds,
                        bw_error *err) {
  *n_feeds = 0;
  for (size_t i = 0; i < n; i++) {
    int is = bw_intel_is_index_file(paths[i]);
    if (is < 0) return bw_error_set(err, BW_EIO, "%s: %s", paths[i], strerror(errno));
    if (!is) {
      (*n_feeds)++;
      continue;
    }
    if (in->n_indexes == MAX_INDEXES)
      return bw_error_set(err, BW_ELIMIT, "more than %d intel indexes", MAX_INDEXES);
    int rc = bw_intel_index_open_file(&in->indexes[in->n_indexes], paths[i], err);
    if (rc != BW_OK) return rc;
    in->n_indexes++;
  }
  return BW_OK;
}

int bw_intel_load(const char *const *paths, size_t n, bw_intel **out, bw_intel_report *report,
                  bw_error *err) {
  *out = NULL;
  bw_intel *in = intel_new();
  if (!in) return bw_error_set(err, BW_ENOMEM, "out of memory");
  size_t n_feeds;
  int rc = open_indexes(in, paths, n, &n_feeds, err);
  if (rc == BW_OK && n_feeds) rc = compile_feeds(in, paths, n, report, err);
  if (rc != BW_OK) {
    bw_intel_free(in);
    return rc;
  }
  *out = in;
  return BW_OK;
}

int bw_intel_verify(const bw_intel *in, bw_error *err) {
  for (size_t i = 0; i < in->n_indexes; i++) {
    int rc = bw_intel_index_verify(&in->indexes[i], err);
    if (rc != BW_OK) return rc;
  }
  return BW_OK;
}

uint64_t bw_intel_count(const bw_intel *in, bw_ioc_type type) {
  uint64_t n = 0;
  for (size_t i = 0; in && i < in->n_indexes; i++)
    n += type ? in->indexes[i].h.n_by_type[type & 15] : in->indexes[i].h.n_keys;
  return n;
}

/* ---- lookups ------------------------------------------------------------- */

typedef struct lookup_ctx {
  bw_intel_hit_fn fn;
  void *ctx;
} lookup_ctx;

static int deliver(const bw_intel_index *x, const bw_intel_record *r, void *p) {
  lookup_ctx *lc = p;
  char value[BW_INTEL_MAX_VALUE_TEXT];
  bw_intel_key_format(r->key, r->key_len, value, sizeof(value));
  bw_intel_hit hit = {.type = bw_intel_key_type(r->key),
                      .value = value,
                      .feed = bw_intel_index_string(x, r->meta.feed),
                      .label = bw_intel_index_string(x, r->meta.label),
                      .refs = bw_intel_index_string(x, r->meta.refs),
                      .actors = bw_intel_index_string(x, r->meta.actors),
                      .group = r->meta.group,
                      .n_terms = r->meta.n_terms,
                      .term = r->meta.term};
  return lc->fn(&hit, lc->ctx);
}

static int find_all(const bw_intel *in, const unsigned char *key, size_t len, lookup_ctx *lc) {
  for (size_t i = 0; in && i < in->n_indexes; i++) {
    int rc = bw_intel_index_find(&in->indexes[i], key, len, deliver, lc);
    if (rc) return rc;
  }
  return 0;
}

int bw_intel_lookup_domain(const bw_intel *in, const char *host, bw_intel_hit_fn fn, void *ctx) {
  bw_intel_key k;
  if (!host || bw_intel_key_domain(host, strlen(host), &k)) return 0;
  lookup_ctx lc = {fn, ctx};
  /* k.bytes = type, name; each parent is the same bytes with a shorter name. */
  unsigned char *name = k.bytes + 1;
  size_t len = k.len - 1;
  while (memchr(name, '.', len)) {
    k.bytes[name - k.bytes - 1] = BW_IOC_DOMAIN;
    int rc = find_all(in, name - 1, len + 1, &lc);
    if (rc) return rc;
    unsigned char *dot = memchr(name, '.', len);
    len -= (size_t)(dot + 1 - name);
    name = dot + 1;
  }
  return 0;
}

static int lookup_key(const bw_intel *in, const bw_intel_key *k, bw_intel_hit_fn fn, void *ctx) {
  lookup_ctx lc = {fn, ctx};
  return find_all(in, k->bytes, k->len, &lc);
}

int bw_intel_lookup_url(const bw_intel *in, const char *normalized, bw_intel_hit_fn fn, void *ctx) {
  bw_intel_key k;
  if (!normalized || bw_intel_key_url_normalized(normalized, &k)) return 0;
  return lookup_key(in, &k, fn, ctx);
}

int bw_intel_lookup_email(const bw_intel *in, const char *address, bw_intel_hit_fn fn, void *ctx) {
  bw_intel_key k;
  if (!address || bw_intel_key_email(address, strlen(address), &k)) return 0;
  return lookup_key(in, &k, fn, ctx);
}

int bw_intel_lookup_subject(const bw_intel *in, const char *subject, bw_intel_hit_fn fn,
                            void *ctx) {
  bw_intel_key k;
  if (!subject || bw_intel_key_subject(subject, strlen(subject), &k)) return 0;
  return lookup_key(in, &k, fn, ctx);
}

int bw_intel_lookup_hash(const bw_intel *in, const char *hex, bw_intel_hit_fn fn, void *ctx) {
  bw_intel_key k;
  if (!hex || !*hex || bw_intel_key_filehash(hex, strlen(hex), &k)) return 0;
  return lookup_key(in, &k, fn, ctx);
}

static int prefix_in_use(const bw_intel_index *x, int v4, int p) {
  if (v4) return (x->h.v4_prefixes >> p) & 1;
  return (x->h.v6_prefixes[p / 32] >> (p % 32)) & 1;
}

/* Looks an exact address (k: type, max prefix, address) up under each prefix in use. */
static int lookup_networks(const bw_intel *in, bw_intel_key *k, lookup_ctx *lc) {
  int v4 = bw_intel_key_type(k->bytes) == BW_IOC_IPV4, bits = v4 ? 32 : 128;
  unsigned char addr[16];
  memcpy(addr, k->bytes + 2, (size_t)bits / 8);
  for (size_t i = 0; in && i < in->n_indexes; i++) {
    const bw_intel_index *x = &in->indexes[i];
    for (int p = bits; p >= 0; p--) {
      if (!prefix_in_use(x, v4, p)) continue;
      bw_intel_key net = *k;
      net.bytes[1] = (unsigned char)p;
      for (int b = 0; b < bits / 8; b++) {
        int keep = p - b * 8;
        net.bytes[2 + b] = keep >= 8 ? addr[b] : keep <= 0 ? 0 : addr[b] & (0xff << (8 - keep));
      }
      int rc = bw_intel_index_find(x, net.bytes, net.len, deliver, lc);
      if (rc) return rc;
    }
  }
  return 0;
}

int bw_intel_lookup_ip(const bw_intel *in, const char *ip, bw_intel_hit_fn fn, void *ctx) {
  bw_intel_key k;
  if (!ip || strchr(ip, '/') || bw_intel_key_ip(ip, strlen(ip), &k)) return 0;
  lookup_ctx lc = {fn, ctx};
  return lookup_networks(in, &k, &lc);
}

int bw_intel_lookup_any(const bw_intel *in, const char *value, bw_intel_hit_fn fn, void *ctx) {
  size_t len = strlen(value);
  bw_ioc_type t = bw_intel_infer_type(value, len);
  switch (t) {
  case BW_IOC_DOMAIN:
    return bw_intel_lookup_domain(in, value, fn, ctx);
  case BW_IOC_IPV4:
  case BW_IOC_IPV6:
    if (!strchr(value, '/')) return bw_intel_lookup_ip(in, value, fn, ctx);
    break;
  case BW_IOC_EMAIL:
    return bw_intel_lookup_email(in, value, fn, ctx);
  case BW_IOC_MD5:
  case BW_IOC_SHA1:
  case BW_IOC_SHA256:
    return bw_intel_lookup_hash(in, value, fn, ctx);
  default:
    break;
  }
  bw_url_ctx *urls = bw_url_ctx_new();
  bw_intel_key k;
  const char *why = urls ? bw_intel_key_typed(urls, t, value, len, &k) : "no URL context";
  bw_url_ctx_free(urls);
  return why ? 0 : lookup_key(in, &k, fn, ctx);
}
