/*
 * test_links.c - deceptive links: text that shows one site on a link that
 * opens another, and the click tracking that must not count as deception.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine_fixture.h"

/* Scans an HTML message from `from` with one link and returns how many deceptive_link findings it has. */
static size_t deceptive(const char *from, const char *text, const char *href, bw_verdict *verdict) {
  char msg[4096];
  snprintf(msg, sizeof(msg),
           "From: %s\nTo: alice@parliament-a.example\nSubject: s\nContent-Type: text/html\n\n"
           "<p><a href=\"%s\">%s</a></p>\n",
           from, href, text);
  bw_result *r;
  bw_error err;
  assert_int_equal(bw_scan(engine, msg, strlen(msg), NULL, &r, &err), BW_OK);
  size_t n, count = 0;
  const bw_finding *const *f = bw_result_findings(r, &n);
  for (size_t i = 0; i < n; i++) count += strcmp(f[i]->kind, "deceptive_link") == 0;
  if (verdict) *verdict = bw_result_verdict(r);
  bw_result_free(r);
  return count;
}

static void test_text_shows_another_site(void **state) {
  (void)state;
  bw_verdict v;
  assert_int_equal(deceptive("Min <min@outlook.com>", "https://www.rfa.org/english/",
                             "https://rfa-org.news-mirror.test/english/", &v),
                   1);
  assert_int_equal(v, BW_VERDICT_SUSPICIOUS);
  assert_int_equal(deceptive("a@b.example", "www.bbc.co.uk", "http://198.51.100.7/login", NULL), 1);
  assert_int_equal(deceptive("a@b.example", "paypal.com/signin", "https://secure-login.test/", NULL), 1);
}

static void test_matching_or_plain_text_is_fine(void **state) {
  (void)state;
  assert_int_equal(deceptive("a@b.example", "https://www.rfa.org/", "https://rfa.org/english/", NULL), 0);
  assert_int_equal(deceptive("a@b.example", "Read the full story", "https://other.test/x", NULL), 0);
  assert_int_equal(deceptive("a@b.example", "version 2.0", "https://other.test/x", NULL), 0);
}

static void test_click_tracking_is_not_deception(void **state) {
  (void)state;
  /* the sender's own click tracker */
  assert_int_equal(deceptive("News <n@news.unitedmedia.example>", "Dilbert.com",
                             "http://ummail4.unitedmedia.example/Click?q=02-qit9IljN", NULL),
                   0);
  /* a redirector carrying the shown site as its destination, in the query or the path */
  assert_int_equal(deceptive("a@b.example", "www.tesco.ie",
                             "http://click.esp.test/c/1?u=https%3A%2F%2Fwww.tesco.ie%2Foffers", NULL),
                   0);
  assert_int_equal(deceptive("a@b.example", "www.tesco.ie",
                             "http://track.esp.test/mm/Click/233/*http://www.tesco.ie/", NULL),
                   0);
  /* a known click-tracking service (SendGrid) */
  assert_int_equal(deceptive("a@b.example", "www.nytimes.com",
                             "https://u52826.ct.sendgrid.net/ls/click?upn=2ARlzCHPskwksbJsmb8fOMQ", NULL),
                   0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_text_shows_another_site),
      cmocka_unit_test(test_matching_or_plain_text_is_fine),
      cmocka_unit_test(test_click_tracking_is_not_deception),
  };
  return cmocka_run_group_tests_name("links", tests, setup_engine, teardown_engine);
}
