/*
 * buf.h - appending to a bw_buf (the public growable buffer).
 *
 * Every append returns BW_OK or BW_ENOMEM; on failure the buffer keeps its
 * previous contents.
 */
#ifndef BW_UTIL_BUF_H
#define BW_UTIL_BUF_H

#include <stddef.h>

#include "beaconwatch.h"

int bw_buf_reserve(bw_buf *b, size_t extra);
int bw_buf_append(bw_buf *b, const void *data, size_t len);
int bw_buf_puts(bw_buf *b, const char *s);
int bw_buf_putc(bw_buf *b, char c);
int bw_buf_printf(bw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
