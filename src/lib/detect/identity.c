/*
 * identity.c - does the sender's claimed identity hold?
 *
 * Reads the claims (identity_claims.c), then checks each against the domains
 * that can back it: the From domain, or a passing DKIM signature reported by
 * an Authentication-Results header the user trusts (by default only the
 * topmost, the one our own server added). A claim that fails from a
 * look-alike, free-mail or unrelated domain is an impersonation; a hedged
 * claim ("contributor") that fails is unverified. Independently it looks for
 * look-alikes of protected domains among the From, Reply-To, Return-Path,
 * DKIM d= and link domains. Everything it concludes is kept as evidence in
 * plain words, and the strongest conclusions become findings.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "detect/beacon.h"
#include "detect/freemail.h"
#include "detect/identity.h"

enum { MAX_DKIM = 8, MAX_SEEN_HOSTS = 64, MAX_LINK_EVIDENCE = 3 };

typedef struct detect_state {
  const bw_identity_ctx *ctx;
  bw_identity_result *out;
  bw_ptrvec evidence;              /* bw_identity_signal* */
  const char *dkim_pass[MAX_DKIM]; /* registrable d= of passing trusted DKIM results */
  size_t n_dkim;
  int oom;
} detect_state;

const char *bw_claim_source_name(bw_claim_source s) {
  switch (s) {
  case BW_CLAIM_DISPLAY_NAME:
    return "display_name";
  case BW_CLAIM_NAME_VIA_SERVICE:
    return "name_via_service";
  case BW_CLAIM_NAME_AND_OUTLET:
    return "name_and_outlet";
  case BW_CLAIM_TITLE:
    return "title";
  case BW_CLAIM_LOCAL_PART:
    return "local_part";
  case BW_CLAIM_ADDRESS_IN_NAME:
    return "address_in_display_name";
  case BW_CLAIM_SIGNATURE:
    return "signature";
  case BW_CLAIM_SENDER_DOMAIN:
    return "sender_domain";
  }
  return "unknown";
}

const char *bw_identity_kind_name(bw_identity_kind k) {
  switch (k) {
  case BW_IDENTITY_OUTLET:
    return "outlet";
  case BW_IDENTITY_JOURNALIST:
    return "journalist";
  case BW_IDENTITY_POLITICIAN:
    return "politician";
  case BW_IDENTITY_ORGANISATION:
    return "organisation";
  }
  return "unknown";
}

static void evidence(detect_state *st, const char *signal, const char *detail) {
  bw_identity_signal *s = bw_arena_alloc(st->ctx->arena, sizeof(*s));
  if (!s || !detail || bw_ptrvec_push(st->ctx->arena, &st->evidence, s) != 0) {
    st->oom = 1;
    return;
  }
  *s = (bw_identity_signal){signal, detail};
}

static const char *registrable(const detect_state *st, const char *host) {
  if (!host || !*host) return NULL;
  char *lower = bw_arena_strdup(st->ctx->arena, host);
  if (!lower) return NULL;
  for (char *p = lower; *p; p++)
    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
  return bw_url_registrable_domain(st->ctx->urls, st->ctx->arena, lower);
}

static const char *domain_of_address(const char *address) {
  const char *at = address ? strrchr(address, '@') : NULL;
  return at ? at + 1 : NULL;
}

/* ---- Authentication-Results ------------------------------------------------------------- */

static int is_trusted(const bw_identity_ctx *ctx, const bw_auth_results *ar) {
  if (!ctx->n_trusted) return ar->index == 0;
  for (size_t i = 0; i < ctx->n_trusted; i++)
    if (ar->authserv_id && strcasecmp(ar->authserv_id, ctx->trusted_authserv_ids[i]) == 0) return 1;
  return 0;
}

static int same_domain(const detect_state *st, const char *a, const char *reg) {
  const char *ra = registrable(st, a);
  return ra && reg && strcmp(ra, reg) == 0;
}

/*
 * One trusted method result: does it authenticate the From domain (1), say it failed (0), or
 * say nothing about it (-1)? Only an explicit failure counts as 0: "none" means the domain
 * publishes no policy or signed nothing, which proves nothing either way.
 */
