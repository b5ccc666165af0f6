/*
 * test_html_names.c - unit tests for the tag and attribute name lookup
 * (src/lib/html/html_names.c).
 *
 * The lookup is a hand-written switch and the reverse mapping a separate
 * table, so the tests check that the two agree for every id, and that
 * near misses (one letter off, a prefix, a longer name, upper case, which the
 * tokenizer never passes) are not mistaken for a known name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* needs the headers above */

#include <string.h>

#include "html/html_names.h"

static void test_every_tag_round_trips(void **state) {
  (void)state;
  for (int id = 1; id < BW_TAG_COUNT; id++) {
    const char *name = bw_html_tag_name((bw_html_tag)id);
    assert_true(name[0] != '\0');
    assert_int_equal(bw_html_tag_lookup(name, strlen(name)), id);
  }
}

static void test_every_attr_round_trips(void **state) {
  (void)state;
  for (int id = 1; id < BW_ATTR_COUNT; id++) {
    const char *name = bw_html_attr_name((bw_html_attr_id)id);
    assert_true(name[0] != '\0');
    assert_int_equal(bw_html_attr_lookup(name, strlen(name)), id);
  }
}

static void test_names_are_distinct(void **state) {
  (void)state;
  for (int i = 1; i < BW_TAG_COUNT; i++)
    for (int j = i + 1; j < BW_TAG_COUNT; j++)
      assert_string_not_equal(bw_html_tag_name((bw_html_tag)i), bw_html_tag_name((bw_html_tag)j));
  for (int i = 1; i < BW_ATTR_COUNT; i++)
    for (int j = i + 1; j < BW_ATTR_COUNT; j++)
      assert_string_not_equal(bw_html_attr_name((bw_html_attr_id)i),
                              bw_html_attr_name((bw_html_attr_id)j));
}

/* Every known name with its last letter changed, cut short by one, or one letter longer. */
static void test_near_misses(void **state) {
  (void)state;
  char buf[32];
  for (int id = 1; id < BW_TAG_COUNT; id++) {
    const char *name = bw_html_tag_name((bw_html_tag)id);
    size_t n = strlen(name);
    memcpy(buf, name, n);
    buf[n - 1] = '#';
    assert_int_equal(bw_html_tag_lookup(buf, n), BW_TAG_OTHER);
    buf[n - 1] = name[n - 1];
    buf[n] = 'x';
    assert_int_equal(bw_html_tag_lookup(buf, n + 1), BW_TAG_OTHER);
    if (n > 1) assert_int_equal(bw_html_tag_lookup(name, n - 1), BW_TAG_OTHER);
  }
  for (int id = 1; id < BW_ATTR_COUNT; id++) {
    const char *name = bw_html_attr_name((bw_html_attr_id)id);
    size_t n = strlen(name);
    memcpy(buf, name, n);
    buf[0] = '#';
    assert_int_equal(bw_html_attr_lookup(buf, n), BW_ATTR_OTHER);
    buf[0] = name[0];
    buf[n] = 'x';
    assert_int_equal(bw_html_attr_lookup(buf, n + 1), BW_ATTR_OTHER);
    if (n > 1) assert_int_equal(bw_html_attr_lookup(name, n - 1), BW_ATTR_OTHER);
  }
}

static void test_other_names(void **state) {
  (void)state;
  assert_int_equal(bw_html_tag_lookup("", 0), BW_TAG_OTHER);
  assert_int_equal(bw_html_tag_lookup("div", 3), BW_TAG_OTHER);
  assert_int_equal(bw_html_tag_lookup("IMG", 3), BW_TAG_OTHER); /* names arrive lowercased */
  assert_int_equal(bw_html_tag_lookup("imgx", 3), BW_TAG_IMG);  /* the length decides */
  assert_int_equal(bw_html_tag_lookup("b", 1), BW_TAG_OTHER);
  assert_int_equal(bw_html_attr_lookup("", 0), BW_ATTR_OTHER);
  assert_int_equal(bw_html_attr_lookup("class", 5), BW_ATTR_OTHER);
  assert_int_equal(bw_html_attr_lookup("xlink:hre", 9), BW_ATTR_OTHER);
  assert_int_equal(bw_html_attr_lookup("srcset", 3), BW_ATTR_SRC);
  assert_string_equal(bw_html_tag_name(BW_TAG_OTHER), "");
  assert_string_equal(bw_html_tag_name(BW_TAG_COUNT), "");
  assert_string_equal(bw_html_attr_name(BW_ATTR_OTHER), "");
  assert_string_equal(bw_html_attr_name(BW_ATTR_COUNT), "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_tag_round_trips), cmocka_unit_test(test_every_attr_round_trips),
      cmocka_unit_test(test_names_are_distinct),    cmocka_unit_test(test_near_misses),
      cmocka_unit_test(test_other_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
