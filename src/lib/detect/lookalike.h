/*
 * lookalike.h - is a domain made to look like a protected one?
 *
 * Espionage mail often comes from a domain that a reader mistakes for the
 * outlet's own: a homoglyph (Cyrillic "а" in bbc.com, punycode), a typo
 * (nyttimes), the real name with a word added (theguardian-updates), or the
 * real domain as a subdomain of the attacker's (theguardian.com.news-hub.test).
 * The index compares a domain with every protected domain of the registry by
 * TR39 skeleton (ICU uspoof), by the permutation families dnstwist generates
 * and by Damerau-Levenshtein distance on the registrable label, with the
 * allowed distance relative to the label's length so that short names (bbc,
 * ft, rfa) do not match half the internet. Built once per engine; read-only
 * and thread-safe after.
 */
#ifndef BW_DETECT_LOOKALIKE_H
#define BW_DETECT_LOOKALIKE_H

#include "identity/registry.h"
#include "url/url.h"
#include "util/arena.h"

typedef struct bw_lookalike_index bw_lookalike_index;

typedef struct bw_lookalike_match {
  const bw_identity *identity;  /* whose domain is imitated */
  const char *protected_domain; /* the registry's domain, e.g. "theguardian.com" */
  const char *method;           /* "skeleton", "edit_distance:N" or "dnstwist:<family>" (arena) */
  const char *family;           /* the dnstwist family, "skeleton" or "edit_distance" */
  const char *detail;           /* plain words (arena) */
  int strong; /* 1: subdomain, skeleton, added word, TLD swap, or a letter-keeping typo of a
                 long name; 0: a plain edit of a short name or distance 2, which real, unrelated
                 domains often are (rutgers/reuters), so it only supports other evidence */
} bw_lookalike_match;

int bw_lookalike_index_new(const bw_registry *registry, bw_lookalike_index **out, bw_error *err);
void bw_lookalike_index_free(bw_lookalike_index *ix);

/*
 * Checks a host name (ASCII A-labels or Unicode). Returns 1 and fills *m
 * (strings in the arena) when it imitates a protected domain, 0 when it does
 * not (including when the registry owns it or it is a free-mail provider),
 * -1 when out of memory.
 */
int bw_lookalike_check(const bw_lookalike_index *ix, const bw_url_ctx *urls, bw_arena *a,
                       const char *host, bw_lookalike_match *m);

/*
 * The identity whose registrable label is exactly word ("bbc", "nytimes"), or
 * that label glued to an added word ("bbcnews", "scmp-briefing" is not one
 * word); NULL when none, or when word is shorter than three letters.
 */
const bw_identity *bw_lookalike_label_owner(const bw_lookalike_index *ix, const char *word,
                                            size_t len);

/*
 * Replaces, in words that mix ASCII letters with other scripts ("Thе" with a
 * Cyrillic "е"), every character whose TR39 skeleton is one ASCII letter by
 * that letter, so that the registry's name search sees "The". Returns the
 * text (arena; the input itself when nothing changed) and sets *changed.
 */
const char *bw_lookalike_fold_mixed_script(const bw_lookalike_index *ix, bw_arena *a,
                                           const char *text, int *changed);

/* The lowercased TR39 skeleton of a label (UTF-8), malloc'd, or NULL when out of memory.
 * Exposed for the unit tests. */
char *bw_lookalike_skeleton(const bw_lookalike_index *ix, const char *s, size_t len);

/* Damerau-Levenshtein (optimal string alignment) distance of two byte strings,
 * or limit + 1 when it exceeds limit. Exposed for the unit tests. */
int bw_lookalike_distance(const char *a, size_t la, const char *b, size_t lb, int limit);

#endif
