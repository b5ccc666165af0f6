/*
 * bw_viewdiff.c - the plain parser (mime/entity.c) against GMime, view for view.
 *
 * For every message under the given paths the view is built with GMime
 * alone (structure and address lists) and the way a scan builds it (entity.c
 * and address.c where they accept the input, GMime for the rest). The two
 * must be identical in every field the detectors read (headers, addresses,
 * dates, every part with its decoded bytes, embedded messages) and in the
 * findings the build reported. Prints one line
 * per difference and a summary; exits 1 on any difference, so that a change
 * to either path that makes them disagree cannot land.
 *
 * usage: bw_viewdiff [-v] PATH...   (-v also prints the first differing line)
 */
#include <stdio.h>
#include <string.h>

#include "beaconwatch.h"
#include "findings.h"
#include "mime/view.h"
#include "util/buf.h"

/* Builds the view with one parser and serialises it; returns the build status. */
static int describe(const bw_message *m, const bw_limits *limits, bw_view_parser parser,
                    bw_buf *out) {
  bw_arena arena;
  bw_arena_init(&arena);
  bw_findings findings;
  bw_findings_init(&findings, &arena);
  bw_view view;
  int rc = bw_view_build_with(&view, m->data, m->len, limits, &arena, &findings, parser);
  bw_buf_reset(out);
  if (rc == BW_OK) bw_view_describe(&view, &findings, out);
  bw_arena_free(&arena);
  return rc;
}

static void first_difference(const bw_buf *a, const bw_buf *b) {
  size_t line_start = 0;
  for (size_t i = 0; i < a->len && i < b->len; i++) {
    if (a->data[i] != b->data[i]) break;
    if (a->data[i] == '\n') line_start = i + 1;
  }
  const char *ea = memchr(a->data + line_start, '\n', a->len - line_start);
  const char *eb = memchr(b->data + line_start, '\n', b->len - line_start);
  int na = ea ? (int)(ea - a->data - line_start) : (int)(a->len - line_start);
  int nb = eb ? (int)(eb - b->data - line_start) : (int)(b->len - line_start);
  printf("    gmime: %.*s\n    plain: %.*s\n", na > 300 ? 300 : na, a->data + line_start,
         nb > 300 ? 300 : nb, b->data + line_start);
}

int main(int argc, char **argv) {
  int verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
  if (argc < 2 + verbose) {
    fprintf(stderr, "usage: bw_viewdiff [-v] PATH...\n");
    return 2;
  }
  bw_engine *engine; /* initialises GMime */
  bw_error err;
  if (bw_engine_new(NULL, &engine, &err) != BW_OK) {
    fprintf(stderr, "bw_viewdiff: %s\n", err.message);
    return 2;
  }
  bw_config cfg;
  bw_config_init(&cfg);
  bw_buf a, b, loc;
  bw_buf_init(&a);
  bw_buf_init(&b);
  bw_buf_init(&loc);
  size_t total = 0, accepted = 0, differ = 0;
  for (int i = 1 + verbose; i < argc; i++) {
    bw_reader *r;
    if (bw_reader_open(argv[i], NULL, &r, &err) != BW_OK) {
      fprintf(stderr, "bw_viewdiff: %s\n", err.message);
      return 2;
    }
    bw_message m;
    int rc;
    while ((rc = bw_reader_next(r, &m, &err)) != BW_DONE) {
      if (rc != BW_OK) continue;
      total++;
      int rg = describe(&m, &cfg.limits, BW_VIEW_PARSER_GMIME, &a);
      if (describe(&m, &cfg.limits, BW_VIEW_PARSER_ENTITY, &b) != BW_VIEW_DECLINED) accepted++;
      /* What a scan builds: the plain path, or GMime's structure with the plain address reader. */
      int re = describe(&m, &cfg.limits, BW_VIEW_PARSER_ANY, &b);
      if (rg == re && a.len == b.len && memcmp(a.data, b.data, a.len) == 0) continue;
      differ++;
      bw_buf_reset(&loc);
      bw_locator_format(&m.locator, &loc);
      printf("DIFF %s (status gmime %d, plain %d)\n", loc.data, rg, re);
      if (verbose) first_difference(&a, &b);
    }
    bw_reader_free(r);
  }
  printf("view_vs_gmime: %zu messages, %zu parsed without GMime (%.1f%%), %zu differ\n", total,
         accepted, total ? 100.0 * (double)accepted / (double)total : 0.0, differ);
  bw_buf_free(&a);
  bw_buf_free(&b);
  bw_buf_free(&loc);
  bw_engine_free(engine);
  return differ ? 1 : 0;
}
