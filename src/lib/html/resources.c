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
 *
 * Most elements of mail HTML are layout (table, td, div, span) with inline
 * styles and nothing to fetch, so the CSS of an element is read only when it
 * matters: when the element itself has a resource, or when one appears
 * below it. Until then an open element keeps its style text (see
 * resolve_stack), and a tag's attributes are looked up by id once, not
 * compared by name for each question asked of them.
 */
#include "html/resources.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html/css.h"
#include "html/html_names.h"
#include "html/html_tokenizer.h"

enum {
  MAX_OPEN_ELEMENTS = 256, /* deeper nesting is tracked by count only */
  MAX_LINK_TEXT = 512,
  MAX_PENDING_STYLE = 64 * 1024 /* style text kept for unresolved open elements */
};

/* Hidden-ness that children inherit (size-based hiding does not propagate). */
#define BW_HIDDEN_INHERITED                                                                        \
  (BW_HIDDEN_DISPLAY_NONE | BW_HIDDEN_VISIBILITY | BW_HIDDEN_OPACITY | BW_HIDDEN_OFFSCREEN |       \
   BW_HIDDEN_CLIPPED | BW_HIDDEN_ATTRIBUTE | BW_HIDDEN_ANCESTOR)

typedef struct open_element {
  char name[15]; /* the first 15 bytes of the tag name, which is matched against end tags */
  unsigned char name_len;
  unsigned hidden;    /* once resolved: inheritable bits in effect for this element's children */
  unsigned own;       /* bits known without reading CSS (the hidden attribute) */
  unsigned style_off; /* its style text in html_walk.styles, while unresolved */
  unsigned style_len; /* 0: no style, or already resolved */
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
  const bw_part *part;
  size_t depth;    /* entries used in stack */
  size_t overflow; /* open elements beyond the stack */
  size_t resolved; /* stack[0 .. resolved) have their hidden bits worked out */
  char *styles;    /* style texts of the unresolved open elements, in stack order */
  size_t styles_len, styles_cap;
  int in_style;  /* the next text token is a <style> sheet */
  bw_link *link; /* the <a> whose text is being collected */
  size_t link_text_len;
  const char *link_alt;
  /* The large arrays come last: walk_new clears only what is read before it is written. */
  box_entry boxes[BOX_CACHE];
  open_element stack[MAX_OPEN_ELEMENTS];
  char link_text[MAX_LINK_TEXT];
} html_walk;

/* Where a resource was found, as reported with it. */
typedef struct resource_site {
  const char *tag, *attr, *kind, *context;
  size_t offset;
  double width, height;
  unsigned hidden;
} resource_site;

/*
 * A start tag as the extractor sees it: its tag id, the attributes it asks
 * about by id (found in one pass), and, worked out on first use, where its
 * resources sit (size, hidden-ness), which is the costly part.
 */
typedef struct element {
  const bw_html_token *t;
  bw_html_tag tag;
  unsigned present;                        /* bit i: attr[i] is set */
  const bw_html_attr *attr[BW_ATTR_COUNT]; /* the first attribute of each id; see attr_of */
  int described;                           /* site is filled in */
  resource_site site;
  char name[32]; /* the tag name for site.tag, cut at 31 bytes */
} element;

/* ---- small helpers -------------------------------------------------------- */

_Static_assert(BW_ATTR_COUNT <= 32, "element.present has a bit per attribute id");

/* The element's first attribute of this id, or NULL. */
static const bw_html_attr *attr_of(const element *el, bw_html_attr_id id) {
  return el->present >> id & 1 ? el->attr[id] : NULL;
}

static int value_is(const bw_html_attr *a, const char *s) {
  size_t n = strlen(s);
  return a && a->value_len == n && strncasecmp(a->value, s, n) == 0;
}

