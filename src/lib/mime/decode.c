/*
 * decode.c - charset conversion to UTF-8 and attachment digests.
 *
 * Charset conversion goes through GMime's iconv layer, which knows the
 * aliases mail actually uses (e.g. "gb2312" -> GBK, "ks_c_5601-1987") and
 * caches converters. Whatever cannot be converted ends up as U+FFFD, as a
 * mail client would show it, so detectors always see valid UTF-8: no input
 * byte is ever dropped silently (dropping bytes would let a sender splice
 * words together that a client shows apart).
 *
 * Text without a charset, or labelled us-ascii but holding 8-bit bytes, is
 * read as UTF-8 when all of it is valid UTF-8 (what mail clients do, and what
 * today's senders mean); otherwise its 8-bit bytes become U+FFFD, because any
 * other guess would invent characters the sender may not have meant.
 */
#include "mime/decode.h"

#include <errno.h>
#include <gmime/gmime.h>
#include <iconv.h>
#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "beaconwatch.h"
#include "util/buf.h"

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD in UTF-8 */

static int is_utf8_label(const char *charset) {
  return strcasecmp(charset, "utf-8") == 0 || strcasecmp(charset, "utf8") == 0;
}

static int is_ascii_label(const char *charset) {
  return strcasecmp(charset, "us-ascii") == 0 || strcasecmp(charset, "ascii") == 0 ||
         strcasecmp(charset, "ANSI_X3.4-1968") == 0;
}

/* Range the byte after lead byte c must fall in (RFC 3629: no overlongs, surrogates, > U+10FFFF).
 */
static void utf8_second_range(unsigned char c, unsigned char *lo, unsigned char *hi) {
  *lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
  *hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
}

/*
 * Length of the UTF-8 sequence at s. When it is invalid, *valid is 0 and the
 * length is that of its maximal valid prefix (at least 1), which is replaced
 * by a single U+FFFD as the Unicode standard and the WHATWG decoder do.
 */
static size_t utf8_sequence_length(const unsigned char *s, size_t avail, int *valid) {
  unsigned char c = s[0];
  *valid = 1;
  if (c < 0x80) return 1;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4) {
    *valid = 0;
    return 1;
  }
  unsigned char lo, hi;
  utf8_second_range(c, &lo, &hi);
  size_t i = 1;
  for (; i < n && i < avail; i++) {
    unsigned char min = i == 1 ? lo : 0x80, max = i == 1 ? hi : 0xBF;
    if (s[i] < min || s[i] > max) break;
  }
  if (i < n) *valid = 0;
  return i;
}

/*
 * Copies UTF-8 text, replacing each invalid sequence by U+FFFD (NUL bytes are
 * kept). With strict_8bit, any invalid sequence makes every 8-bit byte U+FFFD:
 * the text was not UTF-8 at all, so its valid-looking sequences are accidents.
 */
static int copy_as_utf8(bw_arena *a, const char *in, size_t len, int strict_8bit, const char **out,
                        size_t *out_len) {
  if (len == 0 || g_utf8_validate_len(in, len, NULL)) {
    *out = bw_arena_strndup(a, len ? in : "", len);
    *out_len = len;
    return *out ? BW_OK : BW_ENOMEM;
  }
  char *dst = bw_arena_alloc(a, len * 3 + 1);
  if (!dst) return BW_ENOMEM;
  const unsigned char *s = (const unsigned char *)in;
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    int valid;
    size_t n = strict_8bit ? 1 : utf8_sequence_length(s + i, len - i, &valid);
    if (strict_8bit) valid = s[i] < 0x80;
    if (valid) {
      memcpy(dst + o, s + i, n);
      o += n;
    } else {
      memcpy(dst + o, REPLACEMENT, 3);
      o += 3;
    }
    i += n;
  }
  dst[o] = '\0';
  *out = dst;
  *out_len = o;
  return BW_OK;
}

/* Appends what iconv wrote into chunk, then resets the output window. */
static void flush_chunk(GByteArray *out, char *chunk, size_t size, char **outbuf, size_t *outleft) {
  g_byte_array_append(out, (const guint8 *)chunk, (guint)(size - *outleft));
  *outbuf = chunk;
  *outleft = size;
}

