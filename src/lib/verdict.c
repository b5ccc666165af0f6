/*
 * verdict.c - from what the detectors found to one of four verdicts, a score
 * and the reasons in plain words.
 *
 * A tracking pixel says nothing by itself: newsletters use the same services
 * that espionage campaigns do. What separates them is who the sender claims
 * to be and whether that holds. So the verdict combines the identity result
 * with the beacons and the threat-intelligence findings:
 *
 *   targeted_beacon      a recipient-identifying beacon from a sender whose
 *                        claimed identity fails (impersonation or look-alike
 *                        domain), or an intel hit attributed to an actor;
 *   suspicious           deception without such a beacon (impersonation,
 *                        look-alike, deceptive links from an unverified
 *                        claim, a link whose text shows another site), a beacon from a sender whose claim cannot be
 *                        verified, an unverified claim, replies diverted to
 *                        free mail from an unauthenticated claim, or any
 *                        intel hit;
 *   commercial_tracking  tracking by a sender whose claim holds or who
 *                        claims nobody;
 *   clean                nothing that reports an open or a click.
 *
 * Parser findings (parse_defect, limit_exceeded) are evidence for an analyst
 * but do not change the verdict: real mail is often malformed.
 */
#include <string.h>

#include "scan.h"

typedef struct verdict_facts {
  const bw_beacon *identifying;  /* first beacon that identifies the recipient */
  const bw_beacon *beacon;       /* first beacon of any kind */
  const bw_finding *attribution; /* intel_attribution */
  const bw_finding *intel;       /* intel_match */
  int fails;        /* the claimed identity fails: impersonation or a look-alike sender */
  int unverifiable; /* a beacon from a sender whose claim nothing backs, reporting to a third party
                     */
  int deceptive_links;
  const bw_finding *shown_elsewhere; /* deceptive_link: the text shows another site */
  const bw_identity_result *id;      /* the sender judged: the message's, or a forwarded one's */
  const char *forwarded_part;        /* the part of that forwarded message, or NULL */
} verdict_facts;

static int sender_lookalike(const bw_identity_result *id) {
  return id->lookalike_of && id->lookalike_strong && strcmp(id->lookalike_where, "link") != 0;
}

static int identity_fails(const bw_identity_result *id) {
  return id->impersonation != NULL || sender_lookalike(id);
}

/*
 * The sender to judge: the message's own, unless it passes and a message
 * forwarded inside it (the way suspect mail reaches a security team) fails.
 */
static const bw_identity_result *judged_identity(const bw_result *r, const char **part) {
  *part = NULL;
  if (identity_fails(&r->identity)) return &r->identity;
  for (size_t i = 0; i < r->embedded.len; i++) {
    const bw_embedded *em = r->embedded.items[i];
    if (identity_fails(&em->identity)) {
      *part = em->part->id;
      return &em->identity;
    }
  }
  return &r->identity;
}

static verdict_facts gather(const bw_result *r) {
  verdict_facts f = {0};
  for (size_t i = 0; i < r->beacons.len; i++) {
    const bw_beacon *b = r->beacons.items[i];
    if (!f.beacon) f.beacon = b;
    if (!f.identifying && b->identifies_recipient) f.identifying = b;
  }
  for (size_t i = 0; i < r->findings.items.len; i++) {
    const bw_finding *x = r->findings.items.items[i];
    if (!f.attribution && strcmp(x->kind, "intel_attribution") == 0) f.attribution = x;
    if (!f.intel && strcmp(x->kind, "intel_match") == 0) f.intel = x;
    if (!f.shown_elsewhere && strcmp(x->kind, "deceptive_link") == 0) f.shown_elsewhere = x;
  }
  const bw_identity_result *id = judged_identity(r, &f.forwarded_part);
  f.id = id;
  f.fails = identity_fails(id);
  f.unverifiable = id->unverifiable && f.beacon && !id->first_party_tracking;
  f.deceptive_links = id->deceptive_links && id->n_claims && id->claim_holds != 1;
  return f;
}