static int method_alignment(detect_state *st, const bw_auth_method *m, const char *from_reg) {
  int pass = m->result && strcmp(m->result, "pass") == 0;
  int fail = m->result && strcmp(m->result, "fail") == 0;
  if (strcmp(m->method, "dkim") == 0) {
    const char *d = registrable(st, m->header_d);
    if (pass && d && st->n_dkim < MAX_DKIM) st->dkim_pass[st->n_dkim++] = d;
    int aligned = d && from_reg && strcmp(d, from_reg) == 0;
    return aligned && pass ? 1 : aligned && fail ? 0 : -1;
  }
  if (strcmp(m->method, "dmarc") == 0) {
    int about_from = !m->header_from || same_domain(st, m->header_from, from_reg);
    return about_from && pass ? 1 : about_from && fail ? 0 : -1;
  }
  if (strcmp(m->method, "spf") == 0 && pass && m->smtp_mailfrom) {
    const char *d = domain_of_address(m->smtp_mailfrom);
    return same_domain(st, d ? d : m->smtp_mailfrom, from_reg) ? 1 : -1;
  }
  return -1;
}

static void read_alignment(detect_state *st, const char *from_reg) {
  const bw_view *v = st->ctx->view;
  const char *by = NULL;
  for (size_t i = 0; i < v->n_auth; i++) {
    if (!is_trusted(st->ctx, &v->auth[i])) continue;
    by = v->auth[i].authserv_id;
    for (size_t m = 0; m < v->auth[i].n_methods; m++) {
      int a = method_alignment(st, &v->auth[i].methods[m], from_reg);
      if (a > st->out->aligned) st->out->aligned = a;
    }
  }
  if (!by) {
    if (v->n_auth)
      evidence(st, "auth_untrusted",
               "no Authentication-Results header comes from a server we trust");
    return;
  }
  if (st->out->aligned == 1)
    evidence(st, "dmarc_aligned",
             bw_arena_printf(st->ctx->arena, "%s reports that the From domain %s is authenticated",
                             by ? by : "the receiving server", from_reg ? from_reg : "(none)"));
  else if (st->out->aligned == 0)
    evidence(st, "dmarc_not_aligned",
             bw_arena_printf(st->ctx->arena, "%s could not authenticate the From domain %s",
                             by ? by : "the receiving server", from_reg ? from_reg : "(none)"));
}

/* ---- look-alike domains --------------------------------------------------------------------- */

/*
 * Checks one host; returns 1 when it is a strong look-alike. A weak one (a plain edit of a
 * short name, distance two) is recorded for the sender's domains, where it can confirm a
 * failing claim, but in links it is only evidence: links point to many unrelated domains.
 */
static int check_lookalike(detect_state *st, const char *host, const char *where) {
  bw_lookalike_match m;
  int rc = bw_lookalike_check(st->ctx->lookalikes, st->ctx->urls, st->ctx->arena, host, &m);
  if (rc < 0) st->oom = 1;
  if (rc <= 0) return 0;
  bw_identity_result *o = st->out;
  int sender = strcmp(where, "link") != 0;
  if (!sender && m.strong && !o->deceptive_link_domain) {
    o->deceptive_link_domain = bw_arena_strdup(st->ctx->arena, host);
    o->deceptive_link_of = m.protected_domain;
  }
  if (!sender && !m.strong) {
    evidence(st, "weak_lookalike_link", bw_arena_printf(st->ctx->arena, "link: %s", m.detail));
    return 0;
  }
  /* Keep the most telling one: the sender's domains over links, then strong over weak. */
  int was_link = o->lookalike_of && strcmp(o->lookalike_where, "link") == 0;
  int better = !o->lookalike_of || (sender && was_link) ||
               (sender == !was_link && m.strong && !o->lookalike_strong);
  if (better) {
    o->lookalike_of = m.protected_domain;
    o->lookalike_domain = bw_arena_strdup(st->ctx->arena, host);
    o->lookalike_method = m.method;
    o->lookalike_where = where;
    o->lookalike_strong = m.strong;
    o->lookalike_identity = m.identity;
  }
  evidence(st, strcmp(where, "link") == 0 ? "deceptive_link" : "lookalike_domain",
           bw_arena_printf(st->ctx->arena, "%s: %s", where, m.detail));
  bw_finding *f = bw_findings_add(st->ctx->findings, "lookalike_domain", "identity",
                                  !m.strong ? BW_SEVERITY_LOW
                                  : sender  ? BW_SEVERITY_HIGH
                                            : BW_SEVERITY_MEDIUM,
                                  NULL, "%s domain %s imitates %s (%s)", where, host,
                                  m.protected_domain, m.method);
  bw_finding_add_evidence(st->ctx->findings, f, "where", where);
  bw_finding_add_evidence(st->ctx->findings, f, "domain", host);
  bw_finding_add_evidence(st->ctx->findings, f, "imitates", m.protected_domain);
  bw_finding_add_evidence(st->ctx->findings, f, "method", m.method);
  return m.strong;
}

