/*
 * mbox.c - splitting a byte stream into messages (mboxo, mboxrd, or one
 * single message), in bounded memory.
 *
 * Framing rule. A stream is an mbox when its first line is an envelope. After
 * that, a message ends where a line is an envelope AND the line before it is
 * empty; the envelope line is not part of either message, and the one empty
 * line before it is the separator the mbox writer added, so it is dropped
 * too (as Python's mailbox module does). Requiring the empty line and a
 * date-shaped envelope keeps a stray "From " line in a body (written by a
 * careless mboxo writer) from splitting a message in most real cases.
 *
 * An envelope is "From " followed by space-separated words of which one is a
 * month name (Jan..Dec), one a time (h:mm or hh:mm[:ss]) and one a four-digit
 * year: that covers ctime ("From a@b Thu Aug 22 12:36:23 2002"), ctime with a
 * zone, and RFC 822 style dates. Lines longer than the lookahead (4 KiB) are
 * never envelopes.
 *
 * Escapes. Lines matching ^>+From have one '>' removed (mboxrd). For mboxo
 * this also turns ">From " back into "From ", its only escape; a literal
 * ">From " in an mboxo body cannot be told apart and loses its '>'.
 * Content-Length headers are ignored: they are often wrong. CRLF line ends
 * are accepted everywhere ("\r\n" is an empty line; the '\r' of an envelope
 * is ignored) and message bytes are passed on unchanged.
 *
 * Memory. Input is read chunk by chunk (1 MiB); only the current message is
 * kept, up to max_message bytes. Beyond that the bytes are counted, dropped,
 * and the message is flagged truncated, while scanning continues for the
 * next envelope. At the start of each line the window holds at least
 * `lookahead` bytes (or the rest of the stream), so the framing decision
 * never depends on where a chunk happens to end.
 */
#include "input/mbox.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

/* First allocation for the message buffer; it doubles up to the limit. */
#define BW_MBOX_MSG_INITIAL (64u * 1024u)

void bw_mbox_config_init(bw_mbox_config *cfg, size_t max_message) {
  assert(max_message > 0);
  cfg->max_message = max_message;
  cfg->chunk = BW_MBOX_CHUNK;
  cfg->lookahead = BW_MBOX_LOOKAHEAD;
}

int bw_mbox_init(bw_mbox *m, const bw_mbox_config *cfg, bw_error *err) {
  /* Two bytes of lookahead are needed to see "\r\n"; "From " needs five. */
  assert(cfg->max_message > 0 && cfg->lookahead >= 8 && cfg->lookahead < cfg->chunk);
  memset(m, 0, sizeof(*m));
  m->cfg = *cfg;
  m->mode = BW_MBOX_MODE_END;
  m->msg_cap =
      (cfg->max_message < BW_MBOX_MSG_INITIAL ? cfg->max_message : BW_MBOX_MSG_INITIAL) + 1;
  (void)err;
  return BW_OK;
}

/*
 * The buffers are allocated on the first read, not at init: a caller that
 * opens many readers up front (the CLI opens every path first) and reads
 * them one after another then holds one reader's buffers at a time, and
 * reuses the same memory instead of faulting in fresh pages for each file.
 */
static int ensure_buffers(bw_mbox *m, bw_error *err) {
  if (m->in) return BW_OK;
  m->in = malloc(m->cfg.chunk);
  m->msg = malloc(m->msg_cap);
  if (m->in && m->msg) return BW_OK;
  free(m->in);
  free(m->msg);
  m->in = NULL;
  m->msg = NULL;
  return bw_error_set(err, BW_ENOMEM, "out of memory for the mailbox buffers");
}

void bw_mbox_start(bw_mbox *m, const bw_source *src) {
  assert(!m->has_src);
  m->src = *src;
  m->has_src = 1;
  m->mode = BW_MBOX_MODE_UNKNOWN;
  m->in_len = m->in_pos = 0;
  m->in_base = 0;
  m->in_eof = 0;
  m->index = 0;
  m->cur_index = -1;
  m->cur_offset = -1;
}

void bw_mbox_finish(bw_mbox *m) {
  if (m->has_src) bw_source_close(&m->src);
  m->has_src = 0;
  m->mode = BW_MBOX_MODE_END;
}

void bw_mbox_free(bw_mbox *m) {
  bw_mbox_finish(m);
  free(m->in);
  free(m->msg);
  m->in = NULL;
  m->msg = NULL;
}

/* ---- the envelope rule --------------------------------------------------- */

static int is_month(const char *t, size_t n) {
  static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  if (n != 3) return 0;
  for (size_t i = 0; i < sizeof(months) - 1; i += 3)
    if (memcmp(t, months + i, 3) == 0) return 1;
  return 0;
}

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

