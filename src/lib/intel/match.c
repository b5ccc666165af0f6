/*
 * match.c - every observable of a message looked up in the threat intel.
 *
 * A hit becomes an `intel_match` finding that says which indicator, from
 * which feed, matched what and where; an attributed hit adds one
 * `intel_attribution` per actor with every alias the knowledge base has, so
 * that an analyst who knows the actor as Violet Typhoon or Judgment Panda
 * recognises it. A hit on a domain that a warninglist names is shown as
 * `intel_suppressed` instead. AND-groups from STIX patterns are reported only
 * when all their terms occurred in the message. Each indicator is reported
 * once per message, however many links carry it.
 */
#include "intel/match.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "intel/actors.h"

enum {
  MAX_REPORTED = 256,      /* distinct indicator hits reported per message */
  MAX_GROUPS = 256,        /* AND-groups tracked per message */
  MAX_RECEIVED = 100,      /* Received headers read */
  MAX_IPS_PER_HEADER = 16, /* addresses taken from one Received header */
  MAX_HOST_CACHE = 64      /* distinct hosts remembered to skip repeated lookups */
};

typedef struct group_state {
  uint32_t group;
  uint64_t seen; /* bit per term */
} group_state;

typedef struct match_ctx {
  const bw_intel *intel;
  bw_findings *findings;
  bw_arena *arena;
  const char *where;    /* what was looked up: "link", "resource", "Received header" */
  const char *kind;     /* a resource's kind ("image"), or NULL */
  const char *part;     /* MIME part or NULL */
  const char *observed; /* the message's value */
  const char *reported[MAX_REPORTED];
  size_t n_reported;
  unsigned limits_reported; /* bit per limit already reported */
  const char *actors_done[32];
  size_t n_actors_done;
  group_state groups[MAX_GROUPS];
  size_t n_groups;
  const char *hosts[MAX_HOST_CACHE];
  size_t n_hosts;
} match_ctx;

static const char *where_text(match_ctx *m) {
  return bw_arena_printf(m->arena, "%s%s%s%s%s", m->where, m->kind ? " " : "",
                         m->kind ? m->kind : "", m->part ? " in part " : "",
                         m->part ? m->part : "");
}

enum { LIMIT_HITS = 1, LIMIT_GROUPS = 2, LIMIT_RECEIVED = 4, LIMIT_ADDRESSES = 8 };

/* Reports a limit once per message. */
static void limit_once(match_ctx *m, unsigned bit, const char *name, size_t value,
                       const char *consequence) {
  if (m->limits_reported & bit) return;
  m->limits_reported |= bit;
  bw_findings_limit(m->findings, NULL, name, value, consequence);
}

/* True the first time this indicator (type, value, feed, label) is seen in the message. */
static int first_report(match_ctx *m, const bw_intel_hit *h) {
  const char *id = bw_arena_printf(m->arena, "%d|%s|%s|%s", h->type, h->value, h->feed, h->label);
  if (!id) return 0;
  for (size_t i = 0; i < m->n_reported; i++)
    if (strcmp(m->reported[i], id) == 0) return 0;
  if (m->n_reported == MAX_REPORTED) {
    limit_once(m, LIMIT_HITS, "intel-hits", MAX_REPORTED,
               "further threat-intel hits in this message were not reported");
    return 0;
  }
  m->reported[m->n_reported++] = id;
  return 1;
}

/* The warninglist that suppresses a domain or e-mail indicator, or NULL. */
static const char *suppressing_list(const match_ctx *m, const bw_intel_hit *h) {
  if (h->type == BW_IOC_DOMAIN) return bw_intel_warninglist_of(m->intel, h->value);
  if (h->type == BW_IOC_EMAIL) return bw_intel_warninglist_of(m->intel, strrchr(h->value, '@') + 1);
  return NULL;
}

static void add_attribution(match_ctx *m, const char *name, const bw_intel_hit *h) {
  const bw_actor *a = bw_actor_find(name);
  const char *actor = a ? a->name : name;
  for (size_t i = 0; i < m->n_actors_done; i++)
    if (strcmp(m->actors_done[i], actor) == 0) return;
  if (m->n_actors_done < sizeof(m->actors_done) / sizeof(m->actors_done[0]))
    m->actors_done[m->n_actors_done++] = bw_arena_strdup(m->arena, actor);
  char aliases[4096] = "";
  if (a) bw_actor_alias_list(a, aliases, sizeof(aliases));
  bw_finding *f =
      bw_findings_add(m->findings, "intel_attribution", "intel", BW_SEVERITY_HIGH, NULL,
                      "attributed to %s%s%s%s (via %s indicator %s, feed %s)", actor,
                      a && a->attack_id ? " (ATT&CK " : "", a && a->attack_id ? a->attack_id : "",
                      a && a->attack_id ? ")" : "", bw_ioc_type_name(h->type), h->value, h->feed);
  bw_finding_add_evidence(m->findings, f, "actor", actor);
  if (a && a->attack_id) bw_finding_add_evidence(m->findings, f, "attack_id", a->attack_id);
  bw_finding_add_evidence(m->findings, f, "aliases", aliases);
  bw_finding_add_evidence(m->findings, f, "indicator", h->value);
  bw_finding_add_evidence(m->findings, f, "feed", h->feed);
}

