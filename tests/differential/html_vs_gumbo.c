/*
 * html_vs_gumbo.c - differential test of bw_html_tokenize against gumbo.
 *
 * For every text/html part of every message in the shared corpus (and every
 * raw .html file under corpus/newsletter-html), both parsers list, in
 * document order, the elements that carry resources and links together with
 * the attributes that matter for them; a part agrees when the lists are
 * equal. gumbo builds a tree, so it drops, merges and moves some elements a
 * tokenizer reports as written; each disagreement is put into a category,
 * and the categories that come from tree construction are documented in
 * docs/html.md. The test passes when >= 99% of parts agree and no
 * disagreement is left uncategorised.
 *
 * Usage: html_vs_gumbo CORPUS_DIR REPORT_FILE
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <ftw.h>
#include <gmime/gmime.h>
#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html/html_tokenizer.h"

/* ---- element lists -------------------------------------------------------- */

typedef struct list {
  char **items;
  size_t n, cap;
} list;

static void list_add(list *l, char *s) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 64;
    l->items = realloc(l->items, l->cap * sizeof *l->items);
    if (!l->items) abort();
  }
  l->items[l->n++] = s;
}

static void list_free(list *l) {
  for (size_t i = 0; i < l->n; i++) free(l->items[i]);
  free(l->items);
  memset(l, 0, sizeof *l);
}

static const char *const kElements[] = {
    "img",   "image",  "a",     "area",   "form",  "link", "iframe", "frame", "video",
    "audio", "source", "input", "object", "embed", "meta", "base",   "table", "td",
    "th",    "tr",     "div",   "span",   "style", "svg",  "use",    NULL};
static const char *const kAttrs[] = {
    "src",        "srcset", "href",  "background", "poster", "data", "action",     "content",
    "http-equiv", "style",  "width", "height",     "rel",    "type", "xlink:href", NULL};

static int in_set(const char *const *set, const char *s, size_t n) {
  for (; *set; set++)
    if (strlen(*set) == n && memcmp(*set, s, n) == 0) return 1;
  return 0;
}

/* One element as a line: name, then name=value for the attributes compared. */
typedef struct line {
  char *s;
  size_t len, cap;
} line;

static void line_put(line *l, const char *s, size_t n) {
  if (l->len + n + 1 > l->cap) {
    l->cap = (l->len + n + 1) * 2;
    l->s = realloc(l->s, l->cap);
    if (!l->s) abort();
  }
  memcpy(l->s + l->len, s, n);
  l->len += n;
  l->s[l->len] = 0;
}

/* Names compared: "image" is "img" (the tree builder renames it in HTML). */
static void line_name(line *l, const char *name, size_t n) {
  if (n == 5 && memcmp(name, "image", 5) == 0)
    line_put(l, "img", 3);
  else
    line_put(l, name, n);
}

static void line_attr(line *l, const char *name, size_t nl, const char *value, size_t vl) {
  if (!in_set(kAttrs, name, nl)) return;
  line_put(l, "\t", 1);
  line_put(l, name, nl);
  line_put(l, "=", 1);
  line_put(l, value, vl);
}

/* ---- our side --------------------------------------------------------------- */

typedef struct ours {
  list elems;
  line body; /* attributes of all body start tags merged, first wins, as gumbo does */
  list body_names;
  long style_index; /* element index of an open <style> awaiting text, or -1 */
  char tables[256]; /* a sketch of the table stack: 'T' table, 'C' cell/caption */
  size_t table_depth;
  int foster; /* an element start tag where the tree builder foster-parents */
  int form_open, select_open, framesets;
  size_t modelled_drops; /* elements left out as the tree builder would */
} ours;

static int tag_is(const bw_html_token *t, const char *name) {
  return strlen(name) == t->name_len && memcmp(t->name, name, t->name_len) == 0;
}

static char table_top(const ours *o) {
  return o->table_depth ? o->tables[o->table_depth - 1] : 0;
}

static void table_push(ours *o, char c) {
  if (o->table_depth < sizeof o->tables) o->tables[o->table_depth++] = c;
}

/*
 * Follows tables just enough to see an element start tag directly inside a
 * table (not in a cell), which the tree builder moves before the table.
 */
