/*
 * test_scan.c - the whole pipeline through the public API: resources and
 * links extracted from HTML and text, hidden-ness, sizes, the JSON record
 * (checked with jansson, an independent parser) and limits as findings.
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

/* Scans msg and returns its JSON record parsed by jansson. */
static json_t *scan_to_json(const bw_engine *e, const char *msg) {
  bw_result *r;
  bw_error err;
  bw_scan_opts opts = {.locator = {.path = "test.eml", .index = -1, .offset = -1}};
  assert_int_equal(bw_scan(e, msg, strlen(msg), &opts, &r, &err), BW_OK);
  bw_buf out;
  bw_buf_init(&out);
  assert_int_equal(bw_result_to_json(r, &out), BW_OK);
  json_error_t jerr;
  json_t *root = json_loadb(out.data, out.len, 0, &jerr);
  if (!root) fail_msg("invalid JSON: %s in %s", jerr.text, out.data);
  bw_buf_free(&out);
  bw_result_free(r);
  return root;
}

static json_t *find_resource(json_t *root, const char *url_part) {
  size_t i;
  json_t *res;
  json_array_foreach(json_object_get(root, "resources"), i, res) {
    if (strstr(json_string_value(json_object_get(res, "url")), url_part)) return res;
  }
  fail_msg("no resource with %s", url_part);
  return NULL;
}

static const char *str(json_t *obj, const char *key) {
  return json_string_value(json_object_get(obj, key));
}

static const char HTML_MESSAGE[] =
    "From: \"BBC News\" <alerts@bbc-newsroom.test>\n"
    "To: alice@parliament-a.example\n"
    "Subject: Today\n"
    "Content-Type: text/html; charset=utf-8\n\n"
    "<html><head><style>@import url(\"https://css.track.test/a.css?u=1\");\n"
    "@font-face { font-family: x; src: url(https://fonts.track.test/f.woff2) }\n"
    ".x { background: url('https://bg.track.test/b.png') }</style>\n"
    "<link rel=\"stylesheet\" href=\"https://cdn.example.org/s.css\">\n"
    "<meta http-equiv=\"refresh\" content=\"30; url='https://refresh.test/r'\"></head>\n"
    "<body background=\"https://body-bg.test/x.jpg\">\n"
    "<img src=\"https://t.newsbrief.test/o/ab.gif?id=1&amp;r=2\" width=\"1\" height=\"1\">\n"
    "<img srcset=\"https://img.test/a.jpg 1x, https://img.test/b,c.jpg 2x\">\n"
    "<div style=\"display:none\"><p><img src=\"https://hidden-parent.test/p.gif\"></p></div>\n"
    "<img src=\"https://visible.test/v.png\" style=\"width:600px;height:80px\">\n"
    "<span style=\"background-image:url(https://inline-bg.test/i.png)\"></span>\n"
    "<img src=\"cid:logo@x\"><img src=\"data:image/gif;base64,R0lGOD\">\n"
    "<video poster=\"https://poster.test/p.jpg\"></video>\n"
    "<input type=\"image\" src=\"https://input.test/i.png\"><input type=\"text\" "
    "src=\"https://no.test/\">\n"
    "<iframe src=\"https://frame.test/f\"></iframe>\n"
    "<a href=\"https://evil.test/login\">  https://www.bbc.co.uk/\n news </a>\n"
    "<a href=\"https://x.test/\"><img src=\"https://btn.test/b.png\" alt=\"Read more\"></a>\n"
    "<form action=\"https://form.test/post\"></form>\n"
    "</body></html>\n";

static void test_html_resources(void **state) {
  (void)state;
  json_t *root = scan_to_json(engine, HTML_MESSAGE);
  json_t *pixel = find_resource(root, "t.newsbrief.test");
  assert_string_equal(str(pixel, "url"), "https://t.newsbrief.test/o/ab.gif?id=1&r=2");
  assert_string_equal(str(pixel, "kind"), "image");
  assert_int_equal(json_number_value(json_object_get(pixel, "width")), 1);
  assert_true(json_is_true(json_object_get(pixel, "hidden")));
  assert_string_equal(str(pixel, "hidden_reasons"), "tiny");
  assert_string_equal(str(pixel, "registrable_domain"), "newsbrief.test");

  assert_string_equal(str(find_resource(root, "css.track.test"), "kind"), "import");
  assert_string_equal(str(find_resource(root, "fonts.track.test"), "kind"), "font");
  assert_string_equal(str(find_resource(root, "bg.track.test"), "context"), "style-block");
  assert_string_equal(str(find_resource(root, "cdn.example.org"), "kind"), "stylesheet");
  assert_string_equal(str(find_resource(root, "refresh.test"), "kind"), "refresh");
  assert_string_equal(str(find_resource(root, "body-bg.test"), "kind"), "background");
  assert_non_null(find_resource(root, "img.test/a.jpg"));
  assert_non_null(find_resource(root, "img.test/b,c.jpg"));
  json_t *hidden = find_resource(root, "hidden-parent.test");
  assert_string_equal(str(hidden, "hidden_reasons"), "hidden-ancestor");
  json_t *visible = find_resource(root, "visible.test");
  assert_false(json_is_true(json_object_get(visible, "hidden")));
  assert_int_equal(json_number_value(json_object_get(visible, "width")), 600);
  json_t *inline_bg = find_resource(root, "inline-bg.test");
  assert_string_equal(str(inline_bg, "context"), "style-attribute");
  assert_string_equal(str(inline_bg, "kind"), "background");
  assert_true(json_is_true(json_object_get(find_resource(root, "cid:"), "local")));
  assert_false(json_is_true(json_object_get(find_resource(root, "data:"), "remote")));
  assert_string_equal(str(find_resource(root, "poster.test"), "attr"), "poster");
  assert_non_null(find_resource(root, "input.test"));
  assert_string_equal(str(find_resource(root, "frame.test"), "kind"), "frame");
  size_t i;
  json_t *res;
  json_array_foreach(json_object_get(root, "resources"), i, res) {
    assert_null(strstr(str(res, "url"), "no.test")); /* input type=text loads nothing */
  }
  json_decref(root);
}

