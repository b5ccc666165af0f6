/*
 * test_identity.c - unit tests for the identity detector: look-alike domains
 * (every dnstwist family, TR39 skeletons with Cyrillic letters and punycode,
 * the relative edit distance on short names, skeletons of ASCII labels without
 * ICU against ICU's), claim parsing (display names,
 * local parts, signatures, titles, hedges, homoglyph names), DMARC alignment
 * read only from trusted Authentication-Results, and the verdicts that follow.
 * Uses the built-in registry, so the outlets named here are real ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* needs the headers above */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uspoof.h>

#include "detect/freemail.h"
#include "detect/identity.h"
#include "detect/lookalike.h"
#include "scan.h"

static bw_engine *engine;

static int setup(void **state) {
  (void)state;
  bw_config cfg;
  bw_config_init(&cfg);
  bw_error err;
  return bw_engine_new(&cfg, &engine, &err) == BW_OK ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  bw_engine_free(engine);
  return 0;
}

/* ---- look-alike domains ------------------------------------------------------------ */

typedef struct lookalike_case {
  const char *host;
  const char *imitates; /* NULL: no match at all */
  const char *method;
  int strong;
} lookalike_case;

static const lookalike_case LOOKALIKES[] = {
    {"theguardian.com.news-hub.test", "theguardian.com", "dnstwist:subdomain", 1},
    {"rfa-org.news-mirror.test", "rfa.org", "dnstwist:subdomain", 1},
    {"www-bbc-co-uk.example", "bbc.co.uk", "dnstwist:subdomain", 1},
    {"theguardian-updates.example", "theguardian.com", "dnstwist:dictionary", 1},
    {"theguardiannow.example", "theguardian.com", "dnstwist:dictionary", 1},
    {"scmp-pressdesk.example", "scmp.com", "dnstwist:dictionary", 0},
    {"washingtoonpost-news.test", "washingtonpost.com", "dnstwist:repetition", 1},
    {"washingtonposts.com", "washingtonpost.com", "dnstwist:addition", 1},
    {"washingtonpoxst.com", "washingtonpost.com", "dnstwist:insertion", 1},
    {"washngtonpost.com", "washingtonpost.com", "dnstwist:omission", 1},
    {"wasshingtonpost.com", "washingtonpost.com", "dnstwist:repetition", 1},
    {"wahsingtonpost.com", "washingtonpost.com", "dnstwist:transposition", 1},
    {"washingtonpzst.com", "washingtonpost.com", "dnstwist:replacement", 0},
    {"washingtonpist.com", "washingtonpost.com", "dnstwist:vowel-swap", 1},
    {"washingtonpmst.com", "washingtonpost.com", "dnstwist:bitsquatting", 1},
    {"theguardlan.com", "theguardian.com", "dnstwist:homoglyph", 1},
    {"washington-post.com", "washingtonpost.com", "dnstwist:hyphenation", 1},
    {"washingtonpost.net", "washingtonpost.com", "dnstwist:tld-swap", 1},
    {"nyttimes.test", "nytimes.com", "dnstwist:repetition", 1},
    {"rrfa.test", "rfa.org", "dnstwist:repetition", 0},
    {"xn--bb-pmc.com", "bbc.co.uk", "skeleton", 1},       /* bbс.com, Cyrillic es */
    {"bb\xd1\x81.com", "bbc.co.uk", "skeleton", 1},       /* the same in Unicode */
    {"xn--nytmes-rvf.com", "nytimes.com", "skeleton", 1}, /* nytіmes.com, Ukrainian i */
    {"bbc.co.uk", NULL, NULL, 0},                         /* owned */
    {"news.bbc.co.uk", NULL, NULL, 0},                    /* owned */
    {"gmail.com", NULL, NULL, 0},                         /* free mail */
    {"example.org", NULL, NULL, 0},
    {"bbb.com", NULL, NULL, 0}, /* one replacement in a three-letter name: too common */
    {"kbs.ie", "kbs.co.kr", "dnstwist:tld-swap", 0}, /* acronyms elsewhere are other owners */
};

