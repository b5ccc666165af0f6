/*
 * css.c - finds every url() and @import in CSS, and reads the inline
 * declarations that size or hide an element (see css.h).
 *
 * The tokenizer follows CSS Syntax Level 3 (comments, strings, escapes,
 * url tokens, numbers) so that what we decode is what a browser would fetch:
 * `\75 rl(x)` is a url, `url(a b)` is not. Above the tokenizer sits a flat
 * state machine rather than a full parser: every url token is reported
 * wherever it appears, and the rule structure (blocks, @font-face, @import)
 * only decides how a reference is labelled, so garbage or odd nesting can
 * never hide a reference. Everything runs in one pass; the only allocation
 * is one growable buffer for decoded token values, bounded by the input.
 */
#include "html/css.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- tokenizer ------------------------------------------------------------ */

typedef enum tok_type {
  T_EOF,
  T_WS,
  T_IDENT,
  T_FUNCTION,
  T_AT,
  T_HASH,
  T_STRING,
  T_BADSTRING,
  T_URL,
  T_BADURL,
  T_DELIM,
  T_NUMBER,
  T_PERCENT,
  T_DIMENSION,
  T_CDO,
  T_CDC,
  T_COLON,
  T_SEMI,
  T_COMMA,
  T_LBRACKET,
  T_RBRACKET,
  T_LPAREN,
  T_RPAREN,
  T_LBRACE,
  T_RBRACE
} tok_type;

typedef struct lexer {
  const unsigned char *s;
  size_t len;
  size_t pos;
  char *buf; /* decoded value of the current token */
  size_t blen;
  size_t bcap;
  int oom;
} lexer;

typedef struct token {
  tok_type type;
  size_t offset;
  const char *val; /* decoded name, string, url or unit; valid until the next token */
  size_t val_len;
  double num;
  int delim;
} token;

static void lex_init(lexer *lx, const char *css, size_t len) {
  memset(lx, 0, sizeof(*lx));
  lx->s = (const unsigned char *)css;
  lx->len = css ? len : 0;
}

static int at(const lexer *lx, size_t i) {
  return lx->pos + i < lx->len ? lx->s[lx->pos + i] : -1;
}

static void grow(lexer *lx, size_t n) {
  size_t cap = lx->bcap ? lx->bcap : 64;
  while (cap < lx->blen + n) cap *= 2;
  char *nb = realloc(lx->buf, cap);
  if (!nb) {
    lx->oom = 1;
    return;
  }
  lx->buf = nb;
  lx->bcap = cap;
}

static void put(lexer *lx, const char *p, size_t n) {
  if (lx->blen + n > lx->bcap) grow(lx, n);
  if (lx->oom) return;
  memcpy(lx->buf + lx->blen, p, n);
  lx->blen += n;
}

static void put_cp(lexer *lx, unsigned long cp) {
  char u[4];
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    u[0] = (char)cp;
    put(lx, u, 1);
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3F));
    put(lx, u, 2);
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    put(lx, u, 3);
  } else {
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    put(lx, u, 4);
  }
}

/* Input bytes are copied as is, except NUL, which CSS preprocessing turns into U+FFFD. */
static void put_byte(lexer *lx, int c) {
  if (c == 0) {
    put_cp(lx, 0xFFFD);
  } else {
    char b = (char)c;
    put(lx, &b, 1);
  }
}

