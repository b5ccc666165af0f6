/*
 * test_intel_feeds.c - the feed loaders: STIX bundles (attribution through
 * relationships, AND-groups, unsupported comparisons with reasons), MISP
 * events (types, galaxy tags), plain lists, CSV with a header, and maltrail
 * trail files (references, ports, path trails, the actor from the file name).
 * Each test loads into a builder, serialises, and looks values up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intel/intel.h"

typedef struct found {
  int n;
  char actors[512];
  char feed[128];
  char refs[1024];
  uint32_t group;
} found;

static int collect(const bw_intel_hit *h, void *ctx) {
  found *f = ctx;
  f->n++;
  snprintf(f->actors, sizeof(f->actors), "%s", h->actors);
  snprintf(f->feed, sizeof(f->feed), "%s", h->feed);
  snprintf(f->refs, sizeof(f->refs), "%s", h->refs);
  f->group = h->group;
  return 0;
}

/* Loads one feed from memory into a fresh bw_intel; fills report. */
static bw_intel *load(const char *name, const char *text, bw_intel_report *rep) {
  bw_intel_builder *b = bw_intel_builder_new();
  bw_error err = {0};
  bw_intel_report_init(rep);
  assert_int_equal(bw_intel_builder_load_buffer(b, name, text, strlen(text), rep, &err), BW_OK);
  unsigned char *buf;
  size_t len;
  assert_int_equal(bw_intel_builder_serialize(b, &buf, &len, &err), BW_OK);
  bw_intel_builder_free(b);
  bw_intel *in;
  assert_int_equal(bw_intel_from_buffer(buf, len, &in, &err), BW_OK);
  return in;
}

static int has_skip(const bw_intel_report *r, const char *item_part, const char *reason_part) {
  for (size_t i = 0; i < r->n_skips; i++)
    if (strstr(r->skips[i].item, item_part) && strstr(r->skips[i].reason, reason_part)) return 1;
  return 0;
}