static int seen_before(const char **seen, size_t *n, const char *reg);

/* Checks one sender-side host unless its registrable domain was checked already. */
static void check_sender_host(detect_state *st, const char *host, const char *where,
                              const char **seen, size_t *n_seen) {
  const char *reg = registrable(st, host);
  if (reg && !seen_before(seen, n_seen, reg)) check_lookalike(st, host, where);
}

static void check_sender_domains(detect_state *st, const char *from_domain) {
  const bw_view *v = st->ctx->view;
  const char *seen[MAX_SEEN_HOSTS];
  size_t n_seen = 0;
  if (from_domain) check_sender_host(st, from_domain, "from", seen, &n_seen);
  for (size_t i = 0; i < v->reply_to.n; i++)
    if (v->reply_to.items[i].domain)
      check_sender_host(st, v->reply_to.items[i].domain, "reply_to", seen, &n_seen);
  if (domain_of_address(v->return_path))
    check_sender_host(st, domain_of_address(v->return_path), "return_path", seen, &n_seen);
  for (size_t i = 0; i < st->n_dkim; i++)
    check_sender_host(st, st->dkim_pass[i], "dkim", seen, &n_seen);
}

static int seen_before(const char **seen, size_t *n, const char *reg) {
  for (size_t i = 0; i < *n; i++)
    if (strcmp(seen[i], reg) == 0) return 1;
  if (*n < MAX_SEEN_HOSTS) seen[(*n)++] = reg;
  return 0;
}

static void check_url_host(detect_state *st, const bw_url *u, const char **seen, size_t *n_seen) {
  if (!u->host || u->host_kind != BW_HOST_DNS || !u->registrable_domain) return;
  if (*n_seen >= MAX_SEEN_HOSTS || seen_before(seen, n_seen, u->registrable_domain)) return;
  if (st->out->deceptive_links >= MAX_LINK_EVIDENCE) return;
  st->out->deceptive_links += check_lookalike(st, u->host, "link");
}

static void check_link_domains(detect_state *st) {
  const bw_extraction *x = st->ctx->extraction;
  const char *seen[MAX_SEEN_HOSTS];
  size_t n_seen = 0;
  for (size_t i = 0; i < x->links.len; i++)
    check_url_host(st, &((const bw_link *)x->links.items[i])->url, seen, &n_seen);
  for (size_t i = 0; i < x->resources.len; i++)
    check_url_host(st, &((const bw_resource *)x->resources.items[i])->url, seen, &n_seen);
}

/* ---- claims ------------------------------------------------------------------------------ */

static int in_list(const char *const *list, size_t n, const char *reg) {
  for (size_t i = 0; reg && i < n; i++)
    if (strcasecmp(list[i], reg) == 0) return 1;
  return 0;
}

/* Whether reg is a domain the identity (or, for a person, their organisation) sends from. */
static int backs(const bw_registry *r, const bw_identity *id, const char *reg) {
  if (!id || !reg) return 0;
  if (bw_registry_owns(id, reg) || in_list(id->esp_domains, id->n_esp_domains, reg)) return 1;
  const bw_identity *org = id->organisation ? bw_registry_by_id(r, id->organisation) : NULL;
  return org && org != id && bw_registry_owns(org, reg);
}

