/*
 * test_html_tokenizer.c - unit tests of the HTML5 tokenizer and the
 * character reference decoder.
 *
 * Most cases are written like the html5lib-tests tokenizer suite: an input
 * and the token list it must give, here serialized compactly:
 *   S:name[attr=value,...]/   start tag (trailing / when self-closing)
 *   E:name                    end tag
 *   T:text  C:comment  D:doctype-name
 * separated by '|'. Offsets, limits and statistics get their own tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "html/html_tokenizer.h"

typedef struct serial {
  char out[8192];
  size_t len;
  size_t n_tokens;
  size_t last_end;
  const char *input;
  size_t input_len;
} serial;

static void put(serial *s, const char *p, size_t n) {
  assert_true(s->len + n < sizeof s->out);
  memcpy(s->out + s->len, p, n);
  s->len += n;
  s->out[s->len] = 0;
}

static void puts_(serial *s, const char *p) {
  put(s, p, strlen(p));
}

static int serialize(const bw_html_token *t, void *ctx) {
  serial *s = ctx;
  static const char *const prefix[] = {"S:", "E:", "T:", "C:", "D:"};
  /* Offsets are byte positions: within the input and in order. */
  assert_true(t->offset <= t->end);
  assert_true(t->end <= s->input_len);
  assert_true(t->offset >= s->last_end);
  s->last_end = t->end;
  if (s->n_tokens++) puts_(s, "|");
  puts_(s, prefix[t->type]);
  if (t->type == BW_HTML_START_TAG || t->type == BW_HTML_END_TAG || t->type == BW_HTML_DOCTYPE)
    put(s, t->name, t->name_len);
  if (t->type == BW_HTML_TEXT || t->type == BW_HTML_COMMENT) put(s, t->data, t->data_len);
  if (t->n_attrs) {
    puts_(s, "[");
    for (size_t i = 0; i < t->n_attrs; i++) {
      if (i) puts_(s, ",");
      put(s, t->attrs[i].name, t->attrs[i].name_len);
      puts_(s, "=");
      put(s, t->attrs[i].value, t->attrs[i].value_len);
      assert_true(t->attrs[i].offset > t->offset && t->attrs[i].offset < t->end);
    }
    puts_(s, "]");
  }
  if (t->self_closing) puts_(s, "/");
  return 0;
}

static const char *tokenize_n(const char *in, size_t len, serial *s, bw_html_stats *st,
                              const bw_html_opts *opts) {
  memset(s, 0, sizeof *s);
  s->input = in;
  s->input_len = len;
  assert_int_equal(bw_html_tokenize(in, len, opts, serialize, s, st), 0);
  return s->out;
}

static const char *tokenize(const char *in, serial *s) {
  return tokenize_n(in, strlen(in), s, NULL, NULL);
}

typedef struct tcase {
  const char *in, *want;
} tcase;

static void run_cases(const tcase *cases, size_t n) {
  serial s;
  for (size_t i = 0; i < n; i++) {
    const char *got = tokenize(cases[i].in, &s);
    if (strcmp(got, cases[i].want) != 0)
      fail_msg("input %s\n  want %s\n  got  %s", cases[i].in, cases[i].want, got);
  }
}

#define RUN(cases) run_cases(cases, sizeof cases / sizeof cases[0])

static void test_tags_and_attributes(void **state) {
  (void)state;
  static const tcase cases[] = {
      {"<a>", "S:a"},
      {"<A HREF=X>", "S:a[href=X]"},
      {"<img src=\"a b\" alt='c\"d' w=e>", "S:img[src=a b,alt=c\"d,w=e]"},
      {"<br/>", "S:br/"},
      {"<br />", "S:br/"},
      {"<a/b>", "S:a[b=]"},
      {"<a b c=d>", "S:a[b=,c=d]"},
      {"<a = b>", "S:a[==,b=]"},
      {"<a b = \"c\">", "S:a[b=c]"},
      {"<a b=>", "S:a[b=]"},
      {"<a b='x'c>", "S:a[b=x,c=]"},
      {"<a b=x/>", "S:a[b=x/]"},
      {"<a \"b'<=c>", "S:a[\"b'<=c]"},
      {"<a b=c\"d`e=f<>", "S:a[b=c\"d`e=f<]"},
      {"</a>", "E:a"},
      {"</a b=c>", "E:a"},
      {"<a\tb\nc\fd\re >", "S:a[b=,c=,d=,e=]"},
      {"<a b\n=\n'c'>", "S:a[b=c]"},
      {"< a>", "T:< a>"},
      {"<>", "T:<>"},
      {"</>x", "T:x"},
      {"a<b", "T:a"},
      {"<a b='c", ""},
      {"<a b", ""},
      {"<a/", ""},
      {"</", "T:</"},
      {"<", "T:<"},
      {"a</", "T:a</"},
      {"<ab:cd x:y=z>", "S:ab:cd[x:y=z]"},
      {"<a><b>c</b></a>", "S:a|S:b|T:c|E:b|E:a"},
  };
  RUN(cases);
}

