/*
 * builder.c - collecting normalised indicators and writing the index file.
 *
 * Keys are appended to one pool as they are loaded; strings and meta records
 * (feed, references, attribution) are interned so that millions of
 * indicators from one feed share a single meta record. Serialising builds the
 * open-addressing hash table over the pool in one pass, drops exact
 * duplicates, and writes the sections described in index_format.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "intel/builder.h"
#include "intel/index_format.h"
#include "util/error.h"

typedef struct bytes {
  unsigned char *p;
  size_t len, cap;
} bytes;

/* An interning table: slots hold offsets (+1) into a bytes pool of NUL-free records. */
typedef struct intern {
  uint32_t *slots;
  size_t cap, n;
} intern;

struct bw_intel_builder {
  bw_url_ctx *urls;
  bytes keys;        /* records: varint len, key, varint meta */
  uint32_t *entries; /* offset of each record */
  size_t n_entries, cap_entries;
  bytes strings; /* NUL-terminated; offset 0 is "" */
  intern strings_map;
  bw_intel_meta *metas;
  size_t n_metas, cap_metas;
  intern metas_map;
  uint32_t groups;
};

static int bytes_reserve(bytes *b, size_t more) {
  if (b->len + more <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + more) cap *= 2;
  unsigned char *p = realloc(b->p, cap);
  if (!p) return -1;
  b->p = p;
  b->cap = cap;
  return 0;
}

static int bytes_append(bytes *b, const void *p, size_t n) {
  if (bytes_reserve(b, n)) return -1;
  memcpy(b->p + b->len, p, n);
  b->len += n;
  return 0;
}

static size_t varint_put(unsigned char *out, uint64_t v) {
  size_t n = 0;
  while (v >= 0x80) out[n++] = (unsigned char)(v | 0x80), v >>= 7;
  out[n++] = (unsigned char)v;
  return n;
}

bw_intel_builder *bw_intel_builder_new(void) {
  bw_intel_builder *b = calloc(1, sizeof(*b));
  if (!b) return NULL;
  b->urls = bw_url_ctx_new();
  unsigned char zero = 0;
  if (!b->urls || bytes_append(&b->strings, &zero, 1) || bytes_append(&b->keys, &zero, 1)) {
    bw_intel_builder_free(b);
    return NULL;
  }
  return b;
}

void bw_intel_builder_free(bw_intel_builder *b) {
  if (!b) return;
  bw_url_ctx_free(b->urls);
  free(b->keys.p);
  free(b->entries);
  free(b->strings.p);
  free(b->strings_map.slots);
  free(b->metas);
  free(b->metas_map.slots);
  free(b);
}

const bw_url_ctx *bw_intel_builder_urls(const bw_intel_builder *b) {
  return b->urls;
}

uint32_t bw_intel_builder_new_group(bw_intel_builder *b) {
  return ++b->groups;
}

/* ---- interning ------------------------------------------------------------ */

typedef int (*intern_eq)(const bw_intel_builder *b, uint32_t id, const void *key);
typedef uint64_t (*intern_hash)(const bw_intel_builder *b, uint32_t id);

static int intern_grow(bw_intel_builder *b, intern *m, intern_hash hash) {
  size_t cap = m->cap ? m->cap * 2 : 1024;
  uint32_t *slots = calloc(cap, sizeof(*slots));
  if (!slots) return -1;
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->slots[i]) continue;
    size_t j = hash(b, m->slots[i] - 1) & (cap - 1);
    while (slots[j]) j = (j + 1) & (cap - 1);
    slots[j] = m->slots[i];
  }
  free(m->slots);
  m->slots = slots;
  m->cap = cap;
  return 0;
}

/* Finds key's id in m, or the empty slot where it belongs (*found = 0). */
static uint32_t *intern_find(const bw_intel_builder *b, intern *m, uint64_t h, const void *key,
                             intern_eq eq, int *found) {
  size_t j = h & (m->cap - 1);
  while (m->slots[j]) {
    if (eq(b, m->slots[j] - 1, key)) {
      *found = 1;
      return &m->slots[j];
    }
    j = (j + 1) & (m->cap - 1);
  }
  *found = 0;
  return &m->slots[j];
}

static uint64_t string_hash(const bw_intel_builder *b, uint32_t id) {
  const char *s = (const char *)b->strings.p + id;
  return bw_intel_fnv(BW_INTEL_FNV_SEED, s, strlen(s));
}

static int string_eq(const bw_intel_builder *b, uint32_t id, const void *key) {
  return strcmp((const char *)b->strings.p + id, key) == 0;
}

