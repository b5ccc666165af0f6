/*
 * registry.c - the protected-identity registry: the compiled-in default
 * (data/identities), merging user files, and the lookups the identity
 * detector makes on every message (see registry.h).
 *
 * Loading and merging happen before the registry is shared; after that it is
 * only read. Each load ends by rebuilding the indexes from scratch: a hash
 * table from registrable domain to owner, one from id to identity, and the
 * name automaton (registry_names.c). Lookups then cost one hash probe, and a
 * name search one pass over the folded text, whatever the registry's size.
 */
#include "identity/registry.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "identity/registry_data.h"
#include "identity/registry_entry.h"
#include "identity/registry_names.h"
#include "util/error.h"

#define DEFAULT_ORIGIN "data/identities/news-organisations.json (built in)"
#define MAX_DOMAIN_LEN 253
#define MAX_MATCHES 64

/* Open-addressing hash table from borrowed strings to entry indices. */
typedef struct strmap {
  const char **keys; /* NULL for an empty slot */
  uint32_t *vals;
  size_t cap; /* a power of two, at least twice the number of keys */
} strmap;

struct bw_registry {
  bw_registry_entry **items;
  size_t n, cap;
  strmap ids, domains;
  bw_registry_names *names;
};

/* ---- hash tables -------------------------------------------------------------------- */

static uint64_t hash(const char *s) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static void strmap_free(strmap *m) {
  free(m->keys);
  free(m->vals);
  *m = (strmap){0};
}

static int strmap_init(strmap *m, size_t n_keys) {
  size_t cap = 16;
  while (cap < n_keys * 2) cap *= 2;
  m->keys = calloc(cap, sizeof(*m->keys));
  m->vals = calloc(cap, sizeof(*m->vals));
  m->cap = cap;
  if (m->keys && m->vals) return 0;
  strmap_free(m);
  return -1;
}

static size_t strmap_slot(const strmap *m, const char *key) {
  size_t i = hash(key) & (m->cap - 1);
  while (m->keys[i] && strcmp(m->keys[i], key) != 0) i = (i + 1) & (m->cap - 1);
  return i;
}

/* Inserts key unless present: the first value stays (the first owner of a domain wins). */
static void strmap_put(strmap *m, const char *key, uint32_t val) {
  size_t i = strmap_slot(m, key);
  if (m->keys[i]) return;
  m->keys[i] = key;
  m->vals[i] = val;
}

static const bw_registry_entry *strmap_get(const bw_registry *r, const strmap *m, const char *key) {
  if (!m->cap) return NULL;
  size_t i = strmap_slot(m, key);
  return m->keys[i] ? r->items[m->vals[i]] : NULL;
}

/* ---- indexes ------------------------------------------------------------------------ */

static int index_ids_and_domains(bw_registry *r) {
  size_t n_domains = 0;
  for (size_t i = 0; i < r->n; i++) n_domains += r->items[i]->domains.n;
  strmap_free(&r->ids);
  strmap_free(&r->domains);
  if (strmap_init(&r->ids, r->n) || strmap_init(&r->domains, n_domains)) return -1;
  for (size_t i = 0; i < r->n; i++) {
    const bw_registry_entry *e = r->items[i];
    strmap_put(&r->ids, e->id, (uint32_t)i);
    for (size_t d = 0; d < e->domains.n; d++) strmap_put(&r->domains, e->domains.v[d], (uint32_t)i);
  }
  return 0;
}

/* Adds entry i's names: the main name as its match mode says, the alternate names in any case. */
static int add_entry_names(bw_registry_names *m, const bw_registry_entry *e, uint32_t i) {
  int rc = 0;
  if (e->match_name != BW_REGISTRY_MATCH_NEVER)
    rc = bw_registry_names_add(m, e->name, e->match_name == BW_REGISTRY_MATCH_EXACT_CASE, i);
  for (size_t a = 0; a < e->alt_names.n && !rc; a++)
    rc = bw_registry_names_add(m, e->alt_names.v[a], 0, i);
  return rc;
}

