/*
 * view.c - builds the message view (view.h) from one message with GMime.
 *
 * GMime does the MIME parsing (headers, RFC 2047/2231, multipart boundaries,
 * transfer encodings). This file walks GMime's object tree once, applies the
 * limits, converts text to UTF-8, hashes attachments, turns GMime's parser
 * warnings into parse_defect findings (malformed structure is an evasion
 * signal: it makes filters and mail clients disagree), and copies everything
 * into the arena so GMime's objects can be dropped before detection starts.
 */
#include "mime/view.h"

#include <gmime/gmime.h>
#include <string.h>
#include <strings.h>

#include "mime/decode.h"
#include "mime/defects.h"

/* State shared by the walk over one message. */
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
} view_builder;

/* ---- headers and addresses ---------------------------------------------- */

static const char *arena_lower(bw_arena *a, const char *s) {
  if (!s) return NULL;
  char *out = bw_arena_strdup(a, s);
  if (!out) return NULL;
  for (char *p = out; *p; p++)
    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
  return out;
}

/* 1 when raw needs GMime's decoder: an RFC 2047 encoded-word or 8-bit bytes to convert. */
static int needs_decoding(const char *raw) {
  for (const unsigned char *p = (const unsigned char *)raw; *p; p++)
    if (*p >= 0x80 || (p[0] == '=' && p[1] == '?')) return 1;
  return 0;
}

/* Unfolds a plain 7-bit header value: line breaks go, the folding white space stays. */
static char *unfold_plain(bw_arena *a, const char *raw) {
  while (*raw == ' ' || *raw == '\t' || *raw == '\r' || *raw == '\n') raw++;
  size_t n = strlen(raw);
  char *out = bw_arena_alloc(a, n + 1);
  if (!out) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i++)
    if (raw[i] != '\r' && raw[i] != '\n') out[o++] = raw[i];
  while (o && (out[o - 1] == ' ' || out[o - 1] == '\t')) o--;
  out[o] = '\0';
  return out;
}

/* A one-line value is its own unfolded form once the white space after the colon is skipped. */
static const char *single_line_value(const char *raw) {
  while (*raw == ' ' || *raw == '\t') raw++;
  size_t n = strlen(raw);
  if (n && (raw[n - 1] == ' ' || raw[n - 1] == '\t')) return NULL;
  return memchr(raw, '\n', n) || memchr(raw, '\r', n) ? NULL : raw;
}

static int is_address_header(const char *name) {
  static const char *const names[] = {"from", "sender", "reply-to", "to", "cc", "bcc"};
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if (g_ascii_strcasecmp(name, names[i]) == 0) return 1;
  return 0;
}

/*
 * The decoded value of a header. Most headers (Received, DKIM-Signature, ...)
 * are plain ASCII: unfolding them here costs a fraction of GMime's decoder,
 * which was the largest single cost of building the view on real mail.
 */
static const char *header_value(view_builder *b, GMimeHeader *h, const char *raw) {
  if (!needs_decoding(raw)) {
    const char *line = single_line_value(raw);
    return line ? line : unfold_plain(b->arena, raw);
  }
  const char *name = g_mime_header_get_name(h);
  if (is_address_header(name)) {
    /* Formatted by GMime from the parsed list; its syntax is checked with the defects. */
    const char *value = g_mime_header_get_value(h);
    return bw_arena_strdup(b->arena, value ? value : "");
  }
  /* Decoded with the warning options so that a broken encoded-word is reported. */
  char *unfolded = unfold_plain(b->arena, raw);
  if (!unfolded) return NULL;
  char *value = g_mime_utils_header_decode_text(b->defects.opts, unfolded);
  const char *out = bw_arena_strdup(b->arena, value ? value : unfolded);
  g_free(value);
  return out;
}

/* The raw value as written, less the line break that ends the header. */
static const char *raw_without_line_break(bw_arena *a, const char *raw) {
  size_t n = strlen(raw);
  while (n && (raw[n - 1] == '\n' || raw[n - 1] == '\r')) n--;
  return bw_arena_strndup(a, raw, n);
}