static const char *STIX =
    "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":["
    "{\"type\":\"intrusion-set\",\"id\":\"intrusion-set--1\",\"name\":\"Violet Typhoon\"},"
    "{\"type\":\"campaign\",\"id\":\"campaign--1\",\"name\":\"Pixel recon\"},"
    "{\"type\":\"relationship\",\"id\":\"relationship--1\",\"relationship_type\":\"attributed-to\","
    "\"source_ref\":\"campaign--1\",\"target_ref\":\"intrusion-set--1\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--1\",\"pattern_type\":\"stix\","
    "\"pattern\":\"[domain-name:value = 'Tracker.Evil.TEST.' OR ipv4-addr:value = "
    "'198.51.100.0/24' "
    "OR x509-certificate:issuer = 'CN=x']\"},"
    "{\"type\":\"relationship\",\"id\":\"relationship--2\",\"relationship_type\":\"indicates\","
    "\"source_ref\":\"indicator--1\",\"target_ref\":\"campaign--1\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--2\",\"pattern_type\":\"stix\","
    "\"pattern\":\"[email-message:from_ref.value = 'Desk@News.test' AND email-message:subject = "
    "'Weekly  BRIEFING']\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--3\",\"pattern_type\":\"snort\",\"pattern\":"
    "\"alert "
    "tcp\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--4\",\"pattern_type\":\"stix\",\"pattern\":\"[url:"
    "value "
    "= 'HTTPS://Evil.test:443/a/../b?q=1#frag'] AND [file:hashes.'SHA-256' = "
    "'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']\"},"
    "{\"type\":\"indicator\",\"id\":\"indicator--5\",\"pattern\":\"[domain-name:value = \"},"
    "{\"type\":\"domain-name\",\"id\":\"domain-name--1\",\"value\":\"observed.test\"}]}";

static void test_stix(void **state) {
  (void)state;
  bw_intel_report rep;
  bw_intel *in = load("t.json", STIX, &rep);
  assert_int_equal(rep.loaded, 6);
  /* x509, snort, the malformed pattern, the observable */
  assert_int_equal(rep.unsupported, 4);
  assert_true(has_skip(&rep, "x509-certificate:issuer", "not something a message carries"));
  assert_true(has_skip(&rep, "indicator--3", "pattern_type 'snort'"));
  assert_true(has_skip(&rep, "indicator--5", "expected a literal"));
  assert_true(has_skip(&rep, "domain-name--1", "cyber-observable"));
  found f = {0};
  bw_intel_lookup_domain(in, "cdn.tracker.evil.test", collect, &f);
  assert_int_equal(f.n, 1);
  assert_non_null(strstr(f.actors, "actor:APT31"));
  assert_non_null(strstr(f.actors, "campaign:Pixel recon"));
  memset(&f, 0, sizeof(f));
  bw_intel_lookup_ip(in, "198.51.100.77", collect, &f);
  assert_int_equal(f.n, 1);
  memset(&f, 0, sizeof(f));
  bw_intel_lookup_ip(in, "198.51.101.1", collect, &f);
  assert_int_equal(f.n, 0);
  memset(&f, 0, sizeof(f));
  bw_intel_lookup_email(in, "desk@news.test", collect, &f);
  assert_int_equal(f.n, 1);
  assert_true(f.group != 0);
  memset(&f, 0, sizeof(f));
  bw_intel_lookup_subject(in, "weekly briefing", collect, &f);
  assert_int_equal(f.n, 1);
  memset(&f, 0, sizeof(f));
  bw_intel_lookup_url(in, "https://evil.test/b?q=1", collect, &f);
  assert_int_equal(f.n, 1);
  memset(&f, 0, sizeof(f));
  bw_intel_lookup_hash(in, "EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C",
                       collect, &f);
  assert_int_equal(f.n, 1);
  bw_intel_report_free(&rep);
  bw_intel_free(in);
}

static const char *MISP =
    "{\"Event\":{\"id\":\"7\",\"uuid\":\"u-1\",\"info\":\"Fake news lures\","
    "\"Tag\":[{\"name\":\"tlp:white\"},{\"name\":\"misp-galaxy:threat-actor=\\\"APT31\\\"\"}],"
    "\"Attribute\":[{\"type\":\"domain\",\"value\":\"lure.test\"},"
    "{\"type\":\"ip-dst\",\"value\":\"2001:db8::1\"},"
    "{\"type\":\"email-subject\",\"value\":\"Invitation\"},"
    "{\"type\":\"md5\",\"value\":\"001dd76872d80801692ff942308c64e6\"},"
    "{\"type\":\"filename\",\"value\":\"a.doc\"},"
    "{\"type\":\"md5\",\"value\":\"nothex\"},"
    "{\"type\":\"domain|ip\",\"value\":\"dual.test|192.0.2.77\"},"
    "{\"type\":\"ip-dst|port\",\"value\":\"192.0.2.78|443\"},"
    "{\"type\":\"filename|md5\",\"value\":\"x.doc|nothex2\"}],"
    "\"Object\":[{\"Attribute\":[{\"type\":\"url\",\"value\":\"http://lure.test/x\"},"
    "{\"type\":\"text\",\"value\":\"note\"}]}]}}";

static void test_misp(void **state) {
  (void)state;
  bw_intel_report rep;
  bw_intel *in = load("event.json", MISP, &rep);
  assert_int_equal(rep.loaded, 7);
  assert_int_equal(rep.unsupported, 4);
  assert_true(has_skip(&rep, "filename|md5", "hex"));
  assert_true(has_skip(&rep, "filename a.doc", "'filename' is not matched"));
  assert_true(has_skip(&rep, "nothex", "hex"));
  assert_true(has_skip(&rep, "text note", "'text'"));
  found f = {0};
  bw_intel_lookup_ip(in, "2001:db8:0:0::1", collect, &f);
  assert_int_equal(f.n, 1);
  assert_string_equal(f.actors, "actor:APT31");
  assert_non_null(strstr(f.refs, "MISP event 7"));
  memset(&f, 0, sizeof(f));
  bw_intel_lookup_url(in, "http://lure.test/x", collect, &f);
  assert_int_equal(f.n, 1);
  const char *composite[] = {"dual.test", "192.0.2.77", "192.0.2.78"};
  for (size_t i = 0; i < 3; i++) {
    memset(&f, 0, sizeof(f));
    bw_intel_lookup_any(in, composite[i], collect, &f);
    assert_int_equal(f.n, 1);
  }
  bw_intel_report_free(&rep);
  bw_intel_free(in);
}

static void test_plain_list_and_csv(void **state) {
  (void)state;
  bw_intel_report rep;
  bw_intel *in = load("apt31_list.txt",
                      "# a comment\n"
                      "evil.test\n"
                      "203.0.113.9:8080 # C2\n"
                      "10.1.0.0/16\n"
                      "bad@@\n"
                      "3fefa55daeb167931975c22df3eca20a;Temp.Periscope report\n"
                      "https://evil.test/x.php?a=1\n"
                      "not a domain!\n",
                      &rep);
  assert_int_equal(rep.loaded, 5);
  assert_int_equal(rep.unsupported, 2);
  found f = {0};
  bw_intel_lookup_ip(in, "10.1.200.3", collect, &f);
  assert_int_equal(f.n, 1);
  assert_string_equal(f.actors, "actor:APT31"); /* from the file name's first word */
  memset(&f, 0, sizeof(f));
  bw_intel_lookup_hash(in, "3fefa55daeb167931975c22df3eca20a", collect, &f);
  assert_non_null(strstr(f.actors, "actor:APT40")); /* the comment names Temp.Periscope */
  bw_intel_report_free(&rep);
  bw_intel_free(in);
  in = load("export.csv",
            "uuid,type,value,tags\n"
            "1,ip-dst,192.0.2.5,\"misp-galaxy:threat-actor=\"\"APT31\"\"\"\n"
            "2,regkey,HKLM\\x,\n"
            "3,domain,csv.test,\n",
            &rep);
  assert_int_equal(rep.loaded, 2);
  assert_int_equal(rep.unsupported, 1);
  memset(&f, 0, sizeof(f));
  bw_intel_lookup_ip(in, "192.0.2.5", collect, &f);
  assert_string_equal(f.actors, "actor:APT31");
  bw_intel_report_free(&rep);
  bw_intel_free(in);
}

static void test_maltrail(void **state) {
  (void)state;
  bw_intel_report rep;
  bw_intel *in = load("apt_judgmentpanda.txt",
                      "# Copyright (c) Maltrail developers\n\n"
                      "# Aliases: apt-31, zirconium\n\n"
                      "# Reference: https://one.example/report\n\n"
                      "first.test\n\n"
                      "# Reference: https://two.example/a\n"
                      "# Reference: https://two.example/b\n\n"
                      "20.11.11.67:443\n"
                      "http://198.51.100.4\n"
                      "second.test/panel/login.php\n"
                      "/?cwhe18nc\n",
                      &rep);
  assert_int_equal(rep.loaded, 4);
  assert_int_equal(rep.unsupported, 1);
  assert_true(has_skip(&rep, "/?cwhe18nc", "without a host"));
  found f = {0};
  bw_intel_lookup_domain(in, "first.test", collect, &f);
  assert_string_equal(f.refs, "https://one.example/report");
  assert_string_equal(f.actors, "actor:APT31");
  memset(&f, 0, sizeof(f));
  bw_intel_lookup_ip(in, "20.11.11.67", collect, &f);
  assert_string_equal(f.refs, "https://two.example/a\nhttps://two.example/b");
  memset(&f, 0, sizeof(f));
  bw_intel_lookup_ip(in, "198.51.100.4", collect, &f); /* a URL naming only a server */
  assert_int_equal(f.n, 1);
  memset(&f, 0, sizeof(f));
  bw_intel_lookup_url(in, "https://second.test/panel/login.php", collect, &f);
  assert_int_equal(f.n, 1);
  bw_intel_report_free(&rep);
  bw_intel_free(in);
}

static void test_not_a_feed(void **state) {
  (void)state;
  bw_intel_builder *b = bw_intel_builder_new();
  bw_intel_report rep;
  bw_intel_report_init(&rep);
  bw_error err = {0};
  const char *json = "{\"type\":\"campaign\",\"name\":\"x\"}";
  assert_int_equal(bw_intel_builder_load_buffer(b, "c.json", json, strlen(json), &rep, &err),
                   BW_EFORMAT);
  assert_non_null(strstr(err.message, "neither"));
  const char *broken = "{\"type\":\"bundle\",";
  assert_int_equal(bw_intel_builder_load_buffer(b, "b.json", broken, strlen(broken), &rep, &err),
                   BW_EFORMAT);
  bw_intel_builder_free(b);
  bw_intel_report_free(&rep);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_stix), cmocka_unit_test(test_misp),
                                     cmocka_unit_test(test_plain_list_and_csv),
                                     cmocka_unit_test(test_maltrail),
                                     cmocka_unit_test(test_not_a_feed)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
