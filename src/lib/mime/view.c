/*
 * view.c - builds the message view (view.h), and what both parsers share.
 *
 * Plain mail is parsed by entity.c, whose structure is turned into the view
 * without creating a single GMime object (view_entity.c); everything else,
 * and everything entity.c declines, is parsed by GMime (view_gmime.c). The
 * helpers here do the rest for both: header decoding and limits, the
 * message's addresses, date and Authentication-Results, text conversion,
 * digests and the defect checks.
 */
#include "mime/view.h"

#include <gmime/gmime.h>
#include <string.h>
#include <strings.h>

#include "mime/decode.h"
#include "mime/view_builder.h"

/* ---- headers ---------------------------------------------------------------- */

const char *vb_lower(bw_arena *a, const char *s) {
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

/* Unfolds a header value as g_mime_utils_header_unfold does, into the arena. */
static char *unfold(bw_arena *a, const char *raw) {
  while (*raw == ' ' || *raw == '\t' || *raw == '\r' || *raw == '\n') raw++;
  size_t n = strlen(raw);
  while (n && (raw[n - 1] == ' ' || raw[n - 1] == '\t' || raw[n - 1] == '\r' || raw[n - 1] == '\n'))
    n--;
  char *out = bw_arena_alloc(a, n + 1);
  if (!out) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i++)
    if (raw[i] != '\r' && raw[i] != '\n') out[o++] = raw[i];
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
    if (strcasecmp(name, names[i]) == 0) return 1;
  return 0;
}

/*
 * Most headers (Received, DKIM-Signature, ...) are plain ASCII: unfolding
 * them here costs a fraction of GMime's decoder. The others are decoded by
 * GMime; all but address headers with the warning options, so that a broken
 * encoded-word is reported (address headers are checked with their syntax,
 * see defects.c).
 */
static const char *decode_value(bw_arena *a, const char *raw, GMimeParserOptions *opts) {
  if (!needs_decoding(raw)) {
    const char *line = single_line_value(raw);
    return line ? line : unfold(a, raw);
  }
  char *unfolded = unfold(a, raw);
  if (!unfolded) return NULL;
  char *value = g_mime_utils_header_decode_text(opts, unfolded);
  const char *out = bw_arena_strdup(a, value ? value : unfolded);
  g_free(value);
  return out;
}

const char *vb_header_value(view_builder *b, const char *name, const char *raw) {
  return decode_value(b->arena, raw, is_address_header(name) ? NULL : b->defects.opts);
}

/* GMime decodes a part's Content-* headers without warnings; so does the plain path. */
const char *vb_content_header_value(view_builder *b, const char *raw) {
  return decode_value(b->arena, raw, NULL);
}

/* The raw value as written, less the line break that ends the header. */
static const char *raw_without_line_break(bw_arena *a, const char *raw) {
  size_t n = strlen(raw);
  while (n && (raw[n - 1] == '\n' || raw[n - 1] == '\r')) n--;
  return bw_arena_strndup(a, raw, n);
}

int vb_copy_headers(view_builder *b, const char *const *names, const char *const *raws, size_t n,
                    bw_header **out, size_t *n_out, const char *where) {
  *out = n ? bw_arena_calloc(b->arena, n, sizeof(bw_header)) : NULL;
  *n_out = 0;
  if (n && !*out) return BW_ENOMEM;
  size_t kept = 0;
  for (size_t i = 0; i < n; i++) {
    size_t bytes = strlen(names[i]) + strlen(raws[i]) + 2;
    if (b->header_bytes + bytes > b->limits->max_header_bytes) {
      if (!b->header_limit_reported) {
        bw_findings_limit(b->findings, where, "header-bytes", b->limits->max_header_bytes,
                          "later headers were not read");
        b->header_limit_reported = 1;
      }
      break;
    }
    b->header_bytes += bytes;
    bw_header *dst = &(*out)[kept++];
    dst->name = bw_arena_strdup(b->arena, names[i]);
    dst->raw = raw_without_line_break(b->arena, raws[i]);
    dst->value = dst->raw ? vb_header_value(b, dst->name, dst->raw) : NULL;
    if (!dst->name || !dst->raw || !dst->value) return BW_ENOMEM;
  }
  *n_out = kept;
  bw_defects_check_headers(&b->defects, *out, kept);
  return BW_OK;
}

const bw_header *bw_view_header(const bw_view *v, const char *name) {
  for (size_t i = 0; i < v->n_headers; i++)
    if (strcasecmp(v->headers[i].name, name) == 0) return &v->headers[i];
  return NULL;
}

