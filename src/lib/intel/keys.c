/*
 * keys.c - normalising indicator values into index keys (see keys.h).
 *
 * Every function validates as it normalises and says why a value is rejected,
 * so that a loader can report the item instead of dropping it.
 */
#include "intel/keys.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <idn2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucasemap.h>

#include "intel/index_format.h"
#include "util/arena.h"

uint64_t bw_intel_key_hash(const unsigned char *key, size_t len) {
  return bw_intel_fnv(BW_INTEL_FNV_SEED, key, len);
}

static void trim(const char **s, size_t *len) {
  while (*len && isspace((unsigned char)**s)) (*s)++, (*len)--;
  while (*len && isspace((unsigned char)(*s)[*len - 1])) (*len)--;
}

static int has_non_ascii(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)s[i] >= 0x80) return 1;
  return 0;
}

/* Letters, digits, '-' and '_' in labels of 1..63 bytes, at least two labels. */
static const char *check_dns_name(const char *s, size_t len) {
  if (len == 0) return "empty domain name";
  if (len > 253) return "domain name longer than 253 bytes";
  size_t label = 0, labels = 1;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c == '.') {
      if (label == 0) return "empty label in domain name";
      label = 0, labels++;
    } else if (isalnum((unsigned char)c) || c == '-' || c == '_') {
      if (++label > 63) return "domain label longer than 63 bytes";
    } else {
      return "character not allowed in a domain name";
    }
  }
  if (label == 0) return "empty label in domain name";
  return labels < 2 ? "a single label is not a domain name" : NULL;
}

static const char *put_key(bw_intel_key *k, bw_ioc_type t, const void *p, size_t len) {
  if (len + 1 > sizeof(k->bytes)) return "value longer than the index key limit (2047 bytes)";
  k->bytes[0] = (unsigned char)t;
  memcpy(k->bytes + 1, p, len);
  k->len = len + 1;
  return NULL;
}

const char *bw_intel_key_domain(const char *s, size_t len, bw_intel_key *k) {
  trim(&s, &len);
  if (len > 2 && s[0] == '*' && s[1] == '.') s += 2, len -= 2; /* "*.x.test" lists x.test */
  if (len && s[len - 1] == '.') len--;
  if (len == 0 || len > 1024) return "empty or overlong domain name";
  char buf[1100];
  memcpy(buf, s, len);
  buf[len] = 0;
  if (has_non_ascii(buf, len)) {
    char *ascii = NULL;
    if (idn2_to_ascii_8z(buf, &ascii, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT) != IDN2_OK &&
        idn2_to_ascii_8z(buf, &ascii, IDN2_TRANSITIONAL | IDN2_NFC_INPUT) != IDN2_OK)
      return "internationalised domain name not convertible to IDNA A-labels";
    size_t n = strlen(ascii);
    if (n >= sizeof(buf)) n = sizeof(buf) - 1;
    memcpy(buf, ascii, n);
    buf[n] = 0;
    len = n;
    idn2_free(ascii);
  }
  for (size_t i = 0; i < len; i++) buf[i] = (char)tolower((unsigned char)buf[i]);
  const char *why = check_dns_name(buf, len);
  return why ? why : put_key(k, BW_IOC_DOMAIN, buf, len);
}

/* Parses "a.b.c.d", "v6", "[v6]" with an optional "/prefix" into family, bytes and prefix. */
static const char *parse_ip(const char *s, size_t len, int *family, unsigned char addr[16],
                            int *prefix) {
  char buf[80];
  trim(&s, &len);
  if (len == 0 || len >= sizeof(buf)) return "not an IP address";
  memcpy(buf, s, len);
  buf[len] = 0;
  char *slash = strchr(buf, '/');
  *prefix = -1;
  if (slash) {
    *slash = 0;
    char *end;
    long p = strtol(slash + 1, &end, 10);
    if (!slash[1] || *end || p < 0 || p > 128) return "invalid CIDR prefix length";
    *prefix = (int)p;
  }
  char *host = buf;
  size_t hl = strlen(host);
  if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') host[hl - 1] = 0, host++;
  if (inet_pton(AF_INET, host, addr) == 1)
    *family = 4;
  else if (inet_pton(AF_INET6, host, addr) == 1)
    *family = 6;
  else
    return "not an IP address";
  int bits = *family == 4 ? 32 : 128;
  if (*prefix > bits) return "CIDR prefix longer than the address";
  if (*prefix < 0) *prefix = bits;
  return NULL;
}

/* Clears the host bits of a network address. */
static void mask_address(unsigned char *addr, int bytes, int prefix) {
  for (int i = 0; i < bytes; i++) {
    int keep = prefix - i * 8;
    if (keep >= 8) continue;
    addr[i] &= keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));
  }
}

