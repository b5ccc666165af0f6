/*
 * view_gmime.c - builds the view from GMime's object tree.
 *
 * The path for every message entity.c declines: broken structure, unusual
 * Content-Types, encodings and nesting, where GMime's repairs decide what the
 * message is. This file walks GMime's tree once, turns GMime's parser
 * warnings into parse_defect findings (malformed structure is an evasion
 * signal: it makes filters and mail clients disagree), and leaves headers,
 * limits, text conversion and digests to the shared helpers (view.c), so
 * that GMime's objects can be dropped before detection starts.
 */
#include <gmime/gmime.h>
#include <string.h>

#include "mime/view_builder.h"

/* ---- parts ---------------------------------------------------------------- */

/* An object's header list as slices (GMime's own strings), for the shared helpers. */
static bw_raw_header *header_slices(GMimeObject *obj, size_t *n_out) {
  GMimeHeaderList *list = g_mime_object_get_header_list(obj);
  int n = list ? g_mime_header_list_get_count(list) : 0;
  bw_raw_header *h = g_new(bw_raw_header, n + 1);
  for (int i = 0; i < n; i++) {
    GMimeHeader *gh = g_mime_header_list_get_header_at(list, i);
    const char *raw = g_mime_header_get_raw_value(gh);
    h[i].name = g_mime_header_get_name(gh);
    h[i].name_len = strlen(h[i].name);
    h[i].value = raw ? raw : "";
    h[i].value_len = strlen(h[i].value);
    h[i].offset = g_mime_header_get_offset(gh);
  }
  *n_out = (size_t)n;
  return h;
}

static int decode_leaf(view_builder *b, GMimePart *gpart, bw_part *p) {
  GMimeDataWrapper *content = g_mime_part_get_content(gpart);
  if (!content) return BW_OK;
  GMimeStream *encoded = g_mime_data_wrapper_get_stream(content);
  gint64 encoded_len = encoded ? g_mime_stream_length(encoded) : 0;
  if (encoded_len < 0 || !vb_may_decode(b, p, (size_t)encoded_len)) return BW_OK;
  GMimeStream *mem = g_mime_stream_mem_new();
  g_mime_data_wrapper_write_to_stream(content, mem);
  GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
  /* An empty part has no buffer at all; give the decoders an empty string instead. */
  int rc = vb_store_leaf(b, p, bytes->len ? (const char *)bytes->data : "", bytes->len);
  g_object_unref(mem);
  return rc;
}

/*
 * RFC 2045 section 5.2: a Content-Type that cannot be parsed ("text", "text/")
 * means text/plain, and mail clients show such a body as text. GMime falls back
 * to application/octet-stream instead, which would hide the body from the
 * text and HTML detectors; so a leaf GMime calls application/octet-stream whose
 * header does not say so is read as text/plain.
 */
static int is_invalid_content_type(GMimeObject *obj, const char *type, const char *sub) {
  if (!GMIME_IS_PART(obj) || !type || !sub || g_ascii_strcasecmp(type, "application") != 0 ||
      g_ascii_strcasecmp(sub, "octet-stream") != 0)
    return 0;
  const char *raw = g_mime_object_get_header(obj, "Content-Type");
  if (!raw) return 0;
  while (*raw == ' ' || *raw == '\t') raw++;
  return g_ascii_strncasecmp(raw, "application/", 12) != 0;
}

static void read_part_headers(view_builder *b, GMimeObject *obj, bw_part *p) {
  size_t n;
  bw_raw_header *h = header_slices(obj, &n);
  bw_defects_check_repeats(&b->defects, h, n);
  g_free(h);
  bw_defects_check_params(&b->defects, g_mime_object_get_header(obj, "Content-Type"),
                          g_mime_object_get_header(obj, "Content-Disposition"));
  /* Not g_mime_multipart_get_boundary: without a boundary it invents one, and re-encoding the
     Content-Type for it can loop forever in GMime 3.2 (a parameter name over 72 bytes). */
  if (GMIME_IS_MULTIPART(obj))
    p->boundary =
        bw_arena_strdup(b->arena, g_mime_object_get_content_type_parameter(obj, "boundary"));
  GMimeContentType *ct = g_mime_object_get_content_type(obj);
  const char *type = ct ? g_mime_content_type_get_media_type(ct) : NULL;
  const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : NULL;
  if (is_invalid_content_type(obj, type, sub)) {
    type = "text";
    sub = "plain";
  }
  char *mime =
      bw_arena_printf(b->arena, "%s/%s", type ? type : "application", sub ? sub : "octet-stream");
  p->content_type = vb_lower(b->arena, mime);
  p->charset_declared =
      bw_arena_strdup(b->arena, g_mime_object_get_content_type_parameter(obj, "charset"));
  p->disposition = vb_lower(b->arena, g_mime_object_get_disposition(obj));
  p->content_id = bw_arena_strdup(b->arena, g_mime_object_get_content_id(obj));
  const char *cte = g_mime_object_get_header(obj, "Content-Transfer-Encoding");
  if (cte) {
    while (*cte == ' ' || *cte == '\t') cte++;
    p->transfer_encoding = vb_lower(b->arena, cte);
  }
  if (GMIME_IS_PART(obj)) {
    p->filename = bw_arena_strdup(b->arena, g_mime_part_get_filename(GMIME_PART(obj)));
    p->content_location =
        bw_arena_strdup(b->arena, g_mime_part_get_content_location(GMIME_PART(obj)));
  }
}

