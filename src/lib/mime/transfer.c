/*
 * transfer.c - base64 and quoted-printable content decoded exactly as GMime
 * decodes it.
 *
 * Encoded bodies are most of the bytes of HTML-heavy mail, and GMime's
 * decoders take a branch or two per character. Here whole base64 quartets
 * of alphabet characters (nearly all of a base64 line) are decoded together,
 * and quoted-printable text is copied a run at a time up to the next '=';
 * everything else takes GMime's own loops (gmime-encodings.c,
 * g_mime_encoding_base64_decode_step and g_mime_encoding_quoted_decode_step)
 * step for step. tests/unit/test_mime_view.c compares both with GMime on
 * random input, and fuzz_view_parsers on every message it builds.
 */
#include "mime/transfer.h"

#include <stdint.h>
#include <string.h>

/* GMime's rank table: the RFC 2045 alphabet; 255 for every other byte, '=' included. */
static const unsigned char RANK[256] = {
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 62,  255, 255, 255, 63,  52,  53,  54,  55,  56,  57,  58,  59,  60,
    61,  255, 255, 255, 255, 255, 255, 255, 0,   1,   2,   3,   4,   5,   6,   7,   8,   9,   10,
    11,  12,  13,  14,  15,  16,  17,  18,  19,  20,  21,  22,  23,  24,  25,  255, 255, 255, 255,
    255, 255, 26,  27,  28,  29,  30,  31,  32,  33,  34,  35,  36,  37,  38,  39,  40,  41,  42,
    43,  44,  45,  46,  47,  48,  49,  50,  51,  255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255};

size_t bw_base64_decode(const unsigned char *in, size_t len, unsigned char *out) {
  unsigned char *o = out;
  uint32_t saved = 0;
  int n = 0; /* characters in the current quartet */
  size_t i = 0;
  while (i < len) {
    if (n == 0 && i + 4 <= len) {
      unsigned r0 = RANK[in[i]], r1 = RANK[in[i + 1]], r2 = RANK[in[i + 2]], r3 = RANK[in[i + 3]];
      if ((r0 | r1 | r2 | r3) < 64) {
        uint32_t v = r0 << 18 | r1 << 12 | r2 << 6 | r3;
        o[0] = (unsigned char)(v >> 16), o[1] = (unsigned char)(v >> 8), o[2] = (unsigned char)v;
        o += 3;
        i += 4;
        continue;
      }
    }
    unsigned char c = in[i++], rank = RANK[c];
    if (rank != 255) {
      saved = saved << 6 | rank;
      if (++n == 4) {
        o[0] = (unsigned char)(saved >> 16), o[1] = (unsigned char)(saved >> 8);
        o[2] = (unsigned char)saved;
        o += 3;
        saved = 0;
        n = 0;
      }
    } else if (c == '=') {
      /* The end of the content: a quartet of 2 or 3 characters still gives its bytes. */
      if (n > 1) {
        saved <<= 6 * (4 - n);
        *o++ = (unsigned char)(saved >> 16);
        if (n > 2) *o++ = (unsigned char)(saved >> 8);
      }
      break;
    }
  }
  return (size_t)(o - out);
}

static int hex_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

size_t bw_qp_decode(const unsigned char *in, size_t len, unsigned char *out) {
  unsigned char *o = out;
  const unsigned char *p = in, *end = in + len;
  while (p < end) {
    const unsigned char *eq = memchr(p, '=', (size_t)(end - p));
    size_t run = (size_t)((eq ? eq : end) - p);
    memcpy(o, p, run);
    o += run;
    if (!eq || end - eq < 3) break; /* an escape cut off at the end is dropped, as GMime does */
    unsigned char a = eq[1], b = eq[2];
    p = eq + 2;
    if (a == '\n') continue; /* soft break, Unix line end: b is read as text */
    p = eq + 3;
    if (hex_value(a) >= 0 && hex_value(b) >= 0) {
      *o++ = (unsigned char)(hex_value(a) << 4 | hex_value(b));
    } else if (!(a == '\r' && b == '\n')) {
      o[0] = '=', o[1] = a, o[2] = b;
      o += 3;
    }
  }
  return (size_t)(o - out);
}