static void track_tables(ours *o, const bw_html_token *t) {
  static const char *const table_parts[] = {"col",      "colgroup", "style", "script",
                                            "template", "input",    "form",  "tr",
                                            "tbody",    "thead",    "tfoot", NULL};
  int cell = tag_is(t, "td") || tag_is(t, "th") || tag_is(t, "caption");
  if (t->type == BW_HTML_END_TAG) {
    if (cell && table_top(o) == 'C') o->table_depth--;
    if (tag_is(t, "table"))
      while (o->table_depth && o->tables[--o->table_depth] != 'T') continue;
    return;
  }
  if (tag_is(t, "table")) {
    if (table_top(o) == 'T') o->table_depth--;
    table_push(o, 'T');
  } else if (cell) {
    if (table_top(o) == 'C') o->table_depth--;
    if (table_top(o) == 'T') table_push(o, 'C');
  } else if (in_set(table_parts, t->name, t->name_len)) {
    if (table_top(o) == 'C' &&
        (tag_is(t, "tr") || tag_is(t, "tbody") || tag_is(t, "thead") || tag_is(t, "tfoot")))
      o->table_depth--;
  } else if (table_top(o) == 'T') {
    o->foster = 1;
  }
}

static int body_has(const ours *o, const char *n, size_t len) {
  for (size_t i = 0; i < o->body_names.n; i++)
    if (strlen(o->body_names.items[i]) == len && memcmp(o->body_names.items[i], n, len) == 0)
      return 1;
  return 0;
}

static void ours_body(ours *o, const bw_html_token *t) {
  for (size_t i = 0; i < t->n_attrs; i++) {
    const bw_html_attr *a = &t->attrs[i];
    if (body_has(o, a->name, a->name_len)) continue;
    list_add(&o->body_names, strndup(a->name, a->name_len));
    line_attr(&o->body, a->name, a->name_len, a->value, a->value_len);
  }
}

/*
 * The start tags the tree builder ignores, modelled so that they are not
 * counted as disagreements: table parts outside any table, a form inside an
 * open form, anything but the elements that close it inside a select, a
 * frame outside any frameset.
 */
static int tree_builder_drops(ours *o, const bw_html_token *t) {
  int drop = 0;
  if (o->select_open)
    drop = 1;
  else if (tag_is(t, "td") || tag_is(t, "th") || tag_is(t, "tr"))
    drop = o->table_depth == 0;
  else if (tag_is(t, "form"))
    drop = o->form_open++ > 0;
  else if (tag_is(t, "frame"))
    drop = o->framesets == 0;
  o->modelled_drops += drop;
  return drop;
}

static void track_forms(ours *o, const bw_html_token *t) {
  int start = t->type == BW_HTML_START_TAG;
  if (tag_is(t, "form") && !start) o->form_open = 0;
  if (tag_is(t, "frameset")) o->framesets += start ? 1 : o->framesets ? -1 : 0;
  if (tag_is(t, "select"))
    o->select_open = start;
  else if (start && (tag_is(t, "input") || tag_is(t, "textarea") || tag_is(t, "keygen")))
    o->select_open = 0; /* these close an open select */
}

static int ours_token(const bw_html_token *t, void *ctx) {
  ours *o = ctx;
  if (t->type == BW_HTML_TEXT && o->style_index >= 0) {
    line l = {o->elems.items[o->style_index], strlen(o->elems.items[o->style_index]), 0};
    l.cap = l.len + 1;
    line_put(&l, t->data, t->data_len);
    o->elems.items[o->style_index] = l.s;
    return 0;
  }
  o->style_index = -1;
  if (t->type == BW_HTML_START_TAG || t->type == BW_HTML_END_TAG) {
    track_tables(o, t);
    track_forms(o, t);
  }
  if (t->type != BW_HTML_START_TAG) return 0;
  if (t->name_len == 4 && memcmp(t->name, "body", 4) == 0) {
    ours_body(o, t);
    return 0;
  }
  if (!in_set(kElements, t->name, t->name_len) || tree_builder_drops(o, t)) return 0;
  line l = {0};
  line_name(&l, t->name, t->name_len);
  for (size_t i = 0; i < t->n_attrs; i++)
    line_attr(&l, t->attrs[i].name, t->attrs[i].name_len, t->attrs[i].value, t->attrs[i].value_len);
  if (t->name_len == 5 && memcmp(t->name, "style", 5) == 0) {
    line_put(&l, "\ttext=", 6);
    o->style_index = (long)o->elems.n;
  }
  list_add(&o->elems, l.s);
  return 0;
}

