/*
 * json.c - the streaming JSON writer (see json.h).
 */
#include "util/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"

void bw_json_init(bw_json *j, bw_buf *out) {
  memset(j, 0, sizeof(*j));
  j->out = out;
  j->first[0] = 1;
}

static void put(bw_json *j, const char *s, size_t n) {
  if (bw_buf_append(j->out, s, n) != BW_OK) j->failed = 1;
}

/* Emits the comma before a value unless it follows a key or opens a container. */
static void before_value(bw_json *j) {
  if (j->first[j->depth] == 2) { /* just after a key */
    j->first[j->depth] = 0;
    return;
  }
  if (!j->first[j->depth]) put(j, ",", 1);
  j->first[j->depth] = 0;
}

static void open_container(bw_json *j, char c) {
  before_value(j);
  put(j, &c, 1);
  if (j->depth + 1 >= BW_JSON_MAX_DEPTH) {
    j->failed = 1;
    return;
  }
  j->first[++j->depth] = 1;
}

static void close_container(bw_json *j, char c) {
  if (j->depth > 0) j->depth--;
  put(j, &c, 1);
}

void bw_json_object_begin(bw_json *j) {
  open_container(j, '{');
}
void bw_json_object_end(bw_json *j) {
  close_container(j, '}');
}
void bw_json_array_begin(bw_json *j) {
  open_container(j, '[');
}
void bw_json_array_end(bw_json *j) {
  close_container(j, ']');
}

/* Length of a valid UTF-8 sequence at s, or 0 (same rules as RFC 3629). */
static size_t utf8_len(const unsigned char *s, size_t avail) {
  unsigned char c = s[0];
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || n > avail) return 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) || (c == 0xF0 && s[1] < 0x90) ||
      (c == 0xF4 && s[1] > 0x8F))
    return 0;
  return n;
}

/* 1 for the bytes that end a run copied as is: controls, '"', '\\' and 8-bit bytes. */
static const unsigned char SPECIAL[256] = {
    [0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x80 ... 0xff] = 1};

void bw_json_escape(bw_buf *out, const char *s, size_t len, int *failed) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    size_t run = i;
    while (run < len && !SPECIAL[p[run]]) run++;
    if (run > i && bw_buf_append(out, p + i, run - i) != BW_OK) *failed = 1;
    i = run;
    if (i >= len) break;
    unsigned char c = p[i];
    char esc[8];
    if (c >= 0x80) {
      size_t n = utf8_len(p + i, len - i);
      if (n) {
        if (bw_buf_append(out, p + i, n) != BW_OK) *failed = 1;
        i += n;
      } else {
        if (bw_buf_append(out, "\\ufffd", 6) != BW_OK) *failed = 1;
        i++;
      }
      continue;
    }
    size_t n = 2;
    esc[0] = '\\';
    switch (c) {
    case '"':
      esc[1] = '"';
      break;
    case '\\':
      esc[1] = '\\';
      break;
    case '\n':
      esc[1] = 'n';
      break;
    case '\r':
      esc[1] = 'r';
      break;
    case '\t':
      esc[1] = 't';
      break;
    default:
      memcpy(esc, "\\u00", 4);
      esc[4] = hex[c >> 4];
      esc[5] = hex[c & 15];
      n = 6;
    }
    if (bw_buf_append(out, esc, n) != BW_OK) *failed = 1;
    i++;
  }
}

void bw_json_key(bw_json *j, const char *key) {
  before_value(j);
  put(j, "\"", 1);
  bw_json_escape(j->out, key, strlen(key), &j->failed);
  put(j, "\":", 2);
  j->first[j->depth] = 2;
}

void bw_json_string_len(bw_json *j, const char *s, size_t len) {
  before_value(j);
  put(j, "\"", 1);
  bw_json_escape(j->out, s, len, &j->failed);
  put(j, "\"", 1);
}

void bw_json_string(bw_json *j, const char *s) {
  if (!s)
    bw_json_null(j);
  else
    bw_json_string_len(j, s, strlen(s));
}

void bw_json_int(bw_json *j, int64_t v) {
  char num[24];
  char *end = num + sizeof(num), *p = end;
  /* Digits of the magnitude as unsigned, so INT64_MIN needs no special case. */
  uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do *--p = (char)('0' + m % 10);
  while (m /= 10);
  if (v < 0) *--p = '-';
  before_value(j);
  put(j, p, (size_t)(end - p));
}

void bw_json_double(bw_json *j, double v) {
  if (!isfinite(v)) {
    bw_json_null(j);
    return;
  }
  char num[40];
  int n = snprintf(num, sizeof(num), "%.6g", v);
  before_value(j);
  put(j, num, (size_t)n);
}

void bw_json_bool(bw_json *j, int v) {
  before_value(j);
  put(j, v ? "true" : "false", v ? 4 : 5);
}

void bw_json_null(bw_json *j) {
  before_value(j);
  put(j, "null", 4);
}

void bw_json_kv_string(bw_json *j, const char *key, const char *s) {
  bw_json_key(j, key);
  bw_json_string(j, s);
}

void bw_json_kv_int(bw_json *j, const char *key, int64_t v) {
  bw_json_key(j, key);
  bw_json_int(j, v);
}

void bw_json_kv_bool(bw_json *j, const char *key, int v) {
  bw_json_key(j, key);
  bw_json_bool(j, v);
}
