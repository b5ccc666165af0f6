/*
 * view.h - the message view: a parsed message in plain structs.
 *
 * The view is the boundary between parsing and detection. It holds every
 * header (unfolded and RFC 2047 decoded, with the raw form kept), the MIME
 * part tree in document order with each leaf decoded (transfer encoding
 * undone, text converted to UTF-8), attachment digests and the parsed
 * Authentication-Results. Detectors read only the view; no stage after it
 * touches the raw bytes or GMime objects again. Everything lives in the
 * scan's arena.
 */
#ifndef BW_MIME_VIEW_H
#define BW_MIME_VIEW_H

#include <stddef.h>

#include "beaconwatch.h"
#include "findings.h"
#include "util/arena.h"

typedef struct bw_header {
  const char *name;
  const char *value; /* unfolded, RFC 2047 decoded, UTF-8 */
  const char *raw;   /* as in the message (folded, encoded) */
  int has_8bit;      /* raw holds bytes >= 0x80 */
} bw_header;

typedef struct bw_address {
  const char *name;    /* display name, decoded; NULL when absent */
  const char *address; /* addr-spec as written */
  const char *domain;  /* lowercased part after the last '@', or NULL */
} bw_address;

typedef struct bw_address_list {
  bw_address *items;
  size_t n;
} bw_address_list;

/* One method result of an Authentication-Results header (RFC 8601). */
typedef struct bw_auth_method {
  const char *method;        /* "spf", "dkim", "dmarc", "arc", ... lowercased */
  const char *result;        /* "pass", "fail", "none", ... lowercased */
  const char *header_d;      /* dkim header.d */
  const char *header_i;      /* dkim header.i */
  const char *header_s;      /* dkim header.s */
  const char *header_from;   /* dmarc header.from */
  const char *smtp_mailfrom; /* spf smtp.mailfrom */
  const char *smtp_helo;     /* spf smtp.helo */
} bw_auth_method;

/* One Authentication-Results header; index 0 is the topmost (newest). */
typedef struct bw_auth_results {
  const char *authserv_id;
  bw_auth_method *methods;
  size_t n_methods;
  int index;
} bw_auth_results;

typedef struct bw_part bw_part;
struct bw_part {
  const char *id;                /* MIME part number: "1", "1.2", "2.1.1" */
  const char *content_type;      /* lowercase type/subtype */
  const char *charset_declared;  /* as in Content-Type, or NULL */
  const char *charset_used;      /* what the text was decoded from, for text leaves */
  const char *transfer_encoding; /* lowercased Content-Transfer-Encoding, or NULL */
  const char *disposition;       /* "inline", "attachment" or NULL */
  const char *filename;          /* RFC 2231 / RFC 2047 decoded, or NULL */
  const char *content_id;        /* without angle brackets, or NULL */
  const char *content_location;
  const char *boundary; /* multipart boundary parameter, or NULL */
  int depth;
  int is_multipart;
  int is_message;    /* message/rfc822 (or global): children[0] is the embedded body */
  int is_attachment; /* listed under "attachments" */
  int decoded;       /* 0 when decoding was skipped (limits) */
  /* Leaf content. For text parts `data` is the UTF-8 text, NUL-terminated. */
  const char *data;
  size_t data_len;
  size_t raw_len;                     /* decoded size before charset conversion */
  char md5[33], sha1[41], sha256[65]; /* attachments only */
  /* Embedded message/rfc822 headers (the forwarded message's), else none. */
  bw_header *headers;
  size_t n_headers;
  /* message/rfc822: the forwarded message as a view of its own (headers, addresses,
     Authentication-Results, its parts), so detectors can judge its sender; else NULL. */
  struct bw_view *embedded;
  bw_part **children;
  size_t n_children;
};

struct bw_view;

typedef struct bw_view {
  bw_header *headers;
  size_t n_headers;
  const char *message_id;
  const char *subject;
  const char *date; /* RFC 3339 when parseable, else the raw header, else NULL */
  bw_address_list from, sender, reply_to, to, cc, delivered_to, x_original_to;
  const char *return_path; /* addr-spec without angle brackets */
  bw_auth_results *auth;
  size_t n_auth;
  bw_part *root;
  bw_part **parts; /* every part in document order (pre-order) */
  size_t n_parts;
} bw_view;

/* Which parser finds the structure; tests pin one to compare the two. */
typedef enum {
  BW_VIEW_PARSER_ANY,   /* entity.c when it accepts the message, else GMime */
  BW_VIEW_PARSER_GMIME, /* GMime only */
  BW_VIEW_PARSER_ENTITY /* entity.c only: BW_VIEW_DECLINED when it declines */
} bw_view_parser;

enum { BW_VIEW_DECLINED = 100 };

/*
 * Builds the view of one message. Problems in the message become findings
 * (parse_defect, limit_exceeded); the return is BW_OK or BW_ENOMEM /
 * BW_EINTERNAL when the view could not be built at all.
 */
int bw_view_build(bw_view *v, const char *msg, size_t len, const bw_limits *limits, bw_arena *arena,
                  bw_findings *findings);

/* bw_view_build with the parser chosen; nothing is added to findings when it declines. */
int bw_view_build_with(bw_view *v, const char *msg, size_t len, const bw_limits *limits,
                       bw_arena *arena, bw_findings *findings, bw_view_parser parser);

/* Appends a complete text form of v and f to out: equal views have equal descriptions. */
void bw_view_describe(const bw_view *v, const bw_findings *f, bw_buf *out);

/* First header named `name` (case-insensitive), or NULL. */
const bw_header *bw_view_header(const bw_view *v, const char *name);

/* Parses one Authentication-Results header value into out (RFC 8601). */
int bw_auth_results_parse(const char *value, bw_arena *arena, bw_auth_results *out);

#endif