/* ---- gumbo's side ------------------------------------------------------------ */

typedef struct theirs {
  list elems;
  line body;
  int reordered; /* gumbo moved an element (foster parenting, adoption agency) */
} theirs;

static const unsigned kSkipFlags =
    GUMBO_INSERTION_BY_PARSER | GUMBO_INSERTION_IMPLIED | GUMBO_INSERTION_CONVERTED_FROM_END_TAG |
    GUMBO_INSERTION_RECONSTRUCTED_FORMATTING_ELEMENT | GUMBO_INSERTION_ADOPTION_AGENCY_CLONED;

static void gumbo_name(const GumboElement *e, line *l) {
  if (e->tag != GUMBO_TAG_UNKNOWN) {
    const char *n = gumbo_normalized_tagname(e->tag);
    line_name(l, n, strlen(n));
    return;
  }
  GumboStringPiece p = e->original_tag;
  gumbo_tag_from_original_text(&p);
  char *n = strndup(p.data, p.length);
  for (char *c = n; *c; c++)
    if (*c >= 'A' && *c <= 'Z') *c += 32;
  line_name(l, n, strlen(n));
  free(n);
}

static void gumbo_attrs(const GumboElement *e, line *l) {
  for (unsigned i = 0; i < e->attributes.length; i++) {
    const GumboAttribute *a = e->attributes.data[i];
    char name[256];
    snprintf(name, sizeof name, "%s%s",
             a->attr_namespace == GUMBO_ATTR_NAMESPACE_XLINK ? "xlink:" : "", a->name);
    for (char *c = name; *c; c++)
      if (*c >= 'A' && *c <= 'Z') *c += 32;
    line_attr(l, name, strlen(name), a->value, strlen(a->value));
  }
}

static void gumbo_text_children(const GumboNode *n, line *l) {
  const GumboVector *c = &n->v.element.children;
  for (unsigned i = 0; i < c->length; i++) {
    const GumboNode *k = c->data[i];
    if (k->type == GUMBO_NODE_ELEMENT || k->type == GUMBO_NODE_TEMPLATE) return;
    if (k->type == GUMBO_NODE_TEXT || k->type == GUMBO_NODE_WHITESPACE ||
        k->type == GUMBO_NODE_CDATA)
      line_put(l, k->v.text.text, strlen(k->v.text.text));
  }
}

static void gumbo_walk(const GumboNode *n, theirs *g) {
  if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE &&
      n->type != GUMBO_NODE_DOCUMENT)
    return;
  const GumboVector *children =
      n->type == GUMBO_NODE_DOCUMENT ? &n->v.document.children : &n->v.element.children;
  if (n->type != GUMBO_NODE_DOCUMENT) {
    const GumboElement *e = &n->v.element;
    if (n->parse_flags & (GUMBO_INSERTION_FOSTER_PARENTED | GUMBO_INSERTION_ADOPTION_AGENCY_MOVED))
      g->reordered = 1;
    if (e->tag == GUMBO_TAG_BODY && e->tag_namespace == GUMBO_NAMESPACE_HTML) {
      /* Even when implied: a later <body> merges its attributes into it. */
      gumbo_attrs(e, &g->body);
    } else if (!(n->parse_flags & kSkipFlags)) {
      line l = {0};
      gumbo_name(e, &l);
      if (in_set(kElements, l.s, l.len) || strcmp(l.s, "img") == 0) {
        gumbo_attrs(e, &l);
        if (e->tag == GUMBO_TAG_STYLE) {
          line_put(&l, "\ttext=", 6);
          gumbo_text_children(n, &l);
        }
        list_add(&g->elems, l.s);
      } else {
        free(l.s);
      }
    }
  }
  for (unsigned i = 0; i < children->length; i++) gumbo_walk(children->data[i], g);
}

