/*
 * test_mime_entity.c - the plain MIME readers (mime/entity.c, address.c, date.c)
 * against GMime.
 *
 * Each case builds the view as a scan does and with GMime alone; the two
 * descriptions must be equal. The cases also pin what entity.c must accept
 * (so that plain mail stays off GMime's slow path) and what it must leave to
 * GMime.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "findings.h"
#include "mime/view.h"

static bw_engine *engine; /* initialises GMime */
static bw_limits limits;

static int setup(void **state) {
  (void)state;
  bw_error err;
  bw_config cfg;
  bw_config_init(&cfg);
  limits = cfg.limits;
  return bw_engine_new(NULL, &engine, &err) == BW_OK ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  bw_engine_free(engine);
  return 0;
}

/* The description of msg's view with one parser; the build status in *rc. */
static void describe(const char *msg, bw_view_parser parser, bw_buf *out, int *rc) {
  bw_arena arena;
  bw_arena_init(&arena);
  bw_findings findings;
  bw_findings_init(&findings, &arena);
  bw_view view;
  *rc = bw_view_build_with(&view, msg, strlen(msg), &limits, &arena, &findings, parser);
  bw_buf_reset(out);
  if (*rc == BW_OK) bw_view_describe(&view, &findings, out);
  bw_arena_free(&arena);
}

/* Asserts that entity.c accepts msg and agrees with GMime; returns the description. */
static void assert_accepted_and_equal(const char *msg, bw_buf *entity) {
  bw_buf gmime;
  bw_buf_init(&gmime);
  int rg, re;
  describe(msg, BW_VIEW_PARSER_GMIME, &gmime, &rg);
  describe(msg, BW_VIEW_PARSER_ENTITY, entity, &re);
  assert_int_equal(rg, BW_OK);
  assert_int_equal(re, BW_OK);
  if (gmime.len != entity->len || memcmp(gmime.data, entity->data, gmime.len) != 0) {
    fprintf(stderr, "gmime:\n%.*s\nentity:\n%.*s\n", (int)gmime.len, gmime.data, (int)entity->len,
            entity->data);
    fail_msg("the views differ");
  }
  bw_buf_free(&gmime);
}

static void assert_declined(const char *msg) {
  bw_buf out;
  bw_buf_init(&out);
  int rc;
  describe(msg, BW_VIEW_PARSER_ENTITY, &out, &rc);
  if (rc != BW_VIEW_DECLINED) fail_msg("accepted: %s", msg);
  describe(msg, BW_VIEW_PARSER_ANY, &out, &rc);
  assert_int_equal(rc, BW_OK);
  bw_buf_free(&out);
}

static void assert_contains(const bw_buf *b, const char *needle) {
  if (!memmem(b->data, b->len, needle, strlen(needle))) fail_msg("missing: %s", needle);
}

static void test_single_part(void **state) {
  (void)state;
  bw_buf b;
  bw_buf_init(&b);
  assert_accepted_and_equal(
      "From: Ann <ann@example.org>\r\nTo: bob@example.net\r\n"
      "Subject: =?utf-8?q?caf=C3=A9?=\r\nDate: Tue, 3 Nov 2026 10:00:00 +0000\r\n"
      "Message-ID: <m1@example.org>\r\n\r\nhello\r\n",
      &b);
  assert_contains(&b, "subject=caf\xc3\xa9\n");
  /* A single part runs to the end of the input: nothing is trimmed. */
  assert_contains(&b, " data=hello\r\n\n");
  bw_buf_free(&b);
}

static void test_multipart_crlf_and_lf(void **state) {
  (void)state;
  bw_buf b;
  bw_buf_init(&b);
  assert_accepted_and_equal(
      "From: a@example.org\r\nContent-Type: multipart/mixed; boundary=\"xx\"\r\n\r\n"
      "prologue\r\n--xx\r\nContent-Type: text/plain\r\n\r\none\r\n--xx\r\n\r\ntwo\r\n"
      "--xx--\r\nepilogue\r\n",
      &b);
  /* The CRLF before each delimiter belongs to the delimiter. */
  assert_contains(&b, " data=one\n");
  assert_contains(&b, " data=two\n");
  assert_accepted_and_equal("From: a@example.org\nContent-Type: multipart/mixed; boundary=xx\n\n"
                            "--xx\nContent-Type: text/plain\n\none\n--xx--\n",
                            &b);
  assert_contains(&b, " data=one\n");
  bw_buf_free(&b);
}