static int copy_headers(view_builder *b, GMimeHeaderList *list, bw_header **out, size_t *n_out,
                        const char *where) {
  int count = list ? g_mime_header_list_get_count(list) : 0;
  *out = count ? bw_arena_calloc(b->arena, (size_t)count, sizeof(bw_header)) : NULL;
  if (count && !*out) return BW_ENOMEM;
  size_t n = 0;
  for (int i = 0; i < count; i++) {
    GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
    const char *raw = g_mime_header_get_raw_value(h);
    const char *name = g_mime_header_get_name(h);
    size_t bytes = strlen(name) + (raw ? strlen(raw) : 0) + 2;
    if (b->header_bytes + bytes > b->limits->max_header_bytes) {
      if (!b->header_limit_reported) {
        bw_findings_limit(b->findings, where, "header-bytes", b->limits->max_header_bytes,
                          "later headers were not read");
        b->header_limit_reported = 1;
      }
      break;
    }
    b->header_bytes += bytes;
    bw_header *dst = &(*out)[n++];
    dst->name = bw_arena_strdup(b->arena, name);
    dst->raw = raw_without_line_break(b->arena, raw ? raw : "");
    dst->value = header_value(b, h, dst->raw);
    if (!dst->name || !dst->raw || !dst->value) return BW_ENOMEM;
  }
  *n_out = n;
  bw_defects_check_headers(&b->defects, *out, n);
  return BW_OK;
}

static const char *address_domain(bw_arena *a, const char *addr) {
  const char *at = addr ? strrchr(addr, '@') : NULL;
  return at && at[1] ? arena_lower(a, at + 1) : NULL;
}

static void count_mailboxes(InternetAddressList *list, size_t *n) {
  int count = list ? internet_address_list_length(list) : 0;
  for (int i = 0; i < count; i++) {
    InternetAddress *ia = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(ia))
      count_mailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), n);
    else
      (*n)++;
  }
}

static void fill_mailboxes(bw_arena *a, InternetAddressList *list, bw_address_list *out) {
  int count = list ? internet_address_list_length(list) : 0;
  for (int i = 0; i < count; i++) {
    InternetAddress *ia = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(ia)) {
      fill_mailboxes(a, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out);
      continue;
    }
    bw_address *dst = &out->items[out->n++];
    const char *name = internet_address_get_name(ia);
    dst->name = name && *name ? bw_arena_strdup(a, name) : NULL;
    dst->address =
        bw_arena_strdup(a, internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
    dst->domain = address_domain(a, dst->address);
  }
}

static int copy_addresses(bw_arena *a, InternetAddressList *list, bw_address_list *out) {
  size_t n = 0;
  count_mailboxes(list, &n);
  out->n = 0;
  out->items = n ? bw_arena_calloc(a, n, sizeof(bw_address)) : NULL;
  if (n && !out->items) return BW_ENOMEM;
  fill_mailboxes(a, list, out);
  return BW_OK;
}

/* Delivered-To and X-Original-To are not parsed by GMime's message API. */
static int parse_address_header(bw_arena *a, const char *value,
                                bw_address_list *out) {
  if (!value) return BW_OK;
  InternetAddressList *list = internet_address_list_parse(NULL, value);
  int rc = copy_addresses(a, list, out);
  if (list) g_object_unref(list);
  return rc;
}

static const char *strip_angles(bw_arena *a, const char *s) {
  if (!s) return NULL;
  while (*s == ' ' || *s == '\t' || *s == '<') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '>')) n--;
  return bw_arena_strndup(a, s, n);
}

const bw_header *bw_view_header(const bw_view *v, const char *name) {
  for (size_t i = 0; i < v->n_headers; i++)
    if (strcasecmp(v->headers[i].name, name) == 0) return &v->headers[i];
  return NULL;
}

static const char *format_date(bw_arena *a, GMimeMessage *m, const bw_view *v) {
  GDateTime *dt = g_mime_message_get_date(m);
  if (dt) {
    gchar *s = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S%:z");
    const char *out = bw_arena_strdup(a, s);
    g_free(s);
    return out;
  }
  const bw_header *h = bw_view_header(v, "Date");
  return h ? h->value : NULL;
}

static int collect_auth_results(view_builder *b, bw_view *v) {
  size_t n = 0;
  for (size_t i = 0; i < v->n_headers; i++)
    if (strcasecmp(v->headers[i].name, "Authentication-Results") == 0) n++;
  if (!n) return BW_OK;
  v->auth = bw_arena_calloc(b->arena, n, sizeof(bw_auth_results));
  if (!v->auth) return BW_ENOMEM;
  for (size_t i = 0; i < v->n_headers; i++) {
    if (strcasecmp(v->headers[i].name, "Authentication-Results") != 0) continue;
    bw_auth_results *ar = &v->auth[v->n_auth];
    if (bw_auth_results_parse(v->headers[i].value, b->arena, ar) != BW_OK) return BW_ENOMEM;
    ar->index = (int)v->n_auth++;
  }
  return BW_OK;
}

