/*
 * test_css.c - unit tests for the CSS scanner (src/lib/html/css.c).
 *
 * The scanner decides which CSS references a message would load and whether
 * inline styles hide an element, so these tests pin down the tokenizer corner
 * cases that attackers use to smuggle a url() past a naive regex, and each
 * hiding technique that makes a tracking pixel invisible.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* needs the headers above */

#include <stdio.h>
#include <string.h>

#include "html/css.h"

enum { MAX_REFS = 16, MAX_TEXT = 256 };

typedef struct collected {
  size_t n;
  bw_css_ref_kind kind[MAX_REFS];
  char url[MAX_REFS][MAX_TEXT];
  char prop[MAX_REFS][MAX_TEXT];
  size_t offset[MAX_REFS];
  int stop_after; /* return 7 after this many refs; 0 never stops */
} collected;

static int collect(const bw_css_ref *ref, void *ctx) {
  collected *c = ctx;
  if (c->n < MAX_REFS) {
    c->kind[c->n] = ref->kind;
    snprintf(c->url[c->n], MAX_TEXT, "%.*s", (int)ref->url_len, ref->url);
    snprintf(c->prop[c->n], MAX_TEXT, "%.*s", (int)ref->property_len, ref->property);
    c->offset[c->n] = ref->offset;
  }
  c->n++;
  return c->stop_after && c->n >= (size_t)c->stop_after ? 7 : 0;
}

static collected sheet(const char *css) {
  collected c;
  memset(&c, 0, sizeof(c));
  assert_int_equal(bw_css_scan_sheet(css, strlen(css), collect, &c), 0);
  return c;
}

static collected decls(const char *css) {
  collected c;
  memset(&c, 0, sizeof(c));
  assert_int_equal(bw_css_scan_declarations(css, strlen(css), collect, &c), 0);
  return c;
}

static void expect_one(const collected *c, bw_css_ref_kind kind, const char *url,
                       const char *prop) {
  assert_int_equal(c->n, 1);
  assert_int_equal(c->kind[0], kind);
  assert_string_equal(c->url[0], url);
  assert_string_equal(c->prop[0], prop);
}

static void test_plain_url(void **state) {
  (void)state;
  collected c = sheet("p { background: url(http://t.example/a.gif) }");
  expect_one(&c, BW_CSS_REF_URL, "http://t.example/a.gif", "background");
  assert_int_equal(c.offset[0], 16);
}

static void test_quoted_and_case(void **state) {
  (void)state;
  collected c = sheet("p{Background-Image:URL( \"http://t.example/q.gif\" )}");
  expect_one(&c, BW_CSS_REF_URL, "http://t.example/q.gif", "background-image");
  c = sheet("p{background:url('x.png')}");
  expect_one(&c, BW_CSS_REF_URL, "x.png", "background");
  c = sheet("p{background:url(   spaced.png   )}");
  expect_one(&c, BW_CSS_REF_URL, "spaced.png", "background");
}

static void test_escaped_function_name(void **state) {
  (void)state;
  collected c = sheet("p{background:\\75 rl(http://t.example/e.gif)}");
  expect_one(&c, BW_CSS_REF_URL, "http://t.example/e.gif", "background");
  c = sheet("p{background:\\75rl(a.gif)}");
  expect_one(&c, BW_CSS_REF_URL, "a.gif", "background");
  c = sheet("p{background:u\\RL(b.gif)}");
  expect_one(&c, BW_CSS_REF_URL, "b.gif", "background");
  c = sheet("p{backgr\\6f und:url(c.gif)}");
  expect_one(&c, BW_CSS_REF_URL, "c.gif", "background");
}

static void test_escapes_inside_url(void **state) {
  (void)state;
  collected c = sheet("p{background:url(http\\3a //t.example/\\61 .gif)}");
  expect_one(&c, BW_CSS_REF_URL, "http://t.example/a.gif", "background");
  c = sheet("p{background:url(a\\)b.gif)}");
  expect_one(&c, BW_CSS_REF_URL, "a)b.gif", "background");
  c = sheet("p{background:url(\"a\\\"b\\\n.gif\")}");
  expect_one(&c, BW_CSS_REF_URL, "a\"b.gif", "background");
  c = sheet("p{background:url(x\\000041\r\ny)}");
  expect_one(&c, BW_CSS_REF_URL, "xAy", "background");
  c = sheet("p{background:url(\\0)}");
  expect_one(&c, BW_CSS_REF_URL, "\xEF\xBF\xBD", "background");
}

