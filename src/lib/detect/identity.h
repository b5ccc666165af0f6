/*
 * identity.h - who a message claims to be from, and whether that holds.
 *
 * A pixel in a newsletter one subscribed to is marketing; the same pixel in a
 * message that claims to be from a BBC journalist but comes from a look-alike
 * or free-mail domain is espionage. This detector reads the claims a message
 * makes (display name, "Name | Outlet", "Name via Service", the name in the
 * local part, an address inside the display name, the signature, a title such
 * as "Senator" or "Member of Parliament"), checks each against the domains the
 * registry says can back it, looks for look-alikes of protected domains in
 * From, Reply-To, Return-Path, DKIM d= and links, and reads DMARC alignment
 * from the Authentication-Results the user trusts. The verdict combines the
 * result with the beacons.
 */
#ifndef BW_DETECT_IDENTITY_H
#define BW_DETECT_IDENTITY_H

#include <stddef.h>

#include "detect/lookalike.h"
#include "findings.h"
#include "html/resources.h"
#include "identity/registry.h"
#include "mime/view.h"

/* Where a claim was read. */
typedef enum bw_claim_source {
  BW_CLAIM_DISPLAY_NAME,     /* "BBC News" */
  BW_CLAIM_NAME_VIA_SERVICE, /* "BBC News via Mailchimp" */
  BW_CLAIM_NAME_AND_OUTLET,  /* "Name | Outlet", "Name, Outlet", "Name (Outlet)" */
  BW_CLAIM_TITLE,            /* "Senator Name", "Name (Office of)" */
  BW_CLAIM_LOCAL_PART,       /* bbcnews.alerts@gmail.com */
  BW_CLAIM_ADDRESS_IN_NAME,  /* "news@bbc.co.uk" <x@example.test> */
  BW_CLAIM_SIGNATURE,        /* the last lines of the text */
  BW_CLAIM_SENDER_DOMAIN /* no words claim anything, but the From domain imitates a protected one */
} bw_claim_source;

typedef struct bw_identity_claim {
  bw_claim_source source;
  bw_identity_kind kind; /* outlet, journalist, politician, organisation */
  const bw_identity
      *identity;          /* the protected identity named, or NULL (a title with a domain only) */
  const char *person;     /* the person claimed to write, for journalists and politicians */
  const char *org_domain; /* a domain the claim names itself ("parliament-b.example"), or NULL */
  const char *text;       /* the words that make the claim */
  int hedged;             /* "contributor", "freelance", "former": an association, not identity */
  int holds;              /* the sender's domain (or an aligned DKIM signature) backs the claim */
} bw_identity_claim;

typedef struct bw_identity_signal {
  const char *signal; /* see docs/output.md, "identity evidence" */
  const char *detail; /* plain words */
} bw_identity_signal;

typedef struct bw_identity_result {
  bw_identity_claim *claims;
  size_t n_claims;
  /* The failing claim that makes this an impersonation, or NULL. */
  const bw_identity_claim *impersonation;
  const char *impersonates_name; /* the person or organisation impersonated */
  bw_identity_kind impersonates_kind;
  const char *impersonates_id;  /* registry id (the outlet's for a journalist), or NULL */
  const char *impersonates_org; /* a person's outlet or organisation (name or domain), or NULL */
  const char *failure;          /* "lookalike", "freemail", "unrelated_domain" */
  /* The first sender-side domain that imitates a protected one, or NULL. */
  const char *lookalike_of;     /* the protected domain */
  const char *lookalike_domain; /* the imitating domain */
  const char *lookalike_method; /* skeleton, edit_distance:N, dnstwist:<family> */
  const char *lookalike_where;  /* from, reply_to, return_path, dkim, link */
  int lookalike_strong;         /* the match is deception on its own (bw_lookalike_match.strong) */
  const bw_identity *lookalike_identity; /* whose domain lookalike_of is */
  int deceptive_links;                   /* links to look-alikes of protected domains */
  const char *deceptive_link_domain;     /* the first link domain that strongly imitates one */
  const char *deceptive_link_of;         /* the protected domain it imitates */
  int aligned;                           /* DMARC alignment of the From domain: 1, 0, -1 unknown */
  int claim_holds;            /* 1 a claim holds, 0 claims made but none holds, -1 no claim */
  int unverified;             /* a hedged claim from a free-mail account ("BBC News contributor") */
  int unverifiable;           /* a claim from an unrelated domain with nothing else against it */
  int first_party_tracking;   /* a beacon reports to a domain of the claimed identity itself */
  const char *reply_diverted; /* a holding but unauthenticated claim whose replies go to free mail
                                 or a look-alike: the domain replies go to, else NULL */
  int freemail;               /* the From domain is a free-mail provider */
  const char *from_domain;    /* registrable From domain, or NULL */
  bw_identity_signal *evidence;
  size_t n_evidence;
} bw_identity_result;

typedef struct bw_identity_ctx {
  const bw_registry *registry;
  const bw_lookalike_index *lookalikes;
  const bw_url_ctx *urls;
  bw_arena *arena;
  bw_findings *findings;
  const bw_view *view;
  const bw_extraction *extraction;
  const bw_ptrvec *beacons;                /* bw_beacon*, from the beacon detector */
  const char *const *trusted_authserv_ids; /* NULL: only the topmost header is trusted */
  size_t n_trusted;
} bw_identity_ctx;

/* Fills *out (strings in ctx->arena) and adds identity findings. Returns BW_OK or BW_ENOMEM. */
int bw_identity_detect(const bw_identity_ctx *ctx, bw_identity_result *out);

/* "display_name", "name_via_service", "name_and_outlet", "title", "local_part",
   "address_in_display_name", "signature". */
const char *bw_claim_source_name(bw_claim_source s);
/* "outlet", "journalist", "politician", "organisation". */
const char *bw_identity_kind_name(bw_identity_kind k);

/* What the claim parsers need: the registry, the look-alike index, URLs, memory. */
typedef struct bw_claim_env {
  const bw_registry *registry;
  const bw_lookalike_index *lookalikes;
  const bw_url_ctx *urls;
  bw_arena *arena;
} bw_claim_env;

/* Bounded list of claims being read. */
typedef struct bw_claim_list {
  bw_identity_claim items[16];
  size_t n;
  int homoglyphs; /* a name hid look-alike letters from another script */
  /* bw_claims_person_in_name() of the display name, which bw_claims_from_display_name()
     reads on the way (NULL until then) */
  const char *name_person;
} bw_claim_list;

/*
 * Claim parsers (identity_claims.c). They need no message, so `identity
 * check` and the fuzzer call them directly. Strings live in env->arena.
 */
void bw_claims_from_display_name(const bw_claim_env *env, const char *name, bw_claim_list *out);
void bw_claims_from_local_part(const bw_claim_env *env, const char *address, bw_claim_list *out);
/* sig: the last lines of the message text; display_person: the display name if it is a person. */
void bw_claims_from_signature(const bw_claim_env *env, const char *sig, const char *display_person,
                              bw_claim_list *out);
/* The display name's person part ("Tobias Rusk" of "Tobias Rusk, BBC News"), or NULL. */
const char *bw_claims_person_in_name(const bw_claim_env *env, const char *name);
/* The signature block of a message: the last lines of its text before any quote (arena). */
const char *bw_claims_signature_text(bw_arena *a, const bw_view *view);

#endif
