/*
 * stix_pattern.c - the STIX 2.1 pattern parser (see stix_pattern.h).
 *
 * Grammar (STIX 2.1 section 9, reduced to one message):
 *   pattern  := obs_or END
 *   obs_or   := obs_and ("OR" obs_and)*
 *   obs_and  := obs_seq ("AND" obs_seq)*
 *   obs_seq  := obs_qual ("FOLLOWEDBY" -> rejected)
 *   obs_qual := obs_atom (WITHIN | REPEATS | START -> rejected)
 *   obs_atom := "[" cmp_or "]" | "(" obs_or ")"
 *   cmp_or   := cmp_and ("OR" cmp_and)*
 *   cmp_and  := cmp_atom ("AND" cmp_atom)*
 *   cmp_atom := "(" cmp_or ")" | "EXISTS" path | path ["NOT"] op literal
 *   literal  := 'string' | number | true | false | t'..' | h'..' | b'..' | "(" literal, ... ")"
 * Each rule returns its alternatives in disjunctive normal form: OR joins
 * lists, AND forms the cross product, both within the limits.
 */
#include "intel/stix_pattern.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dnf {
  size_t n;
  bw_stix_alt alts[BW_STIX_MAX_ALTS];
} dnf;

typedef struct parser {
  const char *s;
  size_t len, pos;
  int depth;
  bw_stix_pattern *out;
  char *why;
  size_t why_size;
  int failed;
  dnf product; /* scratch for dnf_and */
} parser;

static int fail(parser *p, const char *fmt, ...) {
  if (!p->failed) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->why, p->why_size, fmt, ap);
    va_end(ap);
  }
  p->failed = 1;
  return -1;
}

static void skip_space(parser *p) {
  while (p->pos < p->len && isspace((unsigned char)p->s[p->pos])) p->pos++;
}

static int peek(parser *p) {
  skip_space(p);
  return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

/* Consumes the keyword kw (case-sensitive, as STIX requires) when it is next. */
static int keyword(parser *p, const char *kw) {
  skip_space(p);
  size_t n = strlen(kw);
  if (p->len - p->pos < n || memcmp(p->s + p->pos, kw, n) != 0) return 0;
  if (p->pos + n < p->len && (isalnum((unsigned char)p->s[p->pos + n]) || p->s[p->pos + n] == '_'))
    return 0;
  p->pos += n;
  return 1;
}

static int expect(parser *p, int c) {
  if (peek(p) != c) return fail(p, "expected '%c' at offset %zu", c, p->pos);
  p->pos++;
  return 0;
}

/* ---- DNF combinators ------------------------------------------------------ */

static int dnf_or(parser *p, dnf *a, const dnf *b) {
  if (a->n + b->n > BW_STIX_MAX_ALTS)
    return fail(p, "pattern has more than %d alternatives", BW_STIX_MAX_ALTS);
  memcpy(&a->alts[a->n], b->alts, b->n * sizeof(b->alts[0]));
  a->n += b->n;
  return 0;
}

static int dnf_and(parser *p, dnf *a, const dnf *b) {
  dnf *r = &p->product;
  if (a->n * b->n > BW_STIX_MAX_ALTS)
    return fail(p, "pattern has more than %d alternatives", BW_STIX_MAX_ALTS);
  r->n = 0;
  for (size_t i = 0; i < a->n; i++) {
    for (size_t j = 0; j < b->n; j++) {
      bw_stix_alt *x = &r->alts[r->n++];
      if (a->alts[i].n + b->alts[j].n > BW_STIX_MAX_TERMS)
        return fail(p, "more than %d comparisons joined by AND", BW_STIX_MAX_TERMS);
      *x = a->alts[i];
      memcpy(&x->terms[x->n], b->alts[j].terms, b->alts[j].n * sizeof(uint16_t));
      x->n = (uint8_t)(x->n + b->alts[j].n);
    }
  }
  *a = *r;
  return 0;
}

/* ---- comparisons ---------------------------------------------------------- */

static int read_path(parser *p, bw_stix_cmp *c) {
  skip_space(p);
  size_t start = p->pos;
  while (p->pos < p->len &&
         (isalnum((unsigned char)p->s[p->pos]) || p->s[p->pos] == '-' || p->s[p->pos] == '_'))
    p->pos++;
  if (p->pos == start || p->pos >= p->len || p->s[p->pos] != ':')
    return fail(p, "expected an object path (type:property) at offset %zu", start);
  p->pos++;
  while (p->pos < p->len) {
    char ch = p->s[p->pos];
    if (ch == '\'') {
      const char *q = memchr(p->s + p->pos + 1, '\'', p->len - p->pos - 1);
      if (!q) return fail(p, "unterminated quoted property at offset %zu", p->pos);
      p->pos = (size_t)(q - p->s) + 1;
    } else if (ch == '[') { /* a list index: [3] or [*] */
      size_t n = strspn(p->s + p->pos + 1, "0123456789*");
      if (p->pos + 1 + n >= p->len || p->s[p->pos + 1 + n] != ']' || n == 0) break;
      p->pos += n + 2;
    } else if (isalnum((unsigned char)ch) || ch == '_' || ch == '-' || ch == '.') {
      p->pos++;
    } else {
      break;
    }
  }
  size_t n = p->pos - start;
  if (n >= sizeof(c->path))
    return fail(p, "object path longer than %zu bytes", sizeof(c->path) - 1);
  memcpy(c->path, p->s + start, n);
  c->path[n] = 0;
  return 0;
}

static int read_op(parser *p, bw_stix_cmp *c) {
  static const char *const ops[] = {"!=", "<=",   ">=",      "=",        "<",         ">",
                                    "IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET"};
  c->negated = keyword(p, "NOT");
  skip_space(p);
  for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
    int word = isalpha((unsigned char)ops[i][0]);
    if (word ? keyword(p, ops[i])
             : (p->len - p->pos >= strlen(ops[i]) &&
                memcmp(p->s + p->pos, ops[i], strlen(ops[i])) == 0)) {
      if (!word) p->pos += strlen(ops[i]);
      snprintf(c->op, sizeof(c->op), "%s", ops[i]);
      return 0;
    }
  }
  return fail(p, "expected a comparison operator at offset %zu", p->pos);
}