static void test_comments(void **state) {
  (void)state;
  collected c = sheet("/* url(http://no.example/) */ p{/*x*/background/**/:/**/url(y.gif)}");
  expect_one(&c, BW_CSS_REF_URL, "y.gif", "background");
  /* Inside an unquoted url a comment opener is just part of the url. */
  c = sheet("p{background:url(a/*b*/c.gif)}");
  expect_one(&c, BW_CSS_REF_URL, "a/*b*/c.gif", "background");
  /* Between url( and a quoted string, a comment breaks the function form. */
  c = sheet("p{background:url(/**/\"d.gif\")}");
  assert_int_equal(c.n, 0);
  c = sheet("p{background:url(z.gif)} /* unterminated url(q.gif)");
  expect_one(&c, BW_CSS_REF_URL, "z.gif", "background");
}

static void test_strings_hide_urls(void **state) {
  (void)state;
  collected c = sheet("p{content:\"url(http://no.example/)\"}");
  assert_int_equal(c.n, 0);
  c = sheet("p{content:'a\\'url(no.gif)'}");
  assert_int_equal(c.n, 0);
}

static void test_bad_urls(void **state) {
  (void)state;
  collected c = sheet("p{background:url(a b.gif)} q{background:url(ok.gif)}");
  expect_one(&c, BW_CSS_REF_URL, "ok.gif", "background");
  c = sheet("p{background:url(a\"b)} q{background:url(ok.gif)}");
  expect_one(&c, BW_CSS_REF_URL, "ok.gif", "background");
  c = sheet("p{background:url(a(b)} q{background:url(ok.gif)}");
  expect_one(&c, BW_CSS_REF_URL, "ok.gif", "background");
  /* The escaped ')' does not end the bad url. */
  c = sheet("p{background:url(a b\\)c.gif) q{background:url(ok.gif)}");
  expect_one(&c, BW_CSS_REF_URL, "ok.gif", "background");
}

static void test_unterminated(void **state) {
  (void)state;
  collected c = sheet("p{background:url(http://t.example/eof");
  expect_one(&c, BW_CSS_REF_URL, "http://t.example/eof", "background");
  c = sheet("p{background:url(\"http://t.example/str");
  expect_one(&c, BW_CSS_REF_URL, "http://t.example/str", "background");
  /* A newline ends a string as a bad string: no reference, and scanning recovers. */
  c = sheet("p{background:url(\"http://t.example/\n)} q{background:url(ok.gif)}");
  assert_int_equal(c.n, 1);
  assert_string_equal(c.url[0], "ok.gif");
}

static void test_import_forms(void **state) {
  (void)state;
  collected c = sheet("@import \"http://t.example/a.css\";");
  expect_one(&c, BW_CSS_REF_IMPORT, "http://t.example/a.css", "");
  assert_int_equal(c.offset[0], 0);
  c = sheet("  @IMPORT url(b.css) screen;");
  expect_one(&c, BW_CSS_REF_IMPORT, "b.css", "");
  assert_int_equal(c.offset[0], 2);
  c = sheet("@import url('c.css') layer(x) supports(display:grid);");
  expect_one(&c, BW_CSS_REF_IMPORT, "c.css", "");
  c = sheet("@\\69mport 'd.css';p{background:url(e.gif)}");
  assert_int_equal(c.n, 2);
  assert_int_equal(c.kind[0], BW_CSS_REF_IMPORT);
  assert_string_equal(c.url[0], "d.css");
  assert_int_equal(c.kind[1], BW_CSS_REF_URL);
  assert_string_equal(c.prop[1], "background");
}

static void test_namespace_is_not_fetched(void **state) {
  (void)state;
  collected c = sheet("@namespace svg url(http://www.w3.org/2000/svg); p{background:url(a)}");
  expect_one(&c, BW_CSS_REF_URL, "a", "background");
}

