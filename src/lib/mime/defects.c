/*
 * defects.c - finding malformed structure cheaply (see defects.h).
 */
#include "mime/defects.h"

#include "mime/address.h"
#include "mime/entity.h"

#include <stdio.h>
#include <string.h>

/* Past this many parse_defect findings further defects are only counted. */
enum { MAX_DEFECT_FINDINGS = 32 };

static const char *defect_name(int code) {
  switch (code) {
  case GMIME_WARN_DUPLICATED_HEADER:
    return "duplicated_header";
  case GMIME_WARN_DUPLICATED_PARAMETER:
    return "duplicated_parameter";
  case GMIME_WARN_UNENCODED_8BIT_HEADER:
    return "unencoded_8bit_header";
  case GMIME_WARN_INVALID_CONTENT_TYPE:
    return "invalid_content_type";
  case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
    return "invalid_rfc2047_header_value";
  case GMIME_WARN_MALFORMED_MULTIPART:
    return "malformed_multipart";
  case GMIME_WARN_TRUNCATED_MESSAGE:
    return "truncated_message";
  case GMIME_WARN_MALFORMED_MESSAGE:
    return "malformed_message";
  case GMIME_CRIT_INVALID_HEADER_NAME:
    return "invalid_header_name";
  case GMIME_CRIT_CONFLICTING_HEADER:
    return "conflicting_header";
  case GMIME_CRIT_CONFLICTING_PARAMETER:
    return "conflicting_parameter";
  case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
    return "multipart_without_boundary";
  case GMIME_WARN_INVALID_PARAMETER:
    return "invalid_parameter";
  case GMIME_WARN_INVALID_ADDRESS_LIST:
    return "invalid_address_list";
  case GMIME_CRIT_NESTING_OVERFLOW:
    return "nesting_overflow";
  case GMIME_WARN_PART_WITHOUT_CONTENT:
    return "part_without_content";
  case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
    return "part_without_headers_or_content";
  }
  return "unknown_defect";
}

/* GMime's CRIT_* codes mean parts of the input may be read differently by other software. */
static bw_severity defect_severity(int code) {
  switch (code) {
  case GMIME_CRIT_INVALID_HEADER_NAME:
  case GMIME_CRIT_CONFLICTING_HEADER:
  case GMIME_CRIT_CONFLICTING_PARAMETER:
  case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
  case GMIME_CRIT_NESTING_OVERFLOW:
  case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
    return BW_SEVERITY_MEDIUM;
  default:
    return BW_SEVERITY_LOW;
  }
}

/* The kinds the header-level checks already cover; the structural pass leaves them out. */
static int is_header_level(int code) {
  switch (code) {
  case GMIME_WARN_DUPLICATED_HEADER:
  case GMIME_CRIT_CONFLICTING_HEADER:
  case GMIME_WARN_UNENCODED_8BIT_HEADER:
  case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
  case GMIME_WARN_INVALID_CONTENT_TYPE:
  case GMIME_WARN_INVALID_PARAMETER:
  case GMIME_WARN_DUPLICATED_PARAMETER:
  case GMIME_CRIT_CONFLICTING_PARAMETER:
  case GMIME_WARN_INVALID_ADDRESS_LIST:
    return 1;
  default:
    return 0;
  }
}

void bw_defects_report(bw_defects *d, int code, gint64 offset, const char *item) {
  if (d->structural_pass && is_header_level(code)) return;
  d->count++;
  if (d->count > MAX_DEFECT_FINDINGS) return;
  const char *name = defect_name(code);
  bw_finding *f = bw_findings_add(d->findings, "parse_defect", "mime", defect_severity(code), NULL,
                                  "MIME parser: %s", name);
  bw_finding_add_evidence(d->findings, f, "defect", name);
  if (offset >= 0) {
    char num[32];
    snprintf(num, sizeof(num), "%lld", (long long)offset);
    bw_finding_add_evidence(d->findings, f, "offset", num);
  }
  if (item) {
    /* Items can be whole header values; evidence needs only enough to recognise it. */
    char *excerpt = bw_arena_strndup(d->arena, item, strnlen(item, 200));
    bw_finding_add_evidence(d->findings, f, "item", excerpt);
  }
}