static void reason(bw_result *r, const char *text) {
  if (!text || bw_ptrvec_push(&r->arena, &r->verdict_reasons, (void *)text) != 0)
    r->findings.oom = 1;
}

/* The claim that holds (the first, when several do), or the first claim. */
static const bw_identity_claim *holding_claim(const bw_identity_result *id) {
  for (size_t i = 0; i < id->n_claims; i++)
    if (id->claims[i].holds) return &id->claims[i];
  return id->claims;
}

static const char *claim_name(const bw_identity_claim *c) {
  if (c->identity) return c->identity->name;
  return c->person ? c->person : "an office";
}

static const char *who(const bw_identity_result *id) {
  return id->impersonates_name ? id->impersonates_name : "a protected identity";
}

/* The domain that makes the claim fail: the look-alike, else the From domain. */
static const char *failing_domain(const bw_identity_result *id) {
  if (strcmp(id->failure, "lookalike") == 0 && id->lookalike_domain) return id->lookalike_domain;
  return id->from_domain ? id->from_domain : "an unknown domain";
}

static const char *failure_words(const char *failure) {
  if (strcmp(failure, "freemail") == 0) return ", a free-mail account";
  if (strcmp(failure, "lookalike") == 0) return ", a look-alike domain";
  if (strcmp(failure, "unauthenticated") == 0) return " without passing DMARC: the From is forged";
  return ", a domain that is not theirs";
}

/* Why the sender's identity fails, in one sentence. */
static void reason_identity(bw_result *r, const bw_identity_result *id) {
  if (id->impersonation)
    reason(r, bw_arena_printf(
                  &r->arena, "The sender claims to be %s (%s%s%s) but writes from %s%s.", who(id),
                  bw_identity_kind_name(id->impersonates_kind), id->impersonates_org ? ", " : "",
                  id->impersonates_org ? id->impersonates_org : "", failing_domain(id),
                  failure_words(id->failure)));
  if (sender_lookalike(id))
    reason(r, bw_arena_printf(&r->arena, "The %s domain %s imitates %s (%s).",
                              strcmp(id->lookalike_where, "reply_to") == 0      ? "Reply-To"
                              : strcmp(id->lookalike_where, "return_path") == 0 ? "Return-Path"
                              : strcmp(id->lookalike_where, "dkim") == 0        ? "DKIM signing"
                                                                                : "sender's",
                              id->lookalike_domain, id->lookalike_of, id->lookalike_method));
}

static void reason_beacon(bw_result *r, const bw_beacon *b) {
  const char *host = b->url->host ? b->url->host : "a remote server";
  if (b->identifies_recipient)
    reason(r, bw_arena_printf(
                  &r->arena, "%s tells %s who you are (%s in the URL), your IP address and device.",
                  strcmp(b->trigger, "open") == 0 ? "Opening it" : "Clicking a link", host,
                  b->token_encoding ? b->token_encoding : "an id"));
  else
    reason(r, bw_arena_printf(&r->arena, "%s tells %s your IP address and device.",
                              strcmp(b->trigger, "open") == 0 ? "Opening it" : "Clicking a link",
                              host));
}

