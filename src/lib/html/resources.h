/*
 * resources.h - every remotely loaded resource and every link in a message.
 *
 * A resource is anything a mail client may fetch when the message is merely
 * opened (images, backgrounds, style sheets, fonts, frames, icons, refresh
 * targets); a link is what a click fetches. Both carry where they were found,
 * so the detectors and the rewriter can explain and act on them.
 */
#ifndef BW_HTML_RESOURCES_H
#define BW_HTML_RESOURCES_H

#include <stddef.h>

#include "findings.h"
#include "mime/view.h"
#include "url/url.h"
#include "util/arena.h"

/* Why an element is not visible; a resource may have several. */
enum {
  BW_HIDDEN_DISPLAY_NONE = 1 << 0,
  BW_HIDDEN_VISIBILITY = 1 << 1,
  BW_HIDDEN_OPACITY = 1 << 2,
  BW_HIDDEN_OFFSCREEN = 1 << 3,
  BW_HIDDEN_CLIPPED = 1 << 4,
  BW_HIDDEN_ZERO_SIZE = 1 << 5,  /* width or height of 0 */
  BW_HIDDEN_TINY = 1 << 6,       /* both dimensions 2 px or less */
  BW_HIDDEN_ATTRIBUTE = 1 << 7,  /* the HTML hidden attribute */
  BW_HIDDEN_ANCESTOR = 1 << 8    /* inside an element hidden by one of the above */
};

typedef struct bw_resource {
  const char *part;    /* MIME part id */
  const char *tag;     /* element name, or "style" for a <style> block */
  const char *attr;    /* attribute the URL came from ("src", "style", ...), NULL in a style block */
  const char *kind;    /* image, background, stylesheet, import, font, icon, preload, frame, object,
                          media, script, refresh */
  const char *context; /* attribute, srcset, style-attribute, style-block */
  bw_url url;
  double width, height; /* declared size in px from attributes or inline CSS; -1 when unknown */
  unsigned hidden;      /* BW_HIDDEN_* bits */
  size_t offset;        /* byte offset of the element in the part's decoded text */
} bw_resource;

typedef struct bw_link {
  const char *part;
  const char *tag;  /* a, area, form, or "text" for a URL in a text/plain part */
  const char *attr; /* href, action; NULL for text */
  bw_url url;
  const char *text; /* visible text (whitespace collapsed, at most 512 bytes), or img alt */
  size_t offset;
} bw_link;

typedef struct bw_extraction {
  bw_ptrvec resources; /* bw_resource* in document order */
  bw_ptrvec links;     /* bw_link* in document order */
  size_t n_urls;
  int url_limit_reported;
} bw_extraction;

typedef struct bw_extract_ctx {
  const bw_url_ctx *urls;
  const bw_limits *limits;
  bw_arena *arena;
  bw_findings *findings;
  bw_extraction *out;
} bw_extract_ctx;

/* Extracts resources and links from a text/html part's decoded text. */
int bw_extract_html(bw_extract_ctx *x, const bw_part *part);
/* Extracts URLs from a text/plain part as links. */
int bw_extract_text(bw_extract_ctx *x, const bw_part *part);
/* Runs the right extractor over every text leaf of the view. */
int bw_extract_view(bw_extract_ctx *x, const bw_view *view);

/* Writes the comma-separated names of the hidden reasons ("display:none,tiny") into buf. */
void bw_hidden_reasons(unsigned hidden, char *buf, size_t size);

#endif
