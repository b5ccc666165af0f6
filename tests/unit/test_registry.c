/*
 * test_registry.c - unit tests for the protected-identity registry
 * (src/lib/identity/registry.c and registry_names.c).
 *
 * Checks the compiled-in default (size, domains of the outlets espionage
 * campaigns impersonate, no ordinary words as names), name search (case,
 * word boundaries, Chinese names, longest match, evasions with full-width
 * letters and invisible characters), the folding of ASCII texts (done
 * without ICU) against that of the same text with one more, non-ASCII
 * character (done with ICU), merging a user's file (a new
 * organisation, a politician, the extension of an existing outlet), the error
 * messages for broken files, and lookups from several threads at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* needs the headers above */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "identity/registry.h"
#include "identity/registry_fold.h"

static bw_registry *reg;

static int setup(void **state) {
  (void)state;
  bw_error err = {0};
  int rc = bw_registry_new_default(&reg, &err);
  if (rc) fprintf(stderr, "default registry: %s\n", err.message);
  return rc;
}

static int teardown(void **state) {
  (void)state;
  bw_registry_free(reg);
  return 0;
}

/* The ids of the identities find_names returns for text, joined by spaces. */
static const char *found_ids(const bw_registry *r, const char *text) {
  static char buf[512];
  const bw_identity *out[16];
  size_t n = bw_registry_find_names(r, text, strlen(text), out, 16);
  buf[0] = 0;
  for (size_t i = 0; i < n; i++) {
    if (i) strcat(buf, " ");
    strncat(buf, out[i]->id, sizeof buf - strlen(buf) - 2);
  }
  return buf;
}

static const char *owner(const bw_registry *r, const char *domain) {
  const bw_identity *id = bw_registry_owner_of(r, domain);
  return id ? id->id : "";
}

static void test_default_size(void **state) {
  (void)state;
  size_t outlets = 0;
  for (size_t i = 0; i < bw_registry_count(reg); i++)
    outlets += bw_registry_at(reg, i)->kind == BW_IDENTITY_OUTLET;
  assert_true(outlets >= 300);
  assert_null(bw_registry_at(reg, bw_registry_count(reg)));
  const bw_identity *bbc = bw_registry_by_id(reg, "bbc");
  assert_non_null(bbc);
  assert_string_equal(bbc->name, "BBC News");
  assert_int_equal(bbc->kind, BW_IDENTITY_OUTLET);
  assert_string_equal(bbc->country, "GB");
  assert_null(bw_registry_by_id(reg, "no-such-outlet"));
}

static void test_owner_of(void **state) {
  (void)state;
  assert_string_equal(owner(reg, "bbc.co.uk"), "bbc");
  assert_string_equal(owner(reg, "bbc.com"), "bbc");
  assert_string_equal(owner(reg, "rfa.org"), "rfa");
  assert_string_equal(owner(reg, "scmp.com"), "scmp");
  assert_string_equal(owner(reg, "theguardian.com"), "guardian");
  assert_string_equal(owner(reg, "guardian.co.uk"), "guardian");
  assert_string_equal(owner(reg, "voachinese.com"), "voa");
  assert_string_equal(owner(reg, "thetimes.com"), "times-uk");
  assert_string_equal(owner(reg, "uyghurcongress.org"), "wuc");
  assert_string_equal(owner(reg, "BBC.CO.UK."), "bbc"); /* case and a final dot */
  assert_string_equal(owner(reg, "example.org"), "");
  assert_string_equal(owner(reg, "bbc-news.co.uk"), "");
  assert_string_equal(owner(reg, "gmail.com"), "");
  assert_string_equal(owner(reg, ""), "");
  assert_null(bw_registry_owner_of(reg, NULL));
}

static void test_domains_are_registrable(void **state) {
  (void)state;
  /* cn.nytimes.com is listed in the data; the registry keeps its registrable domain. */
  const bw_identity *nyt = bw_registry_by_id(reg, "nytimes");
  assert_true(bw_registry_owns(nyt, "nytimes.com"));
  assert_false(bw_registry_owns(nyt, "cn.nytimes.com"));
  /* A domain several brands share belongs to each of them. */
  assert_true(bw_registry_owns(bw_registry_by_id(reg, "economictimes"), "indiatimes.com"));
  assert_true(bw_registry_owns(bw_registry_by_id(reg, "timesofindia"), "indiatimes.com"));
  assert_false(bw_registry_owns(nyt, "bbc.com"));
  /* Defunct outlets send no mail: they own no domain, so every claim fails. */
  assert_int_equal(bw_registry_by_id(reg, "appledaily")->n_domains, 0);
}

