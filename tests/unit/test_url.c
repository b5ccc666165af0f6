/*
 * test_url.c - unit tests for URL parsing, normalisation and the text URL
 * finder (src/lib/url/).
 *
 * Every case here is a way the text of a link can disagree with where the
 * request really goes (userinfo, number-form IPv4, IDNA, backslashes,
 * embedded whitespace), or a normalisation that must make equal URLs equal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* needs the headers above */

#include <stdio.h>
#include <string.h>

#include "url/url.h"

static bw_url_ctx *ctx;
static bw_arena arena;

static int setup(void **state) {
  (void)state;
  ctx = bw_url_ctx_new();
  bw_arena_init(&arena);
  return ctx ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  bw_arena_free(&arena);
  bw_url_ctx_free(ctx);
  return 0;
}

static bw_url parse(const char *s) {
  bw_url u;
  assert_int_equal(bw_url_parse(ctx, &arena, s, strlen(s), &u), 0);
  assert_non_null(u.normalized);
  assert_non_null(u.scheme);
  assert_non_null(u.path);
  return u;
}

static void expect_str(const char *got, const char *want) {
  if (!want) {
    assert_null(got);
  } else {
    assert_non_null(got);
    assert_string_equal(got, want);
  }
}

/* Found by fuzz_url: IDNA maps a no-break space to a space, which no host may hold. */
static void test_idna_mapping_to_forbidden(void **state) {
  (void)state;
  bw_url u = parse("foo://0\xc2\xa0"
                   "8host/");
  assert_non_null(u.error);
  assert_null(strchr(u.normalized, ' '));
  bw_url again = parse(u.normalized);
  expect_str(again.normalized, u.normalized);
}

/* Found by fuzz_url: a host of soft hyphens maps to nothing; it is an error, not an empty host. */
static void test_idna_mapping_to_nothing(void **state) {
  (void)state;
  bw_url u = parse("http://\xc2\xad/\xc2\xad");
  assert_non_null(u.error);
  assert_non_null(u.host);
  assert_true(u.host[0] != '\0');
}

static void test_basic(void **state) {
  (void)state;
  bw_url u = parse("  HTTP://WWW.Example.COM:8080/a/b?x=1&y=%2f#Frag \n");
  expect_str(u.raw, "HTTP://WWW.Example.COM:8080/a/b?x=1&y=%2f#Frag");
  expect_str(u.scheme, "http");
  expect_str(u.host, "www.example.com");
  assert_int_equal(u.port, 8080);
  expect_str(u.path, "/a/b");
  expect_str(u.query, "x=1&y=%2F");
  expect_str(u.fragment, "Frag");
  expect_str(u.registrable_domain, "example.com");
  expect_str(u.normalized, "http://www.example.com:8080/a/b?x=1&y=%2F#Frag");
  assert_int_equal(u.host_kind, BW_HOST_DNS);
  assert_true(u.is_remote);
  assert_false(u.is_local);
  assert_null(u.error);
  u = parse("https://example.com");
  expect_str(u.path, "/");
  assert_null(u.query);
  assert_null(u.fragment);
  expect_str(u.normalized, "https://example.com/");
}

static void test_default_ports(void **state) {
  (void)state;
  bw_url u = parse("http://example.com:80/");
  assert_int_equal(u.port, 80);
  expect_str(u.normalized, "http://example.com/");
  u = parse("https://example.com:443/x");
  expect_str(u.normalized, "https://example.com/x");
  u = parse("https://example.com:80/x");
  expect_str(u.normalized, "https://example.com:80/x");
  u = parse("ftp://example.com:21/");
  expect_str(u.normalized, "ftp://example.com/");
  u = parse("http://example.com:/");
  assert_int_equal(u.port, -1);
  assert_null(u.error);
  u = parse("http://example.com:99999/");
  assert_non_null(u.error);
  u = parse("http://example.com:8x/");
  assert_non_null(u.error);
  expect_str(u.host, "example.com");
}

static void test_userinfo(void **state) {
  (void)state;
  bw_url u = parse("http://bbc.co.uk@evil.test/");
  expect_str(u.userinfo, "bbc.co.uk");
  expect_str(u.host, "evil.test");
  expect_str(u.registrable_domain, "evil.test");
  expect_str(u.normalized, "http://bbc.co.uk@evil.test/");
  u = parse("http://user:pa@ss@www.evil.test:81/");
  expect_str(u.userinfo, "user:pa@ss");
  expect_str(u.host, "www.evil.test");
  assert_int_equal(u.port, 81);
  u = parse("http://good.example/@evil.test/");
  expect_str(u.host, "good.example");
  assert_null(u.userinfo);
}

