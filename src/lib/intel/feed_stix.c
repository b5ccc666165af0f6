/*
 * feed_stix.c - STIX 2.1 bundles: indicators and who they are attributed to.
 *
 * Each indicator's pattern is parsed (stix_pattern.c) into alternatives of
 * ANDed comparisons. A comparison is usable when it tests with '=' (or
 * ISSUBSET, for networks) a value that mail carries: domain-name, url,
 * ipv4-addr/ipv6-addr (CIDR included), email-addr, email-message from_ref,
 * sender_ref and subject, file hashes MD5/SHA-1/SHA-256. An alternative with
 * one comparison becomes a plain indicator; one with several becomes an
 * AND-group that matches only when all its terms occur in the message. Every
 * comparison of the pattern is counted once: loaded when some alternative
 * holding it was loaded, else reported with its reason. "indicates" and
 * "attributed-to" relationships from the indicator (and from a campaign it
 * indicates on to an intrusion set) give the attribution.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel/actors.h"
#include "intel/builder.h"
#include "intel/stix_pattern.h"
#include "util/error.h"

typedef struct stix_ctx {
  bw_intel_builder *b;
  const char *feed;
  bw_intel_report *report;
  json_t *by_id;   /* id -> object */
  json_t *targets; /* source id -> [target ids] of indicates/attributed-to */
  bw_stix_pattern *pattern;
  bw_intel_key *keys; /* BW_STIX_MAX_TERMS keys of the alternative being loaded */
} stix_ctx;

static const char *str(json_t *obj, const char *key) {
  const char *s = json_string_value(json_object_get(obj, key));
  return s ? s : "";
}

static void index_objects(stix_ctx *c, json_t *objects) {
  size_t i;
  json_t *o;
  json_array_foreach(objects, i, o) {
    const char *id = str(o, "id");
    if (*id) json_object_set(c->by_id, id, o);
    const char *rel = str(o, "relationship_type");
    if (strcmp(str(o, "type"), "relationship") != 0 ||
        (strcmp(rel, "indicates") != 0 && strcmp(rel, "attributed-to") != 0))
      continue;
    json_t *list = json_object_get(c->targets, str(o, "source_ref"));
    if (!list) {
      list = json_array();
      json_object_set_new(c->targets, str(o, "source_ref"), list);
    }
    json_array_append_new(list, json_string(str(o, "target_ref")));
  }
}

/* An intrusion set or threat actor: its name, else the first alias the knowledge base knows. */
static void add_actor(bw_intel_names *n, json_t *obj) {
  const char *name = str(obj, "name");
  size_t i;
  json_t *alias;
  if (!bw_actor_find(name)) {
    json_array_foreach(json_object_get(obj, "aliases"), i, alias) {
      if (bw_actor_find(json_string_value(alias))) {
        name = json_string_value(alias);
        break;
      }
    }
  }
  bw_intel_names_add(n, "actor", name);
}

static void collect_names(stix_ctx *c, const char *id, bw_intel_names *n, int hops) {
  size_t i;
  json_t *t;
  json_array_foreach(json_object_get(c->targets, id), i, t) {
    json_t *obj = json_object_get(c->by_id, json_string_value(t));
    const char *type = str(obj, "type");
    if (strcmp(type, "intrusion-set") == 0 || strcmp(type, "threat-actor") == 0)
      add_actor(n, obj);
    else if (strcmp(type, "campaign") == 0 || strcmp(type, "malware") == 0)
      bw_intel_names_add(n, type, str(obj, "name"));
    if (hops > 0 && (strcmp(type, "campaign") == 0 || strcmp(type, "malware") == 0))
      collect_names(c, json_string_value(t), n, hops - 1);
  }
}

static void collect_refs(json_t *indicator, char *out, size_t size) {
  size_t i, o = 0;
  json_t *r;
  out[0] = 0;
  json_array_foreach(json_object_get(indicator, "external_references"), i, r) {
    const char *url = str(r, "url"), *ext = str(r, "external_id");
    int n = snprintf(out + o, size - o, "%s%s%s%s", o ? "\n" : "", str(r, "source_name"),
                     *ext || *url ? " " : "", *url ? url : ext);
    if (n < 0 || (size_t)n >= size - o) break;
    o += (size_t)n;
  }
}

