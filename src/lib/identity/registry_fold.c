/*
 * registry_fold.c - NFKC normalisation, white space and invisible characters,
 * and per-character case folding for the identity registry (see
 * registry_fold.h), on ICU.
 *
 * Most texts searched (display names, signature lines) are plain ASCII, which
 * NFKC leaves as it is: for them the white space and case folding are done
 * byte by byte, with what ICU says of each ASCII character read once.
 */
#include "identity/registry_fold.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#define MAX_FOLD_INPUT (1u << 24)

static UChar *to_utf16(const char *text, size_t len, int32_t *n16) {
  UErrorCode st = U_ZERO_ERROR;
  UChar *u16 = malloc((len + 1) * sizeof(UChar)); /* never more units than bytes */
  if (!u16) return NULL;
  u_strFromUTF8WithSub(u16, (int32_t)len + 1, n16, text, (int32_t)len, 0xFFFD, NULL, &st);
  if (U_FAILURE(st)) {
    free(u16);
    return NULL;
  }
  return u16;
}

static UChar *nfkc(const UChar *in, int32_t n, int32_t *out_n) {
  UErrorCode st = U_ZERO_ERROR;
  const UNormalizer2 *nf = unorm2_getNFKCInstance(&st);
  if (U_FAILURE(st)) return NULL;
  int32_t cap = n * 2 + 16;
  for (int attempt = 0; attempt < 2; attempt++) {
    UChar *out = malloc((size_t)cap * sizeof(UChar));
    if (!out) return NULL;
    st = U_ZERO_ERROR;
    *out_n = unorm2_normalize(nf, in, n, out, cap, &st);
    if (U_SUCCESS(st)) return out;
    free(out);
    if (st != U_BUFFER_OVERFLOW_ERROR) return NULL;
    cap = *out_n + 1;
  }
  return NULL;
}

/* Collapses runs of white space to one space, trims both ends and drops
 * invisible characters, in place; returns the new length. */
static int32_t tidy(UChar *s, int32_t n) {
  int32_t out = 0;
  int pending = 0;
  for (int32_t i = 0; i < n;) {
    int32_t at = i;
    UChar32 c;
    U16_NEXT(s, i, n, c);
    if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) continue;
    if (u_isUWhiteSpace(c)) {
      pending = out > 0;
      continue;
    }
    if (pending) s[out++] = ' ';
    pending = 0;
    while (at < i) s[out++] = s[at++];
  }
  return out;
}

/* Writes the kept and folded UTF-8 forms of s[0..n) and the offset map. */
static int encode(const UChar *s, int32_t n, bw_registry_folded *out) {
  size_t cap = (size_t)n * 4 + 1; /* a UTF-16 unit never needs more than 4 UTF-8 bytes */
  out->kept = malloc(cap);
  out->folded = malloc(cap);
  out->map = malloc(cap * sizeof(uint32_t));
  if (!out->kept || !out->folded || !out->map) return -1;
  size_t k = 0, f = 0;
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U16_NEXT(s, i, n, c);
    out->map[f] = (uint32_t)k;
    U8_APPEND_UNSAFE(out->kept, k, c);
    U8_APPEND_UNSAFE(out->folded, f, u_foldCase(c, U_FOLD_CASE_DEFAULT));
  }
  out->map[f] = (uint32_t)k;
  out->kept[k] = 0;
  out->folded[f] = 0;
  out->kept_len = k;
  out->len = f;
  return 0;
}

/* ---- ASCII ----------------------------------------------------------------- */

/* ICU's answers for each ASCII character, as tidy() and encode() ask them. */
typedef struct ascii_chars {
  unsigned char fold[128];
  unsigned char space[128], ignorable[128];
  unsigned char usable[128]; /* folds to ASCII: the fast path gives ICU's result */
} ascii_chars;

static ascii_chars ASCII;
static pthread_once_t ascii_once = PTHREAD_ONCE_INIT;

static void read_ascii_chars(void) {
  for (UChar32 c = 0; c < 128; c++) {
    UChar32 f = u_foldCase(c, U_FOLD_CASE_DEFAULT);
    ASCII.usable[c] = f >= 0 && f < 128;
    ASCII.fold[c] = (unsigned char)(ASCII.usable[c] ? f : c);
    ASCII.space[c] = (unsigned char)u_isUWhiteSpace(c);
    ASCII.ignorable[c] = (unsigned char)u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
  }
}

/* Whether text can take the fast path: every byte an ASCII character ICU folds to ASCII. */
static int plain_ascii(const char *text, size_t len) {
  pthread_once(&ascii_once, read_ascii_chars);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c >= 128 || !ASCII.usable[c]) return 0;
  }
  return 1;
}

/* tidy() and encode() for ASCII text: one byte is one character in every form. */
static int fold_ascii(const char *text, size_t len, bw_registry_folded *out) {
  /* One allocation for the three forms: these texts are short and searched often. */
  out->block = malloc((len + 1) * (sizeof(uint32_t) + 2));
  if (!out->block) return -1;
  out->map = out->block;
  out->kept = (char *)(out->map + len + 1);
  out->folded = out->kept + len + 1;
  size_t k = 0;
  int pending = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)text[i];
    if (ASCII.ignorable[c]) continue;
    if (ASCII.space[c]) {
      pending = k > 0;
      continue;
    }
    if (pending) {
      out->map[k] = (uint32_t)k;
      out->kept[k] = out->folded[k] = ' ';
      k++;
    }
    pending = 0;
    out->map[k] = (uint32_t)k;
    out->kept[k] = (char)c;
    out->folded[k] = (char)ASCII.fold[c];
    k++;
  }
  out->map[k] = (uint32_t)k;
  out->kept[k] = out->folded[k] = 0;
  out->kept_len = out->len = k;
  return 0;
}

/* ---- folding ----------------------------------------------------------------- */

int bw_registry_fold(const char *text, size_t len, bw_registry_folded *out) {
  memset(out, 0, sizeof(*out));
  if (len > MAX_FOLD_INPUT) len = MAX_FOLD_INPUT;
  if (plain_ascii(text, len)) {
    int rc = fold_ascii(text, len, out);
    if (rc) bw_registry_folded_free(out);
    return rc;
  }
  int32_t n16 = 0, n = 0;
  UChar *u16 = to_utf16(text, len, &n16);
  if (!u16) return -1;
  UChar *norm = nfkc(u16, n16, &n);
  free(u16);
  if (!norm) return -1;
  int rc = encode(norm, tidy(norm, n), out);
  free(norm);
  if (rc) bw_registry_folded_free(out);
  return rc;
}

void bw_registry_folded_free(bw_registry_folded *f) {
  if (f->block) {
    free(f->block);
  } else {
    free(f->kept);
    free(f->folded);
    free(f->map);
  }
  memset(f, 0, sizeof(*f));
}