/* ---- parts ---------------------------------------------------------------- */

static int is_body_text(const bw_part *p) {
  return strcmp(p->content_type, "text/plain") == 0 || strcmp(p->content_type, "text/html") == 0;
}

static void note_decoded_limit(view_builder *b, const bw_part *p) {
  if (b->decoded_limit_reported) return;
  bw_findings_limit(b->findings, p->id, "decoded-bytes", b->limits->max_decoded_bytes,
                    "this and later parts were not decoded");
  b->decoded_limit_reported = 1;
}

static int decode_leaf(view_builder *b, GMimePart *gpart, bw_part *p) {
  GMimeDataWrapper *content = g_mime_part_get_content(gpart);
  if (!content) return BW_OK;
  GMimeStream *encoded = g_mime_data_wrapper_get_stream(content);
  gint64 encoded_len = encoded ? g_mime_stream_length(encoded) : 0;
  /* Decoding never grows base64/QP/uuencode, so the encoded size bounds the cost up front. */
  if (encoded_len < 0 || b->decoded_total + (size_t)encoded_len > b->limits->max_decoded_bytes) {
    note_decoded_limit(b, p);
    return BW_OK;
  }
  GMimeStream *mem = g_mime_stream_mem_new();
  g_mime_data_wrapper_write_to_stream(content, mem);
  GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
  /* An empty part has no buffer at all; give the decoders an empty string instead. */
  const char *decoded = bytes->len ? (const char *)bytes->data : "";
  int rc = BW_OK;
  p->raw_len = bytes->len;
  b->decoded_total += bytes->len;
  p->decoded = 1;
  if (strncmp(p->content_type, "text/", 5) == 0 && !p->is_attachment) {
    rc = bw_decode_text(b->arena, decoded, bytes->len, p->charset_declared, &p->data, &p->data_len,
                        &p->charset_used);
  } else {
    p->data = bw_arena_strndup(b->arena, decoded, bytes->len);
    p->data_len = bytes->len;
    if (!p->data) rc = BW_ENOMEM;
  }
  if (rc == BW_OK && p->is_attachment)
    bw_decode_digests((const unsigned char *)decoded, bytes->len, p->md5, p->sha1, p->sha256);
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
  bw_defects_check_entity(&b->defects, obj);
  if (GMIME_IS_MULTIPART(obj))
    p->boundary = bw_arena_strdup(b->arena, g_mime_multipart_get_boundary(GMIME_MULTIPART(obj)));
  GMimeContentType *ct = g_mime_object_get_content_type(obj);
  const char *type = ct ? g_mime_content_type_get_media_type(ct) : NULL;
  const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : NULL;
  if (is_invalid_content_type(obj, type, sub)) {
    type = "text";
    sub = "plain";
  }
  char *mime =
      bw_arena_printf(b->arena, "%s/%s", type ? type : "application", sub ? sub : "octet-stream");
  p->content_type = arena_lower(b->arena, mime);
  p->charset_declared =
      bw_arena_strdup(b->arena, g_mime_object_get_content_type_parameter(obj, "charset"));
  p->disposition = arena_lower(b->arena, g_mime_object_get_disposition(obj));
  p->content_id = bw_arena_strdup(b->arena, g_mime_object_get_content_id(obj));
  const char *cte = g_mime_object_get_header(obj, "Content-Transfer-Encoding");
  if (cte) {
    while (*cte == ' ' || *cte == '\t') cte++;
    p->transfer_encoding = arena_lower(b->arena, cte);
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
  for (int i = 0; i < n; i++) {
    if (b->parts.len >= b->limits->max_parts) {
      if (!b->parts_limit_reported) {
        bw_findings_limit(b->findings, p->id, "parts", b->limits->max_parts,
                          "later parts were not read");
        b->parts_limit_reported = 1;
      }
      break;
    }
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
  const char *boundary = g_mime_multipart_get_boundary(mp);
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
  if ((size_t)p->depth >= b->limits->max_depth) {
    if (!b->depth_limit_reported) {
      bw_findings_limit(b->findings, p->id, "depth", b->limits->max_depth,
                        "deeper parts were not read");
      b->depth_limit_reported = 1;
    }
    return BW_OK;
  }
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

static size_t subtree_size(const bw_part *p) {
  size_t n = 1;
  for (size_t i = 0; i < p->n_children; i++) n += subtree_size(p->children[i]);
  return n;
}

/* The parts of each embedded message: its subtree, contiguous in the pre-order list. */
static void link_embedded(bw_view *v) {
  for (size_t i = 0; i < v->n_parts; i++) {
    bw_part *p = v->parts[i];
    if (!p->embedded || !p->n_children) continue;
    p->embedded->root = p->children[0];
    p->embedded->parts = &v->parts[i + 1];
    p->embedded->n_parts = subtree_size(p) - 1;
  }
}

static bw_part *walk(view_builder *b, GMimeObject *obj, const char *id, int depth) {
  bw_part *p = bw_arena_calloc(b->arena, 1, sizeof(*p));
  if (!p || bw_ptrvec_push(b->arena, &b->parts, p) != 0) return NULL;
  p->id = id;
  p->depth = depth;
  read_part_headers(b, obj, p);
  if (!p->content_type) return NULL;
  p->is_multipart = GMIME_IS_MULTIPART(obj);
  p->is_message = GMIME_IS_MESSAGE_PART(obj);
  if (p->is_multipart || p->is_message) return walk_container(b, obj, p) == BW_OK ? p : NULL;
  if (!GMIME_IS_PART(obj)) return p;
  p->is_attachment = (p->disposition && strcmp(p->disposition, "attachment") == 0) ||
                     p->filename != NULL || !is_body_text(p);
  return decode_leaf(b, GMIME_PART(obj), p) == BW_OK ? p : NULL;
}

/* ---- the message ---------------------------------------------------------- */

static int read_message_headers(view_builder *b, GMimeMessage *m, bw_view *v, const char *where) {
  bw_arena *a = b->arena;
  int rc = copy_headers(b, g_mime_object_get_header_list(GMIME_OBJECT(m)), &v->headers,
                        &v->n_headers, where);
  if (rc != BW_OK) return rc;
  v->message_id = bw_arena_strdup(a, g_mime_message_get_message_id(m));
  v->subject = bw_arena_strdup(a, g_mime_message_get_subject(m));
  v->date = format_date(a, m, v);
  const bw_header *rp = bw_view_header(v, "Return-Path");
  v->return_path = rp ? strip_angles(a, rp->value) : NULL;
  const bw_header *dt = bw_view_header(v, "Delivered-To");
  const bw_header *xot = bw_view_header(v, "X-Original-To");
  if (copy_addresses(a, g_mime_message_get_from(m), &v->from) != BW_OK ||
      copy_addresses(a, g_mime_message_get_sender(m), &v->sender) != BW_OK ||
      copy_addresses(a, g_mime_message_get_reply_to(m), &v->reply_to) != BW_OK ||
      copy_addresses(a, g_mime_message_get_to(m), &v->to) != BW_OK ||
      copy_addresses(a, g_mime_message_get_cc(m), &v->cc) != BW_OK ||
      parse_address_header(a, dt ? dt->value : NULL, &v->delivered_to) != BW_OK ||
      parse_address_header(a, xot ? xot->value : NULL, &v->x_original_to) != BW_OK)
    return BW_ENOMEM;
  return collect_auth_results(b, v);
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
  link_embedded(b->view);
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

int bw_view_build(bw_view *v, const char *msg, size_t len, const bw_limits *limits, bw_arena *arena,
                  bw_findings *findings) {
  memset(v, 0, sizeof(*v));
  view_builder b = {.view = v, .arena = arena, .findings = findings, .limits = limits};
  bw_defects_init(&b.defects, findings, arena);
  GMimeMessage *m = parse_message(msg, len);
  int rc = BW_OK;
  if (m) {
    rc = build_from_message(&b, m);
    g_object_unref(m);
    if (rc == BW_OK && bw_defects_structure_suspect(msg, len, v))
      bw_defects_structural_pass(&b.defects, msg, len);
  } else {
    /* Say why: the structural pass names what GMime could not get past. */
    bw_defects_structural_pass(&b.defects, msg, len);
    bw_findings_add(findings, "parse_defect", "mime", BW_SEVERITY_MEDIUM, NULL,
                    "not a parseable message (%zu bytes)", len);
  }
  bw_defects_finish(&b.defects);
  if (findings->oom) rc = BW_ENOMEM;
  return rc;
}
