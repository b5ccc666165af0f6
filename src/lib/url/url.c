/*
 * url.c - parses and normalises the URLs found in mail (see url.h).
 *
 * The point is to know where a request would go the way a browser sees it,
 * not the way the text reads: "http://bbc.co.uk@evil.test/" goes to
 * evil.test, "http://3232235777/" to 192.168.1.1, "http://xn--bcher-kva.example"
 * is bücher.example. So we follow the WHATWG URL standard for the parts that
 * decide the destination (trimming, scheme, authority, host, IPv4 number
 * forms, IDNA, dot segments) and normalise percent-encoding so that equal
 * URLs compare equal. Nothing here resolves or fetches anything.
 */
#include "url/url.h"

#include <arpa/inet.h>
#include <idn2.h>
#include <libpsl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/byte_table.h"

struct bw_url_ctx {
  psl_ctx_t *psl;
};

bw_url_ctx *bw_url_ctx_new(void) {
  bw_url_ctx *ctx = calloc(1, sizeof(*ctx));
  if (!ctx) return NULL;
  ctx->psl = psl_latest(NULL);
  if (!ctx->psl) ctx->psl = (psl_ctx_t *)psl_builtin();
  if (!ctx->psl) {
    free(ctx);
    return NULL;
  }
  return ctx;
}

void bw_url_ctx_free(bw_url_ctx *ctx) {
  if (!ctx) return;
  psl_free(ctx->psl); /* a no-op for the built-in list */
  free(ctx);
}

/* ---- small helpers ------------------------------------------------------------ */

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static int is_alpha(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c) {
  return c >= '0' && c <= '9';
}