static bw_ioc_type path_type(const char *path, int *network_ok) {
  static const struct {
    const char *path;
    bw_ioc_type type;
  } map[] = {{"domain-name:value", BW_IOC_DOMAIN},
             {"url:value", BW_IOC_URL},
             {"ipv4-addr:value", BW_IOC_IPV4},
             {"ipv6-addr:value", BW_IOC_IPV6},
             {"email-addr:value", BW_IOC_EMAIL},
             {"email-message:from_ref.value", BW_IOC_EMAIL},
             {"email-message:sender_ref.value", BW_IOC_EMAIL},
             {"email-message:subject", BW_IOC_SUBJECT},
             {"file:hashes.md5", BW_IOC_MD5},
             {"file:hashes.sha-1", BW_IOC_SHA1},
             {"file:hashes.sha1", BW_IOC_SHA1},
             {"file:hashes.sha-256", BW_IOC_SHA256},
             {"file:hashes.sha256", BW_IOC_SHA256}};
  char norm[128];
  size_t o = 0;
  for (const char *p = path; *p && o + 1 < sizeof(norm); p++)
    if (*p != '\'') norm[o++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
  norm[o] = 0;
  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
    if (strcmp(norm, map[i].path) != 0) continue;
    *network_ok = map[i].type == BW_IOC_IPV4 || map[i].type == BW_IOC_IPV6;
    return map[i].type;
  }
  return 0;
}

/* Builds the key of one comparison, or returns why it cannot be an indicator. */
static const char *term_key(stix_ctx *c, const bw_stix_cmp *cmp, bw_intel_key *k, char *why,
                            size_t size) {
  int network_ok = 0;
  bw_ioc_type t = path_type(cmp->path, &network_ok);
  if (!t) {
    snprintf(why, size, "object path %s is not something a message carries", cmp->path);
    return why;
  }
  if (cmp->negated) return "a negated comparison (NOT) cannot be listed as an indicator";
  if (strcmp(cmp->op, "=") != 0 && !(network_ok && strcmp(cmp->op, "ISSUBSET") == 0)) {
    snprintf(why, size, "operator %s is not supported (only '=', and ISSUBSET for networks)",
             cmp->op);
    return why;
  }
  if (!cmp->is_string) return "the compared value is not a string";
  const char *value = c->pattern->values + cmp->value_off;
  return bw_intel_key_typed(bw_intel_builder_urls(c->b), t, value, cmp->value_len, k);
}

static int load_alternative(stix_ctx *c, const bw_stix_alt *alt, const bw_intel_source *base,
                            char **reasons, int *loaded) {
  bw_intel_key *keys = c->keys;
  char why[200];
  for (uint8_t i = 0; i < alt->n; i++) {
    const char *r = term_key(c, &c->pattern->cmps[alt->terms[i]], &keys[i], why, sizeof(why));
    if (r) {
      if (!reasons[alt->terms[i]]) reasons[alt->terms[i]] = strdup(r);
      return BW_OK;
    }
  }
  bw_intel_source src = *base;
  if (alt->n > 1) src.group = bw_intel_builder_new_group(c->b), src.n_terms = alt->n;
  for (uint8_t i = 0; i < alt->n; i++) {
    src.term = i;
    int rc = bw_intel_builder_add_key(c->b, &keys[i], &src);
    if (rc != BW_OK) return rc;
    loaded[alt->terms[i]] = 1;
  }
  return BW_OK;
}

static void report_terms(stix_ctx *c, const char *id, const char *pattern, char **reasons,
                         const int *loaded) {
  for (size_t i = 0; i < c->pattern->n_cmps; i++) {
    const bw_stix_cmp *cmp = &c->pattern->cmps[i];
    char item[600];
    int text = cmp->text_len > 400 ? 400 : (int)cmp->text_len;
    snprintf(item, sizeof(item), "%s: %s: %.*s", c->feed, id, text, pattern + cmp->text_off);
    if (loaded[i])
      c->report->loaded++;
    else
      bw_intel_report_skip(c->report, item,
                           reasons[i] ? reasons[i]
                                      : "in an AND with a comparison that cannot be matched");
    free(reasons[i]);
  }
}

