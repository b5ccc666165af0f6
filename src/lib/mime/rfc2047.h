/*
 * rfc2047.h - encoded-words in header values decoded without GMime's
 * allocations (see rfc2047.c).
 */
#ifndef BW_MIME_RFC2047_H
#define BW_MIME_RFC2047_H

#include "util/arena.h"

/*
 * Decodes text (an unfolded header value) into *out in the arena exactly as
 * g_mime_utils_header_decode_text would, and returns 1; returns 0 when the
 * value needs GMime (see rfc2047.c for what it declines).
 */
int bw_rfc2047_decode_plain(bw_arena *a, const char *text, const char **out);

#endif
