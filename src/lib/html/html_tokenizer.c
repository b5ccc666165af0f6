/*
 * html_tokenizer.c - the WHATWG HTML5 tokenizer (no tree construction).
 *
 * The spec describes the tokenizer one character at a time; doing that
 * literally costs a function call and a state dispatch per byte. Here each
 * group of states is a loop that skips over the bytes it has no interest in
 * with a stop set (16 bytes at a time with SSE2, else a 256-entry table),
 * and only the bytes that change state (< & > quotes, whitespace, NUL, CR)
 * are looked at individually. Because the whole
 * input is in memory, lookahead replaces the spec's temporary buffers (end
 * tag names, character references), which gives the same tokens.
 *
 * The tokenizer also tracks the few bits of tree-builder state that change
 * the tokenizer's state: the element that switches to RCDATA / RAWTEXT /
 * script data / PLAINTEXT, and whether the current node is in foreign
 * content (svg/math), which enables CDATA sections and disables those
 * switches. noscript is treated as ordinary markup (scripting disabled), as
 * mail clients run no scripts. See docs/html.md.
 *
 * Every byte of input is examined a bounded number of times, and every
 * buffer is capped by bw_html_opts, so adversarial input costs linear time
 * and bounded memory.
 */
#include "html/html_tokenizer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "html/entities.h"
#include "util/byte_table.h"

#define DEFAULT_MAX_ATTRS 256
#define DEFAULT_MAX_TOKEN ((size_t)4 << 20)
#define MIN_MAX_TOKEN 64 /* so that one decoded reference always fits a buffer */
#define FOREIGN_MAX 64
#define FOREIGN_NAME_MAX 16
#define INDEX_FROM 16 /* attributes of a tag past which duplicates are found by hashing */

static const char replacement_char[] = "\xEF\xBF\xBD"; /* U+FFFD */

#define WS ['\t'] = 1, ['\n'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1
static const unsigned char is_ws[256] = {WS};

/*
 * The bytes that end a run of input in some state: up to four bytes, and
 * optionally the five whitespace characters. The 256-entry table answers for
 * one byte; the same bytes repeated 16 times serve the vector scan in
 * find_stop. Both are written from the same arguments, the table by a macro
 * that evaluates the membership test for each of the 256 bytes at compile
 * time.
 */
typedef struct stop_set {
  unsigned char table[256];
  _Alignas(16) unsigned char vec[4][16]; /* unused places repeat a listed byte */
  unsigned char ws;
} stop_set;

#define STOP_IS_WS(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\f' || (c) == '\r')
#define STOP_E(c, a, b, d, e, ws)                                                                  \
  ((c) == (a) || (c) == (b) || (c) == (d) || (c) == (e) || ((ws) && STOP_IS_WS(c)))
#define STOP_X16(c)                                                                                \
  { c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c }
#define STOP_SET(a, b, d, e, ws)                                                                   \
  {                                                                                                \
    BW_BYTE_TABLE(STOP_E, a, b, d, e, ws), {STOP_X16(a), STOP_X16(b), STOP_X16(d), STOP_X16(e)},   \
        ws                                                                                         \
  }

static const stop_set doctype_name_stop = STOP_SET('>', '>', '>', '>', 1);
static const stop_set tagname_stop = STOP_SET('/', '>', '>', '>', 1);
static const stop_set attrname_stop = STOP_SET('/', '>', '=', '=', 1);
static const stop_set dq_stop = STOP_SET('"', '&', '\0', '\r', 0);
static const stop_set sq_stop = STOP_SET('\'', '&', '\0', '\r', 0);
static const stop_set uq_stop = STOP_SET('>', '&', '\0', '\0', 1);
static const stop_set data_stop = STOP_SET('<', '&', '\r', '\r', 0);
static const stop_set rcdata_stop = STOP_SET('<', '&', '\r', '\0', 0);
static const stop_set rawtext_stop = STOP_SET('<', '\r', '\0', '\0', 0);
static const stop_set plain_stop = STOP_SET('\r', '\0', '\0', '\0', 0);
static const stop_set escaped_stop = STOP_SET('<', '-', '\r', '\0', 0);

enum content { C_DATA, C_RCDATA, C_RAWTEXT, C_SCRIPT, C_PLAINTEXT };

/* What an open svg/math-related element makes of its content. */
enum foreign_kind { F_SVG, F_MATH, F_HTML_POINT };

typedef struct sbuf {
  char *data;
  size_t len, cap;
} sbuf;

/*
 * A name or value of the tag being read. Most need no change (lowercase
 * names; values without references, CR or NUL) and are slices of the input;
 * the others are built in the tag buffer. Offsets rather than pointers,
 * because the buffer may move while the tag is read.
 */
typedef struct tag_str {
  size_t off, len;
  int in_input; /* off is into the input, else into tokenizer.tag */
} tag_str;

typedef struct attr_rec {
  tag_str name, value;
  size_t offset;
  unsigned key;  /* name_key of the name */
  unsigned hash; /* name_hash of the name, once the tag's names are indexed */
} attr_rec;

typedef struct foreign_entry {
  unsigned char kind, name_len;
  char name[FOREIGN_NAME_MAX];
} foreign_entry;

/* Whether bytes for the attribute being read are kept or thrown away. */
enum attr_mode { ATTR_KEEP, ATTR_DISCARD };