static int lower(int c) {
  return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* The value of a well-formed %XX at s[i], or -1. */
static int pct_value(const char *s, size_t len, size_t i) {
  if (s[i] != '%' || i + 2 >= len) return -1;
  int hi = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

size_t bw_url_percent_decode(const char *s, size_t len, char *out) {
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    int v = pct_value(s, len, i);
    if (v >= 0) {
      out[o++] = (char)v;
      i += 2;
    } else {
      out[o++] = s[i];
    }
  }
  out[o] = 0;
  return o;
}

static int ieq(const char *s, size_t n, const char *lit) {
  size_t m = strlen(lit);
  if (n != m) return 0;
  for (size_t i = 0; i < n; i++)
    if (lower((unsigned char)s[i]) != lit[i]) return 0;
  return 1;
}

/* An output string in the arena, sized up front so appends never reallocate. */
typedef struct sbuf {
  char *p;
  size_t n;
} sbuf;

static int sbuf_init(bw_arena *a, sbuf *b, size_t cap) {
  b->p = bw_arena_alloc(a, cap + 1);
  b->n = 0;
  return b->p ? 0 : -1;
}

static void sbuf_put(sbuf *b, const char *s, size_t n) {
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}

static void sbuf_putc(sbuf *b, char c) {
  sbuf_put(b, &c, 1);
}

static void sbuf_pct(sbuf *b, unsigned v) {
  static const char hex[] = "0123456789ABCDEF";
  char t[3] = {'%', hex[v >> 4], hex[v & 15]};
  sbuf_put(b, t, 3);
}

/* Records why a URL is malformed; the first reason is the one reported. */
static void fail(bw_url *out, const char *why) {
  if (!out->error) out->error = why;
}

/* ---- percent-encoding normalisation --------------------------------------------- */

/* Which WHATWG percent-encode set applies to a component. */
typedef enum pct_set { SET_OPAQUE, SET_PATH, SET_QUERY, SET_SPECIAL_QUERY, SET_FRAGMENT } pct_set;

/*
 * The bytes put_normalised does not copy as they are, one bit per
 * percent-encode set: '%' (an escape to normalise) and what the set encodes.
 * Every set encodes controls and bytes above 0x7E; all but the opaque set
 * space, '"', '<' and '>'; and each set its own few. A table, so that the
 * loop over a URL's bytes costs one load per byte.
 */
#define ENCODE_BITS(c, unused)                                                                     \
  (((c) < 0x20 || (c) >= 0x7F || (c) == '%' ? 0x1F : 0) |                                          \
   ((c) == ' ' || (c) == '"' || (c) == '<' || (c) == '>' ? 0x1F & ~(1 << SET_OPAQUE) : 0) |        \
   ((c) == '#' || (c) == '?' || (c) == '`' || (c) == '{' || (c) == '}' ? 1 << SET_PATH : 0) |      \
   ((c) == '#' ? 1 << SET_QUERY : 0) | ((c) == '#' || (c) == '\'' ? 1 << SET_SPECIAL_QUERY : 0) |  \
   ((c) == '`' ? 1 << SET_FRAGMENT : 0))
static const unsigned char not_copied[256] = BW_BYTE_TABLE(ENCODE_BITS, 0);

static int unreserved(int c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/*
 * Appends s with percent-encoding normalised: %XX of an unreserved character
 * is decoded, other %XX get uppercase hex, bytes a browser would encode are
 * encoded. Reserved escapes such as %2F or %26 are kept: decoding them would
 * change the URL's meaning. A stray '%' becomes %25 (browsers leave it, and
 * servers read both as '%'), or "%%41" would normalise to "%A" and then to
 * something else: normalising twice must give the same string.
 */
static void put_normalised(sbuf *b, const char *s, size_t n, pct_set set, int decode) {
  size_t i = 0;
  while (i < n) {
    /* Most bytes stay as they are: copy each run of them at once. */
    size_t j = i;
    while (j < n && !(not_copied[(unsigned char)s[j]] >> set & 1)) j++;
    if (j > i) sbuf_put(b, s + i, j - i);
    if (j == n) return;
    int v = pct_value(s, n, j);
    if (v < 0) { /* a stray '%' or a byte to encode */
      sbuf_pct(b, (unsigned char)s[j]);
      i = j + 1;
    } else {
      if (decode && unreserved(v))
        sbuf_putc(b, (char)v);
      else
        sbuf_pct(b, (unsigned)v);
      i = j + 3;
    }
  }
}

static const char *normalised(bw_arena *a, const char *s, size_t n, pct_set set) {
  sbuf b;
  if (sbuf_init(a, &b, 3 * n) < 0) return NULL;
  b.p[0] = 0;
  put_normalised(&b, s, n, set, 1);
  return b.p;
}

/*
 * A relative URL's path. Escapes in a first segment that holds ':' stay
 * encoded: decoding "%61:b" would turn it into the absolute URL "a:b".
 */
static const char *relative_path(bw_arena *a, const char *s, size_t n) {
  size_t k = 0;
  while (k < n && s[k] != '/') k++;
  if (!memchr(s, ':', k)) return normalised(a, s, n, SET_PATH);
  sbuf b;
  if (sbuf_init(a, &b, 3 * n) < 0) return NULL;
  b.p[0] = 0;
  put_normalised(&b, s, k, SET_PATH, 0);
  put_normalised(&b, s + k, n - k, SET_PATH, 1);
  return b.p;
}

/* "." or its percent-encoded forms, which WHATWG treats alike in paths. */
static int is_dot(const char *s, size_t n) {
  return (n == 1 && s[0] == '.') || ieq(s, n, "%2e");
}

static int is_dotdot(const char *s, size_t n) {
  return ieq(s, n, "..") || ieq(s, n, ".%2e") || ieq(s, n, "%2e.") || ieq(s, n, "%2e%2e");
}

/* A special URL's path: '\' is '/', dot segments resolved, never empty. */
static const char *special_path(bw_arena *a, const char *s, size_t n) {
  sbuf b;
  if (sbuf_init(a, &b, 3 * n + 1) < 0) return NULL;
  b.p[0] = 0;
  size_t i = n && (s[0] == '/' || s[0] == '\\') ? 1 : 0;
  for (;;) {
    size_t j = i;
    while (j < n && s[j] != '/' && s[j] != '\\') j++;
    int last = j >= n;
    if (is_dotdot(s + i, j - i)) {
      while (b.n && b.p[--b.n] != '/') {
      }
      b.p[b.n] = 0;
      if (last) sbuf_putc(&b, '/');
    } else if (is_dot(s + i, j - i)) {
      if (last) sbuf_putc(&b, '/');
    } else {
      sbuf_putc(&b, '/');
      put_normalised(&b, s + i, j - i, SET_PATH, 1);
    }
    if (last) break;
    i = j + 1;
  }
  return b.p;
}

/* ---- hosts ------------------------------------------------------------------------- */

/* Parses one IPv4 part (decimal, 0x hex or 0 octal); saturates above 2^32. */
static int ipv4_part(const char *s, size_t n, uint64_t *v, int *nonstd) {
  unsigned radix = 10;
  if (n >= 2 && s[0] == '0' && lower((unsigned char)s[1]) == 'x') {
    radix = 16, s += 2, n -= 2, *nonstd = 1;
  } else if (n >= 2 && s[0] == '0') {
    radix = 8, s += 1, n -= 1, *nonstd = 1;
  }
  *v = 0;
  for (size_t i = 0; i < n; i++) {
    int d = hexval((unsigned char)s[i]);
    if (d < 0 || (unsigned)d >= radix) return 0;
    *v = *v * radix + (unsigned)d;
    if (*v > 0xFFFFFFFFu) *v = 0x100000000u;
  }
  return 1;
}

/* The host without one trailing dot, as WHATWG's IPv4 parser sees it. */
static size_t without_trailing_dot(const char *h, size_t n) {
  return n > 1 && h[n - 1] == '.' ? n - 1 : n;
}

/* WHATWG "ends in a number": the last label is decimal digits or 0x-hex. */
static int ends_in_number(const char *h, size_t n) {
  n = without_trailing_dot(h, n);
  size_t start = n;
  while (start && h[start - 1] != '.') start--;
  const char *p = h + start;
  size_t m = n - start;
  if (m == 0) return 0;
  size_t i = 0;
  while (i < m && is_digit((unsigned char)p[i])) i++;
  if (i == m) return 1;
  if (m < 2 || p[0] != '0' || lower((unsigned char)p[1]) != 'x') return 0;
  for (i = 2; i < m; i++)
    if (hexval((unsigned char)p[i]) < 0) return 0;
  return 1;
}

/* Parses an IPv4 host in any WHATWG form into a dotted quad. */
static int ipv4_parse(const char *h, size_t n, char quad[16], int *obfuscated) {
  uint64_t parts[4];
  size_t count = 0;
  int nonstd = 0;
  n = without_trailing_dot(h, n);
  for (size_t i = 0; i <= n;) {
    size_t j = i;
    while (j < n && h[j] != '.') j++;
    if (count == 4 || j == i || !ipv4_part(h + i, j - i, &parts[count], &nonstd)) return 0;
    count++;
    i = j + 1;
  }
  uint64_t value = parts[count - 1];
  if (value >= (1ull << (8 * (5 - count)))) return 0;
  for (size_t k = 0; k + 1 < count; k++) {
    if (parts[k] > 255) return 0;
    value += parts[k] << (8 * (3 - k));
  }
  snprintf(quad, 16, "%u.%u.%u.%u", (unsigned)(value >> 24) & 255, (unsigned)(value >> 16) & 255,
           (unsigned)(value >> 8) & 255, (unsigned)value & 255);
  *obfuscated = nonstd || count != 4;
  return 1;
}

static void parse_ipv6(bw_arena *a, const char *h, size_t n, bw_url *out) {
  char in[64], text[INET6_ADDRSTRLEN];
  struct in6_addr addr;
  out->host_kind = BW_HOST_IPV6;
  if (n < sizeof(in)) {
    memcpy(in, h, n);
    in[n] = 0;
    if (inet_pton(AF_INET6, in, &addr) == 1 && inet_ntop(AF_INET6, &addr, text, sizeof(text))) {
      out->host = bw_arena_strdup(a, text);
      return;
    }
  }
  out->host = normalised(a, h, n, SET_OPAQUE);
  fail(out, "invalid IPv6 address");
}

/* WHATWG forbidden domain code points (after percent-decoding). */
static int forbidden_host_byte(unsigned char c) {
  return c <= 0x20 || c == 0x7F || strchr("#%/:<>?@[\\]^|", c) != NULL;
}

static int has_xn_label(const char *h) {
  for (const char *p = h; *p; p++)
    if ((p == h || p[-1] == '.') && strncmp(p, "xn--", 4) == 0) return 1;
  return 0;
}

static char *idna_to_ascii(bw_arena *a, const char *h) {
  char *ascii = NULL;
  if (idn2_to_ascii_8z(h, &ascii, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT) != IDN2_OK &&
      idn2_to_ascii_8z(h, &ascii, IDN2_TRANSITIONAL | IDN2_NFC_INPUT) != IDN2_OK)
    return NULL;
  char *copy = bw_arena_strdup(a, ascii);
  idn2_free(ascii);
  return copy;
}

static const char *idna_to_unicode(bw_arena *a, const char *ascii) {
  char *u = NULL;
  if (idn2_to_unicode_8z8z(ascii, &u, 0) != IDN2_OK) return ascii;
  const char *copy = bw_arena_strdup(a, u);
  idn2_free(u);
  return copy ? copy : ascii;
}

/*
 * A host with forbidden code points is invalid; we still report it, with
 * controls, spaces and '%' re-encoded so that no raw control byte reaches
 * logs or the normalised URL.
 */
static char *reencode_host(bw_arena *a, const char *dec, size_t m) {
  sbuf b;
  if (sbuf_init(a, &b, 3 * m) < 0) return NULL;
  b.p[0] = 0;
  for (size_t i = 0; i < m; i++) {
    unsigned char c = (unsigned char)dec[i];
    if (c <= 0x20 || c == 0x7F || c == '%')
      sbuf_pct(&b, c);
    else
      sbuf_putc(&b, (char)c);
  }
  return b.p;
}

/*
 * Decoded, lowercased host in IDNA A-labels. Returns 0 when that worked, 1
 * when the host is invalid (out->host then holds our best reading), -1 on OOM.
 */
static int parse_domain(bw_arena *a, const char *h, size_t n, bw_url *out) {
  char *dec = bw_arena_alloc(a, n + 1);
  if (!dec) return -1;
  size_t m = bw_url_percent_decode(h, n, dec);
  int non_ascii = 0, forbidden = 0;
  for (size_t i = 0; i < m; i++) {
    unsigned char c = (unsigned char)dec[i];
    non_ascii |= c >= 0x80;
    forbidden |= c < 0x80 && forbidden_host_byte(c);
    dec[i] = (char)lower(c);
  }
  out->host_kind = BW_HOST_DNS;
  out->is_idn = non_ascii || has_xn_label(dec);
  if (forbidden) {
    fail(out, "forbidden host code point");
    out->host = reencode_host(a, dec, m);
    return out->host ? 1 : -1;
  }
  out->host = dec;
  if (out->is_idn) {
    char *ascii = idna_to_ascii(a, dec);
    if (ascii) {
      int mapped_forbidden = 0;
      for (char *p = ascii; *p; p++) {
        *p = (char)lower((unsigned char)*p);
        mapped_forbidden |= forbidden_host_byte((unsigned char)*p);
      }
      /* Transitional mapping can turn a no-break space into a space: still forbidden. */
      if (mapped_forbidden) {
        fail(out, "forbidden host code point");
        out->host = reencode_host(a, ascii, strlen(ascii));
        return out->host ? 1 : -1;
      }
      /* A host of ignorable code points only (a soft hyphen) maps to nothing (WHATWG: failure). */
      if (!*ascii) {
        fail(out, "empty host");
        out->host = reencode_host(a, dec, strlen(dec));
        return out->host ? 1 : -1;
      }
      out->host = ascii;
    } else {
      fail(out, "IDNA conversion failed");
      return 1;
    }
  }
  return 0;
}

static int parse_host(const bw_url_ctx *ctx, bw_arena *a, const char *h, size_t n, bw_url *out) {
  if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
    parse_ipv6(a, h + 1, n - 2, out);
    out->host_unicode = out->host;
    return out->host ? 0 : -1;
  }
  int rc = parse_domain(a, h, n, out);
  out->host_unicode = out->host;
  if (rc) return rc < 0 ? -1 : 0;
  char quad[16];
  size_t hn = strlen(out->host);
  if (ends_in_number(out->host, hn)) {
    if (ipv4_parse(out->host, hn, quad, &out->host_obfuscated)) {
      out->host_kind = BW_HOST_IPV4;
      out->host = bw_arena_strdup(a, quad);
      out->host_unicode = out->host;
      return out->host ? 0 : -1;
    }
    fail(out, "invalid IPv4 address");
    return 0;
  }
  out->host_unicode = out->is_idn ? idna_to_unicode(a, out->host) : out->host;
  if (!out->host_unicode) return -1;
  out->registrable_domain = bw_url_registrable_domain(ctx, a, out->host);
  return 0;
}

/*
 * libpsl's lookup was the most expensive step of parsing a URL, and a message
 * names the same few hosts again and again. Each thread keeps the answers for
 * recent hosts (as the offset of the registrable domain within the host), so
 * the shared context stays read-only.
 */
enum { PSL_CACHE = 512, PSL_CACHE_HOST = 96 };

typedef struct psl_cache_entry {
  const void *ctx; /* the context the answer came from */
  char host[PSL_CACHE_HOST];
  int offset; /* -1: no registrable domain */
} psl_cache_entry;

static _Thread_local psl_cache_entry psl_cache[PSL_CACHE];

static psl_cache_entry *psl_slot(const char *host, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)host[i]) * 16777619u;
  return &psl_cache[h % PSL_CACHE];
}

