/*
 * bench_html.c - time spent in bw_extract_html alone, on real messages.
 *
 * Loads the messages named on the command line or in a list file, builds
 * each one's MIME view once (outside the timed region), then times only
 * bw_extract_html over every inline text/html part, ROUNDS times, and
 * reports the fastest and the median CPU time as microseconds per message and
 * MB/s of HTML. Other work on the machine only ever adds time, so on a busy
 * machine the fastest round is the steadier number.
 *
 * With -H the files are raw HTML rather than messages (each is one part),
 * which lets -d compare builds on fuzzer corpora and test inputs.
 *
 * With -d it instead prints everything the extraction produced (every
 * resource and link with all their fields, and the findings it reported),
 * one line each, so that two builds can be compared with cmp: a speed-up of
 * the extractor must not change a byte of this.
 *
 * usage: bench_html [-r ROUNDS] [-d] [-H] [-l LISTFILE] [FILE...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "beaconwatch.h"
#include "findings.h"
#include "html/resources.h"
#include "mime/view.h"
#include "url/url.h"

typedef struct message {
  char *path;
  char *data;
  size_t len;
  bw_arena arena; /* holds the view, kept for the whole run */
  bw_view view;
  bw_part part; /* -H: the file itself */
  bw_part *parts[1];
  int ok;
} message;

static message *g_msgs;
static size_t g_n, g_cap;

static void die(const char *what) {
  fprintf(stderr, "bench_html: %s\n", what);
  exit(1);
}

/* CPU time of this thread: other load on the machine then disturbs the numbers less. */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void add_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return;
  if (g_n == g_cap) {
    g_cap = g_cap ? 2 * g_cap : 1024;
    g_msgs = realloc(g_msgs, g_cap * sizeof *g_msgs);
    if (!g_msgs) die("out of memory");
  }
  message *m = &g_msgs[g_n++];
  memset(m, 0, sizeof *m);
  m->path = strdup(path);
  size_t cap = 1 << 16;
  m->data = malloc(cap);
  size_t got;
  while (m->data && (got = fread(m->data + m->len, 1, cap - m->len, f)) > 0) {
    m->len += got;
    if (m->len == cap) m->data = realloc(m->data, cap *= 2);
  }
  fclose(f);
  if (m->data) m->data = realloc(m->data, m->len + 1); /* text parts are NUL-terminated */
  if (!m->data || !m->path) die("out of memory");
  m->data[m->len] = '\0';
}

static void add_list(const char *list) {
  FILE *f = fopen(list, "r");
  if (!f) die("cannot open the list file");
  char line[4096];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0]) add_file(line);
  }
  fclose(f);
}

static int is_html_leaf(const bw_part *p) {
  return !p->is_attachment && p->data && strcmp(p->content_type, "text/html") == 0;
}

/* Runs bw_extract_html over every HTML part of m into a fresh arena. */
static void extract(const bw_url_ctx *urls, const bw_limits *limits, const message *m,
                    bw_arena *arena, bw_findings *findings, bw_extraction *out) {
  bw_arena_init(arena);
  bw_findings_init(findings, arena);
  memset(out, 0, sizeof *out);
  bw_extract_ctx x = {
      .urls = urls, .limits = limits, .arena = arena, .findings = findings, .out = out};
  for (size_t i = 0; i < m->view.n_parts; i++)
    if (is_html_leaf(m->view.parts[i]) && bw_extract_html(&x, m->view.parts[i]) != BW_OK)
      die("bw_extract_html failed");
}

static const char *str(const char *s) {
  return s ? s : "(null)";
}