static int is_newline(int c) {
  return c == '\n' || c == '\r' || c == '\f';
}
static int is_ws(int c) {
  return c == ' ' || c == '\t' || is_newline(c);
}
static int is_digit(int c) {
  return c >= '0' && c <= '9';
}
static int hex_val(int c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
static int is_name_start(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80 || c == 0;
}
static int is_name(int c) {
  return c >= 0 && (is_name_start(c) || is_digit(c) || c == '-');
}
static int lower(int c) {
  return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Consumes one newline; CR LF counts as one, as CSS preprocessing makes it. */
static void skip_newline(lexer *lx) {
  if (at(lx, 0) == '\r' && at(lx, 1) == '\n') lx->pos++;
  lx->pos++;
}

static int valid_escape(const lexer *lx, size_t i) {
  return at(lx, i) == '\\' && !is_newline(at(lx, i + 1));
}

static int starts_ident(const lexer *lx, size_t i) {
  int c = at(lx, i);
  if (c == '-') {
    int d = at(lx, i + 1);
    return is_name_start(d) || d == '-' || valid_escape(lx, i + 1);
  }
  if (c == '\\') return valid_escape(lx, i);
  return c >= 0 && is_name_start(c);
}

static int starts_number(const lexer *lx, size_t i) {
  int c = at(lx, i);
  if (c == '+' || c == '-') {
    c = at(lx, i + 1);
    return is_digit(c) || (c == '.' && is_digit(at(lx, i + 2)));
  }
  if (c == '.') return is_digit(at(lx, i + 1));
  return is_digit(c);
}

/* Called with pos just after the backslash. */
static void consume_escape(lexer *lx) {
  int c = at(lx, 0);
  if (c < 0) {
    put_cp(lx, 0xFFFD);
    return;
  }
  if (hex_val(c) < 0) {
    put_byte(lx, c);
    lx->pos++;
    return;
  }
  unsigned long cp = 0;
  for (int n = 0; n < 6 && hex_val(at(lx, 0)) >= 0; n++) {
    cp = cp * 16 + (unsigned long)hex_val(at(lx, 0));
    lx->pos++;
  }
  if (is_ws(at(lx, 0))) skip_newline(lx);
  put_cp(lx, cp);
}

/* A name character other than NUL (which becomes U+FFFD, byte by byte). */
static int is_plain_name(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' || c == '_' ||
         c >= 0x80;
}

static void consume_name(lexer *lx) {
  for (;;) {
    size_t start = lx->pos;
    while (lx->pos < lx->len && is_plain_name(lx->s[lx->pos])) lx->pos++;
    if (lx->pos > start) put(lx, (const char *)lx->s + start, lx->pos - start);
    int c = at(lx, 0);
    if (c == 0) {
      put_byte(lx, c);
      lx->pos++;
    } else if (valid_escape(lx, 0)) {
      lx->pos++;
      consume_escape(lx);
    } else {
      return;
    }
  }
}

static void consume_string(lexer *lx, token *t) {
  int quote = at(lx, 0);
  lx->pos++;
  t->type = T_STRING;
  for (;;) {
    size_t start = lx->pos; /* the bytes that stand for themselves, copied at once */
    while (lx->pos < lx->len && lx->s[lx->pos] != quote && lx->s[lx->pos] != '\\' &&
           lx->s[lx->pos] != 0 && !is_newline(lx->s[lx->pos]))
      lx->pos++;
    if (lx->pos > start) put(lx, (const char *)lx->s + start, lx->pos - start);
    int c = at(lx, 0);
    if (c < 0) return;
    if (c == quote) {
      lx->pos++;
      return;
    }
    if (is_newline(c)) {
      t->type = T_BADSTRING;
      return;
    }
    if (c == '\\') {
      lx->pos++;
      if (at(lx, 0) < 0) continue;
      if (is_newline(at(lx, 0))) {
        skip_newline(lx);
      } else {
        consume_escape(lx);
      }
      continue;
    }
    put_byte(lx, c);
    lx->pos++;
  }
}

static void consume_bad_url(lexer *lx) {
  for (;;) {
    int c = at(lx, 0);
    if (c < 0) return;
    if (c == ')') {
      lx->pos++;
      return;
    }
    if (valid_escape(lx, 0)) {
      lx->pos += at(lx, 1) < 0 ? 1 : 2; /* the escaped character cannot end the url */
    } else {
      lx->pos++;
    }
  }
}

static int non_printable(int c) {
  return (c >= 0 && c <= 8) || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F;
}

/* A byte of an unquoted url that stands for itself: no space, control, ( ) quote or backslash */
static int url_plain(int c) {
  return c > ' ' && c != 0x7F && c != '(' && c != ')' && c != '"' && c != '\'' && c != '\\';
}

/* Called with pos after "url(": an unquoted url token, or a bad url. */
static void consume_url(lexer *lx, token *t) {
  t->type = T_URL;
  while (is_ws(at(lx, 0))) lx->pos++;
  for (;;) {
    size_t start = lx->pos; /* the bytes that stand for themselves, copied at once */
    while (lx->pos < lx->len && url_plain(lx->s[lx->pos])) lx->pos++;
    if (lx->pos > start) put(lx, (const char *)lx->s + start, lx->pos - start);
    int c = at(lx, 0);
    if (c < 0) return;
    if (c == ')') {
      lx->pos++;
      return;
    }
    if (is_ws(c)) {
      while (is_ws(at(lx, 0))) lx->pos++;
      if (at(lx, 0) == ')' || at(lx, 0) < 0) continue;
      break;
    }
    if (c == '"' || c == '\'' || c == '(' || (non_printable(c) && c != 0)) break;
    if (c == '\\') {
      if (!valid_escape(lx, 0)) break;
      lx->pos++;
      consume_escape(lx);
      continue;
    }
    put_byte(lx, c);
    lx->pos++;
  }
  t->type = T_BADURL;
  consume_bad_url(lx);
}

static int name_is(const token *t, const char *name) {
  size_t n = strlen(name);
  if (t->val_len != n) return 0;
  for (size_t i = 0; i < n; i++)
    if (lower((unsigned char)t->val[i]) != name[i]) return 0;
  return 1;
}

static void consume_ident_like(lexer *lx, token *t) {
  consume_name(lx);
  t->type = T_IDENT;
  if (at(lx, 0) != '(') return;
  lx->pos++;
  t->type = T_FUNCTION;
  t->val = lx->buf;
  t->val_len = lx->blen;
  if (lx->oom || !name_is(t, "url")) return;
  /* url( followed by a quote is the url() function; otherwise a url token. */
  size_t p = 0;
  while (is_ws(at(lx, p))) p++;
  if (at(lx, p) == '"' || at(lx, p) == '\'') return;
  lx->blen = 0;
  consume_url(lx, t);
}

enum { NUMBER_MAX = 1000000000 };

/* Reads a run of digits, using only the first `limit` of them (counted in *count). */
static double consume_digits(lexer *lx, int limit, int *count) {
  double v = 0;
  *count = 0;
  for (; is_digit(at(lx, 0)); lx->pos++) {
    if (*count == limit) continue;
    v = v * 10 + (at(lx, 0) - '0');
    (*count)++;
  }
  return v;
}

static double consume_number(lexer *lx) {
  double sign = 1;
  int n;
  if (at(lx, 0) == '+' || at(lx, 0) == '-') {
    if (at(lx, 0) == '-') sign = -1;
    lx->pos++;
  }
  double v = consume_digits(lx, 400, &n); /* past ~309 digits this is inf, clamped below */
  if (at(lx, 0) == '.' && is_digit(at(lx, 1))) {
    lx->pos++;
    double frac = consume_digits(lx, 12, &n);
    v += frac / pow(10, n);
  }
  int e = at(lx, 0);
  if ((e == 'e' || e == 'E') &&
      (is_digit(at(lx, 1)) || ((at(lx, 1) == '+' || at(lx, 1) == '-') && is_digit(at(lx, 2))))) {
    lx->pos++;
    double esign = 1;
    if (at(lx, 0) == '+' || at(lx, 0) == '-') {
      if (at(lx, 0) == '-') esign = -1;
      lx->pos++;
    }
    double ex = consume_digits(lx, 4, &n);
    v *= pow(10, esign * fmin(ex, 300));
  }
  /* Browsers clamp huge numbers; so do we, keeping every value finite. */
  return sign * fmin(v, NUMBER_MAX);
}

static void consume_numeric(lexer *lx, token *t) {
  t->num = consume_number(lx);
  if (starts_ident(lx, 0)) {
    t->type = T_DIMENSION;
    consume_name(lx);
  } else if (at(lx, 0) == '%') {
    lx->pos++;
    t->type = T_PERCENT;
  } else {
    t->type = T_NUMBER;
  }
}

static void skip_comments(lexer *lx) {
  while (at(lx, 0) == '/' && at(lx, 1) == '*') {
    lx->pos += 2;
    while (lx->pos < lx->len && !(at(lx, 0) == '*' && at(lx, 1) == '/')) lx->pos++;
    lx->pos = lx->pos + 2 <= lx->len ? lx->pos + 2 : lx->len;
  }
}

static tok_type punct_type(int c) {
  switch (c) {
  case ':':
    return T_COLON;
  case ';':
    return T_SEMI;
  case ',':
    return T_COMMA;
  case '(':
    return T_LPAREN;
  case ')':
    return T_RPAREN;
  case '[':
    return T_LBRACKET;
  case ']':
    return T_RBRACKET;
  case '{':
    return T_LBRACE;
  case '}':
    return T_RBRACE;
  default:
    return T_DELIM;
  }
}

/* Tokens that start with a character which may also be a plain delimiter. */
static int consume_special(lexer *lx, token *t, int c) {
  if (c == '"' || c == '\'') {
    consume_string(lx, t);
  } else if (c == '#' && (is_name(at(lx, 1)) || valid_escape(lx, 1))) {
    lx->pos++;
    t->type = T_HASH;
    consume_name(lx);
  } else if ((c == '+' || c == '-' || c == '.') && starts_number(lx, 0)) {
    consume_numeric(lx, t);
  } else if (c == '-' && at(lx, 1) == '-' && at(lx, 2) == '>') {
    lx->pos += 3;
    t->type = T_CDC;
  } else if ((c == '-' || c == '\\') && starts_ident(lx, 0)) {
    consume_ident_like(lx, t);
  } else if (c == '<' && at(lx, 1) == '!' && at(lx, 2) == '-' && at(lx, 3) == '-') {
    lx->pos += 4;
    t->type = T_CDO;
  } else if (c == '@' && starts_ident(lx, 1)) {
    lx->pos++;
    t->type = T_AT;
    consume_name(lx);
  } else {
    return 0;
  }
  return 1;
}

static void next_token(lexer *lx, token *t) {
  skip_comments(lx);
  lx->blen = 0;
  t->offset = lx->pos;
  t->num = 0;
  t->delim = 0;
  int c = at(lx, 0);
  if (c < 0) {
    t->type = T_EOF;
  } else if (is_ws(c)) {
    while (is_ws(at(lx, 0))) lx->pos++;
    t->type = T_WS;
  } else if (consume_special(lx, t, c)) {
    /* consumed */
  } else if (is_digit(c)) {
    consume_numeric(lx, t);
  } else if (is_name_start(c)) {
    consume_ident_like(lx, t);
  } else {
    lx->pos++;
    t->type = punct_type(c);
    t->delim = c;
  }
  t->val = lx->buf ? lx->buf : "";
  t->val_len = lx->blen;
}

/* ---- reference scanner ------------------------------------------------------ */

enum { MAX_DEPTH = 1024, MAX_PROPERTY = 128 };

typedef enum fn_kind {
  FN_NONE,
  FN_URL,  /* url("x") or src("x"): the first string is a reference */
  FN_IMAGE /* image-set(), image(): every direct string argument is a reference */
} fn_kind;

typedef struct frame {
  char close;
  unsigned char fontface;
  unsigned char fn;
  unsigned char used;
  size_t offset;
} frame;

typedef enum phase {
  PH_START,    /* at the start of a declaration or rule */
  PH_IDENT,    /* read an identifier; a colon makes it a declaration */
  PH_DECL,     /* inside a declaration's value */
  PH_IMPORT,   /* @import prelude, no reference yet */
  PH_AT,       /* another at-rule's prelude */
  PH_NAMESPACE /* @namespace prelude: its url is a name, never fetched */
} phase;

typedef struct scanner {
  lexer lx;
  bw_css_ref_fn fn;
  void *ctx;
  int sheet;
  frame stack[MAX_DEPTH];
  size_t depth;
  phase ph;
  int at_fontface;
  size_t at_offset;
  char prop[MAX_PROPERTY];
  size_t prop_len;
} scanner;

static const frame *top(const scanner *sc) {
  return sc->depth ? &sc->stack[sc->depth - 1] : NULL;
}

static int in_fontface(const scanner *sc) {
  return sc->depth && sc->stack[sc->depth - 1].fontface;
}

/* True when no ( or [ is open inside the innermost {} block. */
static int at_item_level(const scanner *sc) {
  return !sc->depth || sc->stack[sc->depth - 1].close == '}';
}

static void set_property(scanner *sc, const token *t) {
  size_t n = t->val_len < MAX_PROPERTY ? t->val_len : MAX_PROPERTY;
  for (size_t i = 0; i < n; i++) sc->prop[i] = (char)lower((unsigned char)t->val[i]);
  sc->prop_len = n;
}

static int emit(scanner *sc, const char *url, size_t len, size_t offset) {
  bw_css_ref ref;
  while (len && is_ws((unsigned char)url[0])) url++, len--;
  while (len && is_ws((unsigned char)url[len - 1])) len--;
  ref.url = url;
  ref.url_len = len;
  ref.offset = offset;
  ref.property = "";
  ref.property_len = 0;
  if (sc->ph == PH_IMPORT) {
    ref.kind = BW_CSS_REF_IMPORT;
    ref.offset = sc->at_offset;
    sc->ph = PH_AT;
  } else {
    ref.kind = in_fontface(sc) ? BW_CSS_REF_FONT_FACE : BW_CSS_REF_URL;
    if (sc->ph == PH_DECL) {
      ref.property = sc->prop;
      ref.property_len = sc->prop_len;
    }
  }
  return sc->fn(&ref, sc->ctx);
}

static fn_kind function_kind(const token *t) {
  if (name_is(t, "url") || name_is(t, "src")) return FN_URL;
  if (name_is(t, "image-set") || name_is(t, "-webkit-image-set") || name_is(t, "image"))
    return FN_IMAGE;
  return FN_NONE;
}

static void push(scanner *sc, char close, fn_kind fn, size_t offset) {
  if (sc->depth == MAX_DEPTH) return;
  frame *f = &sc->stack[sc->depth];
  f->close = close;
  f->fontface =
      (unsigned char)(in_fontface(sc) || (close == '}' && sc->ph == PH_AT && sc->at_fontface));
  f->fn = (unsigned char)fn;
  f->used = 0;
  f->offset = offset;
  sc->depth++;
}

static void pop(scanner *sc, char close) {
  const frame *f = top(sc);
  if (!f || f->close != close) return; /* a stray closer is an ordinary token */
  sc->depth--;
  if (close == '}') sc->ph = PH_START;
}

static int on_string(scanner *sc, const token *t) {
  frame *f = sc->depth ? &sc->stack[sc->depth - 1] : NULL;
  if (f && f->fn == FN_URL && !f->used) {
    f->used = 1;
    return emit(sc, t->val, t->val_len, f->offset);
  }
  if (f && f->fn == FN_IMAGE) return emit(sc, t->val, t->val_len, t->offset);
  if (sc->ph == PH_IMPORT && at_item_level(sc)) return emit(sc, t->val, t->val_len, t->offset);
  return 0;
}

static void on_at_keyword(scanner *sc, const token *t) {
  if (!at_item_level(sc) || (sc->ph != PH_START && sc->ph != PH_IDENT)) return;
  sc->at_offset = t->offset;
  sc->at_fontface = sc->sheet && name_is(t, "font-face");
  if (sc->sheet && name_is(t, "import"))
    sc->ph = PH_IMPORT;
  else if (name_is(t, "namespace"))
    sc->ph = PH_NAMESPACE;
  else
    sc->ph = PH_AT;
}

/* Tracks whether the current item is a declaration, and its property name. */
static void track_phase(scanner *sc, const token *t) {
  if (!at_item_level(sc)) return;
  if (t->type == T_SEMI) {
    sc->ph = PH_START;
  } else if (sc->ph == PH_START && t->type == T_IDENT) {
    set_property(sc, t);
    sc->ph = PH_IDENT;
  } else if (sc->ph == PH_IDENT && t->type == T_COLON) {
    sc->ph = PH_DECL;
  } else if (sc->ph == PH_START || sc->ph == PH_IDENT) {
    sc->ph = PH_AT; /* neither a declaration nor an at-rule: a selector or garbage */
    sc->at_fontface = 0;
  }
}

static int on_token(scanner *sc, const token *t) {
  switch (t->type) {
  case T_WS:
  case T_CDO:
  case T_CDC:
    return 0;
  case T_URL:
    return sc->ph == PH_NAMESPACE ? 0 : emit(sc, t->val, t->val_len, t->offset);
  case T_STRING:
    return on_string(sc, t);
  case T_BADSTRING:
    if (sc->depth) sc->stack[sc->depth - 1].used = 1; /* a url() with a bad string is dead */
    return 0;
  case T_AT:
    on_at_keyword(sc, t);
    return 0;
  case T_FUNCTION:
    track_phase(sc, t);
    push(sc, ')', sc->ph == PH_NAMESPACE ? FN_NONE : function_kind(t), t->offset);
    return 0;
  case T_LPAREN:
    push(sc, ')', FN_NONE, t->offset);
    return 0;
  case T_LBRACKET:
    push(sc, ']', FN_NONE, t->offset);
    return 0;
  case T_LBRACE:
    push(sc, '}', FN_NONE, t->offset);
    sc->ph = PH_START;
    return 0;
  case T_RPAREN:
    pop(sc, ')');
    return 0;
  case T_RBRACKET:
    pop(sc, ']');
    return 0;
  case T_RBRACE:
    pop(sc, '}');
    return 0;
  default:
    track_phase(sc, t);
    return 0;
  }
}

static int scan(const char *css, size_t len, int sheet, bw_css_ref_fn fn, void *ctx) {
  scanner *sc = malloc(sizeof(*sc));
  if (!sc) return -1;
  lex_init(&sc->lx, css, len);
  sc->fn = fn;
  sc->ctx = ctx;
  sc->sheet = sheet;
  sc->depth = 0;
  sc->ph = PH_START;
  sc->at_fontface = 0;
  sc->at_offset = 0;
  sc->prop_len = 0;
  int rc = 0;
  token t;
  for (;;) {
    next_token(&sc->lx, &t);
    if (sc->lx.oom) {
      rc = -1;
      break;
    }
    if (t.type == T_EOF) break;
    rc = on_token(sc, &t);
    if (rc) break;
  }
  free(sc->lx.buf);
  free(sc);
  return rc;
}

/* 1 when the letters before a '(' at s[i] end in name (ASCII case-insensitive). */
static int function_named(const char *css, size_t i, const char *name) {
  size_t n = strlen(name);
  if (i < n) return 0;
  for (size_t k = 0; k < n; k++)
    if ((css[i - n + k] | 0x20) != name[k]) return 0;
  return 1;
}

int bw_css_may_reference(const char *css, size_t len) {
  if (memchr(css, '\\', len)) return 1;
  for (const char *p = css; (p = memchr(p, '(', (size_t)(css + len - p))) != NULL; p++) {
    size_t i = (size_t)(p - css);
    if (function_named(css, i, "url") || function_named(css, i, "image") ||
        function_named(css, i, "image-set") || function_named(css, i, "src"))
      return 1;
  }
  for (const char *p = css; (p = memchr(p, '@', (size_t)(css + len - p))) != NULL; p++)
    if ((size_t)(css + len - p) >= 7 && strncasecmp(p, "@import", 7) == 0) return 1;
  return 0;
}

int bw_css_scan_sheet(const char *css, size_t len, bw_css_ref_fn fn, void *ctx) {
  return scan(css, len, 1, fn, ctx);
}

int bw_css_scan_declarations(const char *css, size_t len, bw_css_ref_fn fn, void *ctx) {
  return scan(css, len, 0, fn, ctx);
}

/* ---- inline box --------------------------------------------------------------- */

enum { MAX_VALUE_TOKENS = 64, VNAME = 24 };

/* A significant token of a declaration's value, with its name lowercased. */
typedef struct vtok {
  tok_type type;
  double num;
  int delim;
  char name[VNAME]; /* ident, function name or unit; "" when too long to be a keyword */
} vtok;

typedef struct decl {
  vtok v[MAX_VALUE_TOKENS];
  size_t n;
  int overflow;
  int important;
} decl;

typedef enum prop_id {
  P_WIDTH,
  P_HEIGHT,
  P_MAX_WIDTH,
  P_MAX_HEIGHT,
  P_DISPLAY,
  P_VISIBILITY,
  P_OPACITY,
  P_POSITION,
  P_LEFT,
  P_TOP,
  P_RIGHT,
  P_BOTTOM,
  P_TEXT_INDENT,
  P_MARGIN_LEFT,
  P_MARGIN_TOP,
  P_CLIP,
  P_CLIP_PATH,
  P_TRANSFORM,
  P_SCALE,
  P_COUNT
} prop_id;

/* The cascaded value of one property: a length in px (NAN if unknown) or a hiding flag. */
typedef struct slot {
  int set;
  int important;
  double v;
} slot;

typedef struct cascade {
  slot s[P_COUNT];
} cascade;

static void assign(cascade *c, prop_id p, double v, int important) {
  slot *s = &c->s[p];
  if (s->set && s->important && !important) return;
  s->set = 1;
  s->important = important;
  s->v = v;
}

static void copy_name(char *dst, const token *t) {
  if (t->val_len >= VNAME) {
    dst[0] = 0;
    return;
  }
  for (size_t i = 0; i < t->val_len; i++) dst[i] = (char)lower((unsigned char)t->val[i]);
  dst[t->val_len] = 0;
}

static int is_kw(const vtok *t, const char *kw) {
  return t->type == T_IDENT && strcmp(t->name, kw) == 0;
}

static int is_global_kw(const vtok *t) {
  return is_kw(t, "inherit") || is_kw(t, "initial") || is_kw(t, "unset") || is_kw(t, "revert") ||
         is_kw(t, "revert-layer");
}

static int in_list(const char *name, const char *const *list) {
  for (; *list; list++)
    if (strcmp(name, *list) == 0) return 1;
  return 0;
}

typedef enum len_status { LEN_INVALID, LEN_UNKNOWN, LEN_PX } len_status;

static double unit_px(const char *unit) {
  static const struct {
    const char *unit;
    double px;
  } units[] = {{"px", 1},           {"pt", 96.0 / 72},   {"pc", 16},
               {"in", 96},          {"cm", 96.0 / 2.54}, {"mm", 96.0 / 25.4},
               {"q", 96.0 / 101.6}, {"em", 16},          {"rem", 16}};
  for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
    if (strcmp(unit, units[i].unit) == 0) return units[i].px;
  return 0;
}

/*
 * One length. A unitless number counts as px: mail HTML usually renders in
 * quirks mode, where browsers accept "width:1" as 1px.
 */
static len_status length(const vtok *t, double *px) {
  static const char *const relative[] = {
      "ex",   "ch",    "ic",    "lh",  "rlh",  "vw",  "vh",  "vi",  "vb",  "vmin",
      "vmax", "svw",   "svh",   "lvw", "lvh",  "dvw", "dvh", "cqw", "cqh", "cqi",
      "cqb",  "cqmin", "cqmax", "cap", "rcap", "rex", "rch", "ric", NULL};
  static const char *const math[] = {"calc", "min",  "max",          "clamp",     "var",
                                     "env",  "attr", "-webkit-calc", "-moz-calc", NULL};
  if (t->type == T_NUMBER) {
    *px = t->num;
    return LEN_PX;
  }
  if (t->type == T_DIMENSION && unit_px(t->name) > 0) {
    *px = t->num * unit_px(t->name);
    return LEN_PX;
  }
  if (t->type == T_DIMENSION && in_list(t->name, relative)) return LEN_UNKNOWN;
  if (t->type == T_PERCENT || (t->type == T_FUNCTION && in_list(t->name, math))) return LEN_UNKNOWN;
  return LEN_INVALID;
}

/* Index just past the function's closing parenthesis (or the end). */
static size_t skip_function(const decl *d, size_t i) {
  int depth = 0;
  for (; i < d->n; i++) {
    if (d->v[i].type == T_FUNCTION || d->v[i].type == T_LPAREN) depth++;
    if (d->v[i].type == T_RPAREN && --depth == 0) return i + 1;
  }
  return i;
}

/* Which keywords a length property accepts besides the global ones. */
typedef enum kw_set {
  KW_NONE, /* text-indent */
  KW_AUTO, /* offsets and margins */
  KW_SIZE, /* width, height */
  KW_MAX   /* max-width, max-height */
} kw_set;

static int accepts_keyword(kw_set set, const vtok *t) {
  static const char *const sizing[] = {
      "min-content",    "max-content", "fit-content", "stretch", "-webkit-fill-available",
      "-moz-available", NULL};
  if (t->type != T_IDENT) return 0;
  if (is_global_kw(t)) return 1;
  if (set == KW_AUTO || set == KW_SIZE) {
    if (is_kw(t, "auto")) return 1;
  }
  if (set == KW_MAX && is_kw(t, "none")) return 1;
  return (set == KW_SIZE || set == KW_MAX) && in_list(t->name, sizing);
}

/*
 * A single length-like value (width, left, margin-left ...): NAN when valid but
 * not in px. Returns 0 for a value a browser would drop, so that the previous
 * declaration still holds, as it does in the browser.
 */
static int single_length(const decl *d, int allow_negative, kw_set kw, double *out) {
  if (d->n == 0) return 0;
  const vtok *t = &d->v[0];
  if (accepts_keyword(kw, t)) {
    if (d->n != 1) return 0;
    *out = NAN;
    return 1;
  }
  double px;
  len_status st = length(t, &px);
  if (st == LEN_INVALID) return 0;
  size_t end = t->type == T_FUNCTION ? skip_function(d, 0) : 1;
  if (end != d->n) return 0;
  if (st == LEN_UNKNOWN) {
    *out = NAN;
    return 1;
  }
  if (px < 0 && !allow_negative) return 0;
  *out = px;
  return 1;
}

static void apply_length(cascade *c, prop_id p, const decl *d, int negative, kw_set kw) {
  double v;
  if (single_length(d, negative, kw, &v)) assign(c, p, v, d->important);
}

/* Up to four lengths of a box shorthand (margin, inset): top, right, bottom, left. */
static void apply_box_shorthand(cascade *c, const decl *d, prop_id top_p, prop_id left_p,
                                prop_id right_p, prop_id bottom_p) {
  double v[4];
  size_t n = 0;
  if (d->n == 0 || d->n > 4) return;
  for (size_t i = 0; i < d->n; i++) {
    double px;
    len_status st = is_kw(&d->v[i], "auto") ? LEN_UNKNOWN : length(&d->v[i], &px);
    if (st == LEN_INVALID || d->v[i].type == T_FUNCTION) return;
    v[n++] = st == LEN_PX ? px : NAN;
  }
  double top_v = v[0], right_v = n > 1 ? v[1] : v[0];
  double bottom_v = n > 2 ? v[2] : v[0], left_v = n > 3 ? v[3] : right_v;
  assign(c, top_p, top_v, d->important);
  assign(c, left_p, left_v, d->important);
  if (right_p != P_COUNT) assign(c, right_p, right_v, d->important);
  if (bottom_p != P_COUNT) assign(c, bottom_p, bottom_v, d->important);
}

static void apply_keyword(cascade *c, prop_id p, const decl *d, const char *const *valid,
                          const char *const *hiding) {
  double hides = 0;
  if (d->n == 0) return;
  for (size_t i = 0; i < d->n; i++) {
    const vtok *t = &d->v[i];
    if (t->type != T_IDENT) return;
    if (in_list(t->name, hiding))
      hides = 1;
    else if (!in_list(t->name, valid) && !is_global_kw(t))
      return;
  }
  assign(c, p, hides, d->important);
}

static void apply_display(cascade *c, const decl *d) {
  static const char *const valid[] = {"block",
                                      "inline",
                                      "inline-block",
                                      "flex",
                                      "inline-flex",
                                      "grid",
                                      "inline-grid",
                                      "table",
                                      "inline-table",
                                      "table-row",
                                      "table-cell",
                                      "table-caption",
                                      "table-column",
                                      "table-column-group",
                                      "table-header-group",
                                      "table-footer-group",
                                      "table-row-group",
                                      "list-item",
                                      "contents",
                                      "flow",
                                      "flow-root",
                                      "run-in",
                                      "ruby",
                                      "ruby-base",
                                      "ruby-text",
                                      "ruby-base-container",
                                      "ruby-text-container",
                                      "math",
                                      "-webkit-box",
                                      "-webkit-inline-box",
                                      "-webkit-flex",
                                      "-webkit-inline-flex",
                                      "-ms-flexbox",
                                      "-ms-inline-flexbox",
                                      "-moz-box",
                                      NULL};
  static const char *const hiding[] = {"none", NULL};
  apply_keyword(c, P_DISPLAY, d, valid, hiding);
}

static void apply_visibility(cascade *c, const decl *d) {
  static const char *const valid[] = {"visible", NULL};
  static const char *const hiding[] = {"hidden", "collapse", NULL};
  if (d->n == 1) apply_keyword(c, P_VISIBILITY, d, valid, hiding);
}

static void apply_position(cascade *c, const decl *d) {
  static const char *const valid[] = {"static", "relative", "sticky", "-webkit-sticky", NULL};
  static const char *const out_of_flow[] = {"absolute", "fixed", NULL};
  if (d->n == 1) apply_keyword(c, P_POSITION, d, valid, out_of_flow);
}

static void apply_opacity(cascade *c, const decl *d) {
  if (d->n != 1) return;
  const vtok *t = &d->v[0];
  if (t->type == T_NUMBER)
    assign(c, P_OPACITY, t->num, d->important);
  else if (t->type == T_PERCENT)
    assign(c, P_OPACITY, t->num / 100, d->important);
  else if (is_global_kw(t))
    assign(c, P_OPACITY, 1, d->important);
}

/* Numeric arguments of the function starting at d->v[i], commas skipped. */
static size_t function_args(const decl *d, size_t i, vtok const **args, size_t max) {
  size_t n = 0;
  for (size_t j = i + 1; j < d->n && d->v[j].type != T_RPAREN; j++) {
    if (d->v[j].type == T_COMMA) continue;
    if (d->v[j].type == T_FUNCTION || d->v[j].type == T_LPAREN) return 0;
    if (n < max) args[n] = &d->v[j];
    n++;
  }
  return n;
}

/* clip: rect(top right bottom left), with or without commas; auto is the element's edge. */
static void apply_clip(cascade *c, const decl *d) {
  if (d->n == 1 && (is_kw(&d->v[0], "auto") || is_global_kw(&d->v[0]))) {
    assign(c, P_CLIP, 0, d->important);
    return;
  }
  const vtok *a[4];
  if (d->n == 0 || d->v[0].type != T_FUNCTION || strcmp(d->v[0].name, "rect") != 0) return;
  if (skip_function(d, 0) != d->n || function_args(d, 0, a, 4) != 4) return;
  double e[4];
  for (int k = 0; k < 4; k++) {
    if (is_kw(a[k], "auto")) {
      e[k] = NAN;
    } else if (length(a[k], &e[k]) != LEN_PX) {
      return;
    }
  }
  int zero = (!isnan(e[0]) && !isnan(e[2]) && e[2] <= e[0]) ||
             (!isnan(e[1]) && !isnan(e[3]) && e[1] <= e[3]);
  assign(c, P_CLIP, zero, d->important);
}

/* inset(t r b l) in percentages: nothing is left when opposite insets meet. */
static int inset_hides(const vtok *const *a, size_t n) {
  double p[4];
  size_t k = 0;
  for (; k < n && k < 4; k++) {
    if (is_kw(a[k], "round")) break;
    if (a[k]->type == T_PERCENT)
      p[k] = a[k]->num;
    else if ((a[k]->type == T_NUMBER || a[k]->type == T_DIMENSION) && a[k]->num == 0)
      p[k] = 0;
    else
      return 0;
  }
  if (k == 0) return 0;
  double t = p[0], r = k > 1 ? p[1] : t, b = k > 2 ? p[2] : t, l = k > 3 ? p[3] : r;
  return t + b >= 100 || l + r >= 100;
}

static int zero_radius(const vtok *t) {
  return (t->type == T_NUMBER || t->type == T_DIMENSION || t->type == T_PERCENT) && t->num == 0;
}

static void apply_clip_path(cascade *c, const decl *d) {
  const vtok *a[8];
  if (d->n == 0) return;
  if (d->v[0].type != T_FUNCTION) {
    assign(c, P_CLIP_PATH, 0, d->important);
    return;
  }
  size_t n = function_args(d, 0, a, 8);
  const char *fn = d->v[0].name;
  int hides = 0;
  if (strcmp(fn, "inset") == 0)
    hides = inset_hides(a, n < 8 ? n : 8);
  else if (strcmp(fn, "circle") == 0)
    hides = n >= 1 && zero_radius(a[0]);
  else if (strcmp(fn, "ellipse") == 0)
    hides = n >= 2 && (zero_radius(a[0]) || zero_radius(a[1]));
  assign(c, P_CLIP_PATH, hides, d->important);
}

static int number_is_zero(const vtok *t) {
  return (t->type == T_NUMBER || t->type == T_PERCENT) && t->num == 0;
}

/* One transform function: does it collapse the element to nothing? */
static int transform_fn_hides(const char *fn, const vtok *const *a, size_t n) {
  if (strcmp(fn, "scale") == 0)
    return (n >= 1 && number_is_zero(a[0])) || (n >= 2 && number_is_zero(a[1]));
  if (strcmp(fn, "scalex") == 0 || strcmp(fn, "scaley") == 0) return n >= 1 && number_is_zero(a[0]);
  if (strcmp(fn, "scale3d") == 0) return n >= 2 && (number_is_zero(a[0]) || number_is_zero(a[1]));
  if (strcmp(fn, "matrix") == 0 && n == 6)
    return a[0]->num * a[3]->num - a[1]->num * a[2]->num == 0;
  return 0;
}

static void apply_transform(cascade *c, const decl *d) {
  int hides = 0;
  for (size_t i = 0; i < d->n; i = skip_function(d, i)) {
    if (d->v[i].type != T_FUNCTION) {
      if (d->n == 1 && d->v[i].type == T_IDENT) break; /* none, or a global keyword */
      return;
    }
    const vtok *a[6];
    size_t n = function_args(d, i, a, 6);
    if (transform_fn_hides(d->v[i].name, a, n < 6 ? n : 6)) hides = 1;
  }
  assign(c, P_TRANSFORM, hides, d->important);
}

/* The individual transform property "scale: x [y [z]]". */
static void apply_scale(cascade *c, const decl *d) {
  if (d->n == 0 || d->n > 3) return;
  if (d->n == 1 && d->v[0].type == T_IDENT) {
    assign(c, P_SCALE, 0, d->important);
    return;
  }
  int hides = 0;
  for (size_t i = 0; i < d->n; i++) {
    if (d->v[i].type != T_NUMBER && d->v[i].type != T_PERCENT) return;
    if (i < 2 && d->v[i].num == 0) hides = 1;
  }
  assign(c, P_SCALE, hides, d->important);
}

/* How a property's value is read. */
typedef enum prop_kind {
  K_LENGTH, /* one length into prop_id, see property.negative and property.kw */
  K_MARGIN,
  K_INSET,
  K_DISPLAY,
  K_VISIBILITY,
  K_OPACITY,
  K_POSITION,
  K_CLIP,
  K_CLIP_PATH,
  K_TRANSFORM,
  K_SCALE
} prop_kind;

/*
 * The properties that size or hide an element; every other declaration is
 * read past. Lookups compare the length first, so the many declarations that
 * do not matter (font, color, padding...) cost a few integer compares.
 */
typedef struct property {
  const char *name;
  unsigned char len, kind, id, negative, kw;
} property;

#define PROPERTY(name, kind, id, negative, kw)                                                     \
  { name, sizeof(name) - 1, kind, id, negative, kw }
static const property PROPERTIES[] = {
    PROPERTY("width", K_LENGTH, P_WIDTH, 0, KW_SIZE),
    PROPERTY("height", K_LENGTH, P_HEIGHT, 0, KW_SIZE),
    PROPERTY("max-width", K_LENGTH, P_MAX_WIDTH, 0, KW_MAX),
    PROPERTY("max-height", K_LENGTH, P_MAX_HEIGHT, 0, KW_MAX),
    PROPERTY("left", K_LENGTH, P_LEFT, 1, KW_AUTO),
    PROPERTY("top", K_LENGTH, P_TOP, 1, KW_AUTO),
    PROPERTY("right", K_LENGTH, P_RIGHT, 1, KW_AUTO),
    PROPERTY("bottom", K_LENGTH, P_BOTTOM, 1, KW_AUTO),
    PROPERTY("text-indent", K_LENGTH, P_TEXT_INDENT, 1, KW_NONE),
    PROPERTY("margin-left", K_LENGTH, P_MARGIN_LEFT, 1, KW_AUTO),
    PROPERTY("margin-top", K_LENGTH, P_MARGIN_TOP, 1, KW_AUTO),
    PROPERTY("margin", K_MARGIN, 0, 0, 0),
    PROPERTY("inset", K_INSET, 0, 0, 0),
    PROPERTY("display", K_DISPLAY, 0, 0, 0),
    PROPERTY("visibility", K_VISIBILITY, 0, 0, 0),
    PROPERTY("opacity", K_OPACITY, 0, 0, 0),
    PROPERTY("position", K_POSITION, 0, 0, 0),
    PROPERTY("clip", K_CLIP, 0, 0, 0),
    PROPERTY("clip-path", K_CLIP_PATH, 0, 0, 0),
    PROPERTY("-webkit-clip-path", K_CLIP_PATH, 0, 0, 0),
    PROPERTY("transform", K_TRANSFORM, 0, 0, 0),
    PROPERTY("-webkit-transform", K_TRANSFORM, 0, 0, 0),
    PROPERTY("-ms-transform", K_TRANSFORM, 0, 0, 0),
    PROPERTY("scale", K_SCALE, 0, 0, 0),
};

static const property *find_property(const char *prop) {
  size_t n = strlen(prop);
  for (size_t i = 0; i < sizeof(PROPERTIES) / sizeof(PROPERTIES[0]); i++)
    if (PROPERTIES[i].len == n && memcmp(PROPERTIES[i].name, prop, n) == 0) return &PROPERTIES[i];
  return NULL;
}

static void apply_declaration(cascade *c, const property *p, const decl *d) {
  switch ((prop_kind)p->kind) {
  case K_LENGTH:
    apply_length(c, (prop_id)p->id, d, p->negative, (kw_set)p->kw);
    break;
  case K_MARGIN:
    apply_box_shorthand(c, d, P_MARGIN_TOP, P_MARGIN_LEFT, P_COUNT, P_COUNT);
    break;
  case K_INSET:
    apply_box_shorthand(c, d, P_TOP, P_LEFT, P_RIGHT, P_BOTTOM);
    break;
  case K_DISPLAY:
    apply_display(c, d);
    break;
  case K_VISIBILITY:
    apply_visibility(c, d);
    break;
  case K_OPACITY:
    apply_opacity(c, d);
    break;
  case K_POSITION:
    apply_position(c, d);
    break;
  case K_CLIP:
    apply_clip(c, d);
    break;
  case K_CLIP_PATH:
    apply_clip_path(c, d);
    break;
  case K_TRANSFORM:
    apply_transform(c, d);
    break;
  case K_SCALE:
    apply_scale(c, d);
    break;
  }
}

/* Removes a trailing "! important" and records it. */
static void strip_important(decl *d) {
  if (d->n >= 2 && d->v[d->n - 2].type == T_DELIM && d->v[d->n - 2].delim == '!' &&
      is_kw(&d->v[d->n - 1], "important")) {
    d->important = 1;
    d->n -= 2;
  }
}

static void add_value_token(decl *d, const token *t) {
  if (d->n == MAX_VALUE_TOKENS) {
    d->overflow = 1;
    return;
  }
  vtok *v = &d->v[d->n++];
  v->type = t->type;
  v->num = t->num;
  v->delim = t->delim;
  v->name[0] = 0;
  if (t->type == T_IDENT || t->type == T_FUNCTION || t->type == T_DIMENSION) copy_name(v->name, t);
}

/*
 * Reads one declaration's value up to a top-level ';' (or a stray '}') and
 * applies it. The value of a property that does not matter is only read
 * past. Returns 0 at the end of input.
 */
static int read_value(lexer *lx, cascade *c, const char *prop, decl *d) {
  const property *p = prop[0] ? find_property(prop) : NULL;
  token t;
  int depth = 0;
  d->n = 0;
  d->overflow = 0;
  d->important = 0;
  for (;;) {
    next_token(lx, &t);
    if (t.type == T_EOF) break;
    if (depth == 0 && (t.type == T_SEMI || t.type == T_RBRACE)) break;
    if (t.type == T_FUNCTION || t.type == T_LPAREN || t.type == T_LBRACKET || t.type == T_LBRACE)
      depth++;
    if ((t.type == T_RPAREN || t.type == T_RBRACKET || t.type == T_RBRACE) && depth > 0) depth--;
    if (p && t.type != T_WS) add_value_token(d, &t);
  }
  strip_important(d);
  if (p && !d->overflow) apply_declaration(c, p, d);
  return t.type != T_EOF;
}

/* Skips what cannot be a declaration, up to the next top-level ';'. */
static int skip_item(lexer *lx, token *t) {
  int depth = 0;
  for (;;) {
    if (t->type == T_EOF) return 0;
    if (depth == 0 && (t->type == T_SEMI || t->type == T_RBRACE)) return 1;
    if (t->type == T_FUNCTION || t->type == T_LPAREN || t->type == T_LBRACKET ||
        t->type == T_LBRACE)
      depth++;
    if ((t->type == T_RPAREN || t->type == T_RBRACKET || t->type == T_RBRACE) && depth > 0) depth--;
    next_token(lx, t);
  }
}

static void next_significant(lexer *lx, token *t) {
  do next_token(lx, t);
  while (t->type == T_WS);
}

static void read_declarations(lexer *lx, cascade *c, decl *d) {
  token t;
  char prop[VNAME];
  for (;;) {
    next_significant(lx, &t);
    if (t.type == T_EOF) return;
    if (t.type == T_SEMI) continue;
    if (t.type == T_IDENT) {
      copy_name(prop, &t);
      next_significant(lx, &t);
      if (t.type == T_COLON) {
        if (!read_value(lx, c, prop, d)) return;
        continue;
      }
    }
    if (!skip_item(lx, &t)) return;
  }
}

static double known_or(const cascade *c, prop_id p, double fallback) {
  return c->s[p].set && !isnan(c->s[p].v) ? c->s[p].v : fallback;
}

static int flag(const cascade *c, prop_id p) {
  return c->s[p].set && c->s[p].v != 0;
}

enum { OFFSCREEN_NEGATIVE = -500, OFFSCREEN_HUGE = 5000 };

static int far_away(double px) {
  return px <= OFFSCREEN_NEGATIVE || px >= OFFSCREEN_HUGE;
}

static void box_from_cascade(const cascade *c, bw_css_box *out) {
  out->width_px = known_or(c, P_WIDTH, -1);
  out->height_px = known_or(c, P_HEIGHT, -1);
  out->display_none = flag(c, P_DISPLAY);
  out->visibility_hidden = flag(c, P_VISIBILITY);
  out->opacity_zero = c->s[P_OPACITY].set && c->s[P_OPACITY].v <= 0.01;
  int moved = far_away(known_or(c, P_LEFT, 0)) || far_away(known_or(c, P_TOP, 0)) ||
              far_away(known_or(c, P_RIGHT, 0)) || far_away(known_or(c, P_BOTTOM, 0));
  out->offscreen = (flag(c, P_POSITION) && moved) ||
                   known_or(c, P_TEXT_INDENT, 0) <= OFFSCREEN_NEGATIVE ||
                   known_or(c, P_MARGIN_LEFT, 0) <= OFFSCREEN_NEGATIVE ||
                   known_or(c, P_MARGIN_TOP, 0) <= OFFSCREEN_NEGATIVE;
  out->clipped =
      flag(c, P_CLIP) || flag(c, P_CLIP_PATH) || flag(c, P_TRANSFORM) || flag(c, P_SCALE);
  out->max_zero = known_or(c, P_MAX_WIDTH, 1) <= 0 || known_or(c, P_MAX_HEIGHT, 1) <= 0;
}

void bw_css_box_from_declarations(const char *css, size_t len, bw_css_box *out) {
  cascade c;
  decl d;
  lexer lx;
  memset(&c, 0, sizeof(c));
  lex_init(&lx, css, len);
  read_declarations(&lx, &c, &d);
  free(lx.buf);
  box_from_cascade(&c, out);
}