static int is_void_element(bw_html_tag tag) {
  switch (tag) {
  case BW_TAG_AREA:
  case BW_TAG_BASE:
  case BW_TAG_BR:
  case BW_TAG_COL:
  case BW_TAG_EMBED:
  case BW_TAG_HR:
  case BW_TAG_IMG:
  case BW_TAG_INPUT:
  case BW_TAG_KEYGEN:
  case BW_TAG_LINK:
  case BW_TAG_META:
  case BW_TAG_PARAM:
  case BW_TAG_SOURCE:
  case BW_TAG_TRACK:
  case BW_TAG_WBR:
  case BW_TAG_IMAGE:
    return 1;
  default:
    return 0;
  }
}

void bw_hidden_reasons(unsigned hidden, char *buf, size_t size) {
  static const struct {
    unsigned bit;
    const char *name;
  } names[] = {{BW_HIDDEN_DISPLAY_NONE, "display:none"},
               {BW_HIDDEN_VISIBILITY, "visibility:hidden"},
               {BW_HIDDEN_OPACITY, "opacity:0"},
               {BW_HIDDEN_OFFSCREEN, "offscreen"},
               {BW_HIDDEN_CLIPPED, "clipped"},
               {BW_HIDDEN_ZERO_SIZE, "zero-size"},
               {BW_HIDDEN_TINY, "tiny"},
               {BW_HIDDEN_ATTRIBUTE, "hidden-attribute"},
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

static int add_resource(html_walk *w, const resource_site *site, const char *url, size_t len) {
  while (len && (*url == ' ' || *url == '\t' || *url == '\n' || *url == '\r' || *url == '\f'))
    url++, len--;
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

/* ---- hidden-ness and size --------------------------------------------------- */

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

static size_t style_slot(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return (size_t)(h % BOX_CACHE);
}

/* What a style="" text says about size and visibility, through the cache of recent texts. */
static void box_of(html_walk *w, const char *style, size_t len, bw_css_box *out) {
  if (len == 0 || len > BOX_CACHE_TEXT) {
    bw_css_box_from_declarations(style, len, out);
    return;
  }
  box_entry *e = &w->boxes[style_slot(style, len)];
  if (e->len != len || memcmp(e->text, style, e->len) != 0) {
    bw_css_box_from_declarations(style, len, &e->box);
    memcpy(e->text, style, len);
    e->len = len;
  }
  *out = e->box;
}

/* The inheritable bits an element passes on, given its parent's, its own and its style. */
static unsigned inherited_bits(html_walk *w, unsigned parent, unsigned own, const char *style,
                               size_t style_len) {
  unsigned h = (parent ? BW_HIDDEN_ANCESTOR : 0) | own;
  if (style) {
    bw_css_box box;
    box_of(w, style, style_len, &box);
    h |= hidden_from_box(&box);
  }
  return h & BW_HIDDEN_INHERITED;
}

/*
 * Works out the hidden bits of every open element whose CSS was put off.
 * The resolved entries are always a prefix of the stack: resolving goes
 * bottom up (a child needs its parent's bits), and new entries go on top.
 */
static void resolve_stack(html_walk *w) {
  for (; w->resolved < w->depth; w->resolved++) {
    open_element *e = &w->stack[w->resolved];
    unsigned parent = w->resolved ? w->stack[w->resolved - 1].hidden : 0;
    const char *style = e->style_len ? w->styles + e->style_off : NULL;
    e->hidden = inherited_bits(w, parent, e->own, style, e->style_len);
    e->style_len = 0;
  }
}

/* The inheritable hidden bits in effect for a new child of the current element. */
static unsigned parent_hidden(html_walk *w) {
  if (!w->depth) return 0;
  resolve_stack(w);
  return w->stack[w->depth - 1].hidden;
}

/* Leading number of an HTML length attribute ("1", "1px", " 2.0 "); -1 when absent or a percentage.
 */
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

/* Size and hidden-ness of the element a start tag opens; worked out when first needed. */
static const resource_site *site_of(html_walk *w, element *el) {
  if (el->described) return &el->site;
  const bw_html_token *t = el->t;
  resource_site *site = &el->site;
  size_t n = t->name_len < sizeof(el->name) - 1 ? t->name_len : sizeof(el->name) - 1;
  memcpy(el->name, t->name, n);
  el->name[n] = '\0';
  site->tag = el->name;
  site->offset = t->offset;
  site->width = parse_dimension(attr_of(el, BW_ATTR_WIDTH));
  site->height = parse_dimension(attr_of(el, BW_ATTR_HEIGHT));
  site->hidden = parent_hidden(w) ? BW_HIDDEN_ANCESTOR : 0;
  const bw_html_attr *style = attr_of(el, BW_ATTR_STYLE);
  if (style) {
    bw_css_box box;
    box_of(w, style->value, style->value_len, &box);
    if (box.width_px >= 0) site->width = box.width_px;
    if (box.height_px >= 0) site->height = box.height_px;
    site->hidden |= hidden_from_box(&box);
  }
  if (attr_of(el, BW_ATTR_HIDDEN)) site->hidden |= BW_HIDDEN_ATTRIBUTE;
  site->hidden |= hidden_from_size(site->width, site->height);
  el->described = 1;
  return site;
}

/* ---- CSS ------------------------------------------------------------------ */

typedef struct css_sink {
  html_walk *w;
  element *el;   /* the element of a style attribute; NULL in a <style> block */
  size_t offset; /* of the <style> block's text */
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
  resource_site site;
  if (s->el) {
    site = *site_of(s->w, s->el);
    site.attr = "style";
    site.context = "style-attribute";
  } else {
    site = (resource_site){.tag = "style",
                           .context = "style-block",
                           .offset = s->offset,
                           .width = -1,
                           .height = -1,
                           .hidden = parent_hidden(s->w)};
  }
  site.kind = css_ref_kind(ref);
  if (ref->kind == BW_CSS_REF_IMPORT) site.context = "style-block";
  s->rc = add_resource(s->w, &site, ref->url, ref->url_len);
  return s->rc != BW_OK;
}

static int scan_style_block(html_walk *w, const bw_html_token *t) {
  css_sink sink = {.w = w, .offset = t->offset, .rc = BW_OK};
  if (!bw_css_may_reference(t->data, t->data_len)) return BW_OK;
  if (bw_css_scan_sheet(t->data, t->data_len, on_css_ref, &sink) < 0) return BW_ENOMEM;
  return sink.rc;
}

static int scan_style_attribute(html_walk *w, element *el) {
  const bw_html_attr *style = attr_of(el, BW_ATTR_STYLE);
  css_sink sink = {.w = w, .el = el, .rc = BW_OK};
  if (!bw_css_may_reference(style->value, style->value_len)) return BW_OK;
  if (bw_css_scan_declarations(style->value, style->value_len, on_css_ref, &sink) < 0)
    return BW_ENOMEM;
  return sink.rc;
}

/* ---- element attributes ----------------------------------------------------- */

static int add_attr_resource(html_walk *w, element *el, bw_html_attr_id id, const char *kind) {
  const bw_html_attr *a = attr_of(el, id);
  if (!a) return BW_OK;
  resource_site site = *site_of(w, el);
  site.attr = bw_html_attr_name(id);
  site.kind = kind;
  site.context = "attribute";
  return add_resource(w, &site, a->value, a->value_len);
}

/* srcset: comma-separated "url [descriptor]" candidates; a URL itself may contain commas. */
static int add_srcset(html_walk *w, element *el) {
  const bw_html_attr *a = attr_of(el, BW_ATTR_SRCSET);
  if (!a) return BW_OK;
  resource_site site = *site_of(w, el);
  site.attr = "srcset";
  site.kind = "image";
  site.context = "srcset";
  const char *s = a->value, *end = a->value + a->value_len;
  while (s < end) {
    while (s < end &&
           (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == ','))
      s++;
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
  } kinds[] = {{"stylesheet", "stylesheet"},   {"icon", "icon"},
               {"apple-touch-icon", "icon"},   {"mask-icon", "icon"},
               {"preload", "preload"},         {"modulepreload", "preload"},
               {"prefetch", "preload"},        {"prerender", "preload"},
               {"dns-prefetch", "preconnect"}, {"preconnect", "preconnect"}};
  const char *s = rel->value, *end = rel->value + rel->value_len;
  while (s < end) {
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\n')) s++;
    const char *tok = s;
    while (s < end && *s != ' ' && *s != '\t' && *s != '\n') s++;
    size_t n = (size_t)(s - tok);
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
      if (strlen(kinds[i].token) == n && strncasecmp(tok, kinds[i].token, n) == 0)
        return kinds[i].kind;
  }
  return NULL;
}

/* <meta http-equiv=refresh content="5; url=https://..."> */
static int add_meta_refresh(html_walk *w, element *el) {
  if (!value_is(attr_of(el, BW_ATTR_HTTP_EQUIV), "refresh")) return BW_OK;
  const bw_html_attr *content = attr_of(el, BW_ATTR_CONTENT);
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
  resource_site site = *site_of(w, el);
  site.attr = "content";
  site.kind = "refresh";
  site.context = "attribute";
  return add_resource(w, &site, s, (size_t)(end - s));
}

static int element_resources(html_walk *w, element *el) {
  int rc = BW_OK;
  switch (el->tag) {
  case BW_TAG_IMG:
    rc = add_attr_resource(w, el, BW_ATTR_SRC, "image");
    if (rc == BW_OK) rc = add_srcset(w, el);
    break;
  case BW_TAG_SOURCE:
    rc = add_attr_resource(w, el, BW_ATTR_SRC, "media");
    if (rc == BW_OK) rc = add_srcset(w, el);
    break;
  case BW_TAG_INPUT:
    if (value_is(attr_of(el, BW_ATTR_TYPE), "image"))
      rc = add_attr_resource(w, el, BW_ATTR_SRC, "image");
    break;
  case BW_TAG_VIDEO:
    rc = add_attr_resource(w, el, BW_ATTR_POSTER, "image");
    if (rc == BW_OK) rc = add_attr_resource(w, el, BW_ATTR_SRC, "media");
    break;
  case BW_TAG_AUDIO:
  case BW_TAG_TRACK:
    rc = add_attr_resource(w, el, BW_ATTR_SRC, "media");
    break;
  case BW_TAG_IFRAME:
  case BW_TAG_FRAME:
    rc = add_attr_resource(w, el, BW_ATTR_SRC, "frame");
    break;
  case BW_TAG_EMBED:
    rc = add_attr_resource(w, el, BW_ATTR_SRC, "object");
    break;
  case BW_TAG_OBJECT:
    rc = add_attr_resource(w, el, BW_ATTR_DATA, "object");
    break;
  case BW_TAG_SCRIPT:
    rc = add_attr_resource(w, el, BW_ATTR_SRC, "script");
    break;
  case BW_TAG_IMAGE:
  case BW_TAG_USE:
  case BW_TAG_FEIMAGE:
    rc = add_attr_resource(w, el, BW_ATTR_HREF, "image");
    if (rc == BW_OK) rc = add_attr_resource(w, el, BW_ATTR_XLINK_HREF, "image");
    break;
  case BW_TAG_LINK: {
    const char *kind = link_rel_kind(attr_of(el, BW_ATTR_REL));
    if (kind) rc = add_attr_resource(w, el, BW_ATTR_HREF, kind);
    break;
  }
  case BW_TAG_META:
    rc = add_meta_refresh(w, el);
    break;
  default:
    break;
  }
  if (rc == BW_OK) rc = add_attr_resource(w, el, BW_ATTR_BACKGROUND, "background");
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
      if (w->link_text_len && w->link_text[w->link_text_len - 1] != ' ')
        w->link_text[w->link_text_len++] = ' ';
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

static int element_links(html_walk *w, element *el) {
  int rc = BW_OK;
  const bw_html_token *t = el->t;
  if (el->tag == BW_TAG_A) {
    rc = finish_link(w); /* an <a> inside an <a> closes the first, as a parser would */
    const bw_html_attr *href = attr_of(el, BW_ATTR_HREF);
    if (rc == BW_OK && href && href->value_len)
      w->link = new_link(w->x, w->part, "a", "href", href->value, href->value_len, t->offset, &rc);
  } else if (el->tag == BW_TAG_AREA || el->tag == BW_TAG_FORM) {
    int area = el->tag == BW_TAG_AREA;
    const bw_html_attr *a = attr_of(el, area ? BW_ATTR_HREF : BW_ATTR_ACTION);
    if (a && a->value_len) {
      bw_link *l = new_link(w->x, w->part, area ? "area" : "form", area ? "href" : "action",
                            a->value, a->value_len, t->offset, &rc);
      const bw_html_attr *alt = attr_of(el, BW_ATTR_ALT);
      if (l && alt) l->text = bw_arena_strndup(w->x->arena, alt->value, alt->value_len);
    }
  } else if (el->tag == BW_TAG_IMG && w->link && !w->link_alt) {
    const bw_html_attr *alt = attr_of(el, BW_ATTR_ALT);
    if (alt && alt->value_len)
      w->link_alt = bw_arena_strndup(w->x->arena, alt->value, alt->value_len);
  }
  return rc;
}

/* ---- the open-element stack --------------------------------------------------- */

/* Keeps an element's style text until its hidden bits are asked for; 0 when over the budget. */
static int defer_style(html_walk *w, open_element *e, const bw_html_attr *style) {
  if (w->styles_len + style->value_len > MAX_PENDING_STYLE) return 0;
  if (w->styles_len + style->value_len > w->styles_cap) {
    size_t cap = w->styles_cap ? w->styles_cap : 4096;
    while (cap < w->styles_len + style->value_len) cap *= 2;
    char *p = realloc(w->styles, cap);
    if (!p) return 0;
    w->styles = p;
    w->styles_cap = cap;
  }
  memcpy(w->styles + w->styles_len, style->value, style->value_len);
  e->style_off = (unsigned)w->styles_len;
  e->style_len = (unsigned)style->value_len;
  w->styles_len += style->value_len;
  return 1;
}

/*
 * Opens an element. Its hidden bits are known already when it was described
 * (it had a resource); otherwise working them out, which means reading its
 * CSS, waits until something below it has a resource, which most never do.
 */
static void push_element(html_walk *w, element *el) {
  if (w->depth == MAX_OPEN_ELEMENTS) {
    w->overflow++;
    return;
  }
  const bw_html_token *t = el->t;
  const bw_html_attr *style = attr_of(el, BW_ATTR_STYLE);
  open_element *e = &w->stack[w->depth];
  size_t n = t->name_len < sizeof(e->name) ? t->name_len : sizeof(e->name);
  memcpy(e->name, t->name, n);
  e->name_len = (unsigned char)n;
  e->own = attr_of(el, BW_ATTR_HIDDEN) ? BW_HIDDEN_ATTRIBUTE : 0;
  e->style_off = (unsigned)w->styles_len;
  e->style_len = 0;
  if (el->described) { /* site_of has resolved every element below */
    e->hidden = el->site.hidden & BW_HIDDEN_INHERITED;
  } else if (style && style->value_len && !defer_style(w, e, style)) {
    /* Too much style text pending already: read this one now instead. */
    e->hidden = inherited_bits(w, parent_hidden(w), e->own, style->value, style->value_len);
  } else {
    w->depth++; /* resolved later, if ever needed */
    return;
  }
  w->depth++;
  w->resolved = w->depth;
}

/* Drops open elements down to depth, with their pending style text. */
static void truncate_stack(html_walk *w, size_t depth) {
  w->styles_len = w->stack[depth].style_off;
  w->depth = depth;
  if (w->resolved > depth) w->resolved = depth;
}

/* An end tag closes the nearest open element of its name and everything opened after it. */
static void pop_element(html_walk *w, const bw_html_token *t) {
  if (w->overflow) {
    w->overflow--;
    return;
  }
  /* The stack keeps names cut to 15 bytes, so a longer end tag name matches none. */
  if (t->name_len > sizeof(w->stack[0].name)) return;
  for (size_t i = w->depth; i > 0; i--) {
    const open_element *e = &w->stack[i - 1];
    if (e->name_len == t->name_len && memcmp(e->name, t->name, t->name_len) == 0) {
      truncate_stack(w, i - 1);
      return;
    }
  }
}

/* ---- token dispatch ------------------------------------------------------------ */

/* Finds the attributes the extractor asks about, in one pass over the tag. */
static void read_attributes(element *el) {
  const bw_html_token *t = el->t;
  el->present = 0; /* cheaper than clearing attr[], which this tag mostly does not use */
  for (size_t i = 0; i < t->n_attrs; i++) {
    bw_html_attr_id id = bw_html_attr_lookup(t->attrs[i].name, t->attrs[i].name_len);
    if (id != BW_ATTR_OTHER && !attr_of(el, id)) {
      el->attr[id] = &t->attrs[i];
      el->present |= 1u << id;
    }
  }
}

static int on_start_tag(html_walk *w, const bw_html_token *t) {
  element el;
  el.t = t;
  el.tag = bw_html_tag_lookup(t->name, t->name_len);
  el.described = 0;
  read_attributes(&el);
  int rc = element_resources(w, &el);
  if (rc == BW_OK && attr_of(&el, BW_ATTR_STYLE)) rc = scan_style_attribute(w, &el);
  if (rc == BW_OK) rc = element_links(w, &el);
  w->in_style = el.tag == BW_TAG_STYLE;
  if (!is_void_element(el.tag)) push_element(w, &el);
  return rc;
}

static int on_token(const bw_html_token *t, void *ctx) {
  html_walk *w = ctx;
  int style_text = w->in_style;
  w->in_style = 0;
  switch (t->type) {
  case BW_HTML_START_TAG:
    return on_start_tag(w, t) != BW_OK;
  case BW_HTML_END_TAG:
    if (t->name_len == 1 && t->name[0] == 'a' && finish_link(w) != BW_OK) return 1;
    pop_element(w, t);
    return 0;
  case BW_HTML_TEXT:
    if (style_text) return scan_style_block(w, t) != BW_OK;
    if (w->link) append_link_text(w, t->data, t->data_len);
    return 0;
  default:
    return 0;
  }
}

/*
 * The state of the walk over one part. Not calloc'd whole: it is ~22 KiB,
 * mostly the box cache, the stack and the link text, which are written
 * before they are read, except the cache entries' lengths.
 */
static html_walk *walk_new(bw_extract_ctx *x, const bw_part *part) {
  html_walk *w = malloc(sizeof(*w));
  if (!w) return NULL;
  memset(w, 0, offsetof(html_walk, boxes));
  for (size_t i = 0; i < BOX_CACHE; i++) w->boxes[i].len = 0;
  w->x = x;
  w->part = part;
  return w;
}

int bw_extract_html(bw_extract_ctx *x, const bw_part *part) {
  size_t len = part->data_len;
  if (len > x->limits->max_html_bytes) {
    bw_findings_limit(x->findings, part->id, "html-bytes", x->limits->max_html_bytes,
                      "the rest of this HTML part was not examined");
    len = x->limits->max_html_bytes;
  }
  html_walk *w = walk_new(x, part);
  if (!w) return BW_ENOMEM;
  bw_html_stats stats = {0};
  int rc = bw_html_tokenize(part->data, len, NULL, on_token, w, &stats);
  if (rc == 0) rc = finish_link(w);
  free(w->styles);
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
    if (strcmp(p->content_type, "text/html") == 0)
      rc = bw_extract_html(x, p);
    else if (strcmp(p->content_type, "text/plain") == 0)
      rc = bw_extract_text(x, p);
    if (rc != BW_OK) return rc;
  }
  return BW_OK;
}
