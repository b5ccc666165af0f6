/*
 * test_trackers.c - unit tests for the tracker vendor matcher (src/lib/detect/trackers.c).
 *
 * Checks that every bundled rule compiles, that real-looking tracking URLs of
 * well-known vendors match with the right vendor and trigger, that ordinary
 * URLs do not, and that the literal prefilter never changes an answer: for
 * every rule's literal in several contexts, and for the URLs found in the
 * shared phishing corpus when it is present, the filtered matcher must agree
 * with running every regex. Also: arbitrary bytes and two threads at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* needs the headers above */

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/trackers.h"

static bw_trackers *trackers;

typedef struct expected {
  const char *url;
  const char *vendor; /* NULL: must not match */
  int trigger;
} expected;

static const expected cases[] = {
    {"u1234567.ct.sendgrid.net/wf/open?upn=aGVsbG8", "SendGrid", BW_TRACKER_OPEN},
    {"u1234567.ct.sendgrid.net/ls/click?upn=aGVsbG8", "SendGrid", BW_TRACKER_CLICK},
    {"example.us4.list-manage.com/track/open.php?u=1a2b&id=3c4d&e=5e6f", "Mailchimp",
     BW_TRACKER_OPEN},
    {"example.us4.list-manage.com/track/click?u=1a2b&id=3c4d&e=5e6f", "Mailchimp",
     BW_TRACKER_CLICK},
    {"mandrillapp.com/track/open.php?u=123&id=abc", "Mailchimp", BW_TRACKER_OPEN},
    {"t.sidekickopen01.com/s1t/o/5/f18dQhb0S7lC8dDMPbW2n0x6l2B9nMJW7t5XX4", "HubSpot",
     BW_TRACKER_ANY},
    {"t.hubspotemail.net/e1t/o/5/f18dQhb0S7kC8dDMPbW2n0x6l2B9gXrN7sKj", "HubSpot", BW_TRACKER_ANY},
    {"email.mg.example.com/o/eJwNyzEOgyAUANDTuEKtpiYdBhIHt0YXWM", "Mailgun", BW_TRACKER_ANY},
    {"t.yesware.com/t/0a1b2c3d/4e5f/pixel.png", "Yesware", BW_TRACKER_OPEN},
    {"t.yesware.com/tl/0a1b2c3d?ytl=https%3A%2F%2Fexample.org", "Yesware", BW_TRACKER_CLICK},
    {"t.yesware.com:443/t/0a1b2c3d/4e5f/pixel.png", "Yesware", BW_TRACKER_OPEN},
    {"mailtrack.io/trace/mail/0a1b2c3d4e5f.png?u=42", "MailTrack", BW_TRACKER_OPEN},
    {"r.superhuman.com/Xy12ab-cd34.gif", "Superhuman", BW_TRACKER_ANY},
    {"click.pstmrk.it/3s/example.org%2Fpage/AbCd/EfGh", "Postmark", BW_TRACKER_CLICK},
    {"app.mixmax.com/api/track/v2/AbCd/EfGh", "MixMax", BW_TRACKER_OPEN},
    {"r20.rs6.net/on.jsp?a=1102&r=3&c=abc", "Constant Contact", BW_TRACKER_OPEN},
    {"r20.rs6.net/tn.jsp?f=001abc&c=def", "Constant Contact", BW_TRACKER_CLICK},
    {"trk.klaviyomail.com/o/abc", "Klaviyo", BW_TRACKER_ANY},
    {"simg.1und1.de/i/abc.gif", "1&1", BW_TRACKER_ANY},
    /* case-insensitive, as Safari content blockers and Trocker treat them */
    {"T.YESWARE.COM/T/0A1B2C3D/PIXEL.PNG", "Yesware", BW_TRACKER_OPEN},
    {"U1.CT.SendGrid.NET/WF/OPEN?upn=x", "SendGrid", BW_TRACKER_OPEN},
    /* ordinary URLs */
    {"www.bbc.co.uk/news", NULL, 0},
    {"example.org/image.png", NULL, 0},
    {"cdn.jsdelivr.net/npm/bootstrap@5.3.0/dist/css/bootstrap.min.css", NULL, 0},
    {"fonts.googleapis.com/css2?family=Roboto:wght@400;700&display=swap", NULL, 0},
    {"upload.wikimedia.org/wikipedia/commons/a/a9/Example.jpg", NULL, 0},
    {"www.theguardian.com/world/2024/mar/25/china-hackers", NULL, 0},
    {"images.example-cdn.net/2024/logo@2x.png", NULL, 0},
    {"", NULL, 0},
};

