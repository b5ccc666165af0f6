/*
 * view_entity.c - builds the view from entity.c's structure, without GMime objects.
 *
 * entity.c has already cut a plain message into headers and content slices;
 * this file fills each part's fields from its Content-* headers the way
 * GMime's objects would (GMime's own functions still read parameters,
 * dispositions and message ids, and undo transfer encodings, so values are
 * identical), then leaves decoding, limits and digests to the shared helpers
 * in view.c. tests/differential/view_vs_gmime.c compares the result with
 * the GMime path over the shared corpora.
 */
#include <gmime/gmime.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mime/transfer.h"
#include "mime/view_builder.h"

/* The Content-* headers of one part, decoded. */
typedef struct part_headers {
  const char *type, *disposition, *encoding, *id, *location;
} part_headers;

static int is_content_header(const bw_raw_header *h) {
  return h->name_len >= 8 && strncasecmp(h->name, "content-", 8) == 0;
}

/* A message's own entity describes its body only through its Content-* headers. */
static int read_content_headers(view_builder *b, const bw_entity *e, part_headers *out) {
  memset(out, 0, sizeof(*out));
  static const struct {
    const char *name;
    size_t off;
  } wanted[] = {{"content-type", offsetof(part_headers, type)},
                {"content-disposition", offsetof(part_headers, disposition)},
                {"content-transfer-encoding", offsetof(part_headers, encoding)},
                {"content-id", offsetof(part_headers, id)},
                {"content-location", offsetof(part_headers, location)}};
  for (size_t i = 0; i < e->n_headers; i++) {
    const bw_raw_header *h = &e->headers[i];
    if (h->name_len < 10 || strncasecmp(h->name, "content-", 8) != 0) continue;
    for (size_t w = 0; w < sizeof(wanted) / sizeof(wanted[0]); w++) {
      if (strlen(wanted[w].name) != h->name_len ||
          strncasecmp(h->name, wanted[w].name, h->name_len))
        continue;
      const char *raw = bw_arena_strndup(b->arena, h->value, h->value_len);
      const char *value = raw ? vb_content_header_value(b, raw) : NULL;
      if (!value) return BW_ENOMEM;
      *(const char **)((char *)out + wanted[w].off) = value;
    }
  }
  return BW_OK;
}

static const char *param_copy(bw_arena *a, GMimeParamList *params, const char *name) {
  GMimeParam *p = params ? g_mime_param_list_get_parameter(params, name) : NULL;
  return p ? bw_arena_strdup(a, g_mime_param_get_value(p)) : NULL;
}

static const char *slice_copy(bw_arena *a, const char *s, size_t n) {
  return s ? bw_arena_strndup(a, s, n) : NULL;
}

/*
 * Type, charset, boundary and (for leaves) the file name, as GMime's objects
 * report them: from entity.c's reading of the simple form, or from GMime's
 * parser when a parameter holds an encoded-word (GMime decodes those).
 */
static int read_content_type(view_builder *b, const bw_entity *e, const part_headers *h, bw_part *p,
                             const char **name) {
  *name = NULL;
  if (!h->type) {
    p->content_type = p->is_message ? "message/rfc822" : "text/plain"; /* a digest's part, or not */
    return BW_OK;
  }
  const bw_content_type *ct = &e->ct;
  if (!ct->encoded_words) {
    char *mime = bw_arena_printf(b->arena, "%.*s/%.*s", (int)ct->type_len, ct->type,
                                 (int)ct->subtype_len, ct->subtype);
    p->content_type = vb_lower(b->arena, mime);
    p->charset_declared = slice_copy(b->arena, ct->charset, ct->charset_len);
    if (p->is_multipart) p->boundary = slice_copy(b->arena, ct->boundary, ct->boundary_len);
    *name = slice_copy(b->arena, ct->name, ct->name_len);
    return p->content_type ? BW_OK : BW_ENOMEM;
  }
  GMimeContentType *parsed = g_mime_content_type_parse(NULL, h->type);
  char *mime = bw_arena_printf(b->arena, "%s/%s", g_mime_content_type_get_media_type(parsed),
                               g_mime_content_type_get_media_subtype(parsed));
  p->content_type = vb_lower(b->arena, mime);
  GMimeParamList *params = g_mime_content_type_get_parameters(parsed);
  p->charset_declared = param_copy(b->arena, params, "charset");
  if (p->is_multipart) p->boundary = param_copy(b->arena, params, "boundary");
  *name = param_copy(b->arena, params, "name");
  g_object_unref(parsed);
  return p->content_type ? BW_OK : BW_ENOMEM;
}

/* The part's own header block: a message's Content-* headers, or all of a multipart's part. */
static void check_repeats(view_builder *b, const bw_entity *e) {
  if (!e->is_message_root) {
    bw_defects_check_repeats(&b->defects, e->headers, e->n_headers);
    return;
  }
  bw_raw_header *own = bw_arena_alloc(b->arena, e->n_headers * sizeof(*own) + 1);
  if (!own) return;
  size_t n = 0;
  for (size_t i = 0; i < e->n_headers; i++)
    if (is_content_header(&e->headers[i])) own[n++] = e->headers[i];
  bw_defects_check_repeats(&b->defects, own, n);
}