static void test_backslashes_and_slashes(void **state) {
  (void)state;
  bw_url u = parse("http:\\\\evil.test\\a\\b");
  expect_str(u.host, "evil.test");
  expect_str(u.path, "/a/b");
  u = parse("https:/\\/evil.test/");
  expect_str(u.host, "evil.test");
  u = parse("http:evil.test/x");
  expect_str(u.host, "evil.test");
  u = parse("http://good.example\\@evil.test/");
  expect_str(u.host, "good.example");
  expect_str(u.path, "/@evil.test/");
}

static void test_embedded_whitespace(void **state) {
  (void)state;
  bw_url u = parse("ht\ttp://ev\nil.te\r\nst/p\ta\nth");
  expect_str(u.scheme, "http");
  expect_str(u.host, "evil.test");
  expect_str(u.path, "/path");
  const char with_nul[] = "\x01\x1f http://a.example/\x00 ";
  assert_int_equal(bw_url_parse(ctx, &arena, with_nul, sizeof(with_nul) - 1, &u), 0);
  expect_str(u.host, "a.example");
  expect_str(u.path, "/");
  u = parse("http://a.example/a b\x7f");
  expect_str(u.path, "/a%20b%7F");
}

static void test_idna(void **state) {
  (void)state;
  bw_url u = parse("http://b\xC3\xBC"
                   "cher.example/");
  expect_str(u.host, "xn--bcher-kva.example");
  expect_str(u.host_unicode, "b\xC3\xBC"
                             "cher.example");
  expect_str(u.registrable_domain, "xn--bcher-kva.example");
  assert_true(u.is_idn);
  assert_null(u.error);
  u = parse("http://XN--BCHER-KVA.example/");
  expect_str(u.host, "xn--bcher-kva.example");
  expect_str(u.host_unicode, "b\xC3\xBC"
                             "cher.example");
  assert_true(u.is_idn);
  /* Cyrillic "а" in a Latin-looking name. */
  u = parse("https://\xD0\xB0pple.com/login");
  expect_str(u.host, "xn--pple-43d.com");
  expect_str(u.host_unicode, "\xD0\xB0pple.com");
  expect_str(u.registrable_domain, "xn--pple-43d.com");
  assert_true(u.is_idn);
  u = parse("http://example.com/");
  assert_false(u.is_idn);
  expect_str(u.host_unicode, "example.com");
  /* Undecodable punycode: keep the lowercased host, say why. */
  u = parse("http://XN--ZZ.com/");
  expect_str(u.host, "xn--zz.com");
  assert_non_null(u.error);
  /* Fullwidth dot and uppercase are mapped by UTS #46. */
  u = parse("http://B\xC3\x9C"
            "CHER\xE3\x80\x82"
            "example/");
  expect_str(u.host, "xn--bcher-kva.example");
}

static void test_percent_encoded_host(void **state) {
  (void)state;
  bw_url u = parse("http://%65vil.t%45st/");
  expect_str(u.host, "evil.test");
  u = parse("http://b%C3%BCcher.example/");
  expect_str(u.host, "xn--bcher-kva.example");
  u = parse("http://%31%32%37.0.0.1/");
  expect_str(u.host, "127.0.0.1");
  assert_int_equal(u.host_kind, BW_HOST_IPV4);
  u = parse("http://evil.test%2fgood.example/");
  assert_non_null(u.error);
}

