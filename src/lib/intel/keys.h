/*
 * keys.h - turning indicator values and message observables into index keys.
 *
 * A feed and a message must agree on one spelling of each value, or nothing
 * ever matches: domains become lowercase A-labels without a trailing dot,
 * URLs are normalised by the project's URL parser and lose their scheme and
 * fragment, addresses and networks become binary with a prefix length, hashes
 * become binary, subjects are case-folded with collapsed white space. A key is
 * one type byte followed by that payload; the same code builds keys when
 * compiling and when scanning.
 */
#ifndef BW_INTEL_KEYS_H
#define BW_INTEL_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "intel/intel.h"
#include "url/url.h"

enum {
  BW_INTEL_MAX_KEY = 2048,       /* bytes of one key, type byte included */
  BW_INTEL_MAX_VALUE_TEXT = 4200 /* bytes of a key formatted back to text */
};

typedef struct bw_intel_key {
  unsigned char bytes[BW_INTEL_MAX_KEY];
  size_t len;
} bw_intel_key;

/*
 * Each returns NULL when k holds the key, else a static reason why the value
 * cannot be an indicator of that type.
 */
const char *bw_intel_key_domain(const char *s, size_t len, bw_intel_key *k);
const char *bw_intel_key_ip(const char *s, size_t len, bw_intel_key *k);
const char *bw_intel_key_email(const char *s, size_t len, bw_intel_key *k);
const char *bw_intel_key_subject(const char *s, size_t len, bw_intel_key *k);
const char *bw_intel_key_filehash(const char *s, size_t len, bw_intel_key *k);
/* A URL as bw_url_parse normalised it ("scheme://host/path..."). */
const char *bw_intel_key_url_normalized(const char *normalized, bw_intel_key *k);
/*
 * A URL from a feed: parsed with bw_url_parse first. A URL that names only a
 * server (no path beyond "/", no query) becomes a domain or IP key, since
 * feeds such as maltrail list C2 servers that way; *as_host is then set.
 */
const char *bw_intel_key_url(const bw_url_ctx *urls, const char *s, size_t len, bw_intel_key *k,
                             int *as_host);

/* What a bare value reads as: hash by length, URL, e-mail, IP or network, else domain. */
bw_ioc_type bw_intel_infer_type(const char *s, size_t len);
/* Normalises s as type t (a URL naming only a server becomes a host key). */
const char *bw_intel_key_typed(const bw_url_ctx *urls, bw_ioc_type t, const char *s, size_t len,
                               bw_intel_key *k);

/* The type of a key (its first byte). */
static inline bw_ioc_type bw_intel_key_type(const unsigned char *key) {
  return (bw_ioc_type)key[0];
}

/* Writes a key back as text ("evil.example", "10.0.0.0/8", hex digests). */
void bw_intel_key_format(const unsigned char *key, size_t len, char *out, size_t size);

/* The hash of a key, stored in index files: FNV-1a 64 (never change it). */
uint64_t bw_intel_key_hash(const unsigned char *key, size_t len);

#endif
