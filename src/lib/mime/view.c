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
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "mime/address.h"
#include "mime/date.h"
#include "mime/decode.h"
#include "mime/rfc2047.h"
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

/* What one pass over a header value found; the value is decoded accordingly. */
enum { VALUE_8BIT = 1, VALUE_ENCODED_WORD = 2, VALUE_FOLDED = 4 };

/* 8-bit bytes, eight at a time: most values are long ASCII Received and DKIM lines. */
static int has_8bit(const char *s, size_t n) {
  size_t i = 0;
  uint64_t acc = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    acc |= w;
  }
  for (; i < n; i++) acc |= (unsigned char)s[i];
  return (acc & 0x8080808080808080ull) != 0;
}

static unsigned scan_value(const char *s, size_t n) {
  unsigned flags = has_8bit(s, n) ? VALUE_8BIT : 0;
  if (memchr(s, '\n', n) || memchr(s, '\r', n)) flags |= VALUE_FOLDED;
  for (const char *q = s; (q = memchr(q, '?', (size_t)(s + n - q))); q++)
    if (q > s && q[-1] == '=') {
      flags |= VALUE_ENCODED_WORD;
      break;
    }
  return flags;
}

static int is_blank(char c) {
  return c == ' ' || c == '\t';
}

/* Unfolds a header value as g_mime_utils_header_unfold does, into the arena. */
static char *unfold(bw_arena *a, const char *raw, size_t n) {
  while (n && (is_blank(*raw) || *raw == '\r' || *raw == '\n')) raw++, n--;
  while (n && (is_blank(raw[n - 1]) || raw[n - 1] == '\r' || raw[n - 1] == '\n')) n--;
  char *out = bw_arena_alloc(a, n + 1);
  if (!out) return NULL;
  /* Runs between line breaks are copied whole: folded Received headers are long. */
  size_t o = 0, i = 0;
  while (i < n) {
    size_t run = strcspn(raw + i, "\r\n");
    if (run > n - i || raw[i + run] == '\0') run = n - i; /* no CR or LF before the end */
    memcpy(out + o, raw + i, run);
    o += run;
    i += run;
    while (i < n && (raw[i] == '\r' || raw[i] == '\n')) i++;
  }
  out[o] = '\0';
  return out;
}

/*
 * The decoded value of a raw value (NUL-terminated, n bytes). Most headers
 * (Received, DKIM-Signature, ...) are plain ASCII on one line: their value is
 * the raw text after the blanks, without a copy. Folded ones are unfolded
 * here; 8-bit or RFC 2047 values are decoded by rfc2047.c when it can be
 * sure to read them as GMime does, else by GMime's decoder.
 */
static const char *decode_value(view_builder *b, const char *raw, size_t n, unsigned flags,
                                GMimeParserOptions *opts) {
  bw_arena *a = b->arena;
  if (!(flags & (VALUE_8BIT | VALUE_ENCODED_WORD))) {
    if (!(flags & VALUE_FOLDED) && !(n && is_blank(raw[n - 1]))) {
      while (is_blank(*raw)) raw++;
      return raw;
    }
    return unfold(a, raw, n);
  }
  char *unfolded = unfold(a, raw, n);
  if (!unfolded) return NULL;
  const char *plain;
  if (!b->gmime_only && bw_rfc2047_decode_plain(a, unfolded, &plain)) return plain;
  char *value = g_mime_utils_header_decode_text(opts, unfolded);
  const char *out = bw_arena_strdup(a, value ? value : unfolded);
  g_free(value);
  return out;
}

/* GMime decodes a part's Content-* headers without warnings; so does the plain path. */
const char *vb_content_header_value(view_builder *b, const char *raw) {
  size_t n = strlen(raw);
  return decode_value(b, raw, n, scan_value(raw, n), NULL);
}

/*
 * Copies one header: the raw value less the line break that ends it, and
 * the value decoded. Address headers are decoded without the warning
 * options (their syntax is checked on its own, see defects.c); all others
 * with them, so that a broken encoded-word is reported.
 */
static int copy_header(view_builder *b, const bw_raw_header *src, bw_header *dst) {
  size_t n = src->value_len;
  while (n && (src->value[n - 1] == '\n' || src->value[n - 1] == '\r')) n--;
  dst->name = bw_arena_strndup(b->arena, src->name, src->name_len);
  char *raw = bw_arena_strndup(b->arena, src->value, n);
  if (!dst->name || !raw) return BW_ENOMEM;
  unsigned flags = scan_value(raw, n);
  dst->raw = raw;
  dst->has_8bit = (flags & VALUE_8BIT) != 0;
  int address = bw_header_is_address(src->name, src->name_len);
  dst->value = decode_value(b, raw, n, flags, address ? NULL : b->defects.opts);
  return dst->value ? BW_OK : BW_ENOMEM;
}