/* ---- comparing ------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *tag_of(const char *line_s, char *buf, size_t n) {
  size_t i = 0;
  while (line_s[i] && line_s[i] != '\t' && i + 1 < n) {
    buf[i] = line_s[i];
    i++;
  }
  buf[i] = 0;
  return buf;
}

/*
 * Multiset difference of two sorted lists: items of a missing from b go to
 * only_a, and the other way round.
 */
static void sorted_diff(const list *a, const list *b, list *only_a, list *only_b) {
  size_t i = 0, j = 0;
  while (i < a->n || j < b->n) {
    int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->items[i], b->items[j]);
    if (c == 0) {
      i++;
      j++;
    } else if (c < 0) {
      list_add(only_a, a->items[i++]);
    } else {
      list_add(only_b, b->items[j++]);
    }
  }
}

static list sorted_copy(const list *l) {
  list c = {0};
  for (size_t i = 0; i < l->n; i++) list_add(&c, l->items[i]);
  if (c.n) qsort(c.items, c.n, sizeof *c.items, cmp_str);
  return c;
}

/* Tags the tree builder drops when misplaced (documented in docs/html.md). */
static const char *drop_category(const list *dropped) {
  static const char *const cells[] = {"td", "th", "tr", NULL};
  static const char *const forms[] = {"form", NULL};
  static const char *const frames[] = {"frame", NULL};
  static const char *const *const sets[] = {cells, forms, frames};
  static const char *const names[] = {"tree-builder-drop:table-part-outside-table",
                                      "tree-builder-drop:nested-form",
                                      "tree-builder-drop:frame-in-ignored-frameset"};
  const char *category = NULL;
  for (size_t i = 0; i < dropped->n; i++) {
    char tag[64];
    tag_of(dropped->items[i], tag, sizeof tag);
    const char *c = NULL;
    for (size_t k = 0; k < 3 && !c; k++)
      if (in_set(sets[k], tag, strlen(tag))) c = names[k];
    if (!c) return NULL;
    if (!category)
      category = c;
    else if (category != c)
      category = "tree-builder-drop:several";
  }
  return category;
}

/* Is b what remains of a after deleting elements (order kept)? */
static int is_subsequence(const list *b, const list *a) {
  size_t j = 0;
  for (size_t i = 0; i < a->n && j < b->n; i++)
    if (strcmp(a->items[i], b->items[j]) == 0) j++;
  return j == b->n;
}

/*
 * The tree builder moves elements found directly inside a table before it
 * (foster parenting); the same elements with the same attributes in another
 * order count as agreement, reported apart.
 */
static const char kReorderAgrees[] = "agree-modulo-foster-parenting";

static const char *categorise(const ours *o, const theirs *g, FILE *detail) {
  const char *ob = o->body.s ? o->body.s : "", *gb = g->body.s ? g->body.s : "";
  int body_same = strcmp(ob, gb) == 0;
  int same = o->elems.n == g->elems.n;
  for (size_t i = 0; same && i < o->elems.n; i++)
    same = strcmp(o->elems.items[i], g->elems.items[i]) == 0;
  if (same && body_same) return NULL;
  if (!body_same) fprintf(detail, "    body ours  : %s\n    body gumbo : %s\n", ob, gb);
  if (same) return "body-attributes";
  list sa = sorted_copy(&o->elems), sg = sorted_copy(&g->elems), only_o = {0}, only_g = {0};
  sorted_diff(&sa, &sg, &only_o, &only_g);
  const char *cat = "uncategorised";
  int moved = o->foster || g->reordered;
  if (!only_o.n && !only_g.n && moved && body_same)
    cat = kReorderAgrees;
  else if (!only_o.n && !only_g.n)
    cat = moved ? "tree-builder-reorder" : "uncategorised-reorder";
  else if (!only_g.n && is_subsequence(&g->elems, &o->elems) && drop_category(&only_o))
    cat = drop_category(&only_o);
  else if (!only_g.n && drop_category(&only_o) && moved)
    cat = "tree-builder-drop-and-reorder";
  if (cat != kReorderAgrees) {
    size_t k = 0;
    while (k < o->elems.n && k < g->elems.n && strcmp(o->elems.items[k], g->elems.items[k]) == 0)
      k++;
    fprintf(detail, "    first difference at element %zu: ours %s | gumbo %s\n", k,
            k < o->elems.n ? o->elems.items[k] : "(end)",
            k < g->elems.n ? g->elems.items[k] : "(end)");
    for (size_t i = 0; i < only_o.n && i < 5; i++)
      fprintf(detail, "    ours only : %s\n", only_o.items[i]);
    for (size_t i = 0; i < only_g.n && i < 5; i++)
      fprintf(detail, "    gumbo only: %s\n", only_g.items[i]);
  }
  free(sa.items);
  free(sg.items);
  free(only_o.items);
  free(only_g.items);
  return cat;
}

