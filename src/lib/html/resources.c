/*
 * resources.c - finds what opening or clicking a message would fetch.
 *
 * Walks the HTML tokens of each text/html part and the text of each
 * text/plain part and records every URL a mail client may request: element
 * attributes (img src/srcset, backgrounds, posters, frames, objects, link
 * rel=stylesheet|icon|preload, meta refresh), CSS url() in style attributes
 * and <style> blocks (@import, @font-face), and links (a, area, form) with
 * their visible text. For each resource it also works out the declared size
 * and whether the element is hidden, including by a hidden ancestor, which
 * needs a small stack of open elements since the tokenizer builds no tree.
 */
#include "html/resources.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html/css.h"
#include "html/html_tokenizer.h"

enum {
  MAX_OPEN_ELEMENTS = 256, /* deeper nesting is tracked by count only */
  MAX_LINK_TEXT = 512
};

/* Hidden-ness that children inherit (size-based hiding does not propagate). */
#define BW_HIDDEN_INHERITED                                                                        \
  (BW_HIDDEN_DISPLAY_NONE | BW_HIDDEN_VISIBILITY | BW_HIDDEN_OPACITY | BW_HIDDEN_OFFSCREEN |      \
   BW_HIDDEN_CLIPPED | BW_HIDDEN_ATTRIBUTE | BW_HIDDEN_ANCESTOR)

typedef struct open_element {
  char name[16];
  unsigned hidden; /* inheritable bits in effect for this element's children */
} open_element;

/*
 * Mail HTML repeats the same style="" text on element after element (every
 * cell of a layout table), so the boxes of recent style strings are kept.
 */
enum { BOX_CACHE = 64, BOX_CACHE_TEXT = 160 };

typedef struct box_entry {
  size_t len; /* 0: empty slot */
  char text[BOX_CACHE_TEXT];
  bw_css_box box;
} box_entry;

typedef struct html_walk {
  bw_extract_ctx *x;
  box_entry boxes[BOX_CACHE];
  const bw_part *part;
  open_element stack[MAX_OPEN_ELEMENTS];
  size_t depth;    /* entries used in stack */
  size_t overflow; /* open elements beyond the stack */
  int in_style;    /* the next text token is a <style> sheet */
  bw_link *link;   /* the <a> whose text is being collected */
  char link_text[MAX_LINK_TEXT];
  size_t link_text_len;
  const char *link_alt;
} html_walk;

/* ---- small helpers -------------------------------------------------------- */

static const bw_html_attr *attr_get(const bw_html_token *t, const char *name) {
  size_t n = strlen(name);
  for (size_t i = 0; i < t->n_attrs; i++)
    if (t->attrs[i].name_len == n && memcmp(t->attrs[i].name, name, n) == 0) return &t->attrs[i];
  return NULL;
}

static int tag_is(const bw_html_token *t, const char *name) {
  size_t n = strlen(name);
  return t->name_len == n && memcmp(t->name, name, n) == 0;
}

static int value_is(const bw_html_attr *a, const char *s) {
  size_t n = strlen(s);
  return a && a->value_len == n && strncasecmp(a->value, s, n) == 0;
}

static int is_void_element(const bw_html_token *t) {
  static const char *const voids[] = {"area", "base",  "br",     "col",   "embed", "hr",
                                      "img",  "input", "keygen", "link",  "meta",  "param",
                                      "source", "track", "wbr",  "image", NULL};
  for (size_t i = 0; voids[i]; i++)
    if (tag_is(t, voids[i])) return 1;
  return 0;
}

/* Leading number of an HTML length attribute ("1", "1px", " 2.0 "); -1 when absent or a percentage. */
static double parse_dimension(const bw_html_attr *a) {
  if (!a) return -1;
  char buf[32];
  size_t n = a->value_len < sizeof(buf) - 1 ? a->value_len : sizeof(buf) - 1;
  memcpy(buf, a->value, n);
  buf[n] = '\0';
  char *end;
  double v = strtod(buf, &end);
  if (end == buf || v < 0) return -1;
  while (*end == ' ') end++;
  return *end == '%' ? -1 : v;
}