static void test_font_face(void **state) {
  (void)state;
  collected c = sheet("@font-face{font-family:x;src:url(http://t.example/f.woff) "
                      "format('woff'),url(\"g.ttf\")}p{background:url(h.gif)}");
  assert_int_equal(c.n, 3);
  assert_int_equal(c.kind[0], BW_CSS_REF_FONT_FACE);
  assert_string_equal(c.url[0], "http://t.example/f.woff");
  assert_string_equal(c.prop[0], "src");
  assert_int_equal(c.kind[1], BW_CSS_REF_FONT_FACE);
  assert_string_equal(c.url[1], "g.ttf");
  assert_int_equal(c.kind[2], BW_CSS_REF_URL);
  c = sheet("@media screen{@FONT-FACE{src:url(i.woff)}}");
  expect_one(&c, BW_CSS_REF_FONT_FACE, "i.woff", "src");
}

static void test_nested_blocks(void **state) {
  (void)state;
  collected c = sheet("@media screen and (min-width:1px){@supports (display:grid){"
                      "div p:hover{background-image:url(n.gif)}}} a{list-style:url(m.gif)}");
  assert_int_equal(c.n, 2);
  assert_string_equal(c.url[0], "n.gif");
  assert_string_equal(c.prop[0], "background-image");
  assert_string_equal(c.url[1], "m.gif");
  assert_string_equal(c.prop[1], "list-style");
  c = sheet("a{color:red; &:hover{cursor:url(k.cur),auto}}");
  expect_one(&c, BW_CSS_REF_URL, "k.cur", "cursor");
}

static void test_image_functions(void **state) {
  (void)state;
  collected c = sheet("p{background:image-set(\"a.png\" 1x, url(b.png) 2x, 'c.png' "
                      "type('image/avif'))}");
  assert_int_equal(c.n, 3);
  assert_string_equal(c.url[0], "a.png");
  assert_string_equal(c.url[1], "b.png");
  assert_string_equal(c.url[2], "c.png");
  assert_string_equal(c.prop[2], "background");
  c = sheet("p{background:-webkit-image-set('d.png' 1x)}");
  expect_one(&c, BW_CSS_REF_URL, "d.png", "background");
  c = sheet("p{background:image('e.png', red)}");
  expect_one(&c, BW_CSS_REF_URL, "e.png", "background");
  c = sheet("p{background:src(\"f.png\")}");
  expect_one(&c, BW_CSS_REF_URL, "f.png", "background");
  c = sheet("p{background:linear-gradient('no.png', red)}");
  assert_int_equal(c.n, 0);
}

static void test_declarations(void **state) {
  (void)state;
  collected c = decls("color:red; BACKGROUND: url(http://t.example/p.gif) no-repeat;"
                      "border-image:url('q.png') 30");
  assert_int_equal(c.n, 2);
  assert_string_equal(c.prop[0], "background");
  assert_string_equal(c.prop[1], "border-image");
  /* @import and @font-face mean nothing in a style attribute. */
  c = decls("@import 'x.css'; background:url(y)");
  assert_int_equal(c.n, 1);
  assert_int_equal(c.kind[0], BW_CSS_REF_URL);
}

static void test_garbage_recovery(void **state) {
  (void)state;
  collected c = sheet("}}}{{{ ;;; @@@ ]])) p{background:url(r.gif)}");
  assert_int_equal(c.n, 1);
  assert_string_equal(c.url[0], "r.gif");
  c = sheet("p{background:url(s.gif)\x01\x7f\xff\xfe");
  assert_int_equal(c.n, 1);
  c = sheet("p{a:f(;} q{background:url(t.gif)}");
  assert_int_equal(c.n, 1);
}

static void test_stop_and_empty(void **state) {
  (void)state;
  collected c;
  memset(&c, 0, sizeof(c));
  c.stop_after = 1;
  const char *css = "a{b:url(1)}c{d:url(2)}";
  assert_int_equal(bw_css_scan_sheet(css, strlen(css), collect, &c), 7);
  assert_int_equal(c.n, 1);
  memset(&c, 0, sizeof(c));
  assert_int_equal(bw_css_scan_sheet(NULL, 0, collect, &c), 0);
  assert_int_equal(bw_css_scan_sheet("", 0, collect, &c), 0);
  assert_int_equal(c.n, 0);
  /* Length is honoured: the url lies past the end. */
  assert_int_equal(bw_css_scan_sheet("a{b:url(1)}", 3, collect, &c), 0);
  assert_int_equal(c.n, 0);
}