static void test_ipv4_forms(void **state) {
  (void)state;
  static const struct {
    const char *in;
    const char *host;
    int obfuscated;
  } cases[] = {
      {"http://192.168.1.1/", "192.168.1.1", 0},   {"http://3232235777/", "192.168.1.1", 1},
      {"http://0xC0A80101/", "192.168.1.1", 1},    {"http://0xc0.0xa8.1.1/", "192.168.1.1", 1},
      {"http://0300.0250.1.1/", "192.168.1.1", 1}, {"http://192.168.257/", "192.168.1.1", 1},
      {"http://192.11010305/", "192.168.1.1", 1},  {"http://127.1/", "127.0.0.1", 1},
      {"http://1.2.3.4./", "1.2.3.4", 0},          {"http://0x/", "0.0.0.0", 1},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    bw_url u = parse(cases[i].in);
    expect_str(u.host, cases[i].host);
    assert_int_equal(u.host_kind, BW_HOST_IPV4);
    assert_int_equal(u.host_obfuscated, cases[i].obfuscated);
    assert_null(u.registrable_domain);
    assert_null(u.error);
  }
  bw_url u = parse("http://4294967296/");
  assert_non_null(u.error);
  u = parse("http://1.2.3.256/");
  assert_non_null(u.error);
  u = parse("http://1.2.3.4.5/");
  assert_non_null(u.error);
  u = parse("http://09.1.1.1/");
  assert_non_null(u.error);
  /* Not ending in a number: a domain name. */
  u = parse("http://1.2.3.example/");
  assert_int_equal(u.host_kind, BW_HOST_DNS);
  u = parse("http://0x1g/");
  assert_int_equal(u.host_kind, BW_HOST_DNS);
}

static void test_ipv6(void **state) {
  (void)state;
  bw_url u = parse("http://[2001:DB8:0:0:0:0:0:1]:8080/x");
  expect_str(u.host, "2001:db8::1");
  assert_int_equal(u.host_kind, BW_HOST_IPV6);
  assert_int_equal(u.port, 8080);
  assert_null(u.registrable_domain);
  expect_str(u.normalized, "http://[2001:db8::1]:8080/x");
  u = parse("http://[::ffff:192.168.1.1]/");
  expect_str(u.host, "::ffff:192.168.1.1");
  u = parse("http://[::1]/");
  expect_str(u.host, "::1");
  u = parse("http://[nope]/");
  assert_non_null(u.error);
  assert_int_equal(u.host_kind, BW_HOST_IPV6);
}

static void test_paths(void **state) {
  (void)state;
  bw_url u = parse("http://a.example/a/./b/../c");
  expect_str(u.path, "/a/c");
  u = parse("http://a.example/a/b/..");
  expect_str(u.path, "/a/");
  u = parse("http://a.example/../../x");
  expect_str(u.path, "/x");
  u = parse("http://a.example/a/%2e%2E/b/.%2e/c/%2e");
  expect_str(u.path, "/c/");
  u = parse("http://a.example/%7euser/%41%2f%3d%c3%a9/\xC3\xA9");
  expect_str(u.path, "/~user/A%2F%3D%C3%A9/%C3%A9");
  u = parse("http://a.example/100%/%zz");
  expect_str(u.path, "/100%25/%25zz");
  u = parse("http://a.example/p?q=a b&r=%26%3d%41'#f g`");
  expect_str(u.query, "q=a%20b&r=%26%3DA%27");
  expect_str(u.fragment, "f%20g%60");
  u = parse("http://a.example?#");
  expect_str(u.path, "/");
  expect_str(u.query, "");
  expect_str(u.fragment, "");
  expect_str(u.normalized, "http://a.example/?#");
}

static void test_scheme_relative_and_relative(void **state) {
  (void)state;
  bw_url u = parse("//Tracker.Example/p.gif?id=1");
  expect_str(u.scheme, "");
  expect_str(u.host, "tracker.example");
  assert_true(u.is_remote);
  expect_str(u.normalized, "//tracker.example/p.gif?id=1");
  u = parse("\\\\tracker.example\\p.gif");
  expect_str(u.host, "tracker.example");
  expect_str(u.path, "/p.gif");
  u = parse("images/../a%41.gif?x#y");
  expect_str(u.scheme, "");
  assert_null(u.host);
  expect_str(u.path, "images/../aA.gif");
  expect_str(u.query, "x");
  expect_str(u.fragment, "y");
  assert_false(u.is_remote);
  assert_false(u.is_local);
  expect_str(u.normalized, "images/../aA.gif?x#y");
  /* Decoding must not turn a relative path into a scheme. */
  u = parse("%61:b/%61");
  expect_str(u.scheme, "");
  expect_str(u.path, "%61:b/a");
  u = parse("");
  expect_str(u.normalized, "");
  assert_int_equal(u.host_kind, BW_HOST_NONE);
}

