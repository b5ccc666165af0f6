/*
 * decode.h - turning a decoded MIME leaf into UTF-8 text and digests.
 */
#ifndef BW_MIME_DECODE_H
#define BW_MIME_DECODE_H

#include <stddef.h>

#include "beaconwatch.h"
#include "util/arena.h"

/*
 * Converts text in the declared charset to UTF-8 in the arena (NUL-terminated).
 * An unknown charset or invalid bytes never fail: undecodable bytes become
 * U+FFFD. *used names the charset the text was actually decoded from.
 */
int bw_decode_text(bw_arena *a, const char *in, size_t len, const char *declared, const char **out,
                   size_t *out_len, const char **used);

/*
 * Appends in, in the charset iconv knows as iconv_name, to out as UTF-8 when
 * the conversion is exact and cheap: UTF-8 and US-ASCII checked in place,
 * ISO-8859-1/15 and windows-1251/1252 by table; every byte valid, no NUL.
 * Returns 0 for anything else (other charsets, an invalid byte), leaving the
 * conversion to GMime; out may then hold a partial append.
 */
int bw_decode_append_exact(bw_buf *out, const char *iconv_name, const char *in, size_t len);

/* Hex MD5, SHA-1 and SHA-256 of data (buffers of 33, 41 and 65 bytes). */
void bw_decode_digests(const unsigned char *data, size_t len, char md5[33], char sha1[41],
                       char sha256[65]);

#endif
