/*
 * error.c - status names and the bw_error setter shared by every module.
 */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>

int bw_error_set(bw_error *err, int code, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    err->code = code;
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
  }
  return code;
}

const char *bw_status_name(int status) {
  switch (status) {
  case BW_OK: return "ok";
  case BW_DONE: return "done";
  case BW_ENOMEM: return "out of memory";
  case BW_EINVAL: return "invalid argument";
  case BW_EIO: return "input/output error";
  case BW_EFORMAT: return "bad input format";
  case BW_ELIMIT: return "limit exceeded";
  case BW_EINTERNAL: return "internal error";
  default: return "unknown status";
  }
}