static void test_other_schemes(void **state) {
  (void)state;
  static const struct {
    const char *in;
    int local;
  } local_cases[] = {{"cid:part1.abc@example.com", 1},
                     {"MID:123@example", 1},
                     {"data:image/gif;base64,R0lGOD==", 1},
                     {"about:blank", 1},
                     {"javascript:alert(1)", 1},
                     {"blob:https://a.example/uuid", 1},
                     {"mailto:a@example.com?subject=x", 0},
                     {"tel:+15551234", 0},
                     {"sms:+15551234", 0}};
  for (size_t i = 0; i < sizeof(local_cases) / sizeof(local_cases[0]); i++) {
    bw_url u = parse(local_cases[i].in);
    assert_int_equal(u.is_local, local_cases[i].local);
    assert_false(u.is_remote);
    assert_null(u.host);
    assert_int_equal(u.host_kind, BW_HOST_NONE);
  }
  bw_url u = parse("mailto:a@example.com?subject=x");
  expect_str(u.scheme, "mailto");
  expect_str(u.path, "a@example.com");
  expect_str(u.query, "subject=x");
  expect_str(u.normalized, "mailto:a@example.com?subject=x");
  u = parse("CID:Part1");
  expect_str(u.normalized, "cid:Part1");
  u = parse("javascript:%61lert(1)");
  expect_str(u.path, "alert(1)");
  u = parse("wss://chat.example:443/s");
  assert_true(u.is_remote);
  expect_str(u.normalized, "wss://chat.example/s");
}

static void test_file_urls(void **state) {
  (void)state;
  bw_url u = parse("file:///C:/x.png");
  assert_null(u.host);
  assert_false(u.is_remote);
  expect_str(u.normalized, "file:///C:/x.png");
  u = parse("file://attacker.example/share/x.png");
  expect_str(u.host, "attacker.example");
  assert_true(u.is_remote);
  u = parse("file://C:/x.png");
  assert_null(u.host);
  expect_str(u.path, "/C:/x.png");
  u = parse("file:\\\\server\\share\\x.png");
  expect_str(u.host, "server");
  assert_true(u.is_remote);
  u = parse("file:x/y");
  expect_str(u.normalized, "file:///x/y");
  u = parse("file://localhost/etc/x");
  assert_false(u.is_remote);
}

static void test_registrable_domain(void **state) {
  (void)state;
  expect_str(bw_url_registrable_domain(ctx, &arena, "a.b.bbc.co.uk"), "bbc.co.uk");
  expect_str(bw_url_registrable_domain(ctx, &arena, "A.B.BBC.CO.UK"), "bbc.co.uk");
  expect_str(bw_url_registrable_domain(ctx, &arena, "x.foo.github.io"), "foo.github.io");
  expect_str(bw_url_registrable_domain(ctx, &arena, "www.example.com."), "example.com");
  expect_str(bw_url_registrable_domain(ctx, &arena,
                                       "mail.b\xC3\xBC"
                                       "cher.example"),
             "xn--bcher-kva.example");
  assert_null(bw_url_registrable_domain(ctx, &arena, "co.uk"));
  assert_null(bw_url_registrable_domain(ctx, &arena, "github.io"));
  assert_null(bw_url_registrable_domain(ctx, &arena, "192.168.1.1"));
  assert_null(bw_url_registrable_domain(ctx, &arena, "::1"));
  assert_null(bw_url_registrable_domain(ctx, &arena, ""));
  assert_null(bw_url_registrable_domain(ctx, &arena, NULL));
  bw_url u = parse("https://foo.github.io/x");
  expect_str(u.registrable_domain, "foo.github.io");
  u = parse("http://3232235777/");
  assert_null(u.registrable_domain);
}

static void test_percent_decode(void **state) {
  (void)state;
  char out[32];
  assert_int_equal(bw_url_percent_decode("a%41+%2f%zz%4", 13, out), 9);
  assert_string_equal(out, "aA+/%zz%4");
  assert_int_equal(bw_url_percent_decode("%", 1, out), 1);
  assert_string_equal(out, "%");
  assert_int_equal(bw_url_percent_decode("%2541", 5, out), 3);
  assert_string_equal(out, "%41");
  assert_int_equal(bw_url_percent_decode("", 0, out), 0);
  assert_int_equal(bw_url_percent_decode("%00x", 4, out), 2);
  assert_int_equal(out[0], 0);
}

/* ---- text URLs ----------------------------------------------------------------------- */

typedef struct found {
  size_t n;
  char url[8][128];
  size_t offset[8];
} found;