static void test_lookalike_families(void **state) {
  (void)state;
  bw_arena a;
  bw_arena_init(&a);
  for (size_t i = 0; i < sizeof(LOOKALIKES) / sizeof(LOOKALIKES[0]); i++) {
    const lookalike_case *c = &LOOKALIKES[i];
    bw_lookalike_match m;
    int rc = bw_lookalike_check(engine->lookalikes, engine->urls, &a, c->host, &m);
    if (!c->imitates) {
      if (rc != 0) fail_msg("%s: unexpected match %s by %s", c->host, m.protected_domain, m.method);
      continue;
    }
    if (rc != 1) fail_msg("%s: expected a look-alike of %s", c->host, c->imitates);
    if (strcmp(m.protected_domain, c->imitates) != 0 || strcmp(m.method, c->method) != 0 ||
        m.strong != c->strong)
      fail_msg("%s: got %s by %s (strong %d), expected %s by %s (strong %d)", c->host,
               m.protected_domain, m.method, m.strong, c->imitates, c->method, c->strong);
    assert_non_null(m.detail);
  }
  bw_arena_free(&a);
}

static void test_distance(void **state) {
  (void)state;
  assert_int_equal(bw_lookalike_distance("abcd", 4, "abcd", 4, 2), 0);
  assert_int_equal(bw_lookalike_distance("abcd", 4, "bacd", 4, 2),
                   1); /* transposition is one edit */
  assert_int_equal(bw_lookalike_distance("reuters", 7, "rutgers", 7, 2), 2);
  assert_int_equal(bw_lookalike_distance("abc", 3, "xyzabc", 6, 2), 3); /* over the limit */
  assert_int_equal(bw_lookalike_distance("", 0, "ab", 2, 2), 2);
}

/* ICU's lowercased skeleton of s, as the index computed it before ASCII labels went without ICU. */
static void icu_skeleton(const USpoofChecker *sc, const char *s, char *out, size_t cap) {
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = uspoof_getSkeletonUTF8(sc, 0, s, (int32_t)strlen(s), out, (int32_t)cap, &st);
  assert_false(U_FAILURE(st));
  assert_true((size_t)n < cap);
  for (char *p = out; *p; p++)
    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
}

static void assert_skeleton(const USpoofChecker *sc, const char *s) {
  char want[256];
  icu_skeleton(sc, s, want, sizeof(want));
  char *got = bw_lookalike_skeleton(engine->lookalikes, s, strlen(s));
  assert_non_null(got);
  if (strcmp(got, want) != 0) fail_msg("skeleton of \"%s\": \"%s\", ICU says \"%s\"", s, got, want);
  free(got);
}

static void test_ascii_skeletons(void **state) {
  (void)state;
  UErrorCode st = U_ZERO_ERROR;
  USpoofChecker *sc = uspoof_open(&st);
  assert_false(U_FAILURE(st));
  uspoof_setChecks(sc, USPOOF_CONFUSABLE, &st);
  /* Every pair of ASCII characters, then longer labels, then some with other scripts. */
  char s[3] = {0};
  for (int a = 1; a < 128; a++)
    for (int b = 1; b < 128; b++) {
      s[0] = (char)a, s[1] = (char)b;
      assert_skeleton(sc, s);
    }
  static const char LABEL[] = "abcdefghijklmnopqrstuvwxyz0123456789-_.ILMOrnvvw|";
  srand(3);
  for (int round = 0; round < 2000; round++) {
    char label[24];
    size_t n = 1 + (size_t)(rand() % 20);
    for (size_t i = 0; i < n; i++) label[i] = LABEL[rand() % (int)(sizeof(LABEL) - 1)];
    label[n] = 0;
    assert_skeleton(sc, label);
  }
  assert_skeleton(sc, "bb\xd1\x81");     /* Cyrillic es: through ICU */
  assert_skeleton(sc, "nyt\xd1\x96mes"); /* Ukrainian i */
  assert_skeleton(sc, "cafe\xcc\x81");   /* a combining accent */
  assert_skeleton(sc, "");
  uspoof_close(sc);
}