/* ---- box ---------------------------------------------------------------------- */

static bw_css_box box(const char *css) {
  bw_css_box b;
  memset(&b, 0x5a, sizeof(b));
  bw_css_box_from_declarations(css, strlen(css), &b);
  return b;
}

static int hidden(const bw_css_box *b) {
  return b->display_none || b->visibility_hidden || b->opacity_zero || b->offscreen || b->clipped ||
         b->max_zero;
}

static void test_box_empty(void **state) {
  (void)state;
  bw_css_box b = box("");
  assert_true(b.width_px == -1 && b.height_px == -1);
  assert_false(hidden(&b));
  b = box("font-size:0; line-height:0; color:red");
  assert_false(hidden(&b));
}

static void test_box_units(void **state) {
  (void)state;
  assert_true(box("width:1px;height:2px").width_px == 1);
  assert_true(box("width:1px;height:2px").height_px == 2);
  assert_true(box("width:0").width_px == 0);
  assert_true(box("width:3").width_px == 3);
  assert_true(box("width:0.75pt").width_px == 1);
  assert_true(box("width:1pc").width_px == 16);
  assert_true(box("width:1in").width_px == 96);
  assert_true(box("width:2.54cm").width_px > 95.99 && box("width:2.54cm").width_px < 96.01);
  assert_true(box("width:25.4mm").width_px > 95.99 && box("width:25.4mm").width_px < 96.01);
  assert_true(box("width:4Q").width_px > 3.77 && box("width:4Q").width_px < 3.79);
  assert_true(box("width:.0625em").width_px == 1);
  assert_true(box("width:1REM").width_px == 16);
  assert_true(box("width:1e0px").width_px == 1);
  assert_true(box("width:50%").width_px == -1);
  assert_true(box("width:auto").width_px == -1);
  assert_true(box("width:10vw").width_px == -1);
  assert_true(box("width:calc(1px + 0px)").width_px == -1);
}

static void test_box_cascade(void **state) {
  (void)state;
  assert_true(box("width:1px;width:5px").width_px == 5);
  assert_true(box("width:1px!important;width:5px").width_px == 1);
  assert_true(box("width:1px ! IMPORTANT ;width:5px !important").width_px == 5);
  /* Values a browser drops leave the earlier declaration in force. */
  assert_true(box("width:1px;width:bogus").width_px == 1);
  assert_true(box("width:1px;width:-5px").width_px == 1);
  assert_true(box("width:1px;width:none").width_px == 1);
  assert_true(box("width:1px;width:1px 2px").width_px == 1);
  assert_true(box("display:none;display:nonsense").display_none);
  assert_false(box("display:none;display:block").display_none);
  assert_true(box("display:none !important;display:block").display_none);
  /* Garbage between declarations is skipped. */
  assert_true(box(" junk ; :; 5px; width:2px").width_px == 2);
  assert_true(box("w(idth:1px;width:2px").width_px == -1);
}

static void test_box_syntax(void **state) {
  (void)state;
  bw_css_box b = box("  WIDTH /*c*/ : /*c*/ 1PX ; Height:1px;");
  assert_true(b.width_px == 1 && b.height_px == 1);
  assert_true(box("w\\69 dth:7px").width_px == 7);
  assert_true(box("width:7p\\x").width_px == 7);
  assert_true(box("DISPLAY:NONE").display_none);
  assert_true(box("display:n\\6f ne").display_none);
}

static void test_box_hiding(void **state) {
  (void)state;
  assert_true(box("visibility:hidden").visibility_hidden);
  assert_true(box("visibility:Collapse").visibility_hidden);
  assert_false(box("visibility:visible").visibility_hidden);
  assert_true(box("opacity:0").opacity_zero);
  assert_true(box("opacity:0.01").opacity_zero);
  assert_true(box("opacity:.001").opacity_zero);
  assert_true(box("opacity:1%").opacity_zero);
  assert_true(box("opacity:-3").opacity_zero);
  assert_false(box("opacity:0.5").opacity_zero);
  assert_false(box("opacity:2%").opacity_zero);
  assert_true(box("max-width:0").max_zero);
  assert_true(box("max-height:0px").max_zero);
  assert_false(box("max-height:none").max_zero);
}