/* A quoted string (after an optional t/h/b prefix); unescapes into the values buffer. */
static int read_string(parser *p, bw_stix_cmp *c) {
  p->pos++; /* the opening quote */
  bw_stix_pattern *o = p->out;
  c->value_off = o->values_len;
  while (p->pos < p->len && p->s[p->pos] != '\'') {
    char ch = p->s[p->pos++];
    if (ch == '\\') {
      if (p->pos >= p->len || (p->s[p->pos] != '\'' && p->s[p->pos] != '\\'))
        return fail(p, "invalid escape in string at offset %zu", p->pos - 1);
      ch = p->s[p->pos++];
    }
    if (o->values_len >= BW_STIX_MAX_PATTERN) return fail(p, "string values too long");
    o->values[o->values_len++] = ch;
  }
  if (p->pos >= p->len) return fail(p, "unterminated string");
  p->pos++;
  c->value_len = o->values_len - c->value_off;
  o->values[o->values_len++] = 0;
  return 0;
}

static int read_literal(parser *p, bw_stix_cmp *c, int in_list);

static int read_list(parser *p, bw_stix_cmp *c) {
  p->pos++;
  if (++p->depth > BW_STIX_MAX_DEPTH) return fail(p, "pattern nested too deeply");
  do {
    if (read_literal(p, c, 1)) return -1;
  } while (peek(p) == ',' && ++p->pos);
  p->depth--;
  c->is_string = 0;
  return expect(p, ')');
}

static int read_literal(parser *p, bw_stix_cmp *c, int in_list) {
  int ch = peek(p);
  if (ch == '(' && !in_list) return read_list(p, c);
  if (ch == '\'') {
    c->is_string = 1;
    return read_string(p, c);
  }
  if ((ch == 't' || ch == 'h' || ch == 'b') && p->pos + 1 < p->len &&
      (p->s[p->pos + 1] == '\'' ||
       (ch == 'b' && p->len - p->pos > 4 && !memcmp(p->s + p->pos, "b64'", 4)))) {
    p->pos += ch == 'b' && p->s[p->pos + 1] == '6' ? 3 : 1;
    c->is_string = 0;
    return read_string(p, c);
  }
  size_t start = p->pos;
  while (p->pos < p->len && (isalnum((unsigned char)p->s[p->pos]) || strchr("+-.", p->s[p->pos])))
    p->pos++;
  if (p->pos == start) return fail(p, "expected a literal at offset %zu", start);
  c->is_string = 0;
  return 0;
}