static void test_edit_distance_two_is_weak(void **state) {
  (void)state;
  bw_arena a;
  bw_arena_init(&a);
  bw_lookalike_match m;
  assert_int_equal(bw_lookalike_check(engine->lookalikes, engine->urls, &a, "rutgers.edu", &m), 1);
  assert_string_equal(m.method, "edit_distance:2");
  assert_false(m.strong);
  bw_arena_free(&a);
}

static void test_freemail(void **state) {
  (void)state;
  assert_true(bw_freemail_is("gmail.com"));
  assert_true(bw_freemail_is("yahoo.co.uk")); /* "yahoo.*" */
  assert_true(bw_freemail_is("yandex.ru"));
  assert_true(bw_freemail_is("163.com"));
  assert_false(bw_freemail_is("bbc.co.uk"));
  assert_false(bw_freemail_is("notgmail.com"));
  assert_false(bw_freemail_is(NULL));
}

/* ---- claims ----------------------------------------------------------------------------- */

static bw_claim_env env_in(bw_arena *a) {
  return (bw_claim_env){engine->registry, engine->lookalikes, engine->urls, a};
}

typedef struct name_case {
  const char *display;
  bw_claim_source source;
  bw_identity_kind kind;
  const char *identity; /* registry id, or NULL */
  const char *person;
  int hedged;
} name_case;

static const name_case NAMES[] = {
    {"BBC News", BW_CLAIM_DISPLAY_NAME, BW_IDENTITY_OUTLET, "bbc", NULL, 0},
    {"Tobias Rusk | BBC News", BW_CLAIM_NAME_AND_OUTLET, BW_IDENTITY_JOURNALIST, "bbc",
     "Tobias Rusk", 0},
    {"Tobias Rusk, BBC News", BW_CLAIM_NAME_AND_OUTLET, BW_IDENTITY_JOURNALIST, "bbc",
     "Tobias Rusk", 0},
    {"Henrik Teagle (South China Morning Post)", BW_CLAIM_NAME_AND_OUTLET, BW_IDENTITY_JOURNALIST,
     "scmp", "Henrik Teagle", 0},
    {"Radio Free Asia Newsdesk", BW_CLAIM_DISPLAY_NAME, BW_IDENTITY_OUTLET, "rfa", NULL, 0},
    {"The Guardian via Mailchimp", BW_CLAIM_NAME_VIA_SERVICE, BW_IDENTITY_OUTLET, "guardian", NULL,
     0},
    {"Senator Wren Kolstad", BW_CLAIM_TITLE, BW_IDENTITY_POLITICIAN, NULL, "Wren Kolstad", 0},
    {"Yusra Morvath MP", BW_CLAIM_TITLE, BW_IDENTITY_POLITICIAN, NULL, "Yusra Morvath", 0},
    {"Priya Quist (BBC News contributor)", BW_CLAIM_NAME_AND_OUTLET, BW_IDENTITY_JOURNALIST, "bbc",
     "Priya Quist", 1},
    {"news@bbc.co.uk", BW_CLAIM_ADDRESS_IN_NAME, BW_IDENTITY_OUTLET, "bbc", NULL, 0},
    {"Anna Berg, Member of the European Parliament", BW_CLAIM_TITLE, BW_IDENTITY_POLITICIAN, NULL,
     "Anna Berg", 0},
};

