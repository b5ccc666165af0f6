/*
 * test_reader.c - the mailbox readers (bw_reader_*, bw_locator_format and the
 * internal mbox splitter).
 *
 * Every fixture is generated at test time in a fresh temporary directory:
 * single files, mboxo and mboxrd, CRLF, Maildir, nested directories with
 * links, gzip, stdin, limits, failures, and a ~200 MB mbox that checks the
 * reader streams in bounded memory. Nothing is read from ../shared.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "beaconwatch.h"
#include "input/mbox.h"
#include "input/source.h"
#include "util/buf.h"

/* ---- fixtures -------------------------------------------------------------- */

static char g_root[1024];

/* Returns a path under the test's temporary directory (a static buffer per call slot). */
static const char *tpath(const char *fmt, ...) {
  static char bufs[8][4096];
  static int next;
  char *out = bufs[next++ % 8];
  char rel[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(rel, sizeof(rel), fmt, ap);
  va_end(ap);
  snprintf(out, 4096, "%s/%s", g_root, rel);
  return out;
}

static void write_bytes(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

static void write_str(const char *path, const char *s) {
  write_bytes(path, s, strlen(s));
}

static void write_gz(const char *path, const char *s) {
  gzFile gz = gzopen(path, "wb");
  assert_non_null(gz);
  assert_int_equal(gzwrite(gz, s, (unsigned)strlen(s)), (int)strlen(s));
  assert_int_equal(gzclose(gz), Z_OK);
}

static void make_dir(const char *path) {
  assert_int_equal(mkdir(path, 0755), 0);
}

static int64_t file_size(const char *path) {
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  return (int64_t)st.st_size;
}

static int rm_tree(const char *path) {
  char cmd[4200];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
  return system(cmd);
}

static int setup(void **state) {
  (void)state;
  const char *tmp = getenv("TMPDIR");
  snprintf(g_root, sizeof(g_root), "%s/bw-reader-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  return mkdtemp(g_root) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  return rm_tree(g_root) == 0 ? 0 : -1;
}

/* ---- collecting what a reader yields ------------------------------------- */

typedef struct item {
  int rc;
  char *data; /* copy of the message, or of the error message */
  size_t len;
  char *path;
  int64_t index, offset;
  int truncated;
} item;

typedef struct items {
  item v[64];
  size_t n;
  size_t errors;
} items;

static void collect(const char *path, size_t limit, items *out) {
  memset(out, 0, sizeof(*out));
  bw_reader_opts opts = {.max_message_bytes = limit};
  bw_reader *r = NULL;
  bw_error err;
  assert_int_equal(bw_reader_open(path, &opts, &r, &err), BW_OK);
  for (;;) {
    bw_message m;
    int rc = bw_reader_next(r, &m, &err);
    if (rc == BW_DONE) break;
    assert_true(out->n < 64);
    item *it = &out->v[out->n++];
    it->rc = rc;
    if (rc < 0) {
      assert_int_equal(err.code, rc);
      it->data = strdup(err.message);
      out->errors++;
      continue;
    }
    assert_int_equal(rc, BW_OK);
    it->data = malloc(m.len + 1);
    memcpy(it->data, m.data, m.len);
    it->data[m.len] = '\0';
    it->len = m.len;
    it->path = strdup(m.locator.path);
    it->index = m.locator.index;
    it->offset = m.locator.offset;
    it->truncated = m.truncated;
  }
  bw_reader_free(r);
}

static void items_free(items *it) {
  for (size_t i = 0; i < it->n; i++) {
    free(it->v[i].data);
    free(it->v[i].path);
  }
}

static void assert_msg(const item *it, const char *path, int64_t index, int64_t offset,
                       const char *data) {
  assert_int_equal(it->rc, BW_OK);
  assert_string_equal(it->path, path);
  assert_int_equal(it->index, index);
  assert_int_equal(it->offset, offset);
  assert_int_equal(it->len, strlen(data));
  assert_memory_equal(it->data, data, it->len);
  assert_int_equal(it->truncated, 0);
}

/* ---- message bodies ------------------------------------------------------ */

static const char EML[] = "From: a@example.org\nTo: b@example.org\nSubject: hi\n\nbody\n";

#define ENV1 "From alice@example.org Thu Aug 22 12:36:23 2002\n"
#define ENV2 "From bob@example.org Fri Aug 23 01:02:03 2002\n"
#define ENV3 "From MAILER-DAEMON Sat, 24 Aug 2002 10:00:00 +0000\n"
#define M1 "Subject: one\n\nfirst body\nFrom here on, a body line that is no envelope\n"
#define M2                                                                                         \
  "Subject: two\n\nline\nnot blank before:\nFrom carol@example.org Fri Aug 23 01:02:03 2002\n"
#define M3 "Subject: three\n\nlast\n"
static const char MBOXO[] = ENV1 M1 "\n" ENV2 M2 "\n" ENV3 M3;

/* ---- tests --------------------------------------------------------------- */

static void test_single_eml(void **state) {
  (void)state;
  const char *p = tpath("single.eml");
  write_str(p, EML);
  items it;
  collect(p, 0, &it);
  assert_int_equal(it.n, 1);
  assert_msg(&it.v[0], p, -1, -1, EML);
  items_free(&it);
}

static void test_not_an_envelope_is_single(void **state) {
  (void)state;
  const char *body =
      "From here to eternity 12:00 is no envelope\n\nFrom x Thu Aug 22 12:36:23 2002\n";
  const char *p = tpath("from-prose.eml");
  write_str(p, body);
  items it;
  collect(p, 0, &it);
  assert_int_equal(it.n, 1);
  assert_msg(&it.v[0], p, -1, -1, body);
  items_free(&it);
}

static void test_mboxo(void **state) {
  (void)state;
  const char *p = tpath("mboxo");
  write_str(p, MBOXO);
  items it;
  collect(p, 0, &it);
  assert_int_equal(it.n, 3);
  int64_t off2 = (int64_t)strlen(ENV1 M1 "\n");
  int64_t off3 = off2 + (int64_t)strlen(ENV2 M2 "\n");
  assert_msg(&it.v[0], p, 0, 0, M1);
  assert_msg(&it.v[1], p, 1, off2, M2);
  assert_msg(&it.v[2], p, 2, off3, M3);
  items_free(&it);
}

static void test_mboxrd_unescape(void **state) {
  (void)state;
  const char *p = tpath("mboxrd");
  write_str(p, ENV1 "Subject: q\n\n>From me\n>>From you\n>>>From them\n> From spaced\n>Fromage\n"
                    "\n" ENV2 ">From the start\n");
  items it;
  collect(p, 0, &it);
  assert_int_equal(it.n, 2);
  assert_string_equal(it.v[0].data,
                      "Subject: q\n\nFrom me\n>From you\n>>From them\n> From spaced\n>Fromage\n");
  assert_string_equal(it.v[1].data, "From the start\n");
  items_free(&it);
}

static void test_crlf_mbox(void **state) {
  (void)state;
  const char *p = tpath("crlf.mbox");
  const char *e1 = "From a@b.c Thu Aug 22 12:36:23 2002\r\n";
  const char *b1 = "Subject: a\r\n\r\nx\r\n>From y\r\n";
  const char *e2 = "From d@e.f Thu Aug 22 12:36:24 2002\r\n";
  const char *b2 = "Subject: b\r\n\r\nz\r\n";
  char all[512];
  snprintf(all, sizeof(all), "%s%s\r\n%s%s", e1, b1, e2, b2);
  write_str(p, all);
  items it;
  collect(p, 0, &it);
  assert_int_equal(it.n, 2);
  assert_msg(&it.v[0], p, 0, 0, "Subject: a\r\n\r\nx\r\nFrom y\r\n");
  assert_msg(&it.v[1], p, 1, (int64_t)(strlen(e1) + strlen(b1) + 2), b2);
  items_free(&it);
}

static void test_empty_file(void **state) {
  (void)state;
  const char *p = tpath("empty");
  write_str(p, "");
  items it;
  collect(p, 0, &it);
  assert_int_equal(it.n, 0);
  items_free(&it);
}

static void test_maildir(void **state) {
  (void)state;
  make_dir(tpath("md"));
  make_dir(tpath("md/cur"));
  make_dir(tpath("md/new"));
  make_dir(tpath("md/tmp"));
  write_str(tpath("md/new/1001.a.host"), "Subject: new\n\nn\n");
  write_str(tpath("md/cur/1000.b.host:2,S"), "Subject: cur\n\nc\n");
  write_str(tpath("md/tmp/1002.c.host"), "Subject: tmp\n\nt\n");
  write_str(tpath("md/dovecot-uidlist"), "3 V1 N4\n");
  items it;
  collect(tpath("md"), 0, &it);
  assert_int_equal(it.n, 2);
  assert_msg(&it.v[0], tpath("md/cur/1000.b.host:2,S"), -1, -1, "Subject: cur\n\nc\n");
  assert_msg(&it.v[1], tpath("md/new/1001.a.host"), -1, -1, "Subject: new\n\nn\n");
  items_free(&it);
}

static void test_nested_dirs(void **state) {
  (void)state;
  make_dir(tpath("tree"));
  make_dir(tpath("tree/b"));
  make_dir(tpath("tree/b/inner"));
  make_dir(tpath("tree/.hidden"));
  write_str(tpath("tree/c.eml"), "Subject: c\n\n");
  write_str(tpath("tree/a.eml"), "Subject: a\n\n");
  write_str(tpath("tree/b/inner/z.eml"), "Subject: z\n\n");
  write_str(tpath("tree/b/mbox"), ENV1 "Subject: m0\n\n"
                                       "\n" ENV2 "Subject: m1\n\n");
  write_str(tpath("tree/.dotfile"), "Subject: dot\n\n");
  write_str(tpath("tree/.hidden/x.eml"), "Subject: hidden\n\n");
  write_str(tpath("tree/empty"), "");
  assert_int_equal(symlink("..", tpath("tree/b/inner/loop")), 0); /* back to tree/b */
  assert_int_equal(mkfifo(tpath("tree/fifo"), 0644), 0);          /* skipped, never opened */
  items it;
  collect(tpath("tree/"), 0, &it); /* a trailing slash gives the same paths */
  assert_int_equal(it.n, 5);
  assert_msg(&it.v[0], tpath("tree/a.eml"), -1, -1, "Subject: a\n\n");
  assert_msg(&it.v[1], tpath("tree/b/inner/z.eml"), -1, -1, "Subject: z\n\n");
  assert_msg(&it.v[2], tpath("tree/b/mbox"), 0, 0, "Subject: m0\n\n");
  assert_msg(&it.v[3], tpath("tree/b/mbox"), 1, (int64_t)strlen(ENV1 "Subject: m0\n\n\n"),
             "Subject: m1\n\n");
  assert_msg(&it.v[4], tpath("tree/c.eml"), -1, -1, "Subject: c\n\n");
  items_free(&it);
}

static void test_gzip(void **state) {
  (void)state;
  /* Names carry no hint: detection is by the 1f 8b magic. */
  const char *pm = tpath("gz-mbox.data");
  const char *pe = tpath("gz-eml.txt");
  write_gz(pm, MBOXO);
  write_gz(pe, EML);
  items it;
  collect(pm, 0, &it);
  assert_int_equal(it.n, 3);
  assert_msg(&it.v[0], pm, 0, 0, M1);
  assert_msg(&it.v[2], pm, 2, (int64_t)strlen(ENV1 M1 "\n" ENV2 M2 "\n"), M3);
  items_free(&it);
  collect(pe, 0, &it);
  assert_int_equal(it.n, 1);
  assert_msg(&it.v[0], pe, -1, -1, EML);
  items_free(&it);
}

/* Runs a reader on "-" with fd 0 taken from path. */
static void collect_stdin(const char *path, items *it, int64_t *done, int64_t *total) {
  int saved = dup(STDIN_FILENO);
  int fd = open(path, O_RDONLY);
  assert_true(saved >= 0 && fd >= 0);
  assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
  close(fd);
  collect("-", 0, it);
  bw_reader *r = NULL;
  bw_error err;
  assert_int_equal(bw_reader_open("-", NULL, &r, &err), BW_OK);
  bw_reader_progress(r, done, total);
  bw_reader_free(r);
  assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
  close(saved);
}

static void test_stdin(void **state) {
  (void)state;
  const char *pm = tpath("stdin.mbox.gz");
  write_gz(pm, MBOXO);
  items it;
  int64_t done, total;
  collect_stdin(pm, &it, &done, &total);
  assert_int_equal(it.n, 3);
  assert_msg(&it.v[1], "-", 1, (int64_t)strlen(ENV1 M1 "\n"), M2);
  assert_int_equal(total, -1);
  items_free(&it);
  const char *pe = tpath("stdin.eml");
  write_str(pe, EML);
  collect_stdin(pe, &it, &done, &total);
  assert_int_equal(it.n, 1);
  assert_msg(&it.v[0], "-", -1, -1, EML);
  items_free(&it);
}

static void test_truncation(void **state) {
  (void)state;
  char big[3000];
  memset(big, 'x', sizeof(big));
  for (size_t i = 99; i < sizeof(big); i += 100) big[i] = '\n';
  big[sizeof(big) - 1] = '\0';
  char mbox[4096];
  snprintf(mbox, sizeof(mbox), ENV1 "%s\n\n" ENV2 "Subject: short\n\n", big);
  const char *p = tpath("trunc.mbox");
  write_str(p, mbox);
  items it;
  collect(p, 100, &it);
  assert_int_equal(it.n, 2);
  assert_int_equal(it.v[0].len, 100);
  assert_int_equal(it.v[0].truncated, 1);
  assert_memory_equal(it.v[0].data, big, 100);
  assert_msg(&it.v[1], p, 1, (int64_t)(strlen(ENV1) + strlen(big) + 2), "Subject: short\n\n");
  items_free(&it);

  const char *ps = tpath("trunc.eml");
  write_str(ps, big);
  collect(ps, 100, &it);
  assert_int_equal(it.n, 1);
  assert_int_equal(it.v[0].len, 100);
  assert_int_equal(it.v[0].truncated, 1);
  items_free(&it);
  /* Exactly at the limit is not truncated. */
  collect(ps, strlen(big), &it);
  assert_int_equal(it.n, 1);
  assert_int_equal(it.v[0].truncated, 0);
  assert_int_equal(it.v[0].len, strlen(big));
  items_free(&it);
}

static void test_errors_continue(void **state) {
  (void)state;
  make_dir(tpath("bad"));
  write_str(tpath("bad/1.eml"), "Subject: one\n\n");
  /* A gzip header followed by garbage: fails even for root. */
  write_bytes(tpath("bad/2-corrupt"), "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xff\xff\xff",
              14);
  assert_int_equal(symlink("does-not-exist", tpath("bad/3-dangling")), 0);
  /* A gzip stream cut short after its first message. */
  char half[64 * 1024];
  const char *full = tpath("full.gz");
  char text[8192];
  snprintf(text, sizeof(text), ENV1 "Subject: kept\n\n\n" ENV2 "%s", "");
  size_t tl = strlen(text);
  uint32_t seed = 12345; /* incompressible letters, so the cut lands in message 1 */
  for (size_t i = tl; i < sizeof(text) - 1; i++) {
    seed = seed * 1103515245u + 12345u;
    text[i] = (char)('a' + (seed >> 16) % 26);
  }
  text[sizeof(text) - 1] = '\0';
  write_gz(full, text);
  FILE *f = fopen(full, "rb");
  size_t n = fread(half, 1, sizeof(half), f);
  fclose(f);
  write_bytes(tpath("bad/4-short.gz"), half, n - 100);
  write_str(tpath("bad/5.eml"), "Subject: five\n\n");

  items it;
  collect(tpath("bad"), 0, &it);
  assert_int_equal(it.n, 6);
  assert_int_equal(it.errors, 3);
  assert_msg(&it.v[0], tpath("bad/1.eml"), -1, -1, "Subject: one\n\n");
  assert_int_equal(it.v[1].rc, BW_EFORMAT);
  assert_non_null(strstr(it.v[1].data, tpath("bad/2-corrupt")));
  assert_non_null(strstr(it.v[1].data, "gzip"));
  assert_int_equal(it.v[2].rc, BW_EIO);
  assert_non_null(strstr(it.v[2].data, tpath("bad/3-dangling")));
  assert_non_null(strstr(it.v[2].data, strerror(ENOENT)));
  assert_msg(&it.v[3], tpath("bad/4-short.gz"), 0, 0, "Subject: kept\n\n");
  assert_int_equal(it.v[4].rc, BW_EFORMAT);
  char where[4200];
  snprintf(where, sizeof(where), "%s#1@%zu", tpath("bad/4-short.gz"),
           strlen(ENV1 "Subject: kept\n\n\n"));
  assert_non_null(strstr(it.v[4].data, where));
  assert_msg(&it.v[5], tpath("bad/5.eml"), -1, -1, "Subject: five\n\n");
  items_free(&it);
}

static void test_open_missing(void **state) {
  (void)state;
  bw_reader *r = (bw_reader *)&r;
  bw_error err;
  const char *p = tpath("no/such/file");
  assert_int_equal(bw_reader_open(p, NULL, &r, &err), BW_EIO);
  assert_null(r);
  assert_int_equal(err.code, BW_EIO);
  assert_non_null(strstr(err.message, p));
  assert_non_null(strstr(err.message, strerror(ENOENT)));
  assert_int_equal(bw_reader_open(NULL, NULL, &r, &err), BW_EINVAL);
}

static void test_locator_format(void **state) {
  (void)state;
  bw_buf b;
  bw_buf_init(&b);
  bw_locator single = {"mail/a.eml", -1, -1};
  bw_locator_format(&single, &b);
  assert_string_equal(b.data, "mail/a.eml");
  bw_buf_reset(&b);
  bw_locator in_mbox = {"box.mbox", 12, 34567890123LL};
  bw_locator_format(&in_mbox, &b);
  assert_string_equal(b.data, "box.mbox#12@34567890123");
  bw_buf_puts(&b, " ");
  bw_locator std = {"-", 0, 0};
  bw_locator_format(&std, &b); /* appends */
  assert_string_equal(b.data, "box.mbox#12@34567890123 -#0@0");
  bw_buf_free(&b);
}

static void test_progress(void **state) {
  (void)state;
  make_dir(tpath("prog"));
  write_str(tpath("prog/a.eml"), EML);
  write_str(tpath("prog/b.mbox"), MBOXO);
  write_gz(tpath("prog/c.gz"), MBOXO);
  int64_t expect = file_size(tpath("prog/a.eml")) + file_size(tpath("prog/b.mbox")) +
                   file_size(tpath("prog/c.gz"));
  bw_reader *r = NULL;
  bw_error err;
  assert_int_equal(bw_reader_open(tpath("prog"), NULL, &r, &err), BW_OK);
  int64_t done = -2, total = -2, last = 0;
  bw_reader_progress(r, &done, &total);
  assert_int_equal(done, 0);
  assert_int_equal(total, expect);
  bw_message m;
  int n = 0;
  while (bw_reader_next(r, &m, &err) == BW_OK) {
    n++;
    bw_reader_progress(r, &done, &total);
    assert_true(done >= last && done <= total);
    last = done;
  }
  assert_int_equal(n, 7);
  bw_reader_progress(r, &done, &total);
  assert_int_equal(done, expect);
  bw_reader_free(r);

  /* A single file: its size. */
  assert_int_equal(bw_reader_open(tpath("prog/b.mbox"), NULL, &r, &err), BW_OK);
  bw_reader_progress(r, &done, &total);
  assert_int_equal(total, (int64_t)strlen(MBOXO));
  while (bw_reader_next(r, &m, &err) == BW_OK) {
  }
  bw_reader_progress(r, &done, &total);
  assert_int_equal(done, total);
  bw_reader_free(r);
}

static void test_envelope_rule(void **state) {
  (void)state;
  static const char *yes[] = {
      "From a@b.c Thu Aug 22 12:36:23 2002",       "From MAILER-DAEMON Fri Jul  8 12:08:34 2011",
      "From a@b.c Thu Aug 22 12:36:23 +0000 2002", "From a@b.c Thu, 22 Aug 2002 12:36 +0000",
      "From a@b.c  Thu Aug 2 2:36:23 2002",
  };
  static const char *no[] = {
      "From: a@b.c",
      "From here on",
      "From 2001 to 2003 we met at 10:30",
      "From a@b.c Thu Aug 22 2002",
      "from a@b.c Thu Aug 22 12:36:23 2002",
      "From a@b.c Thu Aug 22 123:36:23 2002",
      "From",
  };
  for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
    assert_true(bw_mbox_is_envelope(yes[i], strlen(yes[i])));
  for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
    assert_false(bw_mbox_is_envelope(no[i], strlen(no[i])));
}

/* Splits data with the given chunk size into a string "index@offset:len/full;..." */
static void split_summary(const char *data, size_t len, size_t chunk, size_t limit, bw_buf *out) {
  bw_mbox_config cfg;
  bw_mbox_config_init(&cfg, limit);
  cfg.chunk = chunk;
  cfg.lookahead = 64;
  bw_mbox m;
  bw_error err;
  assert_int_equal(bw_mbox_init(&m, &cfg, &err), BW_OK);
  bw_source src;
  bw_source_open_memory(&src, data, len);
  bw_mbox_start(&m, &src);
  bw_mbox_message msg;
  int rc;
  while ((rc = bw_mbox_next(&m, &msg, &err)) == BW_OK) {
    bw_buf_printf(out, "%lld@%lld:%zu/%llu%s;", (long long)msg.index, (long long)msg.offset,
                  msg.len, (unsigned long long)msg.full_len, msg.truncated ? "T" : "");
    bw_buf_append(out, msg.data, msg.len);
  }
  assert_int_equal(rc, BW_DONE);
  bw_mbox_free(&m);
}

static void test_chunk_independence(void **state) {
  (void)state;
  /* Long lines, an over-long envelope-like line, escapes and CRLF across chunk edges. */
  bw_buf in;
  bw_buf_init(&in);
  for (int i = 0; i < 40; i++) {
    bw_buf_printf(&in, "From u%d@x.org Thu Aug 22 12:%02d:00 2002%s\n", i, i % 60,
                  i % 3 ? "" : "\r");
    bw_buf_printf(&in, "Subject: %d\n\n>From a\n>>From b\n", i);
    for (int k = 0; k < i * 7; k++) bw_buf_putc(&in, (char)('a' + k % 26));
    bw_buf_puts(
        &in,
        "\n\nFrom padding-padding-padding-padding-padding-padding-padding-padding Aug 1:00 2002\n");
    bw_buf_puts(&in, i % 2 ? "\n" : "\r\n");
  }
  bw_buf ref, got;
  bw_buf_init(&ref);
  bw_buf_init(&got);
  split_summary(in.data, in.len, 1 << 20, 150, &ref);
  assert_non_null(strstr(ref.data, "39@"));
  assert_non_null(strstr(ref.data, "T;"));
  for (size_t chunk = 65; chunk < 300; chunk += 17) {
    bw_buf_reset(&got);
    split_summary(in.data, in.len, chunk, 150, &got);
    assert_int_equal(got.len, ref.len);
    assert_memory_equal(got.data, ref.data, ref.len);
  }
  bw_buf_free(&ref);
  bw_buf_free(&got);
  bw_buf_free(&in);
}

/*
 * ~200 MB, 20000 messages: the reader's peak memory must stay near one input
 * chunk plus one message, far below the file size. ru_maxrss is a
 * high-water mark, so this test runs first, before others raise it.
 */
static void test_big_mbox_bounded_memory(void **state) {
  (void)state;
  const char *p = tpath("big.mbox");
  FILE *f = fopen(p, "wb");
  assert_non_null(f);
  char line[80];
  memset(line, 'q', sizeof(line));
  line[sizeof(line) - 1] = '\n';
  const int n_msgs = 20000, lines = 130;
  for (int i = 0; i < n_msgs; i++) {
    fprintf(f, "From sender%d@example.org Mon Jan  1 00:00:%02d 2024\n", i, i % 60);
    fprintf(f, "Subject: message %d\n\n>From escaped\n", i);
    for (int k = 0; k < lines; k++) fwrite(line, 1, sizeof(line), f);
    fputc('\n', f);
  }
  assert_int_equal(fclose(f), 0);
  int64_t size = file_size(p);
  assert_true(size > 200 * 1000 * 1000);

  struct rusage before, after;
  getrusage(RUSAGE_SELF, &before);
  bw_reader *r = NULL;
  bw_error err;
  assert_int_equal(bw_reader_open(p, NULL, &r, &err), BW_OK);
  bw_message m;
  int n = 0, rc;
  int64_t last_offset = -1;
  while ((rc = bw_reader_next(r, &m, &err)) == BW_OK) {
    assert_int_equal(m.locator.index, n);
    assert_true(m.locator.offset > last_offset);
    assert_int_equal(m.truncated, 0);
    last_offset = m.locator.offset;
    n++;
  }
  assert_int_equal(rc, BW_DONE);
  int64_t done, total;
  bw_reader_progress(r, &done, &total);
  bw_reader_free(r);
  getrusage(RUSAGE_SELF, &after);
  assert_int_equal(n, n_msgs);
  assert_int_equal(done, size);
  assert_int_equal(total, size);
  long grew_kib = after.ru_maxrss - before.ru_maxrss;
  print_message("big mbox: %lld bytes, %d messages, peak RSS grew by %ld KiB\n", (long long)size, n,
                grew_kib);
  assert_true(grew_kib < 16 * 1024);
  assert_int_equal(unlink(p), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_big_mbox_bounded_memory),
      cmocka_unit_test(test_single_eml),
      cmocka_unit_test(test_not_an_envelope_is_single),
      cmocka_unit_test(test_mboxo),
      cmocka_unit_test(test_mboxrd_unescape),
      cmocka_unit_test(test_crlf_mbox),
      cmocka_unit_test(test_empty_file),
      cmocka_unit_test(test_maildir),
      cmocka_unit_test(test_nested_dirs),
      cmocka_unit_test(test_gzip),
      cmocka_unit_test(test_stdin),
      cmocka_unit_test(test_truncation),
      cmocka_unit_test(test_errors_continue),
      cmocka_unit_test(test_open_missing),
      cmocka_unit_test(test_locator_format),
      cmocka_unit_test(test_progress),
      cmocka_unit_test(test_envelope_rule),
      cmocka_unit_test(test_chunk_independence),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
