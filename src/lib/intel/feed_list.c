/*
 * feed_list.c - plain indicator lists, CSV and maltrail trail files.
 *
 * One indicator per line, its type inferred (hash by length, URL, e-mail,
 * IP or CIDR, else domain), optionally followed by a comment after white
 * space, ';' or ','. A "host:port" or "ip:port" loses the port. Lines
 * starting with '#' are comments; maltrail's "# Reference: URL" lines become
 * the references of the indicators that follow and "# Aliases: a, b" names
 * the actor, as does the file name (apt_judgmentpanda.txt). A comment that
 * starts with an actor's name (signature-base's "BRONZE VINEWOOD report ...")
 * attributes its line. A CSV whose first line is a header with a column named
 * "...value" (MISP and CERT-FR exports) is read by column: the last non-empty
 * "...value" column, the last non-empty "...type" column (MISP type names),
 * and any misp-galaxy:threat-actor tags in the row.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel/actors.h"
#include "intel/builder.h"
#include "util/error.h"

enum { MAX_LINE = 65536, MAX_FIELDS = 256, MAX_REFS = 4096 };

typedef struct list_state {
  bw_intel_builder *b;
  const char *feed;
  bw_intel_report *report;
  bw_intel_names file_actors;
  char refs[MAX_REFS];
  size_t refs_len;
  int refs_used; /* indicators were read since the last reference line */
  int seen_data; /* a line other than a comment was read */
  int csv;       /* the first such line was a CSV header */
  char headers[MAX_FIELDS][64];
  size_t n_headers;
  size_t lineno;
} list_state;

static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1])) s[--n] = 0;
  return s;
}

/* The actor named by the file name: "apt_judgmentpanda.txt" -> Judgment Panda. */
static void actor_from_file_name(list_state *st) {
  char name[256];
  snprintf(name, sizeof(name), "%s", st->feed);
  char *dot = strrchr(name, '.');
  if (dot) *dot = 0;
  char first[256]; /* "apt31_ips" -> "apt31" */
  snprintf(first, sizeof(first), "%.*s", (int)strcspn(name, "_-. "), name);
  const char *candidates[] = {
      name, strncmp(name, "apt_", 4) == 0 || strncmp(name, "apt-", 4) == 0 ? name + 4 : name,
      first};
  for (size_t i = 0; i < 3; i++) {
    if (bw_actor_find(candidates[i])) {
      bw_intel_names_add(&st->file_actors, "actor", candidates[i]);
      return;
    }
  }
}

static void add_reference(list_state *st, const char *ref) {
  if (st->refs_used) st->refs_len = 0, st->refs[0] = 0, st->refs_used = 0;
  size_t n = strlen(ref);
  if (st->refs_len + n + 2 > sizeof(st->refs)) return;
  if (st->refs_len) st->refs[st->refs_len++] = '\n';
  memcpy(st->refs + st->refs_len, ref, n + 1);
  st->refs_len += n;
}

static void comment_line(list_state *st, char *text) {
  text = trim(text + 1);
  if (strncasecmp(text, "reference:", 10) == 0) {
    add_reference(st, trim(text + 10));
  } else if (strncasecmp(text, "aliases:", 8) == 0 && !st->file_actors.len) {
    for (char *save = NULL, *tok = strtok_r(text + 8, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
      if (bw_actor_find(trim(tok))) {
        bw_intel_names_add(&st->file_actors, "actor", trim(tok));
        return;
      }
    }
  }
}

/* A comment starting with an actor's name (up to three words) attributes the line. */
static void actor_from_comment(bw_intel_names *names, const char *comment) {
  char words[256];
  snprintf(words, sizeof(words), "%s", comment);
  for (int n = 3; n >= 1; n--) {
    char *end = words;
    for (int w = 0; w < n && *end; w++) {
      end += strspn(end, " ");
      end += strcspn(end, " ,;-");
    }
    char save = *end;
    *end = 0;
    if (*words && bw_actor_find(words)) {
      bw_intel_names_add(names, "actor", words);
      return;
    }
    *end = save;
  }
}

/* Drops ":port" from "host:port", "a.b.c.d:port" and "[v6]:port". */
static void strip_port(char *v) {
  if (strstr(v, "://")) return;
  char *colon = strrchr(v, ':');
  if (!colon || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1)) return;
  if (v[0] == '[' && colon > v && colon[-1] == ']')
    *colon = 0;
  else if (strchr(v, ':') == colon)
    *colon = 0;
}

static void add_indicator(list_state *st, bw_ioc_type type, char *value, const char *comment,
                          const bw_intel_names *base, int *rc) {
  bw_intel_names names;
  if (comment && *comment) { /* copied only when the comment may name an actor */
    names = *base;
    actor_from_comment(&names, comment);
    base = &names;
  }
  strip_port(value);
  st->refs_used = 1;
  char item[512];
  snprintf(item, sizeof(item), "%s:%zu: %.400s", st->feed, st->lineno, value);
  if (value[0] == '/') {
    bw_intel_report_skip(st->report, item, "a URL path without a host cannot be matched");
    return;
  }
  bw_intel_source src = {
      .feed = st->feed, .label = comment, .refs = st->refs, .actors = base->text};
  if (type || !memchr(value, '/', strlen(value)) || strstr(value, "://")) {
    *rc = bw_intel_builder_add_value(st->b, type, value, strlen(value), &src, st->report, item);
    return;
  }
  char url[BW_INTEL_MAX_KEY + 16]; /* maltrail's "host/path" trails: a URL without its scheme */
  if (strlen(value) >= BW_INTEL_MAX_KEY) {
    bw_intel_report_skip(st->report, item, "value longer than the index key limit (2047 bytes)");
    return;
  }
  snprintf(url, sizeof(url), "http://%s", value);
  bw_ioc_type inferred = bw_intel_infer_type(value, strlen(value));
  const char *v = inferred == BW_IOC_URL ? url : value;
  *rc = bw_intel_builder_add_value(st->b, inferred, v, strlen(v), &src, st->report, item);
}

