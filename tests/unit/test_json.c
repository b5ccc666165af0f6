/*
 * test_json.c - the streaming JSON writer: escaping, numbers, separators.
 *
 * Every record beaconwatch prints goes through this writer, and its input is
 * attacker-controlled text; the output must be valid JSON (one line, valid
 * UTF-8) whatever the bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/json.h"

static void assert_escaped(const char *in, size_t len, const char *expected) {
  bw_buf out;
  bw_buf_init(&out);
  int failed = 0;
  bw_json_escape(&out, in, len, &failed);
  assert_false(failed);
  assert_string_equal(out.data ? out.data : "", expected);
  bw_buf_free(&out);
}

static void test_escapes(void **state) {
  (void)state;
  assert_escaped("plain text", 10, "plain text");
  assert_escaped("a\"b\\c", 5, "a\\\"b\\\\c");
  assert_escaped("l1\nl2\r\t", 7, "l1\\nl2\\r\\t");
  assert_escaped("\x01\x1f\x7f", 3, "\\u0001\\u001f\x7f");
  assert_escaped("nul\0byte", 8, "nul\\u0000byte");
  /* Valid UTF-8 is kept; each invalid byte becomes U+FFFD. */
  assert_escaped("caf\xc3\xa9 \xe2\x82\xac", 9, "caf\xc3\xa9 \xe2\x82\xac");
  assert_escaped("bad\xc3(\xff", 6, "bad\\ufffd(\\ufffd");
  assert_escaped("\xed\xa0\x80", 3, "\\ufffd\\ufffd\\ufffd"); /* a UTF-16 surrogate */
  assert_escaped("\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80");
}

static void test_numbers_and_structure(void **state) {
  (void)state;
  bw_buf out;
  bw_buf_init(&out);
  bw_json j;
  bw_json_init(&j, &out);
  bw_json_object_begin(&j);
  bw_json_kv_int(&j, "zero", 0);
  bw_json_kv_int(&j, "neg", -42);
  bw_json_kv_int(&j, "min", INT64_MIN);
  bw_json_kv_int(&j, "max", INT64_MAX);
  bw_json_key(&j, "list");
  bw_json_array_begin(&j);
  bw_json_string(&j, NULL);
  bw_json_bool(&j, 1);
  bw_json_double(&j, 0.5);
  bw_json_array_end(&j);
  bw_json_object_end(&j);
  assert_false(j.failed);
  assert_string_equal(out.data, "{\"zero\":0,\"neg\":-42,\"min\":-9223372036854775808,"
                                "\"max\":9223372036854775807,\"list\":[null,true,0.5]}");
  bw_buf_free(&out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_escapes),
      cmocka_unit_test(test_numbers_and_structure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