static void test_display_names(void **state) {
  (void)state;
  bw_arena a;
  bw_arena_init(&a);
  bw_claim_env env = env_in(&a);
  for (size_t i = 0; i < sizeof(NAMES) / sizeof(NAMES[0]); i++) {
    const name_case *c = &NAMES[i];
    bw_claim_list l = {0};
    bw_claims_from_display_name(&env, c->display, &l);
    if (!l.n) fail_msg("\"%s\": no claim", c->display);
    const bw_identity_claim *k = &l.items[0];
    if (k->source != c->source || k->kind != c->kind || k->hedged != c->hedged)
      fail_msg("\"%s\": source %s kind %s hedged %d", c->display, bw_claim_source_name(k->source),
               bw_identity_kind_name(k->kind), k->hedged);
    if (c->identity)
      assert_string_equal(k->identity->id, c->identity);
    else
      assert_null(k->identity);
    if (c->person) assert_string_equal(k->person, c->person);
  }
  bw_arena_free(&a);
}

static void test_plain_names_claim_nothing(void **state) {
  (void)state;
  static const char *const PLAIN[] = {"Ingrid Harcastle", "Lockergnome Windows Daily", "Jeff Bezos",
                                      "Mailer",           "Rights Watchdog Bulletin",  ""};
  bw_arena a;
  bw_arena_init(&a);
  bw_claim_env env = env_in(&a);
  for (size_t i = 0; i < sizeof(PLAIN) / sizeof(PLAIN[0]); i++) {
    bw_claim_list l = {0};
    bw_claims_from_display_name(&env, PLAIN[i], &l);
    if (l.n) fail_msg("\"%s\" claims %s", PLAIN[i], bw_identity_kind_name(l.items[0].kind));
  }
  bw_arena_free(&a);
}

static void test_homoglyph_display_name(void **state) {
  (void)state;
  bw_arena a;
  bw_arena_init(&a);
  bw_claim_env env = env_in(&a);
  bw_claim_list l = {0};
  bw_claims_from_display_name(&env, "Th\xd0\xb5 Guardian", &l); /* Cyrillic ie */
  assert_true(l.homoglyphs);
  assert_int_equal(l.n, 1);
  assert_string_equal(l.items[0].identity->id, "guardian");
  bw_arena_free(&a);
}

static void test_local_part(void **state) {
  (void)state;
  bw_arena a;
  bw_arena_init(&a);
  bw_claim_env env = env_in(&a);
  bw_claim_list l = {0};
  bw_claims_from_local_part(&env, "bbcnews.alerts@gmail.com", &l);
  assert_int_equal(l.n, 1);
  assert_string_equal(l.items[0].identity->id, "bbc");
  bw_claim_list none = {0};
  bw_claims_from_local_part(&env, "wren.haverly.writes@gmail.com", &none);
  assert_int_equal(none.n, 0);
  bw_arena_free(&a);
}

static void test_signatures(void **state) {
  (void)state;
  bw_arena a;
  bw_arena_init(&a);
  bw_claim_env env = env_in(&a);
  bw_claim_list l = {0};
  bw_claims_from_signature(&env, "Tobias Rusk\nAsia Editor\nBBC News\n", NULL, &l);
  assert_int_equal(l.n, 1);
  assert_int_equal(l.items[0].kind, BW_IDENTITY_JOURNALIST);
  assert_string_equal(l.items[0].person, "Tobias Rusk");

  bw_claim_list mp = {0};
  bw_claims_from_signature(&env, "Wren Kolstad\nMember of Parliament\nparliament-b.example\n", NULL,
                           &mp);
  assert_int_equal(mp.n, 1);
  assert_int_equal(mp.items[0].kind, BW_IDENTITY_POLITICIAN);
  assert_string_equal(mp.items[0].org_domain, "parliament-b.example");

  bw_claim_list hedged = {0};
  bw_claims_from_signature(&env,
                           "Priya Quist\nFreelance; recent work published by BBC News and others\n",
                           NULL, &hedged);
  assert_int_equal(hedged.n, 1);
  assert_true(hedged.items[0].hedged);

  static const char *const MENTIONS[] = {"Copyright 2002 Reuters. All rights reserved.\n",
                                         "Read the full story at the BBC News website\n",
                                         "SF Weekly:\n",
                                         "New York Times on the Web, please contact\n"};
  for (size_t i = 0; i < sizeof(MENTIONS) / sizeof(MENTIONS[0]); i++) {
    bw_claim_list m = {0};
    bw_claims_from_signature(&env, MENTIONS[i], NULL, &m);
    if (m.n) fail_msg("\"%s\" read as a claim", MENTIONS[i]);
  }
  bw_arena_free(&a);
}