static const char *registrable_part(const bw_url_ctx *ctx, const char *ascii, size_t n) {
  psl_cache_entry *e = n < PSL_CACHE_HOST ? psl_slot(ascii, n) : NULL;
  if (e && e->ctx == ctx && strcmp(e->host, ascii) == 0)
    return e->offset < 0 ? NULL : ascii + e->offset;
  const char *rd = psl_registrable_domain(ctx->psl, ascii);
  if (e) {
    e->ctx = ctx;
    memcpy(e->host, ascii, n + 1);
    e->offset = rd ? (int)(rd - ascii) : -1;
  }
  return rd;
}

const char *bw_url_registrable_domain(const bw_url_ctx *ctx, bw_arena *a, const char *host) {
  if (!ctx || !host || !*host) return NULL;
  int non_ascii = 0;
  for (const char *p = host; *p; p++) non_ascii |= (unsigned char)*p >= 0x80;
  char *ascii = non_ascii ? idna_to_ascii(a, host) : bw_arena_strdup(a, host);
  if (!ascii) return NULL;
  size_t n = strlen(ascii);
  for (size_t i = 0; i < n; i++) ascii[i] = (char)lower((unsigned char)ascii[i]);
  if (n > 1 && ascii[n - 1] == '.') ascii[--n] = 0; /* the list has no root label */
  char quad[16];
  int obf;
  unsigned char v6[16];
  if ((ends_in_number(ascii, n) && ipv4_parse(ascii, n, quad, &obf)) ||
      inet_pton(AF_INET6, ascii, v6) == 1)
    return NULL;
  return registrable_part(ctx, ascii, n);
}

