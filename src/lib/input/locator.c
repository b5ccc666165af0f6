/*
 * locator.c - the text form of a bw_locator: "path" for a file holding one
 * message, "path#index@offset" for a message inside an mbox, so that a
 * finding can be traced back to the exact bytes it came from.
 */
#include "input/locator.h"

#include <inttypes.h>
#include <stdio.h>

#include "util/buf.h"

int bw_locator_snprint(char *out, size_t n, const bw_locator *loc) {
  const char *path = loc->path ? loc->path : "";
  if (loc->index < 0) return snprintf(out, n, "%s", path);
  return snprintf(out, n, "%s#%" PRId64 "@%" PRId64, path, loc->index, loc->offset);
}

void bw_locator_format(const bw_locator *loc, bw_buf *out) {
  int n = bw_locator_snprint(NULL, 0, loc);
  if (n < 0 || bw_buf_reserve(out, (size_t)n) != BW_OK) return;
  bw_locator_snprint(out->data + out->len, (size_t)n + 1, loc);
  out->len += (size_t)n;
}