/* Converts to UTF-8 with cd; each byte iconv rejects (or a truncated tail) becomes U+FFFD. */
static GByteArray *iconv_to_utf8(iconv_t cd, const char *in, size_t len) {
  GByteArray *out = g_byte_array_sized_new((guint)(len + len / 2 + 16));
  char chunk[4096];
  char *inbuf = (char *)in, *outbuf = chunk;
  size_t inleft = len, outleft = sizeof(chunk);
  iconv(cd, NULL, NULL, NULL, NULL);
  while (inleft > 0) {
    size_t rc = iconv(cd, &inbuf, &inleft, &outbuf, &outleft);
    int err = errno;
    flush_chunk(out, chunk, sizeof(chunk), &outbuf, &outleft);
    if (rc != (size_t)-1 || err == E2BIG) continue;
    /* EILSEQ (invalid input) or EINVAL (incomplete sequence at the end). */
    g_byte_array_append(out, (const guint8 *)REPLACEMENT, 3);
    inbuf++;
    inleft--;
  }
  iconv(cd, NULL, NULL, &outbuf, &outleft); /* shift back to the initial state */
  flush_chunk(out, chunk, sizeof(chunk), &outbuf, &outleft);
  return out;
}

/*
 * Single-byte charsets common in mail, converted through a table instead of
 * iconv calls: a quarter of the conversion cost of ordinary mail was iconv's
 * per-call machinery. Each table is filled from iconv itself, one byte at a
 * time, so the result is iconv's by construction (a byte iconv rejects maps
 * to U+FFFD, as in iconv_to_utf8).
 */
typedef struct byte_table {
  const char *iconv_name;
  int usable;
  unsigned char len[256]; /* UTF-8 bytes for each input byte; 0: rejected by iconv */
  char utf8[256][4];
} byte_table;

static byte_table BYTE_TABLES[] = {{.iconv_name = "iso-8859-1"},
                                   {.iconv_name = "iso-8859-15"},
                                   {.iconv_name = "CP1252"},
                                   {.iconv_name = "CP1251"}};
static pthread_once_t byte_tables_once = PTHREAD_ONCE_INIT;

static void fill_byte_table(byte_table *t) {
  iconv_t cd = iconv_open("UTF-8", t->iconv_name);
  if (cd == (iconv_t)-1) return;
  t->usable = 1;
  for (int c = 0; c < 256; c++) {
    char in = (char)c, out[8];
    char *inbuf = &in, *outbuf = out;
    size_t inleft = 1, outleft = sizeof(out);
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &inbuf, &inleft, &outbuf, &outleft) == (size_t)-1) continue;
    size_t n = sizeof(out) - outleft;
    if (n == 0 || n > 3) t->usable = 0; /* not a plain single-byte charset after all */
    if (n > 0 && n <= 3) {
      memcpy(t->utf8[c], out, n);
      t->len[c] = (unsigned char)n;
    }
  }
  iconv_close(cd);
}

static void fill_byte_tables(void) {
  for (size_t i = 0; i < sizeof(BYTE_TABLES) / sizeof(BYTE_TABLES[0]); i++)
    fill_byte_table(&BYTE_TABLES[i]);
}

static const byte_table *byte_table_for(const char *iconv_name) {
  pthread_once(&byte_tables_once, fill_byte_tables);
  for (size_t i = 0; i < sizeof(BYTE_TABLES) / sizeof(BYTE_TABLES[0]); i++)
    if (BYTE_TABLES[i].usable && strcasecmp(iconv_name, BYTE_TABLES[i].iconv_name) == 0)
      return &BYTE_TABLES[i];
  return NULL;
}

static int convert_with_table(bw_arena *a, const byte_table *t, const char *in, size_t len,
                              const char **out, size_t *out_len) {
  char *dst = bw_arena_alloc(a, len * 3 + 1);
  if (!dst) return BW_ENOMEM;
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)in[i];
    if (c < 0x80 && t->len[c] == 1) {
      dst[o++] = (char)c;
    } else if (t->len[c]) {
      memcpy(dst + o, t->utf8[c], t->len[c]);
      o += t->len[c];
    } else {
      memcpy(dst + o, REPLACEMENT, 3);
      o += 3;
    }
  }
  dst[o] = '\0';
  *out = dst;
  *out_len = o;
  return BW_OK;
}