/* ---- the URL ------------------------------------------------------------------------- */

typedef struct scheme_info {
  const char *name;
  int special;
  int default_port;
  int remote;
  int local;
} scheme_info;

static const scheme_info schemes[] = {
    {"http", 1, 80, 1, 0},  {"https", 1, 443, 1, 0},     {"ws", 1, 80, 1, 0},
    {"wss", 1, 443, 1, 0},  {"ftp", 1, 21, 1, 0},        {"file", 1, -1, 0, 0},
    {"cid", 0, -1, 0, 1},   {"mid", 0, -1, 0, 1},        {"data", 0, -1, 0, 1},
    {"about", 0, -1, 0, 1}, {"javascript", 0, -1, 0, 1}, {"blob", 0, -1, 0, 1},
};

static const scheme_info *lookup_scheme(const char *name) {
  for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
    if (strcmp(schemes[i].name, name) == 0) return &schemes[i];
  return NULL;
}

/* Length of "scheme" before ':' when s starts with one, else 0. */
static size_t scheme_length(const char *s, size_t n) {
  if (!n || !is_alpha((unsigned char)s[0])) return 0;
  size_t i = 1;
  while (i < n && (is_alpha((unsigned char)s[i]) || is_digit((unsigned char)s[i]) || s[i] == '+' ||
                   s[i] == '-' || s[i] == '.'))
    i++;
  return i < n && s[i] == ':' ? i : 0;
}

