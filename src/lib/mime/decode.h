/*
 * decode.h - turning a decoded MIME leaf into UTF-8 text and digests.
 */
#ifndef BW_MIME_DECODE_H
#define BW_MIME_DECODE_H

#include <stddef.h>

#include "util/arena.h"

/*
 * Converts text in the declared charset to UTF-8 in the arena (NUL-terminated).
 * An unknown charset or invalid bytes never fail: undecodable bytes become
 * U+FFFD. *used names the charset the text was actually decoded from.
 */
int bw_decode_text(bw_arena *a, const char *in, size_t len, const char *declared, const char **out,
                   size_t *out_len, const char **used);

/* Hex MD5, SHA-1 and SHA-256 of data (buffers of 33, 41 and 65 bytes). */
void bw_decode_digests(const unsigned char *data, size_t len, char md5[33], char sha1[41],
                       char sha256[65]);

#endif