static int all_digits(const char *t, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!is_digit(t[i])) return 0;
  return 1;
}

/* h:mm, hh:mm, h:mm:ss or hh:mm:ss */
static int is_time(const char *t, size_t n) {
  size_t h = (n >= 2 && t[1] == ':') ? 1 : 2;
  if (n != h + 3 && n != h + 6) return 0;
  if (!all_digits(t, h) || t[h] != ':' || !all_digits(t + h + 1, 2)) return 0;
  return n == h + 3 || (t[h + 3] == ':' && all_digits(t + h + 4, 2));
}

int bw_mbox_is_envelope(const char *line, size_t len) {
  if (len < 5 || memcmp(line, "From ", 5) != 0) return 0;
  int month = 0, time = 0, year = 0;
  size_t i = 5;
  while (i < len) {
    while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
    size_t start = i;
    while (i < len && line[i] != ' ' && line[i] != '\t') i++;
    size_t n = i - start;
    if (n > 0 && line[start + n - 1] == ',') n--; /* "Thu, 22 Aug 2002" */
    month |= is_month(line + start, n);
    time |= is_time(line + start, n);
    year |= n == 4 && all_digits(line + start, n);
  }
  return month && time && year;
}

/* ---- the input window ---------------------------------------------------- */

/*
 * Makes at least `want` unread bytes available unless the stream ends first.
 * Unread bytes move to the front of the buffer, so a line start is never
 * split across a refill.
 */
static int mbox_fill(bw_mbox *m, size_t want, bw_error *err) {
  assert(want <= m->cfg.chunk);
  if (m->in_len - m->in_pos >= want || m->in_eof) return BW_OK;
  size_t keep = m->in_len - m->in_pos;
  memmove(m->in, m->in + m->in_pos, keep);
  m->in_base += (int64_t)m->in_pos;
  m->in_pos = 0;
  m->in_len = keep;
  while (m->in_len < want) {
    int64_t n = bw_source_read(&m->src, m->in + m->in_len, m->cfg.chunk - m->in_len, err);
    if (n < 0) return (int)n;
    if (n == 0) {
      m->in_eof = 1;
      break;
    }
    m->in_len += (size_t)n;
  }
  return BW_OK;
}

static size_t mbox_window(const bw_mbox *m) {
  size_t n = m->in_len - m->in_pos;
  return n < m->cfg.lookahead ? n : m->cfg.lookahead;
}

/*
 * Length of the line at in_pos including its '\n', when the whole line lies
 * within the window (a last line without '\n' counts); 0 when it is longer.
 */
static size_t mbox_window_line(const bw_mbox *m) {
  const unsigned char *p = m->in + m->in_pos;
  size_t w = mbox_window(m);
  const unsigned char *nl = memchr(p, '\n', w);
  if (nl) return (size_t)(nl - p) + 1;
  return (m->in_eof && w == m->in_len - m->in_pos) ? w : 0;
}

/* 1 when the line at in_pos (a line start) is an envelope. */
static int mbox_at_envelope(const bw_mbox *m) {
  size_t n = mbox_window_line(m);
  const char *p = (const char *)m->in + m->in_pos;
  if (n > 0 && p[n - 1] == '\n') n--;
  if (n > 0 && p[n - 1] == '\r') n--;
  return n > 0 && bw_mbox_is_envelope(p, n);
}

/* ---- the message buffer -------------------------------------------------- */

static int mbox_grow(bw_mbox *m, size_t need, bw_error *err) {
  size_t cap = m->msg_cap;
  while (cap < need) cap *= 2;
  if (cap > m->cfg.max_message + 1) cap = m->cfg.max_message + 1;
  assert(cap >= need);
  char *p = realloc(m->msg, cap);
  if (!p) return bw_error_set(err, BW_ENOMEM, "out of memory for a %zu-byte message", need);
  m->msg = p;
  m->msg_cap = cap;
  return BW_OK;
}

/* Keeps what fits under the limit; counts everything in full_len. */
static int mbox_append(bw_mbox *m, const unsigned char *p, size_t n, bw_error *err) {
  assert(m->msg_len <= m->cfg.max_message);
  m->full_len += n;
  size_t room = m->cfg.max_message - m->msg_len;
  if (n > room) n = room;
  if (n == 0) return BW_OK;
  if (m->msg_len + n + 1 > m->msg_cap) {
    int rc = mbox_grow(m, m->msg_len + n + 1, err);
    if (rc != BW_OK) return rc;
  }
  memcpy(m->msg + m->msg_len, p, n);
  m->msg_len += n;
  return BW_OK;
}

static void mbox_reset_message(bw_mbox *m) {
  m->msg_len = 0;
  m->full_len = 0;
  m->at_line_start = 1;
  m->prev_blank = 0;
}