/* Browsers drop leading/trailing C0 controls and spaces, and tab/CR/LF anywhere. */
static char *clean_input(bw_arena *a, const char *s, size_t len, size_t *out_len, bw_url *out) {
  while (len && (unsigned char)s[0] <= 0x20) s++, len--;
  while (len && (unsigned char)s[len - 1] <= 0x20) len--;
  out->raw = bw_arena_strndup(a, s, len);
  char *c = bw_arena_alloc(a, len + 1);
  if (!out->raw || !c) return NULL;
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    if (s[i] != '\t' && s[i] != '\n' && s[i] != '\r') c[n++] = s[i];
  c[n] = 0;
  *out_len = n;
  return c;
}

static int parse_port(const char *p, size_t n, bw_url *out) {
  long v = 0;
  if (n == 0) return 0; /* "host:" means the default port */
  for (size_t i = 0; i < n; i++) {
    if (!is_digit((unsigned char)p[i])) {
      fail(out, "invalid port");
      return 0;
    }
    if (v <= 65535) v = v * 10 + (p[i] - '0');
  }
  if (v > 65535)
    fail(out, "port out of range");
  else
    out->port = (int)v;
  return 0;
}

/* Splits "userinfo@host:port" and parses each piece. */
static int parse_authority(const bw_url_ctx *ctx, bw_arena *a, const char *s, size_t n,
                           bw_url *out) {
  const char *at = NULL;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '@') at = s + i;
  if (at) {
    out->userinfo = normalised(a, s, (size_t)(at - s), SET_PATH);
    if (!out->userinfo) return -1;
    n -= (size_t)(at + 1 - s);
    s = at + 1;
  }
  size_t host_end = n;
  if (n && s[0] == '[') {
    const char *close = memchr(s, ']', n);
    host_end = close ? (size_t)(close - s) + 1 : n;
  } else {
    const char *colon = NULL;
    for (size_t i = 0; i < n; i++)
      if (s[i] == ':') colon = s + i;
    if (colon) host_end = (size_t)(colon - s);
  }
  if (host_end < n) {
    if (s[host_end] != ':') fail(out, "invalid host");
    parse_port(s + host_end + 1, n - host_end - 1, out);
  }
  if (host_end == 0) {
    fail(out, "empty host");
    return 0;
  }
  return parse_host(ctx, a, s, host_end, out);
}