static void test_no_generic_names(void **state) {
  (void)state;
  static const char *const generic[] = {
      "times", "post", "mail", "sun",   "express", "independent", "mirror", "nation",
      "star",  "time", "news", "daily", "herald",  "ap",          "ft",     "dw"};
  for (size_t g = 0; g < sizeof generic / sizeof generic[0]; g++)
    assert_string_equal(found_ids(reg, generic[g]), "");
}

static void test_find_latin(void **state) {
  (void)state;
  assert_string_equal(found_ids(reg, "BBC News Alerts"), "bbc");
  assert_string_equal(found_ids(reg, "Jane Doe | BBC"), "bbc");
  assert_string_equal(found_ids(reg, "bbc"), "bbc");
  assert_string_equal(found_ids(reg, "BBCode forum"), "");
  assert_string_equal(found_ids(reg, "the XBBC team"), "");
  assert_string_equal(found_ids(reg, "news@bbc.co.uk"), "bbc");
  assert_string_equal(found_ids(reg, "Reuters via Mailchimp"), "reuters");
  assert_string_equal(found_ids(reg, "Radio Free Asia"), "rfa");
  assert_string_equal(found_ids(reg, "Voice of America"), "voa");
  assert_string_equal(found_ids(reg, "Editor, South China Morning Post"), "scmp");
  assert_string_equal(found_ids(reg, "The Guardian"), "guardian");
  assert_string_equal(found_ids(reg, "Daily Mail"), "dailymail");
  assert_string_equal(found_ids(reg, "The Sun"), "thesun");
  assert_string_equal(found_ids(reg, "The Independent"), "independent-uk");
  assert_string_equal(found_ids(reg, "Hello from the editor"), "");
}

static void test_find_exact_case(void **state) {
  (void)state;
  /* Main names that are everyday phrases match only with their capitals. */
  assert_string_equal(found_ids(reg, "Le Monde"), "lemonde");
  assert_string_equal(found_ids(reg, "Service des abonnés - Le Monde"), "lemonde");
  assert_string_equal(found_ids(reg, "Merci à tout le monde"), "");
  assert_string_equal(found_ids(reg, "Der Spiegel"), "spiegel");
  assert_string_equal(found_ids(reg, "ich schaue in der Spiegel-Welt"), "");
  assert_string_equal(found_ids(reg, "The Sun"), "thesun");
  assert_string_equal(found_ids(reg, "enjoy the sun"), "");
  assert_string_equal(found_ids(reg, "Ｔｈｅ Ｓｕｎ"), "thesun"); /* full width is not a case */
  assert_string_equal(found_ids(reg, "at the times when"), "");
  assert_string_equal(found_ids(reg, "the age of reason"), "");
  /* Their alternate names match in any case. */
  assert_string_equal(found_ids(reg, "LEMONDE.FR"), "lemonde");
  assert_string_equal(found_ids(reg, "the sunday times"), "times-uk");
  /* Main names that are ordinary words are not searched for at all. */
  assert_string_equal(found_ids(reg, "Time to talk"), "");
  assert_string_equal(found_ids(reg, "TIME Magazine"), "time");
  assert_string_equal(found_ids(reg, "Dawn"), "");
}

static void test_find_longest(void **state) {
  (void)state;
  assert_string_equal(found_ids(reg, "The Times of India"), "timesofindia");
  assert_string_equal(found_ids(reg, "The Times"), "times-uk");
  assert_string_equal(found_ids(reg, "Jane Doe, The Times of India, Mumbai"), "timesofindia");
  assert_string_equal(found_ids(reg, "The Sunday Times"), "times-uk");
  assert_string_equal(found_ids(reg, "The New York Times"), "nytimes");
  assert_string_equal(found_ids(reg, "The Washington Post"), "washingtonpost");
  assert_string_equal(found_ids(reg, "New York Post"), "nypost");
  /* Two names side by side are both found, in order. */
  assert_string_equal(found_ids(reg, "Reuters / AFP"), "reuters afp");
}

