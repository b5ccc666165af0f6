/*
 * test_wordlist.c - unit tests for the one-pass word-list search that the
 * claim reader uses for titles, hedges and the words of sentences: word
 * boundaries (ASCII letters and digits, UTF-8 bytes counting as letters),
 * words that need not sit on them, ASCII case folding by length, words that
 * overlap or begin one another, the first occurrence, and a comparison with
 * the plain search, one word at a time, over many generated texts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* needs the headers above */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/wordlist.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t bit(size_t i) {
  return (uint64_t)1 << i;
}

static const char *const TITLES[] = {"Senator",
                                     "Sen.",
                                     "MP",
                                     "MEP",
                                     "Member of Parliament",
                                     "Member of the European Parliament",
                                     "Hon.",
                                     "Rt Hon",
                                     "Député",
                                     "Депутат",
                                     "議員"};

static bw_wordlist titles(void) {
  bw_wordlist l;
  assert_int_equal(bw_wordlist_init(&l, TITLES, COUNT(TITLES), 4), 0);
  return l;
}

static void test_boundaries(void **state) {
  (void)state;
  bw_wordlist l = titles();
  assert_int_equal(bw_wordlist_in(&l, "Jo Bloggs MP"), bit(2));
  assert_int_equal(bw_wordlist_in(&l, "MP for Hull"), bit(2));
  assert_int_equal(bw_wordlist_in(&l, "(MP)"), bit(2));
  assert_int_equal(bw_wordlist_in(&l, "MP3 player"), 0); /* ends inside a word */
  assert_int_equal(bw_wordlist_in(&l, "AMP stack"), 0);  /* starts inside a word */
  assert_int_equal(bw_wordlist_in(&l, "the MPs"), 0);    /* a plural is another word */
  assert_int_equal(bw_wordlist_in(&l, "\xc3\xa9MP"), 0); /* UTF-8 bytes are letters */
  assert_int_equal(bw_wordlist_in(&l, "MP\xc3\xa9"), 0);
  assert_int_equal(bw_wordlist_in(&l, "Sen.Kolstad"), bit(1)); /* ends with a dot: no end */
  assert_int_equal(bw_wordlist_in(&l, "ASen. Kolstad"), 0);
  assert_int_equal(bw_wordlist_in(&l, ""), 0);
}

static void test_unbounded_words(void **state) {
  (void)state;
  bw_wordlist l = titles();
  /* Words that do not start with an ASCII letter match anywhere, even inside a word. */
  assert_int_equal(bw_wordlist_in(&l, "王議員"), bit(10));
  assert_int_equal(bw_wordlist_in(&l, "xДепутатx"), bit(9));
  static const char *const MARKS[] = {"(c)", "ex-"};
  bw_wordlist m;
  assert_int_equal(bw_wordlist_init(&m, MARKS, COUNT(MARKS), 0), 0);
  assert_int_equal(bw_wordlist_in(&m, "x(C)2002"), bit(0));
  assert_int_equal(bw_wordlist_in(&m, "Ex-editor"), bit(1));
  assert_int_equal(bw_wordlist_in(&m, "index-editor"), 0); /* "ex-" must start a word */
}

static void test_case(void **state) {
  (void)state;
  bw_wordlist l = titles();
  /* Longer than four bytes: any case. Four or fewer: exactly as written. */
  assert_int_equal(bw_wordlist_in(&l, "SENATOR Kolstad"), bit(0));
  assert_int_equal(bw_wordlist_in(&l, "senator kolstad"), bit(0));
  assert_int_equal(bw_wordlist_in(&l, "mp for hull"), 0);
  assert_int_equal(bw_wordlist_in(&l, "sen. kolstad"), 0);
  assert_int_equal(bw_wordlist_in(&l, "member of parliament"), bit(4));
  /* Only ASCII letters fold: "DÉPUTÉ" is not "Député". */
  assert_int_equal(bw_wordlist_in(&l, "d\xc3\xa9put\xc3\xa9"), bit(8));
  assert_int_equal(bw_wordlist_in(&l, "D\xc3\x89PUT\xc3\x89"), 0);
}

static void test_overlapping_words(void **state) {
  (void)state;
  bw_wordlist l = titles();
  /* "Member of Parliament" is not in the European one, whose words overlap it. */
  assert_int_equal(bw_wordlist_in(&l, "Member of the European Parliament"), bit(5));
  /* Every word found, wherever it is: several at the same place, several in a row. */
  assert_int_equal(bw_wordlist_in(&l, "Rt Hon. MEP, MP"), bit(2) | bit(3) | bit(6) | bit(7));
  assert_int_equal(bw_wordlist_in(&l, "SenatorSen."), 0);
  assert_int_equal(bw_wordlist_in(&l, "Sen. Senator"), bit(0) | bit(1));
  static const char *const READ[] = {"read", "reader", "re", "ad"};
  bw_wordlist r;
  assert_int_equal(bw_wordlist_init(&r, READ, COUNT(READ), 0), 0);
  assert_int_equal(bw_wordlist_in(&r, "a reader"), bit(1));
  assert_int_equal(bw_wordlist_in(&r, "read it"), bit(0));
  assert_int_equal(bw_wordlist_in(&r, "re: ad"), bit(2) | bit(3));
  assert_int_equal(bw_wordlist_in(&r, "rea"), 0); /* the text ends inside a word */
  assert_true(bw_wordlist_any(&r, "please read"));
  assert_false(bw_wordlist_any(&r, "bread"));
}