/* GMime trims two bytes when the delimiter line ends in CRLF, whatever the content ended with. */
static void test_mixed_line_endings(void **state) {
  (void)state;
  bw_buf b;
  bw_buf_init(&b);
  assert_accepted_and_equal("From: a@example.org\nContent-Type: multipart/mixed; boundary=xx\n\n"
                            "--xx\nContent-Type: text/plain\n\nabc\n--xx--\r\n",
                            &b);
  assert_contains(&b, " data=ab\n");
  bw_buf_free(&b);
}

static void test_nested_and_forwarded(void **state) {
  (void)state;
  bw_buf b;
  bw_buf_init(&b);
  assert_accepted_and_equal(
      "From: a@example.org\nTo: b@example.org\nContent-Type: multipart/mixed; boundary=ab\n\n"
      "--ab\nContent-Type: multipart/alternative; boundary=abc\n\n"
      "--abc\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: "
      "quoted-printable\n\n"
      "caf=E9 soft=\nbreak\n--abc\nContent-Type: text/html\n\n<p>x</p>\n--abc--\n"
      "--ab\nContent-Type: message/rfc822\n\nFrom: \"Desk\" <desk@news.example>\nSubject: fwd\n"
      "Content-Type: application/pdf; name=\"r.pdf\"\nContent-Transfer-Encoding: "
      "base64\n\nJVBERi0x\n"
      "--ab\nContent-Type: image/png\nContent-Disposition: attachment; "
      "filename*=utf-8''%C3%A9.png\n"
      "Content-ID: <img1@x>\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--ab--\n",
      &b);
  assert_contains(&b, "caf\xc3\xa9 softbreak");
  assert_contains(&b, "part 1.2.1 ");
  assert_contains(&b, " name=Desk\n");
  assert_contains(&b, " filename=\xc3\xa9.png\n");
  assert_contains(&b, " content_id=img1@x\n");
  bw_buf_free(&b);
}

static void test_digest_parts_are_messages(void **state) {
  (void)state;
  bw_buf b;
  bw_buf_init(&b);
  assert_accepted_and_equal("From: list@example.org\nContent-Type: multipart/digest; boundary=d\n\n"
                            "--d\n\nFrom: one@example.org\nSubject: first\n\nbody 1\n"
                            "--d\nContent-Type: text/plain\n\nnot a message\n--d--\n",
                            &b);
  assert_contains(&b, "part 1.1 depth=1 multipart=0 message=1");
  assert_contains(&b, " content_type=message/rfc822\n");
  bw_buf_free(&b);
}

/* Repeats of Content-* headers that decide nothing are reported the same way by both paths. */
static void test_repeated_headers_reported_alike(void **state) {
  (void)state;
  bw_buf b;
  bw_buf_init(&b);
  assert_accepted_and_equal(
      "From: a@example.org\nTo: b@example.org\nTo: c@example.org\n"
      "Subject: one\nSubject: two\nContent-Length: 1\nContent-Length: 2\n\nx\n",
      &b);
  assert_contains(&b, "subject=two\n");
  assert_contains(&b, "conflicting_header");
  assert_contains(&b, " address=c@example.org\n");
  bw_buf_free(&b);
}

static void test_boundary_with_trailing_space(void **state) {
  (void)state;
  bw_buf b;
  bw_buf_init(&b);
  assert_accepted_and_equal(
      "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b \t\n\nx\n--b-- \n", &b);
  assert_contains(&b, " data=x\n");
  bw_buf_free(&b);
}

