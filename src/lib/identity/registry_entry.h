/*
 * registry_entry.h - one identity as the registry owns it, and reading the
 * registry's JSON format into such entries (registry_parse.c).
 *
 * An entry owns every string it points to. Its public view (bw_identity) is
 * the first member, so a pointer to an entry is a pointer to its identity;
 * bw_registry_entry_sync() refreshes the view after the entry grows.
 */
#ifndef BW_IDENTITY_REGISTRY_ENTRY_H
#define BW_IDENTITY_REGISTRY_ENTRY_H

#include <stddef.h>

#include <jansson.h>

#include "identity/registry.h"
#include "url/url.h"

typedef struct bw_registry_strings {
  char **v;
  size_t n, cap;
} bw_registry_strings;

/* How texts are searched for an entry's main name ("match_name" in the file). */
typedef enum bw_registry_match {
  BW_REGISTRY_MATCH_NEVER = 0,     /* only the alternate names are searched for */
  BW_REGISTRY_MATCH_ANY_CASE = 1,  /* the default */
  BW_REGISTRY_MATCH_EXACT_CASE = 2 /* a phrase in lower case: "Le Monde", not "le monde" */
} bw_registry_match;

typedef struct bw_registry_entry {
  bw_identity pub; /* first: the public view */
  char *id, *name, *organisation, *role, *country;
  bw_registry_strings alt_names, domains, esp_domains, addresses;
  int has_kind; /* the file named the kind (always true for a complete entry) */
  bw_registry_match match_name;
  int has_match_name;
} bw_registry_entry;

/* Appends a copy of s unless an equal string is already there. Returns 0 or -1 (out of memory). */
int bw_registry_strings_add(bw_registry_strings *s, const char *str);
void bw_registry_entry_free(bw_registry_entry *e);
void bw_registry_entry_sync(bw_registry_entry *e);

/*
 * Reads the top-level object of a registry file into new entries (*out, *n_out;
 * the caller frees them). Checks types, kinds, ids, names and domains; domains
 * become lowercase registrable domains (A-labels). Entries may be partial (no
 * kind or name) when they only extend an existing id; the caller checks that.
 * origin names the file in error messages. Returns 0, BW_EFORMAT or BW_ENOMEM.
 */
int bw_registry_parse(json_t *root, const char *origin, const bw_url_ctx *url,
                      bw_registry_entry ***out, size_t *n_out, bw_error *err);

#endif