/* ---- whole messages: alignment and verdicts ----------------------------------------------- */

static bw_result *scan_with(const bw_engine *e, const char *msg) {
  bw_result *r = NULL;
  bw_error err;
  bw_scan_opts o = {.locator = {.path = "test", .index = -1, .offset = -1}};
  assert_int_equal(bw_scan(e, msg, strlen(msg), &o, &r, &err), BW_OK);
  return r;
}

static const char *const TWO_AUTH =
    "Authentication-Results: mx.forged.test; dmarc=pass header.from=bbc.co.uk\r\n"
    "Authentication-Results: mx.ours.example; dkim=fail header.d=bbc.co.uk; dmarc=fail "
    "header.from=bbc.co.uk\r\n"
    "From: BBC News <news@bbc.co.uk>\r\nTo: alice@parliament.example\r\nSubject: hi\r\n"
    "Message-ID: <1@x>\r\n\r\nHello.\r\n";

static void test_alignment_trust(void **state) {
  (void)state;
  bw_result *r = scan_with(engine, TWO_AUTH); /* default: the topmost header only */
  assert_int_equal(r->identity.aligned, 1);
  bw_result_free(r);

  static const char *const OURS[] = {"mx.ours.example"};
  bw_config cfg;
  bw_config_init(&cfg);
  cfg.trusted_authserv_ids = OURS;
  cfg.n_trusted_authserv_ids = 1;
  bw_engine *e = NULL;
  bw_error err;
  assert_int_equal(bw_engine_new(&cfg, &e, &err), BW_OK);
  r = scan_with(e, TWO_AUTH);
  assert_int_equal(r->identity.aligned, 0);
  assert_non_null(r->identity.impersonation); /* the BBC's own domain, forged */
  assert_string_equal(r->identity.failure, "unauthenticated");
  bw_result_free(r);
  bw_engine_free(e);

  static const char *const NOBODY[] = {"mx.nobody.example"};
  cfg.trusted_authserv_ids = NOBODY;
  assert_int_equal(bw_engine_new(&cfg, &e, &err), BW_OK);
  r = scan_with(e, TWO_AUTH);
  assert_int_equal(r->identity.aligned, -1);
  bw_result_free(r);
  bw_engine_free(e);
}

#define BEACON_BODY                                                                                \
  "Content-Type: text/html\r\n\r\n<p>Story</p><img "                                               \
  "src=\"https://t.%s/o.gif?u=alice@parliament.example\" "                                         \
  "width=\"1\" height=\"1\">\r\n"

static bw_result *scan_from(const char *from, const char *beacon_domain) {
  char msg[1024];
  snprintf(msg, sizeof(msg),
           "From: %s\r\nTo: alice@parliament.example\r\nSubject: news\r\n" BEACON_BODY, from,
           beacon_domain);
  return scan_with(engine, msg);
}

static void test_verdicts(void **state) {
  (void)state;
  bw_result *r = scan_from("BBC News <alerts@bbc-newsroom.test>", "bbc-newsroom.test");
  assert_non_null(r->identity.impersonation);
  assert_int_equal(r->verdict, BW_VERDICT_TARGETED_BEACON);
  assert_true(r->verdict_reasons.len > 0);
  bw_result_free(r);

  r = scan_from("Tobias Rusk, BBC News <bbc.tobias.rusk@gmail.com>", "newsimg.example");
  assert_string_equal(r->identity.failure, "freemail");
  assert_int_equal(r->identity.impersonates_kind, BW_IDENTITY_JOURNALIST);
  assert_int_equal(r->verdict, BW_VERDICT_TARGETED_BEACON);
  bw_result_free(r);

  r = scan_from("BBC News <newsletter@bbc.co.uk>", "sendgrid.net");
  assert_null(r->identity.impersonation);
  assert_int_equal(r->identity.claim_holds, 1);
  assert_int_equal(r->verdict, BW_VERDICT_COMMERCIAL_TRACKING);
  bw_result_free(r);

  r = scan_from("Ingrid Harcastle <ingrid@rights-watchdog.example>", "tracker.example");
  assert_int_equal(r->identity.claim_holds, -1);
  assert_int_equal(r->verdict, BW_VERDICT_COMMERCIAL_TRACKING);
  bw_result_free(r);

  r = scan_with(engine, "From: \"Priya Quist (BBC News contributor)\" <priya@outlook.com>\r\n"
                        "To: alice@parliament.example\r\nSubject: q\r\n\r\nHello.\r\n");
  assert_null(r->identity.impersonation);
  assert_int_equal(r->verdict, BW_VERDICT_SUSPICIOUS);
  bw_result_free(r);
}