static void test_declines_what_gmime_must_decide(void **state) {
  (void)state;
  /* Two Content-Types: GMime takes one for the structure and the other for the object. */
  assert_declined("Content-Type: text/plain\nContent-Type: text/html\n\nx\n");
  /* A multipart that is never closed. */
  assert_declined("Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n");
  /* An mbox From line before the headers. */
  assert_declined("From someone Tue Nov  3 10:00:00 2026\nSubject: x\n\nbody\n");
  /* A line that is not a header, and a header block with no blank line. */
  assert_declined("Subject: x\nnot a header\n\nbody\n");
  assert_declined("Subject: x\n");
  /* Comments, escapes and RFC 2231 continuations in the Content-Type. */
  assert_declined("Content-Type: text/plain (comment)\n\nx\n");
  assert_declined(
      "Content-Type: multipart/mixed; boundary*0=a; boundary*1=b\n\n--ab\n\nx\n--ab--\n");
  assert_declined("Content-Type: multipart/mixed; boundary=\"a\\\"b\"\n\n--a\"b\n\nx\n--a\"b--\n");
  /* An unterminated quote: view_gmime.c repairs it. */
  assert_declined("Content-Type: multipart/mixed; boundary=\"b\n\n--b\n\nx\n--b--\n");
  /* uuencoded content and encoded or unusual message/ parts. */
  assert_declined("Content-Transfer-Encoding: x-uuencode\n\nbegin 644 a\n`\nend\n");
  assert_declined(
      "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\nRnJvbTogYQ==\n");
  assert_declined("Content-Type: message/partial; id=1; number=1\n\nx\n");
  /* A bare CR inside a header line. */
  assert_declined("Subject: a\tb\rc\n\nx\n");
}

static void test_depth_beyond_the_limit_goes_to_gmime(void **state) {
  (void)state;
  bw_limits saved = limits;
  limits.max_depth = 1;
  assert_declined("Content-Type: multipart/mixed; boundary=a\n\n--a\n"
                  "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n--a--\n");
  limits = saved;
}

/* Address lists, plain or not, read as GMime reads them (address.c or GMime itself). */
static void test_address_headers_agree(void **state) {
  (void)state;
  static const char *const values[] = {
      "a@example.org",
      "Ann Example <ann@example.org>",
      "\"Example, Ann\" <ann@example.org>, bob@example.net",
      "\"Ann (News)\" <ann@example.org>",
      "J. R. Smith <jr@example.org>",
      "<bare@example.org>",
      "Ann  Example <ann@example.org>",
      "\"Ann \\\"Q\\\" Example\" <ann@example.org>",
      "ann@example.org (Ann Example)",
      "ann@example.org ( Ann  Example )",
      "ann@example.org (Ann (nested) Example), bob@example.net ()",
      "ann@example.org (Ann \"Q\" Example)",
      "ann@example.org ((Ann))",
      "=?utf-8?q?Ren=C3=A9?= <rene@example.org>",
      "undisclosed-recipients:;",
      "team: a@example.org, b@example.org;",
      "ann@xn--exmple-cua.org",
      "Ann <ann@example.org",
      "a@example.org,, b@example.org",
      "\"\" <empty@example.org>",
      "ann@example.org <ann@example.org>",
  };
  bw_buf b;
  bw_buf_init(&b);
  char msg[512];
  for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
    snprintf(msg, sizeof(msg), "From: %s\nTo: %s\nSubject: t\n\nx\n", values[i], values[i]);
    assert_accepted_and_equal(msg, &b);
  }
  bw_buf_free(&b);
}

/* Encoded-words read by rfc2047.c or GMime; the two must agree wherever rfc2047.c accepts. */
static void test_encoded_words_agree(void **state) {
  (void)state;
  static const char *const values[] = {"=?utf-8?q?a?= =?utf-8?q?b?=",
                                       "x =?utf-8?B?w6k=?= y",
                                       "foo=?utf-8?q?x?=bar",
                                       "=?utf-8?q?a_b=3F?=",
                                       "=?us-ascii?q?a?=",
                                       "=?utf-8?b?YQ==?= =?utf-8?b?Yg==?=",
                                       "=?UTF-8?B?w6k?=",
                                       "=?utf-8?q?=C3?= =?utf-8?q?=A9?=",
                                       "=?utf-8?q?=C3?= =?utf-8?b?qQ==?=",
                                       "=?iso-8859-1?q?caf=E9?= =?windows-1252?q?=80?=",
                                       "=?windows-1252?q?=81?=",
                                       "=?utf-8*en?q?x?=",
                                       "=?" "?q?x?=",
                                       "=?utf-8?x?y?=",
                                       "=?utf-8?q?unterminated",
                                       "=?utf-8?q?a b?=",
                                       "caf\xc3\xa9 =?utf-8?q?x?=",
                                       "caf\xe9",
                                       "=?utf-8?q?=4?=",
                                       "=?gb2312?b?1tA=?=",
                                       "a  =?utf-8?q?b?=\t=?utf-8?q?c?=  d",
                                       "=?utf-8?q?" "?="};
  bw_buf b;
  bw_buf_init(&b);
  char msg[256];
  for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
    snprintf(msg, sizeof(msg), "Subject: %s\nFrom: %s <a@example.org>\n\nx\n", values[i],
             values[i]);
    assert_accepted_and_equal(msg, &b);
  }
  bw_buf_free(&b);
}

