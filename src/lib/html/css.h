/*
 * css.h - a small CSS scanner for what loads remotely and what hides an element.
 *
 * Not a CSS parser: it tokenizes CSS (comments, strings, escapes, url()
 * tokens, at-rules and blocks per CSS Syntax Level 3) just far enough to find
 * every url() and @import, to know whether a url() sits inside @font-face, and
 * to read the handful of properties that size or hide an element.
 */
#ifndef BW_CSS_H
#define BW_CSS_H

#include <stddef.h>

typedef enum bw_css_ref_kind {
  BW_CSS_REF_URL,       /* url() in an ordinary declaration */
  BW_CSS_REF_IMPORT,    /* @import "x" or @import url(x) */
  BW_CSS_REF_FONT_FACE  /* url() inside an @font-face rule */
} bw_css_ref_kind;

typedef struct bw_css_ref {
  bw_css_ref_kind kind;
  const char *url; /* CSS escapes decoded, surrounding whitespace trimmed */
  size_t url_len;
  const char *property; /* the declaration's property, lowercased ("background-image", "src"); "" for @import */
  size_t property_len;
  size_t offset; /* byte offset of the url( or @import in the input */
} bw_css_ref;

/* Return non-zero to stop; the scan returns that value. */
typedef int (*bw_css_ref_fn)(const bw_css_ref *ref, void *ctx);

/* Scans a style sheet (a <style> block or linked sheet text). Returns 0, the callback's value, or -1 on OOM. */
int bw_css_scan_sheet(const char *css, size_t len, bw_css_ref_fn fn, void *ctx);
/* Scans a declaration list (a style="" attribute). */
int bw_css_scan_declarations(const char *css, size_t len, bw_css_ref_fn fn, void *ctx);

/*
 * 0 when css certainly holds no reference (no url(, image(), image-set(),
 * src(), @import and no escape that could spell one), so the scan can be
 * skipped: most style attributes in mail only set colours and fonts.
 */
int bw_css_may_reference(const char *css, size_t len);

/* What inline declarations say about an element's size and visibility. */
typedef struct bw_css_box {
  double width_px;  /* -1 when not given in px (or a unit convertible to px) */
  double height_px;
  int display_none;      /* display:none */
  int visibility_hidden; /* visibility:hidden or collapse */
  int opacity_zero;      /* opacity <= 0.01 */
  int offscreen;         /* position absolute/fixed with left/top <= -500px, or text-indent <= -500px */
  int clipped;           /* clip: rect(0 0 0 0)-like, clip-path inset(50%)/circle(0) */
  int max_zero;          /* max-width:0 or max-height:0 (or overflow hidden with zero size) */
} bw_css_box;

/* Reads a declaration list; later declarations win, !important is honoured. */
void bw_css_box_from_declarations(const char *css, size_t len, bw_css_box *out);

#endif
