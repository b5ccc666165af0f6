/*
 * buf.h - appending to a bw_buf (the public growable buffer).
 *
 * Every append returns BW_OK or BW_ENOMEM; on failure the buffer keeps its
 * previous contents.
 */
#ifndef BW_UTIL_BUF_H
#define BW_UTIL_BUF_H

#include <stddef.h>
#include <string.h>

#include "beaconwatch.h"

int bw_buf_reserve(bw_buf *b, size_t extra);

/* Inline: the JSON writer appends thousands of short pieces per message. */
static inline int bw_buf_append(bw_buf *b, const void *data, size_t len) {
  if (b->len + len + 1 > b->cap && bw_buf_reserve(b, len) != BW_OK) return BW_ENOMEM;
  if (len) memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
  return BW_OK;
}
int bw_buf_puts(bw_buf *b, const char *s);
int bw_buf_putc(bw_buf *b, char c);
int bw_buf_printf(bw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