static void test_duplicate_attributes(void **state) {
  (void)state;
  serial s;
  bw_html_stats st;
  const char *in = "<img src=a SRC=b src=\"c\" alt=d>";
  assert_string_equal(tokenize_n(in, strlen(in), &s, &st, NULL), "S:img[src=a,alt=d]");
  assert_int_equal(st.attrs_dropped, 2);
  assert_int_equal(st.limit_hit, 0);
}

/* Past 16 attributes duplicates are found through a hash index: the same rules must hold. */
static void test_many_duplicate_attributes(void **state) {
  (void)state;
  char in[2048], want[2048];
  size_t n = (size_t)snprintf(in, sizeof in, "<x");
  size_t w = (size_t)snprintf(want, sizeof want, "S:x[");
  for (int i = 0; i < 60; i++) {
    n += (size_t)snprintf(in + n, sizeof in - n, " a%d=%d", i, i);
    w += (size_t)snprintf(want + w, sizeof want - w, "%sa%d=%d", i ? "," : "", i, i);
    if (i == 10 || i == 20 || i == 40) /* repeats of a first, a middle and a recent name */
      n += (size_t)snprintf(in + n, sizeof in - n, " a%d=dup A%d=dup a%d=dup", i / 2, i - 1, i);
  }
  snprintf(in + n, sizeof in - n, " a0 A59=dup b=last>");
  snprintf(want + w, sizeof want - w, ",b=last]");
  serial s;
  bw_html_stats st;
  assert_string_equal(tokenize_n(in, strlen(in), &s, &st, NULL), want);
  assert_int_equal(st.attrs_dropped, 3 * 3 + 2);
  assert_int_equal(st.limit_hit, 0);
}

