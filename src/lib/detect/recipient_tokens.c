/*
 * recipient_tokens.c - encodes and hashes recipient addresses, then finds
 * them in URLs (see recipient_tokens.h).
 *
 * Both the address as written and its lowercase form are encoded, because
 * senders hash whatever their list holds. Hashes come from nettle, CRC32 from
 * zlib. Searching indexes every token by its first six bytes, so each URL is
 * read once whatever the number of recipients and encodings (a message to a
 * mailing list can have dozens of addresses, hence hundreds of tokens).
 */
#include "detect/recipient_tokens.h"

#include <assert.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "beaconwatch.h"

/* Shorter encodings collide with ordinary text; an address is at least "a@b.c". */
enum { MIN_TOKEN_LEN = 6, PREFIX = MIN_TOKEN_LEN, ENCODINGS_PER_FORM = 14 };

static const char HEX[] = "0123456789abcdef";

static char *hex_of(bw_arena *a, const unsigned char *bytes, size_t n) {
  char *out = bw_arena_alloc(a, n * 2 + 1);
  if (!out) return NULL;
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = HEX[bytes[i] >> 4];
    out[2 * i + 1] = HEX[bytes[i] & 15];
  }
  out[n * 2] = '\0';
  return out;
}

static char *url_encode(bw_arena *a, const char *s) {
  size_t n = strlen(s);
  char *out = bw_arena_alloc(a, n * 3 + 1);
  if (!out) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out[o++] = (char)c;
    } else {
      out[o++] = '%';
      out[o++] = "0123456789ABCDEF"[c >> 4];
      out[o++] = "0123456789ABCDEF"[c & 15];
    }
  }
  out[o] = '\0';
  return out;
}

/* Standard base64 (RFC 4648 section 4, padded) of s, in the arena. */
static char *base64_of(bw_arena *a, const char *s) {
  static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const unsigned char *in = (const unsigned char *)s;
  size_t n = strlen(s);
  char *out = bw_arena_alloc(a, (n + 2) / 3 * 4 + 1);
  if (!out) return NULL;
  char *o = out;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
                 (i + 2 < n ? in[i + 2] : 0);
    *o++ = ALPHABET[v >> 18 & 63];
    *o++ = ALPHABET[v >> 12 & 63];
    *o++ = i + 1 < n ? ALPHABET[v >> 6 & 63] : '=';
    *o++ = i + 2 < n ? ALPHABET[v & 63] : '=';
  }
  *o = '\0';
  return out;
}

/* A variant of a padded base64 text: url_safe swaps +/ for -_, !pad drops the '=' padding. */
static char *base64_variant(bw_arena *a, const char *b64, int url_safe, int pad) {
  if (!b64) return NULL;
  size_t n = strlen(b64);
  if (!pad)
    while (n && b64[n - 1] == '=') n--;
  char *out = bw_arena_strndup(a, b64, n);
  if (out && url_safe)
    for (char *p = out; *p; p++) *p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
  return out;
}

/* One nettle digest over s, as lowercase hex. */
#define DIGEST_HEX(name, ctx_type, size, init, update, digest)                                     \
  static char *name(bw_arena *a, const char *s) {                                                  \
    struct ctx_type ctx;                                                                           \
    unsigned char out[size];                                                                       \
    init(&ctx);                                                                                    \
    update(&ctx, strlen(s), (const uint8_t *)s);                                                   \
    digest(&ctx, sizeof(out), out);                                                                \
    return hex_of(a, out, sizeof(out));                                                            \
  }

DIGEST_HEX(md5_of, md5_ctx, MD5_DIGEST_SIZE, md5_init, md5_update, md5_digest)
DIGEST_HEX(sha1_of, sha1_ctx, SHA1_DIGEST_SIZE, sha1_init, sha1_update, sha1_digest)
DIGEST_HEX(sha224_of, sha224_ctx, SHA224_DIGEST_SIZE, sha224_init, sha224_update, sha224_digest)
DIGEST_HEX(sha256_of, sha256_ctx, SHA256_DIGEST_SIZE, sha256_init, sha256_update, sha256_digest)
DIGEST_HEX(sha384_of, sha384_ctx, SHA384_DIGEST_SIZE, sha384_init, sha384_update, sha384_digest)
DIGEST_HEX(sha512_of, sha512_ctx, SHA512_DIGEST_SIZE, sha512_init, sha512_update, sha512_digest)