/* The From domain is the claimed identity's own (whether or not it was authenticated). */
static int from_matches(const detect_state *st, const bw_identity_claim *c) {
  const char *from_reg = st->out->from_domain;
  return backs(st->ctx->registry, c->identity, from_reg) ||
         (c->org_domain && from_reg && strcmp(c->org_domain, from_reg) == 0);
}

/* The identity's own From domain that a trusted server could not authenticate: forged. */
static int from_forged(const detect_state *st, const bw_identity_claim *c) {
  return st->out->aligned == 0 && from_matches(st, c);
}

static int claim_backed(const detect_state *st, const bw_identity_claim *c) {
  const bw_registry *r = st->ctx->registry;
  if (from_matches(st, c) && st->out->aligned != 0) return 1;
  for (size_t i = 0; i < st->n_dkim; i++)
    if (backs(r, c->identity, st->dkim_pass[i])) return 1;
  return 0;
}

static const char *claimed_name(const bw_identity_claim *c) {
  if (c->person) return c->person;
  return c->identity ? c->identity->name : "someone";
}

/* "Tobias Rusk (journalist, BBC News)". */
static const char *claim_words(bw_arena *a, const bw_identity_claim *c) {
  const char *org = c->identity && c->person && strcmp(c->person, c->identity->name) != 0
                        ? c->identity->name
                    : c->org_domain && c->person ? c->org_domain
                                                 : NULL;
  if (org)
    return bw_arena_printf(a, "%s (%s, %s)", claimed_name(c), bw_identity_kind_name(c->kind), org);
  return bw_arena_printf(a, "%s (%s)", claimed_name(c), bw_identity_kind_name(c->kind));
}

/* A sender-side look-alike that defeats claim c: a strong one, or a weak one of c's own domain. */
static int sender_lookalike(const bw_identity_result *o, const bw_identity_claim *c) {
  if (!o->lookalike_of || strcmp(o->lookalike_where, "link") == 0) return 0;
  return o->lookalike_strong || (c && c->identity && c->identity == o->lookalike_identity);
}

/* Replies that go to a domain neither the sender's nor the claimed identity's. */
static int replies_elsewhere(const detect_state *st, const bw_identity_claim *c) {
  const bw_view *v = st->ctx->view;
  for (size_t i = 0; i < v->reply_to.n; i++) {
    const char *reg = registrable(st, v->reply_to.items[i].domain);
    if (reg && st->out->from_domain && strcmp(reg, st->out->from_domain) != 0 &&
        !backs(st->ctx->registry, c->identity, reg))
      return 1;
  }
  return 0;
}

/* Bounces or the DKIM signature belong to a third party: sent through someone else's servers. */
static int sent_elsewhere(const detect_state *st, const bw_identity_claim *c) {
  const char *from = st->out->from_domain;
  const char *rp = registrable(st, domain_of_address(st->ctx->view->return_path));
  if (from && rp && strcmp(rp, from) != 0 && !backs(st->ctx->registry, c->identity, rp)) return 1;
  for (size_t i = 0; from && i < st->n_dkim; i++)
    if (strcmp(st->dkim_pass[i], from) != 0 &&
        !backs(st->ctx->registry, c->identity, st->dkim_pass[i]))
      return 1;
  return 0;
}

/* The sender's local part names the claimed identity too ("nytimes-noreply@..."). */
static int local_part_agrees(const detect_state *st, const bw_identity_claim *c,
                             const bw_address *from) {
  bw_claim_env env = {st->ctx->registry, st->ctx->lookalikes, st->ctx->urls, st->ctx->arena};
  bw_claim_list l = {0};
  bw_claims_from_local_part(&env, from ? from->address : NULL, &l);
  return l.n && c->identity && l.items[0].identity == c->identity;
}

/*
 * Can a failing claim be an impersonation? Never when hedged. From a free-mail
 * account or a look-alike domain, yes. From an unrelated domain only when
 * something else contradicts it: the claim names its own domain, replies go
 * elsewhere, it was sent through a third party's servers (a mass-mail
 * service), or the local part names the identity too; otherwise it may be an
 * aggregator or a feed (guardian <rss@example.org>) and stays unverifiable.
 */