static int index_names(bw_registry *r) {
  bw_registry_names *m = bw_registry_names_new();
  int rc = !m;
  for (size_t i = 0; i < r->n && !rc; i++) rc = add_entry_names(m, r->items[i], (uint32_t)i);
  if (rc || bw_registry_names_compile(m)) {
    bw_registry_names_free(m);
    return -1;
  }
  bw_registry_names_free(r->names);
  r->names = m;
  return 0;
}

static int reindex(bw_registry *r, bw_error *err) {
  for (size_t i = 0; i < r->n; i++) bw_registry_entry_sync(r->items[i]);
  if (index_ids_and_domains(r) || index_names(r))
    return bw_error_set(err, BW_ENOMEM, "identity registry: out of memory while indexing");
  return 0;
}

/* ---- merging ------------------------------------------------------------------------ */

static const char *kind_name(bw_identity_kind k) {
  static const char *const names[] = {"outlet", "journalist", "politician", "organisation"};
  return names[k];
}

/* Whether entry e of a file can be applied: a new id needs kind and name; an
 * extension may not change the kind. */
static int check_entry(const bw_registry *r, const bw_registry_entry *e, const char *origin,
                       bw_error *err) {
  const bw_registry_entry *old = strmap_get(r, &r->ids, e->id);
  if (!old && (!e->has_kind || !e->name))
    return bw_error_set(err, BW_EFORMAT, "%s: id \"%s\" is new, so it needs \"kind\" and \"name\"",
                        origin, e->id);
  if (old && e->has_kind && old->pub.kind != e->pub.kind)
    return bw_error_set(err, BW_EFORMAT,
                        "%s: id \"%s\" has kind \"%s\" in the registry; the file says \"%s\"",
                        origin, e->id, kind_name(old->pub.kind), kind_name(e->pub.kind));
  return 0;
}

static int union_into(bw_registry_strings *to, const bw_registry_strings *from) {
  for (size_t i = 0; i < from->n; i++)
    if (bw_registry_strings_add(to, from->v[i])) return -1;
  return 0;
}

/* Moves *from into *to when set (the user's file overrides the registry's scalars). */
static void replace(char **to, char **from) {
  if (!*from) return;
  free(*to);
  *to = *from;
  *from = NULL;
}

/* Extends old with e: the union of names, domains and addresses; e's scalars win. */
static int extend(bw_registry_entry *old, bw_registry_entry *e) {
  if (e->name && strcmp(e->name, old->name) != 0 &&
      bw_registry_strings_add(&old->alt_names, e->name))
    return -1;
  if (union_into(&old->alt_names, &e->alt_names) || union_into(&old->domains, &e->domains) ||
      union_into(&old->esp_domains, &e->esp_domains) || union_into(&old->addresses, &e->addresses))
    return -1;
  replace(&old->organisation, &e->organisation);
  replace(&old->role, &e->role);
  replace(&old->country, &e->country);
  if (e->has_match_name) old->match_name = e->match_name;
  return 0;
}

static int append(bw_registry *r, bw_registry_entry *e) {
  if (r->n == r->cap) {
    size_t ncap = r->cap ? r->cap * 2 : 512;
    bw_registry_entry **v = realloc(r->items, ncap * sizeof(*v));
    if (!v) return -1;
    r->items = v;
    r->cap = ncap;
  }
  r->items[r->n++] = e;
  return 0;
}

/* Applies checked entries; takes ownership of every entry and of the array. */
static int apply(bw_registry *r, bw_registry_entry **v, size_t n, bw_error *err) {
  int failed = 0;
  for (size_t i = 0; i < n; i++) {
    bw_registry_entry *old = (bw_registry_entry *)strmap_get(r, &r->ids, v[i]->id);
    if (failed || (old ? extend(old, v[i]) : append(r, v[i])))
      failed = 1;
    else if (!old)
      v[i] = NULL; /* now owned by the registry */
    bw_registry_entry_free(v[i]);
  }
  free(v);
  if (failed) return bw_error_set(err, BW_ENOMEM, "identity registry: out of memory while merging");
  return reindex(r, err);
}