/* Lines of h->actors: "actor:NAME" become attributions; all are listed as evidence. */
static void attribute(match_ctx *m, const bw_intel_hit *h) {
  char buf[2048];
  snprintf(buf, sizeof(buf), "%s", h->actors);
  for (char *save = NULL, *line = strtok_r(buf, "\n", &save); line;
       line = strtok_r(NULL, "\n", &save))
    if (strncmp(line, "actor:", 6) == 0) add_attribution(m, line + 6, h);
}

static void report_hit(match_ctx *m, const bw_intel_hit *h) {
  const char *where = where_text(m);
  const char *list = suppressing_list(m, h);
  if (list) {
    bw_finding *f =
        bw_findings_add(m->findings, "intel_suppressed", "intel", BW_SEVERITY_INFO, m->part,
                        "%s indicator %s (feed %s) suppressed by warninglist %s",
                        bw_ioc_type_name(h->type), h->value, h->feed, list);
    bw_finding_add_evidence(m->findings, f, "indicator", h->value);
    bw_finding_add_evidence(m->findings, f, "feed", h->feed);
    bw_finding_add_evidence(m->findings, f, "warninglist", list);
    bw_finding_add_evidence(m->findings, f, "matched", where);
    return;
  }
  bw_finding *f = bw_findings_add(m->findings, "intel_match", "intel", BW_SEVERITY_HIGH, m->part,
                                  "threat-intel %s indicator %s from feed %s matched %s%s",
                                  bw_ioc_type_name(h->type), h->value, h->feed, where,
                                  h->group ? " (all terms of an AND pattern)" : "");
  bw_finding_add_evidence(m->findings, f, "indicator", h->value);
  bw_finding_add_evidence(m->findings, f, "type", bw_ioc_type_name(h->type));
  bw_finding_add_evidence(m->findings, f, "feed", h->feed);
  bw_finding_add_evidence(m->findings, f, "matched", where);
  bw_finding_add_evidence(m->findings, f, "observed", m->observed);
  if (*h->label) bw_finding_add_evidence(m->findings, f, "label", h->label);
  if (*h->refs) bw_finding_add_evidence(m->findings, f, "references", h->refs);
  if (*h->actors) bw_finding_add_evidence(m->findings, f, "attribution", h->actors);
  attribute(m, h);
}

/* Records one term of an AND-group; true when the group is now complete. */
static int group_complete(match_ctx *m, const bw_intel_hit *h) {
  group_state *g = NULL;
  for (size_t i = 0; i < m->n_groups && !g; i++)
    if (m->groups[i].group == h->group) g = &m->groups[i];
  if (!g) {
    if (m->n_groups == MAX_GROUPS) {
      limit_once(m, LIMIT_GROUPS, "intel-and-groups", MAX_GROUPS,
                 "terms of further AND patterns were not tracked; those patterns cannot match");
      return 0;
    }
    g = &m->groups[m->n_groups++];
    *g = (group_state){h->group, 0};
  }
  g->seen |= 1ull << (h->term & 63);
  uint64_t all = h->n_terms >= 64 ? ~0ull : (1ull << h->n_terms) - 1;
  return g->seen == all;
}

static int on_hit(const bw_intel_hit *h, void *p) {
  match_ctx *m = p;
  if (h->group && !group_complete(m, h)) return 0;
  if (first_report(m, h)) report_hit(m, h);
  return m->findings->oom;
}

/* ---- observables ----------------------------------------------------------- */

static void set_place(match_ctx *m, const char *where, const char *part, const char *observed) {
  m->where = where;
  m->kind = NULL;
  m->part = part;
  m->observed = observed;
}

static int host_seen(match_ctx *m, const char *host) {
  for (size_t i = 0; i < m->n_hosts; i++)
    if (strcmp(m->hosts[i], host) == 0) return 1;
  if (m->n_hosts < MAX_HOST_CACHE) m->hosts[m->n_hosts++] = host;
  return 0;
}

static void match_address(match_ctx *m, const char *where, const char *address) {
  if (!address || !*address) return;
  set_place(m, where, NULL, address);
  bw_intel_lookup_email(m->intel, address, on_hit, m);
  const char *at = strrchr(address, '@');
  if (at) bw_intel_lookup_domain(m->intel, at + 1, on_hit, m);
}