static void test_text_references(void **state) {
  (void)state;
  static const tcase cases[] = {
      {"&amp;&lt;&gt;&quot;&apos;", "T:&<>\"'"},
      {"&nbsp;&nbsp&nbs;&NBSP;", "T:\xC2\xA0\xC2\xA0&nbs;&NBSP;"}, /* &nbsp; has a fast path */
      {"&amp;x&amp&gt;;&lt", "T:&x&>;<"},
      {"&amp &lt", "T:& <"},
      {"&notit;", "T:\xC2\xACit;"},
      {"&notin;", "T:\xE2\x88\x89"},
      {"&noti", "T:\xC2\xACi"},
      {"&ampx", "T:&x"},
      {"&amp=", "T:&="},
      {"&bogus;", "T:&bogus;"},
      {"&;", "T:&;"},
      {"&", "T:&"},
      {"& x", "T:& x"},
      {"&nGt;", "T:\xE2\x89\xAB\xE2\x83\x92"},
      {"&CounterClockwiseContourIntegral;", "T:\xE2\x88\xB3"},
      {"&#65;&#x41;&#X41;&#0065", "T:AAAA"},
      {"&#x;", "T:&#x;"},
      {"&#;", "T:&#;"},
      {"&#", "T:&#"},
      {"&#0;", "T:\xEF\xBF\xBD"},
      {"&#x80;&#x9F;&#150;", "T:\xE2\x82\xAC\xC5\xB8\xE2\x80\x93"},
      {"&#x81;", "T:\xC2\x81"},
      {"&#xD800;&#xDFFF;", "T:\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"&#x110000;", "T:\xEF\xBF\xBD"},
      {"&#99999999999999999999999;", "T:\xEF\xBF\xBD"},
      {"&#x10FFFF;", "T:\xF4\x8F\xBF\xBF"},
      {"&#x1F600;", "T:\xF0\x9F\x98\x80"},
      {"&#xFFFE;", "T:\xEF\xBF\xBE"},
      {"&#9;&#x0D;", "T:\t\r"},
      {"&#x41x", "T:Ax"},
  };
  RUN(cases);
}

static void test_attribute_references(void **state) {
  (void)state;
  static const tcase cases[] = {
      /* The legacy rule: no semicolon, then '=' or alphanumeric: left alone. */
      {"<a href='?a=1&copy=2'>", "S:a[href=?a=1&copy=2]"},
      {"<a href='?a=1&copyx'>", "S:a[href=?a=1&copyx]"},
      {"<a href='?a=1&copy;x'>", "S:a[href=?a=1\xC2\xA9x]"},
      {"<a href='&copy-'>", "S:a[href=\xC2\xA9-]"},
      {"<a href=&copy>", "S:a[href=\xC2\xA9]"},
      {"<a href=&notit;>", "S:a[href=&notit;]"},
      {"<a href='&notin;'>", "S:a[href=\xE2\x88\x89]"},
      {"<a href='&amp;lang=en&amp'>", "S:a[href=&lang=en&]"},
      {"<a href='&#x26;&#38'>", "S:a[href=&&]"},
      {"<a href=\"&quot;\">", "S:a[href=\"]"},
      {"<a title='a&b'>", "S:a[title=a&b]"},
  };
  RUN(cases);
}

static void test_rcdata_rawtext_script(void **state) {
  (void)state;
  static const tcase cases[] = {
      {"<title>a<b>&amp;</title>", "S:title|T:a<b>&|E:title"},
      {"<TEXTAREA>x</textarea >y", "S:textarea|T:x|E:textarea|T:y"},
      {"<title>a</titlex></title>", "S:title|T:a</titlex>|E:title"},
      {"<title>a</title", "S:title|T:a</title"},
      {"<title>a</title x", "S:title|T:a"},
      {"<title/>x</title>", "S:title/|T:x|E:title"},
      {"<style>a<b>&amp;</style>", "S:style|T:a<b>&amp;|E:style"},
      {"<style>a</STYLE/>b", "S:style|T:a|E:style/|T:b"},
      {"<xmp><a></xmp>", "S:xmp|T:<a>|E:xmp"},
      {"<iframe><img src=x></iframe>", "S:iframe|T:<img src=x>|E:iframe"},
      {"<noembed><a></noembed>", "S:noembed|T:<a>|E:noembed"},
      {"<noframes><a></noframes>", "S:noframes|T:<a>|E:noframes"},
      {"<noscript><img src=x></noscript>", "S:noscript|S:img[src=x]|E:noscript"},
      {"<plaintext><a></plaintext>&amp;", "S:plaintext|T:<a></plaintext>&amp;"},
      {"<script>a<b</script>", "S:script|T:a<b|E:script"},
      {"<script><!--</script>", "S:script|T:<!--|E:script"},
      {"<script><!--<script></script>--></script>x",
       "S:script|T:<!--<script></script>-->|E:script|T:x"},
      {"<script><!--<script>--></script>", "S:script|T:<!--<script>-->|E:script"},
      {"<script><!--<scriptx></script>y", "S:script|T:<!--<scriptx>|E:script|T:y"},
      {"<script><!--<script></scripty></script>", "S:script|T:<!--<script></scripty></script>"},
      {"<script><!-- --></script>", "S:script|T:<!-- -->|E:script"},
      {"<script><!-->x</script>", "S:script|T:<!-->x|E:script"},
      {"<script><!--<script>--!></script>", "S:script|T:<!--<script>--!></script>"},
      {"<script>&amp;\r\n</script>", "S:script|T:&amp;\n|E:script"},
  };
  RUN(cases);
}

static void test_comments_and_doctype(void **state) {
  (void)state;
  static const tcase cases[] = {
      {"<!-- a -->", "C: a "},
      {"<!---->", "C:"},
      {"<!-->x", "C:|T:x"},
      {"<!--->x", "C:|T:x"},
      {"<!----->", "C:-"},
      {"<!-- a --!>x", "C: a |T:x"},
      {"<!-- a --!-->", "C: a --!"},
      {"<!-- <!-- a -- b -->", "C: <!-- a -- b "},
      {"<!-- a", "C: a"},
      {"<!-- a--", "C: a"},
      {"<!-- a-", "C: a"},
      {"<!-- a---", "C: a-"},
      {"<!-- a--!", "C: a"},
      {"<!--", "C:"},
      {"<!x>", "C:x"},
      {"<!>", "C:"},
      {"<!", "C:"},
      {"<?xml version='1'?>", "C:?xml version='1'?"},
      {"</ x>", "C: x"},
      {"</3>", "C:3"},
      {"<![CDATA[x]]>", "C:[CDATA[x]]"},
      {"<!DOCTYPE html>", "D:html"},
      {"<!doctype HTML PUBLIC \"-//W3C//DTD\">x", "D:html|T:x"},
      {"<!DOCTYPE>", "D:"},
      {"<!DOCTYPEhtml>", "D:html"},
      {"<!DOCTYPE html", "D:html"},
  };
  RUN(cases);
}

static void test_foreign_content(void **state) {
  (void)state;
  static const tcase cases[] = {
      {"<svg><![CDATA[<a>&amp;]]></svg>", "S:svg|T:<a>&amp;|E:svg"},
      {"<math><![CDATA[x]]></math><![CDATA[y]]>", "S:math|T:x|E:math|C:[CDATA[y]]"},
      {"<svg/><![CDATA[y]]>", "S:svg/|C:[CDATA[y]]"},
      {"<svg><style><a></style></svg>", "S:svg|S:style|S:a|E:style|E:svg"},
      {"<svg><title><a></title></svg>", "S:svg|S:title|S:a|E:title|E:svg"},
      {"<svg><foreignObject><style><a></style></foreignObject><![CDATA[x]]>",
       "S:svg|S:foreignobject|S:style|T:<a>|E:style|E:foreignobject|T:x"},
      {"<svg><p><style><a></style>", "S:svg|S:p|S:style|T:<a>|E:style"},
      {"<svg><font color=red><![CDATA[x]]>", "S:svg|S:font[color=red]|C:[CDATA[x]]"},
      {"<svg><font><![CDATA[x]]>", "S:svg|S:font|T:x"},
      {"<svg><![CDATA[x]]", "S:svg|T:x]]"},
      {"<svg><use xlink:href='#a'/></svg>", "S:svg|S:use[xlink:href=#a]/|E:svg"},
  };
  RUN(cases);
}

static void test_nul_cr_and_utf8(void **state) {
  (void)state;
  serial s;
  static const char in[] = "a\0b<a\0 x\0='\0'>\r\n<title>\0\r</title><!--\0-->\xff\xfe\xc3";
  assert_string_equal(tokenize_n(in, sizeof in - 1, &s, NULL, NULL), "T:a");
  /* The serial output stops at the NUL kept in data text: compare bytes. */
  static const char want[] =
      "T:a\0b|S:a\xEF\xBF\xBD[x\xEF\xBF\xBD=\xEF\xBF\xBD]|T:\n|S:title|T:\xEF\xBF\xBD\n|E:title|"
      "C:\xEF\xBF\xBD|T:\xff\xfe\xc3";
  assert_int_equal(s.len, sizeof want - 1);
  assert_memory_equal(s.out, want, sizeof want - 1);
}

typedef struct collect {
  bw_html_token_type types[16];
  size_t offsets[16], ends[16], attr_offsets[16];
  size_t n, n_attr;
} collect;

static int collect_tok(const bw_html_token *t, void *ctx) {
  collect *c = ctx;
  if (c->n < 16) {
    c->types[c->n] = t->type;
    c->offsets[c->n] = t->offset;
    c->ends[c->n++] = t->end;
  }
  for (size_t i = 0; i < t->n_attrs && c->n_attr < 16; i++)
    c->attr_offsets[c->n_attr++] = t->attrs[i].offset;
  return 0;
}

static void test_offsets(void **state) {
  (void)state;
  const char *in = "ab&amp;c<img  src=x\n alt='y'><!--z-->q</img>";
  collect c = {0};
  assert_int_equal(bw_html_tokenize(in, strlen(in), NULL, collect_tok, &c, NULL), 0);
  assert_int_equal(c.n, 5);
  assert_int_equal(c.types[0], BW_HTML_TEXT);
  assert_int_equal(c.offsets[0], 0);
  assert_int_equal(c.ends[0], 8);
  assert_int_equal(c.offsets[1], 8);
  assert_int_equal(c.ends[1], 29);
  assert_int_equal(c.attr_offsets[0], 14);
  assert_int_equal(c.attr_offsets[1], 21);
  assert_int_equal(c.offsets[2], 29);
  assert_int_equal(c.ends[2], 37);
  assert_int_equal(c.offsets[3], 37);
  assert_int_equal(c.ends[3], 38);
  assert_int_equal(c.offsets[4], 38);
  assert_int_equal(c.ends[4], strlen(in));
}

static void test_coalescing(void **state) {
  (void)state;
  static const tcase cases[] = {
      {"a<b<c>", "T:a|S:b<c"},
      {"a<b<c", "T:a"},
      {"a < b &amp; c </> d", "T:a < b & c  d"},
      {"x<svg><![CDATA[y]]>z", "T:x|S:svg|T:yz"},
  };
  RUN(cases);
}

static int stop_at_second(const bw_html_token *t, void *ctx) {
  (void)t;
  return ++*(int *)ctx == 2 ? 42 : 0;
}

static void test_callback_stops(void **state) {
  (void)state;
  int n = 0;
  assert_int_equal(bw_html_tokenize("<a><b><c>", 9, NULL, stop_at_second, &n, NULL), 42);
  assert_int_equal(n, 2);
}

static int count_tok(const bw_html_token *t, void *ctx) {
  size_t *c = ctx;
  c[t->type]++;
  if (t->type == BW_HTML_START_TAG) c[5] += t->n_attrs;
  if (t->type == BW_HTML_TEXT && t->data_len > c[6]) c[6] = t->data_len;
  return 0;
}

static void test_limits(void **state) {
  (void)state;
  bw_html_opts opts = {.max_attrs = 3, .max_token_bytes = 100};
  bw_html_stats st;
  size_t c[7] = {0};
  const char *in = "<a a=1 b=2 c=3 d=4 e=5>";
  assert_int_equal(bw_html_tokenize(in, strlen(in), &opts, count_tok, c, &st), 0);
  assert_int_equal(c[5], 3);
  assert_int_equal(st.attrs_dropped, 2);
  assert_int_equal(st.limit_hit, 1);

  /* A long text run is split into tokens no longer than the limit. */
  size_t n = 1000;
  char *big = malloc(n);
  assert_non_null(big);
  memset(big, 'x', n);
  memset(c, 0, sizeof c);
  assert_int_equal(bw_html_tokenize(big, n, &opts, count_tok, c, &st), 0);
  assert_int_equal(c[BW_HTML_TEXT], 10);
  assert_int_equal(c[6], 100);
  assert_int_equal(st.limit_hit, 1);

  /* A long attribute value is cut, the tag still comes out. */
  memcpy(big, "<a href=", 8);
  big[n - 1] = '>';
  memset(c, 0, sizeof c);
  assert_int_equal(bw_html_tokenize(big, n, &opts, count_tok, c, &st), 0);
  assert_int_equal(c[BW_HTML_START_TAG], 1);
  assert_int_equal(st.limit_hit, 1);
  free(big);
}

static void test_adversarial_linear(void **state) {
  (void)state;
  /* Shapes that make naive tokenizers quadratic; they must simply finish. */
  size_t n = 4u << 20;
  char *buf = malloc(n);
  assert_non_null(buf);
  static const char *const shapes[] = {
      "<", "<a ", "<a b='", "&", "&#", "<!--", "</", "<svg>", "<script><!--<script>", "&amp"};
  for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
    size_t m = strlen(shapes[k]);
    for (size_t i = 0; i < n; i++) buf[i] = shapes[k][i % m];
    size_t c[7] = {0};
    bw_html_stats st;
    assert_int_equal(bw_html_tokenize(buf, n, NULL, count_tok, c, &st), 0);
  }
  free(buf);
}