typedef struct tokenizer {
  const unsigned char *in;
  size_t len, p;
  size_t max_attrs, max_tok;
  bw_html_stats *st;
  bw_html_token_fn fn;
  void *ctx;
  int rc; /* non-zero: stop (the callback's value, or -1 for out of memory) */
  enum content content;
  char end_name[FOREIGN_NAME_MAX]; /* the "appropriate end tag" name */
  size_t end_name_len;
  sbuf text;         /* pending character tokens, when not a slice of the input */
  size_t text_len;   /* bytes of pending character tokens */
  int text_in_input; /* they are in[text_off .. text_off + text_len) */
  size_t text_off, text_end;
  sbuf tag; /* the tag's names and values that are not slices of the input */
  tag_str tag_name;
  size_t tag_bytes; /* of the tag's names and values, slices too: what max_token_bytes limits */
  attr_rec *recs;
  bw_html_attr *attrs;
  size_t n_recs, cap_recs;
  uint64_t keys_seen; /* one bit per name_key hash of this tag's names: most tags need no search */
  uint32_t *index;    /* tags with INDEX_FROM or more attributes: recs index + 1 by name, 0 free */
  size_t index_size;  /* slots in use for this tag (a power of two), 0 while not indexed */
  size_t index_cap;
  enum attr_mode attr_mode;
  sbuf misc; /* comment and doctype data */
  foreign_entry foreign[FOREIGN_MAX];
  size_t foreign_depth;
} tokenizer;

static unsigned char lower(unsigned char c) {
  return (unsigned char)(c - 'A') < 26 ? (unsigned char)(c | 0x20) : c;
}

static int is_alpha(unsigned char c) {
  return (unsigned char)((c | 0x20) - 'a') < 26;
}

/*
 * Offset of the first byte of p[0..n) in the stop set, or n. Where the CPU
 * has SSE2 (every x86-64) it looks at 16 bytes at a time, comparing each
 * listed byte across the block. For a set with whitespace every byte <= ' '
 * is a candidate that the table then confirms (the other control characters
 * are rare in HTML). Most runs of text, attribute values and style sheets
 * are long, which is where this pays.
 */
static size_t find_stop(const unsigned char *p, size_t n, const stop_set *s) {
  size_t i = 0;
#ifdef __SSE2__
  const __m128i *vec = (const __m128i *)(const void *)s->vec;
  const __m128i b0 = _mm_load_si128(vec), b1 = _mm_load_si128(vec + 1);
  const __m128i b2 = _mm_load_si128(vec + 2), b3 = _mm_load_si128(vec + 3);
  const __m128i space = _mm_set1_epi8(' ');
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, b0), _mm_cmpeq_epi8(v, b1)),
                               _mm_or_si128(_mm_cmpeq_epi8(v, b2), _mm_cmpeq_epi8(v, b3)));
    if (!s->ws) {
      unsigned bits = (unsigned)_mm_movemask_epi8(hit);
      if (bits) return i + (size_t)__builtin_ctz(bits);
      continue;
    }
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_min_epu8(v, space), v));
    for (unsigned bits = (unsigned)_mm_movemask_epi8(hit); bits; bits &= bits - 1) {
      size_t r = i + (size_t)__builtin_ctz(bits);
      if (s->table[p[r]]) return r;
    }
  }
#endif
  while (i < n && !s->table[p[i]]) i++;
  return i;
}

static size_t skip(const tokenizer *t, size_t q, const stop_set *stop) {
  return q + find_stop(t->in + q, t->len - q, stop);
}

static size_t skip_ws(const tokenizer *t, size_t q) {
  while (q < t->len && is_ws[t->in[q]]) q++;
  return q;
}

/* ---- buffers ------------------------------------------------------------ */

static int sb_room(tokenizer *t, sbuf *b, size_t n) {
  if (b->len + n <= b->cap) return 1;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + n) cap *= 2;
  char *d = realloc(b->data, cap);
  if (!d) {
    t->rc = -1;
    return 0;
  }
  b->data = d;
  b->cap = cap;
  return 1;
}

/* Appends up to the token size limit; what does not fit is cut (limit_hit). */
static size_t sb_fit(tokenizer *t, sbuf *b, size_t n) {
  if (!n) return 0;
  if (b->len + n > t->max_tok) {
    t->st->limit_hit = 1;
    n = b->len < t->max_tok ? t->max_tok - b->len : 0;
  }
  return sb_room(t, b, n) ? n : 0;
}

static void sb_put(tokenizer *t, sbuf *b, const void *s, size_t n) {
  n = sb_fit(t, b, n);
  if (!n) return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
}

static void sb_put_lower(tokenizer *t, sbuf *b, const unsigned char *s, size_t n) {
  n = sb_fit(t, b, n);
  if (!n) return;
  unsigned char *d = (unsigned char *)b->data + b->len;
  for (size_t i = 0; i < n; i++) d[i] = lower(s[i]);
  b->len += n;
}

/* Appends a name: ASCII lowercased, NUL replaced by U+FFFD. */
static void sb_put_name(tokenizer *t, sbuf *b, const unsigned char *s, size_t n) {
  while (n) {
    size_t run = 0;
    while (run < n && s[run]) run++; /* names are short: a loop beats calling memchr */
    sb_put_lower(t, b, s, run);
    if (run == n) return;
    sb_put(t, b, replacement_char, 3);
    t->st->parse_errors++;
    s += run + 1;
    n -= run + 1;
  }
}

/* Appends s with the spec's preprocessing: CR and CRLF become LF, NUL U+FFFD. */
static void sb_put_clean(tokenizer *t, sbuf *b, const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t j = i + find_stop(s + i, n - i, &plain_stop);
    sb_put(t, b, s + i, j - i);
    if (j == n) return;
    if (s[j] == '\r') {
      sb_put(t, b, "\n", 1);
      j += (j + 1 < n && s[j + 1] == '\n');
    } else {
      sb_put(t, b, replacement_char, 3);
      t->st->parse_errors++;
    }
    i = j + 1;
  }
}

/* ---- emitting ----------------------------------------------------------- */

static void call(tokenizer *t, const bw_html_token *tok) {
  if (!t->rc) t->rc = t->fn(tok, t->ctx);
}

static void flush_text(tokenizer *t) {
  if (!t->text_len) return;
  const char *data = t->text_in_input ? (const char *)t->in + t->text_off : t->text.data;
  bw_html_token tok = {.type = BW_HTML_TEXT,
                       .data = data,
                       .data_len = t->text_len,
                       .offset = t->text_off,
                       .end = t->text_end};
  t->text.len = 0;
  t->text_len = 0;
  t->text_in_input = 0;
  call(t, &tok);
}