static bw_part *walk(view_builder *b, GMimeObject *obj, const char *id, int depth);
static int read_message_headers(view_builder *b, GMimeMessage *m, bw_view *v, const char *where);

static int walk_children(view_builder *b, bw_part *p, GMimeObject **kids, int n) {
  p->children = n ? bw_arena_calloc(b->arena, (size_t)n, sizeof(bw_part *)) : NULL;
  if (n && !p->children) return BW_ENOMEM;
  for (int i = 0; i < n && vb_may_add_part(b, p); i++) {
    char *child_id = bw_arena_printf(b->arena, "%s.%d", p->id, i + 1);
    bw_part *child = child_id ? walk(b, kids[i], child_id, p->depth + 1) : NULL;
    if (!child) return BW_ENOMEM;
    p->children[p->n_children++] = child;
  }
  return BW_OK;
}

/* The boundary without the quotes and spaces a broken parameter leaves around it, or NULL. */
static char *clean_boundary(const char *boundary) {
  if (!boundary) return NULL;
  while (*boundary == '"' || *boundary == ' ' || *boundary == '\t') boundary++;
  size_t n = strlen(boundary);
  while (n && (boundary[n - 1] == '"' || boundary[n - 1] == ' ' || boundary[n - 1] == '\t')) n--;
  return n ? g_strndup(boundary, n) : NULL;
}

/*
 * A multipart whose boundary parameter has an unterminated quote
 * (boundary="----=_Part_1 with no closing quote) keeps the quote in the
 * boundary, so GMime finds no part and the whole body lands in the prologue.
 * Mail clients and other parsers take the value up to the end of the line and
 * show the parts, so a message hiding its payload this way must be read the
 * same: the body is parsed again under the clean boundary. Returns the
 * repaired multipart (a new reference) or NULL when there is nothing to repair.
 */
static GMimeObject *repair_multipart(view_builder *b, GMimeMultipart *mp, const bw_part *p) {
  const char *boundary = g_mime_object_get_content_type_parameter(GMIME_OBJECT(mp), "boundary");
  const char *prologue = g_mime_multipart_get_prologue(mp);
  if (g_mime_multipart_get_count(mp) > 0 || !prologue || !boundary) return NULL;
  char *clean = clean_boundary(boundary);
  if (!clean || strcmp(clean, boundary) == 0 || !strstr(prologue, clean)) {
    g_free(clean);
    return NULL;
  }
  const char *epilogue = g_mime_multipart_get_epilogue(mp);
  char *entity = g_strdup_printf("Content-Type: %s; boundary=\"%s\"\n\n%s\n%s", p->content_type,
                                 clean, prologue, epilogue ? epilogue : "");
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer(entity, strlen(entity));
  GMimeParser *parser = g_mime_parser_new_with_stream(stream);
  GMimeObject *repaired = g_mime_parser_construct_part(parser, NULL);
  g_object_unref(parser);
  g_object_unref(stream);
  g_free(entity);
  g_free(clean);
  if (repaired && (!GMIME_IS_MULTIPART(repaired) ||
                   g_mime_multipart_get_count(GMIME_MULTIPART(repaired)) == 0)) {
    g_object_unref(repaired);
    return NULL;
  }
  if (repaired) {
    bw_finding *f = bw_findings_add(b->findings, "parse_defect", "mime", BW_SEVERITY_MEDIUM, p->id,
                                    "MIME parser: %s", "broken_boundary_parameter");
    bw_finding_add_evidence(b->findings, f, "defect", "broken_boundary_parameter");
  }
  return repaired;
}

