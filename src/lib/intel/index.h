/*
 * index.h - one compiled index, mapped or in memory, and reads from it.
 */
#ifndef BW_INTEL_INDEX_H
#define BW_INTEL_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "beaconwatch.h"
#include "intel/index_format.h"

typedef struct bw_intel_index {
  const unsigned char *base;
  size_t size;
  int mapped; /* munmap on close, else free */
  bw_intel_header h;
  const uint32_t *slots;
  const uint8_t *fp;
  const unsigned char *keys;
  const bw_intel_meta *meta;
  const char *strings;
} bw_intel_index;

/* One key record, read with bounds checks. */
typedef struct bw_intel_record {
  const unsigned char *key;
  size_t key_len;
  bw_intel_meta meta;
} bw_intel_record;

/* Validates base (size bytes) as an index; on failure the caller still owns base. */
int bw_intel_index_open_memory(bw_intel_index *x, const unsigned char *base, size_t size,
                               int mapped, bw_error *err);
int bw_intel_index_open_file(bw_intel_index *x, const char *path, bw_error *err);
void bw_intel_index_close(bw_intel_index *x);
int bw_intel_index_verify(const bw_intel_index *x, bw_error *err);

/* Reads the record at off; 0 when it is out of bounds or malformed. */
int bw_intel_index_record(const bw_intel_index *x, uint32_t off, bw_intel_record *r);

typedef int (*bw_intel_record_fn)(const bw_intel_index *x, const bw_intel_record *r, void *ctx);
/* Calls fn for every record whose key equals key; stops at a non-zero return. */
int bw_intel_index_find(const bw_intel_index *x, const unsigned char *key, size_t len,
                        bw_intel_record_fn fn, void *ctx);

/* The string at off in the strings section ("" when out of range). */
const char *bw_intel_index_string(const bw_intel_index *x, uint32_t off);

#endif