/*
 * Appends n bytes to the pending text; src is where they come from. Pending
 * text is usually one run of raw input, which the token then points into;
 * it is copied into t->text only when a decoded reference, CR, NUL or a run
 * that is not adjacent joins it. Returns 0 when out of memory.
 */
static int text_append(tokenizer *t, const char *s, size_t n, size_t src) {
  int raw = s == (const char *)t->in + src; /* these are the input's own bytes */
  if (raw && (!t->text_len || (t->text_in_input && src == t->text_off + t->text_len))) {
    t->text_in_input = 1;
    t->text_len += n;
    return 1;
  }
  if (t->text_in_input) { /* the pending run moves into the buffer */
    if (!sb_room(t, &t->text, t->text_len)) return 0;
    memcpy(t->text.data, t->in + t->text_off, t->text_len);
    t->text.len = t->text_len;
    t->text_in_input = 0;
  }
  if (!sb_room(t, &t->text, n)) return 0;
  memcpy(t->text.data + t->text.len, s, n);
  t->text.len += n;
  t->text_len = t->text.len;
  return 1;
}

/*
 * Adds character tokens: out[0..n) is what they decode to and [src, src_end)
 * the input they come from. A run longer than max_token_bytes is split into
 * several text tokens (limit_hit); runs of more than one reference are
 * always raw input, so their offsets stay exact when split.
 */
static void text_add(tokenizer *t, const void *out, size_t n, size_t src, size_t src_end) {
  const char *s = out;
  if (t->text_len + n > t->max_tok && n <= BW_HTML_REF_MAX && t->text_len) {
    t->st->limit_hit = 1;
    flush_text(t);
  }
  while (n && !t->rc) {
    if (t->text_len >= t->max_tok) {
      t->st->limit_hit = 1;
      flush_text(t);
    }
    size_t room = t->max_tok - t->text_len;
    size_t take = n <= BW_HTML_REF_MAX || n <= room ? n : room;
    if (!t->text_len) t->text_off = src;
    if (!text_append(t, s, take, src)) return;
    t->text_end = take == n ? src_end : src + take;
    s += take;
    src += take;
    n -= take;
  }
}

/* A raw run of input as character tokens. */
static void text_raw(tokenizer *t, size_t from, size_t to) {
  if (to > from) text_add(t, t->in + from, to - from, from, to);
}

/* The character at t->p is CR or NUL: emit LF (eating a following LF) or U+FFFD. */
static void text_special(tokenizer *t) {
  size_t p = t->p;
  if (t->in[p] == '\r') {
    size_t e = p + 1 + (p + 1 < t->len && t->in[p + 1] == '\n');
    text_add(t, "\n", 1, p, e);
    t->p = e;
    return;
  }
  t->st->parse_errors++;
  text_add(t, replacement_char, 3, p, p + 1);
  t->p = p + 1;
}

/* The character at t->p is '&' in text. */
static void text_charref(tokenizer *t) {
  char out[BW_HTML_REF_MAX];
  size_t n = 0, p = t->p;
  size_t used =
      bw_html_decode_ref((const char *)t->in + p, t->len - p, 0, out, &n, &t->st->parse_errors);
  if (!used) {
    text_add(t, "&", 1, p, p + 1);
    t->p = p + 1;
    return;
  }
  text_add(t, out, n, p, p + used);
  t->p = p + used;
}

static void emit_data_token(tokenizer *t, bw_html_token_type type, const char *name,
                            size_t name_len, size_t start, size_t end) {
  flush_text(t);
  bw_html_token tok = {.type = type,
                       .name = name,
                       .name_len = name_len,
                       .data = t->misc.data ? t->misc.data : "",
                       .data_len = t->misc.len,
                       .offset = start,
                       .end = end};
  call(t, &tok);
}

/* ---- the tag's names and values ---------------------------------------- */

static const char *tag_str_ptr(const tokenizer *t, tag_str s) {
  if (s.in_input) return (const char *)t->in + s.off;
  return t->tag.data ? t->tag.data + s.off : ""; /* no buffer yet: an empty string */
}

/* How many of n more bytes of the tag fit under max_token_bytes; the rest is cut (limit_hit). */
static size_t tag_fit(tokenizer *t, size_t n) {
  if (t->tag_bytes + n > t->max_tok) {
    t->st->limit_hit = 1;
    n = t->tag_bytes < t->max_tok ? t->max_tok - t->tag_bytes : 0;
  }
  return n;
}

/* A new, empty string at the end of the tag buffer. */
static tag_str tag_str_new(const tokenizer *t) {
  return (tag_str){.off = t->tag.len};
}

/* Appends to s, the last string in the tag buffer; lower_case: ASCII-lowercased. */
static void tag_put(tokenizer *t, tag_str *s, const void *src, size_t n, int lower_case) {
  n = tag_fit(t, n);
  if (!n || !sb_room(t, &t->tag, n)) return;
  unsigned char *d = (unsigned char *)t->tag.data + t->tag.len;
  const unsigned char *from = src;
  if (lower_case)
    for (size_t i = 0; i < n; i++) d[i] = lower(from[i]);
  else
    memcpy(d, from, n);
  t->tag.len += n;
  t->tag_bytes += n;
  s->len += n;
}

/* Takes input bytes [from, to) as they are (cut to fit). */
static void tag_slice(tokenizer *t, tag_str *s, size_t from, size_t to) {
  *s = (tag_str){.off = from, .len = tag_fit(t, to - from), .in_input = 1};
  t->tag_bytes += s->len;
}

