/*
 * feed_misp.c - MISP events (the JSON of a MISP export or the API).
 *
 * Accepts {"Event": {...}}, a bare event object, {"response": [events]} and
 * a list of events. Every attribute, in the event and in its objects, is
 * either loaded (domain, hostname, url, ip-src, ip-dst, email-src,
 * email-subject, md5, sha1, sha256, and the parts of composites such as
 * domain|ip, ip-dst|port, filename|sha256) or reported with its type as the reason.
 * Attribution comes from the event's and the attribute's tags
 * (misp-galaxy:threat-actor="APT31") and from galaxy clusters of actor
 * galaxies; the event's info is the label, its id and uuid the reference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel/builder.h"
#include "util/error.h"

enum { MAX_EVENTS = 100000 };

bw_ioc_type bw_intel_misp_type(const char *type) {
  static const struct {
    const char *name;
    bw_ioc_type type;
  } map[] = {{"domain", BW_IOC_DOMAIN},
             {"hostname", BW_IOC_DOMAIN},
             {"url", BW_IOC_URL},
             {"ip-src", 0},
             {"ip-dst", 0},
             {"email-src", BW_IOC_EMAIL},
             {"email-subject", BW_IOC_SUBJECT},
             {"md5", BW_IOC_MD5},
             {"sha1", BW_IOC_SHA1},
             {"sha256", BW_IOC_SHA256}};
  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
    if (strcasecmp(map[i].name, type) != 0) continue;
    return map[i].type ? map[i].type : BW_IOC_IPV4; /* ip-*: the version is read from the value */
  }
  return 0;
}

static const char *str(json_t *obj, const char *key) {
  const char *s = json_string_value(json_object_get(obj, key));
  return s ? s : "";
}

static void names_from_tag_list(bw_intel_names *n, json_t *tags) {
  size_t i;
  json_t *tag;
  json_array_foreach(tags, i, tag) bw_intel_names_from_tags(n, str(tag, "name"));
}

/* Clusters of actor galaxies ("threat-actor", "mitre-intrusion-set", ...). */
static void names_from_galaxies(bw_intel_names *n, json_t *galaxies) {
  size_t i, j;
  json_t *g, *c;
  json_array_foreach(galaxies, i, g) {
    const char *type = str(g, "type");
    int actor = strcmp(type, "threat-actor") == 0 || strcmp(type, "mitre-intrusion-set") == 0 ||
                strcmp(type, "microsoft-activity-group") == 0;
    json_array_foreach(json_object_get(g, "GalaxyCluster"), j, c) {
      char tag[400];
      snprintf(tag, sizeof(tag), "misp-galaxy:threat-actor=\"%s\"", str(c, "value"));
      if (actor)
        bw_intel_names_from_tags(n, tag);
      else
        bw_intel_names_add(n, strcmp(type, "mitre-malware") == 0 ? "malware" : type,
                           str(c, "value"));
    }
  }
}

typedef struct event_ctx {
  bw_intel_builder *b;
  const char *feed;
  bw_intel_report *report;
  bw_intel_names names;
  char refs[200];
  const char *info;
} event_ctx;

/* The indicator type of one MISP type name; ip-* is IPv4 or IPv6 by the value. */
static bw_ioc_type value_type(const char *type, const char *value) {
  bw_ioc_type t = bw_intel_misp_type(strcmp(type, "ip") == 0 ? "ip-dst" : type); /* domain|ip */
  return t == BW_IOC_IPV4 && strchr(value, ':') ? BW_IOC_IPV6 : t;
}

/*
 * A composite attribute ("domain|ip", "ip-dst|port", "filename|sha256"): each
 * part of a supported type is loaded (ports and file names are not indicators);
 * the attribute counts once, as loaded when any part was.
 */
static int composite(event_ctx *ev, const char *type, const char *value, const bw_intel_source *src,
                     const char *item) {
  const char *tbar = strchr(type, '|'), *vbar = strchr(value, '|');
  char types[2][64], values[2][BW_INTEL_MAX_KEY];
  if (!vbar || strchr(tbar + 1, '|') || strchr(vbar + 1, '|') ||
      (size_t)(tbar - type) >= sizeof(types[0]) || (size_t)(vbar - value) >= sizeof(values[0])) {
    bw_intel_report_skip(ev->report, item, "composite MISP attribute without two '|' parts");
    return BW_OK;
  }
  snprintf(types[0], sizeof(types[0]), "%.*s", (int)(tbar - type), type);
  snprintf(types[1], sizeof(types[1]), "%s", tbar + 1);
  snprintf(values[0], sizeof(values[0]), "%.*s", (int)(vbar - value), value);
  snprintf(values[1], sizeof(values[1]), "%s", vbar + 1);
  static const char not_matched[] =
      "neither part of the composite MISP attribute is matched in mail";
  const char *why = NULL; /* a part's normalisation failure says more than not_matched */
  int loaded = 0;
  for (int i = 0; i < 2; i++) {
    bw_ioc_type t = value_type(types[i], values[i]);
    bw_intel_key k;
    const char *r =
        t ? bw_intel_key_typed(bw_intel_builder_urls(ev->b), t, values[i], strlen(values[i]), &k)
          : not_matched;
    if (r) {
      if (!why || why == not_matched) why = r;
      continue;
    }
    int rc = bw_intel_builder_add_key(ev->b, &k, src);
    if (rc != BW_OK) return rc;
    loaded = 1;
  }
  if (loaded && ev->report)
    ev->report->loaded++;
  else
    bw_intel_report_skip(ev->report, item, why);
  return BW_OK;
}

