/*
 * fuzz_mime.c - libFuzzer target for the MIME view and everything after it.
 *
 * Feeds arbitrary bytes through bw_scan (GMime view, charset decoding,
 * resource extraction, verdict) and both formatters, with small limits so the
 * limit paths are exercised too. Invariants: the scan never fails on bad
 * input (only on OOM), and the JSON output is one line.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "beaconwatch.h"

static bw_engine *engine;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  bw_config cfg;
  bw_config_init(&cfg);
  cfg.limits.max_parts = 64;
  cfg.limits.max_depth = 8;
  cfg.limits.max_urls = 64;
  cfg.limits.max_header_bytes = 16 * 1024;
  bw_error err;
  if (bw_engine_new(&cfg, &engine, &err) != BW_OK) abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  bw_result *r = NULL;
  bw_error err;
  bw_scan_opts opts = {.locator = {.path = "fuzz", .index = -1, .offset = -1}};
  int rc = bw_scan(engine, (const char *)data, size, &opts, &r, &err);
  if (rc == BW_ENOMEM) return 0;
  assert(rc == BW_OK && r);
  bw_buf out;
  bw_buf_init(&out);
  if (bw_result_to_json(r, &out) == BW_OK) assert(!memchr(out.data, '\n', out.len));
  bw_buf_reset(&out);
  bw_result_to_text(r, &out);
  bw_buf_free(&out);
  bw_result_free(r);
  return 0;
}