static int is_slash(char c, int special) {
  return c == '/' || (special && c == '\\');
}

/* How a path is normalised: which encode set, and whether dot segments resolve. */
typedef enum path_kind { PATH_SPECIAL, PATH_HIERARCHICAL, PATH_OPAQUE, PATH_RELATIVE } path_kind;

/* Path, query and fragment of what follows the authority (or the scheme). */
static int parse_tail(bw_arena *a, const char *s, size_t n, path_kind kind, bw_url *out) {
  int special = kind == PATH_SPECIAL;
  size_t q = 0;
  while (q < n && s[q] != '?' && s[q] != '#') q++;
  size_t f = q;
  while (f < n && s[f] != '#') f++;
  if (kind == PATH_SPECIAL)
    out->path = special_path(a, s, q);
  else if (kind == PATH_RELATIVE)
    out->path = relative_path(a, s, q);
  else
    out->path = normalised(a, s, q, kind == PATH_OPAQUE ? SET_OPAQUE : SET_PATH);
  if (q < n && s[q] == '?')
    out->query = normalised(a, s + q + 1, f - q - 1, special ? SET_SPECIAL_QUERY : SET_QUERY);
  if (f < n) out->fragment = normalised(a, s + f + 1, n - f - 1, SET_FRAGMENT);
  if (!out->path || (q < n && s[q] == '?' && !out->query) || (f < n && !out->fragment)) return -1;
  return 0;
}

static int has_authority(const bw_url *u, int authority) {
  return authority || u->host || u->userinfo;
}

/* Rebuilds the URL from its normalised parts; default ports are left out. */
static int build_normalized(bw_arena *a, bw_url *u, int authority, int default_port) {
  size_t cap = strlen(u->scheme) + strlen(u->path) + 32;
  if (u->userinfo) cap += strlen(u->userinfo);
  if (u->host) cap += strlen(u->host);
  if (u->query) cap += strlen(u->query);
  if (u->fragment) cap += strlen(u->fragment);
  sbuf b;
  if (sbuf_init(a, &b, cap) < 0) return -1;
  b.p[0] = 0;
  if (*u->scheme) {
    sbuf_put(&b, u->scheme, strlen(u->scheme));
    sbuf_putc(&b, ':');
  }
  if (has_authority(u, authority)) {
    sbuf_put(&b, "//", 2);
    if (u->userinfo) {
      sbuf_put(&b, u->userinfo, strlen(u->userinfo));
      sbuf_putc(&b, '@');
    }
    if (u->host_kind == BW_HOST_IPV6) sbuf_putc(&b, '[');
    if (u->host) sbuf_put(&b, u->host, strlen(u->host));
    if (u->host_kind == BW_HOST_IPV6) sbuf_putc(&b, ']');
    if (u->port >= 0 && u->port != default_port) {
      char port[8];
      int pn = snprintf(port, sizeof(port), ":%d", u->port);
      sbuf_put(&b, port, (size_t)pn);
    }
  }
  sbuf_put(&b, u->path, strlen(u->path));
  if (u->query) {
    sbuf_putc(&b, '?');
    sbuf_put(&b, u->query, strlen(u->query));
  }
  if (u->fragment) {
    sbuf_putc(&b, '#');
    sbuf_put(&b, u->fragment, strlen(u->fragment));
  }
  u->normalized = b.p;
  return 0;
}

