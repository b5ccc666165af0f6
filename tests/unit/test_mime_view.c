/*
 * test_mime_view.c - the MIME view: decoders, charsets, structure, headers,
 * Authentication-Results and limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <gmime/gmime.h>
#include <iconv.h>

#include "findings.h"
#include "mime/decode.h"
#include "mime/transfer.h"
#include "mime/view.h"

typedef struct fixture {
  bw_engine *engine; /* initialises GMime */
  bw_arena arena;
  bw_findings findings;
  bw_view view;
  bw_config cfg;
} fixture;

static int setup(void **state) {
  static fixture f;
  memset(&f, 0, sizeof(f));
  bw_error err;
  if (bw_engine_new(NULL, &f.engine, &err) != BW_OK) return -1;
  bw_config_init(&f.cfg);
  bw_arena_init(&f.arena);
  bw_findings_init(&f.findings, &f.arena);
  *state = &f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  bw_arena_free(&f->arena);
  bw_engine_free(f->engine);
  return 0;
}

static const bw_view *build(fixture *f, const char *msg) {
  assert_int_equal(
      bw_view_build(&f->view, msg, strlen(msg), &f->cfg.limits, &f->arena, &f->findings), BW_OK);
  return &f->view;
}

static size_t count_findings(const fixture *f, const char *kind, const char *evidence_value) {
  size_t n = 0;
  for (size_t i = 0; i < f->findings.items.len; i++) {
    const bw_finding *x = f->findings.items.items[i];
    if (strcmp(x->kind, kind) != 0) continue;
    if (!evidence_value) {
      n++;
      continue;
    }
    for (size_t e = 0; e < x->n_evidence; e++)
      if (strcmp(x->evidence[e].value, evidence_value) == 0) n++;
  }
  return n;
}

static void test_headers_decoded_and_raw(void **state) {
  const bw_view *v = build(*state, "From: =?UTF-8?B?5Lit5aSu56S+?= <news@cna-press.test>\n"
                                   "To: Alice <Alice@Parliament-A.example>, bob@ngo-b.example\n"
                                   "Subject: =?ISO-8859-1?Q?caf=E9?= and\n more\n"
                                   "Message-ID: <abc@x.test>\n"
                                   "Date: Thu, 19 Nov 2026 09:12:44 +0100\n"
                                   "Return-Path: <bounce@esp.test>\n"
                                   "\nbody\n");
  assert_string_equal(v->subject, "café and more");
  assert_string_equal(v->from.items[0].name, "中央社");
  assert_string_equal(v->from.items[0].domain, "cna-press.test");
  assert_int_equal(v->to.n, 2);
  assert_string_equal(v->to.items[0].domain, "parliament-a.example");
  assert_string_equal(v->message_id, "abc@x.test");
  assert_string_equal(v->date, "2026-11-19T09:12:44+01:00");
  assert_string_equal(v->return_path, "bounce@esp.test");
  const bw_header *h = bw_view_header(v, "subject");
  assert_non_null(h);
  assert_non_null(strstr(h->raw, "=?ISO-8859-1?Q?caf=E9?="));
}

static void test_quoted_printable_and_charset(void **state) {
  const bw_view *v =
      build(*state, "Content-Type: text/html; charset=iso-8859-1\n"
                    "Content-Transfer-Encoding: quoted-printable\n\n"
                    "<img src=3D\"http://t.example/p.gif?a=3D1&amp;b=3D2\">caf=E9 soft=\n"
                    "break\n");
  const bw_part *p = v->root;
  assert_string_equal(p->content_type, "text/html");
  assert_string_equal(p->transfer_encoding, "quoted-printable");
  assert_string_equal(p->charset_declared, "iso-8859-1");
  assert_non_null(
      strstr(p->data, "<img src=\"http://t.example/p.gif?a=1&amp;b=2\">café softbreak"));
}

static void test_base64_gb2312(void **state) {
  /* "中文" in GB2312 is D6 D0 CE C4 -> base64 1tDOxA== */
  const bw_view *v = build(*state, "Content-Type: text/plain; charset=gb2312\n"
                                   "Content-Transfer-Encoding: base64\n\n1tDOxA==\n");
  assert_string_equal(v->root->data, "中文");
  assert_non_null(v->root->charset_used);
}

static void test_invalid_utf8_replaced(void **state) {
  const bw_view *v = build(*state, "Content-Type: text/plain; charset=utf-8\n\nok \xff\xfe end\n");
  assert_string_equal(v->root->data, "ok \xEF\xBF\xBD\xEF\xBF\xBD end\n");
}