static int one_attribute(event_ctx *ev, json_t *attr) {
  const char *type = str(attr, "type"), *value = str(attr, "value");
  char item[600];
  snprintf(item, sizeof(item), "%s: event \"%.80s\" attribute %.40s %s %.300s", ev->feed, ev->info,
           str(attr, "uuid"), type, value);
  bw_intel_names names = ev->names;
  names_from_tag_list(&names, json_object_get(attr, "Tag"));
  bw_intel_source src = {
      .feed = ev->feed, .label = ev->info, .refs = ev->refs, .actors = names.text};
  if (strchr(type, '|')) return composite(ev, type, value, &src, item);
  bw_ioc_type t = value_type(type, value);
  if (!t) {
    char why[160];
    snprintf(why, sizeof(why), "MISP attribute type '%.60s' is not matched in mail", type);
    bw_intel_report_skip(ev->report, item, why);
    return BW_OK;
  }
  return bw_intel_builder_add_value(ev->b, t, value, strlen(value), &src, ev->report, item);
}

static int one_event(event_ctx *ev, json_t *event) {
  memset(&ev->names, 0, sizeof(ev->names));
  names_from_tag_list(&ev->names, json_object_get(event, "Tag"));
  names_from_galaxies(&ev->names, json_object_get(event, "Galaxy"));
  ev->info = str(event, "info");
  ev->refs[0] = 0;
  if (*str(event, "id") || *str(event, "uuid"))
    snprintf(ev->refs, sizeof(ev->refs), "MISP event %s%s%s", str(event, "id"),
             *str(event, "id") && *str(event, "uuid") ? " " : "", str(event, "uuid"));
  size_t i, j;
  json_t *a, *o;
  int rc = BW_OK;
  json_array_foreach(json_object_get(event, "Attribute"), i, a) {
    if (rc == BW_OK) rc = one_attribute(ev, a);
  }
  json_array_foreach(json_object_get(event, "Object"), i, o) {
    json_array_foreach(json_object_get(o, "Attribute"), j, a) {
      if (rc == BW_OK) rc = one_attribute(ev, a);
    }
  }
  return rc;
}

static int is_event(json_t *obj) {
  return json_is_object(obj) && (json_object_get(obj, "Attribute") ||
                                 json_object_get(obj, "Object") || json_object_get(obj, "info"));
}

/* Collects the event objects of the accepted layouts into events. */
static size_t find_events(json_t *root, json_t **events, size_t max) {
  size_t n = 0, i;
  json_t *x;
  if (json_is_object(json_object_get(root, "Event")))
    events[n++] = json_object_get(root, "Event");
  else if (is_event(root))
    events[n++] = root;
  json_t *list = json_is_array(root) ? root : json_object_get(root, "response");
  json_array_foreach(list, i, x) {
    json_t *e = json_object_get(x, "Event") ? json_object_get(x, "Event") : x;
    if (is_event(e) && n < max) events[n++] = e;
  }
  return n;
}

int bw_intel_load_misp(bw_intel_builder *b, const char *feed, json_t *root, bw_intel_report *report,
                       bw_error *err) {
  json_t **events = malloc(MAX_EVENTS * sizeof(*events));
  if (!events) return bw_error_set(err, BW_ENOMEM, "out of memory");
  size_t n = find_events(root, events, MAX_EVENTS);
  if (n == 0) {
    free(events);
    return bw_error_set(err, BW_EFORMAT,
                        "%s: JSON that is neither a STIX 2.1 bundle nor a MISP event "
                        "(no Event, Attribute or Object)",
                        feed);
  }
  event_ctx ev = {.b = b, .feed = feed, .report = report};
  int rc = BW_OK;
  for (size_t i = 0; i < n && rc == BW_OK; i++) rc = one_event(&ev, events[i]);
  free(events);
  return rc == BW_OK ? BW_OK : bw_error_set(err, rc, "%s: %s", feed, bw_status_name(rc));
}
