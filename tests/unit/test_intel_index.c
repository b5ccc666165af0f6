/*
 * test_intel_index.c - the compiled index: a file written, memory-mapped and
 * searched (domains with their parents, URLs, IPv4/IPv6 addresses and
 * networks, e-mail, hashes), duplicates dropped, warninglists, and corrupt
 * files rejected with a clear error (bad magic, version, sizes, checksums)
 * or, for damage that loading does not read, caught by bw_intel_verify and
 * survived by lookups.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "intel/index_format.h"
#include "intel/intel.h"

static char path[256];

static int count_hit(const bw_intel_hit *h, void *ctx) {
  (void)h;
  (*(int *)ctx)++;
  return 0;
}

static const char *FEED = "evil.test\n"
                          "evil.test\n" /* an exact duplicate */
                          "https://phish.test/login?x=1\n"
                          "192.0.2.1\n"
                          "198.18.0.0/15\n"
                          "2001:db8:abcd::/48\n"
                          "spy@mail.test\n"
                          "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c\n"
                          "google.com\n";

static int write_index(void **state) {
  (void)state;
  snprintf(path, sizeof(path), "/tmp/test_intel_index.%ld.bwi", (long)getpid());
  bw_intel_builder *b = bw_intel_builder_new();
  bw_intel_report rep;
  bw_intel_report_init(&rep);
  bw_error err = {0};
  if (bw_intel_builder_load_buffer(b, "feed.txt", FEED, strlen(FEED), &rep, &err) != BW_OK)
    return -1;
  int rc = bw_intel_builder_write(b, path, &err);
  bw_intel_builder_free(b);
  bw_intel_report_free(&rep);
  return rc == BW_OK ? 0 : -1;
}

static int remove_index(void **state) {
  (void)state;
  unlink(path);
  return 0;
}

static bw_intel *open_index(const char *p, bw_error *err) {
  bw_intel *in = NULL;
  const char *paths[] = {p};
  return bw_intel_load(paths, 1, &in, NULL, err) == BW_OK ? in : NULL;
}

static int lookups(const bw_intel *in, const char *kind, const char *v) {
  int n = 0;
  if (strcmp(kind, "domain") == 0)
    bw_intel_lookup_domain(in, v, count_hit, &n);
  else if (strcmp(kind, "url") == 0)
    bw_intel_lookup_url(in, v, count_hit, &n);
  else if (strcmp(kind, "ip") == 0)
    bw_intel_lookup_ip(in, v, count_hit, &n);
  else if (strcmp(kind, "email") == 0)
    bw_intel_lookup_email(in, v, count_hit, &n);
  else
    bw_intel_lookup_hash(in, v, count_hit, &n);
  return n;
}

static void test_round_trip(void **state) {
  (void)state;
  assert_int_equal(bw_intel_is_index_file(path), 1);
  bw_error err = {0};
  bw_intel *in = open_index(path, &err);
  assert_non_null(in);
  assert_int_equal(bw_intel_count(in, 0), 8);
  assert_int_equal(bw_intel_count(in, BW_IOC_DOMAIN), 2);
  assert_int_equal(bw_intel_verify(in, &err), BW_OK);
  assert_int_equal(lookups(in, "domain", "EVIL.test."), 1);
  assert_int_equal(lookups(in, "domain", "a.b.evil.test"), 1);
  assert_int_equal(lookups(in, "domain", "notevil.test"), 0);
  assert_int_equal(lookups(in, "domain", "test"), 0);
  assert_int_equal(lookups(in, "url", "https://phish.test/login?x=1"), 1);
  assert_int_equal(lookups(in, "url", "http://phish.test/login?x=1#frag"), 1);
  assert_int_equal(lookups(in, "url", "https://phish.test/login?x=2"), 0);
  assert_int_equal(lookups(in, "ip", "192.0.2.1"), 1);
  assert_int_equal(lookups(in, "ip", "192.0.2.2"), 0);
  assert_int_equal(lookups(in, "ip", "198.19.255.255"), 1);
  assert_int_equal(lookups(in, "ip", "198.20.0.0"), 0);
  assert_int_equal(lookups(in, "ip", "2001:db8:abcd:12::5"), 1);
  assert_int_equal(lookups(in, "ip", "2001:db8:abce::5"), 0);
  assert_int_equal(lookups(in, "email", "Spy@MAIL.test"), 1);
  assert_int_equal(
      lookups(in, "hash", "EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C"), 1);
  bw_intel_free(in);
}

