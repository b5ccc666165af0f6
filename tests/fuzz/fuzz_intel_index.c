/*
 * fuzz_intel_index.c - libFuzzer target for loading and searching a compiled
 * threat-intel index.
 *
 * An index file comes from disk and may be truncated, damaged or hostile:
 * loading must fail with BW_EFORMAT or succeed, and every lookup and the
 * full verification must then stay inside the buffer. Each input is tried
 * twice: as given, and with its meta checksum recomputed (when the header's
 * meta and strings sections lie inside the input), so that mutations get past
 * the checksum and reach the structural checks and the lookups.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intel/index_format.h"
#include "intel/intel.h"

static int ignore(const bw_intel_hit *h, void *ctx) {
  (void)ctx;
  return h->value[0] == 0 && h->feed == NULL; /* touch the strings */
}

static void exercise(unsigned char *buf, size_t size) {
  bw_intel *in = NULL;
  bw_error err = {0};
  if (bw_intel_from_buffer(buf, size, &in, &err) != BW_OK) {
    if (err.code != BW_EFORMAT && err.code != BW_ENOMEM) abort();
    return;
  }
  static const char *const values[] = {
      "evil.test",
      "a.b.evil.test",
      "192.0.2.1",
      "2001:db8::1",
      "https://phish.test/login?x=1",
      "spy@mail.test",
      "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c"};
  for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
    bw_intel_lookup_any(in, values[i], ignore, NULL);
  bw_intel_lookup_subject(in, "weekly briefing", ignore, NULL);
  bw_intel_verify(in, &err);
  bw_intel_count(in, BW_IOC_DOMAIN);
  bw_intel_free(in);
}

static int fits(uint64_t off, uint64_t len, uint64_t size) {
  return off <= size && len <= size - off;
}

/* Recomputes the meta checksum when the sections it covers lie inside data. */
static int fix_checksum(unsigned char *data, size_t size) {
  bw_intel_header h;
  if (size < sizeof(h)) return 0;
  memcpy(&h, data, sizeof(h));
  if (h.n_meta > size || !fits(h.meta_off, h.n_meta * sizeof(bw_intel_meta), size) ||
      !fits(h.strings_off, h.strings_len, size))
    return 0;
  bw_intel_header z = h;
  z.meta_checksum = z.body_checksum = 0;
  uint64_t c = bw_intel_fnv(BW_INTEL_FNV_SEED, &z, sizeof(z));
  c = bw_intel_fnv(c, data + h.meta_off, h.n_meta * sizeof(bw_intel_meta));
  h.meta_checksum = bw_intel_fnv(c, data + h.strings_off, h.strings_len);
  memcpy(data, &h, sizeof(h));
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  unsigned char *a = malloc(size ? size : 1);
  if (!a) return 0;
  memcpy(a, data, size);
  exercise(a, size); /* takes ownership */
  unsigned char *b = malloc(size ? size : 1);
  if (!b) return 0;
  memcpy(b, data, size);
  if (fix_checksum(b, size))
    exercise(b, size);
  else
    free(b);
  return 0;
}