void bw_hidden_reasons(unsigned hidden, char *buf, size_t size) {
  static const struct {
    unsigned bit;
    const char *name;
  } names[] = {{BW_HIDDEN_DISPLAY_NONE, "display:none"}, {BW_HIDDEN_VISIBILITY, "visibility:hidden"},
               {BW_HIDDEN_OPACITY, "opacity:0"},         {BW_HIDDEN_OFFSCREEN, "offscreen"},
               {BW_HIDDEN_CLIPPED, "clipped"},           {BW_HIDDEN_ZERO_SIZE, "zero-size"},
               {BW_HIDDEN_TINY, "tiny"},                 {BW_HIDDEN_ATTRIBUTE, "hidden-attribute"},
               {BW_HIDDEN_ANCESTOR, "hidden-ancestor"}};
  size_t used = 0;
  if (size) buf[0] = '\0';
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    if (!(hidden & names[i].bit)) continue;
    int n = snprintf(buf + used, size - used, "%s%s", used ? "," : "", names[i].name);
    if (n < 0 || (size_t)n >= size - used) return;
    used += (size_t)n;
  }
}

/* ---- recording ------------------------------------------------------------ */

/* Counts one URL against max_urls; returns 0 when over the limit. */
static int take_url_budget(bw_extract_ctx *x, const char *where) {
  if (x->out->n_urls < x->limits->max_urls) {
    x->out->n_urls++;
    return 1;
  }
  if (!x->out->url_limit_reported) {
    bw_findings_limit(x->findings, where, "urls", x->limits->max_urls,
                      "later resources and links were not recorded");
    x->out->url_limit_reported = 1;
  }
  return 0;
}

static int parse_url(bw_extract_ctx *x, const char *s, size_t len, bw_url *out) {
  return bw_url_parse(x->urls, x->arena, s, len, out) == 0 ? BW_OK : BW_ENOMEM;
}

typedef struct resource_site {
  const char *tag, *attr, *kind, *context;
  size_t offset;
  double width, height;
  unsigned hidden;
} resource_site;

static int add_resource(html_walk *w, const resource_site *site, const char *url, size_t len) {
  while (len && (*url == ' ' || *url == '\t' || *url == '\n' || *url == '\r' || *url == '\f')) url++, len--;
  if (!len) return BW_OK;
  bw_extract_ctx *x = w->x;
  if (!take_url_budget(x, w->part->id)) return BW_OK;
  bw_resource *r = bw_arena_calloc(x->arena, 1, sizeof(*r));
  if (!r) return BW_ENOMEM;
  r->part = w->part->id;
  r->tag = bw_arena_strdup(x->arena, site->tag);
  r->attr = site->attr;
  r->kind = site->kind;
  r->context = site->context;
  r->offset = site->offset;
  r->width = site->width;
  r->height = site->height;
  r->hidden = site->hidden;
  if (!r->tag || parse_url(x, url, len, &r->url) != BW_OK) return BW_ENOMEM;
  return bw_ptrvec_push(x->arena, &x->out->resources, r) == 0 ? BW_OK : BW_ENOMEM;
}

/* ---- CSS ------------------------------------------------------------------ */

typedef struct css_sink {
  html_walk *w;
  resource_site site;
  int rc;
} css_sink;

static const char *css_ref_kind(const bw_css_ref *ref) {
  if (ref->kind == BW_CSS_REF_IMPORT) return "import";
  if (ref->kind == BW_CSS_REF_FONT_FACE) return "font";
  if (ref->property_len >= 10 && strncmp(ref->property, "background", 10) == 0) return "background";
  return "image";
}

static int on_css_ref(const bw_css_ref *ref, void *ctx) {
  css_sink *s = ctx;
  resource_site site = s->site;
  site.kind = css_ref_kind(ref);
  if (ref->kind == BW_CSS_REF_IMPORT) site.context = "style-block";
  s->rc = add_resource(s->w, &site, ref->url, ref->url_len);
  return s->rc != BW_OK;
}

static int scan_style_block(html_walk *w, const bw_html_token *t) {
  css_sink sink = {.w = w,
                   .site = {.tag = "style", .context = "style-block", .offset = t->offset,
                            .width = -1, .height = -1, .hidden = w->depth ? w->stack[w->depth - 1].hidden : 0},
                   .rc = BW_OK};
  if (!bw_css_may_reference(t->data, t->data_len)) return BW_OK;
  if (bw_css_scan_sheet(t->data, t->data_len, on_css_ref, &sink) < 0) return BW_ENOMEM;
  return sink.rc;
}