int vb_copy_headers(view_builder *b, const bw_raw_header *src, size_t n, bw_header **out,
                    size_t *n_out, const char *where) {
  *out = n ? bw_arena_calloc(b->arena, n, sizeof(bw_header)) : NULL;
  *n_out = 0;
  if (n && !*out) return BW_ENOMEM;
  size_t kept = 0;
  for (size_t i = 0; i < n; i++) {
    size_t bytes = src[i].name_len + src[i].value_len + 2;
    if (b->header_bytes + bytes > b->limits->max_header_bytes) {
      if (!b->header_limit_reported) {
        bw_findings_limit(b->findings, where, "header-bytes", b->limits->max_header_bytes,
                          "later headers were not read");
        b->header_limit_reported = 1;
      }
      break;
    }
    b->header_bytes += bytes;
    if (copy_header(b, &src[i], &(*out)[kept++]) != BW_OK) return BW_ENOMEM;
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
 * X-Original-To are the MTA's, and only the first one is read. Plain lists
 * are read by address.c; if any value is not plain, GMime reads them all.
 */
static int read_addresses(view_builder *b, const bw_view *v, const char *name,
                          bw_address_list *out) {
  int first_only = strcasecmp(name, "Delivered-To") == 0 || strcasecmp(name, "X-Original-To") == 0;
  memset(out, 0, sizeof(*out));
  int plain = !b->gmime_only;
  for (size_t i = 0; i < v->n_headers && plain; i++) {
    if (strcasecmp(v->headers[i].name, name) != 0) continue;
    const char *value = first_only ? v->headers[i].value : v->headers[i].raw;
    int rc = bw_addresses_parse_plain(b->arena, value, out);
    if (rc == BW_ENOMEM) return rc;
    plain = rc == BW_OK;
    if (first_only) break;
  }
  if (plain) return BW_OK;
  memset(out, 0, sizeof(*out));
  InternetAddressList *list = NULL;
  for (size_t i = 0; i < v->n_headers; i++) {
    if (strcasecmp(v->headers[i].name, name) != 0) continue;
    if (!list) list = internet_address_list_new();
    internet_address_list_append_parse(list, NULL,
                                       first_only ? v->headers[i].value : v->headers[i].raw);
    if (first_only) break;
  }
  size_t n = 0;
  count_mailboxes(list, &n);
  out->items = n ? bw_arena_calloc(b->arena, n, sizeof(bw_address)) : NULL;
  if (n && out->items) fill_mailboxes(b->arena, list, out);
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

/* RFC 3339 when the date can be read (date.c, else GMime), else the Date header as written. */
static const char *format_date(view_builder *b, const bw_view *v) {
  bw_arena *a = b->arena;
  const bw_header *h = last_header(v, "Date");
  char plain[32];
  if (h && !b->gmime_only && bw_date_rfc3339_plain(h->value, plain))
    return bw_arena_strdup(a, plain);
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
  v->date = format_date(b, v);
  const bw_header *rp = bw_view_header(v, "Return-Path");
  v->return_path = rp ? strip_angles(a, rp->value) : NULL;
  if (read_addresses(b, v, "From", &v->from) != BW_OK ||
      read_addresses(b, v, "Sender", &v->sender) != BW_OK ||
      read_addresses(b, v, "Reply-To", &v->reply_to) != BW_OK ||
      read_addresses(b, v, "To", &v->to) != BW_OK || read_addresses(b, v, "Cc", &v->cc) != BW_OK ||
      read_addresses(b, v, "Delivered-To", &v->delivered_to) != BW_OK ||
      read_addresses(b, v, "X-Original-To", &v->x_original_to) != BW_OK)
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
  view_builder b = {.view = v,
                    .arena = arena,
                    .findings = findings,
                    .limits = limits,
                    .gmime_only = parser == BW_VIEW_PARSER_GMIME};
  bw_entity *root = NULL;
  if (parser != BW_VIEW_PARSER_GMIME) {
    root = bw_entity_parse(arena, msg, len, limits->max_depth);
    if (!root && parser == BW_VIEW_PARSER_ENTITY) return BW_VIEW_DECLINED;
  }
  bw_defects_init(&b.defects, findings, arena);
  b.defects.gmime_only = b.gmime_only;
  int rc = root ? vb_build_from_entity(&b, root) : vb_build_with_gmime(&b, msg, len);
  if (rc == BW_OK && root && bw_defects_structure_suspect(msg, len, v))
    bw_defects_structural_pass(&b.defects, msg, len);
  bw_defects_finish(&b.defects);
  if (findings->oom) rc = BW_ENOMEM;
  return rc;
}