static void test_warninglists(void **state) {
  (void)state;
  bw_error err = {0};
  bw_intel *in = open_index(path, &err);
  assert_non_null(in);
  assert_string_equal(bw_intel_warninglist_of(in, "google.com"), "known-good-providers");
  assert_string_equal(bw_intel_warninglist_of(in, "www.google.com"), "known-good-providers");
  assert_null(bw_intel_warninglist_of(in, "evil.google.com"));
  assert_null(bw_intel_warninglist_of(in, "news.test"));
  assert_int_equal(bw_intel_add_warning_domain(in, "News.Test.", "identity-registry"), BW_OK);
  assert_string_equal(bw_intel_warninglist_of(in, "news.test"), "identity-registry");
  assert_int_equal(bw_intel_add_warning_domain(in, "not a domain", "x"), BW_EINVAL);
  bw_intel_free(in);
}

/* Copies the index with `mutate` applied and returns the copy's path. */
static const char *corrupt_copy(void (*mutate)(unsigned char *, size_t *)) {
  static char copy[300];
  snprintf(copy, sizeof(copy), "%s.bad", path);
  FILE *f = fopen(path, "rb");
  static unsigned char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof(buf), f);
  fclose(f);
  mutate(buf, &n);
  f = fopen(copy, "wb");
  fwrite(buf, 1, n, f);
  fclose(f);
  return copy;
}

static void bad_magic(unsigned char *b, size_t *n) {
  (void)n;
  b[1] ^= 0xff;
}
static void bad_version(unsigned char *b, size_t *n) {
  (void)n;
  b[8] = 99;
}
static void truncated(unsigned char *b, size_t *n) {
  (void)b;
  *n -= 10;
}
static void bad_offset(unsigned char *b, size_t *n) {
  (void)n;
  bw_intel_header h;
  memcpy(&h, b, sizeof(h));
  h.keys_len = 1ull << 40;
  memcpy(b, &h, sizeof(h));
}
static void bad_meta(unsigned char *b, size_t *n) {
  b[*n - 2] ^= 0x55; /* inside the strings section */
}
static void bad_slots(unsigned char *b, size_t *n) {
  (void)n;
  bw_intel_header h;
  memcpy(&h, b, sizeof(h));
  memset(b + h.slots_off, 0xee, h.n_slots * 4); /* every slot points far outside */
}

static void expect_rejected(void (*mutate)(unsigned char *, size_t *), const char *message) {
  bw_error err = {0};
  bw_intel *in = open_index(corrupt_copy(mutate), &err);
  assert_null(in);
  assert_int_equal(err.code, BW_EFORMAT);
  if (!strstr(err.message, message)) fail_msg("error '%s' lacks '%s'", err.message, message);
}

static void test_corrupt_rejected(void **state) {
  (void)state;
  expect_rejected(bad_version, "version");
  expect_rejected(truncated, "size");
  expect_rejected(bad_offset, "outside");
  expect_rejected(bad_meta, "checksum");
  /* a bad magic is not an index at all: loading treats it as a feed */
  assert_int_equal(bw_intel_is_index_file(corrupt_copy(bad_magic)), 0);
}

static void test_corrupt_body_survived(void **state) {
  (void)state;
  bw_error err = {0};
  bw_intel *in = open_index(corrupt_copy(bad_slots), &err);
  assert_non_null(in); /* loading does not read the slots */
  assert_int_equal(lookups(in, "domain", "evil.test"), 0);
  assert_int_equal(lookups(in, "ip", "192.0.2.1"), 0);
  assert_int_equal(bw_intel_verify(in, &err), BW_EFORMAT);
  assert_non_null(strstr(err.message, "checksum"));
  bw_intel_free(in);
}

static void test_memory_round_trip(void **state) {
  (void)state;
  bw_intel_builder *b = bw_intel_builder_new();
  bw_error err = {0};
  unsigned char *buf;
  size_t len;
  assert_int_equal(bw_intel_builder_serialize(b, &buf, &len, &err), BW_OK); /* empty */
  bw_intel_builder_free(b);
  bw_intel *in;
  assert_int_equal(bw_intel_from_buffer(buf, len, &in, &err), BW_OK);
  assert_int_equal(bw_intel_count(in, 0), 0);
  assert_int_equal(lookups(in, "domain", "evil.test"), 0);
  bw_intel_free(in);
  unsigned char *junk = calloc(1, 10);
  assert_int_equal(bw_intel_from_buffer(junk, 10, &in, &err), BW_EFORMAT);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip), cmocka_unit_test(test_warninglists),
      cmocka_unit_test(test_corrupt_rejected), cmocka_unit_test(test_corrupt_body_survived),
      cmocka_unit_test(test_memory_round_trip)};
  return cmocka_run_group_tests(tests, write_index, remove_index);
}
