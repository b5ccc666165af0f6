/*
 * fuzz_css.c - libFuzzer target for the CSS scanner.
 *
 * Runs the input as a style sheet, as a declaration list and as inline
 * box declarations, and checks that every reported reference is well formed
 * (offset inside the input, a known kind, a lowercase property; no @import
 * or @font-face in a declaration list) and that the box holds only -1 or
 * finite non-negative sizes and 0/1 flags.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "html/css.h"

static void check(int ok) {
  if (!ok) abort();
}

typedef struct seen {
  size_t len;
  int sheet;
} seen;

static int on_ref(const bw_css_ref *ref, void *p) {
  const seen *s = p;
  check(ref->offset < s->len);
  check(ref->url != NULL || ref->url_len == 0);
  check(ref->property != NULL);
  check(ref->kind == BW_CSS_REF_URL ||
        (s->sheet && (ref->kind == BW_CSS_REF_IMPORT || ref->kind == BW_CSS_REF_FONT_FACE)));
  if (ref->kind == BW_CSS_REF_IMPORT) check(ref->property_len == 0);
  for (size_t i = 0; i < ref->property_len; i++)
    check(!(ref->property[i] >= 'A' && ref->property[i] <= 'Z'));
  /* Touch every byte so ASan sees any out-of-bounds pointer. */
  volatile unsigned char sink = 0;
  for (size_t i = 0; i < ref->url_len; i++) sink ^= (unsigned char)ref->url[i];
  (void)sink;
  return 0;
}

static void check_size(double v) {
  check(v == -1 || (isfinite(v) && v >= 0));
}

static void check_flag(int f) {
  check(f == 0 || f == 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *css = (const char *)data;
  seen sheet = {size, 1}, decls = {size, 0};
  check(bw_css_scan_sheet(css, size, on_ref, &sheet) == 0);
  check(bw_css_scan_declarations(css, size, on_ref, &decls) == 0);
  bw_css_box b;
  bw_css_box_from_declarations(css, size, &b);
  check_size(b.width_px);
  check_size(b.height_px);
  check_flag(b.display_none);
  check_flag(b.visibility_hidden);
  check_flag(b.opacity_zero);
  check_flag(b.offscreen);
  check_flag(b.clipped);
  check_flag(b.max_zero);
  return 0;
}
