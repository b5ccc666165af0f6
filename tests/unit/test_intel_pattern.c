/*
 * test_intel_pattern.c - the STIX 2.1 pattern parser: comparisons, AND/OR
 * expansion, CIDR values, unsupported constructs and malformed patterns,
 * each with the reason a loader reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intel/stix_pattern.h"

static bw_stix_pattern *pat;
static char why[256];

static int parse(const char *s) {
  why[0] = 0;
  return bw_stix_pattern_parse(s, strlen(s), pat, why, sizeof(why));
}

static const char *value(size_t i) {
  return pat->values + pat->cmps[i].value_off;
}

static void test_single_comparison(void **state) {
  (void)state;
  assert_int_equal(parse("[domain-name:value = 'evil.example']"), 0);
  assert_int_equal(pat->n_cmps, 1);
  assert_int_equal(pat->n_alts, 1);
  assert_string_equal(pat->cmps[0].path, "domain-name:value");
  assert_string_equal(pat->cmps[0].op, "=");
  assert_string_equal(value(0), "evil.example");
  assert_true(pat->cmps[0].is_string);
}

static void test_or_gives_alternatives(void **state) {
  (void)state;
  assert_int_equal(parse("[domain-name:value = 'a.test' OR ipv4-addr:value = '10.0.0.0/8']"), 0);
  assert_int_equal(pat->n_alts, 2);
  assert_string_equal(value(1), "10.0.0.0/8");
  assert_int_equal(parse("[url:value = 'http://x.test/'] OR [email-addr:value = 'a@b.test']"), 0);
  assert_int_equal(pat->n_alts, 2);
}

static void test_and_distributes(void **state) {
  (void)state;
  assert_int_equal(parse("[(domain-name:value = 'a.test' OR domain-name:value = 'b.test') AND "
                         "email-message:subject = 'Hi']"),
                   0);
  assert_int_equal(pat->n_cmps, 3);
  assert_int_equal(pat->n_alts, 2);
  assert_int_equal(pat->alts[0].n, 2);
  assert_int_equal(pat->alts[1].n, 2);
  assert_int_equal(pat->alts[0].terms[1], 2); /* the subject term is in both */
  assert_int_equal(pat->alts[1].terms[1], 2);
}

static void test_quoted_hash_path_and_escapes(void **state) {
  (void)state;
  assert_int_equal(parse("[file:hashes.'SHA-256' = 'ab' AND file:name = 'it\\'s']"), 0);
  assert_string_equal(pat->cmps[0].path, "file:hashes.'SHA-256'");
  assert_string_equal(value(1), "it's");
}

static void test_other_operators_parse(void **state) {
  (void)state;
  assert_int_equal(parse("[email-message:subject MATCHES '^x' OR ipv4-addr:value ISSUBSET "
                         "'198.51.100.0/24' OR file:size NOT > 10 OR x:y IN ('a', 'b') OR "
                         "EXISTS x:z]"),
                   0);
  assert_string_equal(pat->cmps[0].op, "MATCHES");
  assert_string_equal(pat->cmps[1].op, "ISSUBSET");
  assert_true(pat->cmps[2].negated);
  assert_false(pat->cmps[2].is_string);
  assert_string_equal(pat->cmps[3].op, "IN");
  assert_string_equal(pat->cmps[4].op, "EXISTS");
}

static void test_qualifiers_rejected(void **state) {
  (void)state;
  assert_int_equal(parse("[ipv4-addr:value = '1.2.3.4'] REPEATS 5 TIMES"), -1);
  assert_non_null(strstr(why, "REPEATS"));
  assert_int_equal(parse("[a:b = 'x'] FOLLOWEDBY [c:d = 'y']"), -1);
  assert_non_null(strstr(why, "FOLLOWEDBY"));
}

static void test_malformed(void **state) {
  (void)state;
  const char *bad[] = {"",
                       "domain-name:value = 'x'",
                       "[domain-name:value = 'x'",
                       "[domain-name:value = 'x]",
                       "[domain-name:value 'x']",
                       "[value = 'x']",
                       "[domain-name:value = 'x'] junk",
                       "[a:b = 'x' AND]",
                       "[a:b = 'bad \\q escape']"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    assert_int_equal(parse(bad[i]), -1);
    assert_true(strlen(why) > 0);
  }
}

static void test_limits(void **state) {
  (void)state;
  char deep[200] = "";
  for (int i = 0; i < 40; i++) strcat(deep, "(");
  assert_int_equal(parse(deep), -1);
  char *many = malloc(20000);
  strcpy(many, "[");
  for (int i = 0; i < 300; i++) strcat(many, i ? " OR a:b = 'x'" : "a:b = 'x'");
  strcat(many, "]");
  assert_int_equal(parse(many), -1);
  assert_true(strstr(why, "comparisons") || strstr(why, "alternatives"));
  /* 8 x 8 alternatives after expansion exceed... 64 is the limit; 9 x 9 is over */
  strcpy(many, "[(a:b='1' OR a:b='2' OR a:b='3' OR a:b='4' OR a:b='5' OR a:b='6' OR a:b='7' OR "
               "a:b='8' OR a:b='9') AND (c:d='1' OR c:d='2' OR c:d='3' OR c:d='4' OR c:d='5' OR "
               "c:d='6' OR c:d='7' OR c:d='8' OR c:d='9')]");
  assert_int_equal(parse(many), -1);
  assert_non_null(strstr(why, "alternatives"));
  free(many);
}

int main(void) {
  pat = malloc(sizeof(*pat));
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_single_comparison),
                                     cmocka_unit_test(test_or_gives_alternatives),
                                     cmocka_unit_test(test_and_distributes),
                                     cmocka_unit_test(test_quoted_hash_path_and_escapes),
                                     cmocka_unit_test(test_other_operators_parse),
                                     cmocka_unit_test(test_qualifiers_rejected),
                                     cmocka_unit_test(test_malformed),
                                     cmocka_unit_test(test_limits)};
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  free(pat);
  return rc;
}
