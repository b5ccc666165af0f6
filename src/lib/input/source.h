/*
 * source.h - a byte source for the mailbox readers: a file descriptor read
 * through zlib (so gzip is decompressed and plain data passes through), or a
 * memory buffer (used by the fuzzer and by tests).
 *
 * The splitter in mbox.c only ever asks a source for "the next bytes", so it
 * does not care whether they come from a file, a pipe, gzip or memory.
 */
#ifndef BW_INPUT_SOURCE_H
#define BW_INPUT_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "beaconwatch.h"

typedef struct bw_source {
  gzFile gz; /* NULL for a memory source */
  const unsigned char *mem;
  size_t mem_len;
  size_t mem_pos;
} bw_source;

/*
 * Takes ownership of fd (closed by bw_source_close, also on failure). zlib
 * looks at the first bytes: 1f 8b means gzip, anything else is read as is.
 */
int bw_source_open_fd(bw_source *s, int fd, bw_error *err);
void bw_source_open_memory(bw_source *s, const void *data, size_t len);

/*
 * Reads up to cap bytes. Returns the count (0 at the end of the data) or a
 * negative status: BW_EIO for a read error, BW_EFORMAT for a corrupt or
 * truncated gzip stream. err gets the reason without a path; the caller
 * knows which file it is.
 */
int64_t bw_source_read(bw_source *s, void *buf, size_t cap, bw_error *err);

/* Raw bytes consumed so far (compressed bytes for gzip), for progress. */
int64_t bw_source_consumed(const bw_source *s);

void bw_source_close(bw_source *s);

#endif
