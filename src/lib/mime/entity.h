/*
 * entity.h - the MIME structure of a well-formed message, found without GMime.
 *
 * Building GMime's object tree (a GObject per header, part, stream and
 * parameter, then tearing it all down) measured as half of a scan of
 * ordinary mail. Most mail is structurally plain, and for plain mail the
 * structure is fully decided by a few rules: header lines, the blank line,
 * the Content-Type, and boundary delimiter lines. This parser applies
 * exactly GMime's rules for those (gmime-parser.c: boundary matching,
 * which line break belongs to a delimiter, which headers belong to a
 * message and which to its body) and returns slices of the input.
 *
 * Anything it cannot decide the way GMime would makes it decline, and the
 * caller parses the message with GMime instead: an invalid header line, a
 * header block without its blank line, a repeated Content-Type (or
 * -Transfer-Encoding, -Disposition, -Id, -Location), a Content-Type outside
 * the simple form, a multipart that is not closed, uuencoded content, an
 * encoded or unusual message/ part, an mbox From line, a bare CR or NUL in
 * a header. tests/tools/bw_viewdiff.c (ctest view_vs_gmime) holds the two
 * paths to the same view over the shared corpora, and the fuzz target
 * fuzz_view_parsers over arbitrary input.
 */
#ifndef BW_MIME_ENTITY_H
#define BW_MIME_ENTITY_H

#include <stddef.h>

#include "util/arena.h"

/* One header line as GMime records it: slices into the message. */
typedef struct bw_raw_header {
  const char *name; /* without the blanks allowed before the colon */
  size_t name_len;
  const char *value; /* everything after the colon, folds and the final line break included */
  size_t value_len;
  long long offset; /* of the header line in the message, as GMime reports it */
} bw_raw_header;

typedef enum { BW_ENTITY_LEAF, BW_ENTITY_MULTIPART, BW_ENTITY_MESSAGE } bw_entity_kind;

/* The Content-Type as read in its simple form (slices; type NULL when there is none). */
typedef struct bw_content_type {
  const char *type, *subtype, *boundary, *charset, *name;
  size_t type_len, subtype_len, boundary_len, charset_len, name_len;
  /* A parameter value holds an encoded-word, which GMime decodes: let GMime read them. */
  int encoded_words;
} bw_content_type;

typedef struct bw_entity bw_entity;
struct bw_entity {
  bw_entity_kind kind;
  /* A message's own entity (the top level, or the child of a message/rfc822
     part) holds all of the message's headers: the Content-* ones describe its
     body, the others the message. A part of a multipart holds its own. */
  int is_message_root;
  /* A part of a multipart/digest: without a Content-Type it is message/rfc822. */
  int in_digest;
  bw_raw_header *headers;
  size_t n_headers;
  bw_content_type ct;
  const char *body; /* LEAF: the content, transfer-encoded, as GMime delimits it */
  size_t body_len;
  bw_entity **children; /* MULTIPART: its parts; MESSAGE: children[0], the embedded message */
  size_t n_children;
};

/*
 * Parses msg. Returns the root entity (is_message_root set) in the arena, or
 * NULL when the message is not plain enough to decide without GMime, or on
 * allocation failure. max_depth bounds the nesting this parser accepts.
 */
bw_entity *bw_entity_parse(bw_arena *arena, const char *msg, size_t len, size_t max_depth);

/* 1 for the originator and destination headers GMime parses as address lists. */
int bw_header_is_address(const char *name, size_t len);

/* 1 when a header named name (case-insensitive) may appear only once (RFC 5322 3.6, Content-*). */
int bw_header_is_single_instance(const char *name, size_t len);

#endif
