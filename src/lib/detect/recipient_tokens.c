/*
 * recipient_tokens.c - encodes and hashes recipient addresses, then finds
 * them in URLs (see recipient_tokens.h).
 *
 * Both the address as written and its lowercase form are encoded, because
 * senders hash whatever their list holds. Hashes use GLib's GChecksum, SHA-224
 * (which GLib lacks) nettle, CRC32 zlib. Searching is plain substring search:
 * a message has a handful of addresses and a few dozen URLs, so a few
 * hundred memmem calls per message cost microseconds.
 */
#include "detect/recipient_tokens.h"

#include <assert.h>
#include <glib.h>
#include <nettle/sha2.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "beaconwatch.h"

/* Shorter encodings collide with ordinary text; an address is at least "a@b.c". */
enum { MIN_TOKEN_LEN = 6, MAX_TOKENS_PER_ADDRESS = 32 };

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

/* base64 of s; url_safe swaps +/ for -_, pad keeps the '=' padding. */
static char *base64_of(bw_arena *a, const char *s, int url_safe, int pad) {
  gchar *b64 = g_base64_encode((const guchar *)s, strlen(s));
  size_t n = strlen(b64);
  if (!pad)
    while (n && b64[n - 1] == '=') n--;
  if (url_safe)
    for (size_t i = 0; i < n; i++) {
      if (b64[i] == '+') b64[i] = '-';
      else if (b64[i] == '/') b64[i] = '_';
    }
  char *out = bw_arena_strndup(a, b64, n);
  g_free(b64);
  return out;
}

static char *checksum_of(bw_arena *a, GChecksumType type, const char *s) {
  gchar *hex = g_compute_checksum_for_string(type, s, -1);
  char *out = bw_arena_strdup(a, hex);
  g_free(hex);
  return out;
}

static char *sha224_of(bw_arena *a, const char *s) {
  struct sha224_ctx ctx;
  unsigned char digest[SHA224_DIGEST_SIZE];
  sha224_init(&ctx);
  sha224_update(&ctx, strlen(s), (const uint8_t *)s);
  sha224_digest(&ctx, sizeof(digest), digest);
  return hex_of(a, digest, sizeof(digest));
}

static char *crc32_of(bw_arena *a, const char *s) {
  uLong crc = crc32(0L, (const Bytef *)s, (uInt)strlen(s));
  return bw_arena_printf(a, "%08lx", (unsigned long)crc);
}

typedef struct token_list {
  bw_arena *arena;
  bw_recipient_token *items;
  size_t n, cap;
} token_list;

static int already_listed(const token_list *l, const char *text, int case_sensitive) {
  for (size_t i = 0; i < l->n; i++) {
    if (case_sensitive ? strcmp(l->items[i].text, text) == 0 : strcasecmp(l->items[i].text, text) == 0)
      return 1;
  }
  return 0;
}

static int add_token(token_list *l, const char *address, const char *encoding, const char *text,
                     int case_sensitive) {
  if (!text) return BW_ENOMEM;
  size_t len = strlen(text);
  if (len < MIN_TOKEN_LEN || already_listed(l, text, case_sensitive)) return BW_OK;
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
static int add_encodings(token_list *l, const char *address, const char *form) {
  bw_arena *a = l->arena;
  int rc = BW_OK;
  rc |= add_token(l, address, "raw", bw_arena_strdup(a, form), 0);
  rc |= add_token(l, address, "urlenc", url_encode(a, form), 0);
  rc |= add_token(l, address, "base64", base64_of(a, form, 0, 1), 1);
  rc |= add_token(l, address, "base64-nopad", base64_of(a, form, 0, 0), 1);
  rc |= add_token(l, address, "base64url", base64_of(a, form, 1, 1), 1);
  rc |= add_token(l, address, "base64url-nopad", base64_of(a, form, 1, 0), 1);
  rc |= add_token(l, address, "hex", hex_of(a, (const unsigned char *)form, strlen(form)), 0);
  rc |= add_token(l, address, "md5", checksum_of(a, G_CHECKSUM_MD5, form), 0);
  rc |= add_token(l, address, "sha1", checksum_of(a, G_CHECKSUM_SHA1, form), 0);
  rc |= add_token(l, address, "sha224", sha224_of(a, form), 0);
  rc |= add_token(l, address, "sha256", checksum_of(a, G_CHECKSUM_SHA256, form), 0);
  rc |= add_token(l, address, "sha384", checksum_of(a, G_CHECKSUM_SHA384, form), 0);
  rc |= add_token(l, address, "sha512", checksum_of(a, G_CHECKSUM_SHA512, form), 0);
  rc |= add_token(l, address, "crc32", crc32_of(a, form), 0);
  return rc ? BW_ENOMEM : BW_OK;
}

/* Longer tokens first, so a SHA-512 is reported as such and not as the SHA-... it contains. */
static int by_length_desc(const void *x, const void *y) {
  const bw_recipient_token *a = x, *b = y;
  return (a->len < b->len) - (a->len > b->len);
}

int bw_recipient_tokens_build(bw_arena *a, const char *const *addresses, size_t n_addresses,
                              bw_recipient_tokens *out) {
  token_list l = {.arena = a, .cap = n_addresses * MAX_TOKENS_PER_ADDRESS};
  out->items = NULL;
  out->n = 0;
  if (!n_addresses) return BW_OK;
  l.items = bw_arena_calloc(a, l.cap, sizeof(*l.items));
  if (!l.items) return BW_ENOMEM;
  for (size_t i = 0; i < n_addresses; i++) {
    const char *addr = addresses[i];
    if (!addr || !strchr(addr, '@')) continue;
    char *lower = bw_arena_strdup(a, addr);
    if (!lower) return BW_ENOMEM;
    for (char *p = lower; *p; p++)
      if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    if (add_encodings(&l, addr, addr) != BW_OK) return BW_ENOMEM;
    if (strcmp(lower, addr) != 0 && add_encodings(&l, addr, lower) != BW_OK) return BW_ENOMEM;
  }
  qsort(l.items, l.n, sizeof(*l.items), by_length_desc);
  out->items = l.items;
  out->n = l.n;
  return BW_OK;
}

const bw_recipient_token *bw_recipient_tokens_find(const bw_recipient_tokens *t, const char *s,
                                                   const char *lower, size_t len, size_t *at) {
  for (size_t i = 0; i < t->n; i++) {
    const bw_recipient_token *tok = &t->items[i];
    if (tok->len > len) continue;
    const char *hay = tok->case_sensitive ? s : lower;
    const char *hit = memmem(hay, len, tok->text, tok->len);
    if (hit) {
      *at = (size_t)(hit - hay);
      return tok;
    }
  }
  return NULL;
}