static int can_impersonate(const detect_state *st, const bw_identity_claim *c,
                           const bw_address *from) {
  if (from_forged(st, c)) return 1;
  if (c->hedged) return 0;
  if (c->source == BW_CLAIM_LOCAL_PART) return st->out->freemail;
  if (st->out->freemail) return 1;
  if (!c->identity && !c->org_domain) return 0;
  if (sender_lookalike(st->out, c)) return 1;
  return c->org_domain || replies_elsewhere(st, c) || sent_elsewhere(st, c) ||
         local_part_agrees(st, c, from);
}

/* A title in the display name ("Senator X") takes the domain the signature names, if any. */
static void name_office_domains(bw_claim_list *list) {
  const char *domain = NULL;
  for (size_t i = 0; i < list->n && !domain; i++)
    if (list->items[i].source == BW_CLAIM_SIGNATURE) domain = list->items[i].org_domain;
  for (size_t i = 0; domain && i < list->n; i++)
    if (list->items[i].kind == BW_IDENTITY_POLITICIAN && !list->items[i].identity &&
        !list->items[i].org_domain)
      list->items[i].org_domain = domain;
}

static void read_claims(detect_state *st, const bw_address *from, bw_claim_list *list) {
  const bw_identity_ctx *ctx = st->ctx;
  bw_claim_env env = {ctx->registry, ctx->lookalikes, ctx->urls, ctx->arena};
  const char *name = from ? from->name : NULL;
  bw_claims_from_display_name(&env, name, list);
  if (from && st->out->freemail) bw_claims_from_local_part(&env, from->address, list);
  const char *sig = bw_claims_signature_text(ctx->arena, ctx->view);
  bw_claims_from_signature(&env, sig, list->name_person, list);
  name_office_domains(list);
  if (list->homoglyphs)
    evidence(st, "homoglyph_name",
             bw_arena_printf(ctx->arena,
                             "the display name \"%s\" mixes scripts: letters from another "
                             "alphabet imitate Latin ones",
                             name ? name : ""));
  if (!list->n && st->out->lookalike_strong && strcmp(st->out->lookalike_where, "from") == 0) {
    const bw_identity *id = bw_registry_owner_of(ctx->registry, st->out->lookalike_of);
    if (id)
      list->items[list->n++] = (bw_identity_claim){.source = BW_CLAIM_SENDER_DOMAIN,
                                                   .kind = id->kind,
                                                   .identity = id,
                                                   .text = st->out->lookalike_domain};
  }
}

static const char *failure_of(const detect_state *st, const bw_identity_claim *c) {
  const bw_identity_result *o = st->out;
  if (from_forged(st, c)) return "unauthenticated";
  if (sender_lookalike(o, c)) return "lookalike";
  return o->freemail ? "freemail" : "unrelated_domain";
}

static const char *failure_words(const detect_state *st, const char *failure) {
  const bw_identity_result *o = st->out;
  const char *d = o->from_domain ? o->from_domain : "an unknown domain";
  if (strcmp(failure, "lookalike") == 0)
    return bw_arena_printf(st->ctx->arena, "%s, a look-alike of %s", o->lookalike_domain,
                           o->lookalike_of);
  if (strcmp(failure, "freemail") == 0)
    return bw_arena_printf(st->ctx->arena, "%s, a free-mail provider", d);
  if (strcmp(failure, "unauthenticated") == 0)
    return bw_arena_printf(
        st->ctx->arena, "%s, but the receiving server could not authenticate it (forged From)", d);
  return bw_arena_printf(st->ctx->arena, "%s, a domain unrelated to the claim", d);
}

static void set_impersonation(detect_state *st, const bw_identity_claim *c) {
  bw_identity_result *o = st->out;
  o->impersonation = c;
  o->impersonates_name = claimed_name(c);
  o->impersonates_kind = c->kind;
  o->impersonates_id = c->identity ? c->identity->id : NULL;
  o->impersonates_org = c->identity && c->person && strcmp(c->person, c->identity->name) != 0
                            ? c->identity->name
                            : c->org_domain;
  o->failure = failure_of(st, c);
  const char *who = claim_words(st->ctx->arena, c);
  const char *from = failure_words(st, o->failure);
  evidence(st, "impersonation",
           bw_arena_printf(st->ctx->arena, "the %s claims %s but the message comes from %s",
                           bw_claim_source_name(c->source), who, from));
  bw_finding *f = bw_findings_add(st->ctx->findings, "impersonation", "identity", BW_SEVERITY_HIGH,
                                  NULL, "claims to be %s but comes from %s", who, from);
  bw_finding_add_evidence(st->ctx->findings, f, "claimed", o->impersonates_name);
  bw_finding_add_evidence(st->ctx->findings, f, "kind", bw_identity_kind_name(c->kind));
  bw_finding_add_evidence(st->ctx->findings, f, "source", bw_claim_source_name(c->source));
  bw_finding_add_evidence(st->ctx->findings, f, "failure", o->failure);
}