static int scan_style_attribute(html_walk *w, const bw_html_attr *style,
                                const resource_site *element) {
  css_sink sink = {.w = w, .site = *element, .rc = BW_OK};
  sink.site.attr = "style";
  sink.site.context = "style-attribute";
  if (!bw_css_may_reference(style->value, style->value_len)) return BW_OK;
  if (bw_css_scan_declarations(style->value, style->value_len, on_css_ref, &sink) < 0) return BW_ENOMEM;
  return sink.rc;
}

/* ---- element attributes ----------------------------------------------------- */

static unsigned hidden_from_box(const bw_css_box *box) {
  unsigned h = 0;
  if (box->display_none) h |= BW_HIDDEN_DISPLAY_NONE;
  if (box->visibility_hidden) h |= BW_HIDDEN_VISIBILITY;
  if (box->opacity_zero) h |= BW_HIDDEN_OPACITY;
  if (box->offscreen) h |= BW_HIDDEN_OFFSCREEN;
  if (box->clipped || box->max_zero) h |= BW_HIDDEN_CLIPPED;
  return h;
}

static unsigned hidden_from_size(double width, double height) {
  if (width == 0 || height == 0) return BW_HIDDEN_ZERO_SIZE;
  if (width > 0 && height > 0 && width <= 2 && height <= 2) return BW_HIDDEN_TINY;
  return 0;
}

/* Size and hidden-ness of the element a start tag opens, given its parent's state. */
static size_t style_slot(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return (size_t)(h % BOX_CACHE);
}

static void box_of(html_walk *w, const bw_html_attr *style, bw_css_box *out) {
  if (style->value_len == 0 || style->value_len > BOX_CACHE_TEXT) {
    bw_css_box_from_declarations(style->value, style->value_len, out);
    return;
  }
  box_entry *e = &w->boxes[style_slot(style->value, style->value_len)];
  if (e->len != style->value_len || memcmp(e->text, style->value, e->len) != 0) {
    bw_css_box_from_declarations(style->value, style->value_len, &e->box);
    memcpy(e->text, style->value, style->value_len);
    e->len = style->value_len;
  }
  *out = e->box;
}

static void describe_element(html_walk *w, const bw_html_token *t, resource_site *site) {
  site->tag = NULL;
  site->offset = t->offset;
  site->width = parse_dimension(attr_get(t, "width"));
  site->height = parse_dimension(attr_get(t, "height"));
  unsigned parent = w->depth ? w->stack[w->depth - 1].hidden : 0;
  site->hidden = parent ? BW_HIDDEN_ANCESTOR : 0;
  const bw_html_attr *style = attr_get(t, "style");
  if (style) {
    bw_css_box box;
    box_of(w, style, &box);
    if (box.width_px >= 0) site->width = box.width_px;
    if (box.height_px >= 0) site->height = box.height_px;
    site->hidden |= hidden_from_box(&box);
  }
  if (attr_get(t, "hidden")) site->hidden |= BW_HIDDEN_ATTRIBUTE;
  site->hidden |= hidden_from_size(site->width, site->height);
}

static int add_attr_resource(html_walk *w, const bw_html_token *t, const resource_site *element,
                             const char *attr_name, const char *kind) {
  const bw_html_attr *a = attr_get(t, attr_name);
  if (!a) return BW_OK;
  resource_site site = *element;
  site.attr = attr_name;
  site.kind = kind;
  site.context = "attribute";
  return add_resource(w, &site, a->value, a->value_len);
}

/* srcset: comma-separated "url [descriptor]" candidates; a URL itself may contain commas. */
static int add_srcset(html_walk *w, const bw_html_token *t, const resource_site *element) {
  const bw_html_attr *a = attr_get(t, "srcset");
  if (!a) return BW_OK;
  resource_site site = *element;
  site.attr = "srcset";
  site.kind = "image";
  site.context = "srcset";
  const char *s = a->value, *end = a->value + a->value_len;
  while (s < end) {
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == ',')) s++;
    const char *url = s;
    while (s < end && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' && *s != '\f') s++;
    const char *url_end = s;
    while (url_end > url && url_end[-1] == ',') url_end--;
    int rc = add_resource(w, &site, url, (size_t)(url_end - url));
    if (rc != BW_OK) return rc;
    if (url_end < s) continue; /* the URL ended in a comma: no descriptors follow */
    int parens = 0;
    while (s < end && (parens || *s != ',')) {
      parens += *s == '(';
      parens -= *s == ')' && parens;
      s++;
    }
  }
  return BW_OK;
}