static void test_decode_entities(void **state) {
  (void)state;
  char out[64];
  const char *in = "a&amp;b&lt&#x41;&copy=&notit;";
  size_t n = bw_html_decode_entities(in, strlen(in), 0, out);
  out[n] = 0;
  assert_string_equal(out, "a&b<A\xC2\xA9=\xC2\xACit;");
  n = bw_html_decode_entities(in, strlen(in), 1, out);
  out[n] = 0;
  assert_string_equal(out, "a&b<A&copy=&notit;");
  assert_int_equal(bw_html_decode_entities("", 0, 0, out), 0);
  /* The only references that grow never overrun the documented slack. */
  char many[5 * 40 + 1] = "", dst[sizeof many + 8];
  for (int i = 0; i < 40; i++) strcat(many, "&nGt;");
  n = bw_html_decode_entities(many, strlen(many), 0, dst);
  assert_true(n <= strlen(many) + 8);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tags_and_attributes),
      cmocka_unit_test(test_duplicate_attributes),
      cmocka_unit_test(test_many_duplicate_attributes),
      cmocka_unit_test(test_text_references),
      cmocka_unit_test(test_attribute_references),
      cmocka_unit_test(test_rcdata_rawtext_script),
      cmocka_unit_test(test_comments_and_doctype),
      cmocka_unit_test(test_foreign_content),
      cmocka_unit_test(test_nul_cr_and_utf8),
      cmocka_unit_test(test_offsets),
      cmocka_unit_test(test_coalescing),
      cmocka_unit_test(test_callback_stops),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_adversarial_linear),
      cmocka_unit_test(test_decode_entities),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