/* A tag or attribute name: ASCII-lowercased, NUL as U+FFFD; a slice when that changes nothing. */
static void tag_name_str(tokenizer *t, tag_str *s, size_t from, size_t to) {
  const unsigned char *p = t->in + from;
  size_t n = to - from, i = 0;
  while (i < n && p[i] && (unsigned char)(p[i] - 'A') >= 26) i++;
  if (i == n) {
    tag_slice(t, s, from, to);
    return;
  }
  *s = tag_str_new(t);
  while (n) {
    size_t run = 0;
    while (run < n && p[run]) run++;
    tag_put(t, s, p, run, 1);
    if (run == n) return;
    tag_put(t, s, replacement_char, 3, 0);
    t->st->parse_errors++;
    p += run + 1;
    n -= run + 1;
  }
}

/* ---- the tree-builder bits the tokenizer depends on --------------------- */

static int name_is(const char *name, size_t len, const char *lit) {
  return strlen(lit) == len && memcmp(name, lit, len) == 0;
}

static int name_in(const char *name, size_t len, const char *const *list) {
  for (; *list; list++)
    if (name_is(name, len, *list)) return 1;
  return 0;
}

/* The content model a start tag in HTML content switches the tokenizer to. */
static enum content content_after(const char *n, size_t len) {
  switch (len) {
  case 3:
    return name_is(n, len, "xmp") ? C_RAWTEXT : C_DATA;
  case 5:
    if (name_is(n, len, "title")) return C_RCDATA;
    return name_is(n, len, "style") ? C_RAWTEXT : C_DATA;
  case 6:
    if (name_is(n, len, "script")) return C_SCRIPT;
    return name_is(n, len, "iframe") ? C_RAWTEXT : C_DATA;
  case 7:
    return name_is(n, len, "noembed") ? C_RAWTEXT : C_DATA;
  case 8:
    if (name_is(n, len, "textarea")) return C_RCDATA;
    return name_is(n, len, "noframes") ? C_RAWTEXT : C_DATA;
  case 9:
    return name_is(n, len, "plaintext") ? C_PLAINTEXT : C_DATA;
  default:
    return C_DATA;
  }
}

static int in_foreign(const tokenizer *t) {
  return t->foreign_depth && t->foreign[t->foreign_depth - 1].kind != F_HTML_POINT;
}

static void foreign_push(tokenizer *t, enum foreign_kind kind, const char *name, size_t len) {
  if (t->foreign_depth == FOREIGN_MAX || len > FOREIGN_NAME_MAX)
    return; /* deeper nesting is only seen in hostile input; treat it as HTML */
  foreign_entry *e = &t->foreign[t->foreign_depth++];
  e->kind = (unsigned char)kind;
  e->name_len = (unsigned char)len;
  memcpy(e->name, name, len);
}

/* Start tags that end foreign content (the tree builder's breakout list). */
static int is_breakout(const tokenizer *t, const char *n, size_t len) {
  static const char *const list[] = {
      "b",      "big",  "blockquote", "body",  "br",   "center", "code",    "dd",   "div",
      "dl",     "dt",   "em",         "embed", "h1",   "h2",     "h3",      "h4",   "h5",
      "h6",     "head", "hr",         "i",     "img",  "li",     "listing", "menu", "meta",
      "nobr",   "ol",   "p",          "pre",   "ruby", "s",      "small",   "span", "strong",
      "strike", "sub",  "sup",        "table", "tt",   "u",      "ul",      "var",  NULL};
  if (name_in(n, len, list)) return 1;
  if (!name_is(n, len, "font")) return 0;
  for (size_t i = 0; i < t->n_recs; i++) {
    const char *an = tag_str_ptr(t, t->recs[i].name);
    size_t al = t->recs[i].name.len;
    if (name_is(an, al, "color") || name_is(an, al, "face") || name_is(an, al, "size")) return 1;
  }
  return 0;
}

static int is_html_point(enum foreign_kind ns, const char *n, size_t len) {
  static const char *const svg[] = {"foreignobject", "desc", "title", NULL};
  static const char *const math[] = {"mi", "mo", "mn", "ms", "mtext", "annotation-xml", NULL};
  return name_in(n, len, ns == F_SVG ? svg : math);
}

static void after_start_tag(tokenizer *t, int self_closing) {
  const char *n = tag_str_ptr(t, t->tag_name);
  size_t len = t->tag_name.len;
  if (in_foreign(t)) {
    enum foreign_kind ns = (enum foreign_kind)t->foreign[t->foreign_depth - 1].kind;
    if (is_breakout(t, n, len)) {
      while (in_foreign(t)) t->foreign_depth--;
    } else if (!self_closing && (name_is(n, len, "svg") || name_is(n, len, "math"))) {
      foreign_push(t, ns, n, len);
    } else if (!self_closing && is_html_point(ns, n, len)) {
      foreign_push(t, F_HTML_POINT, n, len);
    }
    return;
  }
  if (len == 3 && !self_closing && memcmp(n, "svg", 3) == 0) {
    foreign_push(t, F_SVG, n, len);
    return;
  }
  if (len == 4 && !self_closing && memcmp(n, "math", 4) == 0) {
    foreign_push(t, F_MATH, n, len);
    return;
  }
  enum content c = content_after(n, len);
  if (c != C_DATA) {
    t->content = c;
    memcpy(t->end_name, n, len);
    t->end_name_len = len;
  }
}

/* An end tag closes the nearest matching svg/math-related element. */
static void after_end_tag(tokenizer *t) {
  t->content = C_DATA;
  const char *n = tag_str_ptr(t, t->tag_name);
  size_t len = t->tag_name.len;
  for (size_t i = t->foreign_depth; i > 0; i--) {
    const foreign_entry *e = &t->foreign[i - 1];
    if (e->name_len == len && memcmp(e->name, n, len) == 0) {
      t->foreign_depth = i - 1;
      return;
    }
    if (e->kind == F_HTML_POINT)
      return; /* an HTML integration point is "special": the end tag stops there */
  }
}

/* ---- tags ----------------------------------------------------------------- */

/*
 * A fingerprint of an attribute name (length, first and last byte) that lets
 * the duplicate check skip most comparisons; cheaper than hashing every byte
 * of every name for the few tags whose names share it.
 */