static const char *link_rel_kind(const bw_html_attr *rel) {
  if (!rel) return NULL;
  static const struct {
    const char *token, *kind;
  } kinds[] = {{"stylesheet", "stylesheet"}, {"icon", "icon"},           {"apple-touch-icon", "icon"},
               {"mask-icon", "icon"},        {"preload", "preload"},     {"modulepreload", "preload"},
               {"prefetch", "preload"},      {"prerender", "preload"},   {"dns-prefetch", "preconnect"},
               {"preconnect", "preconnect"}};
  const char *s = rel->value, *end = rel->value + rel->value_len;
  while (s < end) {
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\n')) s++;
    const char *tok = s;
    while (s < end && *s != ' ' && *s != '\t' && *s != '\n') s++;
    size_t n = (size_t)(s - tok);
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
      if (strlen(kinds[i].token) == n && strncasecmp(tok, kinds[i].token, n) == 0) return kinds[i].kind;
  }
  return NULL;
}

/* <meta http-equiv=refresh content="5; url=https://..."> */
static int add_meta_refresh(html_walk *w, const bw_html_token *t, const resource_site *element) {
  if (!value_is(attr_get(t, "http-equiv"), "refresh")) return BW_OK;
  const bw_html_attr *content = attr_get(t, "content");
  if (!content) return BW_OK;
  const char *s = content->value, *end = s + content->value_len;
  while (s < end && *s != ';' && *s != ',') s++;
  while (s < end && (*s == ';' || *s == ',' || *s == ' ')) s++;
  if (end - s >= 3 && strncasecmp(s, "url", 3) == 0) {
    s += 3;
    while (s < end && *s == ' ') s++;
    if (s < end && *s == '=') s++;
    while (s < end && *s == ' ') s++;
  }
  if (s < end && (*s == '\'' || *s == '"')) {
    char q = *s++;
    const char *close = memchr(s, q, (size_t)(end - s));
    if (close) end = close;
  }
  resource_site site = *element;
  site.attr = "content";
  site.kind = "refresh";
  site.context = "attribute";
  return add_resource(w, &site, s, (size_t)(end - s));
}

static int element_resources(html_walk *w, const bw_html_token *t, const resource_site *el) {
  int rc = BW_OK;
  if (tag_is(t, "img")) {
    rc = add_attr_resource(w, t, el, "src", "image");
    if (rc == BW_OK) rc = add_srcset(w, t, el);
  } else if (tag_is(t, "source")) {
    rc = add_attr_resource(w, t, el, "src", "media");
    if (rc == BW_OK) rc = add_srcset(w, t, el);
  } else if (tag_is(t, "input")) {
    if (value_is(attr_get(t, "type"), "image")) rc = add_attr_resource(w, t, el, "src", "image");
  } else if (tag_is(t, "video")) {
    rc = add_attr_resource(w, t, el, "poster", "image");
    if (rc == BW_OK) rc = add_attr_resource(w, t, el, "src", "media");
  } else if (tag_is(t, "audio") || tag_is(t, "track")) {
    rc = add_attr_resource(w, t, el, "src", "media");
  } else if (tag_is(t, "iframe") || tag_is(t, "frame")) {
    rc = add_attr_resource(w, t, el, "src", "frame");
  } else if (tag_is(t, "embed")) {
    rc = add_attr_resource(w, t, el, "src", "object");
  } else if (tag_is(t, "object")) {
    rc = add_attr_resource(w, t, el, "data", "object");
  } else if (tag_is(t, "script")) {
    rc = add_attr_resource(w, t, el, "src", "script");
  } else if (tag_is(t, "image") || tag_is(t, "use") || tag_is(t, "feimage")) {
    rc = add_attr_resource(w, t, el, "href", "image");
    if (rc == BW_OK) rc = add_attr_resource(w, t, el, "xlink:href", "image");
  } else if (tag_is(t, "link")) {
    const char *kind = link_rel_kind(attr_get(t, "rel"));
    if (kind) rc = add_attr_resource(w, t, el, "href", kind);
  } else if (tag_is(t, "meta")) {
    rc = add_meta_refresh(w, t, el);
  }
  if (rc == BW_OK) rc = add_attr_resource(w, t, el, "background", "background");
  return rc;
}