/* 1 when s[0..len) is well-formed UTF-8 (RFC 3629) without NUL bytes. */
static int is_clean_utf8(const unsigned char *s, size_t len) {
  for (size_t i = 0; i < len;) {
    if (s[i] == 0) return 0;
    int valid;
    i += utf8_sequence_length(s + i, len - i, &valid);
    if (!valid) return 0;
  }
  return 1;
}

int bw_decode_append_exact(bw_buf *out, const char *iconv_name, const char *in, size_t len) {
  const unsigned char *s = (const unsigned char *)in;
  if (strcasecmp(iconv_name, "UTF-8") == 0)
    return is_clean_utf8(s, len) && bw_buf_append(out, in, len) == BW_OK;
  if (strcasecmp(iconv_name, "us-ascii") == 0) {
    for (size_t i = 0; i < len; i++)
      if (s[i] == 0 || s[i] >= 0x80) return 0;
    return bw_buf_append(out, in, len) == BW_OK;
  }
  const byte_table *t = byte_table_for(iconv_name);
  if (!t) return 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == 0 || !t->len[s[i]]) return 0;
    if (bw_buf_append(out, t->utf8[s[i]], t->len[s[i]]) != BW_OK) return 0;
  }
  return 1;
}

/* Charset label without surrounding spaces or quotes ("\"iso-8859-1 \"" -> "iso-8859-1"). */
static const char *clean_label(bw_arena *a, const char *declared) {
  while (*declared == ' ' || *declared == '\t' || *declared == '"' || *declared == '\'') declared++;
  size_t n = strlen(declared);
  while (n && (declared[n - 1] == ' ' || declared[n - 1] == '\t' || declared[n - 1] == '"' ||
               declared[n - 1] == '\''))
    n--;
  return bw_arena_strndup(a, declared, n);
}

int bw_decode_text(bw_arena *a, const char *in, size_t len, const char *declared, const char **out,
                   size_t *out_len, const char **used) {
  const char *label = declared ? clean_label(a, declared) : NULL;
  if (declared && !label) return BW_ENOMEM;
  if (!label || !*label || is_ascii_label(label)) {
    *used = "utf-8";
    return copy_as_utf8(a, in, len, 1, out, out_len);
  }
  if (is_utf8_label(label)) {
    *used = "utf-8";
    return copy_as_utf8(a, in, len, 0, out, out_len);
  }
  const char *iconv_name = g_mime_charset_iconv_name(label);
  const byte_table *table = byte_table_for(iconv_name);
  if (table) {
    *used = bw_arena_strdup(a, g_mime_charset_canon_name(label));
    return convert_with_table(a, table, in, len, out, out_len);
  }
  iconv_t cd = g_mime_iconv_open("UTF-8", iconv_name);
  if (cd == (iconv_t)-1) {
    /* Unknown charset label: treated like a missing one. */
    *used = "utf-8";
    return copy_as_utf8(a, in, len, 1, out, out_len);
  }
  GByteArray *converted = iconv_to_utf8(cd, len ? in : "", len);
  g_mime_iconv_close(cd);
  *used = bw_arena_strdup(a, g_mime_charset_canon_name(label));
  int rc = copy_as_utf8(a, (const char *)converted->data, converted->len, 0, out, out_len);
  g_byte_array_free(converted, TRUE);
  return rc;
}
static void to_hex(const uint8_t *digest, size_t n, char *out) {
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 15];
  }
  out[2 * n] = '\0';
}

/* nettle rather than GLib: its SHA implementations are several times faster on big attachments. */
void bw_decode_digests(const unsigned char *data, size_t len, char md5[33], char sha1[41],
                       char sha256[65]) {
  struct md5_ctx m;
  struct sha1_ctx s1;
  struct sha256_ctx s256;
  uint8_t d[SHA256_DIGEST_SIZE];
  md5_init(&m);
  md5_update(&m, len, data);
  md5_digest(&m, MD5_DIGEST_SIZE, d);
  to_hex(d, MD5_DIGEST_SIZE, md5);
  sha1_init(&s1);
  sha1_update(&s1, len, data);
  sha1_digest(&s1, SHA1_DIGEST_SIZE, d);
  to_hex(d, SHA1_DIGEST_SIZE, sha1);
  sha256_init(&s256);
  sha256_update(&s256, len, data);
  sha256_digest(&s256, SHA256_DIGEST_SIZE, d);
  to_hex(d, SHA256_DIGEST_SIZE, sha256);
}
