/*
 * fuzz_intel_feed.c - libFuzzer target for the feed loaders (STIX 2.1 and its
 * pattern language, MISP, lists, CSV, maltrail).
 *
 * Any input must load or be refused with a status; every item is counted as
 * loaded or unsupported with a reason; the index built from it must pass the
 * full verification and answer lookups for the values that went in.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intel/intel.h"

static int ignore(const bw_intel_hit *h, void *ctx) {
  (void)h, (void)ctx;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bw_intel_builder *b = bw_intel_builder_new();
  if (!b) return 0;
  bw_intel_report rep;
  bw_intel_report_init(&rep);
  bw_error err = {0};
  int rc = bw_intel_builder_load_buffer(b, "fuzz.feed", (const char *)data, size, &rep, &err);
  for (size_t i = 0; i < rep.n_skips; i++)
    if (!rep.skips[i].reason[0]) abort(); /* every unsupported item says why */
  unsigned char *buf = NULL;
  size_t len = 0;
  if (rc == BW_OK && bw_intel_builder_serialize(b, &buf, &len, &err) == BW_OK) {
    bw_intel *in = NULL;
    if (bw_intel_from_buffer(buf, len, &in, &err) != BW_OK) abort();
    if (bw_intel_verify(in, &err) != BW_OK) abort();
    if (bw_intel_count(in, 0) > rep.loaded) abort();
    char value[256];
    size_t n = size < sizeof(value) - 1 ? size : sizeof(value) - 1;
    memcpy(value, data, n);
    value[n] = 0;
    value[strcspn(value, "\n")] = 0;
    bw_intel_lookup_any(in, value, ignore, NULL);
    bw_intel_free(in);
  }
  bw_intel_builder_free(b);
  bw_intel_report_free(&rep);
  return 0;
}
