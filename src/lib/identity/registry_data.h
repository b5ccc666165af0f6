/*
 * registry_data.h - the default identity registry, compiled into the library.
 *
 * CMakeLists.txt reads data/identities/news-organisations.json at configure
 * time and writes its bytes into registry_data.c in the build directory (and
 * re-runs when the file changes), so the library needs neither the data
 * directory nor Python at run time or build time.
 */
#ifndef BW_IDENTITY_REGISTRY_DATA_H
#define BW_IDENTITY_REGISTRY_DATA_H

#include <stddef.h>

/* The JSON text, followed by a NUL that bw_registry_default_json_len does not count. */
extern const unsigned char bw_registry_default_json[];
extern const size_t bw_registry_default_json_len;

#endif
