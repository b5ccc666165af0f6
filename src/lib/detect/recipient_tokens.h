/*
 * recipient_tokens.h - the recipient's address in every form a tracker may
 * put it in a URL.
 *
 * Following the method of the 2018 PETS study of email tracking (Englehardt
 * et al., "I never signed up for this!"), each recipient address is encoded
 * and hashed in the ways senders use (raw, upper/lower case, URL-encoded,
 * base64 and base64url with and without padding, hex, MD5, SHA-1, SHA-224,
 * SHA-256, SHA-384, SHA-512, CRC32), once per message, and every URL is then
 * searched for any of them, as written and after one level of URL-decoding.
 */
#ifndef BW_DETECT_RECIPIENT_TOKENS_H
#define BW_DETECT_RECIPIENT_TOKENS_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

typedef struct bw_recipient_token {
  const char *address;  /* the address it encodes */
  const char *encoding; /* "raw", "urlenc", "base64", "base64-nopad", "base64url", "base64url-nopad",
                           "hex", "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "crc32" */
  const char *text;     /* the encoded form (lowercased when !case_sensitive) */
  size_t len;
  int case_sensitive; /* base64 forms must match exactly; hex and raw forms in any case */
} bw_recipient_token;

typedef struct bw_recipient_tokens {
  bw_arena *arena;
  const char **forms;        /* each address as written and lowercased */
  const char **form_address; /* the address each form belongs to */
  size_t n_forms;
  int digests_built;         /* digests are added when a URL first shows a run of hex digits */
  bw_recipient_token *items;
  size_t n, cap;
  uint32_t *buckets; /* prefix index: first token of each bucket, UINT32_MAX when empty */
  uint32_t *next;    /* next token in the same bucket */
  size_t mask;
} bw_recipient_tokens;

/* Builds the encodings of each address; the digests follow on demand (see find). */
int bw_recipient_tokens_build(bw_arena *a, const char *const *addresses, size_t n_addresses,
                              bw_recipient_tokens *out);

/*
 * Finds the longest token in s (the earliest of equal length); `lower` is s ASCII-lowercased,
 * searched for the case-insensitive forms, which are stored lowercased.
 * Returns the token and sets *at to its byte offset, or returns NULL.
 */
const bw_recipient_token *bw_recipient_tokens_find(bw_recipient_tokens *t, const char *s,
                                                   const char *lower, size_t len, size_t *at);

#endif