static unsigned name_key(const char *s, size_t n) {
  return n ? (unsigned)n << 16 ^ (unsigned)(unsigned char)s[0] << 8 ^ (unsigned char)s[n - 1] : 0;
}

static void attr_begin(tokenizer *t, int is_end, size_t offset) {
  t->attr_mode = ATTR_DISCARD;
  if (is_end) return; /* end tags carry no attributes (a parse error the spec ignores) */
  if (t->n_recs >= t->max_attrs || t->tag_bytes >= t->max_tok) {
    t->st->attrs_dropped++;
    t->st->limit_hit = 1;
    return;
  }
  if (t->n_recs == t->cap_recs) {
    size_t cap = t->cap_recs ? t->cap_recs * 2 : 16;
    attr_rec *r = realloc(t->recs, cap * sizeof *r);
    if (!r) {
      t->rc = -1;
      return;
    }
    t->recs = r;
    bw_html_attr *a = realloc(t->attrs, cap * sizeof *a);
    if (!a) {
      t->rc = -1;
      return;
    }
    t->attrs = a;
    t->cap_recs = cap;
  }
  t->recs[t->n_recs].offset = offset;
  t->attr_mode = ATTR_KEEP;
}

static void attr_name(tokenizer *t, size_t from, size_t to) {
  if (t->attr_mode == ATTR_KEEP) tag_name_str(t, &t->recs[t->n_recs].name, from, to);
}

/*
 * Whether the name of recs[n_recs] repeats an earlier attribute's, for a
 * tag with few attributes: compare keys with each earlier one, and most
 * often skip even that, when the key's bit in keys_seen was never set.
 */
static int seen_few(tokenizer *t, const char *name, size_t len) {
  attr_rec *r = &t->recs[t->n_recs];
  r->key = name_key(name, len);
  uint64_t bit = (uint64_t)1 << ((r->key * 0x9E3779B1u) >> 26);
  int maybe_seen = (t->keys_seen & bit) != 0;
  t->keys_seen |= bit;
  for (size_t i = 0; maybe_seen && i < t->n_recs; i++) {
    const attr_rec *o = &t->recs[i];
    if (o->key == r->key && o->name.len == len && memcmp(tag_str_ptr(t, o->name), name, len) == 0)
      return 1;
  }
  return 0;
}

