/*
 * entities.c - HTML5 character references: the named table (generated into
 * entities_table.inc from the WHATWG list), numeric references with the
 * spec's fix-ups, and bw_html_decode_entities.
 *
 * Named lookup finds the longest name that prefixes the input, as the spec
 * requires for the legacy names written without a semicolon ("&notit;" is
 * "¬it;"). The table is sorted, so names sharing a prefix form a contiguous
 * range; each further input character narrows the range by binary search,
 * which costs O(name length * log n) and never scans the table.
 */
#include "html/entities.h"

#include <string.h>

#include "html/html_tokenizer.h"

struct bw_entity {
  unsigned short name_off;
  unsigned char name_len;
  unsigned char value_len;
  char value[8];
};

#include "html/entities_table.inc"

/* Windows-1252 meanings the spec gives numeric references 0x80-0x9F; 0 = keep as is. */
static const unsigned short c1_replacement[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

static int is_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

size_t bw_html_utf8_encode(unsigned cp, char *out) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* The character at position k of entity e, or -1 when the name is shorter. */
static int name_char(size_t e, size_t k) {
  const struct bw_entity *ent = &bw_entities[e];
  return k < ent->name_len ? (unsigned char)bw_entity_names[ent->name_off + k] : -1;
}

/* First index in [lo, hi) whose character k is >= c (the range is sorted on it). */
static size_t lower_bound(size_t lo, size_t hi, size_t k, int c) {
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (name_char(mid, k) < c)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Longest entity name prefixing s (s[0] is the first name char); -1 when none. */
static long longest_match(const char *s, size_t avail) {
  unsigned char c0 = (unsigned char)s[0];
  if (c0 >= 128) return -1;
  size_t lo = bw_entity_first[c0][0], hi = bw_entity_first[c0][1];
  long best = -1;
  for (size_t k = 1; lo < hi; k++) {
    if (bw_entities[lo].name_len == k)
      best = (long)lo; /* the exact-length name sorts first in its range */
    if (k >= avail || k >= BW_ENTITY_MAX_NAME) break;
    int c = (unsigned char)s[k];
    lo = lower_bound(lo, hi, k, c);
    hi = lower_bound(lo, hi, k, c + 1);
  }
  return best;
}

/*
 * The references mail uses most (&amp; in the query strings of links,
 * &nbsp; in text), answered without the binary searches. A name ending in
 * ';' never prefixes a longer name, so a match here is the longest match.
 */
static const struct common_ref {
  const char *name; /* after the '&' */
  unsigned char name_len;
  const char *value; /* UTF-8 */
  unsigned char value_len;
} common_refs[] = {{"amp;", 4, "&", 1},
                   {"nbsp;", 5, "\xC2\xA0", 2},
                   {"quot;", 5, "\"", 1},
                   {"lt;", 3, "<", 1},
                   {"gt;", 3, ">", 1}};

static size_t decode_common(const char *s, size_t avail, char *out, size_t *out_len) {
  for (size_t i = 0; i < sizeof(common_refs) / sizeof(common_refs[0]); i++) {
    const struct common_ref *r = &common_refs[i];
    if (avail > r->name_len && memcmp(s + 1, r->name, r->name_len) == 0) {
      memcpy(out, r->value, r->value_len);
      *out_len = r->value_len;
      return 1 + r->name_len;
    }
  }
  return 0;
}

static size_t decode_named(const char *s, size_t avail, int in_attribute, char *out,
                           size_t *out_len, size_t *errors) {
  size_t used = decode_common(s, avail, out, out_len);
  if (used) return used;
  long e = longest_match(s + 1, avail - 1);
  if (e < 0) return 0; /* "ambiguous ampersand": the text stays as written */
  const struct bw_entity *ent = &bw_entities[e];
  used = 1 + ent->name_len;
  if (bw_entity_names[ent->name_off + ent->name_len - 1] != ';') {
    /* Legacy rule: in attributes "&amp=" or "&ampx" is left alone (URLs). */
    if (in_attribute && used < avail && (s[used] == '=' || is_alnum((unsigned char)s[used])))
      return 0;
    (*errors)++;
  }
  memcpy(out, ent->value, ent->value_len);
  *out_len = ent->value_len;
  return used;
}

static unsigned fix_numeric(unsigned long v, size_t *errors) {
  if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
    (*errors)++;
    return 0xFFFD;
  }
  if (v >= 0x80 && v <= 0x9F && c1_replacement[v - 0x80]) {
    (*errors)++;
    return c1_replacement[v - 0x80];
  }
  return (unsigned)v;
}

static size_t decode_numeric(const char *s, size_t avail, char *out, size_t *out_len,
                             size_t *errors) {
  size_t i = 2;
  int hex = i < avail && (s[i] == 'x' || s[i] == 'X');
  if (hex) i++;
  size_t digits_at = i;
  unsigned long v = 0;
  for (; i < avail; i++) {
    unsigned char c = (unsigned char)s[i];
    unsigned d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
      d = (c | 0x20) - 'a' + 10;
    else
      break;
    v = v * (hex ? 16 : 10) + d;
    if (v > 0x10FFFF) v = 0x110000; /* saturate: still out of range, never overflows */
  }
  if (i == digits_at) {
    (*errors)++;
    return 0; /* "&#" or "&#x" without digits is plain text */
  }
  if (i < avail && s[i] == ';')
    i++;
  else
    (*errors)++;
  *out_len = bw_html_utf8_encode(fix_numeric(v, errors), out);
  return i;
}

size_t bw_html_decode_ref(const char *s, size_t avail, int in_attribute, char *out, size_t *out_len,
                          size_t *errors) {
  if (avail < 2) return 0;
  if (s[1] == '#') return decode_numeric(s, avail, out, out_len, errors);
  if (is_alnum((unsigned char)s[1]))
    return decode_named(s, avail, in_attribute, out, out_len, errors);
  return 0;
}

size_t bw_html_decode_entities(const char *s, size_t len, int in_attribute, char *out) {
  size_t i = 0, o = 0, errors = 0;
  while (i < len) {
    const char *amp = memchr(s + i, '&', len - i);
    size_t run = amp ? (size_t)(amp - (s + i)) : len - i;
    memcpy(out + o, s + i, run);
    o += run;
    i += run;
    if (i >= len) break;
    char ref[BW_HTML_REF_MAX];
    size_t ref_len = 0;
    size_t used = bw_html_decode_ref(s + i, len - i, in_attribute, ref, &ref_len, &errors);
    /* Only &nGt; and &nLt; decode longer than written (by one byte); past the
       caller's 8 bytes of slack they stay as written rather than overflow. */
    if (used == 0 || o + ref_len > i + used + 8) {
      out[o++] = '&';
      i++;
      continue;
    }
    memcpy(out + o, ref, ref_len);
    o += ref_len;
    i += used;
  }
  return o;
}