static void dump(const message *m, const bw_extraction *e, const bw_findings *f) {
  printf("message %s\n", m->path);
  for (size_t i = 0; i < e->resources.len; i++) {
    const bw_resource *r = e->resources.items[i];
    printf("  res %s %s %s %s %s @%zu w=%.17g h=%.17g hidden=%u raw=%s norm=%s\n", r->part, r->tag,
           str(r->attr), r->kind, r->context, r->offset, r->width, r->height, r->hidden,
           str(r->url.raw), str(r->url.normalized));
  }
  for (size_t i = 0; i < e->links.len; i++) {
    const bw_link *l = e->links.items[i];
    printf("  link %s %s %s @%zu raw=%s norm=%s text=%s\n", l->part, l->tag, str(l->attr),
           l->offset, str(l->url.raw), str(l->url.normalized), str(l->text));
  }
  for (size_t i = 0; i < f->items.len; i++) {
    const bw_finding *x = f->items.items[i];
    printf("  finding %s %s\n", x->kind, str(x->message));
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int rounds = 5, dump_mode = 0, raw_html = 0, opt;
  while ((opt = getopt(argc, argv, "r:dHl:")) != -1) {
    if (opt == 'r')
      rounds = atoi(optarg) > 0 ? atoi(optarg) : 1;
    else if (opt == 'd')
      dump_mode = 1;
    else if (opt == 'H')
      raw_html = 1;
    else if (opt == 'l')
      add_list(optarg);
    else
      die("usage: bench_html [-r ROUNDS] [-d] [-H] [-l LISTFILE] [FILE...]");
  }
  for (int i = optind; i < argc; i++) add_file(argv[i]);
  if (!g_n) die("no messages");

  /* An engine initialises GMime, which bw_view_build needs. */
  bw_engine *engine;
  bw_error err;
  if (bw_engine_new(NULL, &engine, &err) != BW_OK) die(err.message);
  bw_config cfg;
  bw_config_init(&cfg);
  bw_url_ctx *urls = bw_url_ctx_new();
  if (!urls) die("cannot load the public suffix list");

  size_t html_bytes = 0, html_parts = 0;
  for (size_t i = 0; i < g_n; i++) {
    message *m = &g_msgs[i];
    bw_arena_init(&m->arena);
    bw_findings findings;
    bw_findings_init(&findings, &m->arena);
    if (raw_html) {
      m->part =
          (bw_part){.id = "1", .content_type = "text/html", .data = m->data, .data_len = m->len};
      m->parts[0] = &m->part;
      m->view = (bw_view){.parts = m->parts, .n_parts = 1};
      m->ok = 1;
    } else {
      m->ok = bw_view_build(&m->view, m->data, m->len, &cfg.limits, &m->arena, &findings) == BW_OK;
    }
    for (size_t k = 0; m->ok && k < m->view.n_parts; k++)
      if (is_html_leaf(m->view.parts[k])) html_bytes += m->view.parts[k]->data_len, html_parts++;
  }

  bw_arena arena;
  bw_findings findings;
  bw_extraction out;
  if (dump_mode) {
    for (size_t i = 0; i < g_n; i++) {
      if (!g_msgs[i].ok) continue;
      extract(urls, &cfg.limits, &g_msgs[i], &arena, &findings, &out);
      dump(&g_msgs[i], &out, &findings);
      bw_arena_free(&arena);
    }
    return 0;
  }

  double *t = calloc((size_t)rounds, sizeof *t);
  size_t items = 0;
  for (int r = 0; r < rounds; r++) {
    double start = now();
    for (size_t i = 0; i < g_n; i++) {
      if (!g_msgs[i].ok) continue;
      extract(urls, &cfg.limits, &g_msgs[i], &arena, &findings, &out);
      items += out.resources.len + out.links.len;
      bw_arena_free(&arena);
    }
    t[r] = now() - start;
  }
  qsort(t, (size_t)rounds, sizeof *t, cmp_double);
  double med = t[rounds / 2], best = t[0];
  printf("bench_html: %zu messages, %zu HTML parts, %.2f MB of HTML, %zu items/round\n", g_n,
         html_parts, (double)html_bytes / 1e6, items / (size_t)rounds);
  printf("  bw_extract_html: fastest of %d rounds %.1f us/msg (%.1f MB/s of HTML), median %.1f "
         "us/msg\n",
         rounds, best * 1e6 / (double)g_n, (double)html_bytes / 1e6 / best,
         med * 1e6 / (double)g_n);
  free(t);
  bw_url_ctx_free(urls);
  for (size_t i = 0; i < g_n; i++) {
    bw_arena_free(&g_msgs[i].arena);
    free(g_msgs[i].data);
    free(g_msgs[i].path);
  }
  free(g_msgs);
  bw_engine_free(engine);
  return 0;
}