static int comparison(parser *p, dnf *out) {
  bw_stix_pattern *o = p->out;
  if (o->n_cmps >= BW_STIX_MAX_CMPS)
    return fail(p, "more than %d comparisons in one pattern", BW_STIX_MAX_CMPS);
  bw_stix_cmp *c = &o->cmps[o->n_cmps];
  memset(c, 0, sizeof(*c));
  skip_space(p);
  c->text_off = p->pos;
  if (keyword(p, "EXISTS")) {
    snprintf(c->op, sizeof(c->op), "EXISTS");
    if (read_path(p, c)) return -1;
  } else if (read_path(p, c) || read_op(p, c) || read_literal(p, c, 0)) {
    return -1;
  }
  c->text_len = p->pos - c->text_off;
  out->n = 1;
  out->alts[0].n = 1;
  out->alts[0].terms[0] = (uint16_t)o->n_cmps++;
  return 0;
}

static int cmp_or(parser *p, dnf *out);

static int cmp_atom(parser *p, dnf *out) {
  if (peek(p) != '(') return comparison(p, out);
  p->pos++;
  if (++p->depth > BW_STIX_MAX_DEPTH) return fail(p, "pattern nested too deeply");
  if (cmp_or(p, out)) return -1;
  p->depth--;
  return expect(p, ')');
}

static int cmp_and(parser *p, dnf *out) {
  if (cmp_atom(p, out)) return -1;
  while (keyword(p, "AND")) {
    dnf rhs;
    if (cmp_atom(p, &rhs) || dnf_and(p, out, &rhs)) return -1;
  }
  return 0;
}

static int cmp_or(parser *p, dnf *out) {
  if (cmp_and(p, out)) return -1;
  while (keyword(p, "OR")) {
    dnf rhs;
    if (cmp_and(p, &rhs) || dnf_or(p, out, &rhs)) return -1;
  }
  return 0;
}

/* ---- observations --------------------------------------------------------- */

static int obs_or(parser *p, dnf *out);

static int obs_atom(parser *p, dnf *out) {
  int c = peek(p);
  if (c != '[' && c != '(') return fail(p, "expected '[' or '(' at offset %zu", p->pos);
  p->pos++;
  if (++p->depth > BW_STIX_MAX_DEPTH) return fail(p, "pattern nested too deeply");
  if ((c == '[' ? cmp_or(p, out) : obs_or(p, out))) return -1;
  p->depth--;
  if (expect(p, c == '[' ? ']' : ')')) return -1;
  static const char *const qualifiers[] = {"WITHIN", "REPEATS", "START"};
  for (size_t i = 0; i < 3; i++)
    if (keyword(p, qualifiers[i]))
      return fail(p, "qualifier %s describes events over time; one message cannot match it",
                  qualifiers[i]);
  if (keyword(p, "FOLLOWEDBY"))
    return fail(p, "FOLLOWEDBY describes a sequence of events; one message cannot match it");
  return 0;
}

static int obs_and(parser *p, dnf *out) {
  if (obs_atom(p, out)) return -1;
  while (keyword(p, "AND")) {
    dnf rhs;
    if (obs_atom(p, &rhs) || dnf_and(p, out, &rhs)) return -1;
  }
  return 0;
}

static int obs_or(parser *p, dnf *out) {
  if (obs_and(p, out)) return -1;
  while (keyword(p, "OR")) {
    dnf rhs;
    if (obs_and(p, &rhs) || dnf_or(p, out, &rhs)) return -1;
  }
  return 0;
}

/* Parses into result with the parser p (both on the heap: they hold DNF tables). */
static int parse_all(parser *p, dnf *result) {
  if (p->len > BW_STIX_MAX_PATTERN)
    return fail(p, "pattern longer than %d bytes", BW_STIX_MAX_PATTERN);
  if (obs_or(p, result)) return -1;
  if (peek(p) != -1) return fail(p, "unexpected text at offset %zu", p->pos);
  p->out->n_alts = result->n;
  memcpy(p->out->alts, result->alts, result->n * sizeof(result->alts[0]));
  return 0;
}

int bw_stix_pattern_parse(const char *pattern, size_t len, bw_stix_pattern *out, char *why,
                          size_t why_size) {
  out->n_cmps = out->n_alts = out->values_len = 0;
  parser *p = calloc(1, sizeof(*p));
  dnf *result = malloc(sizeof(*result));
  int rc = -1;
  if (p && result) {
    *p = (parser){.s = pattern, .len = len, .out = out, .why = why, .why_size = why_size};
    rc = parse_all(p, result);
  } else {
    snprintf(why, why_size, "out of memory");
  }
  free(p);
  free(result);
  return rc;
}