static int is_drive_letter(const char *s, size_t n) {
  return n == 2 && is_alpha((unsigned char)s[0]) && (s[1] == ':' || s[1] == '|');
}

/* Where the authority starts, or -1 when there is none. */
static long authority_start(const char *s, size_t n, int special, int is_file) {
  size_t i = 0;
  if (special && !is_file) {
    while (i < n && is_slash(s[i], 1)) i++; /* WHATWG ignores any run of slashes here */
    return (long)i;
  }
  if (n >= 2 && is_slash(s[0], special) && is_slash(s[1], special)) return 2;
  return -1;
}

/* The part after "scheme:" (or the whole input when there is no scheme). */
static int parse_after_scheme(const bw_url_ctx *ctx, bw_arena *a, const char *s, size_t n,
                              const scheme_info *si, int relative, bw_url *out, int *authority) {
  int special = relative ? (n >= 2 && is_slash(s[0], 1) && is_slash(s[1], 1)) : si && si->special;
  int is_file = si && strcmp(si->name, "file") == 0;
  long start = authority_start(s, n, special, is_file);
  size_t i = 0;
  if (start >= 0) {
    *authority = 1;
    i = (size_t)start;
    size_t end = i;
    while (end < n && !is_slash(s[end], special) && s[end] != '?' && s[end] != '#') end++;
    /* file://C:/x names a drive, not a host; file:///x has an empty host. */
    if (is_file && (end == i || is_drive_letter(s + i, end - i))) {
      end = i;
    } else if (parse_authority(ctx, a, s + i, end - i, out) < 0) {
      return -1;
    }
    i = end;
  }
  *authority |= is_file; /* file URLs always serialise as file://host/path */
  if (is_file && i < n && !is_slash(s[i], 1)) {
    /* file:C:/x, file://C:/x: the path keeps its leading slash. */
    char *p = bw_arena_alloc(a, n - i + 2);
    if (!p) return -1;
    p[0] = '/';
    memcpy(p + 1, s + i, n - i);
    return parse_tail(a, p, n - i + 1, PATH_SPECIAL, out);
  }
  path_kind kind = special      ? PATH_SPECIAL
                   : *authority ? PATH_HIERARCHICAL
                   : relative   ? PATH_RELATIVE
                                : PATH_OPAQUE;
  return parse_tail(a, s + i, n - i, kind, out);
}

static void classify(bw_url *out, const scheme_info *si, int authority) {
  if (!*out->scheme) {
    out->is_remote = authority;
    return;
  }
  if (!si) return;
  out->is_local = si->local;
  out->is_remote = si->remote;
  /* file://server/share is an SMB fetch on Windows: it leaks credentials like a beacon. */
  if (strcmp(si->name, "file") == 0 && out->host && strcmp(out->host, "localhost") != 0)
    out->is_remote = 1;
}

int bw_url_parse(const bw_url_ctx *ctx, bw_arena *a, const char *s, size_t len, bw_url *out) {
  memset(out, 0, sizeof(*out));
  out->port = -1;
  size_t n;
  char *c = clean_input(a, s ? s : "", s ? len : 0, &n, out);
  if (!c) return -1;
  size_t sl = scheme_length(c, n);
  char *scheme = bw_arena_strndup(a, c, sl);
  if (!scheme) return -1;
  for (size_t i = 0; i < sl; i++) scheme[i] = (char)lower((unsigned char)scheme[i]);
  out->scheme = scheme;
  const scheme_info *si = lookup_scheme(scheme);
  int authority = 0;
  const char *rest = sl ? c + sl + 1 : c;
  if (parse_after_scheme(ctx, a, rest, n - (size_t)(rest - c), si, sl == 0, out, &authority) < 0)
    return -1;
  classify(out, si, authority);
  if (si && si->special && strcmp(si->name, "file") != 0 && !out->host) fail(out, "missing host");
  return build_normalized(a, out, authority, si ? si->default_port : -1);
}