static void plain_line(list_state *st, char *line, int *rc) {
  size_t vlen = strcspn(line, " \t;,");
  char *comment = line + vlen;
  if (*comment) *comment++ = 0;
  comment = trim(comment + strspn(comment, " \t;,#"));
  add_indicator(st, 0, line, comment, &st->file_actors, rc);
}

/* Splits one CSV record (RFC 4180 quoting) in place; returns the field count. */
static size_t csv_split(char *line, char **fields, size_t max) {
  size_t n = 0;
  char *p = line;
  while (n < max) {
    char *out = p, *start = p;
    if (*p == '"') {
      for (p++; *p; p++) {
        if (*p == '"' && p[1] == '"')
          *out++ = '"', p++;
        else if (*p == '"') {
          p++;
          break;
        } else
          *out++ = *p;
      }
      p += strcspn(p, ",");
    } else {
      p += strcspn(p, ",");
      out = p;
    }
    int more = *p == ',';
    *out = 0;
    fields[n++] = trim(start);
    if (!more) break;
    p++;
  }
  return n;
}

static int is_header(const char *line, list_state *st) {
  char *copy = strdup(line);
  if (!copy) return 0;
  char *fields[MAX_FIELDS];
  size_t n = csv_split(copy, fields, MAX_FIELDS);
  int has_value = 0;
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(fields[i]);
    if (len >= 5 && strcasecmp(fields[i] + len - 5, "value") == 0) has_value = 1;
    snprintf(st->headers[i], sizeof(st->headers[i]), "%s", fields[i]);
  }
  st->n_headers = n;
  free(copy);
  return n >= 2 && has_value;
}

static int header_ends(const list_state *st, size_t i, const char *suffix) {
  size_t len = strlen(st->headers[i]), n = strlen(suffix);
  return len >= n && strcasecmp(st->headers[i] + len - n, suffix) == 0;
}

static void csv_line(list_state *st, char *line, int *rc) {
  char *fields[MAX_FIELDS];
  size_t n = csv_split(line, fields, MAX_FIELDS);
  char *value = NULL, *type = NULL, *comment = NULL;
  bw_intel_names row = st->file_actors;
  for (size_t i = 0; i < n && i < st->n_headers; i++) {
    if (!*fields[i]) continue;
    if (header_ends(st, i, "value"))
      value = fields[i];
    else if (header_ends(st, i, "type"))
      type = fields[i];
    else if (header_ends(st, i, "comment") || header_ends(st, i, "description"))
      comment = fields[i];
    bw_intel_names_from_tags(&row, fields[i]);
  }
  char item[512];
  snprintf(item, sizeof(item), "%s:%zu", st->feed, st->lineno);
  if (!value) {
    bw_intel_report_skip(st->report, item, "CSV row without a value");
    return;
  }
  bw_ioc_type t = type ? bw_intel_misp_type(type) : 0;
  if (type && !t) {
    snprintf(item, sizeof(item), "%s:%zu: %s %.300s", st->feed, st->lineno, type, value);
    bw_intel_report_skip(st->report, item, "indicator type not matched in mail");
    return;
  }
  add_indicator(st, t, value, comment, &row, rc);
}

static void one_line(list_state *st, char *line, int *rc) {
  line = trim(line);
  if (!*line) return;
  if (*line == '#') {
    comment_line(st, line);
    return;
  }
  if (!st->seen_data++ && is_header(line, st)) {
    st->csv = 1;
    return;
  }
  if (st->csv)
    csv_line(st, line, rc);
  else
    plain_line(st, line, rc);
}

int bw_intel_load_list(bw_intel_builder *b, const char *feed, const char *data, size_t len,
                       bw_intel_report *report, bw_error *err) {
  char *line = malloc(MAX_LINE + 1);
  if (!line) return bw_error_set(err, BW_ENOMEM, "out of memory reading %s", feed);
  list_state st = {.b = b, .feed = feed, .report = report};
  actor_from_file_name(&st);
  int rc = BW_OK;
  for (size_t pos = 0; pos < len && rc == BW_OK;) {
    const char *nl = memchr(data + pos, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
    st.lineno++;
    if (n > MAX_LINE) {
      char item[256];
      snprintf(item, sizeof(item), "%s:%zu", feed, st.lineno);
      bw_intel_report_skip(report, item, "line longer than 65536 bytes");
    } else {
      memcpy(line, data + pos, n);
      line[n] = 0;
      if (memchr(line, 0, n))
        bw_intel_report_skip(report, feed, "NUL byte in a text feed line");
      else
        one_line(&st, line, &rc);
    }
    pos += n + 1;
  }
  free(line);
  return rc == BW_OK ? BW_OK : bw_error_set(err, rc, "%s: %s", feed, bw_status_name(rc));
}
