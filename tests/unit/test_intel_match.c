/*
 * test_intel_match.c - threat intel inside a scan, through the public API:
 * every observable (From, Reply-To, Return-Path, Received IPs, links and
 * resources by URL and host, attachment hashes, the subject) is matched,
 * attributed hits name the actor with all its aliases, AND-patterns need
 * all their terms, and warninglisted domains are suppressed visibly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "beaconwatch.h"

static char list_path[256], stix_path[256];
static bw_engine *engine;

static const char *LIST = "# Aliases: zirconium\n"
                          "sender.test\n"
                          "replies@other.test\n"
                          "bounce.test\n"
                          "203.0.113.7\n"
                          "pixel.track.test\n"
                          "https://click.test/r?id=5\n"
                          "2001:db8::/32\n"
                          "microsoft.com\n"
                          "bbc.co.uk\n";

static const char *STIX =
    "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[{\"type\":\"indicator\",\"id\":"
    "\"indicator--9\",\"pattern_type\":\"stix\",\"pattern\":\"[email-message:subject = 'Quarterly "
    "Review' AND file:hashes.MD5 = '5d41402abc4b2a76b9719d911017c592']\"}]}";

static void write_file(char *path, const char *name, const char *text) {
  snprintf(path, 256, "/tmp/test_intel_match.%ld.%s", (long)getpid(), name);
  FILE *f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
}

static int setup(void **state) {
  (void)state;
  write_file(list_path, "apt_list.txt", LIST);
  write_file(stix_path, "bundle.json", STIX);
  bw_config cfg = {0};
  bw_config_init(&cfg);
  const char *paths[] = {list_path, stix_path};
  cfg.intel_paths = paths;
  cfg.n_intel_paths = 2;
  bw_error err = {0};
  int rc = bw_engine_new(&cfg, &engine, &err);
  if (rc != BW_OK) fprintf(stderr, "engine: %s\n", err.message);
  return rc == BW_OK ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  bw_engine_free(engine);
  unlink(list_path);
  unlink(stix_path);
  return 0;
}

static bw_result *scan(const char *msg) {
  bw_result *r;
  bw_error err;
  assert_int_equal(bw_scan(engine, msg, strlen(msg), NULL, &r, &err), BW_OK);
  return r;
}

static const char *evidence(const bw_finding *f, const char *key) {
  for (size_t i = 0; i < f->n_evidence; i++)
    if (strcmp(f->evidence[i].key, key) == 0) return f->evidence[i].value;
  return NULL;
}

/* The number of findings of kind whose evidence `key` equals value (any when key is NULL). */
static int count(const bw_result *r, const char *kind, const char *key, const char *value) {
  size_t n;
  const bw_finding *const *f = bw_result_findings(r, &n);
  int c = 0;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(f[i]->kind, kind) != 0) continue;
    if (!key || (evidence(f[i], key) && strcmp(evidence(f[i], key), value) == 0)) c++;
  }
  return c;
}

static const char *MSG =
    "Received: from relay (relay.test [203.0.113.7])\r\n\tby mx.test; Tue, 1 Oct 2024 10:00:00 "
    "+0000\r\n"
    "Received: from inner ([IPv6:2001:db8:5::1]) by relay; Tue, 1 Oct 2024 09:59:00 +0000\r\n"
    "Return-Path: <x@bounce.test>\r\n"
    "From: Editor <editor@mail.sender.test>\r\n"
    "Reply-To: replies@other.test\r\n"
    "To: mp@parliament.test\r\n"
    "Subject: News\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/html; charset=utf-8\r\n\r\n"
    "<p>Hi <img src=\"http://a.pixel.track.test/o.gif\" width=1 height=1>"
    "<a href=\"https://click.test/r?id=5#top\">read</a>"
    "<a href=\"https://www.microsoft.com/\">ms</a></p>\r\n";