static int walk_multipart(view_builder *b, GMimeMultipart *mp, bw_part *p) {
  int n = g_mime_multipart_get_count(mp);
  GMimeObject **kids = n ? g_new(GMimeObject *, n) : NULL;
  for (int i = 0; i < n; i++) kids[i] = g_mime_multipart_get_part(mp, i);
  int rc = walk_children(b, p, kids, n);
  g_free(kids);
  return rc;
}

static int walk_container(view_builder *b, GMimeObject *obj, bw_part *p) {
  if (!vb_may_descend(b, p)) return BW_OK;
  if (p->is_multipart) {
    GMimeObject *repaired = repair_multipart(b, GMIME_MULTIPART(obj), p);
    if (!repaired) return walk_multipart(b, GMIME_MULTIPART(obj), p);
    /* Leaves are copied into the arena as they are walked, so the repair can go right after. */
    int rc = walk_multipart(b, GMIME_MULTIPART(repaired), p);
    g_object_unref(repaired);
    return rc;
  }
  GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
  if (!inner) return BW_OK;
  /* A forwarded message gets a view of its own; its parts are filled in by link_embedded(). */
  p->embedded = bw_arena_calloc(b->arena, 1, sizeof(bw_view));
  if (!p->embedded) return BW_ENOMEM;
  int rc = read_message_headers(b, inner, p->embedded, p->id);
  p->headers = p->embedded->headers;
  p->n_headers = p->embedded->n_headers;
  GMimeObject *body = g_mime_message_get_mime_part(inner);
  if (rc != BW_OK || !body) return rc;
  return walk_children(b, p, &body, 1);
}

static bw_part *walk(view_builder *b, GMimeObject *obj, const char *id, int depth) {
  bw_part *p = vb_new_part(b, id, depth);
  if (!p) return NULL;
  read_part_headers(b, obj, p);
  if (!p->content_type) return NULL;
  p->is_multipart = GMIME_IS_MULTIPART(obj);
  p->is_message = GMIME_IS_MESSAGE_PART(obj);
  if (p->is_multipart || p->is_message) return walk_container(b, obj, p) == BW_OK ? p : NULL;
  if (!GMIME_IS_PART(obj)) return p;
  p->is_attachment = vb_is_attachment(p);
  return decode_leaf(b, GMIME_PART(obj), p) == BW_OK ? p : NULL;
}

/* ---- the message ---------------------------------------------------------- */

static int read_message_headers(view_builder *b, GMimeMessage *m, bw_view *v, const char *where) {
  size_t n;
  bw_raw_header *h = header_slices(GMIME_OBJECT(m), &n);
  int rc = vb_copy_headers(b, h, n, &v->headers, &v->n_headers, where);
  g_free(h);
  return rc == BW_OK ? vb_finish_message(b, v) : rc;
}

static int build_from_message(view_builder *b, GMimeMessage *m) {
  int rc = read_message_headers(b, m, b->view, NULL);
  if (rc != BW_OK) return rc;
  GMimeObject *body = g_mime_message_get_mime_part(m);
  if (body) {
    b->view->root = walk(b, body, "1", 0);
    if (!b->view->root) return BW_ENOMEM;
  }
  b->view->parts = (bw_part **)b->parts.items;
  b->view->n_parts = b->parts.len;
  vb_link_embedded(b->view);
  return BW_OK;
}

/* Parses with GMime's default options: no warning callback, see mime/defects.h for why. */
static GMimeMessage *parse_message(const char *msg, size_t len) {
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer(msg, len);
  GMimeParser *parser = g_mime_parser_new_with_stream(stream);
  g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
  GMimeMessage *m = g_mime_parser_construct_message(parser, NULL);
  g_object_unref(parser);
  g_object_unref(stream);
  return m;
}

int vb_build_with_gmime(view_builder *b, const char *msg, size_t len) {
  GMimeMessage *m = parse_message(msg, len);
  if (!m) {
    /* Say why: the structural pass names what GMime could not get past. */
    bw_defects_structural_pass(&b->defects, msg, len);
    bw_findings_add(b->findings, "parse_defect", "mime", BW_SEVERITY_MEDIUM, NULL,
                    "not a parseable message (%zu bytes)", len);
    return BW_OK;
  }
  int rc = build_from_message(b, m);
  g_object_unref(m);
  if (rc == BW_OK && bw_defects_structure_suspect(msg, len, b->view))
    bw_defects_structural_pass(&b->defects, msg, len);
  return rc;
}
