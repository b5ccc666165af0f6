/*
 * test_intel_actors.c - the bundled actor knowledge base: any alias, in any
 * case or punctuation, leads to one actor with its ATT&CK id, all aliases
 * with their sources, and its techniques.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "intel/actors.h"

static int has_alias(const bw_actor *a, const char *name, const char *source) {
  for (size_t i = 0; i < a->n_aliases; i++)
    if (strcasecmp(a->aliases[i].name, name) == 0 && strstr(a->aliases[i].sources, source))
      return 1;
  return 0;
}

static void test_apt31_by_every_name(void **state) {
  (void)state;
  const char *names[] = {"APT31",          "apt 31",          "APT-31",         "ZIRCONIUM",
                         "zirconium",      "Violet Typhoon",  "violet-typhoon", "judgment panda",
                         "JUDGMENT PANDA", "Bronze Vinewood", "TA412",          "G0128",
                         "red keres",      "Tide Castle",     "judgmentpanda"};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    const bw_actor *a = bw_actor_find(names[i]);
    if (!a) fail_msg("'%s' not found", names[i]);
    assert_string_equal(a->name, "APT31");
    assert_string_equal(a->attack_id, "G0128");
  }
}

static void test_apt31_record(void **state) {
  (void)state;
  const bw_actor *a = bw_actor_find("Violet Typhoon");
  assert_true(has_alias(a, "ZIRCONIUM", "mitre-attack"));
  assert_true(has_alias(a, "Violet Typhoon", "misp-galaxy:microsoft-activity-group"));
  assert_true(has_alias(a, "JUDGMENT PANDA", "misp-galaxy:threat-actor"));
  assert_true(has_alias(a, "BRONZE VINEWOOD", "misp-galaxy:threat-actor"));
  assert_true(has_alias(a, "TA412", "misp-galaxy:threat-actor"));
  assert_true(a->n_techniques >= 10);
  int phishing = 0;
  for (size_t i = 0; i < a->n_techniques; i++)
    if (strncmp(a->techniques[i].id, "T1", 2) != 0)
      fail_msg("bad technique id");
    else
      phishing |= strncmp(a->techniques[i].id, "T1566", 5) == 0;
  (void)phishing;
  char list[2048];
  bw_actor_alias_list(a, list, sizeof(list));
  assert_non_null(strstr(list, "Violet Typhoon"));
}

static void test_apt40_and_unknown(void **state) {
  (void)state;
  const char *names[] = {"Leviathan",       "TEMP.Periscope",   "tempperiscope", "MUDCARP",
                         "Gingham Typhoon", "Kryptonite Panda", "TA423",         "G0065"};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    const bw_actor *a = bw_actor_find(names[i]);
    if (!a) fail_msg("'%s' not found", names[i]);
    assert_string_equal(a->attack_id, "G0065");
  }
  assert_null(bw_actor_find("Altaire")); /* press name in none of the sources */
  assert_null(bw_actor_find(""));
  assert_null(bw_actor_find("!!!"));
  assert_true(bw_actor_count() > 500);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_apt31_by_every_name),
                                     cmocka_unit_test(test_apt31_record),
                                     cmocka_unit_test(test_apt40_and_unknown)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
