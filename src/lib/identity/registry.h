/*
 * registry.h - the protected identities: news organisations, journalists,
 * politicians and the user's own organisation, with every domain they
 * legitimately send from.
 *
 * Espionage mail poses as someone the target trusts. To say that a claim
 * fails we must know who may make it: the registry maps names (in every
 * language and abbreviation the organisation uses) to the domains that can
 * back them. A default registry is compiled into the library; users merge
 * their own (`--identities FILE`, docs/identities.md).
 */
#ifndef BW_IDENTITY_REGISTRY_H
#define BW_IDENTITY_REGISTRY_H

#include <stddef.h>

#include "beaconwatch.h"

typedef enum bw_identity_kind {
  BW_IDENTITY_OUTLET = 0,     /* a news organisation */
  BW_IDENTITY_JOURNALIST = 1, /* a person writing for an outlet */
  BW_IDENTITY_POLITICIAN = 2, /* a member of parliament, official */
  BW_IDENTITY_ORGANISATION = 3 /* any other protected organisation (the user's own) */
} bw_identity_kind;

typedef struct bw_identity {
  bw_identity_kind kind;
  const char *id;   /* stable slug, unique in the registry ("bbc", "rfa") */
  const char *name; /* the main display name ("BBC News") */
  const char *const *alt_names; /* other names and abbreviations, any language ("BBC", "BBC中文") */
  size_t n_alt_names;
  const char *const *domains; /* registrable domains it sends from (lowercase A-labels) */
  size_t n_domains;
  const char *const *esp_domains; /* mass-mail services' sending domains it is known to use */
  size_t n_esp_domains;
  const char *const *addresses; /* known addresses (people) */
  size_t n_addresses;
  const char *organisation; /* for people: the id of their organisation, or NULL */
  const char *role;         /* for people: "journalist", "MP", ...; for outlets: a category */
  const char *country;      /* ISO 3166 code or region, or NULL */
} bw_identity;

typedef struct bw_registry bw_registry;

/* The compiled-in default registry (data/identities). */
int bw_registry_new_default(bw_registry **out, bw_error *err);
/* Merges a user file (same JSON format); entries with an existing id extend that entry. */
int bw_registry_merge_file(bw_registry *r, const char *path, bw_error *err);
void bw_registry_free(bw_registry *r);

size_t bw_registry_count(const bw_registry *r);
const bw_identity *bw_registry_at(const bw_registry *r, size_t i);
const bw_identity *bw_registry_by_id(const bw_registry *r, const char *id);

/* The identity that owns a registrable domain (its own or a listed ESP domain does not count), or NULL. */
const bw_identity *bw_registry_owner_of(const bw_registry *r, const char *registrable_domain);
/* Whether a registrable domain is one of id's own domains (several identities may share one). */
int bw_registry_owns(const bw_identity *id, const char *registrable_domain);

/*
 * The identities whose name or alternate name occurs in text (a display name,
 * a signature, a local part), case-insensitively and on word boundaries for
 * scripts that have them. Fills up to max entries of out; returns how many were
 * found. Longer names win over the shorter names they contain. A few main names
 * that are everyday phrases in lower case ("Le Monde", "The Sun") match only with
 * their capitals, so pass the text with its original case (docs/identities.md).
 */
size_t bw_registry_find_names(const bw_registry *r, const char *text, size_t len,
                              const bw_identity **out, size_t max);

#endif
