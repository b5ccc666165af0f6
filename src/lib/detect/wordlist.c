/*
 * wordlist.c - one pass over a text for all the words of a list (see
 * wordlist.h).
 *
 * At each position of the text the byte there selects, from a 256-entry
 * table of bit sets, the words that can start with it, and the next byte
 * those that can go on with it; words that must start a word of the text are
 * dropped unless the previous byte ends one, and words already found are not
 * tried again. Most positions therefore cost a table look-up or two, and only
 * the few words left are compared byte by byte.
 */
#include "detect/wordlist.h"

#include <string.h>

static int is_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int is_ascii_letter(unsigned char c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static unsigned char lower(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static uint64_t bit(size_t i) {
  return (uint64_t)1 << i;
}

int bw_wordlist_init(bw_wordlist *l, const char *const *words, size_t n, size_t fold_over) {
  memset(l, 0, sizeof(*l));
  if (n > BW_WORDLIST_MAX) return -1;
  l->words = words;
  l->n = n;
  for (size_t i = 0; i < n; i++) {
    const unsigned char *w = (const unsigned char *)words[i];
    size_t len = strlen(words[i]);
    if (!len) return -1;
    l->len[i] = len;
    int fold = len > fold_over;
    if (fold) l->fold |= bit(i);
    if (is_alnum(w[0]) && w[0] < 0x80) l->bounded |= bit(i);
    if (is_alnum(w[len - 1])) l->ends_word |= bit(i);
    l->starts[w[0]] |= bit(i);
    if (fold && is_ascii_letter(w[0])) l->starts[w[0] ^ 0x20] |= bit(i);
    if (len == 1) {
      for (int c = 0; c < 256; c++) l->seconds[c] |= bit(i);
    } else {
      l->seconds[w[1]] |= bit(i);
      if (fold && is_ascii_letter(w[1])) l->seconds[w[1] ^ 0x20] |= bit(i);
    }
  }
  return 0;
}

/* Whether words[i] is written at p (which starts a word of the text if words[i] must). */
static int word_at(const bw_wordlist *l, size_t i, const char *p) {
  const unsigned char *w = (const unsigned char *)l->words[i], *s = (const unsigned char *)p;
  size_t n = l->len[i];
  if (l->fold & bit(i)) {
    for (size_t k = 0; k < n; k++)
      if (lower(s[k]) != lower(w[k])) return 0; /* the text's NUL matches no byte of a word */
  } else {
    for (size_t k = 0; k < n; k++)
      if (s[k] != w[k]) return 0;
  }
  return !(l->bounded & l->ends_word & bit(i)) || !is_alnum(s[n]);
}

/* The words found in text; with first_only, stops at the first. */
static uint64_t scan(const bw_wordlist *l, const char *text, int first_only) {
  uint64_t found = 0, unbounded = ~l->bounded;
  int word_start = 1; /* the previous byte ends a word (or there is none) */
  for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
    uint64_t m = l->starts[*p] & ~found & (word_start ? ~(uint64_t)0 : unbounded);
    word_start = !is_alnum(*p);
    if (m) m &= l->seconds[p[1]]; /* p[1] is the NUL at the end at the latest */
    for (; m; m &= m - 1) {
      size_t i = bw_wordlist_first(m);
      if (!word_at(l, i, (const char *)p)) continue;
      found |= bit(i);
      if (first_only) return found;
    }
  }
  return found;
}

uint64_t bw_wordlist_in(const bw_wordlist *l, const char *text) {
  return scan(l, text, 0);
}

int bw_wordlist_any(const bw_wordlist *l, const char *text) {
  return scan(l, text, 1) != 0;
}

const char *bw_wordlist_find(const bw_wordlist *l, size_t i, const char *text) {
  int word_start = 1;
  for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
    int here = (l->starts[*p] & bit(i)) && (word_start || !(l->bounded & bit(i)));
    word_start = !is_alnum(*p);
    if (here && word_at(l, i, (const char *)p)) return (const char *)p;
  }
  return NULL;
}

size_t bw_wordlist_first(uint64_t words) {
  return (size_t)__builtin_ctzll(words);
}
