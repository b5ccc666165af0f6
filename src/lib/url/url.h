/*
 * url.h - URL parsing and normalisation for the URLs found in mail.
 *
 * Follows the parts of the WHATWG URL standard that matter for telling where
 * a request goes: scheme, userinfo, host (lowercased; IDNA in both A-label and
 * U-label forms via libidn2; IPv4 in dotted, decimal, hex and octal forms;
 * IPv6 literals), port, path, query, fragment; the registrable domain from
 * libpsl. Never resolves or fetches anything.
 */
#ifndef BW_URL_H
#define BW_URL_H

#include <stddef.h>

#include "util/arena.h"

typedef enum bw_host_kind {
  BW_HOST_NONE = 0, /* no host: mailto:, cid:, data:, relative */
  BW_HOST_DNS,
  BW_HOST_IPV4,
  BW_HOST_IPV6
} bw_host_kind;

typedef struct bw_url {
  const char *raw;        /* the input, whitespace-trimmed */
  const char *normalized; /* scheme://[userinfo@]host[:port]path[?query][#fragment] */
  const char *scheme;     /* lowercase, without ':'; "" when the URL is relative */
  const char *userinfo;   /* NULL when absent */
  const char *host;       /* ASCII: lowercase A-labels, dotted-quad IPv4, IPv6 without brackets; NULL if none */
  const char *host_unicode;       /* U-label form (same as host when not an IDN) */
  const char *registrable_domain; /* eTLD+1 per libpsl; NULL for IPs, bare suffixes, no host */
  int port;               /* explicit port, or -1 */
  const char *path;       /* percent-encoding normalised: unreserved decoded, hex uppercased */
  const char *query;      /* without '?', NULL when absent */
  const char *fragment;   /* without '#', NULL when absent */
  bw_host_kind host_kind;
  int host_obfuscated;    /* IPv4 written as a single integer, hex or octal parts */
  int is_idn;             /* host has non-ASCII labels or xn-- labels */
  int is_remote;          /* loading it makes a network request: http(s), ftp, ws(s), // */
  int is_local;           /* cid:, mid:, data:, about:, javascript: (nothing fetched from a host) */
  const char *error;      /* NULL when parsed; else why not (the other fields may be partial) */
} bw_url;

typedef struct bw_url_ctx bw_url_ctx;

/* Loads the public suffix list (libpsl's newest of built-in and system file). */
bw_url_ctx *bw_url_ctx_new(void);
void bw_url_ctx_free(bw_url_ctx *ctx);

/*
 * Parses s (len bytes; HTML entities must already be decoded) into out, with
 * all strings allocated in a. Leading/trailing whitespace and embedded tab/CR/LF
 * are removed as browsers do. Returns 0, or -1 on OOM. A malformed URL is not an
 * error: out->error says what is wrong and the fields hold what could be read.
 */
int bw_url_parse(const bw_url_ctx *ctx, bw_arena *a, const char *s, size_t len, bw_url *out);

/* Registrable domain of a host name (ASCII or Unicode), allocated in a; NULL if none. */
const char *bw_url_registrable_domain(const bw_url_ctx *ctx, bw_arena *a, const char *host);

/* Percent-decodes s once into out (capacity >= len + 1); returns the length. */
size_t bw_url_percent_decode(const char *s, size_t len, char *out);

/* Finds URLs in plain text (http(s)://, ftp://, www.-prefixed). */
typedef int (*bw_text_url_fn)(const char *url, size_t len, size_t offset, void *ctx);
int bw_text_find_urls(const char *text, size_t len, bw_text_url_fn fn, void *ctx);

#endif
