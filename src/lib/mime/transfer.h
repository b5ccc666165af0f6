/*
 * transfer.h - base64 and quoted-printable content decoded exactly as GMime
 * decodes it (see transfer.c).
 */
#ifndef BW_MIME_TRANSFER_H
#define BW_MIME_TRANSFER_H

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

/*
 * Decodes quoted-printable in[0..len) into out (at least len bytes) and
 * returns the decoded length: the result of g_mime_encoding_quoted_decode_step
 * from a fresh state, byte for byte ("=XX" hex escapes, "=\n" and "=\r\n"
 * soft breaks, any other '=' sequence kept as written, an incomplete escape at
 * the very end dropped).
 */
size_t bw_qp_decode(const unsigned char *in, size_t len, unsigned char *out);

#endif