const char *bw_intel_key_ip(const char *s, size_t len, bw_intel_key *k) {
  int family, prefix;
  unsigned char addr[17];
  const char *why = parse_ip(s, len, &family, addr + 1, &prefix);
  if (why) return why;
  int bytes = family == 4 ? 4 : 16;
  mask_address(addr + 1, bytes, prefix);
  addr[0] = (unsigned char)prefix;
  return put_key(k, family == 4 ? BW_IOC_IPV4 : BW_IOC_IPV6, addr, (size_t)bytes + 1);
}

const char *bw_intel_key_email(const char *s, size_t len, bw_intel_key *k) {
  trim(&s, &len);
  if (len >= 2 && s[0] == '<' && s[len - 1] == '>') s++, len -= 2;
  const char *at = memrchr(s, '@', len);
  if (!at || at == s || at == s + len - 1) return "not an e-mail address (local@domain)";
  size_t local = (size_t)(at - s);
  for (size_t i = 0; i < local; i++)
    if (isspace((unsigned char)s[i]) || s[i] == '@') return "white space or '@' in the local part";
  bw_intel_key dom;
  const char *why = bw_intel_key_domain(at + 1, len - local - 1, &dom);
  if (why) return why;
  if (local + dom.len > BW_INTEL_MAX_KEY - 1) return "e-mail address too long";
  char buf[BW_INTEL_MAX_KEY];
  for (size_t i = 0; i < local; i++) buf[i] = (char)tolower((unsigned char)s[i]);
  buf[local] = '@';
  memcpy(buf + local + 1, dom.bytes + 1, dom.len - 1);
  return put_key(k, BW_IOC_EMAIL, buf, local + dom.len);
}

/* Collapses runs of white space to one space and trims, in place; returns the new length. */
static size_t collapse_space(char *s, size_t len) {
  size_t o = 0;
  int pending = 0;
  for (size_t i = 0; i < len; i++) {
    if (isspace((unsigned char)s[i])) {
      pending = o > 0;
      continue;
    }
    if (pending) s[o++] = ' ', pending = 0;
    s[o++] = s[i];
  }
  return o;
}

static UCaseMap *case_map;
static pthread_once_t case_map_once = PTHREAD_ONCE_INIT;

/* One case map for the process: ucasemap_utf8FoldCase only reads it. */
static void open_case_map(void) {
  UErrorCode status = U_ZERO_ERROR;
  case_map = ucasemap_open(NULL, U_FOLD_CASE_DEFAULT, &status);
  if (U_FAILURE(status)) case_map = NULL;
}