static void test_find_unicode(void **state) {
  (void)state;
  assert_string_equal(found_ids(reg, "美国之音"), "voa");
  assert_string_equal(found_ids(reg, "美國之音記者 王小明"), "voa");
  assert_string_equal(found_ids(reg, "自由亚洲电台"), "rfa");
  assert_string_equal(found_ids(reg, "BBC中文网编辑"), "bbc");
  assert_string_equal(found_ids(reg, "端傳媒"), "initium");
  assert_string_equal(found_ids(reg, "南華早報記者"), "scmp");
  assert_string_equal(found_ids(reg, "張三（紐約時報中文網）"), "nytimes");
  assert_string_equal(found_ids(reg, "日本経済新聞"), "nikkei");
  assert_string_equal(found_ids(reg, "연합뉴스"), "yonhap");
  assert_string_equal(found_ids(reg, "Радио Свобода"), "rferl");
  /* Case folding beyond ASCII, full-width letters, invisible characters, odd spaces. */
  assert_string_equal(found_ids(reg, "РАДИО СВОБОДА"), "rferl");
  assert_string_equal(found_ids(reg, "ＢＢＣ　Ｎｅｗｓ"), "bbc");
  assert_string_equal(found_ids(reg, "B\xE2\x80\x8B"
                                     "BC"),
                      "bbc"); /* U+200B inside */
  assert_string_equal(found_ids(reg, "Radio\xC2\xA0\x46ree   Asia"), "rfa");
  /* Invalid UTF-8 does not hide a name and does not crash. */
  assert_string_equal(found_ids(reg, "\xFF\xFE Reuters \xC0"), "reuters");
}

static void test_find_limits(void **state) {
  (void)state;
  const bw_identity *out[1];
  const char *text = "Reuters and AFP and Bloomberg";
  assert_int_equal(bw_registry_find_names(reg, text, strlen(text), out, 1), 1);
  assert_string_equal(out[0]->id, "reuters");
  assert_int_equal(bw_registry_find_names(reg, text, strlen(text), out, 0), 0);
  assert_int_equal(bw_registry_find_names(reg, "", 0, out, 1), 0);
  /* len is honoured: "Reuters" cut to "Reut" is not a name. */
  assert_int_equal(bw_registry_find_names(reg, text, 4, out, 1), 0);
}

static void assert_folded(const char *text, const char *kept, const char *folded) {
  bw_registry_folded f;
  assert_int_equal(bw_registry_fold(text, strlen(text), &f), 0);
  assert_string_equal(f.kept, kept);
  assert_string_equal(f.folded, folded);
  assert_int_equal(f.kept_len, strlen(kept));
  assert_int_equal(f.len, strlen(folded));
  bw_registry_folded_free(&f);
}

static void test_fold_ascii(void **state) {
  (void)state;
  assert_folded("  BBC \t\r\n News  ", "BBC News", "bbc news");
  assert_folded("A\x0b\x0cZ", "A Z", "a z");
  assert_folded("", "", "");
  assert_folded("\x1fX_Y-1", "\x1fX_Y-1", "\x1fx_y-1"); /* not white space to Unicode */
  /* An ASCII text folds as it does with ICU: the same text and one more character ("é",
     which NFKC keeps and folding leaves), through ICU, gives the same forms and offsets. */
  static const char PIECES[] = "aZ 9\t\n\r\x0b\x0c\x1c\x1f\x7f_-.,'&@|()";
  srand(11);
  for (int round = 0; round < 5000; round++) {
    char text[40];
    size_t n = (size_t)(rand() % 30);
    for (size_t i = 0; i < n; i++) text[i] = PIECES[rand() % (int)(sizeof(PIECES) - 1)];
    text[n++] = 'x'; /* ends with a letter, so no white space comes before the "é" */
    text[n] = 0;
    char longer[48];
    snprintf(longer, sizeof(longer), "%s\xc3\xa9", text);
    bw_registry_folded a, b;
    assert_int_equal(bw_registry_fold(text, n, &a), 0);
    assert_int_equal(bw_registry_fold(longer, n + 2, &b), 0);
    assert_int_equal(a.kept_len + 2, b.kept_len);
    assert_int_equal(a.len + 2, b.len);
    assert_memory_equal(a.kept, b.kept, a.kept_len);
    assert_memory_equal(a.folded, b.folded, a.len);
    assert_memory_equal(a.map, b.map, (a.len + 1) * sizeof(uint32_t));
    bw_registry_folded_free(&a);
    bw_registry_folded_free(&b);
  }
}

