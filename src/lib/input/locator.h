/*
 * locator.h - writing a message's locator ("path" or "path#index@offset")
 * into a fixed buffer, for error messages that must not allocate.
 */
#ifndef BW_INPUT_LOCATOR_H
#define BW_INPUT_LOCATOR_H

#include <stddef.h>

#include "beaconwatch.h"

/* snprintf-style: writes at most n bytes (NUL included), returns the full length. */
int bw_locator_snprint(char *out, size_t n, const bw_locator *loc);

#endif
