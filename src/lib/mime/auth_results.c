/*
 * auth_results.c - parsing Authentication-Results headers (RFC 8601).
 *
 * The identity detector trusts SPF/DKIM/DMARC only as reported by the
 * receiving server, so it needs each method's result and the properties that
 * name domains (header.d, header.from, smtp.mailfrom). The grammar is
 * tolerant of what real servers emit: comments anywhere, spaces around '=',
 * quoted values, and a "none" result set.
 */
#include <string.h>

#include "mime/view.h"

/* Copies value with RFC 5322 comments removed (quoted strings kept intact). */
static char *strip_comments(bw_arena *a, const char *value) {
  size_t len = strlen(value);
  char *out = bw_arena_alloc(a, len + 1);
  if (!out) return NULL;
  size_t o = 0;
  int depth = 0, quoted = 0;
  for (size_t i = 0; i < len; i++) {
    char c = value[i];
    if (quoted) {
      if (c == '\\' && i + 1 < len)
        out[o++] = value[i++];
      else if (c == '"')
        quoted = 0;
      out[o++] = value[i];
      continue;
    }
    if (depth) {
      if (c == '\\' && i + 1 < len)
        i++;
      else if (c == '(')
        depth++;
      else if (c == ')')
        depth--;
      if (!depth) out[o++] = ' ';
      continue;
    }
    if (c == '(')
      depth = 1;
    else {
      if (c == '"') quoted = 1;
      out[o++] = c;
    }
  }
  out[o] = '\0';
  return out;
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Next whitespace-separated word of s (spaces around '=' are folded into the word). */
static const char *next_word(const char **s, size_t *len) {
  const char *p = *s;
  while (is_space(*p)) p++;
  if (!*p) return NULL;
  const char *start = p;
  int quoted = 0;
  for (; *p; p++) {
    if (*p == '"') quoted = !quoted;
    if (quoted) continue;
    if (is_space(*p)) {
      const char *q = p;
      while (is_space(*q)) q++;
      if (*q == '=' || (p > start && p[-1] == '=')) {
        p = q - 1;
        continue;
      }
      break;
    }
  }
  *len = (size_t)(p - start);
  *s = p;
  return start;
}

/* Lowercased copy of a word with spaces and quotes removed. */
static char *clean_word(bw_arena *a, const char *w, size_t len, int lower) {
  char *out = bw_arena_alloc(a, len + 1);
  if (!out) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    char c = w[i];
    if (is_space(c) || c == '"') continue;
    if (lower && c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    out[o++] = c;
  }
  out[o] = '\0';
  return out;
}

static void set_property(bw_auth_method *m, const char *key, const char *value) {
  if (strcmp(key, "header.d") == 0)
    m->header_d = value;
  else if (strcmp(key, "header.i") == 0)
    m->header_i = value;
  else if (strcmp(key, "header.s") == 0)
    m->header_s = value;
  else if (strcmp(key, "header.from") == 0)
    m->header_from = value;
  else if (strcmp(key, "smtp.mailfrom") == 0)
    m->smtp_mailfrom = value;
  else if (strcmp(key, "smtp.helo") == 0)
    m->smtp_helo = value;
}

/* Parses "method[/version]=result prop=value ..." (one resinfo). Returns 0 if not a method. */
static int parse_resinfo(bw_arena *a, const char *seg, bw_auth_method *m) {
  size_t len;
  const char *w = next_word(&seg, &len);
  if (!w) return 0;
  char *mr = clean_word(a, w, len, 1);
  char *eq = mr ? strchr(mr, '=') : NULL;
  if (!eq) return 0;
  *eq = '\0';
  char *slash = strchr(mr, '/');
  if (slash) *slash = '\0';
  m->method = mr;
  m->result = eq + 1;
  while ((w = next_word(&seg, &len)) != NULL) {
    char *prop = clean_word(a, w, len, 0);
    char *peq = prop ? strchr(prop, '=') : NULL;
    if (!peq) continue;
    *peq = '\0';
    for (char *p = prop; *p; p++)
      if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    set_property(m, prop, peq + 1);
  }
  return 1;
}

int bw_auth_results_parse(const char *value, bw_arena *a, bw_auth_results *out) {
  memset(out, 0, sizeof(*out));
  char *clean = strip_comments(a, value ? value : "");
  if (!clean) return BW_ENOMEM;
  size_t n_segments = 1;
  for (const char *p = clean; *p; p++) n_segments += *p == ';';
  out->methods = bw_arena_calloc(a, n_segments, sizeof(bw_auth_method));
  if (!out->methods) return BW_ENOMEM;
  char *save = NULL;
  char *seg = strtok_r(clean, ";", &save);
  if (seg) {
    size_t len;
    const char *cursor = seg;
    const char *w = next_word(&cursor, &len);
    out->authserv_id = w ? clean_word(a, w, len, 1) : NULL;
    seg = strtok_r(NULL, ";", &save);
  }
  for (; seg; seg = strtok_r(NULL, ";", &save))
    if (parse_resinfo(a, seg, &out->methods[out->n_methods])) out->n_methods++;
  return BW_OK;
}