/* base64.c against GMime's decoder on random mixes of alphabet, line breaks, '=' and junk. */
static void test_base64_matches_gmime(void **state) {
  (void)state;
  static const char pool[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/\r\n=- \x80.";
  unsigned seed = 12345;
  unsigned char in[600], ours[600], theirs[700];
  for (int round = 0; round < 20000; round++) {
    size_t len = (size_t)(round % 300);
    for (size_t i = 0; i < len; i++) {
      seed = seed * 1103515245u + 12345u;
      /* Mostly alphabet, so that the whole-quartet path runs; sometimes anything. */
      in[i] = (seed >> 24) % 16 == 0 ? (unsigned char)(seed >> 8)
                                     : (unsigned char)pool[(seed >> 16) % (sizeof(pool) - 1)];
    }
    int st = 0;
    guint32 save = 0;
    size_t expected = g_mime_encoding_base64_decode_step(in, len, theirs, &st, &save);
    size_t got = bw_base64_decode(in, len, ours);
    assert_int_equal(got, expected);
    assert_memory_equal(ours, theirs, got);
  }
}

/* transfer.c against GMime's quoted-printable decoder, escapes and soft breaks cut anywhere. */
static void test_quoted_printable_matches_gmime(void **state) {
  (void)state;
  static const char pool[] = "abc xyz=3D=41=4g=\r\n=\n==\r\n\t=e9=E9=\x80";
  unsigned seed = 777;
  unsigned char in[400], ours[400], theirs[1300];
  for (int round = 0; round < 20000; round++) {
    size_t len = (size_t)(round % 200);
    for (size_t i = 0; i < len; i++) {
      seed = seed * 1103515245u + 12345u;
      in[i] = (unsigned char)pool[(seed >> 16) % (sizeof(pool) - 1)];
    }
    int st = 0;
    guint32 save = 0;
    size_t expected = g_mime_encoding_quoted_decode_step(in, len, theirs, &st, &save);
    size_t got = bw_qp_decode(in, len, ours);
    assert_int_equal(got, expected);
    assert_memory_equal(ours, theirs, got);
  }
}

/* iconv's conversion of one byte: its UTF-8, or U+FFFD when iconv rejects it. */
static size_t iconv_one_byte(const char *label, unsigned char c, char out[8]) {
  iconv_t cd = iconv_open("UTF-8", g_mime_charset_iconv_name(label));
  assert_true(cd != (iconv_t)-1);
  char in = (char)c, *inbuf = &in, *outbuf = out;
  size_t inleft = 1, outleft = 8;
  size_t n = iconv(cd, &inbuf, &inleft, &outbuf, &outleft) == (size_t)-1 ? 0 : 8 - outleft;
  iconv_close(cd);
  if (!n) memcpy(out, "\xEF\xBF\xBD", n = 3);
  return n;
}

/* The single-byte charsets decode.c converts by table give exactly iconv's text, byte for byte. */
static void test_single_byte_charsets_match_iconv(void **state) {
  (void)state;
  static const char *const labels[] = {"iso-8859-1", "ISO-8859-15",  "windows-1252",
                                       "cp1252",     "windows-1251", "latin1"};
  char all[255];
  for (int c = 1; c < 256; c++) all[c - 1] = (char)c;
  bw_arena a;
  bw_arena_init(&a);
  for (size_t l = 0; l < sizeof(labels) / sizeof(labels[0]); l++) {
    char expected[255 * 8];
    size_t n = 0;
    for (int c = 1; c < 256; c++) n += iconv_one_byte(labels[l], (unsigned char)c, expected + n);
    const char *out, *used;
    size_t out_len;
    assert_int_equal(bw_decode_text(&a, all, sizeof(all), labels[l], &out, &out_len, &used), BW_OK);
    assert_int_equal(out_len, n);
    assert_memory_equal(out, expected, n);
    assert_string_equal(used, g_mime_charset_canon_name(labels[l]));
  }
  bw_arena_free(&a);
}

static void test_unknown_charset_falls_back(void **state) {
  const bw_view *v =
      build(*state, "Content-Type: text/plain; charset=x-no-such-charset\n\nplain ascii\n");
  assert_string_equal(v->root->data, "plain ascii\n");
  assert_string_equal(v->root->charset_used, "utf-8");
}

static void test_structure_and_attachments(void **state) {
  const bw_view *v = build(
      *state, "Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
              "--outer\nContent-Type: multipart/alternative; boundary=inner\n\n"
              "--inner\nContent-Type: text/plain\n\nhi\n"
              "--inner\nContent-Type: text/html\n\n<p>hi</p>\n--inner--\n"
              "--outer\nContent-Type: application/octet-stream\n"
              "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.txt\n"
              "Content-Transfer-Encoding: base64\n\naGVsbG8=\n"
              "--outer\nContent-Type: message/rfc822\n\n"
              "From: inner@x.test\nSubject: forwarded\nContent-Type: text/plain\n\ninner body\n"
              "--outer--\n");
  assert_int_equal(v->n_parts, 7);
  const char *ids[] = {"1", "1.1", "1.1.1", "1.1.2", "1.2", "1.3", "1.3.1"};
  const char *types[] = {"multipart/mixed", "multipart/alternative",    "text/plain",
                         "text/html",       "application/octet-stream", "message/rfc822",
                         "text/plain"};
  for (size_t i = 0; i < 7; i++) {
    assert_string_equal(v->parts[i]->id, ids[i]);
    assert_string_equal(v->parts[i]->content_type, types[i]);
  }
  const bw_part *att = v->parts[4];
  assert_true(att->is_attachment);
  assert_string_equal(att->filename, "résumé.txt");
  assert_int_equal(att->raw_len, 5);
  assert_string_equal(att->md5, "5d41402abc4b2a76b9719d911017c592");
  assert_string_equal(att->sha1, "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
  assert_string_equal(att->sha256,
                      "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  const bw_part *fwd = v->parts[5];
  assert_true(fwd->is_message);
  assert_int_equal(fwd->n_children, 1);
  assert_true(fwd->n_headers >= 2);
  assert_string_equal(v->parts[6]->data,
                      "inner body"); /* the CRLF before a boundary belongs to it */
  assert_false(v->parts[2]->is_attachment);
}

static void test_uuencode_transfer_encoding(void **state) {
  const bw_view *v = build(*state, "Content-Type: application/octet-stream\n"
                                   "Content-Transfer-Encoding: x-uuencode\n\n"
                                   "begin 644 hello.txt\n%:&5L;&\\`\n`\nend\n");
  assert_int_equal(v->root->raw_len, 5);
  assert_memory_equal(v->root->data, "hello", 5);
}

static void test_authentication_results(void **state) {
  const bw_view *v = build(
      *state, "Authentication-Results: mx.top.example (comment);\n"
              " spf=pass (sender ok) smtp.mailfrom=bounce@esp.test;\n"
              " dkim=pass header.d=esp.test header.s=s1; dkim = fail header.d=Outlet.example;\n"
              " dmarc=fail (p=reject) header.from=outlet.example\n"
              "Authentication-Results: mx.lower.example; none\n"
              "\nbody\n");
  assert_int_equal(v->n_auth, 2);
  const bw_auth_results *ar = &v->auth[0];
  assert_string_equal(ar->authserv_id, "mx.top.example");
  assert_int_equal(ar->n_methods, 4);
  assert_string_equal(ar->methods[0].method, "spf");
  assert_string_equal(ar->methods[0].smtp_mailfrom, "bounce@esp.test");
  assert_string_equal(ar->methods[1].header_d, "esp.test");
  assert_string_equal(ar->methods[1].header_s, "s1");
  assert_string_equal(ar->methods[2].result, "fail");
  assert_string_equal(ar->methods[2].header_d, "Outlet.example");
  assert_string_equal(ar->methods[3].method, "dmarc");
  assert_string_equal(ar->methods[3].header_from, "outlet.example");
  assert_string_equal(v->auth[1].authserv_id, "mx.lower.example");
  assert_int_equal(v->auth[1].n_methods, 0);
  assert_int_equal(v->auth[1].index, 1);
}

static void test_delivery_headers(void **state) {
  const bw_view *v =
      build(*state, "Delivered-To: carol@newsroom-c.example\n"
                    "X-Original-To: desk@newsroom-c.example\nTo: undisclosed-recipients:;\n\nx\n");
  assert_int_equal(v->delivered_to.n, 1);
  assert_string_equal(v->delivered_to.items[0].address, "carol@newsroom-c.example");
  assert_string_equal(v->x_original_to.items[0].address, "desk@newsroom-c.example");
  assert_int_equal(v->to.n, 0);
}

static void test_defects_become_findings(void **state) {
  fixture *f = *state;
  build(f, "Content-Type: multipart/mixed\n\nno boundary here\n");
  assert_true(count_findings(f, "parse_defect", "multipart_without_boundary") >= 1);
}

/* The defects found without GMime's warning callback (mime/defects.c) match what it would say. */
static void test_header_defects(void **state) {
  fixture *f = *state;
  build(f, "From: a@x.test\nFrom: b@y.test\nSubject: caf\xe9\nSubject: =?utf-8?q?bad\n"
           "To: x <y@z.test> w <q@r.test>\nContent-Type: text/plain; charset=a; charset=b\n"
           "Content-Length: 1\nContent-Length: 2\n\nbody\n");
  assert_true(count_findings(f, "parse_defect", "conflicting_header") >=
              2); /* From, Content-Length */
  assert_int_equal(count_findings(f, "parse_defect", "unencoded_8bit_header"), 1);
  assert_true(count_findings(f, "parse_defect", "invalid_address_list") >= 1);
  assert_true(count_findings(f, "parse_defect", "duplicated_parameter") +
                  count_findings(f, "parse_defect", "conflicting_parameter") >=
              1);
}

static void test_structural_defects(void **state) {
  fixture *f = *state;
  build(f, "Subject: x\nthis line is not a header\nContent-Type: multipart/mixed; boundary=b\n\n"
           "--b\nContent-Type: text/plain\n\nno closing boundary\n");
  assert_true(count_findings(f, "parse_defect", "invalid_header_name") >= 1);
}

static void test_limit_depth(void **state) {
  fixture *f = *state;
  f->cfg.limits.max_depth = 2;
  const bw_view *v = build(f, "Content-Type: multipart/mixed; boundary=a\n\n--a\n"
                              "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
                              "Content-Type: multipart/mixed; boundary=c\n\n--c\n"
                              "Content-Type: text/plain\n\ndeep\n--c--\n--b--\n--a--\n");
  assert_int_equal(count_findings(f, "limit_exceeded", "depth"), 1);
  for (size_t i = 0; i < v->n_parts; i++) assert_true(v->parts[i]->depth <= 2);
}

static void test_limit_parts(void **state) {
  fixture *f = *state;
  f->cfg.limits.max_parts = 3;
  const bw_view *v = build(f, "Content-Type: multipart/mixed; boundary=a\n\n"
                              "--a\n\none\n--a\n\ntwo\n--a\n\nthree\n--a\n\nfour\n--a--\n");
  assert_int_equal(v->n_parts, 3);
  assert_int_equal(count_findings(f, "limit_exceeded", "parts"), 1);
}

static void test_limit_decoded_bytes(void **state) {
  fixture *f = *state;
  f->cfg.limits.max_decoded_bytes = 8;
  const bw_view *v = build(f, "Content-Type: multipart/mixed; boundary=a\n\n"
                              "--a\n\nshort\n--a\n\nthis part is longer than eight bytes\n--a--\n");
  assert_int_equal(count_findings(f, "limit_exceeded", "decoded-bytes"), 1);
  assert_true(v->parts[1]->decoded);
  assert_false(v->parts[2]->decoded);
}

static void test_limit_header_bytes(void **state) {
  fixture *f = *state;
  f->cfg.limits.max_header_bytes = 40;
  const bw_view *v = build(f, "Subject: a fairly long subject line here\nX-A: 1\nX-B: 2\n\nbody\n");
  assert_true(v->n_headers < 3);
  assert_int_equal(count_findings(f, "limit_exceeded", "header-bytes"), 1);
}

static void test_empty_input(void **state) {
  fixture *f = *state;
  assert_int_equal(bw_view_build(&f->view, "", 0, &f->cfg.limits, &f->arena, &f->findings), BW_OK);
  assert_true(f->view.n_parts <= 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_headers_decoded_and_raw, setup, teardown),
      cmocka_unit_test_setup_teardown(test_quoted_printable_and_charset, setup, teardown),
      cmocka_unit_test_setup_teardown(test_base64_gb2312, setup, teardown),
      cmocka_unit_test_setup_teardown(test_invalid_utf8_replaced, setup, teardown),
      cmocka_unit_test_setup_teardown(test_single_byte_charsets_match_iconv, setup, teardown),
      cmocka_unit_test_setup_teardown(test_base64_matches_gmime, setup, teardown),
      cmocka_unit_test_setup_teardown(test_quoted_printable_matches_gmime, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unknown_charset_falls_back, setup, teardown),
      cmocka_unit_test_setup_teardown(test_structure_and_attachments, setup, teardown),
      cmocka_unit_test_setup_teardown(test_uuencode_transfer_encoding, setup, teardown),
      cmocka_unit_test_setup_teardown(test_authentication_results, setup, teardown),
      cmocka_unit_test_setup_teardown(test_delivery_headers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_defects_become_findings, setup, teardown),
      cmocka_unit_test_setup_teardown(test_header_defects, setup, teardown),
      cmocka_unit_test_setup_teardown(test_structural_defects, setup, teardown),
      cmocka_unit_test_setup_teardown(test_limit_depth, setup, teardown),
      cmocka_unit_test_setup_teardown(test_limit_parts, setup, teardown),
      cmocka_unit_test_setup_teardown(test_limit_decoded_bytes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_limit_header_bytes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_empty_input, setup, teardown),
  };
  return cmocka_run_group_tests_name("mime_view", tests, NULL, NULL);
}
