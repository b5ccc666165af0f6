/*
 * registry_parse.c - reading and checking the identity registry's JSON format
 * (docs/identities.md) into registry entries.
 *
 * Every problem is reported with the file, the identity's index and id, and
 * the key at fault, so that a user who mistypes their own registry file can
 * fix it without reading code. Unknown keys are errors: a misspelt "domain"
 * silently ignored would leave an organisation unprotected.
 */
#include "identity/registry_entry.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "identity/registry_fold.h"
#include "util/arena.h"
#include "util/error.h"

#define MAX_ID_LEN 100

/* Where we are in the file, for error messages. */
typedef struct parse_ctx {
  const char *origin;
  size_t index;
  const char *id;
  const bw_url_ctx *url;
  bw_error *err;
} parse_ctx;

static const char *const identity_keys[] = {"kind",    "id",          "name",       "alt_names",
                                            "domains", "esp_domains", "addresses",  "organisation",
                                            "role",    "country",     "match_name", "note"};
static const char *const top_keys[] = {"version", "source", "licence", "description", "identities"};

static int fail(const parse_ctx *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(const parse_ctx *c, int code, const char *fmt, ...) {
  char what[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  if (code == BW_ENOMEM) return bw_error_set(c->err, code, "%s: out of memory", c->origin);
  return bw_error_set(c->err, code, "%s: identities[%zu] (id \"%s\"): %s", c->origin, c->index,
                      c->id ? c->id : "?", what);
}

int bw_registry_strings_add(bw_registry_strings *s, const char *str) {
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->v[i], str) == 0) return 0;
  if (s->n + 1 >= s->cap) { /* keep room for a terminating NULL */
    size_t ncap = s->cap ? s->cap * 2 : 4;
    char **v = realloc(s->v, ncap * sizeof(char *));
    if (!v) return -1;
    s->v = v;
    s->cap = ncap;
  }
  if (!(s->v[s->n] = strdup(str))) return -1;
  s->v[++s->n] = NULL;
  return 0;
}

static void strings_free(bw_registry_strings *s) {
  for (size_t i = 0; i < s->n; i++) free(s->v[i]);
  free(s->v);
}

void bw_registry_entry_free(bw_registry_entry *e) {
  if (!e) return;
  free(e->id);
  free(e->name);
  free(e->organisation);
  free(e->role);
  free(e->country);
  strings_free(&e->alt_names);
  strings_free(&e->domains);
  strings_free(&e->esp_domains);
  strings_free(&e->addresses);
  free(e);
}

void bw_registry_entry_sync(bw_registry_entry *e) {
  e->pub.id = e->id;
  e->pub.name = e->name;
  e->pub.alt_names = (const char *const *)e->alt_names.v;
  e->pub.n_alt_names = e->alt_names.n;
  e->pub.domains = (const char *const *)e->domains.v;
  e->pub.n_domains = e->domains.n;
  e->pub.esp_domains = (const char *const *)e->esp_domains.v;
  e->pub.n_esp_domains = e->esp_domains.n;
  e->pub.addresses = (const char *const *)e->addresses.v;
  e->pub.n_addresses = e->addresses.n;
  e->pub.organisation = e->organisation;
  e->pub.role = e->role;
  e->pub.country = e->country;
}

/* ---- values ------------------------------------------------------------------------- */

static int known_key(const char *key, const char *const *keys, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(key, keys[i]) == 0) return 1;
  return 0;
}

static int parse_kind(const char *s, bw_identity_kind *out) {
  static const char *const names[] = {"outlet", "journalist", "politician", "organisation"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(s, names[i]) == 0) {
      *out = (bw_identity_kind)i;
      return 0;
    }
  return -1;
}

static int valid_id(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n > MAX_ID_LEN) return 0;
  for (size_t i = 0; i < n; i++)
    if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789-_.", s[i])) return 0;
  return 1;
}

/* A name must keep at least two characters once folded: one letter matches everything. */
static int check_name(const parse_ctx *c, const char *key, const char *name) {
  bw_registry_folded f;
  if (bw_registry_fold(name, strlen(name), &f)) return fail(c, BW_ENOMEM, "out of memory");
  size_t chars = 0;
  for (size_t i = 0; i < f.len; i++) chars += ((unsigned char)f.folded[i] & 0xC0) != 0x80;
  bw_registry_folded_free(&f);
  if (chars < 2) return fail(c, BW_EFORMAT, "%s \"%s\" is too short to match safely", key, name);
  return 0;
}