/* The last header named name: GMime's message keeps the last Subject, Date and Message-Id. */
static const bw_header *last_header(const bw_view *v, const char *name) {
  for (size_t i = v->n_headers; i > 0; i--)
    if (strcasecmp(v->headers[i - 1].name, name) == 0) return &v->headers[i - 1];
  return NULL;
}

/* ---- message fields ------------------------------------------------------------- */

/*
 * Exported by libgmime 3.2 (internet-address.c) but missing from its header.
 * Unlike internet_address_list_parse it keeps the addresses read before a
 * syntax error (an unterminated comment), as GMimeMessage does for From/To.
 */
void internet_address_list_append_parse(InternetAddressList *list, GMimeParserOptions *options,
                                        const char *str);

static const char *address_domain(bw_arena *a, const char *addr) {
  const char *at = addr ? strrchr(addr, '@') : NULL;
  return at && at[1] ? vb_lower(a, at + 1) : NULL;
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

/*
 * The mailboxes of the headers called name, in order (groups flattened).
 * For the originator and destination headers that is every such header,
 * parsed from the raw value as GMimeMessage does; Delivered-To and
 * X-Original-To are the MTA's, and only the first one is read.
 */
static int read_addresses(bw_arena *a, const bw_view *v, const char *name, bw_address_list *out) {
  InternetAddressList *list = NULL;
  int first_only = strcasecmp(name, "Delivered-To") == 0 || strcasecmp(name, "X-Original-To") == 0;
  for (size_t i = 0; i < v->n_headers; i++) {
    if (strcasecmp(v->headers[i].name, name) != 0) continue;
    if (!list) list = internet_address_list_new();
    internet_address_list_append_parse(list, NULL,
                                       first_only ? v->headers[i].value : v->headers[i].raw);
    if (first_only) break;
  }
  size_t n = 0;
  count_mailboxes(list, &n);
  out->n = 0;
  out->items = n ? bw_arena_calloc(a, n, sizeof(bw_address)) : NULL;
  if (n && out->items) fill_mailboxes(a, list, out);
  if (list) g_object_unref(list);
  return n && !out->items ? BW_ENOMEM : BW_OK;
}

static const char *strip_angles(bw_arena *a, const char *s) {
  if (!s) return NULL;
  while (*s == ' ' || *s == '\t' || *s == '<') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '>')) n--;
  return bw_arena_strndup(a, s, n);
}

/* RFC 3339 when GMime can read the date, else the Date header as written. */
static const char *format_date(bw_arena *a, const bw_view *v) {
  const bw_header *h = last_header(v, "Date");
  GDateTime *dt = h ? g_mime_utils_header_decode_date(h->value) : NULL;
  if (!dt) {
    h = bw_view_header(v, "Date");
    return h ? h->value : NULL;
  }
  gchar *s = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S%:z");
  const char *out = bw_arena_strdup(a, s);
  g_free(s);
  g_date_time_unref(dt);
  return out;
}