static void test_every_observable(void **state) {
  (void)state;
  bw_result *r = scan(MSG);
  assert_int_equal(count(r, "intel_match", "indicator", "sender.test"), 1);
  assert_int_equal(count(r, "intel_match", "indicator", "replies@other.test"), 1);
  assert_int_equal(count(r, "intel_match", "indicator", "bounce.test"), 1);
  assert_int_equal(count(r, "intel_match", "indicator", "203.0.113.7"), 1);
  assert_int_equal(count(r, "intel_match", "indicator", "2001:db8::/32"), 1);
  assert_int_equal(count(r, "intel_match", "indicator", "pixel.track.test"), 1);
  assert_int_equal(count(r, "intel_match", "indicator", "//click.test/r?id=5"), 1);
  assert_int_equal(count(r, "intel_match", "matched", "Return-Path"), 1);
  assert_int_equal(count(r, "intel_suppressed", "warninglist", "known-good-providers"), 1);
  assert_int_equal(count(r, "intel_match", "indicator", "microsoft.com"), 0);
  /* one attribution, however many hits */
  assert_int_equal(count(r, "intel_attribution", NULL, NULL), 1);
  assert_int_equal(count(r, "intel_attribution", "attack_id", "G0128"), 1);
  size_t n;
  const bw_finding *const *f = bw_result_findings(r, &n);
  for (size_t i = 0; i < n; i++) {
    if (strcmp(f[i]->kind, "intel_attribution") != 0) continue;
    assert_string_equal(evidence(f[i], "actor"), "APT31");
    const char *aliases = evidence(f[i], "aliases");
    const char *want[] = {"ZIRCONIUM", "Violet Typhoon", "JUDGMENT PANDA", "BRONZE VINEWOOD",
                          "TA412"};
    for (size_t k = 0; k < 5; k++)
      if (!strstr(aliases, want[k])) fail_msg("aliases '%s' lack %s", aliases, want[k]);
    assert_int_equal(f[i]->severity, BW_SEVERITY_HIGH);
  }
  bw_result_free(r);
}

static const char *ATTACHED =
    "From: a@b.example\r\nTo: c@d.example\r\nSubject: %s\r\nMIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: "
    "text/plain\r\n\r\nhi\r\n"
    "--XX\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; "
    "filename=a.bin\r\n\r\nhello\r\n--XX--\r\n";

static void test_and_pattern_needs_all_terms(void **state) {
  (void)state;
  char msg[1024];
  snprintf(msg, sizeof(msg), ATTACHED, "quarterly   REVIEW");
  bw_result *r = scan(msg); /* md5("hello") and the subject: both terms */
  assert_int_equal(count(r, "intel_match", "feed", strrchr(stix_path, '/') + 1), 1);
  assert_int_equal(count(r, "intel_attribution", NULL, NULL), 0);
  bw_result_free(r);
  snprintf(msg, sizeof(msg), ATTACHED, "Another subject");
  r = scan(msg);
  assert_int_equal(count(r, "intel_match", NULL, NULL), 0);
  bw_result_free(r);
}

static void test_clean_message_untouched(void **state) {
  (void)state;
  bw_result *r = scan("From: a@b.example\r\nTo: c@d.example\r\nSubject: hi\r\n\r\nhello\r\n");
  assert_int_equal(count(r, "intel_match", NULL, NULL), 0);
  assert_int_equal(count(r, "intel_suppressed", NULL, NULL), 0);
  bw_result_free(r);
}

/* The protected identities' own domains are a warninglist of their own. */
static void test_registry_domains_suppressed(void **state) {
  (void)state;
  bw_result *r = scan("From: a@b.example\r\nTo: c@d.example\r\nSubject: hi\r\n"
                      "Content-Type: text/html\r\n\r\n<a href=\"https://bbc.co.uk/news\">news</a>\r\n");
  assert_int_equal(count(r, "intel_match", NULL, NULL), 0);
  assert_int_equal(count(r, "intel_suppressed", "warninglist", "identity-registry"), 1);
  bw_result_free(r);
}

static void test_bad_intel_path_fails_engine(void **state) {
  (void)state;
  bw_config cfg = {0};
  bw_config_init(&cfg);
  const char *paths[] = {"/nonexistent/intel.txt"};
  cfg.intel_paths = paths;
  cfg.n_intel_paths = 1;
  bw_engine *e = NULL;
  bw_error err = {0};
  assert_int_not_equal(bw_engine_new(&cfg, &e, &err), BW_OK);
  assert_null(e);
  assert_non_null(strstr(err.message, "/nonexistent/intel.txt"));
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_every_observable),
                                     cmocka_unit_test(test_and_pattern_needs_all_terms),
                                     cmocka_unit_test(test_clean_message_untouched),
                                     cmocka_unit_test(test_registry_domains_suppressed),
                                     cmocka_unit_test(test_bad_intel_path_fails_engine)};
  return cmocka_run_group_tests(tests, setup, teardown);
}
