/*
 * wordlist.h - which words of a fixed, short list occur in a text, found in
 * one pass over the text.
 *
 * The claim reader asks of every display name and signature line whether it
 * holds a title ("Senator", "Member of Parliament"), a hedge ("former") or a
 * word of a sentence ("published", "click"). Looking for each word in turn
 * reads the text once per word; a word list instead keeps, for every byte, the
 * words that can start with it, so one pass tries at each position only the
 * words that can begin there.
 *
 * A word that starts with an ASCII letter or digit matches only at the start
 * of a word of the text, and, when it also ends with a letter or digit (not
 * "Sen." or "ex-"), only at the end of one: "MP" is not found in "MP3" nor in
 * "AMP". Bytes of UTF-8 sequences count as letters. Other words ("(c)",
 * "議員") match anywhere. A word can ignore ASCII case ("senator") or not
 * ("MP" is not "mp").
 */
#ifndef BW_DETECT_WORDLIST_H
#define BW_DETECT_WORDLIST_H

#include <stddef.h>
#include <stdint.h>

enum { BW_WORDLIST_MAX = 64 }; /* words in one list: one bit each */

typedef struct bw_wordlist {
  const char *const *words; /* not copied: the caller's list must outlive this */
  size_t n;
  size_t len[BW_WORDLIST_MAX];
  uint64_t fold;         /* bit i: words[i] ignores ASCII case */
  uint64_t bounded;      /* bit i: words[i] must start a word of the text */
  uint64_t ends_word;    /* bit i: ...and end one */
  uint64_t starts[256];  /* for each byte, the words that can start with it */
  uint64_t seconds[256]; /* ...and have it second (one-byte words: every byte) */
} bw_wordlist;

/*
 * Prepares l for the n words (n <= BW_WORDLIST_MAX, none empty); a word longer
 * than fold_over bytes ignores ASCII case (0: every word does). Returns 0, or
 * -1 when the list does not fit.
 */
int bw_wordlist_init(bw_wordlist *l, const char *const *words, size_t n, size_t fold_over);

/* The words that occur in text (NUL-terminated): bit i for words[i]. */
uint64_t bw_wordlist_in(const bw_wordlist *l, const char *text);

/* Whether any word occurs in text; stops at the first one found. */
int bw_wordlist_any(const bw_wordlist *l, const char *text);

/* The first occurrence of words[i] in text, or NULL. */
const char *bw_wordlist_find(const bw_wordlist *l, size_t i, const char *text);

/* The index of the lowest bit of a non-zero set of words. */
size_t bw_wordlist_first(uint64_t words);

#endif