static int one_indicator(stix_ctx *c, json_t *ind) {
  const char *id = str(ind, "id"), *pattern = str(ind, "pattern"),
             *ptype = str(ind, "pattern_type");
  char item[600], why[300];
  snprintf(item, sizeof(item), "%s: %s: %.400s", c->feed, id, pattern);
  if (*ptype && strcmp(ptype, "stix") != 0) {
    snprintf(why, sizeof(why), "pattern_type '%.60s' is not supported (only stix)", ptype);
    bw_intel_report_skip(c->report, item, why);
    return BW_OK;
  }
  if (bw_stix_pattern_parse(pattern, strlen(pattern), c->pattern, why, sizeof(why)) != 0) {
    bw_intel_report_skip(c->report, item, why);
    return BW_OK;
  }
  bw_intel_names names = {0};
  collect_names(c, id, &names, 1);
  char refs[2048];
  collect_refs(ind, refs, sizeof(refs));
  bw_intel_source base = {.feed = c->feed,
                          .label = *str(ind, "name") ? str(ind, "name") : id,
                          .refs = refs,
                          .actors = names.text};
  char *reasons[BW_STIX_MAX_CMPS] = {0};
  int loaded[BW_STIX_MAX_CMPS] = {0};
  int rc = BW_OK;
  for (size_t a = 0; a < c->pattern->n_alts && rc == BW_OK; a++)
    rc = load_alternative(c, &c->pattern->alts[a], &base, reasons, loaded);
  report_terms(c, id, pattern, reasons, loaded);
  return rc;
}

/* Cyber-observable objects carry values but are not indicators: reported, not loaded. */
static int is_observable(const char *type) {
  static const char *const types[] = {"domain-name", "url",           "ipv4-addr", "ipv6-addr",
                                      "email-addr",  "email-message", "file"};
  for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
    if (strcmp(type, types[i]) == 0) return 1;
  return 0;
}

static void report_observable(stix_ctx *c, json_t *o) {
  char item[600];
  snprintf(item, sizeof(item), "%s: %s: %.400s", c->feed, str(o, "id"), str(o, "value"));
  bw_intel_report_skip(c->report, item,
                       "a cyber-observable object, not an indicator: observed data is not loaded "
                       "(wrap it in an indicator pattern)");
}

int bw_intel_load_stix(bw_intel_builder *b, const char *feed, json_t *root, bw_intel_report *report,
                       bw_error *err) {
  json_t *objects = json_object_get(root, "objects");
  if (!json_is_array(objects))
    return bw_error_set(err, BW_EFORMAT, "%s: STIX bundle without an objects list", feed);
  bw_intel_report scratch;
  bw_intel_report_init(&scratch);
  stix_ctx c = {.b = b,
                .feed = feed,
                .report = report ? report : &scratch,
                .by_id = json_object(),
                .targets = json_object(),
                .pattern = malloc(sizeof(bw_stix_pattern)),
                .keys = malloc(BW_STIX_MAX_TERMS * sizeof(bw_intel_key))};
  int rc = c.by_id && c.targets && c.pattern && c.keys ? BW_OK : BW_ENOMEM;
  if (rc == BW_OK) index_objects(&c, objects);
  size_t i;
  json_t *o;
  json_array_foreach(objects, i, o) {
    if (rc == BW_OK && strcmp(str(o, "type"), "indicator") == 0)
      rc = one_indicator(&c, o);
    else if (is_observable(str(o, "type")))
      report_observable(&c, o);
  }
  json_decref(c.by_id);
  json_decref(c.targets);
  free(c.pattern);
  free(c.keys);
  bw_intel_report_free(&scratch);
  return rc == BW_OK ? BW_OK : bw_error_set(err, rc, "%s: %s", feed, bw_status_name(rc));
}
