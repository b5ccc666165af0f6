/*
 * url_tokens.h - finding values in a URL that are unique per message or per
 * recipient (opaque ids), and URLs that redirect to another URL.
 *
 * A tracking URL must tell the tracker which copy of a message was opened, so
 * it carries an id: a UUID, a long hex string, or a long random string over
 * the base62/base64 alphabet. Ordinary URLs carry words, slugs, dates and
 * small numbers. The classifier looks at every path segment, query value and
 * the fragment, after one level of percent-decoding, and judges each by its
 * length, alphabet and character entropy.
 */
#ifndef BW_DETECT_URL_TOKENS_H
#define BW_DETECT_URL_TOKENS_H

#include <stddef.h>

typedef struct bw_url_token {
  const char *encoding; /* "uuid", "hexid", "base62" or NULL when none */
  const char *where;    /* "path", "query" or "fragment" */
  char text[160];       /* the token (cut at 159 bytes) */
  double entropy;       /* bits per character */
  int strength;         /* 1 weak .. 3 strong, for comparing tokens */
} bw_url_token;

/* Finds the strongest id-like token in url (the URL as written). Returns 1 if one was found. */
int bw_url_find_token(const char *url, size_t len, bw_url_token *out);

/* 1 when a query value of url is itself an http(s) URL: the link is a redirector. */
int bw_url_is_redirector(const char *url, size_t len);

#endif
