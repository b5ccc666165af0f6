/*
 * view_builder.h - what the two ways of building a view share.
 *
 * A view is built either from the structure found by entity.c (plain mail,
 * no GMime objects: view_entity.c) or from GMime's object tree (everything
 * else: view_gmime.c). Both fill the same view through these helpers, so
 * limits, header decoding, text conversion, digests and findings are
 * applied by one piece of code whichever parser found the structure.
 */
#ifndef BW_MIME_VIEW_BUILDER_H
#define BW_MIME_VIEW_BUILDER_H

#include "mime/defects.h"
#include "mime/entity.h"
#include "mime/view.h"

typedef struct view_builder {
  bw_view *view;
  bw_arena *arena;
  bw_findings *findings;
  const bw_limits *limits;
  bw_ptrvec parts;
  size_t decoded_total;
  int parts_limit_reported;
  int decoded_limit_reported;
  int depth_limit_reported;
  size_t header_bytes;
  int header_limit_reported;
  bw_defects defects;
  /* Everything through GMime, including what address.c reads faster (differential tests). */
  int gmime_only;
} view_builder;

/* s lowercased into the arena; NULL stays NULL. */
const char *vb_lower(bw_arena *a, const char *s);

/*
 * Copies headers into *out, counting them against the header-bytes limit
 * (where: the part id for findings, NULL for the message) and running the
 * header-level defect checks.
 */
int vb_copy_headers(view_builder *b, const bw_raw_header *src, size_t n, bw_header **out,
                    size_t *n_out, const char *where);

/* A part's Content-* header value decoded as GMime does, without warnings. */
const char *vb_content_header_value(view_builder *b, const char *raw);

/* Fills v's addresses, Return-Path and Authentication-Results from its headers. */
int vb_finish_message(view_builder *b, bw_view *v);

/* A new part, registered in document order; NULL when out of memory. */
bw_part *vb_new_part(view_builder *b, const char *id, int depth);

/* 0 when the parts limit is reached (reported once, under parent's id). */
int vb_may_add_part(view_builder *b, const bw_part *parent);
/* 0 when p is too deep for its children to be read (reported once). */
int vb_may_descend(view_builder *b, const bw_part *p);
/* 0 when decoding encoded_len more bytes would pass the decoded-bytes limit (reported once). */
int vb_may_decode(view_builder *b, const bw_part *p, size_t encoded_len);

/* "attachment" disposition, a file name, or a type that is not body text. */
int vb_is_attachment(const bw_part *p);

/* Stores a leaf's transfer-decoded content: text converted to UTF-8, attachments hashed. */
int vb_store_leaf(view_builder *b, bw_part *p, const char *decoded, size_t len);

/* Gives each embedded message its parts: its subtree in the pre-order list. */
void vb_link_embedded(bw_view *v);

/* The GMime path (view_gmime.c): builds the view of any message GMime can parse. */
int vb_build_with_gmime(view_builder *b, const char *msg, size_t len);
/* The plain path (view_entity.c): builds the view from entity.c's structure. */
int vb_build_from_entity(view_builder *b, const bw_entity *root);

#endif
