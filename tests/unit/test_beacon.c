/*
 * test_beacon.c - the beacon detector: recipient encodings and hashes,
 * opaque ids, tracking shapes, the same-host rule, and what must not be a
 * beacon (the sender's own spacers and content images, unsubscribe links).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "beaconwatch.h"

#include "engine_fixture.h"

/* Scans a one-part HTML message from news@outlet.example to To and returns the beacons array. */
static json_t *beacons_of(const char *to, const char *html, json_t **root_out) {
  char msg[8192];
  snprintf(msg, sizeof(msg),
           "From: News <news@outlet.example>\nTo: %s\nSubject: s\n"
           "Content-Type: text/html; charset=utf-8\n\n%s\n",
           to, html);
  bw_result *r;
  bw_error err;
  assert_int_equal(bw_scan(engine, msg, strlen(msg), NULL, &r, &err), BW_OK);
  bw_buf out;
  bw_buf_init(&out);
  assert_int_equal(bw_result_to_json(r, &out), BW_OK);
  json_error_t jerr;
  json_t *root = json_loadb(out.data, out.len, 0, &jerr);
  assert_non_null(root);
  bw_buf_free(&out);
  bw_result_free(r);
  *root_out = root;
  return json_object_get(root, "beacons");
}

static const char *str(json_t *o, const char *k) {
  return json_string_value(json_object_get(o, k));
}

static void expect_encoding(const char *to, const char *url, const char *encoding) {
  char html[2048];
  snprintf(html, sizeof(html), "<p>Story</p><img src=\"%s\" width=\"600\" height=\"300\">", url);
  json_t *root;
  json_t *b = beacons_of(to, html, &root);
  if (json_array_size(b) != 1) fail_msg("expected one beacon for %s", url);
  json_t *beacon = json_array_get(b, 0);
  assert_string_equal(str(beacon, "token_encoding"), encoding);
  assert_true(json_is_true(json_object_get(beacon, "identifies_recipient")));
  assert_string_equal(str(beacon, "trigger"), "open");
  json_decref(root);
}

/* Values computed independently with Python's hashlib/base64/zlib for the address below. */
static void test_recipient_encodings(void **state) {
  (void)state;
  const char *to = "Alice@Parliament-A.example";
  expect_encoding(to, "https://t.test/o?e=alice@parliament-a.example", "raw");
  expect_encoding(to, "https://t.test/o?e=Alice%40Parliament-A.example", "urlenc");
  expect_encoding(to, "https://t.test/o/QWxpY2VAUGFybGlhbWVudC1BLmV4YW1wbGU=.gif", "base64");
  expect_encoding(to, "https://t.test/o/YWxpY2VAcGFybGlhbWVudC1hLmV4YW1wbGU.gif", "base64-nopad");
  expect_encoding(to, "https://t.test/o?h=c34826332bc42a3391e3958c328c896c", "md5");
  expect_encoding(to, "https://t.test/o?h=616c696365407061726c69616d656e742d612e6578616d706c65", "hex");
}

static void test_hashes_of_lowercase_address(void **state) {
  (void)state;
  /* SHA-1, SHA-224 and CRC32 of "bob@ngo-b.example": senders hash the lowercased address. */
  const char *to = "Bob@NGO-B.example";
  expect_encoding(to, "https://t.test/p/439027a307ffea903ee2583800ee3011a5b828ca.png", "sha1");
  expect_encoding(to, "https://t.test/p/E2651EB93A5CC2984974BA5C98003750B7127E9BE992A996F09FE2CD.png", "sha224");
  expect_encoding(to, "https://t.test/p.png?c=ce25fb1a&x=1", "crc32");
}

static void test_opaque_id_with_tracking_shape(void **state) {
  (void)state;
  json_t *root;
  json_t *b = beacons_of("x@y.example", "<img src=\"https://cdn.example.org/o?e=P1xGxq7HtaaYMaUo\">", &root);
  assert_int_equal(json_array_size(b), 1);
  assert_string_equal(str(json_array_get(b, 0), "token_encoding"), "base62");
  json_decref(root);
}

static void test_content_image_named_by_hash_is_not_a_beacon(void **state) {
  (void)state;
  json_t *root;
  json_t *b = beacons_of("x@y.example",
                         "<img src=\"https://img.outlet.example/2026/a1b2c3d4e5f60718.jpg\" width=600 height=300>",
                         &root);
  assert_int_equal(json_array_size(b), 0);
  json_decref(root);
}