static char *crc32_of(bw_arena *a, const char *s) {
  uLong crc = crc32(0L, (const Bytef *)s, (uInt)strlen(s));
  return bw_arena_printf(a, "%08lx", (unsigned long)crc);
}

static int add_token(bw_recipient_tokens *l, const char *address, const char *encoding,
                     const char *text, int case_sensitive) {
  if (!text) return BW_ENOMEM;
  size_t len = strlen(text);
  if (len < MIN_TOKEN_LEN) return BW_OK;
  assert(l->n < l->cap); /* the capacity allows every encoding of every form */
  if (!case_sensitive) {
    char *lowered = (char *)text; /* every encoder above returns a fresh arena copy */
    for (char *p = lowered; *p; p++)
      if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
  }
  l->items[l->n++] = (bw_recipient_token){address, encoding, text, len, case_sensitive};
  return BW_OK;
}

/* The encodings of one form of an address (as written, or lowercased). */
static int add_encodings(bw_recipient_tokens *l, const char *address, const char *form) {
  bw_arena *a = l->arena;
  int rc = BW_OK;
  rc |= add_token(l, address, "raw", bw_arena_strdup(a, form), 0);
  rc |= add_token(l, address, "urlenc", url_encode(a, form), 0);
  char *b64 = base64_of(a, form);
  rc |= add_token(l, address, "base64", b64, 1);
  rc |= add_token(l, address, "base64-nopad", base64_variant(a, b64, 0, 0), 1);
  rc |= add_token(l, address, "base64url", base64_variant(a, b64, 1, 1), 1);
  rc |= add_token(l, address, "base64url-nopad", base64_variant(a, b64, 1, 0), 1);
  rc |= add_token(l, address, "hex", hex_of(a, (const unsigned char *)form, strlen(form)), 0);
  return rc ? BW_ENOMEM : BW_OK;
}

/* Digests are the costly part and can only match a run of hex digits, so they wait for one. */
static int add_digests(bw_recipient_tokens *l, const char *address, const char *form) {
  bw_arena *a = l->arena;
  int rc = BW_OK;
  rc |= add_token(l, address, "md5", md5_of(a, form), 0);
  rc |= add_token(l, address, "sha1", sha1_of(a, form), 0);
  rc |= add_token(l, address, "sha224", sha224_of(a, form), 0);
  rc |= add_token(l, address, "sha256", sha256_of(a, form), 0);
  rc |= add_token(l, address, "sha384", sha384_of(a, form), 0);
  rc |= add_token(l, address, "sha512", sha512_of(a, form), 0);
  rc |= add_token(l, address, "crc32", crc32_of(a, form), 0);
  return rc ? BW_ENOMEM : BW_OK;
}

/* The first PREFIX bytes of a token, lowercased, as an integer: the index key. */
static uint64_t prefix_key(const char *s) {
  uint64_t k = 0;
  for (int i = 0; i < PREFIX; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
    k = (k << 8) | c;
  }
  return k;
}

static size_t bucket_of(uint64_t key, size_t mask) {
  return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 40) & mask;
}

/* Chains every token into the bucket of its prefix, so a URL is scanned once, not once per token.
 */
static int build_index(bw_arena *a, bw_recipient_tokens *t) {
  size_t buckets = 64;
  while (buckets < t->n * 2) buckets *= 2;
  t->buckets = bw_arena_alloc(a, buckets * sizeof(*t->buckets));
  t->next = bw_arena_alloc(a, (t->n ? t->n : 1) * sizeof(*t->next));
  if (!t->buckets || !t->next) return BW_ENOMEM;
  memset(t->buckets, 0xff, buckets * sizeof(*t->buckets));
  t->mask = buckets - 1;
  /* Chained from the last so that each chain lists tokens in the order they were added:
     of two identical encodings (base64 and base64url of a plain address) the first is named. */
  for (size_t i = t->n; i-- > 0;) {
    size_t b = bucket_of(prefix_key(t->items[i].text), t->mask);
    t->next[i] = t->buckets[b];
    t->buckets[b] = (uint32_t)i;
  }
  return BW_OK;
}