/* ---- driving ---------------------------------------------------------------------- */

typedef struct category_count {
  const char *name;
  size_t n;
} category_count;

static struct {
  size_t parts, agree, agree_reordered, modelled_drops;
  category_count cats[32];
  size_t n_cats;
  FILE *report;
} g_run;

static void count_category(const char *c) {
  for (size_t i = 0; i < g_run.n_cats; i++)
    if (strcmp(g_run.cats[i].name, c) == 0) {
      g_run.cats[i].n++;
      return;
    }
  if (g_run.n_cats < 32) g_run.cats[g_run.n_cats++] = (category_count){c, 1};
}

/* Both parsers get the same valid UTF-8: invalid bytes become U+FFFD first. */
static char *sanitize_utf8(const char *s, size_t len, size_t *out_len) {
  char *out = malloc(len * 3 + 1);
  size_t o = 0;
  if (!s || !len) { /* an empty part may come without a buffer at all */
    out[0] = '\0';
    *out_len = 0;
    return out;
  }
  const char *end = s + len, *p = s;
  while (p < end) {
    const char *bad;
    if (g_utf8_validate(p, end - p, &bad)) {
      memcpy(out + o, p, end - p);
      o += end - p;
      break;
    }
    memcpy(out + o, p, bad - p);
    o += bad - p;
    if (bad < end && *bad == 0) {
      out[o++] = 0; /* NUL is valid UTF-8; g_utf8_validate stops at it */
    } else {
      memcpy(out + o, "\xEF\xBF\xBD", 3);
      o += 3;
    }
    p = bad + 1;
  }
  *out_len = o;
  return out;
}

static void compare_html(const char *where, const char *raw, size_t raw_len) {
  size_t len;
  char *html = sanitize_utf8(raw, raw_len, &len);
  ours o = {.style_index = -1};
  bw_html_tokenize(html, len, NULL, ours_token, &o, NULL);
  theirs g = {0};
  GumboOutput *out = gumbo_parse_with_options(&kGumboDefaultOptions, html, len);
  gumbo_walk(out->document, &g);
  gumbo_destroy_output(&kGumboDefaultOptions, out);
  g_run.parts++;
  const char *cat = categorise(&o, &g, g_run.report);
  g_run.modelled_drops += o.modelled_drops ? 1 : 0;
  if (!cat) {
    g_run.agree++;
  } else if (cat == kReorderAgrees) {
    g_run.agree_reordered++;
  } else {
    count_category(cat);
    fprintf(g_run.report, "DIFF %s: %s\n", cat, where);
  }
  list_free(&o.elems);
  list_free(&o.body_names);
  free(o.body.s);
  list_free(&g.elems);
  free(g.body.s);
  free(html);
}

static GByteArray *decode_part(GMimePart *part) {
  GMimeDataWrapper *content = g_mime_part_get_content(part);
  if (!content) return NULL;
  GMimeStream *mem = g_mime_stream_mem_new();
  GMimeStream *filtered = g_mime_stream_filter_new(mem);
  const char *charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
  if (charset && g_ascii_strcasecmp(charset, "utf-8") != 0) {
    GMimeFilter *f = g_mime_filter_charset_new(charset, "utf-8");
    if (f) {
      g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), f);
      g_object_unref(f);
    }
  }
  g_mime_data_wrapper_write_to_stream(content, filtered);
  g_mime_stream_flush(filtered);
  GByteArray *bytes = g_byte_array_new();
  GByteArray *src = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
  g_byte_array_append(bytes, src->data, src->len);
  g_object_unref(filtered);
  g_object_unref(mem);
  return bytes;
}