/* ---- links ------------------------------------------------------------------ */

static bw_link *new_link(bw_extract_ctx *x, const bw_part *part, const char *tag, const char *attr,
                         const char *url, size_t len, size_t offset, int *rc) {
  *rc = BW_OK;
  if (!take_url_budget(x, part->id)) return NULL;
  bw_link *l = bw_arena_calloc(x->arena, 1, sizeof(*l));
  if (!l || parse_url(x, url, len, &l->url) != BW_OK ||
      bw_ptrvec_push(x->arena, &x->out->links, l) != 0) {
    *rc = BW_ENOMEM;
    return NULL;
  }
  l->part = part->id;
  l->tag = tag;
  l->attr = attr;
  l->offset = offset;
  return l;
}

static void append_link_text(html_walk *w, const char *s, size_t n) {
  for (size_t i = 0; i < n && w->link_text_len < MAX_LINK_TEXT - 4; i++) {
    char c = s[i];
    int space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    if (space) {
      if (w->link_text_len && w->link_text[w->link_text_len - 1] != ' ') w->link_text[w->link_text_len++] = ' ';
      continue;
    }
    w->link_text[w->link_text_len++] = c;
  }
}

static int finish_link(html_walk *w) {
  if (!w->link) return BW_OK;
  size_t n = w->link_text_len;
  while (n && w->link_text[n - 1] == ' ') n--;
  /* Never end inside a UTF-8 sequence when the text was cut at the limit. */
  while (n && ((unsigned char)w->link_text[n - 1] & 0xC0) == 0x80) n--;
  if (n && (unsigned char)w->link_text[n - 1] >= 0xC0) n--;
  bw_link *l = w->link;
  l->text = n ? bw_arena_strndup(w->x->arena, w->link_text, n) : w->link_alt;
  w->link = NULL;
  w->link_text_len = 0;
  w->link_alt = NULL;
  return n && !l->text ? BW_ENOMEM : BW_OK;
}

static int element_links(html_walk *w, const bw_html_token *t) {
  int rc = BW_OK;
  if (tag_is(t, "a")) {
    rc = finish_link(w); /* an <a> inside an <a> closes the first, as a parser would */
    const bw_html_attr *href = attr_get(t, "href");
    if (rc == BW_OK && href && href->value_len)
      w->link = new_link(w->x, w->part, "a", "href", href->value, href->value_len, t->offset, &rc);
  } else if (tag_is(t, "area") || tag_is(t, "form")) {
    const char *name = tag_is(t, "area") ? "href" : "action";
    const bw_html_attr *a = attr_get(t, name);
    if (a && a->value_len) {
      bw_link *l = new_link(w->x, w->part, tag_is(t, "area") ? "area" : "form", name, a->value,
                            a->value_len, t->offset, &rc);
      const bw_html_attr *alt = attr_get(t, "alt");
      if (l && alt) l->text = bw_arena_strndup(w->x->arena, alt->value, alt->value_len);
    }
  } else if (tag_is(t, "img") && w->link && !w->link_alt) {
    const bw_html_attr *alt = attr_get(t, "alt");
    if (alt && alt->value_len) w->link_alt = bw_arena_strndup(w->x->arena, alt->value, alt->value_len);
  }
  return rc;
}

/* ---- the open-element stack --------------------------------------------------- */

static void push_element(html_walk *w, const bw_html_token *t, unsigned hidden) {
  if (w->depth == MAX_OPEN_ELEMENTS) {
    w->overflow++;
    return;
  }
  open_element *e = &w->stack[w->depth++];
  size_t n = t->name_len < sizeof(e->name) - 1 ? t->name_len : sizeof(e->name) - 1;
  memcpy(e->name, t->name, n);
  e->name[n] = '\0';
  e->hidden = hidden & BW_HIDDEN_INHERITED;
}

/* An end tag closes the nearest open element of its name and everything opened after it. */
static void pop_element(html_walk *w, const bw_html_token *t) {
  if (w->overflow) {
    w->overflow--;
    return;
  }
  for (size_t i = w->depth; i > 0; i--) {
    const open_element *e = &w->stack[i - 1];
    if (strlen(e->name) == t->name_len && memcmp(e->name, t->name, t->name_len) == 0) {
      w->depth = i - 1;
      return;
    }
  }
}

