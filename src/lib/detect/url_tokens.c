/*
 * url_tokens.c - id-like values and redirectors in URLs (see url_tokens.h).
 *
 * Thresholds are chosen from what the alphabets allow, not from any corpus:
 * 12 hex digits or 12 mixed-case alphanumerics already give more than 2^40
 * values (enough to tell recipients apart), while words, slugs and version
 * numbers almost never mix digits, lower and upper case at that length.
 */
#include "detect/url_tokens.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "url/url.h"

enum { MIN_HEX_ID = 12, MIN_BASE62_ID = 12, MAX_VALUE = 4096 };

static int is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Shannon entropy in bits per character; values here hold only [0-9A-Za-z_-], 64 symbols. */
static double entropy_of(const char *s, size_t n) {
  unsigned counts[128] = {0};
  for (size_t i = 0; i < n; i++) counts[(unsigned char)s[i] & 127]++;
  double h = 0;
  for (int c = '-'; c <= 'z'; c++) {
    if (!counts[c]) continue;
    double p = (double)counts[c] / (double)n;
    h -= p * log2(p);
  }
  return h;
}

static int is_uuid(const char *s, size_t n) {
  if (n != 36) return 0;
  for (size_t i = 0; i < n; i++) {
    int dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex(s[i])) return 0;
  }
  return 1;
}

/* Drops a file extension (".gif", ".woff2") from the end of a path segment. */
static size_t without_extension(const char *s, size_t n) {
  for (size_t i = n; i > 0 && n - i <= 6; i--) {
    if (s[i - 1] == '.') return i - 1 >= 1 ? i - 1 : n;
  }
  return n;
}

/*
 * Random strings switch between digits, lower and upper case about every
 * other character; words with numbers ("Hearing719", "2002Sep10") rarely do.
 */
static int looks_random(const char *s, size_t n) {
  size_t transitions = 0;
  int prev = -1;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    int cls = (c >= '0' && c <= '9')   ? 0
              : (c >= 'a' && c <= 'z') ? 1
              : (c >= 'A' && c <= 'Z') ? 2
                                       : 3;
    if (prev >= 0 && cls != prev) transitions++;
    prev = cls;
  }
  return transitions * 10 >= n * 3;
}

/* The longest run without '-' or '_': ids joined to words by a dash are judged by the id part. */
static void longest_run(const char **s, size_t *n) {
  const char *best = *s, *start = *s;
  size_t best_len = 0;
  for (size_t i = 0; i <= *n; i++) {
    if (i < *n && (*s)[i] != '-' && (*s)[i] != '_') continue;
    size_t len = (size_t)((*s + i) - start);
    if (len > best_len) best = start, best_len = len;
    start = *s + i + 1;
  }
  *s = best;
  *n = best_len;
}

/* Classifies one decoded value; fills tok when it is id-like. */
static int classify(const char *s, size_t n, bw_url_token *tok) {
  if (is_uuid(s, n)) {
    tok->encoding = "uuid";
    tok->strength = 3;
    return 1;
  }
  size_t hex = 0, digits = 0, lower = 0, upper = 0, other = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    hex += is_hex(c);
    if (c >= '0' && c <= '9')
      digits++;
    else if (c >= 'a' && c <= 'z')
      lower++;
    else if (c >= 'A' && c <= 'Z')
      upper++;
    else if (c != '_' && c != '-')
      other++;
  }
  if (other) return 0;
  /* The entropy is computed only for values whose shape already qualifies: most do not. */
  double h = -1;
  if (hex == n && n >= MIN_HEX_ID && digits && digits < n && (h = entropy_of(s, n)) >= 3.0) {
    tok->encoding = "hexid";
    tok->strength = n >= 16 ? 3 : 2;
    tok->entropy = h;
    return 1;
  }
  /* Slugs ("budget-vote-delayed") mix no cases; random ids mix digits with both cases. */
  if (!digits || !lower || !upper) return 0;
  const char *run = s;
  size_t run_len = n;
  longest_run(&run, &run_len);
  if (run_len < MIN_BASE62_ID || !looks_random(run, run_len)) return 0;
  if (h < 0) h = entropy_of(s, n);
  if (h < 3.3) return 0;
  tok->encoding = "base62";
  tok->strength = n >= 20 ? 3 : 2;
  tok->entropy = h;
  return 1;
}

typedef struct token_search {
  bw_url_token best;
  int found;
} token_search;