static int on_url(const char *url, size_t len, size_t offset, void *p) {
  found *f = p;
  if (f->n < 8) {
    snprintf(f->url[f->n], sizeof(f->url[0]), "%.*s", (int)len, url);
    f->offset[f->n] = offset;
  }
  f->n++;
  return 0;
}

static found find(const char *text) {
  found f;
  memset(&f, 0, sizeof(f));
  assert_int_equal(bw_text_find_urls(text, strlen(text), on_url, &f), 0);
  return f;
}

static void test_text_basic(void **state) {
  (void)state;
  found f = find("See http://a.example/x and HTTPS://B.example/y?z=1, or ftp://f.example/.");
  assert_int_equal(f.n, 3);
  assert_string_equal(f.url[0], "http://a.example/x");
  assert_int_equal(f.offset[0], 4);
  assert_string_equal(f.url[1], "HTTPS://B.example/y?z=1");
  assert_string_equal(f.url[2], "ftp://f.example/");
  f = find("www.example.com/path!");
  assert_int_equal(f.n, 1);
  assert_string_equal(f.url[0], "www.example.com/path");
  f = find("nothttp://x.example awww.example.com http:// www. www..");
  assert_int_equal(f.n, 0);
}

static void test_text_punctuation(void **state) {
  (void)state;
  found f = find("(see http://a.example/p).");
  assert_int_equal(f.n, 1);
  assert_string_equal(f.url[0], "http://a.example/p");
  f = find("https://en.wikipedia.org/wiki/Foo_(bar), next");
  assert_string_equal(f.url[0], "https://en.wikipedia.org/wiki/Foo_(bar)");
  f = find("x https://en.wikipedia.org/wiki/Foo_(bar)).");
  assert_string_equal(f.url[0], "https://en.wikipedia.org/wiki/Foo_(bar)");
  f = find("'http://a.example/q?x=1';");
  assert_string_equal(f.url[0], "http://a.example/q?x=1");
  f = find("[http://a.example/b]");
  assert_string_equal(f.url[0], "http://a.example/b");
  f = find("\"http://a.example/c\"");
  assert_string_equal(f.url[0], "http://a.example/c");
  f = find("http://a.example/d\xC2\xA0next");
  assert_string_equal(f.url[0], "http://a.example/d");
}

static void test_text_angle_brackets(void **state) {
  (void)state;
  found f = find("Link: <http://a.example/x.>, <https://b.example/y>");
  assert_int_equal(f.n, 2);
  assert_string_equal(f.url[0], "http://a.example/x.");
  assert_string_equal(f.url[1], "https://b.example/y");
  assert_int_equal(f.offset[1], 30);
  f = find("<http://a.example/unclosed.");
  assert_string_equal(f.url[0], "http://a.example/unclosed");
}

static int stop_at_first(const char *url, size_t len, size_t offset, void *p) {
  (void)url, (void)len, (void)offset, (void)p;
  return 5;
}

static void test_text_stop(void **state) {
  (void)state;
  assert_int_equal(bw_text_find_urls("http://a.example http://b.example", 33, stop_at_first, NULL),
                   5);
  assert_int_equal(bw_text_find_urls(NULL, 0, stop_at_first, NULL), 0);
  assert_int_equal(bw_text_find_urls("http://a.example", 10, stop_at_first, NULL), 5);
  assert_int_equal(bw_text_find_urls("http://a.example", 7, stop_at_first, NULL), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_basic),
      cmocka_unit_test(test_idna_mapping_to_forbidden),
      cmocka_unit_test(test_idna_mapping_to_nothing),
      cmocka_unit_test(test_default_ports),
      cmocka_unit_test(test_userinfo),
      cmocka_unit_test(test_backslashes_and_slashes),
      cmocka_unit_test(test_embedded_whitespace),
      cmocka_unit_test(test_idna),
      cmocka_unit_test(test_percent_encoded_host),
      cmocka_unit_test(test_ipv4_forms),
      cmocka_unit_test(test_ipv6),
      cmocka_unit_test(test_paths),
      cmocka_unit_test(test_scheme_relative_and_relative),
      cmocka_unit_test(test_other_schemes),
      cmocka_unit_test(test_file_urls),
      cmocka_unit_test(test_registrable_domain),
      cmocka_unit_test(test_percent_decode),
      cmocka_unit_test(test_text_basic),
      cmocka_unit_test(test_text_punctuation),
      cmocka_unit_test(test_text_angle_brackets),
      cmocka_unit_test(test_text_stop),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
