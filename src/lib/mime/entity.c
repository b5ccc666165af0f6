/*
 * entity.c - the MIME structure of a well-formed message (see entity.h).
 *
 * A message is cut into regions: the header block up to its blank line, the
 * body, and for a multipart the parts between its delimiter lines. A region
 * ends either at the end of the input or at a delimiter line of an enclosing
 * multipart; GMime then gives the line break before that delimiter to the
 * delimiter ("the last \r\n belongs to the boundary"), one byte or two
 * depending on whether the delimiter line itself ends in CRLF, and so does
 * this parser. Every rule here either matches gmime-parser.c exactly or
 * declines the message.
 */
#include "mime/entity.h"

#include <string.h>
#include <strings.h>

/* Longest boundary this parser accepts; RFC 2046 allows 70 characters. */
enum { MAX_BOUNDARY = 200 };

typedef struct region {
  const char *start, *end;
  /* Bytes of a leaf's content that belong to the delimiter line ending the
     region: 0 at the end of the input, else 1 ("\n") or 2 ("\r\n"). */
  size_t trim;
} region;

typedef struct parser {
  bw_arena *arena;
  const char *msg; /* header offsets count from here */
  size_t max_depth;
} parser;

static bw_entity *parse_entity(parser *p, region r, int is_message_root, int in_digest,
                               size_t depth);

