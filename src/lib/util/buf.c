/*
 * buf.c - the growable output buffer behind every formatter.
 */
#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bw_buf_init(bw_buf *b) {
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
}

void bw_buf_reset(bw_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

void bw_buf_free(bw_buf *b) {
  free(b->data);
  bw_buf_init(b);
}

int bw_buf_reserve(bw_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return BW_OK;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1) {
    if (cap > ((size_t)-1) / 2) return BW_ENOMEM;
    cap *= 2;
  }
  char *p = realloc(b->data, cap);
  if (!p) return BW_ENOMEM;
  b->data = p;
  b->cap = cap;
  return BW_OK;
}

int bw_buf_puts(bw_buf *b, const char *s) {
  return bw_buf_append(b, s, strlen(s));
}

int bw_buf_putc(bw_buf *b, char c) {
  return bw_buf_append(b, &c, 1);
}

int bw_buf_printf(bw_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return BW_EINVAL;
  if (bw_buf_reserve(b, (size_t)n) != BW_OK) return BW_ENOMEM;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return BW_OK;
}
