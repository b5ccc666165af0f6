/*
 * fuzz_view_parsers.c - libFuzzer target: the plain MIME parser against GMime.
 *
 * For every input entity.c accepts, the view built from its structure must
 * be identical (bw_view_describe) to the view built with GMime, findings
 * included; an input on which they differ aborts. Inputs entity.c declines
 * must still build through GMime. Small limits exercise the limit paths of
 * both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beaconwatch.h"
#include "findings.h"
#include "mime/view.h"

static bw_engine *engine; /* initialises GMime */
static bw_limits limits;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  bw_config cfg;
  bw_config_init(&cfg);
  cfg.limits.max_parts = 64;
  cfg.limits.max_depth = 8;
  cfg.limits.max_header_bytes = 16 * 1024;
  limits = cfg.limits;
  bw_error err;
  if (bw_engine_new(&cfg, &engine, &err) != BW_OK) abort();
  return 0;
}

static int describe(const char *data, size_t size, bw_view_parser parser, bw_buf *out) {
  bw_arena arena;
  bw_arena_init(&arena);
  bw_findings findings;
  bw_findings_init(&findings, &arena);
  bw_view view;
  int rc = bw_view_build_with(&view, data, size, &limits, &arena, &findings, parser);
  if (rc == BW_OK) bw_view_describe(&view, &findings, out);
  bw_arena_free(&arena);
  return rc;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  bw_buf a, b;
  bw_buf_init(&a);
  bw_buf_init(&b);
  int re = describe((const char *)data, size, BW_VIEW_PARSER_ENTITY, &b);
  int rg = describe((const char *)data, size, BW_VIEW_PARSER_GMIME, &a);
  if (rg != BW_OK && rg != BW_ENOMEM) abort();
  if (re != BW_VIEW_DECLINED && re != BW_ENOMEM && rg == BW_OK &&
      (re != BW_OK || a.len != b.len || memcmp(a.data, b.data, a.len) != 0)) {
    fprintf(stderr, "---- gmime view\n%.*s\n---- entity view\n%.*s\n", (int)a.len, a.data,
            (int)b.len, b.data);
    abort();
  }
  bw_buf_free(&a);
  bw_buf_free(&b);
  return 0;
}