static void on_warning(gint64 offset, GMimeParserWarning code, const gchar *item,
                       gpointer user_data) {
  bw_defects_report(user_data, (int)code, offset, item);
}

void bw_defects_init(bw_defects *d, bw_findings *findings, bw_arena *arena) {
  memset(d, 0, sizeof(*d));
  d->findings = findings;
  d->arena = arena;
  d->opts = g_mime_parser_options_new();
  g_mime_parser_options_set_warning_callback(d->opts, on_warning, d);
}

void bw_defects_finish(bw_defects *d) {
  if (d->count > MAX_DEFECT_FINDINGS)
    bw_findings_add(d->findings, "parse_defect", "mime", BW_SEVERITY_LOW, NULL,
                    "%zu further MIME parser defects not listed", d->count - MAX_DEFECT_FINDINGS);
  g_mime_parser_options_free(d->opts);
  d->opts = NULL;
}

/* ---- header-level checks ----------------------------------------------------- */

static void check_repeated(bw_defects *d, const bw_header *headers, size_t i) {
  const bw_header *h = &headers[i];
  if (!bw_header_is_single_instance(h->name, strlen(h->name))) return;
  for (size_t j = 0; j < i; j++) {
    if (g_ascii_strcasecmp(headers[j].name, h->name) != 0) continue;
    int same = strcmp(headers[j].raw, h->raw) == 0;
    bw_defects_report(d, same ? GMIME_WARN_DUPLICATED_HEADER : GMIME_CRIT_CONFLICTING_HEADER, -1,
                      h->name);
    return;
  }
}

static int has_8bit(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s >= 0x80) return 1;
  return 0;
}

/*
 * Plain "Name <a@b>" and "a@b" need no second parse; anything with quotes,
 * comments, groups, encoded-words, several addresses or unbalanced brackets
 * is parsed again with the warning options to report what GMime repairs.
 */
static int address_syntax_unusual(const char *raw) {
  int at = 0, lt = 0, gt = 0;
  for (const char *p = raw; *p; p++) {
    switch (*p) {
    case '"':
    case '(':
    case ')':
    case ':':
    case ';':
    case ',':
    case '\\':
      return 1;
    case '=':
      if (p[1] == '?') return 1;
      break;
    case '@':
      at++;
      break;
    case '<':
      lt++;
      break;
    case '>':
      gt++;
      break;
    default:
      if ((unsigned char)*p >= 0x80) return 1;
    }
  }
  return at != 1 || lt != gt || lt > 1;
}

void bw_defects_check_headers(bw_defects *d, const bw_header *headers, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const bw_header *h = &headers[i];
    if ((h->has_8bit && !g_utf8_validate(h->raw, -1, NULL)) || has_8bit(h->name))
      bw_defects_report(d, GMIME_WARN_UNENCODED_8BIT_HEADER, -1, h->name);
    check_repeated(d, headers, i);
    if (bw_header_is_address(h->name, strlen(h->name)) && address_syntax_unusual(h->raw) &&
        (d->gmime_only || !bw_addresses_are_plain(h->raw))) {
      InternetAddressList *list = internet_address_list_parse(d->opts, h->raw);
      if (list) g_object_unref(list);
    }
  }
}

/*
 * A parameter list with plain ASCII values, balanced quotes and no repeated
 * parameter name has nothing for GMime to warn about; only others are parsed
 * again with the warning options.
 */
static int params_unusual(const char *value) {
  const char *names[16];
  size_t lens[16], n = 0;
  int quotes = 0;
  for (const char *p = value; *p; p++) {
    if ((unsigned char)*p >= 0x80 || *p == '\\' || *p == '*') return 1;
    quotes += *p == '"';
    if (*p != ';' || (quotes & 1)) continue;
    const char *name = p + 1;
    while (*name == ' ' || *name == '\t' || *name == '\r' || *name == '\n') name++;
    size_t len = strcspn(name, "= \t;");
    if (n == 16) return 1;
    for (size_t i = 0; i < n; i++)
      if (lens[i] == len && g_ascii_strncasecmp(names[i], name, len) == 0) return 1;
    names[n] = name;
    lens[n++] = len;
  }
  return (quotes & 1) || !strchr(value, '/');
}