static void set_unverified(detect_state *st, const bw_identity_claim *c) {
  bw_identity_result *o = st->out;
  o->unverified = 1;
  const char *who = claim_words(st->ctx->arena, c);
  evidence(st, "unverified_claim",
           bw_arena_printf(st->ctx->arena,
                           "the %s associates the sender with %s, which %s cannot confirm",
                           bw_claim_source_name(c->source), who,
                           o->from_domain ? o->from_domain : "the sender"));
  bw_finding *f =
      bw_findings_add(st->ctx->findings, "unverified_claim", "identity", BW_SEVERITY_MEDIUM, NULL,
                      "names %s, which the sender's domain cannot confirm", who);
  bw_finding_add_evidence(st->ctx->findings, f, "claimed", claimed_name(c));
  bw_finding_add_evidence(st->ctx->findings, f, "source", bw_claim_source_name(c->source));
}

static void set_unverifiable(detect_state *st, const bw_identity_claim *c) {
  st->out->unverifiable = 1;
  evidence(st, "unverifiable_claim",
           bw_arena_printf(st->ctx->arena,
                           "the %s names %s, but %s is not theirs (nothing else contradicts it)",
                           bw_claim_source_name(c->source), claim_words(st->ctx->arena, c),
                           st->out->from_domain ? st->out->from_domain : "the sender's domain"));
}

/* Does a beacon report to a domain of a claimed identity (the identity's own tracking)? */
static int tracking_first_party(const detect_state *st, const bw_claim_list *list) {
  const bw_ptrvec *b = st->ctx->beacons;
  for (size_t i = 0; b && i < b->len; i++) {
    const char *reg = ((const bw_beacon *)b->items[i])->url->registrable_domain;
    for (size_t c = 0; reg && c < list->n; c++)
      if (backs(st->ctx->registry, list->items[c].identity, reg)) return 1;
  }
  return 0;
}

static void judge_claims(detect_state *st, bw_claim_list *list, const bw_address *from) {
  bw_identity_result *o = st->out;
  const bw_identity_claim *holding = NULL, *failing = NULL, *hedged = NULL, *weak = NULL;
  for (size_t i = 0; i < list->n; i++) {
    bw_identity_claim *c = &list->items[i];
    c->holds = claim_backed(st, c);
    if (c->holds) {
      if (!holding) holding = c;
    } else if (can_impersonate(st, c, from)) {
      if (!failing) failing = c;
    } else if (c->hedged && o->freemail && c->identity) {
      if (!hedged) hedged = c;
    } else if ((c->identity || c->org_domain) && !weak)
      weak = c;
  }
  o->first_party_tracking = tracking_first_party(st, list);
  o->claims = bw_arena_alloc(st->ctx->arena, (list->n ? list->n : 1) * sizeof(*o->claims));
  if (!o->claims) {
    st->oom = 1;
    return;
  }
  memcpy(o->claims, list->items, list->n * sizeof(*o->claims));
  o->n_claims = list->n;
  o->claim_holds = list->n ? holding != NULL : -1;
  if (holding)
    evidence(st, "claim_holds",
             bw_arena_printf(st->ctx->arena, "%s sends from %s",
                             claim_words(st->ctx->arena, holding),
                             o->from_domain ? o->from_domain : "its own domain"));
  else if (failing)
    set_impersonation(st, o->claims + (failing - list->items));
  else if (hedged)
    set_unverified(st, hedged);
  else if (weak)
    set_unverifiable(st, weak);
}