/* ---- token dispatch ------------------------------------------------------------ */

static int on_start_tag(html_walk *w, const bw_html_token *t) {
  resource_site el;
  describe_element(w, t, &el);
  char tag[32];
  size_t n = t->name_len < sizeof(tag) - 1 ? t->name_len : sizeof(tag) - 1;
  memcpy(tag, t->name, n);
  tag[n] = '\0';
  el.tag = tag;
  int rc = element_resources(w, t, &el);
  const bw_html_attr *style = attr_get(t, "style");
  if (rc == BW_OK && style) rc = scan_style_attribute(w, style, &el);
  if (rc == BW_OK) rc = element_links(w, t);
  w->in_style = tag_is(t, "style");
  if (!is_void_element(t)) push_element(w, t, el.hidden);
  return rc;
}

static int on_token(const bw_html_token *t, void *ctx) {
  html_walk *w = ctx;
  int style_text = w->in_style;
  w->in_style = 0;
  switch (t->type) {
  case BW_HTML_START_TAG: return on_start_tag(w, t) != BW_OK;
  case BW_HTML_END_TAG:
    if (tag_is(t, "a") && finish_link(w) != BW_OK) return 1;
    pop_element(w, t);
    return 0;
  case BW_HTML_TEXT:
    if (style_text) return scan_style_block(w, t) != BW_OK;
    if (w->link) append_link_text(w, t->data, t->data_len);
    return 0;
  default: return 0;
  }
}

int bw_extract_html(bw_extract_ctx *x, const bw_part *part) {
  size_t len = part->data_len;
  if (len > x->limits->max_html_bytes) {
    bw_findings_limit(x->findings, part->id, "html-bytes", x->limits->max_html_bytes,
                      "the rest of this HTML part was not examined");
    len = x->limits->max_html_bytes;
  }
  html_walk *w = calloc(1, sizeof(*w));
  if (!w) return BW_ENOMEM;
  w->x = x;
  w->part = part;
  bw_html_stats stats = {0};
  int rc = bw_html_tokenize(part->data, len, NULL, on_token, w, &stats);
  if (rc == 0) rc = finish_link(w);
  free(w);
  if (rc != 0) return BW_ENOMEM;
  if (stats.limit_hit)
    bw_findings_add(x->findings, "limit_exceeded", "html", BW_SEVERITY_MEDIUM, part->id,
                    "HTML tokenizer limit reached: %zu attributes dropped or tokens cut",
                    stats.attrs_dropped);
  return BW_OK;
}

/* ---- text/plain ----------------------------------------------------------------- */

typedef struct text_walk {
  bw_extract_ctx *x;
  const bw_part *part;
  int rc;
} text_walk;

static int on_text_url(const char *url, size_t len, size_t offset, void *ctx) {
  text_walk *tw = ctx;
  /* "www.example.org/x" is opened by clients as http://. */
  char *full = NULL;
  if (len >= 4 && strncasecmp(url, "www.", 4) == 0) {
    full = bw_arena_printf(tw->x->arena, "http://%.*s", (int)len, url);
    if (!full) {
      tw->rc = BW_ENOMEM;
      return 1;
    }
    url = full;
    len = strlen(full);
  }
  new_link(tw->x, tw->part, "text", NULL, url, len, offset, &tw->rc);
  return tw->rc != BW_OK;
}

int bw_extract_text(bw_extract_ctx *x, const bw_part *part) {
  text_walk tw = {.x = x, .part = part, .rc = BW_OK};
  bw_text_find_urls(part->data, part->data_len, on_text_url, &tw);
  return tw.rc;
}

int bw_extract_view(bw_extract_ctx *x, const bw_view *view) {
  for (size_t i = 0; i < view->n_parts; i++) {
    const bw_part *p = view->parts[i];
    if (p->is_attachment || !p->data) continue;
    int rc = BW_OK;
    if (strcmp(p->content_type, "text/html") == 0) rc = bw_extract_html(x, p);
    else if (strcmp(p->content_type, "text/plain") == 0) rc = bw_extract_text(x, p);
    if (rc != BW_OK) return rc;
  }
  return BW_OK;
}