static void match_list(match_ctx *m, const char *where, const bw_address_list *l) {
  for (size_t i = 0; i < l->n; i++) match_address(m, where, l->items[i].address);
}

static void match_url(match_ctx *m, const char *where, const char *kind, const char *part,
                      const bw_url *u) {
  if (!u->host || !u->normalized) return;
  set_place(m, where, part, u->normalized);
  m->kind = kind;
  bw_intel_lookup_url(m->intel, u->normalized, on_hit, m);
  if (host_seen(m, u->host)) return;
  if (u->host_kind == BW_HOST_DNS)
    bw_intel_lookup_domain(m->intel, u->host, on_hit, m);
  else
    bw_intel_lookup_ip(m->intel, u->host, on_hit, m);
}

/* Characters of an IPv4 or IPv6 literal. */
static int ip_char(unsigned char c) {
  return isxdigit(c) || c == ':' || c == '.';
}

/* Looks up each IPv4 or IPv6 literal in a Received header value. */
static void match_received(match_ctx *m, const char *value) {
  size_t found = 0;
  for (const char *p = value; *p;) {
    if (strncasecmp(p, "IPv6:", 5) == 0) { /* "[IPv6:2001:db8::1]" (RFC 5321) */
      p += 5;
      continue;
    }
    size_t n = 0;
    while (ip_char((unsigned char)p[n])) n++;
    int glued = p > value && (isalnum((unsigned char)p[-1]) || p[-1] == '-');
    if (n < 7 || n > 45 || glued || !(memchr(p, '.', n) || memchr(p, ':', n))) {
      p += n ? n : 1;
      continue;
    }
    char ip[46];
    memcpy(ip, p, n);
    ip[n] = 0;
    unsigned char bin[16];
    if (inet_pton(AF_INET, ip, bin) == 1 || inet_pton(AF_INET6, ip, bin) == 1) {
      if (found++ == MAX_IPS_PER_HEADER) {
        limit_once(m, LIMIT_ADDRESSES, "intel-received-addresses", MAX_IPS_PER_HEADER,
                   "further addresses in a Received header were not matched against threat intel");
        return;
      }
      set_place(m, "Received header", NULL, bw_arena_strdup(m->arena, ip));
      bw_intel_lookup_ip(m->intel, ip, on_hit, m);
    }
    p += n;
  }
}

static void match_headers(match_ctx *m, const bw_view *v) {
  match_list(m, "From", &v->from);
  match_list(m, "Sender", &v->sender);
  match_list(m, "Reply-To", &v->reply_to);
  match_address(m, "Return-Path", v->return_path);
  size_t received = 0;
  for (size_t i = 0; i < v->n_headers; i++) {
    if (strcasecmp(v->headers[i].name, "Received") != 0 || !v->headers[i].value) continue;
    if (received++ == MAX_RECEIVED) {
      limit_once(m, LIMIT_RECEIVED, "intel-received-headers", MAX_RECEIVED,
                 "further Received headers were not matched against threat intel");
      break;
    }
    match_received(m, v->headers[i].value);
  }
  if (v->subject) {
    set_place(m, "Subject", NULL, v->subject);
    bw_intel_lookup_subject(m->intel, v->subject, on_hit, m);
  }
}

static void match_attachments(match_ctx *m, const bw_view *v) {
  for (size_t i = 0; i < v->n_parts; i++) {
    const bw_part *p = v->parts[i];
    if (!p->md5[0]) continue;
    const char *what =
        p->filename ? bw_arena_printf(m->arena, "attachment %s", p->filename) : "attachment";
    const char *digests[] = {p->md5, p->sha1, p->sha256};
    for (size_t d = 0; d < 3; d++) {
      set_place(m, what, p->id, digests[d]);
      bw_intel_lookup_hash(m->intel, digests[d], on_hit, m);
    }
  }
}

static void match_extraction(match_ctx *m, const bw_extraction *x) {
  for (size_t i = 0; i < x->resources.len; i++) {
    const bw_resource *r = x->resources.items[i];
    match_url(m, "resource", r->kind, r->part, &r->url);
  }
  for (size_t i = 0; i < x->links.len; i++) {
    const bw_link *l = x->links.items[i];
    match_url(m, "link", NULL, l->part, &l->url);
  }
}

int bw_intel_match_message(const bw_intel *intel, const bw_view *view, const bw_extraction *x,
                           bw_findings *findings, bw_arena *arena) {
  if (!intel || !bw_intel_count(intel, 0)) return BW_OK;
  match_ctx m = {.intel = intel, .findings = findings, .arena = arena};
  if (view) {
    match_headers(&m, view);
    match_attachments(&m, view);
  }
  if (x) match_extraction(&m, x);
  return findings->oom ? BW_ENOMEM : BW_OK;
}