/* Reply-To and Return-Path that lead somewhere the claimed identity does not own. */
static void check_other_senders(detect_state *st) {
  const bw_identity_result *o = st->out;
  if (!o->n_claims || o->claim_holds == 1) return;
  const bw_view *v = st->ctx->view;
  for (size_t i = 0; i < v->reply_to.n; i++) {
    const char *reg = registrable(st, v->reply_to.items[i].domain);
    if (reg && o->from_domain && strcmp(reg, o->from_domain) != 0)
      evidence(st, "reply_to_elsewhere",
               bw_arena_printf(st->ctx->arena, "replies go to %s%s, not to the sender's domain",
                               reg, bw_freemail_is(reg) ? " (free mail)" : ""));
  }
  const char *rp = registrable(st, domain_of_address(v->return_path));
  if (rp && o->from_domain && strcmp(rp, o->from_domain) != 0)
    evidence(st, "return_path_elsewhere",
             bw_arena_printf(st->ctx->arena,
                             "bounces go to %s: the message was sent through another "
                             "domain's servers (often a mass-mail service)",
                             rp));
  for (size_t i = 0; i < st->n_dkim; i++)
    if (o->from_domain && strcmp(st->dkim_pass[i], o->from_domain) != 0)
      evidence(st, "dkim_elsewhere",
               bw_arena_printf(st->ctx->arena, "signed by %s, not by the sender's domain",
                               st->dkim_pass[i]));
}

/*
 * A claim that holds by its From domain alone (no trusted server authenticated it) while
 * replies go to a free-mail account or a look-alike: the usual shape of a forged From.
 */
static void check_reply_diversion(detect_state *st) {
  bw_identity_result *o = st->out;
  if (o->claim_holds != 1 || o->aligned == 1) return;
  const bw_view *v = st->ctx->view;
  for (size_t i = 0; i < v->reply_to.n && !o->reply_diverted; i++) {
    const char *reg = registrable(st, v->reply_to.items[i].domain);
    int lookalike =
        o->lookalike_of && strcmp(o->lookalike_where, "reply_to") == 0 && o->lookalike_strong;
    if (reg && (bw_freemail_is(reg) || lookalike)) o->reply_diverted = reg;
  }
  if (o->reply_diverted)
    evidence(st, "reply_diverted",
             bw_arena_printf(st->ctx->arena,
                             "replies go to %s although the message claims to come from %s's own "
                             "domain, which no trusted server authenticated",
                             o->reply_diverted, o->from_domain ? o->from_domain : "the sender"));
}

static const bw_address *first_from(const bw_view *v) {
  for (size_t i = 0; i < v->from.n; i++)
    if (v->from.items[i].address) return &v->from.items[i];
  return NULL;
}

int bw_identity_detect(const bw_identity_ctx *ctx, bw_identity_result *out) {
  memset(out, 0, sizeof(*out));
  out->aligned = -1;
  out->claim_holds = -1;
  detect_state st = {.ctx = ctx, .out = out};
  const bw_address *from = first_from(ctx->view);
  const char *from_host =
      from ? (from->domain ? from->domain : domain_of_address(from->address)) : NULL;
  out->from_domain = registrable(&st, from_host);
  out->freemail = bw_freemail_is(out->from_domain);
  if (out->freemail)
    evidence(&st, "freemail_sender",
             bw_arena_printf(ctx->arena,
                             "%s is a free-mail provider: anyone can open an account there",
                             out->from_domain));
  read_alignment(&st, out->from_domain);
  check_sender_domains(&st, from_host);
  check_link_domains(&st);
  bw_claim_list list = {0};
  read_claims(&st, from, &list);
  judge_claims(&st, &list, from);
  check_other_senders(&st);
  check_reply_diversion(&st);
  out->evidence =
      bw_arena_alloc(ctx->arena, (st.evidence.len ? st.evidence.len : 1) * sizeof(*out->evidence));
  if (!out->evidence) return BW_ENOMEM;
  for (size_t i = 0; i < st.evidence.len; i++)
    out->evidence[i] = *(bw_identity_signal *)st.evidence.items[i];
  out->n_evidence = st.evidence.len;
  return st.oom ? BW_ENOMEM : BW_OK;
}
