/*
 * mbox.h - splitting one byte stream into messages.
 *
 * A stream whose first line is an mbox envelope ("From sender date") is an
 * mbox of one or more messages; any other non-empty stream is one message.
 * The splitter reads in fixed chunks and holds only the current message (up
 * to a limit), so a multi-gigabyte mbox is read in bounded memory.
 */
#ifndef BW_INPUT_MBOX_H
#define BW_INPUT_MBOX_H

#include <stddef.h>
#include <stdint.h>

#include "beaconwatch.h"
#include "input/source.h"

/* Defaults for bw_mbox_config. */
#define BW_MBOX_CHUNK (1024u * 1024u)
#define BW_MBOX_LOOKAHEAD 4096u

typedef struct bw_mbox_config {
  size_t max_message; /* bytes of one message kept; the rest is counted and dropped */
  size_t chunk;       /* bytes read from the source at a time */
  size_t lookahead;   /* longest line examined as an envelope or >From escape; < chunk */
} bw_mbox_config;

typedef enum bw_mbox_mode {
  BW_MBOX_MODE_UNKNOWN = 0, /* nothing read yet */
  BW_MBOX_MODE_MBOX,
  BW_MBOX_MODE_SINGLE,
  BW_MBOX_MODE_END
} bw_mbox_mode;

typedef struct bw_mbox_message {
  const char *data; /* NUL-terminated; valid until the next call */
  size_t len;
  uint64_t full_len; /* length before truncation (a lower bound for a truncated single
                        message, whose rest is not read) */
  int64_t index;     /* 0-based in an mbox, -1 for a single message */
  int64_t offset;    /* of the envelope line in the stream, -1 for a single message */
  int truncated;
} bw_mbox_message;

typedef struct bw_mbox {
  bw_mbox_config cfg;
  bw_source src;
  int has_src;
  bw_mbox_mode mode;
  /* input window: in[in_pos, in_len) is unread; in[0] is at stream offset in_base */
  unsigned char *in;
  size_t in_len, in_pos;
  int64_t in_base;
  int in_eof;
  /* the current message */
  char *msg;
  size_t msg_len, msg_cap;
  uint64_t full_len;
  int at_line_start;
  size_t prev_blank; /* bytes of the previous line if it was empty ("\n": 1, "\r\n": 2), else 0 */
  int64_t index;     /* of the next mbox message */
  int64_t cur_index; /* of the message being read (for error locators) */
  int64_t cur_offset;
} bw_mbox;

/* Fills cfg with the defaults and the given message limit (> 0). */
void bw_mbox_config_init(bw_mbox_config *cfg, size_t max_message);

/* Sets m up; its buffers are allocated on the first read and reused for every stream started on m.
 */
int bw_mbox_init(bw_mbox *m, const bw_mbox_config *cfg, bw_error *err);
/* Starts reading a new stream; m takes ownership of src. */
void bw_mbox_start(bw_mbox *m, const bw_source *src);
/*
 * BW_OK with the next message, BW_DONE at the end of the stream, or a
 * negative status when the source failed (the stream is then finished).
 */
int bw_mbox_next(bw_mbox *m, bw_mbox_message *out, bw_error *err);
/* Closes the current source, keeping the buffers. */
void bw_mbox_finish(bw_mbox *m);
void bw_mbox_free(bw_mbox *m);

/*
 * 1 when line[0, len) (no line terminator) is an mbox envelope line: see the
 * rule in mbox.c. Exposed for tests.
 */
int bw_mbox_is_envelope(const char *line, size_t len);

#endif