static void test_sender_spacer_is_not_a_beacon(void **state) {
  (void)state;
  json_t *root;
  json_t *b = beacons_of("x@y.example", "<img src=\"https://www.outlet.example/spacer.gif\" width=1 height=1>", &root);
  assert_int_equal(json_array_size(b), 0);
  assert_string_equal(str(root, "verdict"), "clean");
  json_decref(root);
}

static void test_third_party_pixel_without_id(void **state) {
  (void)state;
  json_t *root;
  json_t *b = beacons_of("x@y.example", "<img src=\"https://stats.tracker.test/b.gif\" width=1 height=1>", &root);
  assert_int_equal(json_array_size(b), 1);
  assert_false(json_is_true(json_object_get(json_array_get(b, 0), "identifies_recipient")));
  json_decref(root);
}

static void test_same_host_and_css(void **state) {
  (void)state;
  json_t *root;
  json_t *b = beacons_of("x@y.example",
                         "<style>@import url(https://o.mailer.test/s.css?v=urmoOT6lfKMAnBtiVhmetc);</style>"
                         "<img src=\"https://o.mailer.test/static/masthead.png\" width=600 height=80>",
                         &root);
  assert_int_equal(json_array_size(b), 2);
  assert_string_equal(str(json_array_get(b, 0), "kind"), "import");
  json_t *second = json_array_get(b, 1);
  json_t *ev = json_array_get(json_object_get(second, "evidence"), 0);
  assert_string_equal(str(ev, "signal"), "same_host_as_beacon");
  json_decref(root);
}

static void test_click_beacons(void **state) {
  (void)state;
  json_t *root;
  json_t *b = beacons_of("x@y.example",
                         "<a href=\"https://r.esp.test/ls/click?upn=2ARlzCHPskwksbJsmb8fOMQyUCc4elrCg9k63dKc\">story</a>"
                         "<a href=\"https://r.esp.test/u?id=2ARlzCHPskwksbJsmb8fOMQyUCc4elrCg9k63dKc\">Unsubscribe</a>"
                         "<a href=\"https://www.outlet.example/news/budget-vote-delayed\">plain</a>",
                         &root);
  assert_int_equal(json_array_size(b), 1);
  json_t *click = json_array_get(b, 0);
  assert_string_equal(str(click, "trigger"), "click");
  json_t *sends = json_object_get(click, "sends");
  assert_string_equal(json_string_value(json_array_get(sends, 3)), "recipient_id");
  json_decref(root);
}

/* A message forwarded as an attachment: the beacon names its original recipient. */
static void test_forwarded_recipient(void **state) {
  (void)state;
  const char *msg = "From: bob@ngo-b.example\nTo: security@ngo-b.example\nSubject: Fwd\n"
                    "Content-Type: message/rfc822\n\n"
                    "From: News <n@news-desk.test>\nTo: Bob <bob@ngo-b.example>\nSubject: x\n"
                    "Content-Type: text/html\n\n"
                    "<img src=\"https://px.t.test/o.gif?rcpt=bob%40ngo-b.example\">\n";
  bw_result *r;
  bw_error err;
  assert_int_equal(bw_scan(engine, msg, strlen(msg), NULL, &r, &err), BW_OK);
  bw_buf out;
  bw_buf_init(&out);
  assert_int_equal(bw_result_to_json(r, &out), BW_OK);
  json_error_t jerr;
  json_t *root = json_loadb(out.data, out.len, 0, &jerr);
  json_t *b = json_array_get(json_object_get(root, "beacons"), 0);
  assert_non_null(b);
  assert_string_equal(str(b, "token_encoding"), "urlenc");
  assert_string_equal(str(b, "recipient"), "bob@ngo-b.example");
  json_decref(root);
  bw_buf_free(&out);
  bw_result_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_recipient_encodings),
      cmocka_unit_test(test_hashes_of_lowercase_address),
      cmocka_unit_test(test_opaque_id_with_tracking_shape),
      cmocka_unit_test(test_content_image_named_by_hash_is_not_a_beacon),
      cmocka_unit_test(test_sender_spacer_is_not_a_beacon),
      cmocka_unit_test(test_third_party_pixel_without_id),
      cmocka_unit_test(test_same_host_and_css),
      cmocka_unit_test(test_click_beacons),
      cmocka_unit_test(test_forwarded_recipient),
  };
  return cmocka_run_group_tests_name("beacon", tests, setup_engine, teardown_engine);
}
