/*
 * address.c - plain address lists read without GMime objects.
 *
 * GMime's address parser builds a GObject per mailbox and per list, which
 * measured as a sixth of building the view of ordinary mail. Nearly all
 * address headers are plain, comma-separated lists of "addr@example.org",
 * "Some Name <addr@example.org>", "\"Name, Some\" <addr@example.org>" or
 * "addr@example.org (Some Name)". For exactly those forms GMime's result is
 * fully determined (the name as written, the addr-spec as written), so this
 * file reads them directly and declines everything else: escapes, nested
 * comments, encoded-words, groups, routes, 8-bit bytes, IDN domains, runs of
 * white space inside a name, empty list elements. The view then asks GMime.
 * bw_viewdiff (ctest view_vs_gmime) compares the two over the corpora, and
 * the fuzz target fuzz_view_parsers over arbitrary input.
 */
#include "mime/address.h"

#include <string.h>
#include <strings.h>

enum { MAX_PLAIN_MAILBOXES = 64 };

typedef struct span {
  const char *s;
  size_t n;
} span;

typedef struct mailbox_spans {
  span name, addr, domain;
} mailbox_spans;

static int is_atext(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static int is_lwsp(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static const char *skip_lwsp(const char *s) {
  while (is_lwsp(*s)) s++;
  return s;
}

/* A dot-atom: atext runs joined by single dots. Returns its end, or NULL. */
static const char *scan_dot_atom(const char *s) {
  const char *p = s;
  for (;;) {
    const char *word = p;
    while (is_atext((unsigned char)*p)) p++;
    if (p == word) return NULL;
    if (*p != '.') return p;
    p++;
  }
}

/* local@domain with dot-atom parts; an ASCII domain that is not an IDN A-label. */
static const char *scan_addr_spec(const char *s, mailbox_spans *m) {
  const char *at = scan_dot_atom(s);
  if (!at || *at != '@') return NULL;
  const char *domain = at + 1;
  const char *end = scan_dot_atom(domain);
  if (!end) return NULL;
  for (const char *p = domain; p + 4 <= end; p++)
    if ((p == domain || p[-1] == '.') && strncasecmp(p, "xn--", 4) == 0) return NULL;
  m->addr = (span){s, (size_t)(end - s)};
  m->domain = (span){domain, (size_t)(end - domain)};
  return end;
}

/* A display name: atoms (dots allowed, as GMime reads them) separated by single spaces. */
static const char *scan_phrase(const char *s, span *name) {
  const char *p = s;
  while (is_atext((unsigned char)*p) || *p == '.') {
    while (is_atext((unsigned char)*p) || *p == '.') p++;
    if (*p != ' ' || !(is_atext((unsigned char)p[1]) || p[1] == '.')) break;
    p++;
  }
  *name = (span){s, (size_t)(p - s)};
  /* An encoded-word is made of atext; GMime would decode it. */
  for (const char *q = s; q + 1 < p; q++)
    if (q[0] == '=' && q[1] == '?') return NULL;
  return p;
}

/*
 * A quoted display name, as GMime unquotes it: printable ASCII without
 * escapes, single spaces only, none at either end.
 */
static const char *scan_quoted_phrase(const char *s, span *name) {
  const char *p = s + 1;
  while (*p >= ' ' && *p < 0x7f && *p != '"' && *p != '\\') {
    if (*p == ' ' && (p == s + 1 || p[1] == ' ' || p[1] == '"')) return NULL;
    if (p[0] == '=' && p[1] == '?') return NULL;
    p++;
  }
  if (*p != '"') return NULL;
  *name = (span){s + 1, (size_t)(p - s - 1)};
  return p + 1;
}

/*
 * "addr (Name)": GMime takes the comment as the name. Plain comments only:
 * printable ASCII without quotes, escapes or nested parentheses, single
 * spaces inside; the blanks at either end are stripped as GMime does.
 */
static const char *scan_comment_name(const char *s, span *name) {
  const char *p = s + 1;
  while (*p == ' ') p++;
  const char *start = p, *last = p;
  while (*p >= ' ' && *p < 0x7f && !strchr("()\"\\", *p)) {
    if (p[0] == ' ' && p[1] == ' ') return NULL;
    if (p[0] == '=' && p[1] == '?') return NULL;
    if (*p != ' ') last = p + 1;
    p++;
  }
  if (*p != ')') return NULL;
  *name = (span){start, (size_t)(last - start)};
  return p + 1;
}

/* One list element; returns the position after it, or NULL when it is not plain. */
static const char *scan_mailbox(const char *s, mailbox_spans *m) {
  memset(m, 0, sizeof(*m));
  s = skip_lwsp(s);
  if (*s == '<') {
    const char *end = scan_addr_spec(s + 1, m);
    return end && *end == '>' ? skip_lwsp(end + 1) : NULL;
  }
  const char *end = scan_addr_spec(s, m);
  if (end) {
    end = skip_lwsp(end);
    return *end == '(' && (end = scan_comment_name(end, &m->name)) ? skip_lwsp(end) : end;
  }
  if (*s == '"') {
    end = scan_quoted_phrase(s, &m->name);
  } else {
    end = scan_phrase(s, &m->name);
    if (end && !m->name.n) end = NULL;
  }
  if (!end) return NULL;
  end = skip_lwsp(end);
  if (*end != '<') return NULL;
  end = scan_addr_spec(end + 1, m);
  return end && *end == '>' ? skip_lwsp(end + 1) : NULL;
}

static char *copy_lower(bw_arena *a, span s) {
  char *out = bw_arena_strndup(a, s.s, s.n);
  for (char *p = out; p && *p; p++)
    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
  return out;
}

/* The mailboxes of a plain list into found; 0 when value is not plain. */
static int scan_list(const char *value, mailbox_spans *found, size_t *n_out) {
  size_t n = 0;
  const char *s = skip_lwsp(value);
  if (!*s) return 0;
  for (;;) {
    if (n == MAX_PLAIN_MAILBOXES) return 0;
    s = scan_mailbox(s, &found[n]);
    if (!s) return 0;
    n++;
    if (!*s) break;
    if (*s != ',') return 0;
    s++;
  }
  *n_out = n;
  return 1;
}

int bw_addresses_are_plain(const char *value) {
  mailbox_spans found[MAX_PLAIN_MAILBOXES];
  size_t n;
  return scan_list(value, found, &n);
}

int bw_addresses_parse_plain(bw_arena *a, const char *value, bw_address_list *out) {
  mailbox_spans found[MAX_PLAIN_MAILBOXES];
  size_t n;
  if (!scan_list(value, found, &n)) return BW_ADDRESSES_NOT_PLAIN;
  bw_address *items = bw_arena_alloc(a, (out->n + n) * sizeof(*items));
  if (!items) return BW_ENOMEM;
  if (out->n) memcpy(items, out->items, out->n * sizeof(*items));
  for (size_t i = 0; i < n; i++) {
    bw_address *dst = &items[out->n + i];
    dst->name = found[i].name.n ? bw_arena_strndup(a, found[i].name.s, found[i].name.n) : NULL;
    dst->address = bw_arena_strndup(a, found[i].addr.s, found[i].addr.n);
    dst->domain = copy_lower(a, found[i].domain);
    if (!dst->address || !dst->domain || (found[i].name.n && !dst->name)) return BW_ENOMEM;
  }
  out->items = items;
  out->n += n;
  return BW_OK;
}