static const char *message_id(bw_arena *a, const bw_view *v) {
  const bw_header *h = last_header(v, "Message-Id");
  char *id = h ? g_mime_utils_decode_message_id(h->value) : NULL;
  const char *out = id ? bw_arena_strdup(a, id) : NULL;
  g_free(id);
  return out;
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

int vb_finish_message(view_builder *b, bw_view *v) {
  bw_arena *a = b->arena;
  const bw_header *subject = last_header(v, "Subject");
  v->subject = subject ? subject->value : NULL;
  v->message_id = message_id(a, v);
  v->date = format_date(a, v);
  const bw_header *rp = bw_view_header(v, "Return-Path");
  v->return_path = rp ? strip_angles(a, rp->value) : NULL;
  if (read_addresses(a, v, "From", &v->from) != BW_OK ||
      read_addresses(a, v, "Sender", &v->sender) != BW_OK ||
      read_addresses(a, v, "Reply-To", &v->reply_to) != BW_OK ||
      read_addresses(a, v, "To", &v->to) != BW_OK || read_addresses(a, v, "Cc", &v->cc) != BW_OK ||
      read_addresses(a, v, "Delivered-To", &v->delivered_to) != BW_OK ||
      read_addresses(a, v, "X-Original-To", &v->x_original_to) != BW_OK)
    return BW_ENOMEM;
  return collect_auth_results(b, v);
}

/* ---- parts ------------------------------------------------------------------------ */

bw_part *vb_new_part(view_builder *b, const char *id, int depth) {
  bw_part *p = bw_arena_calloc(b->arena, 1, sizeof(*p));
  if (!p || bw_ptrvec_push(b->arena, &b->parts, p) != 0) return NULL;
  p->id = id;
  p->depth = depth;
  return p;
}

int vb_may_add_part(view_builder *b, const bw_part *parent) {
  if (b->parts.len < b->limits->max_parts) return 1;
  if (!b->parts_limit_reported) {
    bw_findings_limit(b->findings, parent->id, "parts", b->limits->max_parts,
                      "later parts were not read");
    b->parts_limit_reported = 1;
  }
  return 0;
}

int vb_may_descend(view_builder *b, const bw_part *p) {
  if ((size_t)p->depth < b->limits->max_depth) return 1;
  if (!b->depth_limit_reported) {
    bw_findings_limit(b->findings, p->id, "depth", b->limits->max_depth,
                      "deeper parts were not read");
    b->depth_limit_reported = 1;
  }
  return 0;
}

/* Decoding never grows base64/QP/uuencode, so the encoded size bounds the cost up front. */
int vb_may_decode(view_builder *b, const bw_part *p, size_t encoded_len) {
  if (b->decoded_total + encoded_len <= b->limits->max_decoded_bytes) return 1;
  if (!b->decoded_limit_reported) {
    bw_findings_limit(b->findings, p->id, "decoded-bytes", b->limits->max_decoded_bytes,
                      "this and later parts were not decoded");
    b->decoded_limit_reported = 1;
  }
  return 0;
}

static int is_body_text(const bw_part *p) {
  return strcmp(p->content_type, "text/plain") == 0 || strcmp(p->content_type, "text/html") == 0;
}

int vb_is_attachment(const bw_part *p) {
  return (p->disposition && strcmp(p->disposition, "attachment") == 0) || p->filename != NULL ||
         !is_body_text(p);
}

int vb_store_leaf(view_builder *b, bw_part *p, const char *decoded, size_t len) {
  int rc = BW_OK;
  p->raw_len = len;
  b->decoded_total += len;
  p->decoded = 1;
  if (strncmp(p->content_type, "text/", 5) == 0 && !p->is_attachment) {
    rc = bw_decode_text(b->arena, decoded, len, p->charset_declared, &p->data, &p->data_len,
                        &p->charset_used);
  } else {
    p->data = bw_arena_strndup(b->arena, decoded, len);
    p->data_len = len;
    if (!p->data) rc = BW_ENOMEM;
  }
  if (rc == BW_OK && p->is_attachment)
    bw_decode_digests((const unsigned char *)decoded, len, p->md5, p->sha1, p->sha256);
  return rc;
}

static size_t subtree_size(const bw_part *p) {
  size_t n = 1;
  for (size_t i = 0; i < p->n_children; i++) n += subtree_size(p->children[i]);
  return n;
}

void vb_link_embedded(bw_view *v) {
  for (size_t i = 0; i < v->n_parts; i++) {
    bw_part *p = v->parts[i];
    if (!p->embedded || !p->n_children) continue;
    p->embedded->root = p->children[0];
    p->embedded->parts = &v->parts[i + 1];
    p->embedded->n_parts = subtree_size(p) - 1;
  }
}

/* ---- the message ------------------------------------------------------------------ */

int bw_view_build(bw_view *v, const char *msg, size_t len, const bw_limits *limits, bw_arena *arena,
                  bw_findings *findings) {
  return bw_view_build_with(v, msg, len, limits, arena, findings, BW_VIEW_PARSER_ANY);
}

int bw_view_build_with(bw_view *v, const char *msg, size_t len, const bw_limits *limits,
                       bw_arena *arena, bw_findings *findings, bw_view_parser parser) {
  memset(v, 0, sizeof(*v));
  view_builder b = {.view = v, .arena = arena, .findings = findings, .limits = limits};
  bw_entity *root = NULL;
  if (parser != BW_VIEW_PARSER_GMIME) {
    root = bw_entity_parse(arena, msg, len, limits->max_depth);
    if (!root && parser == BW_VIEW_PARSER_ENTITY) return BW_VIEW_DECLINED;
  }
  bw_defects_init(&b.defects, findings, arena);
  int rc = root ? vb_build_from_entity(&b, root) : vb_build_with_gmime(&b, msg, len);
  if (rc == BW_OK && root && bw_defects_structure_suspect(msg, len, v))
    bw_defects_structural_pass(&b.defects, msg, len);
  bw_defects_finish(&b.defects);
  if (findings->oom) rc = BW_ENOMEM;
  return rc;
}