/* Lowercase registrable domain (A-label) of a listed domain, added to out. */
static int add_domain(const parse_ctx *c, const char *key, const char *s,
                      bw_registry_strings *out) {
  bw_arena a;
  bw_arena_init(&a);
  const char *reg = bw_url_registrable_domain(c->url, &a, s);
  int rc = 0;
  if (!reg || strchr(s, '@') || strchr(s, '/') || strchr(s, ' '))
    rc = fail(c, BW_EFORMAT, "%s: \"%s\" is not a domain name with a registrable part", key, s);
  else if (bw_registry_strings_add(out, reg))
    rc = fail(c, BW_ENOMEM, "out of memory");
  bw_arena_free(&a);
  return rc;
}

static int add_address(const parse_ctx *c, const char *s, bw_registry_strings *out) {
  const char *at = strchr(s, '@');
  if (!at || at == s || !at[1] || strchr(at + 1, '@') || strchr(s, ' '))
    return fail(c, BW_EFORMAT, "addresses: \"%s\" is not an email address", s);
  char *lower = strdup(s);
  if (!lower) return fail(c, BW_ENOMEM, "out of memory");
  for (char *p = lower; *p; p++)
    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + 32);
  int rc = bw_registry_strings_add(out, lower) ? fail(c, BW_ENOMEM, "out of memory") : 0;
  free(lower);
  return rc;
}

/* Reads one element of a list key into out, checking and normalising it by key. */
static int add_list_item(const parse_ctx *c, const char *key, const char *s,
                         bw_registry_strings *out) {
  if (strcmp(key, "domains") == 0 || strcmp(key, "esp_domains") == 0)
    return add_domain(c, key, s, out);
  if (strcmp(key, "addresses") == 0) return add_address(c, s, out);
  int rc = check_name(c, key, s);
  if (rc) return rc;
  return bw_registry_strings_add(out, s) ? fail(c, BW_ENOMEM, "out of memory") : 0;
}

static int parse_list(const parse_ctx *c, json_t *obj, const char *key, bw_registry_strings *out) {
  json_t *v = json_object_get(obj, key);
  if (!v) return 0;
  if (!json_is_array(v)) return fail(c, BW_EFORMAT, "\"%s\" must be an array of strings", key);
  size_t i;
  json_t *item;
  json_array_foreach(v, i, item) {
    if (!json_is_string(item) || json_string_length(item) == 0)
      return fail(c, BW_EFORMAT, "\"%s\"[%zu] must be a non-empty string", key, i);
    int rc = add_list_item(c, key, json_string_value(item), out);
    if (rc) return rc;
  }
  return 0;
}

/* An optional string (or null) into *out. */
static int parse_string(const parse_ctx *c, json_t *obj, const char *key, char **out) {
  json_t *v = json_object_get(obj, key);
  if (!v || json_is_null(v)) return 0;
  if (!json_is_string(v) || json_string_length(v) == 0)
    return fail(c, BW_EFORMAT, "\"%s\" must be a non-empty string or null", key);
  if (!(*out = strdup(json_string_value(v)))) return fail(c, BW_ENOMEM, "out of memory");
  return 0;
}

/* ---- one identity ------------------------------------------------------------------- */

static int parse_header(parse_ctx *c, json_t *obj, bw_registry_entry *e) {
  json_t *v = json_object_get(obj, "id");
  if (!json_is_string(v) || !valid_id(json_string_value(v)))
    return fail(c, BW_EFORMAT, "\"id\" must be a slug of 1 to %d characters a-z 0-9 - _ .",
                MAX_ID_LEN);
  if (!(e->id = strdup(json_string_value(v)))) return fail(c, BW_ENOMEM, "out of memory");
  c->id = e->id;
  const char *key;
  json_object_foreach(obj, key, v) {
    if (!known_key(key, identity_keys, sizeof identity_keys / sizeof identity_keys[0]))
      return fail(c, BW_EFORMAT, "unknown key \"%s\"", key);
  }
  if ((v = json_object_get(obj, "kind"))) {
    if (!json_is_string(v) || parse_kind(json_string_value(v), &e->pub.kind))
      return fail(
          c, BW_EFORMAT,
          "\"kind\" must be \"outlet\", \"journalist\", \"politician\" or \"organisation\"");
    e->has_kind = 1;
  }
  e->match_name = BW_REGISTRY_MATCH_ANY_CASE;
  if ((v = json_object_get(obj, "match_name"))) {
    if (json_is_boolean(v))
      e->match_name = json_is_true(v) ? BW_REGISTRY_MATCH_ANY_CASE : BW_REGISTRY_MATCH_NEVER;
    else if (json_is_string(v) && strcmp(json_string_value(v), "case-sensitive") == 0)
      e->match_name = BW_REGISTRY_MATCH_EXACT_CASE;
    else
      return fail(c, BW_EFORMAT, "\"match_name\" must be true, false or \"case-sensitive\"");
    e->has_match_name = 1;
  }
  json_t *note = json_object_get(obj, "note");
  if (note && !json_is_string(note)) return fail(c, BW_EFORMAT, "\"note\" must be a string");
  return 0;
}