/* Writes text to a new temporary file; returns its path (static buffer). */
static const char *temp_file(const char *text) {
  static char path[64];
  strcpy(path, "/tmp/bw_registry_XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  return path;
}

static const char user_file[] =
    "{\"version\": 1, \"identities\": [\n"
    " {\"kind\": \"organisation\", \"id\": \"parl-example\", \"name\": \"Parliament of "
    "Examplia\",\n"
    "  \"alt_names\": [\"Examplian Parliament\"], \"domains\": [\"parliament.example\", "
    "\"mail.Parl-Example.ORG\"], \"role\": \"parliament\", \"country\": \"EX\"},\n"
    " {\"kind\": \"politician\", \"id\": \"jane-member\", \"name\": \"Jane Member\",\n"
    "  \"organisation\": \"parl-example\", \"role\": \"MP\", \"addresses\": "
    "[\"Jane.Member@parliament.example\"]},\n"
    " {\"id\": \"bbc\", \"alt_names\": [\"Beeb Newsroom\"], \"domains\": [\"bbc-mail.example\"]}\n"
    "]}\n";

static void test_merge_user_file(void **state) {
  (void)state;
  bw_registry *r = NULL;
  bw_error err = {0};
  assert_int_equal(bw_registry_new_default(&r, &err), 0);
  size_t before = bw_registry_count(r);
  const char *path = temp_file(user_file);
  int rc = bw_registry_merge_file(r, path, &err);
  unlink(path);
  if (rc) fail_msg("%s", err.message);
  assert_int_equal(bw_registry_count(r), before + 2);
  assert_string_equal(owner(r, "parliament.example"), "parl-example");
  assert_string_equal(owner(r, "parl-example.org"), "parl-example"); /* made registrable */
  assert_string_equal(found_ids(r, "Examplian Parliament press office"), "parl-example");
  const bw_identity *jane = bw_registry_by_id(r, "jane-member");
  assert_int_equal(jane->kind, BW_IDENTITY_POLITICIAN);
  assert_string_equal(jane->organisation, "parl-example");
  assert_string_equal(jane->role, "MP");
  assert_int_equal(jane->n_addresses, 1);
  assert_string_equal(jane->addresses[0], "jane.member@parliament.example");
  assert_string_equal(found_ids(r, "Jane Member (via Gmail)"), "jane-member");
  /* The extension keeps what bbc had and adds to it. */
  const bw_identity *bbc = bw_registry_by_id(r, "bbc");
  assert_string_equal(bbc->name, "BBC News");
  assert_true(bw_registry_owns(bbc, "bbc.co.uk"));
  assert_true(bw_registry_owns(bbc, "bbc-mail.example"));
  assert_string_equal(owner(r, "bbc-mail.example"), "bbc");
  assert_string_equal(found_ids(r, "Beeb Newsroom"), "bbc");
  assert_string_equal(found_ids(r, "BBC"), "bbc");
  /* The default registry itself is untouched. */
  assert_string_equal(owner(reg, "parliament.example"), "");
  bw_registry_free(r);
}

/* Merging text must fail with BW_EFORMAT and a message containing want. */
static void expect_format_error(const char *text, const char *want) {
  bw_registry *r = NULL;
  bw_error err = {0};
  assert_int_equal(bw_registry_new_default(&r, &err), 0);
  size_t before = bw_registry_count(r);
  const char *path = temp_file(text);
  int rc = bw_registry_merge_file(r, path, &err);
  unlink(path);
  assert_int_equal(rc, BW_EFORMAT);
  assert_int_equal(err.code, BW_EFORMAT);
  if (!strstr(err.message, path) || !strstr(err.message, want))
    fail_msg("message \"%s\" lacks \"%s\" or the path", err.message, want);
  assert_int_equal(bw_registry_count(r), before); /* nothing applied */
  assert_string_equal(owner(r, "ok.example"), "");
  bw_registry_free(r);
}

static void test_malformed_files(void **state) {
  (void)state;
  expect_format_error("{\"version\": 1,\n \"identities\": [\n  {\"id\": \"x\",, }]}", ":3:");
  expect_format_error("[1, 2]", "top level must be an object");
  expect_format_error("{\"version\": 2, \"identities\": []}", "\"version\" must be 1");
  expect_format_error("{\"version\": 1, \"identities\": [{\"kind\": \"outlet\", \"id\": \"ok\","
                      " \"name\": \"OK News\", \"domains\": [\"ok.example\"]}, {\"kind\": "
                      "\"outlet\", \"id\": \"new-one\", \"domain\": [\"x.example\"]}]}",
                      "identities[1] (id \"new-one\"): unknown key \"domain\"");
  expect_format_error("{\"version\": 1, \"identities\": [{\"kind\": \"outlet\", \"id\": \"ok\","
                      " \"name\": \"OK News\", \"domains\": [\"ok.example\", \"co.uk\"]}]}",
                      "\"co.uk\" is not a domain name with a registrable part");
  expect_format_error("{\"version\": 1, \"identities\": [{\"kind\": \"newspaper\", \"id\": "
                      "\"ok\", \"name\": \"OK\"}]}",
                      "\"kind\" must be");
  expect_format_error("{\"version\": 1, \"identities\": [{\"id\": \"fresh\", \"domains\": "
                      "[\"ok.example\"]}]}",
                      "is new, so it needs \"kind\" and \"name\"");
  expect_format_error("{\"version\": 1, \"identities\": [{\"kind\": \"politician\", \"id\": "
                      "\"bbc\"}]}",
                      "has kind \"outlet\" in the registry");
  expect_format_error("{\"version\": 1, \"identities\": [{\"kind\": \"outlet\", \"id\": \"ok\","
                      " \"name\": \"X\", \"domains\": [\"ok.example\"]}]}",
                      "too short");
  expect_format_error("{\"version\": 1, \"identities\": [{\"kind\": \"outlet\", \"id\": \"ok\","
                      " \"name\": \"OK News\"}, {\"kind\": \"outlet\", \"id\": \"ok\", \"name\":"
                      " \"OK Two\", \"domains\": [\"ok.example\"]}]}",
                      "id already used by identities[0]");
  expect_format_error("{\"version\": 1, \"identities\": [{\"kind\": \"journalist\", \"id\": "
                      "\"ok\", \"name\": \"O K\", \"addresses\": [\"not-an-address\"]}]}",
                      "not an email address");
}

static void test_missing_file(void **state) {
  (void)state;
  bw_error err = {0};
  assert_int_equal(bw_registry_merge_file(reg, "/nonexistent/identities.json", &err), BW_EIO);
  assert_non_null(strstr(err.message, "/nonexistent/identities.json"));
}

static void *search_many(void *arg) {
  (void)arg;
  static const char *const texts[] = {"Jane Doe | BBC", "美国之音", "The Times of India",
                                      "Radio Free Asia Uyghur Service", "nobody at all"};
  static const char *const want[] = {"bbc", "voa", "timesofindia", "rfa", ""};
  for (int round = 0; round < 2000; round++) {
    size_t i = (size_t)round % 5;
    const bw_identity *out[4];
    size_t n = bw_registry_find_names(reg, texts[i], strlen(texts[i]), out, 4);
    const char *got = n ? out[0]->id : "";
    const bw_identity *o = bw_registry_owner_of(reg, "rfa.org");
    if (strcmp(got, want[i]) != 0 || !o || strcmp(o->id, "rfa") != 0) return (void *)1;
  }
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  pthread_t t[4];
  for (int i = 0; i < 4; i++) assert_int_equal(pthread_create(&t[i], NULL, search_many, NULL), 0);
  for (int i = 0; i < 4; i++) {
    void *ret = (void *)1;
    pthread_join(t[i], &ret);
    assert_null(ret);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_default_size),
      cmocka_unit_test(test_owner_of),
      cmocka_unit_test(test_domains_are_registrable),
      cmocka_unit_test(test_no_generic_names),
      cmocka_unit_test(test_find_latin),
      cmocka_unit_test(test_find_exact_case),
      cmocka_unit_test(test_find_longest),
      cmocka_unit_test(test_find_unicode),
      cmocka_unit_test(test_find_limits),
      cmocka_unit_test(test_fold_ascii),
      cmocka_unit_test(test_merge_user_file),
      cmocka_unit_test(test_malformed_files),
      cmocka_unit_test(test_missing_file),
      cmocka_unit_test(test_threads),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
