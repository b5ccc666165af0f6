/*
 * entities.h - character reference decoding shared by the HTML tokenizer and
 * bw_html_decode_entities (internal to src/lib/html).
 *
 * The tokenizer holds the whole input in memory, so a reference is decoded
 * in one call with lookahead instead of through the spec's per-character
 * states; the result is the same.
 */
#ifndef BW_HTML_ENTITIES_H
#define BW_HTML_ENTITIES_H

#include <stddef.h>

/* Longest UTF-8 expansion of one reference (two code points of 3 bytes). */
#define BW_HTML_REF_MAX 8

/*
 * Decodes the character reference starting at s[0] == '&' (avail bytes are
 * readable from s). On success writes the UTF-8 result to out, its length to
 * *out_len and returns the bytes consumed (> 1). Returns 0 when the text is
 * not a reference the spec decodes here; the caller then emits the '&' as a
 * character and goes on after it. *errors counts spec parse errors.
 */
size_t bw_html_decode_ref(const char *s, size_t avail, int in_attribute, char *out, size_t *out_len,
                          size_t *errors);

/* Encodes code point cp (<= 0x10FFFF) as UTF-8 into out; returns the length. */
size_t bw_html_utf8_encode(unsigned cp, char *out);

#endif