void bw_defects_check_repeats(bw_defects *d, const bw_raw_header *h, size_t n) {
  for (size_t i = 1; i < n; i++) {
    if (!bw_header_is_single_instance(h[i].name, h[i].name_len)) continue;
    for (size_t j = 0; j < i; j++) {
      if (h[j].name_len != h[i].name_len ||
          g_ascii_strncasecmp(h[j].name, h[i].name, h[i].name_len))
        continue;
      int same =
          h[j].value_len == h[i].value_len && memcmp(h[j].value, h[i].value, h[i].value_len) == 0;
      bw_defects_report(d, same ? GMIME_WARN_DUPLICATED_HEADER : GMIME_CRIT_CONFLICTING_HEADER,
                        h[i].offset, bw_arena_strndup(d->arena, h[i].name, h[i].name_len));
      break;
    }
  }
}

void bw_defects_check_params(bw_defects *d, const char *content_type, const char *disposition) {
  if (content_type && params_unusual(content_type)) {
    GMimeContentType *parsed = g_mime_content_type_parse(d->opts, content_type);
    if (parsed) g_object_unref(parsed);
  }
  if (disposition && params_unusual(disposition)) {
    GMimeContentDisposition *parsed = g_mime_content_disposition_parse(d->opts, disposition);
    if (parsed) g_object_unref(parsed);
  }
}

/* ---- structure -------------------------------------------------------------------- */

static int is_header_line(const char *p, const char *eol) {
  if (p < eol && (*p == ' ' || *p == '\t')) return 1; /* continuation */
  const char *q = p;
  while (q<eol && * q> ' ' && *q < 0x7f && *q != ':') q++;
  while (q < eol && (*q == ' ' || *q == '\t')) q++;
  return q > p && q < eol && *q == ':';
}

/* A top-level header line GMime would drop or stop at (the most common evasion). */
static int bad_top_header_line(const char *msg, size_t len) {
  const char *p = msg, *end = msg + len;
  int first = 1;
  while (p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol) eol = end;
    const char *line_end = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
    if (line_end == p) return 0; /* the blank line ending the headers */
    if (!(first && line_end - p >= 5 && memcmp(p, "From ", 5) == 0) && !is_header_line(p, line_end))
      return 1;
    first = 0;
    p = eol + 1;
  }
  return 1; /* no end of headers: truncated */
}

/* A multipart with no parts, or whose closing delimiter is missing from the raw bytes. */
static int bad_multipart(const char *msg, size_t len, const bw_part *p) {
  if (p->is_message) return p->n_children == 0;
  if (!p->is_multipart) return 0;
  if (p->n_children == 0 || !p->boundary) return 1;
  char close[256];
  int n = snprintf(close, sizeof(close), "--%s--", p->boundary);
  if (n < 0 || (size_t)n >= sizeof(close)) return 1;
  return memmem(msg, len, close, (size_t)n) == NULL;
}

int bw_defects_structure_suspect(const char *msg, size_t len, const bw_view *v) {
  if (bad_top_header_line(msg, len)) return 1;
  for (size_t i = 0; i < v->n_parts; i++)
    if (bad_multipart(msg, len, v->parts[i])) return 1;
  return 0;
}

void bw_defects_structural_pass(bw_defects *d, const char *msg, size_t len) {
  d->structural_pass = 1;
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer(msg, len);
  GMimeParser *parser = g_mime_parser_new_with_stream(stream);
  g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
  GMimeMessage *m = g_mime_parser_construct_message(parser, d->opts);
  if (m) g_object_unref(m);
  g_object_unref(parser);
  g_object_unref(stream);
  d->structural_pass = 0;
}