static void test_find_first(void **state) {
  (void)state;
  bw_wordlist l = titles();
  const char *text = "MPs and AMP and MP and MP";
  assert_ptr_equal(bw_wordlist_find(&l, 2, text), text + 16);
  assert_null(bw_wordlist_find(&l, 0, text));
  const char *tail = "X Member of the European Parliament";
  assert_ptr_equal(bw_wordlist_find(&l, 5, tail), tail + 2);
  assert_null(bw_wordlist_find(&l, 4, tail));
  assert_int_equal(bw_wordlist_first(bit(0)), 0);
  assert_int_equal(bw_wordlist_first(bit(5) | bit(9)), 5);
  assert_int_equal(bw_wordlist_first(bit(63)), 63);
}

static void test_limits(void **state) {
  (void)state;
  static const char *const EMPTY[] = {"a", ""};
  bw_wordlist l;
  assert_int_equal(bw_wordlist_init(&l, EMPTY, COUNT(EMPTY), 0), -1);
  const char *many[BW_WORDLIST_MAX + 1];
  char buf[BW_WORDLIST_MAX + 1][8];
  for (size_t i = 0; i < COUNT(many); i++) {
    snprintf(buf[i], sizeof(buf[i]), "w%zu", i);
    many[i] = buf[i];
  }
  assert_int_equal(bw_wordlist_init(&l, many, BW_WORDLIST_MAX + 1, 0), -1);
  assert_int_equal(bw_wordlist_init(&l, many, BW_WORDLIST_MAX, 0), 0);
  assert_int_equal(bw_wordlist_in(&l, "w63 w0 w630"), bit(63) | bit(0));
}

/* ---- against the plain search ----------------------------------------------------------- */

static int is_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int lower(int c) {
  return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* One word, every position, as the claim reader searched before word lists. */
static const char *plain_find(const char *text, const char *w, int fold) {
  size_t n = strlen(w);
  int edges = is_alnum((unsigned char)w[0]) && (unsigned char)w[0] < 0x80;
  for (const char *p = text; *p; p++) {
    size_t i = 0;
    while (i < n && p[i] &&
           (fold ? lower((unsigned char)p[i]) == lower((unsigned char)w[i]) : p[i] == w[i]))
      i++;
    if (i < n) continue;
    if (!edges) return p;
    int before = p == text || !is_alnum((unsigned char)p[-1]);
    int after = !is_alnum((unsigned char)w[n - 1]) || !is_alnum((unsigned char)p[n]);
    if (before && after) return p;
  }
  return NULL;
}

static void test_same_as_plain_search(void **state) {
  (void)state;
  static const char *const WORDS[] = {
      "Senator",     "Sen.", "MP",     "ex-",  "(c)",    "by",        "read",    "reader",
      "writing for", "議員", "Député", "Hon.", "Rt Hon", "Office of", "of",      "Депутат",
      "said",        "sa",   "MEP",    "re",   "x",      "-",         "\xc3\xa9"};
  static const char *const PIECES[] = {"Senator",
                                       "SENATOR",
                                       "sen.",
                                       "Sen.",
                                       "MP",
                                       "mp",
                                       "MPs",
                                       "ex-",
                                       "Ex-",
                                       "(c)",
                                       "(C)",
                                       "by",
                                       "BY",
                                       "read",
                                       "Reader",
                                       "writing for",
                                       "writing  for",
                                       "議員",
                                       "Député",
                                       "DÉPUTÉ",
                                       "Hon.",
                                       "Rt Hon",
                                       "rt hon",
                                       "Office of",
                                       "of",
                                       "Депутат",
                                       "said",
                                       "sa",
                                       "MEP",
                                       " ",
                                       " ",
                                       ",",
                                       ".",
                                       "-",
                                       "x",
                                       "3",
                                       "é",
                                       "\t",
                                       "re"};
  bw_wordlist l;
  assert_int_equal(bw_wordlist_init(&l, WORDS, COUNT(WORDS), 4), 0);
  srand(7);
  char text[256];
  for (int round = 0; round < 20000; round++) {
    size_t n = 0, pieces = (size_t)(rand() % 12);
    for (size_t k = 0; k < pieces; k++) {
      const char *piece = PIECES[rand() % (int)COUNT(PIECES)];
      size_t len = strlen(piece);
      if (n + len >= sizeof(text)) break;
      memcpy(text + n, piece, len);
      n += len;
    }
    text[n] = '\0';
    uint64_t expect = 0;
    for (size_t i = 0; i < COUNT(WORDS); i++) {
      const char *at = plain_find(text, WORDS[i], strlen(WORDS[i]) > 4);
      if (at) expect |= bit(i);
      if (bw_wordlist_find(&l, i, text) != at) fail_msg("\"%s\" in \"%s\"", WORDS[i], text);
    }
    if (bw_wordlist_in(&l, text) != expect) fail_msg("words of \"%s\"", text);
    assert_int_equal(bw_wordlist_any(&l, text), expect != 0);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_boundaries),
      cmocka_unit_test(test_unbounded_words),
      cmocka_unit_test(test_case),
      cmocka_unit_test(test_overlapping_words),
      cmocka_unit_test(test_find_first),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_same_as_plain_search),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