static int read_part_fields(view_builder *b, const bw_entity *e, bw_part *p, part_headers *h) {
  int rc = read_content_headers(b, e, h);
  if (rc != BW_OK) return rc;
  check_repeats(b, e);
  bw_defects_check_params(&b->defects, h->type, h->disposition);
  const char *type_name = NULL;
  rc = read_content_type(b, e, h, p, &type_name);
  if (rc != BW_OK) return rc;
  const char *filename = NULL;
  if (h->disposition) {
    GMimeContentDisposition *cd = g_mime_content_disposition_parse(NULL, h->disposition);
    p->disposition = vb_lower(b->arena, g_mime_content_disposition_get_disposition(cd));
    filename = bw_arena_strdup(b->arena, g_mime_content_disposition_get_parameter(cd, "filename"));
    g_object_unref(cd);
  }
  if (h->id) {
    char *id = g_mime_utils_decode_message_id(h->id);
    p->content_id = bw_arena_strdup(b->arena, id);
    g_free(id);
  }
  if (h->encoding) p->transfer_encoding = vb_lower(b->arena, h->encoding);
  if (e->kind == BW_ENTITY_LEAF) {
    p->filename = filename ? filename : type_name;
    p->content_location = h->location;
  }
  return BW_OK;
}

/* Undoes the transfer encoding in one step over the whole content (transfer.c). */
static int decode_leaf(view_builder *b, const bw_entity *e, const part_headers *h, bw_part *p) {
  if (!vb_may_decode(b, p, e->body_len)) return BW_OK;
  GMimeContentEncoding enc = h->encoding ? g_mime_content_encoding_from_string(h->encoding)
                                         : GMIME_CONTENT_ENCODING_DEFAULT;
  if (enc != GMIME_CONTENT_ENCODING_BASE64 && enc != GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE)
    return vb_store_leaf(b, p, e->body_len ? e->body : "", e->body_len);
  int base64 = enc == GMIME_CONTENT_ENCODING_BASE64;
  char *out = malloc(base64 ? bw_base64_decoded_max(e->body_len) : e->body_len + 1);
  if (!out) return BW_ENOMEM;
  const unsigned char *in = (const unsigned char *)e->body;
  size_t n = base64 ? bw_base64_decode(in, e->body_len, (unsigned char *)out)
                    : bw_qp_decode(in, e->body_len, (unsigned char *)out);
  int rc = vb_store_leaf(b, p, out, n);
  free(out);
  return rc;
}

static bw_part *walk(view_builder *b, const bw_entity *e, const char *id, int depth);
static int read_message(view_builder *b, const bw_entity *e, bw_view *v, const char *where);

static int walk_children(view_builder *b, const bw_entity *e, bw_part *p) {
  p->children = bw_arena_calloc(b->arena, e->n_children, sizeof(bw_part *));
  if (!p->children) return BW_ENOMEM;
  for (size_t i = 0; i < e->n_children && vb_may_add_part(b, p); i++) {
    char *child_id = bw_arena_printf(b->arena, "%s.%zu", p->id, i + 1);
    bw_part *child = child_id ? walk(b, e->children[i], child_id, p->depth + 1) : NULL;
    if (!child) return BW_ENOMEM;
    p->children[p->n_children++] = child;
  }
  return BW_OK;
}

static int walk_container(view_builder *b, const bw_entity *e, bw_part *p) {
  if (!vb_may_descend(b, p)) return BW_OK;
  if (p->is_multipart) return walk_children(b, e, p);
  /* A forwarded message gets a view of its own; its parts are filled in by vb_link_embedded(). */
  p->embedded = bw_arena_calloc(b->arena, 1, sizeof(bw_view));
  if (!p->embedded) return BW_ENOMEM;
  int rc = read_message(b, e->children[0], p->embedded, p->id);
  p->headers = p->embedded->headers;
  p->n_headers = p->embedded->n_headers;
  return rc == BW_OK ? walk_children(b, e, p) : rc;
}

static bw_part *walk(view_builder *b, const bw_entity *e, const char *id, int depth) {
  bw_part *p = vb_new_part(b, id, depth);
  if (!p) return NULL;
  p->is_multipart = e->kind == BW_ENTITY_MULTIPART;
  p->is_message = e->kind == BW_ENTITY_MESSAGE;
  part_headers h;
  if (read_part_fields(b, e, p, &h) != BW_OK) return NULL;
  if (p->is_multipart || p->is_message) return walk_container(b, e, p) == BW_OK ? p : NULL;
  p->is_attachment = vb_is_attachment(p);
  return decode_leaf(b, e, &h, p) == BW_OK ? p : NULL;
}

/* A message entity's headers other than Content-*: those are its body's (as in GMimeMessage). */
static int read_message(view_builder *b, const bw_entity *e, bw_view *v, const char *where) {
  bw_raw_header *own = bw_arena_alloc(b->arena, e->n_headers * sizeof(*own) + 1);
  if (!own) return BW_ENOMEM;
  size_t n = 0;
  for (size_t i = 0; i < e->n_headers; i++)
    if (!is_content_header(&e->headers[i])) own[n++] = e->headers[i];
  int rc = vb_copy_headers(b, own, n, &v->headers, &v->n_headers, where);
  return rc == BW_OK ? vb_finish_message(b, v) : rc;
}

int vb_build_from_entity(view_builder *b, const bw_entity *root) {
  int rc = read_message(b, root, b->view, NULL);
  if (rc != BW_OK) return rc;
  b->view->root = walk(b, root, "1", 0);
  if (!b->view->root) return BW_ENOMEM;
  b->view->parts = (bw_part **)b->parts.items;
  b->view->n_parts = b->parts.len;
  vb_link_embedded(b->view);
  return BW_OK;
}