/*
 * Hidden ancestors whose CSS is only read once something below them has a
 * resource: through unstyled elements, after siblings closed, for a <style>
 * block, and past the 64 KiB of style text the extractor keeps for open
 * elements (beyond it elements are resolved when they open).
 */
static void test_hidden_ancestors(void **state) {
  (void)state;
  enum { BIG = 30000 };
  static char msg[4 * BIG + 4096];
  size_t n =
      (size_t)snprintf(msg, sizeof msg, "%s",
                       "From: a@example.org\nContent-Type: text/html\n\n"
                       "<div style=\"display:none\"><span><table><tr><td style=\"color:red\">"
                       "<img src=\"https://deep.test/a.gif\"></td></tr></table></span></div>"
                       "<div style=\"opacity:0\"><p></p></div>"
                       "<img src=\"https://after-close.test/b.gif\" width=10 height=10>"
                       "<div style=\"visibility:hidden\"><style>"
                       ".x{background:url(https://sheet.test/s.png)}</style></div>");
  for (int level = 0; level < 3; level++) { /* three divs, ~90 KB of style text in all */
    n += (size_t)snprintf(msg + n, sizeof msg - n, "<div style=\"");
    while (n < (size_t)(level + 1) * BIG + 600) n += (size_t)snprintf(msg + n, 12, "padding:0;");
    n += (size_t)snprintf(msg + n, sizeof msg - n, "%s\">", level == 0 ? "opacity:0" : "margin:0");
  }
  snprintf(msg + n, sizeof msg - n, "%s",
           "<img src=\"https://budget.test/c.gif\" width=10 height=10></div></div></div>"
           "<img src=\"https://after-budget.test/d.gif\" width=10 height=10>");
  json_t *root = scan_to_json(engine, msg);
  assert_string_equal(str(find_resource(root, "deep.test"), "hidden_reasons"), "hidden-ancestor");
  assert_false(json_is_true(json_object_get(find_resource(root, "after-close.test"), "hidden")));
  assert_string_equal(str(find_resource(root, "sheet.test"), "hidden_reasons"), "hidden-ancestor");
  assert_string_equal(str(find_resource(root, "budget.test"), "hidden_reasons"), "hidden-ancestor");
  assert_false(json_is_true(json_object_get(find_resource(root, "after-budget.test"), "hidden")));
  json_decref(root);
}

static void test_html_links(void **state) {
  (void)state;
  json_t *root = scan_to_json(engine, HTML_MESSAGE);
  json_t *links = json_object_get(root, "links");
  assert_int_equal(json_array_size(links), 3);
  json_t *deceptive = json_array_get(links, 0);
  assert_string_equal(str(deceptive, "host"), "evil.test");
  assert_string_equal(str(deceptive, "text"), "https://www.bbc.co.uk/ news");
  assert_string_equal(str(json_array_get(links, 1), "text"), "Read more");
  assert_string_equal(str(json_array_get(links, 2), "tag"), "form");
  /* "BBC News" from a look-alike domain with a 1x1 pixel that does not identify the
     recipient: deception without a recipient-identifying beacon. */
  assert_string_equal(str(root, "verdict"), "suspicious");
  assert_string_equal(str(json_object_get(root, "locator"), "path"), "test.eml");
  assert_true(json_is_null(json_object_get(json_object_get(root, "locator"), "index")));
  json_decref(root);
}

static void test_text_plain_urls(void **state) {
  (void)state;
  json_t *root = scan_to_json(engine, "Content-Type: text/plain\n\nSee https://a.test/x, and "
                                      "www.b.test/y. Or (https://c.test/z).\n");
  json_t *links = json_object_get(root, "links");
  assert_int_equal(json_array_size(links), 3);
  assert_string_equal(str(json_array_get(links, 0), "url"), "https://a.test/x");
  assert_string_equal(str(json_array_get(links, 1), "host"), "www.b.test");
  assert_string_equal(str(json_array_get(links, 2), "url"), "https://c.test/z");
  assert_string_equal(str(json_array_get(links, 0), "tag"), "text");
  json_decref(root);
}