static unsigned name_hash(const char *s, size_t n) {
  unsigned h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

/* Looks recs[i]'s name up in the index; adds i when absent. Returns 1 when present. */
static int index_find_or_add(tokenizer *t, size_t i) {
  attr_rec *r = &t->recs[i];
  const char *name = tag_str_ptr(t, r->name);
  size_t len = r->name.len, mask = t->index_size - 1;
  r->hash = name_hash(name, len);
  for (size_t slot = r->hash & mask;; slot = (slot + 1) & mask) {
    uint32_t v = t->index[slot];
    if (!v) {
      t->index[slot] = (uint32_t)i + 1;
      return 0;
    }
    const attr_rec *o = &t->recs[v - 1];
    if (o->hash == r->hash && o->name.len == len && memcmp(tag_str_ptr(t, o->name), name, len) == 0)
      return 1;
  }
}

/* Makes the index at least twice the size of the attributes so far, re-adding them. */
static int index_grow(tokenizer *t) {
  size_t size = t->index_size ? t->index_size * 2 : 64;
  while (size < 2 * (t->n_recs + 1)) size *= 2;
  if (size > t->index_cap) {
    uint32_t *p = realloc(t->index, size * sizeof *p);
    if (!p) {
      t->rc = -1;
      return 0;
    }
    t->index = p;
    t->index_cap = size;
  }
  t->index_size = size;
  memset(t->index, 0, size * sizeof *t->index);
  for (size_t i = 0; i < t->n_recs; i++) index_find_or_add(t, i);
  return 1;
}

/*
 * Whether the name of recs[n_recs] repeats an earlier attribute's, for a
 * tag with many: through a hash index of the names, as comparing with each
 * earlier one would cost quadratic time (mail has tags with hundreds).
 */
static int seen_many(tokenizer *t) {
  if (2 * (t->n_recs + 1) > t->index_size && !index_grow(t)) return 0;
  return index_find_or_add(t, t->n_recs);
}

/* The attribute name is complete: drop it when it repeats an earlier one. */
static void attr_name_done(tokenizer *t) {
  if (t->attr_mode != ATTR_KEEP) return;
  attr_rec *r = &t->recs[t->n_recs];
  int few = t->n_recs < INDEX_FROM || t->n_recs >= UINT32_MAX - 1; /* the index holds uint32 */
  int seen = few ? seen_few(t, tag_str_ptr(t, r->name), r->name.len) : seen_many(t);
  if (seen) {
    if (!r->name.in_input) t->tag.len = r->name.off; /* and it no longer counts to the limit */
    t->tag_bytes -= r->name.len;
    t->attr_mode = ATTR_DISCARD;
    t->st->attrs_dropped++;
    t->st->parse_errors++;
    return;
  }
  r->value = tag_str_new(t);
  t->n_recs++;
}

static void attr_value(tokenizer *t, const void *s, size_t n) {
  if (t->attr_mode == ATTR_KEEP) tag_put(t, &t->recs[t->n_recs - 1].value, s, n, 0);
}

/* Whether c in a value needs decoding: a reference, NUL, or (quoted) CR. */
static int value_special(unsigned char c, const stop_set *stop) {
  return c == '&' || c == '\0' || (c == '\r' && stop != &uq_stop);
}

/* The byte at q inside an attribute value is '&', NUL or CR; returns the next position. */
static size_t attr_value_special(tokenizer *t, size_t q) {
  unsigned char c = t->in[q];
  if (c == '&') {
    char out[BW_HTML_REF_MAX];
    size_t n = 0;
    size_t used =
        bw_html_decode_ref((const char *)t->in + q, t->len - q, 1, out, &n, &t->st->parse_errors);
    if (!used) {
      attr_value(t, "&", 1);
      return q + 1;
    }
    attr_value(t, out, n);
    return q + used;
  }
  if (c == '\r') {
    attr_value(t, "\n", 1);
    return q + 1 + (q + 1 < t->len && t->in[q + 1] == '\n');
  }
  t->st->parse_errors++;
  attr_value(t, replacement_char, 3);
  return q + 1;
}

/* Reads a value up to a byte in stop other than & NUL CR; returns its position. */
static size_t attr_value_run(tokenizer *t, size_t q, const stop_set *stop) {
  size_t r = skip(t, q, stop);
  if (r >= t->len || !value_special(t->in[r], stop)) { /* most values: one run of input */
    if (t->attr_mode == ATTR_KEEP) tag_slice(t, &t->recs[t->n_recs - 1].value, q, r);
    return r;
  }
  for (;;) {
    if (r > q) attr_value(t, t->in + q, r - q);
    if (r >= t->len || !value_special(t->in[r], stop)) return r;
    q = attr_value_special(t, r);
    r = skip(t, q, stop);
  }
}

static void emit_tag(tokenizer *t, int is_end, int self_closing, size_t start, size_t end) {
  flush_text(t);
  for (size_t i = 0; i < t->n_recs; i++) {
    const attr_rec *r = &t->recs[i];
    t->attrs[i] = (bw_html_attr){.name = tag_str_ptr(t, r->name),
                                 .name_len = r->name.len,
                                 .value = tag_str_ptr(t, r->value),
                                 .value_len = r->value.len,
                                 .offset = r->offset};
  }
  if (is_end && self_closing) t->st->parse_errors++;
  bw_html_token tok = {.type = is_end ? BW_HTML_END_TAG : BW_HTML_START_TAG,
                       .name = tag_str_ptr(t, t->tag_name),
                       .name_len = t->tag_name.len,
                       .attrs = t->n_recs ? t->attrs : NULL,
                       .n_attrs = t->n_recs,
                       .self_closing = self_closing,
                       .offset = start,
                       .end = end};
  call(t, &tok);
  if (is_end)
    after_end_tag(t);
  else
    after_start_tag(t, self_closing);
}

/* Returned by tag_attributes when the input ends inside the tag. */
#define EOF_IN_TAG ((size_t)-1)

/*
 * The attribute states, from "before attribute name" to the end of the tag.
 * Returns the position after '>' and sets *self_closing, or EOF_IN_TAG when
 * the input ends inside the tag (the spec then emits nothing).
 */
static size_t tag_attributes(tokenizer *t, size_t q, int is_end, int *self_closing) {
  const unsigned char *in = t->in;
  size_t len = t->len;
  for (;;) {
    q = skip_ws(t, q);
    if (q >= len) return EOF_IN_TAG;
    if (in[q] == '>') return q + 1;
    if (in[q] == '/') { /* self-closing start tag state */
      if (++q >= len) return EOF_IN_TAG;
      if (in[q] == '>') {
        *self_closing = 1;
        return q + 1;
      }
      t->st->parse_errors++;
      continue;
    }
    attr_begin(t, is_end, q);
    size_t name_end = skip(t, q + 1, &attrname_stop); /* a leading '=' belongs to the name */
    attr_name(t, q, name_end);
    attr_name_done(t);
    q = skip_ws(t, name_end);
    if (q >= len) return EOF_IN_TAG;
    if (in[q] != '=') continue; /* '/', '>' or the next attribute: the loop handles each */
    q = skip_ws(t, q + 1);
    if (q >= len) return EOF_IN_TAG;
    unsigned char c = in[q];
    if (c == '"' || c == '\'') {
      q = attr_value_run(t, q + 1, c == '"' ? &dq_stop : &sq_stop);
      if (q >= len) return EOF_IN_TAG;
      q++;
      if (q < len && !is_ws[in[q]] && in[q] != '/' && in[q] != '>')
        t->st->parse_errors++; /* missing whitespace between attributes */
    } else if (c == '>') {
      t->st->parse_errors++; /* missing attribute value */
      return q + 1;
    } else {
      q = attr_value_run(t, q, &uq_stop);
    }
  }
}

/* A tag whose name starts at q (the '<' is at start). */
static void parse_tag(tokenizer *t, size_t start, size_t q, int is_end) {
  t->tag.len = 0;
  t->tag_bytes = 0;
  t->n_recs = 0;
  t->keys_seen = 0;
  t->index_size = 0;
  size_t name_end = skip(t, q, &tagname_stop);
  tag_name_str(t, &t->tag_name, q, name_end);
  int self_closing = 0;
  size_t end = tag_attributes(t, name_end, is_end, &self_closing);
  if (end == EOF_IN_TAG) {
    t->st->parse_errors++; /* the spec drops a tag cut by the end of input */
    t->p = t->len;
    return;
  }
  t->p = end;
  emit_tag(t, is_end, self_closing, start, end);
}

/* ---- comments, doctype, CDATA --------------------------------------------- */

static void bogus_comment(tokenizer *t, size_t start, size_t q) {
  const unsigned char *gt = memchr(t->in + q, '>', t->len - q);
  size_t data_end = gt ? (size_t)(gt - t->in) : t->len;
  t->misc.len = 0;
  sb_put_clean(t, &t->misc, t->in + q, data_end - q);
  t->p = gt ? data_end + 1 : t->len;
  emit_data_token(t, BW_HTML_COMMENT, NULL, 0, start, t->p);
}

/* Trailing "-", "--" or "--!" that an unterminated comment's states swallow. */
static size_t comment_eof_end(const unsigned char *in, size_t q, size_t end) {
  if (end - q >= 3 && in[end - 1] == '!' && in[end - 2] == '-' && in[end - 3] == '-')
    return end - 3;
  for (int i = 0; i < 2 && end > q && in[end - 1] == '-'; i++) end--;
  return end;
}

/* A comment whose data starts at q, just after "<!--". */
static void comment(tokenizer *t, size_t start, size_t q) {
  const unsigned char *in = t->in;
  size_t len = t->len, data_end = q, end;
  if (q < len && in[q] == '>') { /* "<!-->" */
    t->st->parse_errors++;
    end = q + 1;
  } else if (q + 1 < len && in[q] == '-' && in[q + 1] == '>') { /* "<!--->" */
    t->st->parse_errors++;
    end = q + 2;
  } else {
    size_t r = q;
    for (;;) {
      const unsigned char *dash = memchr(in + r, '-', len - r);
      if (!dash) {
        t->st->parse_errors++; /* eof-in-comment */
        data_end = comment_eof_end(in, q, len);
        end = len;
        break;
      }
      r = (size_t)(dash - in);
      if (r + 2 < len && in[r + 1] == '-' && in[r + 2] == '>') {
        data_end = r;
        end = r + 3;
        break;
      }
      if (r + 3 < len && in[r + 1] == '-' && in[r + 2] == '!' && in[r + 3] == '>') {
        t->st->parse_errors++; /* incorrectly closed comment */
        data_end = r;
        end = r + 4;
        break;
      }
      r++;
    }
  }
  t->misc.len = 0;
  sb_put_clean(t, &t->misc, in + q, data_end - q);
  t->p = end;
  emit_data_token(t, BW_HTML_COMMENT, NULL, 0, start, end);
}

/* A DOCTYPE; q is just after the word. Only the name is kept. */
static void doctype(tokenizer *t, size_t start, size_t q) {
  size_t len = t->len;
  q = skip_ws(t, q);
  size_t name_end = skip(t, q, &doctype_name_stop);
  t->misc.len = 0;
  sb_put_name(t, &t->misc, t->in + q, name_end - q);
  const unsigned char *gt = memchr(t->in + name_end, '>', len - name_end);
  t->p = gt ? (size_t)(gt - t->in) + 1 : len;
  if (!gt) t->st->parse_errors++;
  size_t name_len = t->misc.len;
  /* The token carries the name as its name; it has no data. */
  const char *name = name_len ? t->misc.data : "";
  t->misc.len = 0;
  emit_data_token(t, BW_HTML_DOCTYPE, name, name_len, start, t->p);
}

/* A CDATA section in foreign content: its text is characters, undecoded. */
static void cdata(tokenizer *t, size_t q) {
  const unsigned char *in = t->in;
  size_t r = q, end = t->len, data_end = t->len;
  while (r + 3 <= t->len) {
    const unsigned char *b = memchr(in + r, ']', t->len - r);
    if (!b) break;
    r = (size_t)(b - in);
    if (r + 3 <= t->len && in[r + 1] == ']' && in[r + 2] == '>') {
      data_end = r;
      end = r + 3;
      break;
    }
    r++;
  }
  size_t i = q;
  while (i < data_end && !t->rc) {
    size_t j = i + find_stop(in + i, data_end - i, &plain_stop);
    text_raw(t, i, j);
    if (j == data_end) break;
    t->p = j;
    text_special(t);
    i = t->p < data_end ? t->p : data_end;
  }
  t->p = end;
}

static int match_ci(const tokenizer *t, size_t q, const char *lit) {
  size_t n = strlen(lit);
  if (q + n > t->len) return 0;
  for (size_t i = 0; i < n; i++)
    if (lower(t->in[q + i]) != (unsigned char)lit[i]) return 0;
  return 1;
}

/* "<!" at start. */
static void markup_declaration(tokenizer *t, size_t start) {
  size_t q = start + 2;
  if (q + 2 <= t->len && t->in[q] == '-' && t->in[q + 1] == '-')
    comment(t, start, q + 2);
  else if (match_ci(t, q, "doctype"))
    doctype(t, start, q + 7);
  else if (q + 7 <= t->len && memcmp(t->in + q, "[CDATA[", 7) == 0 && in_foreign(t))
    cdata(t, q + 7);
  else {
    t->st->parse_errors++;
    bogus_comment(t, start, q);
  }
}

/* The '<' at t->p in the data state. */
static void tag_open(tokenizer *t) {
  size_t p = t->p, len = t->len;
  const unsigned char *in = t->in;
  unsigned char c = p + 1 < len ? in[p + 1] : 0;
  if (p + 1 < len && is_alpha(c)) {
    parse_tag(t, p, p + 1, 0);
  } else if (c == '/' && p + 2 < len) {
    unsigned char c2 = in[p + 2];
    if (is_alpha(c2)) {
      parse_tag(t, p, p + 2, 1);
    } else if (c2 == '>') {
      t->st->parse_errors++; /* "</>" is dropped */
      t->p = p + 3;
    } else {
      t->st->parse_errors++;
      bogus_comment(t, p, p + 2);
    }
  } else if (c == '/') {
    text_raw(t, p, len); /* "</" at the end of input */
    t->p = len;
  } else if (c == '!' && p + 1 < len) {
    markup_declaration(t, p);
  } else if (c == '?' && p + 1 < len) {
    t->st->parse_errors++;
    bogus_comment(t, p, p + 1);
  } else {
    t->st->parse_errors++;
    text_raw(t, p, p + 1);
    t->p = p + 1;
  }
}

/* ---- the content models ---------------------------------------------------- */

static void scan_data(tokenizer *t) {
  while (t->p < t->len && !t->rc && t->content == C_DATA) {
    size_t q = skip(t, t->p, &data_stop);
    text_raw(t, t->p, q);
    t->p = q;
    if (q >= t->len) return;
    unsigned char c = t->in[q];
    if (c == '<')
      tag_open(t);
    else if (c == '&')
      text_charref(t);
    else
      text_special(t);
  }
}

/* Whether "</" + the appropriate end tag name + [ws / >] starts at p. */
static int end_tag_here(const tokenizer *t, size_t p) {
  size_t n = t->end_name_len;
  if (p + 2 + n >= t->len || t->in[p + 1] != '/') return 0;
  for (size_t i = 0; i < n; i++)
    if (lower(t->in[p + 2 + i]) != (unsigned char)t->end_name[i]) return 0;
  unsigned char c = t->in[p + 2 + n];
  return is_ws[c] || c == '/' || c == '>';
}

/* RCDATA (references decoded) and RAWTEXT. */
static void scan_raw(tokenizer *t) {
  const stop_set *stop = t->content == C_RCDATA ? &rcdata_stop : &rawtext_stop;
  while (t->p < t->len && !t->rc) {
    size_t q = skip(t, t->p, stop);
    text_raw(t, t->p, q);
    t->p = q;
    if (q >= t->len) return;
    unsigned char c = t->in[q];
    if (c == '<') {
      if (end_tag_here(t, q)) {
        parse_tag(t, q, q + 2, 1);
        return;
      }
      text_raw(t, q, q + 1);
      t->p = q + 1;
    } else if (c == '&') {
      text_charref(t);
    } else {
      text_special(t);
    }
  }
}

static void scan_plaintext(tokenizer *t) {
  while (t->p < t->len && !t->rc) {
    size_t q = skip(t, t->p, &plain_stop);
    text_raw(t, t->p, q);
    t->p = q;
    if (q < t->len) text_special(t);
  }
}

/* The script data states, grouped: plain, escaped ("<!--") and double escaped. */
enum script_state { SD, ESC, ESC_DASH, ESC_DASH_DASH, DESC, DESC_DASH, DESC_DASH_DASH };

/* Length of the run of ASCII letters at q, and whether it spells "script". */
static size_t alpha_run(const tokenizer *t, size_t q, int *is_script) {
  size_t r = q;
  while (r < t->len && is_alpha(t->in[r])) r++;
  *is_script = r - q == 6 && match_ci(t, q, "script");
  return r - q;
}

/* The state after '<' at q in an escaped state; *q is moved past what was read. */
static enum script_state script_escaped_lt(const tokenizer *t, size_t *q, int double_escaped) {
  size_t p = *q, len = t->len;
  int is_script;
  if (!double_escaped && p + 1 < len && is_alpha(t->in[p + 1])) {
    size_t n = alpha_run(t, p + 1, &is_script);
    unsigned char c = p + 1 + n < len ? t->in[p + 1 + n] : 0;
    *q = p + 1 + n;
    return is_script && (is_ws[c] || c == '/' || c == '>') ? DESC : ESC;
  }
  if (double_escaped && p + 1 < len && t->in[p + 1] == '/') {
    size_t n = alpha_run(t, p + 2, &is_script);
    unsigned char c = p + 2 + n < len ? t->in[p + 2 + n] : 0;
    *q = p + 2 + n;
    return is_script && (is_ws[c] || c == '/' || c == '>') ? ESC : DESC;
  }
  *q = p + 1;
  return double_escaped ? DESC : ESC;
}

static enum script_state script_step(enum script_state s, unsigned char c) {
  int dbl = s >= DESC;
  enum script_state base = dbl ? DESC : ESC;
  if (c == '-') return s == ESC || s == DESC ? base + 1 : base + 2;
  if (c == '>' && (s == ESC_DASH_DASH || s == DESC_DASH_DASH)) return SD;
  return base;
}

static void scan_script(tokenizer *t) {
  const unsigned char *in = t->in;
  size_t len = t->len, q = t->p, run = t->p;
  enum script_state s = SD;
  while (q < len && !t->rc) {
    if (s == SD || s == ESC || s == DESC) q = skip(t, q, s == SD ? &rawtext_stop : &escaped_stop);
    if (q >= len) break;
    unsigned char c = in[q];
    if (c == '\0' || c == '\r') {
      text_raw(t, run, q);
      t->p = q;
      text_special(t);
      q = run = t->p;
      if (s != SD) s = script_step(s, 'x');
    } else if (c == '<' && s < DESC && end_tag_here(t, q)) {
      text_raw(t, run, q);
      parse_tag(t, q, q + 2, 1);
      return;
    } else if (c == '<' && s == SD) {
      int open = q + 3 < len && in[q + 1] == '!' && in[q + 2] == '-' && in[q + 3] == '-';
      s = open ? ESC_DASH_DASH : SD;
      q += open ? 4 : 1;
    } else if (c == '<') {
      s = script_escaped_lt(t, &q, s >= DESC);
    } else {
      s = script_step(s, c);
      q++;
    }
  }
  text_raw(t, run, q < len ? q : len);
  t->p = len;
}

/* ---- entry point ------------------------------------------------------------- */

int bw_html_tokenize(const char *input, size_t len, const bw_html_opts *opts, bw_html_token_fn fn,
                     void *ctx, bw_html_stats *stats) {
  bw_html_stats local_stats;
  tokenizer t = {.in = (const unsigned char *)input, .len = len, .fn = fn, .ctx = ctx};
  t.st = stats ? stats : &local_stats;
  memset(t.st, 0, sizeof *t.st);
  t.max_attrs = opts && opts->max_attrs ? opts->max_attrs : DEFAULT_MAX_ATTRS;
  t.max_tok = opts && opts->max_token_bytes ? opts->max_token_bytes : DEFAULT_MAX_TOKEN;
  if (t.max_tok < MIN_MAX_TOKEN) t.max_tok = MIN_MAX_TOKEN;
  while (t.p < len && !t.rc) {
    switch (t.content) {
    case C_DATA:
      scan_data(&t);
      break;
    case C_RCDATA:
    case C_RAWTEXT:
      scan_raw(&t);
      break;
    case C_SCRIPT:
      scan_script(&t);
      break;
    case C_PLAINTEXT:
      scan_plaintext(&t);
      break;
    }
  }
  flush_text(&t);
  free(t.text.data);
  free(t.tag.data);
  free(t.misc.data);
  free(t.recs);
  free(t.attrs);
  free(t.index);
  return t.rc;
}