/* Dates in the usual form are read by date.c, the rest by GMime; both must agree. */
static void test_dates_agree(void **state) {
  (void)state;
  static const char *const values[] = {"Tue, 3 Nov 2026 10:00:00 -0800",
                                       "3 Nov 2026 10:00:00 +0000",
                                       "Tue, 03 Nov 2026 23:59:59 +1345 (NZDT)",
                                       "Sun, 29 Feb 2032 00:00:00 -0000",
                                       "Sat, 29 Feb 2031 00:00:00 +0000",
                                       "Tue, 3 Nov 2026 10:00:60 +0000",
                                       "Tue, 3 Nov 2026 10:00 +0000",
                                       "Tue, 3 Nov 26 10:00:00 +0000",
                                       "Tue, 3 Nov 2026 10:00:00 EST",
                                       "Tue, 3 Nov 2026 10:00:00 +0099",
                                       "Tue,  3 Nov 2026 10:00:00 +0000",
                                       "Tue, 3 Nov 1968 10:00:00 +0000",
                                       "not a date"};
  bw_buf b;
  bw_buf_init(&b);
  char msg[256];
  for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
    snprintf(msg, sizeof(msg), "Date: %s\nSubject: t\n\nx\n", values[i]);
    assert_accepted_and_equal(msg, &b);
  }
  assert_accepted_and_equal("Date: Tue, 3 Nov 2026 10:00:00 -0800 (PST)\n\nx\n", &b);
  assert_contains(&b, "date=2026-11-03T10:00:00-08:00\n");
  bw_buf_free(&b);
}

/* An empty bare parameter value: GMime drops it, so entity.c leaves it to GMime. */
static void test_empty_parameter_value(void **state) {
  (void)state;
  assert_declined("Content-Type: text/html; charset=\r\n\r\n<p>x</p>\r\n");
}

/*
 * A multipart whose boundary parameter is mangled: GMime's
 * g_mime_multipart_get_boundary would invent a boundary, and re-encoding the
 * Content-Type with this 8-bit parameter name loops without end in GMime 3.2
 * (found by fuzz_view_parsers; a 300-byte message took minutes and gigabytes).
 */
static void test_mangled_boundary_parameter_is_read_quickly(void **state) {
  (void)state;
  char name[80];
  memset(name, '\xba', sizeof(name) - 1);
  name[sizeof(name) - 1] = '\0';
  char msg[512];
  snprintf(msg, sizeof(msg),
           "From: a@example.org\nContent-Type: multipart/mixed; boundary=outer\n\n--outer\n"
           "Content-Type: multipart/alternative; bo%sundary=\"x\xb7y\"\n\n\nbody\n--outer--\n",
           name);
  bw_buf out;
  bw_buf_init(&out);
  int rc;
  describe(msg, BW_VIEW_PARSER_ANY, &out, &rc);
  assert_int_equal(rc, BW_OK);
  assert_contains(&out, "part 1.1 ");
  bw_buf_free(&out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_single_part),
      cmocka_unit_test(test_multipart_crlf_and_lf),
      cmocka_unit_test(test_mixed_line_endings),
      cmocka_unit_test(test_nested_and_forwarded),
      cmocka_unit_test(test_digest_parts_are_messages),
      cmocka_unit_test(test_repeated_headers_reported_alike),
      cmocka_unit_test(test_boundary_with_trailing_space),
      cmocka_unit_test(test_declines_what_gmime_must_decide),
      cmocka_unit_test(test_depth_beyond_the_limit_goes_to_gmime),
      cmocka_unit_test(test_address_headers_agree),
      cmocka_unit_test(test_dates_agree),
      cmocka_unit_test(test_encoded_words_agree),
      cmocka_unit_test(test_empty_parameter_value),
      cmocka_unit_test(test_mangled_boundary_parameter_is_read_quickly),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