static void test_url_limit_is_a_finding(void **state) {
  (void)state;
  bw_config cfg;
  bw_config_init(&cfg);
  cfg.limits.max_urls = 2;
  bw_engine *small;
  bw_error err;
  assert_int_equal(bw_engine_new(&cfg, &small, &err), BW_OK);
  json_t *root = scan_to_json(small, "Content-Type: text/html\n\n<img src=http://a.test/1>"
                                     "<img src=http://a.test/2><img src=http://a.test/3>\n");
  assert_int_equal(json_array_size(json_object_get(root, "resources")), 2);
  json_t *f = json_array_get(json_object_get(root, "findings"), 0);
  assert_string_equal(str(f, "kind"), "limit_exceeded");
  assert_string_equal(str(json_object_get(f, "evidence"), "limit"), "urls");
  json_decref(root);
  bw_engine_free(small);
}

static void test_garbage_is_not_an_error(void **state) {
  (void)state;
  static const char garbage[] = "\x00\xff\x01<<<\n\n--\x80";
  bw_result *r;
  bw_error err;
  assert_int_equal(bw_scan(engine, garbage, sizeof(garbage) - 1, NULL, &r, &err), BW_OK);
  bw_buf out;
  bw_buf_init(&out);
  assert_int_equal(bw_result_to_json(r, &out), BW_OK);
  json_error_t jerr;
  json_t *root = json_loadb(out.data, out.len, 0, &jerr);
  assert_non_null(root);
  json_decref(root);
  bw_buf_reset(&out);
  assert_int_equal(bw_result_to_text(r, &out), BW_OK);
  bw_buf_free(&out);
  bw_result_free(r);
}

static void test_json_escapes_invalid_utf8(void **state) {
  (void)state;
  json_t *root = scan_to_json(engine, "Subject: caf\xe9 \"quoted\" \\ \x01\n\nbody\n");
  const char *subject = str(root, "subject");
  assert_non_null(subject);
  assert_non_null(strstr(subject, "\"quoted\" \\"));
  json_decref(root);
}

static void test_truncated_message_is_reported(void **state) {
  (void)state;
  bw_result *r;
  bw_error err;
  bw_scan_opts opts = {.locator = {.path = "big.mbox", .index = 3, .offset = 1024}, .truncated = 1};
  assert_int_equal(bw_scan(engine, "Subject: x\n\ny\n", 14, &opts, &r, &err), BW_OK);
  size_t n;
  const bw_finding *const *f = bw_result_findings(r, &n);
  assert_int_equal(n, 1);
  assert_string_equal(f[0]->kind, "limit_exceeded");
  assert_int_equal(bw_result_locator(r)->index, 3);
  bw_result_free(r);
}

/* Suspect mail forwarded to a security team: the forwarded message's sender is the one judged. */
static void test_forwarded_impersonation(void **state) {
  (void)state;
  json_t *root = scan_to_json(
      engine,
      "From: Bob <bob@ngo-b.example>\nTo: security@ngo-b.example\nSubject: Fwd: odd mail\n"
      "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
      "--b\nContent-Type: message/rfc822\n\n"
      "From: \"BBC News\" <alerts@bbc-newsroom.test>\nTo: bob@ngo-b.example\nSubject: Today\n"
      "Content-Type: text/html\n\n<p>News</p>"
      "<img src=\"https://t.newsbrief.test/o/c5b0b2f9e0c2b3e28ef5e3c87c8c4a59.gif\" width=1 "
      "height=1>"
      "<img src=\"https://t.newsbrief.test/p.gif?r=Ym9iQG5nby1iLmV4YW1wbGU\" width=1 height=1>\n"
      "--b--\n");
  assert_string_equal(str(root, "verdict"), "targeted_beacon");
  json_t *fw = json_array_get(json_object_get(root, "forwarded"), 0);
  assert_non_null(fw);
  assert_string_equal(str(fw, "part"), "1.2");
  json_t *imp = json_object_get(json_object_get(fw, "identity"), "impersonates");
  assert_string_equal(str(imp, "name"), "BBC News");
  json_decref(root);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_html_resources),
      cmocka_unit_test(test_html_links),
      cmocka_unit_test(test_hidden_ancestors),
      cmocka_unit_test(test_text_plain_urls),
      cmocka_unit_test(test_url_limit_is_a_finding),
      cmocka_unit_test(test_garbage_is_not_an_error),
      cmocka_unit_test(test_json_escapes_invalid_utf8),
      cmocka_unit_test(test_truncated_message_is_reported),
      cmocka_unit_test(test_forwarded_impersonation),
  };
  return cmocka_run_group_tests_name("scan", tests, setup_engine, teardown_engine);
}