static int setup(void **state) {
  (void)state;
  trackers = bw_trackers_new();
  return trackers == NULL;
}

static int teardown(void **state) {
  (void)state;
  bw_trackers_free(trackers);
  return 0;
}

static int match_str(const char *url, bw_tracker_match *m) {
  return bw_trackers_match(trackers, url, strlen(url), m);
}

static void test_every_rule_compiles(void **state) {
  (void)state;
  size_t rejected = 99;
  size_t loaded = bw_trackers_count(trackers, &rejected);
  assert_int_equal(rejected, 0);
  assert_true(loaded > 500);
  assert_int_equal(bw_trackers_count(trackers, NULL), loaded);
}

static void test_known_cases(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    bw_tracker_match m = {0};
    int got = match_str(cases[i].url, &m);
    if (cases[i].vendor == NULL) {
      if (got != 0) fail_msg("%s matched %s (%s)", cases[i].url, m.vendor, m.pattern);
      continue;
    }
    if (got != 1) fail_msg("%s did not match", cases[i].url);
    if (strcmp(m.vendor, cases[i].vendor) != 0 || m.trigger != cases[i].trigger) {
      fail_msg("%s: got %s/%d via %s, want %s/%d", cases[i].url, m.vendor, m.trigger, m.pattern,
               cases[i].vendor, cases[i].trigger);
    }
  }
}

static void test_trocker_prefixes_are_anchored_to_the_host(void **state) {
  (void)state;
  bw_tracker_match m = {0};
  assert_int_equal(match_str("t.yesware.com/t/abc", &m), 1);
  assert_true(m.pattern[0] == '^');
  /* Only MailTrackerBlocker's unanchored "sendgrid.net/wf/open" may see this one. */
  assert_int_equal(match_str("example.org/?next=x.sendgrid.net/wf/open", &m), 1);
  assert_true(m.pattern[0] != '^');
  assert_int_equal(m.trigger, BW_TRACKER_ANY);
}

static void test_arbitrary_bytes(void **state) {
  (void)state;
  static const char bad[] = "\xff\xfe\xc3(/o/eJ\x80\x00zz\xed\xa0\x80";
  bw_tracker_match m = {0};
  assert_int_equal(bw_trackers_match(trackers, bad, sizeof bad - 1, &m), 1);
  assert_string_equal(m.vendor, "Mailgun");
  unsigned char noise[4096];
  unsigned seed = 12345;
  for (size_t i = 0; i < sizeof noise; i++) {
    seed = seed * 1103515245u + 12345u;
    noise[i] = (unsigned char)(seed >> 16);
  }
  for (size_t len = 0; len <= sizeof noise; len += 97) {
    int a = bw_trackers_match(trackers, (const char *)noise, len, &m);
    int b = bw_trackers_match_unfiltered(trackers, (const char *)noise, len, &m);
    assert_int_equal(a, b);
  }
}

/* Filtered and unfiltered matching must return the same rule. */
static void assert_agree(const char *url, size_t len) {
  bw_tracker_match a = {0}, b = {0};
  int ra = bw_trackers_match(trackers, url, len, &a);
  int rb = bw_trackers_match_unfiltered(trackers, url, len, &b);
  if (ra != rb || (ra == 1 && a.pattern != b.pattern)) {
    fail_msg("prefilter changed the answer for %.*s: %s vs %s", (int)len, url, ra ? a.pattern : "-",
             rb ? b.pattern : "-");
  }
}