static void test_box_offscreen(void **state) {
  (void)state;
  assert_true(box("position:absolute;left:-9999px").offscreen);
  assert_true(box("position:fixed;top:-500px").offscreen);
  assert_true(box("position:absolute;right:-10000px").offscreen);
  assert_true(box("position:absolute;left:20000px").offscreen);
  assert_true(box("position:absolute;inset:-2000px auto auto auto").offscreen);
  assert_false(box("position:absolute;left:-100px").offscreen);
  assert_false(box("position:relative;left:-9999px").offscreen);
  assert_false(box("left:-9999px").offscreen);
  assert_true(box("text-indent:-9999px").offscreen);
  assert_true(box("text-indent:-10in").offscreen);
  assert_true(box("margin-left:-600px").offscreen);
  assert_true(box("margin-top:-40em").offscreen);
  assert_true(box("margin:0 0 0 -1000px").offscreen);
  assert_true(box("margin:-1000px 0").offscreen);
  assert_false(box("margin:0 -1000px 0 0").offscreen);
  assert_false(box("margin:-1000px 0;margin-top:0;margin-left:0").offscreen);
}

static void test_box_clip(void **state) {
  (void)state;
  assert_true(box("clip:rect(0 0 0 0)").clipped);
  assert_true(box("clip:rect(0,0,0,0)").clipped);
  assert_true(box("clip:RECT(1px, 1px, 1px, 1px)").clipped);
  assert_true(box("clip:rect(0px auto 0px auto)").clipped);
  assert_false(box("clip:rect(0 10px 10px 0)").clipped);
  assert_false(box("clip:auto").clipped);
  assert_true(box("clip-path:inset(50%)").clipped);
  assert_true(box("clip-path:inset(100%)").clipped);
  assert_true(box("clip-path:inset(0 50% 0 50%)").clipped);
  assert_false(box("clip-path:inset(10%)").clipped);
  assert_true(box("clip-path:circle(0)").clipped);
  assert_true(box("-webkit-clip-path:circle(0px at 50% 50%)").clipped);
  assert_true(box("clip-path:ellipse(0 10px)").clipped);
  assert_false(box("clip-path:circle(5px)").clipped);
  assert_false(box("clip-path:none").clipped);
  assert_true(box("transform:scale(0)").clipped);
  assert_true(box("transform:translate(1px) scale(1, 0)").clipped);
  assert_true(box("-webkit-transform:scaleX(0)").clipped);
  assert_true(box("transform:matrix(0,0,0,0,0,0)").clipped);
  assert_false(box("transform:scale(0.5)").clipped);
  assert_false(box("transform:scale(0);transform:none").clipped);
  assert_true(box("scale:0").clipped);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plain_url),
      cmocka_unit_test(test_quoted_and_case),
      cmocka_unit_test(test_escaped_function_name),
      cmocka_unit_test(test_escapes_inside_url),
      cmocka_unit_test(test_comments),
      cmocka_unit_test(test_strings_hide_urls),
      cmocka_unit_test(test_bad_urls),
      cmocka_unit_test(test_unterminated),
      cmocka_unit_test(test_import_forms),
      cmocka_unit_test(test_namespace_is_not_fetched),
      cmocka_unit_test(test_font_face),
      cmocka_unit_test(test_nested_blocks),
      cmocka_unit_test(test_image_functions),
      cmocka_unit_test(test_declarations),
      cmocka_unit_test(test_garbage_recovery),
      cmocka_unit_test(test_stop_and_empty),
      cmocka_unit_test(test_box_empty),
      cmocka_unit_test(test_box_units),
      cmocka_unit_test(test_box_cascade),
      cmocka_unit_test(test_box_syntax),
      cmocka_unit_test(test_box_hiding),
      cmocka_unit_test(test_box_offscreen),
      cmocka_unit_test(test_box_clip),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
