/*
 * base64.h - base64 content decoded exactly as GMime decodes it (see base64.c).
 */
#ifndef BW_MIME_BASE64_H
#define BW_MIME_BASE64_H

#include <stddef.h>

/* Bytes out must hold for len input bytes (3 per 4, rounded up). */
static inline size_t bw_base64_decoded_max(size_t len) {
  return len / 4 * 3 + 3;
}

/*
 * Decodes all of in[0..len) into out and returns the decoded length: the
 * result of g_mime_encoding_base64_decode_step from a fresh state, byte for
 * byte (characters outside the alphabet are skipped, the first '=' ends the
 * content and flushes a partial quartet of 2 or 3 characters).
 */
size_t bw_base64_decode(const unsigned char *in, size_t len, unsigned char *out);

#endif