static void test_prefilter_agrees_on_cases(void **state) {
  (void)state;
  static const char *const wrappers[][2] = {
      {"", ""}, {"x.", "/a?b=1"}, {"host.example/", "/123/x.gif"}, {"a.b/c?u=", "&e=0"}};
  static const char *const words[] = {"t.yesware.com/t/abc",
                                      "open/log/1",
                                      "sendgrid.net/wf/open",
                                      "list-manage.com/track/open",
                                      "/o/eJx",
                                      "/e3t/Cto/x",
                                      "mkt123.com/open",
                                      "ABCDEFGHI?id=1",
                                      "/t/ab/c"};
  char buf[512];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_agree(cases[i].url, strlen(cases[i].url));
  }
  for (size_t w = 0; w < sizeof wrappers / sizeof wrappers[0]; w++) {
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
      int n = snprintf(buf, sizeof buf, "%s%s%s", wrappers[w][0], words[i], wrappers[w][1]);
      assert_agree(buf, (size_t)n);
    }
  }
}

/* Appends to urls[] the scheme-less URLs of the raw bytes of one file. */
static size_t scan_file_urls(const char *path, char **urls, size_t n, size_t max) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return n;
  static char data[1 << 20];
  size_t len = fread(data, 1, sizeof data - 1, f);
  fclose(f);
  data[len] = '\0';
  for (char *p = data; n < max && (p = strstr(p, "://")) != NULL;) {
    p += 3;
    size_t k = strcspn(p, "\"'<> \t\r\n()");
    if (k > 0 && k < 2048) urls[n++] = strndup(p, k);
    p += k;
  }
  return n;
}

static void test_prefilter_agrees_on_corpus(void **state) {
  (void)state;
  const char *shared = getenv("BEACONWATCH_SHARED");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/corpus/phishing_pot", shared ? shared : BW_SOURCE_DIR "/../shared");
  DIR *d = opendir(dir);
  if (d == NULL) {
    printf("SKIP corpus agreement: %s not found\n", dir);
    skip();
  }
  enum { MAX_URLS = 4000 };
  char **urls = calloc(MAX_URLS, sizeof *urls);
  assert_non_null(urls);
  size_t n = 0;
  char path[8192];
  for (struct dirent *e; n < MAX_URLS && (e = readdir(d)) != NULL;) {
    if (strstr(e->d_name, ".eml") == NULL) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    n = scan_file_urls(path, urls, n, MAX_URLS);
  }
  closedir(d);
  for (size_t i = 0; i < n; i++) {
    assert_agree(urls[i], strlen(urls[i]));
    free(urls[i]);
  }
  free(urls);
}

static void *match_all_cases(void *arg) {
  size_t *bad = arg;
  for (int round = 0; round < 300; round++) {
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      bw_tracker_match m = {0};
      int got = match_str(cases[i].url, &m);
      if (got != (cases[i].vendor != NULL) ||
          (got == 1 && (strcmp(m.vendor, cases[i].vendor) != 0 || m.trigger != cases[i].trigger))) {
        (*bad)++;
      }
    }
  }
  return NULL;
}

static void test_two_threads(void **state) {
  (void)state;
  pthread_t th[2];
  size_t bad[2] = {0, 0};
  for (int i = 0; i < 2; i++)
    assert_int_equal(pthread_create(&th[i], NULL, match_all_cases, &bad[i]), 0);
  for (int i = 0; i < 2; i++) assert_int_equal(pthread_join(th[i], NULL), 0);
  assert_int_equal(bad[0] + bad[1], 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_rule_compiles),
      cmocka_unit_test(test_known_cases),
      cmocka_unit_test(test_trocker_prefixes_are_anchored_to_the_host),
      cmocka_unit_test(test_arbitrary_bytes),
      cmocka_unit_test(test_prefilter_agrees_on_cases),
      cmocka_unit_test(test_prefilter_agrees_on_corpus),
      cmocka_unit_test(test_two_threads),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