static int lower(int c) {
  return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int equals_ci(const char *s, size_t n, const char *lit) {
  size_t m = strlen(lit);
  if (n != m) return 0;
  for (size_t i = 0; i < n; i++)
    if (lower((unsigned char)s[i]) != lit[i]) return 0;
  return 1;
}

static int is_lwsp(int c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* RFC 2045 token characters, as GMime's is_ttoken: printable ASCII less tspecials. */
static int is_ttoken(int c) {
  return c > ' ' && c < 0x7f && !strchr("()<>@,;:\\\"/[]?=", c);
}

int bw_header_is_single_instance(const char *name, size_t len) {
  static const char *const single[] = {"bcc",         "cc",         "date",       "from",
                                       "in-reply-to", "message-id", "references", "reply-to",
                                       "sender",      "subject",    "to"};
  if (len >= 8 && equals_ci(name, 8, "content-")) return 1;
  /* Most headers (Received, X-*, DKIM-Signature) are rejected on length or first letter. */
  if (len < 2 || len > 11 || !strchr("bcdfimrst", lower((unsigned char)name[0]))) return 0;
  for (size_t i = 0; i < sizeof(single) / sizeof(single[0]); i++)
    if (equals_ci(name, len, single[i])) return 1;
  return 0;
}

int bw_header_is_address(const char *name, size_t len) {
  switch (len) {
  case 2:
    return equals_ci(name, len, "to") || equals_ci(name, len, "cc");
  case 3:
    return equals_ci(name, len, "bcc");
  case 4:
    return equals_ci(name, len, "from");
  case 6:
    return equals_ci(name, len, "sender");
  case 8:
    return equals_ci(name, len, "reply-to");
  default:
    return 0;
  }
}

/* ---- header block ------------------------------------------------------------- */

static int push_header(parser *p, bw_entity *e, size_t *cap, bw_raw_header h) {
  if (e->n_headers == *cap) {
    size_t ncap = *cap ? *cap * 2 : 16;
    bw_raw_header *grown = bw_arena_alloc(p->arena, ncap * sizeof(*grown));
    if (!grown) return 0;
    if (e->n_headers) memcpy(grown, e->headers, e->n_headers * sizeof(*grown));
    e->headers = grown;
    *cap = ncap;
  }
  e->headers[e->n_headers++] = h;
  return 1;
}

/* The field name of a header line, or 0 when GMime would not read the line as a header. */
static size_t field_name_length(const char *line, const char *eol) {
  const char *q = line;
  while (q<eol && * q> ' ' && *q < 0x7f && *q != ':') q++;
  size_t n = (size_t)(q - line);
  while (q < eol && (*q == ' ' || *q == '\t')) q++;
  return n && q < eol && *q == ':' ? n : 0;
}

/* The Content-* headers whose value decides what a part is. */
static int is_field_header(const bw_raw_header *h) {
  static const char *const fields[] = {"content-type", "content-transfer-encoding",
                                       "content-disposition", "content-id", "content-location"};
  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
    if (equals_ci(h->name, h->name_len, fields[i])) return 1;
  return 0;
}

/*
 * Two Content-Types (or encodings, ...) in one header block: GMime takes
 * one for the structure and another for the object, so decline. Other
 * repeats are reported by the defect checks on either path.
 */
static int has_repeated_field(const bw_entity *e) {
  for (size_t i = 1; i < e->n_headers; i++) {
    const bw_raw_header *h = &e->headers[i];
    if (!is_field_header(h)) continue;
    for (size_t j = 0; j < i; j++)
      if (e->headers[j].name_len == h->name_len &&
          strncasecmp(e->headers[j].name, h->name, h->name_len) == 0)
        return 1;
  }
  return 0;
}

/*
 * Reads the header block at the start of r into e. Returns the first byte of
 * the body, or NULL to decline: a line that is not a header or a fold, a NUL
 * or a bare CR, or no blank line before the region ends.
 */
static const char *parse_headers(parser *p, bw_entity *e, region r) {
  size_t cap = 0;
  const char *s = r.start;
  while (s < r.end) {
    const char *nl = memchr(s, '\n', (size_t)(r.end - s));
    if (!nl) return NULL;
    const char *eol = nl > s && nl[-1] == '\r' ? nl - 1 : nl;
    if (memchr(s, '\0', (size_t)(eol - s)) || memchr(s, '\r', (size_t)(eol - s))) return NULL;
    if (eol == s) return has_repeated_field(e) ? NULL : nl + 1;
    if (*s == ' ' || *s == '\t') {
      if (!e->n_headers) return NULL;
      bw_raw_header *h = &e->headers[e->n_headers - 1];
      h->value_len = (size_t)(nl + 1 - h->value);
    } else {
      size_t n = field_name_length(s, eol);
      if (!n) return NULL;
      const char *colon = memchr(s + n, ':', (size_t)(eol - s - n));
      bw_raw_header h = {s, n, colon + 1, (size_t)(nl + 1 - (colon + 1)), (long long)(s - p->msg)};
      if (!push_header(p, e, &cap, h)) return NULL;
    }
    s = nl + 1;
  }
  return NULL;
}

static const bw_raw_header *find_header(const bw_entity *e, const char *name) {
  for (size_t i = 0; i < e->n_headers; i++)
    if (equals_ci(e->headers[i].name, e->headers[i].name_len, name)) return &e->headers[i];
  return NULL;
}

/* ---- Content-Type ----------------------------------------------------------------- */

static const char *skip_lwsp(const char *s, const char *end) {
  while (s < end && is_lwsp((unsigned char)*s)) s++;
  return s;
}

static const char *scan_token(const char *s, const char *end) {
  while (s < end && is_ttoken((unsigned char)*s)) s++;
  return s;
}

/*
 * One parameter value as GMime's loose mode reads it: a quoted string, or
 * everything up to the next ';' less trailing white space. Values this parser
 * cannot be sure to read the same (escapes, folds inside quotes, an
 * unterminated quote, white space inside a bare value) return NULL.
 */
static const char *scan_value(const char *s, const char *end, const char **v, size_t *n) {
  if (s < end && *s == '"') {
    const char *close = s + 1;
    while (close < end && *close != '"') {
      if (*close == '\\' || *close == '\r' || *close == '\n') return NULL;
      close++;
    }
    if (close == end) return NULL;
    *v = s + 1;
    *n = (size_t)(close - s - 1);
    return close + 1;
  }
  const char *stop = memchr(s, ';', (size_t)(end - s));
  if (!stop) stop = end;
  const char *last = stop;
  while (last > s && is_lwsp((unsigned char)last[-1])) last--;
  /* GMime drops an empty bare value and may misread what follows it. */
  if (last == s) return NULL;
  for (const char *q = s; q < last; q++)
    if (is_lwsp((unsigned char)*q) || *q == '"') return NULL;
  *v = s;
  *n = (size_t)(last - s);
  return stop;
}

/*
 * Reads a Content-Type value of the simple form `type/subtype; name=value ...`
 * (ASCII, no comments, escapes or RFC 2231 continuations, no parameter named
 * twice). Returns 0 for anything else, and the message goes to GMime.
 */
static int parse_content_type(const bw_raw_header *h, bw_content_type *ct) {
  const char *s = h->value, *end = h->value + h->value_len;
  for (const char *q = s; q < end; q++)
    if ((unsigned char)*q >= 0x80 || *q == '(' || *q == '\\') return 0;
  s = skip_lwsp(s, end);
  ct->type = s;
  s = scan_token(s, end);
  ct->type_len = (size_t)(s - ct->type);
  if (!ct->type_len || s == end || *s != '/') return 0;
  ct->subtype = ++s;
  s = scan_token(s, end);
  ct->subtype_len = (size_t)(s - ct->subtype);
  if (!ct->subtype_len) return 0;
  const char *seen[8];
  size_t seen_len[8], n_seen = 0;
  for (;;) {
    s = skip_lwsp(s, end);
    if (s == end) return 1;
    if (*s != ';') return 0;
    s = skip_lwsp(s + 1, end);
    if (s == end) return 1;
    const char *name = s;
    s = scan_token(s, end);
    size_t name_len = (size_t)(s - name);
    if (!name_len || memchr(name, '*', name_len)) return 0;
    s = skip_lwsp(s, end);
    if (s == end || *s != '=') return 0;
    const char *value;
    size_t value_len;
    s = scan_value(skip_lwsp(s + 1, end), end, &value, &value_len);
    if (!s || n_seen == 8) return 0;
    for (size_t i = 0; i < n_seen; i++)
      if (seen_len[i] == name_len && strncasecmp(seen[i], name, name_len) == 0) return 0;
    seen[n_seen] = name;
    seen_len[n_seen++] = name_len;
    if (memmem(value, value_len, "=?", 2)) ct->encoded_words = 1;
    if (equals_ci(name, name_len, "boundary")) {
      ct->boundary = value;
      ct->boundary_len = value_len;
    } else if (equals_ci(name, name_len, "charset")) {
      ct->charset = value;
      ct->charset_len = value_len;
    } else if (equals_ci(name, name_len, "name")) {
      ct->name = value;
      ct->name_len = value_len;
    }
  }
}

/* The encodings under which GMime parses a message/rfc822 body as a message. */
static int is_identity_encoding(const bw_raw_header *cte) {
  if (!cte) return 1;
  const char *s = skip_lwsp(cte->value, cte->value + cte->value_len);
  const char *end = s;
  while (end < cte->value + cte->value_len && !is_lwsp((unsigned char)*end)) end++;
  size_t n = (size_t)(end - s);
  return equals_ci(s, n, "7bit") || equals_ci(s, n, "8bit") || equals_ci(s, n, "binary");
}

/* uuencoded content needs GMime's search for the begin line; any "uu" in the encoding declines. */
static int is_uuencoded(const bw_entity *e) {
  const bw_raw_header *cte = find_header(e, "content-transfer-encoding");
  for (size_t i = 0; cte && i + 1 < cte->value_len; i++)
    if (lower((unsigned char)cte->value[i]) == 'u' &&
        lower((unsigned char)cte->value[i + 1]) == 'u')
      return 1;
  return 0;
}

/*
 * The entity's kind, or -1 to decline: message/ types other than a plain
 * rfc822, a multipart without a usable boundary, uuencoded content.
 */
static int classify(const bw_entity *e, bw_content_type *ct) {
  memset(ct, 0, sizeof(*ct));
  const bw_raw_header *h = find_header(e, "content-type");
  if (h && !parse_content_type(h, ct)) return -1;
  if (!h && e->in_digest)
    ct->type = "message", ct->type_len = 7, ct->subtype = "rfc822", ct->subtype_len = 6;
  if (!ct->type) return is_uuencoded(e) ? -1 : BW_ENTITY_LEAF; /* text/plain */
  if (equals_ci(ct->type, ct->type_len, "multipart")) {
    if (!ct->boundary || !ct->boundary_len || ct->boundary_len > MAX_BOUNDARY) return -1;
    return BW_ENTITY_MULTIPART;
  }
  if (equals_ci(ct->type, ct->type_len, "message")) {
    if (!equals_ci(ct->subtype, ct->subtype_len, "rfc822")) return -1;
    return is_identity_encoding(find_header(e, "content-transfer-encoding")) ? BW_ENTITY_MESSAGE
                                                                             : -1;
  }
  return is_uuencoded(e) ? -1 : BW_ENTITY_LEAF;
}

/* ---- multipart bodies -------------------------------------------------------------- */

typedef enum { LINE_TEXT, LINE_DELIMITER, LINE_CLOSE } line_kind;

/* GMime's is_boundary: the line (less one trailing CR) is the marker plus white space only. */
static int matches(const char *line, size_t len, const char *marker, size_t mlen) {
  if (len < mlen || memcmp(line, marker, mlen) != 0) return 0;
  for (size_t i = mlen; i < len; i++)
    if (!is_lwsp((unsigned char)line[i])) return 0;
  return 1;
}

static line_kind delimiter_kind(const char *line, size_t len, const bw_content_type *ct) {
  if (len > 0 && line[len - 1] == '\r') len--;
  if (len < ct->boundary_len + 2 || line[0] != '-' || line[1] != '-' ||
      memcmp(line + 2, ct->boundary, ct->boundary_len) != 0)
    return LINE_TEXT;
  /* As GMime: the closing form is tried first, then the plain one. */
  size_t at = ct->boundary_len + 2;
  if (len >= at + 2 && line[at] == '-' && line[at + 1] == '-' &&
      matches(line + at + 2, len - at - 2, "", 0))
    return LINE_CLOSE;
  return matches(line + at, len - at, "", 0) ? LINE_DELIMITER : LINE_TEXT;
}

/* Bytes before a delimiter line that GMime gives to it: 2 when the line ends in CRLF. */
static size_t delimiter_trim(const char *line, const char *eol) {
  return eol > line && eol[-1] == '\r' ? 2 : 1;
}

static int add_child(parser *p, bw_entity *e, size_t *cap, bw_entity *child) {
  if (e->n_children == *cap) {
    size_t ncap = *cap ? *cap * 2 : 4;
    bw_entity **grown = bw_arena_alloc(p->arena, ncap * sizeof(*grown));
    if (!grown) return 0;
    if (e->n_children) memcpy(grown, e->children, e->n_children * sizeof(*grown));
    e->children = grown;
    *cap = ncap;
  }
  e->children[e->n_children++] = child;
  return 1;
}

/*
 * Splits a multipart body at its delimiter lines. Declines unless the body
 * has at least one part and its closing delimiter; whatever follows the
 * closing delimiter is the epilogue, which the view does not keep.
 */
static int parse_multipart(parser *p, bw_entity *e, const bw_content_type *ct, region body,
                           size_t depth) {
  size_t cap = 0;
  const char *part_start = NULL;
  const char *s = body.start;
  while (s < body.end) {
    const char *nl = memchr(s, '\n', (size_t)(body.end - s));
    const char *eol = nl ? nl : body.end;
    line_kind kind = delimiter_kind(s, (size_t)(eol - s), ct);
    if (kind != LINE_TEXT) {
      if (part_start) {
        region r = {part_start, s, delimiter_trim(s, eol)};
        int digest = equals_ci(ct->subtype, ct->subtype_len, "digest");
        bw_entity *child = parse_entity(p, r, 0, digest, depth + 1);
        if (!child || !add_child(p, e, &cap, child)) return 0;
      }
      if (kind == LINE_CLOSE) return e->n_children > 0;
      if (!nl) return 0;
      part_start = nl + 1;
    }
    if (!nl) break;
    s = nl + 1;
  }
  return 0;
}

/* ---- entities ------------------------------------------------------------------------ */

static bw_entity *parse_entity(parser *p, region r, int is_message_root, int in_digest,
                               size_t depth) {
  if (depth > p->max_depth) return NULL;
  bw_entity *e = bw_arena_calloc(p->arena, 1, sizeof(*e));
  if (!e) return NULL;
  e->is_message_root = is_message_root;
  e->in_digest = in_digest;
  const char *body = parse_headers(p, e, r);
  if (!body) return NULL;
  int kind = classify(e, &e->ct);
  if (kind < 0) return NULL;
  e->kind = (bw_entity_kind)kind;
  region rest = {body, r.end, r.trim};
  if (kind == BW_ENTITY_MULTIPART) return parse_multipart(p, e, &e->ct, rest, depth) ? e : NULL;
  if (kind == BW_ENTITY_MESSAGE) {
    bw_entity *inner = parse_entity(p, rest, 1, 0, depth + 1);
    if (!inner) return NULL;
    e->children = bw_arena_alloc(p->arena, sizeof(*e->children));
    if (!e->children) return NULL;
    e->children[0] = inner;
    e->n_children = 1;
    return e;
  }
  e->body = body;
  e->body_len = (size_t)(r.end - body);
  if (e->body_len) {
    /* GMime would cut into the content itself here; leave such a part to it. */
    if (e->body_len < r.trim) return NULL;
    e->body_len -= r.trim;
  }
  return e;
}

bw_entity *bw_entity_parse(bw_arena *arena, const char *msg, size_t len, size_t max_depth) {
  /* An mbox From line before the headers is skipped by GMime as a marker; leave it to GMime. */
  if (len >= 5 && memcmp(msg, "From ", 5) == 0) return NULL;
  parser p = {arena, msg, max_depth};
  region all = {msg, msg + len, 0};
  return parse_entity(&p, all, 1, 0, 0);
}