static void mbox_emit(bw_mbox *m, bw_mbox_message *out) {
  m->msg[m->msg_len] = '\0';
  out->data = m->msg;
  out->len = m->msg_len;
  out->full_len = m->full_len;
  out->index = m->cur_index;
  out->offset = m->cur_offset;
  out->truncated = m->full_len > m->cfg.max_message;
}

/* ---- the two modes ------------------------------------------------------- */

/*
 * At a line start: drops one '>' of a ^>+From line and says whether the line
 * is empty (returns its byte count, 1 or 2) for the separator rule.
 */
static size_t mbox_line_start(bw_mbox *m) {
  const unsigned char *p = m->in + m->in_pos;
  size_t w = mbox_window(m);
  size_t k = 0;
  while (k < w && p[k] == '>') k++;
  if (k > 0 && w - k >= 5 && memcmp(p + k, "From ", 5) == 0) {
    m->in_pos++;
    return 0;
  }
  if (w >= 1 && p[0] == '\n') return 1;
  if (w >= 2 && p[0] == '\r' && p[1] == '\n') return 2;
  return 0;
}

/* Skips the envelope line at in_pos, which mbox_at_envelope accepted. */
static void mbox_skip_envelope(bw_mbox *m) {
  size_t n = mbox_window_line(m);
  assert(n > 0);
  m->in_pos += n;
}

static int mbox_read_message(bw_mbox *m, bw_mbox_message *out, bw_error *err) {
  assert(mbox_at_envelope(m));
  m->cur_index = m->index++;
  m->cur_offset = m->in_base + (int64_t)m->in_pos;
  mbox_skip_envelope(m);
  mbox_reset_message(m);
  size_t line_blank = 0;
  for (;;) {
    int rc = mbox_fill(m, m->at_line_start ? m->cfg.lookahead : 1, err);
    if (rc != BW_OK) return rc;
    if (m->in_pos == m->in_len) {
      m->mode = BW_MBOX_MODE_END;
      break;
    }
    if (m->at_line_start) {
      if (m->prev_blank && mbox_at_envelope(m)) {
        m->full_len -= m->prev_blank;
        if (m->msg_len > m->full_len) m->msg_len = (size_t)m->full_len;
        break;
      }
      line_blank = mbox_line_start(m);
    }
    const unsigned char *p = m->in + m->in_pos;
    size_t avail = m->in_len - m->in_pos;
    const unsigned char *nl = memchr(p, '\n', avail);
    size_t n = nl ? (size_t)(nl - p) + 1 : avail;
    rc = mbox_append(m, p, n, err);
    if (rc != BW_OK) return rc;
    m->in_pos += n;
    m->at_line_start = nl != NULL;
    if (nl) m->prev_blank = line_blank;
  }
  mbox_emit(m, out);
  return BW_OK;
}

/* The whole stream is one message: keep up to the limit, then stop reading. */
static int mbox_read_single(bw_mbox *m, bw_mbox_message *out, bw_error *err) {
  m->mode = BW_MBOX_MODE_END;
  m->cur_index = -1;
  m->cur_offset = -1;
  mbox_reset_message(m);
  for (;;) {
    size_t avail = m->in_len - m->in_pos;
    int rc = mbox_append(m, m->in + m->in_pos, avail, err);
    if (rc != BW_OK) return rc;
    m->in_pos = m->in_len;
    if (m->full_len > m->cfg.max_message) break;
    rc = mbox_fill(m, 1, err);
    if (rc != BW_OK) return rc;
    if (m->in_pos == m->in_len) break;
  }
  mbox_emit(m, out);
  return BW_OK;
}

static int mbox_next_mode(bw_mbox *m, bw_mbox_message *out, bw_error *err) {
  if (m->mode == BW_MBOX_MODE_UNKNOWN) {
    int rc = mbox_fill(m, m->cfg.lookahead, err);
    if (rc != BW_OK) return rc;
    if (m->in_pos == m->in_len) {
      m->mode = BW_MBOX_MODE_END; /* an empty stream holds no message */
      return BW_DONE;
    }
    m->mode = mbox_at_envelope(m) ? BW_MBOX_MODE_MBOX : BW_MBOX_MODE_SINGLE;
  }
  switch (m->mode) {
  case BW_MBOX_MODE_MBOX:
    return mbox_read_message(m, out, err);
  case BW_MBOX_MODE_SINGLE:
    return mbox_read_single(m, out, err);
  default:
    return BW_DONE;
  }
}

int bw_mbox_next(bw_mbox *m, bw_mbox_message *out, bw_error *err) {
  int rc = ensure_buffers(m, err);
  if (rc == BW_OK) rc = mbox_next_mode(m, out, err);
  if (rc < 0) m->mode = BW_MBOX_MODE_END; /* a failed source cannot be resynchronised */
  return rc;
}