static void test_reply_diverted(void **state) {
  (void)state;
  bw_result *r =
      scan_with(engine, "From: BBC News <news@bbc.co.uk>\r\nReply-To: bbc.desk@gmail.com\r\n"
                        "To: alice@parliament.example\r\nSubject: q\r\n\r\nHello.\r\n");
  assert_int_equal(r->identity.claim_holds, 1);
  assert_string_equal(r->identity.reply_diverted, "gmail.com");
  assert_int_equal(r->verdict, BW_VERDICT_SUSPICIOUS);
  bw_result_free(r);
}

static void test_json_has_identity(void **state) {
  (void)state;
  bw_result *r = scan_from("Th\xd0\xb5 Guardian <desk@theguardian-updates.example>",
                           "theguardian-updates.example");
  bw_buf out;
  bw_buf_init(&out);
  assert_int_equal(bw_result_to_json(r, &out), BW_OK);
  assert_non_null(strstr(out.data, "\"impersonates\":{\"name\":\"The Guardian\""));
  assert_non_null(strstr(out.data, "\"lookalike_of\":\"theguardian.com\""));
  assert_non_null(strstr(out.data, "\"verdict_reasons\":[\""));
  bw_buf_reset(&out);
  assert_int_equal(bw_result_to_text(r, &out), BW_OK);
  assert_non_null(strstr(
      out.data, "claims to be from The Guardian but comes from theguardian-updates.example"));
  bw_buf_free(&out);
  bw_result_free(r);
}

static void test_explain(void **state) {
  (void)state;
  bw_buf out;
  bw_buf_init(&out);
  bw_error err;
  assert_int_equal(bw_identity_explain(engine, "theguardian.com.news-hub.test", &out, &err), BW_OK);
  assert_non_null(strstr(out.data, "dnstwist:subdomain"));
  bw_buf_reset(&out);
  assert_int_equal(bw_identity_explain(engine, "bbc.co.uk", &out, &err), BW_OK);
  assert_non_null(strstr(out.data, "a domain of BBC"));
  bw_buf_reset(&out);
  assert_int_equal(bw_identity_explain(engine, "gmail.com", &out, &err), BW_OK);
  assert_non_null(strstr(out.data, "free-mail"));
  assert_int_equal(bw_identity_explain(engine, "", &out, &err), BW_EINVAL);
  bw_buf_free(&out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lookalike_families),
      cmocka_unit_test(test_distance),
      cmocka_unit_test(test_ascii_skeletons),
      cmocka_unit_test(test_edit_distance_two_is_weak),
      cmocka_unit_test(test_freemail),
      cmocka_unit_test(test_display_names),
      cmocka_unit_test(test_plain_names_claim_nothing),
      cmocka_unit_test(test_homoglyph_display_name),
      cmocka_unit_test(test_local_part),
      cmocka_unit_test(test_signatures),
      cmocka_unit_test(test_alignment_trust),
      cmocka_unit_test(test_verdicts),
      cmocka_unit_test(test_reply_diverted),
      cmocka_unit_test(test_json_has_identity),
      cmocka_unit_test(test_explain),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