int bw_recipient_tokens_build(bw_arena *a, const char *const *addresses, size_t n_addresses,
                              bw_recipient_tokens *out) {
  memset(out, 0, sizeof(*out));
  out->arena = a;
  out->cap = n_addresses * 2 * ENCODINGS_PER_FORM;
  out->forms = bw_arena_calloc(a, n_addresses * 2 + 1, sizeof(*out->forms));
  out->form_address = bw_arena_calloc(a, n_addresses * 2 + 1, sizeof(*out->form_address));
  out->items = bw_arena_calloc(a, out->cap + 1, sizeof(*out->items));
  if (!out->forms || !out->form_address || !out->items) return BW_ENOMEM;
  for (size_t i = 0; i < n_addresses; i++) {
    const char *addr = addresses[i];
    if (!addr || !strchr(addr, '@')) continue;
    char *lower = bw_arena_strdup(a, addr);
    if (!lower) return BW_ENOMEM;
    for (char *p = lower; *p; p++)
      if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    out->forms[out->n_forms] = addr;
    out->form_address[out->n_forms++] = addr;
    if (strcmp(lower, addr) != 0) {
      out->forms[out->n_forms] = lower;
      out->form_address[out->n_forms++] = addr;
    }
  }
  for (size_t f = 0; f < out->n_forms; f++)
    if (add_encodings(out, out->form_address[f], out->forms[f]) != BW_OK) return BW_ENOMEM;
  return build_index(a, out);
}

/* 1 when s holds a run of at least 8 hex digits, the shortest digest (CRC32). */
static int has_hex_run(const char *lower, size_t len) {
  size_t run = 0;
  for (size_t i = 0; i < len; i++) {
    char c = lower[i];
    run = ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) ? run + 1 : 0;
    if (run >= 8) return 1;
  }
  return 0;
}

static int complete_with_digests(bw_recipient_tokens *t) {
  t->digests_built = 1;
  for (size_t f = 0; f < t->n_forms; f++)
    if (add_digests(t, t->form_address[f], t->forms[f]) != BW_OK) return BW_ENOMEM;
  return build_index(t->arena, t);
}

/*
 * Trackers put a token in a URL as a value of its own: a path segment, a query
 * value, or a piece joined to a word by punctuation. Matching only where such a
 * piece can begin keeps the search to a fraction of the positions; a token glued
 * to letters or digits ("abc<md5>") is not looked for.
 */
static int is_boundary(char c) {
  return !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80);
}

static int token_at(const bw_recipient_token *tok, const char *s, const char *lower, size_t len,
                    size_t i) {
  if (i + tok->len > len) return 0;
  return memcmp((tok->case_sensitive ? s : lower) + i, tok->text, tok->len) == 0;
}

const bw_recipient_token *bw_recipient_tokens_find(bw_recipient_tokens *t, const char *s,
                                                   const char *lower, size_t len, size_t *at) {
  const bw_recipient_token *best = NULL;
  if (!t->n_forms || len < PREFIX) return NULL;
  if (!t->digests_built && has_hex_run(lower, len) && complete_with_digests(t) != BW_OK)
    return NULL;
  for (size_t i = 0; i + PREFIX <= len; i++) {
    if (i && !is_boundary(lower[i - 1])) continue;
    for (uint32_t k = t->buckets[bucket_of(prefix_key(lower + i), t->mask)]; k != UINT32_MAX;
         k = t->next[k]) {
      const bw_recipient_token *tok = &t->items[k];
      /* Longer tokens win: a SHA-512 must not be reported as the SHA-... it starts with. */
      if ((!best || tok->len > best->len) && token_at(tok, s, lower, len, i)) {
        best = tok;
        *at = i;
      }
    }
  }
  return best;
}
