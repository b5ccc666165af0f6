/*
 * error.h - filling a bw_error (see beaconwatch.h) from inside the library.
 */
#ifndef BW_UTIL_ERROR_H
#define BW_UTIL_ERROR_H

#include "beaconwatch.h"

/* Sets err (if not NULL) to code and a printf-formatted message; returns code. */
int bw_error_set(bw_error *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
