/*
 * source.c - byte sources for the mailbox readers.
 *
 * Files, pipes and stdin all go through zlib's gzread: zlib detects gzip by
 * its magic bytes (1f 8b) and passes any other data through unchanged, so
 * compressed and plain input share one code path and detection never
 * depends on a file name. Memory sources exist so the fuzzer can drive the
 * mbox splitter without touching the file system.
 */
#include "input/source.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"

/* zlib's input buffer; large enough that plain files are read in few calls. */
#define BW_SOURCE_GZ_BUFFER (128u * 1024u)

int bw_source_open_fd(bw_source *s, int fd, bw_error *err) {
  memset(s, 0, sizeof(*s));
  s->gz = gzdopen(fd, "rb");
  if (!s->gz) {
    int saved = errno;
    close(fd);
    if (saved == 0) saved = ENOMEM; /* zlib leaves errno alone when malloc fails */
    return bw_error_set(err, saved == ENOMEM ? BW_ENOMEM : BW_EIO, "%s", strerror(saved));
  }
  gzbuffer(s->gz, BW_SOURCE_GZ_BUFFER);
  return BW_OK;
}

void bw_source_open_memory(bw_source *s, const void *data, size_t len) {
  memset(s, 0, sizeof(*s));
  s->mem = data;
  s->mem_len = len;
}

/* Turns zlib's error state into a status; called after gzread says -1 or 0. */
static int source_gz_status(bw_source *s, bw_error *err) {
  int errnum = Z_OK;
  const char *msg = gzerror(s->gz, &errnum);
  if (errnum == Z_OK || errnum == Z_STREAM_END) return BW_OK;
  if (errnum == Z_ERRNO) return bw_error_set(err, BW_EIO, "read error: %s", strerror(errno));
  if (errnum == Z_MEM_ERROR) return bw_error_set(err, BW_ENOMEM, "out of memory in zlib");
  if (!msg) msg = "unknown zlib error";
  /* zlib prefixes the name it was opened with, "<fd:N>: ", which means nothing to a user. */
  const char *sep = strncmp(msg, "<fd:", 4) == 0 ? strstr(msg, ">: ") : NULL;
  if (sep) msg = sep + 3;
  return bw_error_set(err, BW_EFORMAT, "corrupt gzip data: %s", msg);
}

int64_t bw_source_read(bw_source *s, void *buf, size_t cap, bw_error *err) {
  if (!s->gz) {
    size_t n = s->mem_len - s->mem_pos;
    if (n > cap) n = cap;
    if (n) memcpy(buf, s->mem + s->mem_pos, n);
    s->mem_pos += n;
    return (int64_t)n;
  }
  /* gzread takes an unsigned and returns an int: stay below INT_MAX. */
  if (cap > (size_t)INT_MAX) cap = (size_t)INT_MAX;
  int n = gzread(s->gz, buf, (unsigned)cap);
  if (n > 0) return n;
  /* 0 is the end, unless the gzip stream stopped early ("unexpected end"). */
  int rc = source_gz_status(s, err);
  if (rc != BW_OK) return rc;
  if (n < 0) return bw_error_set(err, BW_EINTERNAL, "gzread failed without an error state");
  return 0;
}

int64_t bw_source_consumed(const bw_source *s) {
  if (!s->gz) return (int64_t)s->mem_pos;
  z_off_t off = gzoffset(s->gz);
  return off < 0 ? 0 : (int64_t)off;
}

void bw_source_close(bw_source *s) {
  if (s->gz) gzclose_r(s->gz);
  memset(s, 0, sizeof(*s));
}