static bw_verdict decide(bw_result *r, const verdict_facts *f, int *score) {
  const bw_identity_result *id = f->id;
  if (f->attribution) {
    reason(r, f->attribution->message);
    *score = 95;
    return BW_VERDICT_TARGETED_BEACON;
  }
  if (f->fails) {
    if (f->forwarded_part)
      reason(r, bw_arena_printf(&r->arena, "It carries a forwarded message (part %s):",
                                f->forwarded_part));
    reason_identity(r, id);
    if (f->identifying)
      reason_beacon(r, f->identifying);
    else if (f->beacon)
      reason_beacon(r, f->beacon);
    *score = f->identifying ? 90 + 5 * (id->impersonation && sender_lookalike(id))
                            : 60 + 10 * (f->beacon != NULL);
    return f->identifying ? BW_VERDICT_TARGETED_BEACON : BW_VERDICT_SUSPICIOUS;
  }
  if (f->intel || f->unverifiable || id->unverified || f->deceptive_links || id->reply_diverted ||
      f->shown_elsewhere) {
    if (f->intel) reason(r, f->intel->message);
    if (f->shown_elsewhere)
      reason(r, bw_arena_printf(&r->arena, "A link %s: what you see is not where it goes.",
                                f->shown_elsewhere->message + strlen("a link ")));
    if (id->reply_diverted)
      reason(r,
             bw_arena_printf(&r->arena,
                             "Replies go to %s, although the sender claims to write from %s, "
                             "which no trusted server authenticated.",
                             id->reply_diverted, id->from_domain ? id->from_domain : "its domain"));
    if (f->unverifiable || id->unverified)
      reason(r, bw_arena_printf(&r->arena, "The sender names %s, which %s cannot confirm.",
                                claim_name(id->claims),
                                id->from_domain ? id->from_domain : "its domain"));
    if (f->deceptive_links)
      reason(r, bw_arena_printf(&r->arena, "Links lead to %s, a look-alike of %s.",
                                id->deceptive_link_domain, id->deceptive_link_of));
    if (f->beacon) reason_beacon(r, f->identifying ? f->identifying : f->beacon);
    *score = 50 + 10 * (f->beacon != NULL) + 10 * (f->intel != NULL) + 5 * f->deceptive_links;
    return BW_VERDICT_SUSPICIOUS;
  }
  if (f->beacon) {
    reason_beacon(r, f->identifying ? f->identifying : f->beacon);
    if (id->claim_holds == 1)
      reason(r, bw_arena_printf(&r->arena,
                                "The sender is who it claims to be (%s sends from %s): this is "
                                "the sender's own tracking, not a targeted beacon.",
                                claim_name(holding_claim(id)),
                                id->from_domain ? id->from_domain : "its domain"));
    else if (id->first_party_tracking)
      reason(r,
             "The tracking reports to the claimed sender's own domain, so it serves that sender, "
             "not a third party posing as it.");
    else
      reason(r, "The sender does not pose as anyone we protect: this looks like ordinary marketing "
                "tracking.");
    *score = 20 + 10 * (f->identifying != NULL);
    return BW_VERDICT_COMMERCIAL_TRACKING;
  }
  reason(r, "Nothing in it reports an open or a click, and the sender does not pose as anyone we "
            "protect.");
  *score = 0;
  return BW_VERDICT_CLEAN;
}

void bw_verdict_decide(bw_result *r) {
  verdict_facts f = gather(r);
  int score = 0;
  r->verdict = decide(r, &f, &score);
  r->score = score > 100 ? 100 : score;
}

const char *bw_verdict_name(bw_verdict v) {
  switch (v) {
  case BW_VERDICT_CLEAN:
    return "clean";
  case BW_VERDICT_COMMERCIAL_TRACKING:
    return "commercial_tracking";
  case BW_VERDICT_SUSPICIOUS:
    return "suspicious";
  case BW_VERDICT_TARGETED_BEACON:
    return "targeted_beacon";
  }
  return "unknown";
}

int bw_verdict_parse(const char *name, bw_verdict *out) {
  for (int v = BW_VERDICT_CLEAN; v <= BW_VERDICT_TARGETED_BEACON; v++) {
    if (strcmp(name, bw_verdict_name((bw_verdict)v)) == 0) {
      *out = (bw_verdict)v;
      return BW_OK;
    }
  }
  return BW_EINVAL;
}

const char *bw_severity_name(bw_severity s) {
  switch (s) {
  case BW_SEVERITY_INFO:
    return "info";
  case BW_SEVERITY_LOW:
    return "low";
  case BW_SEVERITY_MEDIUM:
    return "medium";
  case BW_SEVERITY_HIGH:
    return "high";
  }
  return "unknown";
}
