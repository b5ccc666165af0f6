/*
 * json.h - a streaming JSON writer into a bw_buf.
 *
 * Output is written straight into the buffer with no intermediate tree,
 * which keeps JSON formatting off the scan's profile. Strings are escaped per
 * RFC 8259 and any invalid UTF-8 becomes U+FFFD so every line stays valid
 * JSON for jq, jansson and pipelines. Commas are managed by a small stack.
 */
#ifndef BW_UTIL_JSON_H
#define BW_UTIL_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "beaconwatch.h"

enum { BW_JSON_MAX_DEPTH = 64 };

typedef struct bw_json {
  bw_buf *out;
  int depth;
  unsigned char first[BW_JSON_MAX_DEPTH]; /* 1 until the container at this depth has a member */
  int failed;                              /* sticky: an append failed or nesting overflowed */
} bw_json;

void bw_json_init(bw_json *j, bw_buf *out);
void bw_json_object_begin(bw_json *j);
void bw_json_object_end(bw_json *j);
void bw_json_array_begin(bw_json *j);
void bw_json_array_end(bw_json *j);
/* Writes a member name; the next value call writes its value. */
void bw_json_key(bw_json *j, const char *key);
void bw_json_string(bw_json *j, const char *s); /* NULL writes null */
void bw_json_string_len(bw_json *j, const char *s, size_t len);
void bw_json_int(bw_json *j, int64_t v);
void bw_json_double(bw_json *j, double v);
void bw_json_bool(bw_json *j, int v);
void bw_json_null(bw_json *j);

/* Shorthands for "key": value members. */
void bw_json_kv_string(bw_json *j, const char *key, const char *s);
void bw_json_kv_int(bw_json *j, const char *key, int64_t v);
void bw_json_kv_bool(bw_json *j, const char *key, int v);

/* Escapes s as a JSON string body (no quotes) into out. */
void bw_json_escape(bw_buf *out, const char *s, size_t len, int *failed);

#endif