/* Parses, checks and applies one registry document. */
static int merge_json(bw_registry *r, json_t *root, const char *origin, bw_error *err) {
  bw_url_ctx *url = bw_url_ctx_new();
  if (!url) return bw_error_set(err, BW_ENOMEM, "%s: cannot load the public suffix list", origin);
  bw_registry_entry **v = NULL;
  size_t n = 0;
  int rc = bw_registry_parse(root, origin, url, &v, &n, err);
  bw_url_ctx_free(url);
  if (rc) return rc;
  for (size_t i = 0; i < n && !rc; i++) rc = check_entry(r, v[i], origin, err);
  if (!rc) return apply(r, v, n, err);
  for (size_t i = 0; i < n; i++) bw_registry_entry_free(v[i]);
  free(v);
  return rc;
}

static int json_failure(const char *origin, const json_error_t *je, bw_error *err) {
  int code = json_error_code(je) == json_error_cannot_open_file ? BW_EIO : BW_EFORMAT;
  return bw_error_set(err, code, "%s:%d:%d (byte %d): %s", origin, je->line, je->column,
                      je->position, je->text);
}

/* ---- public API --------------------------------------------------------------------- */

int bw_registry_new_default(bw_registry **out, bw_error *err) {
  *out = NULL;
  bw_registry *r = calloc(1, sizeof(*r));
  if (!r) return bw_error_set(err, BW_ENOMEM, "identity registry: out of memory");
  json_error_t je;
  json_t *root = json_loadb((const char *)bw_registry_default_json, bw_registry_default_json_len,
                            JSON_REJECT_DUPLICATES, &je);
  int rc = root ? merge_json(r, root, DEFAULT_ORIGIN, err) : json_failure(DEFAULT_ORIGIN, &je, err);
  json_decref(root);
  if (rc) {
    bw_registry_free(r);
    return rc == BW_EFORMAT ? BW_EINTERNAL : rc; /* our own data must be valid */
  }
  *out = r;
  return 0;
}

int bw_registry_merge_file(bw_registry *r, const char *path, bw_error *err) {
  json_error_t je;
  json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
  if (!root) return json_failure(path, &je, err);
  int rc = merge_json(r, root, path, err);
  json_decref(root);
  return rc;
}

void bw_registry_free(bw_registry *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n; i++) bw_registry_entry_free(r->items[i]);
  free(r->items);
  strmap_free(&r->ids);
  strmap_free(&r->domains);
  bw_registry_names_free(r->names);
  free(r);
}

size_t bw_registry_count(const bw_registry *r) {
  return r->n;
}

const bw_identity *bw_registry_at(const bw_registry *r, size_t i) {
  return i < r->n ? &r->items[i]->pub : NULL;
}

const bw_identity *bw_registry_by_id(const bw_registry *r, const char *id) {
  const bw_registry_entry *e = strmap_get(r, &r->ids, id);
  return e ? &e->pub : NULL;
}

/* Lowercases a domain and drops a final dot into buf; 0 when it cannot be a domain. */
static int domain_key(const char *domain, char *buf, size_t cap) {
  size_t n = strlen(domain);
  if (n > 0 && domain[n - 1] == '.') n--;
  if (n == 0 || n >= cap) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = domain[i];
    buf[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
  }
  buf[n] = 0;
  return 1;
}

const bw_identity *bw_registry_owner_of(const bw_registry *r, const char *registrable_domain) {
  char key[MAX_DOMAIN_LEN + 1];
  if (!registrable_domain || !domain_key(registrable_domain, key, sizeof key)) return NULL;
  const bw_registry_entry *e = strmap_get(r, &r->domains, key);
  return e ? &e->pub : NULL;
}

int bw_registry_owns(const bw_identity *id, const char *registrable_domain) {
  char key[MAX_DOMAIN_LEN + 1];
  if (!id || !registrable_domain || !domain_key(registrable_domain, key, sizeof key)) return 0;
  for (size_t i = 0; i < id->n_domains; i++)
    if (strcmp(id->domains[i], key) == 0) return 1;
  return 0;
}

size_t bw_registry_find_names(const bw_registry *r, const char *text, size_t len,
                              const bw_identity **out, size_t max) {
  uint32_t found[MAX_MATCHES];
  if (!r->names || !text || max == 0) return 0;
  size_t n =
      bw_registry_names_find(r->names, text, len, found, max < MAX_MATCHES ? max : MAX_MATCHES);
  for (size_t i = 0; i < n; i++) out[i] = &r->items[found[i]]->pub;
  return n;
}
