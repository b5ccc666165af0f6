/*
 * rfc2047.c - encoded-words in header values decoded without GMime's allocations.
 *
 * Phishing mail encodes its subjects and display names (=?UTF-8?B?...?=) on
 * nearly every message, and GMime's decoder allocates a token list, byte
 * arrays and strings for each value: a twentieth of a scan of such mail. This
 * file follows GMime's reading exactly (gmime-utils.c, the loose-mode
 * tokenizer and rfc2047_decode_tokens): words split at white space and
 * before every "=?"; white space between two encoded-words dropped;
 * consecutive encoded-words of the same encoding and charset decoded as one
 * run before conversion, so a character split across words survives.
 *
 * It declines, leaving the value to GMime, wherever GMime would have to
 * repair or guess: white space or 8-bit bytes inside an encoded-word, RFC 2231
 * language tags, a quoted-printable escape cut at the end of a word, base64
 * that is not whole quartets or whose padding is followed by another word of
 * the same run (GMime then drops the rest of the run), bytes invalid in their
 * charset, charsets other than UTF-8, US-ASCII and the table charsets of
 * decode.c, 8-bit text outside encoded-words that is not UTF-8. The view's
 * differential test and fuzz target compare it with GMime.
 */
#include "mime/rfc2047.h"

#include <gmime/gmime.h>
#include <string.h>

#include "mime/decode.h"
#include "mime/transfer.h"
#include "util/buf.h"

enum { MAX_CHARSET = 40 };

typedef struct decoder {
  bw_buf out;
  bw_buf run;              /* decoded bytes of the current run of encoded-words */
  char run_encoding;       /* 'B' or 'Q'; 0 when no run is open */
  const char *run_charset; /* iconv name (GMime's interned string) */
  int run_closed;          /* base64 padding seen: the run may not go on */
  int ok;
} decoder;

static int is_lwsp(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hex_value(char c) {
  return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* GMime's atom: up to white space or the start of a possible encoded-word. */
static const char *scan_atom(const char *p) {
  while (*p && !is_lwsp(*p) && !(p[0] == '=' && p[1] == '?')) p++;
  return p;
}

static void flush_run(decoder *d) {
  if (!d->run_encoding) return;
  if (!bw_decode_append_exact(&d->out, d->run_charset, d->run.data ? d->run.data : "", d->run.len))
    d->ok = 0;
  bw_buf_reset(&d->run);
  d->run_encoding = 0;
  d->run_closed = 0;
}

static void append(decoder *d, const char *s, size_t n) {
  if (n && bw_buf_append(&d->out, s, n) != BW_OK) d->ok = 0;
}

/* Base64 in whole quartets, '=' only as the final padding. */
static void decode_b(decoder *d, const char *s, size_t n) {
  if (n % 4 || d->run_closed) {
    d->ok = 0;
    return;
  }
  size_t pad = 0;
  while (pad < n && pad < 2 && s[n - 1 - pad] == '=') pad++;
  for (size_t i = 0; i < n - pad; i++) {
    char c = s[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
          c == '/')) {
      d->ok = 0;
      return;
    }
  }
  if (bw_buf_reserve(&d->run, n / 4 * 3 + 1) != BW_OK) {
    d->ok = 0;
    return;
  }
  d->run.len +=
      bw_base64_decode((const unsigned char *)s, n, (unsigned char *)d->run.data + d->run.len);
  d->run_closed = pad > 0;
}

/* Q: '_' is a space, "=XX" a byte; every escape complete within the word. */
static void decode_q(decoder *d, const char *s, size_t n) {
  for (size_t i = 0; i < n && d->ok; i++) {
    char c = s[i];
    if (c == '=') {
      if (i + 2 >= n || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) {
        d->ok = 0;
        return;
      }
      c = (char)(hex_value(s[i + 1]) << 4 | hex_value(s[i + 2]));
      i += 2;
    } else if (c == '_') {
      c = ' ';
    }
    if (bw_buf_append(&d->run, &c, 1) != BW_OK) d->ok = 0;
  }
}

/*
 * An encoded-word [word, end) whose charset ends at q (q[0] '?', q[1] the
 * encoding, q[2] '?'). Returns 0 when GMime would not take it as one (empty
 * charset); declines through d->ok for what this file does not decode.
 */
static int encoded_word(decoder *d, const char *word, const char *q, const char *end,
                        const char *lwsp, size_t lwsp_len, int prev_encoded) {
  size_t cs_len = (size_t)(q - word - 2);
  if (end - word < 7 || cs_len == 0 || word[2] == '*') return 0;
  if (cs_len >= MAX_CHARSET || memchr(word + 2, '*', cs_len)) {
    d->ok = 0;
    return 1;
  }
  char charset[MAX_CHARSET];
  memcpy(charset, word + 2, cs_len);
  charset[cs_len] = '\0';
  const char *iconv_name = g_mime_charset_iconv_name(charset);
  char encoding = (char)(q[1] & ~0x20);
  /* White space between two encoded-words is dropped; before the first one it is kept. */
  if (!prev_encoded) append(d, lwsp, lwsp_len);
  if (d->run_encoding && (d->run_encoding != encoding || strcmp(d->run_charset, iconv_name) != 0))
    flush_run(d);
  d->run_encoding = encoding;
  d->run_charset = iconv_name;
  const char *payload = q + 3;
  size_t n = (size_t)(end - 2 - payload);
  if (encoding == 'B')
    decode_b(d, payload, n);
  else
    decode_q(d, payload, n);
  return 1;
}

int bw_rfc2047_decode_plain(bw_arena *a, const char *text, const char **out) {
  decoder d = {.ok = 1};
  bw_buf_init(&d.out);
  bw_buf_init(&d.run);
  int prev_encoded = 0;
  const char *p = text;
  while (d.ok) {
    const char *lwsp = p;
    while (is_lwsp(*p)) p++;
    size_t lwsp_len = (size_t)(p - lwsp);
    if (!*p) {
      flush_run(&d);
      append(&d, lwsp, lwsp_len);
      break;
    }
    const char *word = p, *end = NULL, *q = NULL;
    if (p[0] == '=' && p[1] == '?') {
      q = p + 2;
      while (*q && *q != '?') {
        if (is_lwsp(*q) || (unsigned char)*q >= 0x80) d.ok = 0;
        q++;
      }
      if (q[0] == '?' && q[1] && strchr("BbQq", q[1]) && q[2] == '?') {
        const char *r = q + 3;
        while (*r && !(r[0] == '?' && r[1] == '=')) {
          if (is_lwsp(*r) || (unsigned char)*r >= 0x80) d.ok = 0;
          r++;
        }
        end = *r ? r + 2 : scan_atom(word + 2);
        if (!*r) q = NULL;
      } else {
        end = scan_atom(q);
        q = NULL;
      }
    } else {
      end = scan_atom(p);
    }
    if (!d.ok) break;
    if (q && encoded_word(&d, word, q, end, lwsp, lwsp_len, prev_encoded)) {
      prev_encoded = 1;
    } else {
      /* An atom: 8-bit text is read as UTF-8 by GMime when it is UTF-8. */
      flush_run(&d);
      append(&d, lwsp, lwsp_len);
      if (!bw_decode_append_exact(&d.out, "UTF-8", word, (size_t)(end - word))) d.ok = 0;
      prev_encoded = 0;
    }
    p = end;
  }
  if (d.ok) *out = bw_arena_strndup(a, d.out.data ? d.out.data : "", d.out.len);
  bw_buf_free(&d.out);
  bw_buf_free(&d.run);
  return d.ok && *out;
}
