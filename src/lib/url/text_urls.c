/*
 * text_urls.c - finds URLs in plain text (see url.h).
 *
 * Mail clients turn "http://...", "https://...", "ftp://..." and "www...."
 * in text parts into links, so those are what a reader can click. We find
 * them the way clients do: a URL ends at whitespace or at < > ", and trailing
 * punctuation that ends the sentence is not part of it, except a closing
 * bracket that matches one inside the URL (Wikipedia-style links). A URL
 * wrapped in <...> keeps everything up to the '>'. One pass, no allocation.
 */
#include <stddef.h>

#include "url/url.h"

static int lower(int c) {
  return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_alnum(int c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int starts_with(const char *s, size_t n, const char *lit) {
  size_t i = 0;
  for (; lit[i]; i++)
    if (i >= n || lower((unsigned char)s[i]) != lit[i]) return 0;
  return 1;
}

/* Length of the scheme prefix (or "www.") that starts a URL at s, else 0. */
static size_t prefix_length(const char *s, size_t n) {
  static const char *const prefixes[] = {"http://", "https://", "ftp://", "www."};
  for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
    if (starts_with(s, n, prefixes[i])) {
      size_t len = 0;
      while (prefixes[i][len]) len++;
      return len;
    }
  return 0;
}

/* Whitespace (ASCII or a UTF-8 no-break space), controls and < > " end a URL. */
static size_t stop_length(const char *s, size_t n) {
  unsigned char c = (unsigned char)s[0];
  if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"') return 1;
  if (c == 0xC2 && n > 1 && (unsigned char)s[1] == 0xA0) return 2;
  return 0;
}

static int bracket_index(char c) {
  static const char pairs[] = "()[]{}";
  for (int k = 0; pairs[k]; k++)
    if (pairs[k] == c) return k;
  return -1;
}

/*
 * Drops trailing sentence punctuation. A closing bracket stays when the URL
 * holds at least as many openers of its kind; counts are kept as we trim so
 * the whole thing stays linear.
 */
static size_t trim_trailing(const char *url, size_t len) {
  static const char trailing[] = ".,;:!?)]}'";
  size_t count[6] = {0};
  for (size_t i = 0; i < len; i++) {
    int k = bracket_index(url[i]);
    if (k >= 0) count[k]++;
  }
  while (len) {
    char c = url[len - 1];
    size_t t = 0;
    while (trailing[t] && trailing[t] != c) t++;
    if (!trailing[t]) break;
    int k = bracket_index(c);
    if (k > 0 && count[k - 1] >= count[k]) break; /* a closer with its opener inside */
    if (k >= 0) count[k]--;
    len--;
  }
  return len;
}

/* Bytes that can start "http://", "https://", "ftp://" or "www.": the scan skips all others. */
static const unsigned char CAN_START[256] = {['h'] = 1, ['H'] = 1, ['f'] = 1,
                                             ['F'] = 1, ['w'] = 1, ['W'] = 1};

int bw_text_find_urls(const char *text, size_t len, bw_text_url_fn fn, void *ctx) {
  size_t i = 0;
  while (text && i < len) {
    while (i < len && !CAN_START[(unsigned char)text[i]]) i++;
    if (i >= len) break;
    size_t plen =
        (i == 0 || !is_alnum((unsigned char)text[i - 1])) ? prefix_length(text + i, len - i) : 0;
    if (!plen) {
      i++;
      continue;
    }
    size_t end = i + plen;
    while (end < len && !stop_length(text + end, len - end)) end++;
    int angled = i > 0 && text[i - 1] == '<' && end < len && text[end] == '>';
    size_t ulen = angled ? end - i : trim_trailing(text + i, end - i);
    if (ulen > plen) {
      int rc = fn(text + i, ulen, i, ctx);
      if (rc) return rc;
    }
    i = end > i ? end : i + 1;
  }
  return 0;
}