static void walk_object(GMimeObject *obj, const char *where, int *index) {
  if (GMIME_IS_MULTIPART(obj)) {
    GMimeMultipart *mp = GMIME_MULTIPART(obj);
    for (int i = 0; i < g_mime_multipart_get_count(mp); i++)
      walk_object(g_mime_multipart_get_part(mp, i), where, index);
  } else if (GMIME_IS_MESSAGE_PART(obj)) {
    GMimeMessage *m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
    if (m && g_mime_message_get_mime_part(m))
      walk_object(g_mime_message_get_mime_part(m), where, index);
  } else if (GMIME_IS_PART(obj)) {
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    if (!ct || !g_mime_content_type_is_type(ct, "text", "html")) return;
    GByteArray *b = decode_part(GMIME_PART(obj));
    if (!b) return;
    char label[4096];
    snprintf(label, sizeof label, "%s#html%d", where, (*index)++);
    compare_html(label, (const char *)b->data, b->len);
    g_byte_array_unref(b);
  }
}

static void parse_messages(const char *path, int mbox) {
  GMimeStream *s = g_mime_stream_fs_open(path, O_RDONLY, 0, NULL);
  if (!s) return;
  GMimeParser *p = g_mime_parser_new_with_stream(s);
  if (mbox) g_mime_parser_set_format(p, GMIME_FORMAT_MBOX);
  int index = 0, n = 0;
  while (!g_mime_parser_eos(p)) {
    GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
    if (!m) break;
    char where[4096];
    snprintf(where, sizeof where, "%s@%d", path, n++);
    if (g_mime_message_get_mime_part(m))
      walk_object(g_mime_message_get_mime_part(m), where, &index);
    g_object_unref(m);
    if (!mbox) break;
  }
  g_object_unref(p);
  g_object_unref(s);
}

static int has_suffix(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && strcmp(s + a - b, suf) == 0;
}

static int visit(const char *path, const struct stat *sb, int type, struct FTW *ftw) {
  (void)sb;
  (void)ftw;
  if (type != FTW_F) return 0;
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  if (strstr(path, "/newsletter-html/")) {
    if (has_suffix(path, ".html") || has_suffix(path, ".htm")) {
      GByteArray *b = g_byte_array_new();
      char buf[65536];
      size_t n;
      while ((n = fread(buf, 1, sizeof buf, f)) > 0) g_byte_array_append(b, (guint8 *)buf, n);
      compare_html(path, (const char *)b->data, b->len);
      g_byte_array_unref(b);
    }
    fclose(f);
    return 0;
  }
  char head[5] = {0};
  size_t n = fread(head, 1, 5, f);
  fclose(f);
  int mbox = n == 5 && memcmp(head, "From ", 5) == 0;
  if (mbox || has_suffix(path, ".eml")) parse_messages(path, mbox);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s CORPUS_DIR REPORT_FILE\n", argv[0]);
    return 2;
  }
  g_run.report = fopen(argv[2], "w");
  if (!g_run.report) {
    perror(argv[2]);
    return 2;
  }
  g_mime_init();
  nftw(argv[1], visit, 32, FTW_PHYS);
  size_t agree = g_run.agree + g_run.agree_reordered;
  double pct = g_run.parts ? 100.0 * (double)agree / (double)g_run.parts : 100.0;
  size_t uncategorised = 0;
  char summary[512];
  snprintf(summary, sizeof summary,
           "%zu HTML parts, %zu agree (%.2f%%): %zu in order, %zu modulo foster parenting; "
           "%zu parts had tree-builder drops modelled",
           g_run.parts, agree, pct, g_run.agree, g_run.agree_reordered, g_run.modelled_drops);
  printf("html_vs_gumbo: %s\n", summary);
  fprintf(g_run.report, "SUMMARY %s\n", summary);
  for (size_t i = 0; i < g_run.n_cats; i++) {
    printf("  %-45s %zu\n", g_run.cats[i].name, g_run.cats[i].n);
    fprintf(g_run.report, "CATEGORY %s %zu\n", g_run.cats[i].name, g_run.cats[i].n);
    if (strncmp(g_run.cats[i].name, "uncategorised", 13) == 0) uncategorised += g_run.cats[i].n;
  }
  fclose(g_run.report);
  g_mime_shutdown();
  return pct >= 99.0 && uncategorised == 0 ? 0 : 1;
}
