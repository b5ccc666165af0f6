/*
 * fuzz_mbox.c - libFuzzer target for the mbox splitter (src/lib/input/mbox.c).
 *
 * The first input byte picks a message limit and a small chunk size; the
 * rest is the stream. The stream is split twice, with the small chunk and
 * with a large one, from memory (no files), and checked for:
 *   - framing invariants: indexes count up from 0, offsets increase and
 *     point at a "From " line, a single message has index/offset -1;
 *   - limits: len <= limit, truncated exactly when the full length passed it,
 *     lengths never exceed the input;
 *   - chunk independence: both runs yield the same messages byte for byte,
 *     so refills at arbitrary positions never change the result.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input/mbox.h"
#include "input/source.h"

#define FUZZ_LOOKAHEAD 64u
#define FUZZ_MAX_MESSAGES 4096

typedef struct fuzz_msg {
  uint64_t hash;
  size_t len;
  uint64_t full_len;
  int64_t index, offset;
  int truncated;
} fuzz_msg;

static uint64_t fuzz_hash(const char *p, size_t n) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
  return h;
}

static void fuzz_check(const bw_mbox_message *m, size_t n_seen, int64_t last_offset,
                       const uint8_t *data, size_t size, size_t limit) {
  if (m->len > limit || m->full_len > size || m->len > m->full_len) abort();
  if (m->truncated != (m->full_len > limit)) abort();
  if (!m->truncated && m->len != m->full_len) abort();
  if (m->data[m->len] != '\0') abort();
  if (m->index < 0) {
    /* a single message: the whole stream, alone */
    if (n_seen != 0 || m->offset != -1) abort();
    if (!m->truncated && (m->len != size || memcmp(m->data, data, size) != 0)) abort();
    return;
  }
  if ((size_t)m->index != n_seen || m->offset <= last_offset) abort();
  if ((uint64_t)m->offset + 5 > size || memcmp(data + m->offset, "From ", 5) != 0) abort();
  if (n_seen == 0 && m->offset != 0) abort();
}

/* Splits the stream, checking each message; returns how many were stored in out. */
static size_t fuzz_split(const uint8_t *data, size_t size, size_t chunk, size_t limit,
                         fuzz_msg *out) {
  bw_mbox_config cfg;
  bw_mbox_config_init(&cfg, limit);
  cfg.chunk = chunk;
  cfg.lookahead = FUZZ_LOOKAHEAD;
  bw_mbox m;
  bw_error err;
  if (bw_mbox_init(&m, &cfg, &err) != BW_OK) abort();
  bw_source src;
  bw_source_open_memory(&src, data, size);
  bw_mbox_start(&m, &src);
  size_t n = 0;
  int64_t last_offset = -1;
  uint64_t total = 0;
  bw_mbox_message msg;
  int rc;
  while ((rc = bw_mbox_next(&m, &msg, &err)) == BW_OK) {
    fuzz_check(&msg, n, last_offset, data, size, limit);
    total += msg.full_len;
    if (total > size || n == FUZZ_MAX_MESSAGES) abort();
    out[n++] = (fuzz_msg){
        fuzz_hash(msg.data, msg.len), msg.len, msg.full_len, msg.index, msg.offset, msg.truncated};
    last_offset = msg.offset;
  }
  if (rc != BW_DONE) abort(); /* a memory source cannot fail */
  if (size == 0 && n != 0) abort();
  bw_mbox_free(&m);
  return n;
}

static int fuzz_same(const fuzz_msg *a, const fuzz_msg *b) {
  /* A truncated single message is not read to its end: its full_len is a lower bound. */
  int exact = a->index >= 0 || !a->truncated;
  return a->hash == b->hash && a->len == b->len && (!exact || a->full_len == b->full_len) &&
         a->index == b->index && a->offset == b->offset && a->truncated == b->truncated;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static fuzz_msg small[FUZZ_MAX_MESSAGES], large[FUZZ_MAX_MESSAGES];
  if (size < 1) return 0;
  size_t limit = 1 + (size_t)(data[0] & 0x0f) * 37; /* 1..556 bytes, so truncation is common */
  size_t chunk = FUZZ_LOOKAHEAD + 1 + (data[0] >> 4) * 13;
  data++;
  size--;
  size_t n_small = fuzz_split(data, size, chunk, limit, small);
  size_t n_large = fuzz_split(data, size, 1u << 16, limit, large);
  if (n_small != n_large) abort();
  for (size_t i = 0; i < n_small; i++)
    if (!fuzz_same(&small[i], &large[i])) abort();
  return 0;
}