/* The offset of s in the strings section, adding it once. Returns -1 on failure. */
static int64_t intern_string(bw_intel_builder *b, const char *s) {
  if (!s || !*s) return 0;
  if (b->strings.len > UINT32_MAX - 65536) return -1;
  if ((b->strings_map.n + 1) * 2 > b->strings_map.cap &&
      intern_grow(b, &b->strings_map, string_hash))
    return -1;
  int found;
  uint64_t h = bw_intel_fnv(BW_INTEL_FNV_SEED, s, strlen(s));
  uint32_t *slot = intern_find(b, &b->strings_map, h, s, string_eq, &found);
  if (found) return *slot - 1;
  uint32_t off = (uint32_t)b->strings.len;
  if (bytes_append(&b->strings, s, strlen(s) + 1)) return -1;
  *slot = off + 1;
  b->strings_map.n++;
  return off;
}

static uint64_t meta_hash(const bw_intel_builder *b, uint32_t id) {
  return bw_intel_fnv(BW_INTEL_FNV_SEED, &b->metas[id], sizeof(bw_intel_meta));
}

static int meta_eq(const bw_intel_builder *b, uint32_t id, const void *key) {
  return memcmp(&b->metas[id], key, sizeof(bw_intel_meta)) == 0;
}

static int64_t intern_meta(bw_intel_builder *b, const bw_intel_meta *m) {
  if ((b->metas_map.n + 1) * 2 > b->metas_map.cap && intern_grow(b, &b->metas_map, meta_hash))
    return -1;
  int found;
  uint32_t *slot = intern_find(b, &b->metas_map, bw_intel_fnv(BW_INTEL_FNV_SEED, m, sizeof(*m)), m,
                               meta_eq, &found);
  if (found) return *slot - 1;
  if (b->n_metas == b->cap_metas) {
    size_t cap = b->cap_metas ? b->cap_metas * 2 : 256;
    bw_intel_meta *p = realloc(b->metas, cap * sizeof(*p));
    if (!p) return -1;
    b->metas = p;
    b->cap_metas = cap;
  }
  b->metas[b->n_metas] = *m;
  *slot = (uint32_t)b->n_metas + 1;
  b->metas_map.n++;
  return (int64_t)b->n_metas++;
}

/* ---- adding ---------------------------------------------------------------- */

static int64_t meta_of(bw_intel_builder *b, const bw_intel_source *src) {
  int64_t feed = intern_string(b, src->feed), label = intern_string(b, src->label),
          refs = intern_string(b, src->refs), actors = intern_string(b, src->actors);
  if (feed < 0 || label < 0 || refs < 0 || actors < 0) return -1;
  bw_intel_meta m = {.feed = (uint32_t)feed,
                     .label = (uint32_t)label,
                     .refs = (uint32_t)refs,
                     .actors = (uint32_t)actors,
                     .group = src->group,
                     .n_terms = src->n_terms,
                     .term = src->term};
  return intern_meta(b, &m);
}

int bw_intel_builder_add_key(bw_intel_builder *b, const bw_intel_key *k,
                             const bw_intel_source *src) {
  if (b->n_entries >= BW_INTEL_MAX_KEYS || b->keys.len > UINT32_MAX - 2 * BW_INTEL_MAX_KEY)
    return BW_ELIMIT;
  int64_t meta = meta_of(b, src);
  if (meta < 0) return BW_ENOMEM;
  if (b->n_entries == b->cap_entries) {
    size_t cap = b->cap_entries ? b->cap_entries * 2 : 4096;
    uint32_t *p = realloc(b->entries, cap * sizeof(*p));
    if (!p) return BW_ENOMEM;
    b->entries = p;
    b->cap_entries = cap;
  }
  unsigned char head[10], tail[10];
  size_t nh = varint_put(head, k->len), nt = varint_put(tail, (uint64_t)meta);
  if (bytes_reserve(&b->keys, nh + k->len + nt)) return BW_ENOMEM;
  b->entries[b->n_entries++] = (uint32_t)b->keys.len;
  bytes_append(&b->keys, head, nh);
  bytes_append(&b->keys, k->bytes, k->len);
  bytes_append(&b->keys, tail, nt);
  return BW_OK;
}