const char *bw_intel_key_subject(const char *s, size_t len, bw_intel_key *k) {
  if (len > 1000) return "subject longer than 1000 bytes";
  char folded[BW_INTEL_MAX_KEY];
  pthread_once(&case_map_once, open_case_map);
  if (!case_map) return "case folding unavailable (ICU)";
  UErrorCode status = U_ZERO_ERROR;
  int32_t n =
      ucasemap_utf8FoldCase(case_map, folded, (int32_t)sizeof(folded), s, (int32_t)len, &status);
  if (U_FAILURE(status) || n < 0 || (size_t)n >= sizeof(folded))
    return "subject is not valid UTF-8 or folds to more than the key limit";
  size_t m = collapse_space(folded, (size_t)n);
  if (m == 0) return "empty subject";
  return put_key(k, BW_IOC_SUBJECT, folded, m);
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = tolower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

const char *bw_intel_key_filehash(const char *s, size_t len, bw_intel_key *k) {
  trim(&s, &len);
  bw_ioc_type t = len == 32 ? BW_IOC_MD5 : len == 40 ? BW_IOC_SHA1 : len == 64 ? BW_IOC_SHA256 : 0;
  if (!t) return "a hash must have 32 (MD5), 40 (SHA-1) or 64 (SHA-256) hex digits";
  unsigned char bin[32];
  for (size_t i = 0; i < len / 2; i++) {
    int hi = hexval((unsigned char)s[2 * i]), lo = hexval((unsigned char)s[2 * i + 1]);
    if (hi < 0 || lo < 0) return "non-hex character in a hash";
    bin[i] = (unsigned char)(hi << 4 | lo);
  }
  return put_key(k, t, bin, len / 2);
}

const char *bw_intel_key_url_normalized(const char *normalized, bw_intel_key *k) {
  const char *p = strstr(normalized, "//");
  if (!p) return "URL without a host";
  size_t len = strcspn(p, "#");
  return put_key(k, BW_IOC_URL, p, len);
}

/* True when the normalised URL is "scheme://host[:port]/" with nothing after the path. */
static int names_only_server(const bw_url *u) {
  return (!u->path || !*u->path || strcmp(u->path, "/") == 0) && !u->query;
}

const char *bw_intel_key_url(const bw_url_ctx *urls, const char *s, size_t len, bw_intel_key *k,
                             int *as_host) {
  *as_host = 0;
  trim(&s, &len);
  if (len == 0 || len >= BW_INTEL_MAX_KEY) return "empty or overlong URL";
  bw_arena a;
  bw_arena_init(&a);
  bw_url u;
  const char *why = NULL;
  if (bw_url_parse(urls, &a, s, len, &u) != 0)
    why = "out of memory parsing the URL";
  else if (u.error)
    why = "URL does not parse";
  else if (!u.host || !u.is_remote)
    why = "URL has no remote host (only http, https, ftp, ws URLs)";
  else if (names_only_server(&u) && !u.userinfo) {
    *as_host = 1;
    why = u.host_kind == BW_HOST_DNS ? bw_intel_key_domain(u.host, strlen(u.host), k)
                                     : bw_intel_key_ip(u.host, strlen(u.host), k);
  } else {
    why = bw_intel_key_url_normalized(u.normalized, k);
  }
  bw_arena_free(&a);
  return why;
}

static void format_hex(const unsigned char *p, size_t n, char *out, size_t size) {
  static const char digits[] = "0123456789abcdef";
  size_t o = 0;
  for (size_t i = 0; i < n && o + 2 < size; i++) {
    out[o++] = digits[p[i] >> 4];
    out[o++] = digits[p[i] & 15];
  }
  out[o] = 0;
}

static void format_ip(const unsigned char *payload, size_t n, char *out, size_t size) {
  int v4 = n == 5;
  char text[INET6_ADDRSTRLEN];
  if (!inet_ntop(v4 ? AF_INET : AF_INET6, payload + 1, text, sizeof(text))) text[0] = 0;
  if (payload[0] == (v4 ? 32 : 128))
    snprintf(out, size, "%s", text);
  else
    snprintf(out, size, "%s/%u", text, payload[0]);
}

void bw_intel_key_format(const unsigned char *key, size_t len, char *out, size_t size) {
  if (size == 0) return;
  out[0] = 0;
  if (len < 1) return;
  bw_ioc_type t = bw_intel_key_type(key);
  if ((t == BW_IOC_IPV4 && len == 6) || (t == BW_IOC_IPV6 && len == 18)) {
    format_ip(key + 1, len - 1, out, size);
  } else if (t == BW_IOC_MD5 || t == BW_IOC_SHA1 || t == BW_IOC_SHA256) {
    format_hex(key + 1, len - 1, out, size);
  } else {
    size_t n = len - 1 < size - 1 ? len - 1 : size - 1;
    memcpy(out, key + 1, n);
    out[n] = 0;
  }
}

static int all_hex(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (hexval((unsigned char)s[i]) < 0) return 0;
  return 1;
}

bw_ioc_type bw_intel_infer_type(const char *s, size_t len) {
  trim(&s, &len);
  if ((len == 32 || len == 40 || len == 64) && all_hex(s, len))
    return len == 32 ? BW_IOC_MD5 : len == 40 ? BW_IOC_SHA1 : BW_IOC_SHA256;
  if (memmem(s, len, "://", 3)) return BW_IOC_URL;
  if (memchr(s, '@', len)) return BW_IOC_EMAIL;
  int family, prefix;
  unsigned char addr[16];
  if (!parse_ip(s, len, &family, addr, &prefix)) return family == 4 ? BW_IOC_IPV4 : BW_IOC_IPV6;
  if (memchr(s, '/', len)) return BW_IOC_URL;
  return BW_IOC_DOMAIN;
}

const char *bw_intel_key_typed(const bw_url_ctx *urls, bw_ioc_type t, const char *s, size_t len,
                               bw_intel_key *k) {
  int as_host;
  switch (t) {
  case BW_IOC_DOMAIN:
    return bw_intel_key_domain(s, len, k);
  case BW_IOC_URL:
    return bw_intel_key_url(urls, s, len, k, &as_host);
  case BW_IOC_IPV4:
  case BW_IOC_IPV6: {
    const char *why = bw_intel_key_ip(s, len, k);
    if (!why && bw_intel_key_type(k->bytes) != t) return "address of the other IP version";
    return why;
  }
  case BW_IOC_EMAIL:
    return bw_intel_key_email(s, len, k);
  case BW_IOC_SUBJECT:
    return bw_intel_key_subject(s, len, k);
  case BW_IOC_MD5:
  case BW_IOC_SHA1:
  case BW_IOC_SHA256: {
    const char *why = bw_intel_key_filehash(s, len, k);
    if (!why && bw_intel_key_type(k->bytes) != t)
      return "hash length does not fit its declared type";
    return why;
  }
  }
  return "unknown indicator type";
}

const char *bw_ioc_type_name(bw_ioc_type t) {
  static const char *const names[] = {"?",     "domain",  "url", "ipv4", "ipv6",
                                      "email", "subject", "md5", "sha1", "sha256"};
  return (unsigned)t <= BW_IOC_TYPE_MAX ? names[t] : "?";
}