static void consider(token_search *ts, const char *value, size_t n, const char *where) {
  if (n < MIN_HEX_ID || n > MAX_VALUE) return;
  char buf[MAX_VALUE + 1];
  /* Most values hold no escape: they are classified in place. */
  const char *decoded = value;
  size_t d = n;
  if (memchr(value, '%', n)) d = bw_url_percent_decode(value, n, buf), decoded = buf;
  bw_url_token tok = {0};
  if (!classify(decoded, d, &tok)) return;
  if (ts->found && tok.strength <= ts->best.strength) return;
  tok.where = where;
  size_t copy = d < sizeof(tok.text) - 1 ? d : sizeof(tok.text) - 1;
  memcpy(tok.text, decoded, copy);
  tok.text[copy] = '\0';
  ts->best = tok;
  ts->found = 1;
}

/* Calls consider() on each piece of s separated by any of seps. */
static void consider_pieces(token_search *ts, const char *s, size_t n, const char *seps,
                            const char *where, int strip_extension) {
  size_t start = 0;
  for (size_t i = 0; i <= n; i++) {
    /* seps holds three separators (see the callers); compared inline, once per byte. */
    if (i < n && s[i] != seps[0] && s[i] != seps[1] && s[i] != seps[2]) continue;
    size_t len = i - start;
    if (strip_extension) len = without_extension(s + start, len);
    consider(ts, s + start, len, where);
    start = i + 1;
  }
}

/* Splits url into path, query and fragment (after the scheme and authority). */
static void split_url(const char *url, size_t len, const char **path, size_t *path_len,
                      const char **query, size_t *query_len, const char **frag, size_t *frag_len) {
  const char *end = url + len;
  const char *p = url;
  const char *scheme_end = NULL;
  for (const char *c = url; (c = memchr(c, ':', (size_t)(end - c))) && end - c >= 3; c++)
    if (c[1] == '/' && c[2] == '/') {
      scheme_end = c;
      break;
    }
  if (scheme_end)
    p = scheme_end + 3;
  else if (len >= 2 && url[0] == '/' && url[1] == '/')
    p = url + 2;
  if (scheme_end || p != url) {
    while (p < end && *p != '/' && *p != '?' && *p != '#') p++;
  }
  const char *q = memchr(p, '?', (size_t)(end - p));
  const char *h = memchr(p, '#', (size_t)(end - p));
  if (q && h && h < q) q = NULL;
  const char *path_end = q ? q : h ? h : end;
  *path = p;
  *path_len = (size_t)(path_end - p);
  *query = q ? q + 1 : NULL;
  *query_len = q ? (size_t)((h ? h : end) - (q + 1)) : 0;
  *frag = h ? h + 1 : NULL;
  *frag_len = h ? (size_t)(end - (h + 1)) : 0;
}

int bw_url_find_token(const char *url, size_t len, bw_url_token *out) {
  const char *path, *query, *frag;
  size_t path_len, query_len, frag_len;
  split_url(url, len, &path, &path_len, &query, &query_len, &frag, &frag_len);
  token_search ts = {0};
  consider_pieces(&ts, path, path_len, "/;,", "path", 1);
  if (query) consider_pieces(&ts, query, query_len, "&=;", "query", 0);
  if (frag) consider_pieces(&ts, frag, frag_len, "&=/", "fragment", 0);
  if (ts.found) *out = ts.best;
  return ts.found;
}

int bw_url_is_redirector(const char *url, size_t len) {
  const char *path, *query, *frag;
  size_t path_len, query_len, frag_len;
  split_url(url, len, &path, &path_len, &query, &query_len, &frag, &frag_len);
  if (!query) return 0;
  const char *end = query + query_len;
  for (const char *v = query; v < end;) {
    const char *eq = memchr(v, '=', (size_t)(end - v));
    if (!eq) break;
    const char *amp = memchr(eq, '&', (size_t)(end - eq));
    const char *vend = amp ? amp : end;
    size_t n = (size_t)(vend - (eq + 1));
    /* Only a value starting "http" or an escape can decode to "http(s)://". */
    char first = n ? eq[1] : 0;
    if (n >= 10 && n <= MAX_VALUE && (first == 'h' || first == 'H' || first == '%')) {
      char decoded[MAX_VALUE + 1];
      size_t d = bw_url_percent_decode(eq + 1, n, decoded);
      decoded[d] = '\0';
      if (strncasecmp(decoded, "http://", 7) == 0 || strncasecmp(decoded, "https://", 8) == 0)
        return 1;
    }
    v = vend + 1;
  }
  return 0;
}