static int parse_fields(const parse_ctx *c, json_t *obj, bw_registry_entry *e) {
  int rc;
  if ((rc = parse_string(c, obj, "name", &e->name)) ||
      (rc = parse_string(c, obj, "organisation", &e->organisation)) ||
      (rc = parse_string(c, obj, "role", &e->role)) ||
      (rc = parse_string(c, obj, "country", &e->country)) ||
      (rc = parse_list(c, obj, "alt_names", &e->alt_names)) ||
      (rc = parse_list(c, obj, "domains", &e->domains)) ||
      (rc = parse_list(c, obj, "esp_domains", &e->esp_domains)) ||
      (rc = parse_list(c, obj, "addresses", &e->addresses)))
    return rc;
  if (e->name) return check_name(c, "name", e->name);
  return 0;
}

static int parse_entry(parse_ctx *c, json_t *obj, bw_registry_entry **out) {
  if (!json_is_object(obj)) return fail(c, BW_EFORMAT, "must be an object");
  bw_registry_entry *e = calloc(1, sizeof(*e));
  if (!e) return fail(c, BW_ENOMEM, "out of memory");
  int rc = parse_header(c, obj, e);
  if (!rc) rc = parse_fields(c, obj, e);
  if (rc) {
    bw_registry_entry_free(e);
    return rc;
  }
  bw_registry_entry_sync(e);
  *out = e;
  return 0;
}

/* ---- the file ----------------------------------------------------------------------- */

static int check_top(const parse_ctx *c, json_t *root) {
  if (!json_is_object(root))
    return bw_error_set(c->err, BW_EFORMAT, "%s: the top level must be an object", c->origin);
  const char *key;
  json_t *v;
  json_object_foreach(root, key, v) {
    if (!known_key(key, top_keys, sizeof top_keys / sizeof top_keys[0]))
      return bw_error_set(c->err, BW_EFORMAT, "%s: unknown top-level key \"%s\"", c->origin, key);
  }
  v = json_object_get(root, "version");
  if (!json_is_integer(v) || json_integer_value(v) != 1)
    return bw_error_set(c->err, BW_EFORMAT, "%s: \"version\" must be 1", c->origin);
  if (!json_is_array(json_object_get(root, "identities")))
    return bw_error_set(c->err, BW_EFORMAT, "%s: \"identities\" must be an array", c->origin);
  return 0;
}

static void free_entries(bw_registry_entry **v, size_t n) {
  for (size_t i = 0; i < n; i++) bw_registry_entry_free(v[i]);
  free(v);
}

/* An id that appears twice in one file is a mistake, not an extension. */
static int check_unique(parse_ctx *c, bw_registry_entry **v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(v[i]->id, v[n]->id) == 0)
      return fail(c, BW_EFORMAT, "id already used by identities[%zu]", i);
  return 0;
}

int bw_registry_parse(json_t *root, const char *origin, const bw_url_ctx *url,
                      bw_registry_entry ***out, size_t *n_out, bw_error *err) {
  parse_ctx c = {.origin = origin, .url = url, .err = err};
  int rc = check_top(&c, root);
  if (rc) return rc;
  json_t *items = json_object_get(root, "identities");
  size_t n = json_array_size(items);
  bw_registry_entry **v = calloc(n ? n : 1, sizeof(*v));
  if (!v) return bw_error_set(err, BW_ENOMEM, "%s: out of memory", origin);
  for (size_t i = 0; i < n; i++) {
    c.index = i;
    c.id = NULL;
    if ((rc = parse_entry(&c, json_array_get(items, i), &v[i])) || (rc = check_unique(&c, v, i))) {
      free_entries(v, i + 1); /* v[i] is NULL unless it parsed */
      return rc;
    }
  }
  *out = v;
  *n_out = n;
  return 0;
}