void bw_intel_report_skip(bw_intel_report *r, const char *item, const char *reason) {
  if (!r) return;
  r->unsupported++;
  if (r->n_skips >= BW_INTEL_MAX_SKIPS) return;
  if (r->n_skips == r->cap_skips) {
    size_t cap = r->cap_skips ? r->cap_skips * 2 : 64;
    bw_intel_skip *p = realloc(r->skips, cap * sizeof(*p));
    if (!p) return;
    r->skips = p;
    r->cap_skips = cap;
  }
  bw_intel_skip *s = &r->skips[r->n_skips];
  s->item = strndup(item ? item : "", 600);
  s->reason = strdup(reason ? reason : "");
  if (!s->item || !s->reason) {
    free(s->item);
    free(s->reason);
    return;
  }
  for (char *p = s->item; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
  r->n_skips++;
}

int bw_intel_builder_add_value(bw_intel_builder *b, bw_ioc_type type, const char *value, size_t len,
                               const bw_intel_source *src, bw_intel_report *report,
                               const char *item) {
  bw_intel_key k;
  if (!type) type = bw_intel_infer_type(value, len);
  const char *why = bw_intel_key_typed(b->urls, type, value, len, &k);
  if (why) {
    bw_intel_report_skip(report, item, why);
    return BW_OK;
  }
  int rc = bw_intel_builder_add_key(b, &k, src);
  if (rc == BW_OK && report) report->loaded++;
  return rc;
}

void bw_intel_report_init(bw_intel_report *r) {
  memset(r, 0, sizeof(*r));
}

void bw_intel_report_free(bw_intel_report *r) {
  for (size_t i = 0; i < r->n_skips; i++) {
    free(r->skips[i].item);
    free(r->skips[i].reason);
  }
  free(r->skips);
  bw_intel_report_init(r);
}

/* ---- serialising ----------------------------------------------------------- */

typedef struct table {
  uint32_t *slots;
  uint8_t *fp;
  uint64_t n_slots, n_keys;
  uint64_t n_by_type[16];
  uint64_t v4_prefixes;
  uint32_t v6_prefixes[5];
} table;

/* Reads the record at off: its key and meta id. */
static const unsigned char *record_at(const bytes *pool, uint32_t off, size_t *key_len,
                                      uint64_t *meta) {
  const unsigned char *p = pool->p + off;
  uint64_t v = 0;
  int shift = 0;
  while (*p & 0x80) v |= (uint64_t)(*p++ & 0x7f) << shift, shift += 7;
  v |= (uint64_t)*p++ << shift;
  *key_len = (size_t)v;
  const unsigned char *key = p;
  p += v;
  v = 0, shift = 0;
  while (*p & 0x80) v |= (uint64_t)(*p++ & 0x7f) << shift, shift += 7;
  *meta = v | (uint64_t)*p << shift;
  return key;
}

static void note_key(table *t, const unsigned char *key, size_t len) {
  bw_ioc_type type = bw_intel_key_type(key);
  t->n_by_type[type & 15]++;
  if (type == BW_IOC_IPV4 && len == 6) t->v4_prefixes |= 1ull << key[1];
  if (type == BW_IOC_IPV6 && len == 18) t->v6_prefixes[key[1] / 32] |= 1u << (key[1] % 32);
}

/* Inserts every record; an exact duplicate (same key and meta) is left out. */
static int build_table(const bw_intel_builder *b, table *t) {
  memset(t, 0, sizeof(*t));
  t->n_slots = b->n_entries ? b->n_entries + b->n_entries / 2 + 1 : 0;
  t->slots = calloc(t->n_slots ? t->n_slots : 1, sizeof(uint32_t));
  t->fp = calloc(t->n_slots ? t->n_slots : 1, 1);
  if (!t->slots || !t->fp) return BW_ENOMEM;
  for (size_t e = 0; e < b->n_entries; e++) {
    size_t len;
    uint64_t meta;
    const unsigned char *key = record_at(&b->keys, b->entries[e], &len, &meta);
    uint64_t h = bw_intel_key_hash(key, len);
    uint8_t fp = bw_intel_fp_of(h);
    uint64_t i = bw_intel_slot_of(h, t->n_slots);
    int dup = 0;
    for (; t->fp[i]; i = i + 1 == t->n_slots ? 0 : i + 1) {
      if (t->fp[i] != fp) continue;
      size_t olen;
      uint64_t ometa;
      const unsigned char *okey = record_at(&b->keys, t->slots[i], &olen, &ometa);
      if (olen == len && ometa == meta && memcmp(okey, key, len) == 0) {
        dup = 1;
        break;
      }
    }
    if (dup) continue;
    t->fp[i] = fp;
    t->slots[i] = b->entries[e];
    t->n_keys++;
    note_key(t, key, len);
  }
  return BW_OK;
}

typedef int (*sink_fn)(void *ctx, const void *p, size_t n);

static uint64_t align8(uint64_t v) {
  return (v + 7) & ~(uint64_t)7;
}

static void fill_header(const bw_intel_builder *b, const table *t, bw_intel_header *h) {
  memset(h, 0, sizeof(*h));
  memcpy(h->magic, BW_INTEL_MAGIC, BW_INTEL_MAGIC_LEN);
  h->version = BW_INTEL_VERSION;
  h->header_size = sizeof(*h);
  h->n_keys = t->n_keys;
  h->n_slots = t->n_slots;
  h->n_meta = b->n_metas;
  h->slots_off = align8(sizeof(*h));
  h->fp_off = h->slots_off + t->n_slots * 4;
  h->keys_off = align8(h->fp_off + t->n_slots);
  h->keys_len = b->keys.len;
  h->meta_off = align8(h->keys_off + h->keys_len);
  h->strings_off = h->meta_off + b->n_metas * sizeof(bw_intel_meta);
  h->strings_len = b->strings.len;
  h->file_size = h->strings_off + h->strings_len;
  memcpy(h->n_by_type, t->n_by_type, sizeof(h->n_by_type));
  h->v4_prefixes = t->v4_prefixes;
  memcpy(h->v6_prefixes, t->v6_prefixes, sizeof(h->v6_prefixes));
  uint64_t mc = bw_intel_fnv(BW_INTEL_FNV_SEED, h, sizeof(*h));
  mc = bw_intel_fnv(mc, b->metas, b->n_metas * sizeof(bw_intel_meta));
  h->meta_checksum = bw_intel_fnv(mc, b->strings.p, b->strings.len);
  uint64_t bc = bw_intel_fnv(BW_INTEL_FNV_SEED, t->slots, t->n_slots * 4);
  bc = bw_intel_fnv(bc, t->fp, t->n_slots);
  h->body_checksum = bw_intel_fnv(bc, b->keys.p, b->keys.len);
}

/* Writes n zero bytes of padding so the next section starts at `to`. */
static int pad_to(sink_fn sink, void *ctx, uint64_t *at, uint64_t to) {
  static const unsigned char zeros[8];
  int rc = to > *at ? sink(ctx, zeros, (size_t)(to - *at)) : 0;
  *at = to;
  return rc;
}

static int emit(const bw_intel_builder *b, const table *t, const bw_intel_header *h, sink_fn sink,
                void *ctx) {
  uint64_t at = sizeof(*h);
  if (sink(ctx, h, sizeof(*h)) || pad_to(sink, ctx, &at, h->slots_off) ||
      sink(ctx, t->slots, t->n_slots * 4) || sink(ctx, t->fp, t->n_slots))
    return -1;
  at = h->fp_off + t->n_slots;
  if (pad_to(sink, ctx, &at, h->keys_off) || sink(ctx, b->keys.p, b->keys.len)) return -1;
  at = h->keys_off + h->keys_len;
  if (pad_to(sink, ctx, &at, h->meta_off) ||
      sink(ctx, b->metas, b->n_metas * sizeof(bw_intel_meta)) ||
      sink(ctx, b->strings.p, b->strings.len))
    return -1;
  return 0;
}

static int serialize_to(bw_intel_builder *b, sink_fn sink, void *ctx, bw_error *err) {
  table t;
  int rc = build_table(b, &t);
  if (rc == BW_OK) {
    bw_intel_header h;
    fill_header(b, &t, &h);
    if (emit(b, &t, &h, sink, ctx)) rc = bw_error_set(err, BW_EIO, "writing the index failed");
  } else {
    bw_error_set(err, rc, "out of memory building the index table");
  }
  free(t.slots);
  free(t.fp);
  return rc;
}

static int sink_bytes(void *ctx, const void *p, size_t n) {
  return n ? bytes_append(ctx, p, n) : 0;
}

static int sink_file(void *ctx, const void *p, size_t n) {
  return n && fwrite(p, 1, n, ctx) != n ? -1 : 0;
}

int bw_intel_builder_serialize(bw_intel_builder *b, unsigned char **out, size_t *len,
                               bw_error *err) {
  bytes buf = {0};
  int rc = serialize_to(b, sink_bytes, &buf, err);
  if (rc != BW_OK) {
    free(buf.p);
    return rc;
  }
  *out = buf.p;
  *len = buf.len;
  return BW_OK;
}

int bw_intel_builder_write(bw_intel_builder *b, const char *path, bw_error *err) {
  char tmp[4096];
  if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp))
    return bw_error_set(err, BW_EINVAL, "index path too long");
  FILE *f = fopen(tmp, "wb");
  if (!f) return bw_error_set(err, BW_EIO, "%s: %s", tmp, strerror(errno));
  int rc = serialize_to(b, sink_file, f, err);
  if (fclose(f) != 0 && rc == BW_OK) rc = bw_error_set(err, BW_EIO, "%s: %s", tmp, strerror(errno));
  if (rc == BW_OK && rename(tmp, path) != 0)
    rc = bw_error_set(err, BW_EIO, "%s: %s", path, strerror(errno));
  if (rc != BW_OK) unlink(tmp);
  return rc;
}
