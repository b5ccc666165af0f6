/*
 * html_names.c - tag and attribute names to ids (see html_names.h).
 *
 * A lookup switches on the name's length and then compares with the few
 * names of that length. The comparisons have constant lengths, so the
 * compiler turns each into one or two integer compares: no hashing, no
 * table to build at start-up, nothing shared between threads. The name
 * tables below are the reverse mapping; test_html_names checks that the two
 * agree for every id.
 */
#include "html/html_names.h"

#include <string.h>

static const char *const TAG_NAMES[BW_TAG_COUNT] = {
    [BW_TAG_OTHER] = "",        [BW_TAG_A] = "a",           [BW_TAG_AREA] = "area",
    [BW_TAG_AUDIO] = "audio",   [BW_TAG_BASE] = "base",     [BW_TAG_BR] = "br",
    [BW_TAG_COL] = "col",       [BW_TAG_EMBED] = "embed",   [BW_TAG_FEIMAGE] = "feimage",
    [BW_TAG_FORM] = "form",     [BW_TAG_FRAME] = "frame",   [BW_TAG_HR] = "hr",
    [BW_TAG_IFRAME] = "iframe", [BW_TAG_IMAGE] = "image",   [BW_TAG_IMG] = "img",
    [BW_TAG_INPUT] = "input",   [BW_TAG_KEYGEN] = "keygen", [BW_TAG_LINK] = "link",
    [BW_TAG_META] = "meta",     [BW_TAG_OBJECT] = "object", [BW_TAG_PARAM] = "param",
    [BW_TAG_SCRIPT] = "script", [BW_TAG_SOURCE] = "source", [BW_TAG_STYLE] = "style",
    [BW_TAG_TRACK] = "track",   [BW_TAG_USE] = "use",       [BW_TAG_VIDEO] = "video",
    [BW_TAG_WBR] = "wbr"};

static const char *const ATTR_NAMES[BW_ATTR_COUNT] = {
    [BW_ATTR_OTHER] = "",          [BW_ATTR_ACTION] = "action",
    [BW_ATTR_ALT] = "alt",         [BW_ATTR_BACKGROUND] = "background",
    [BW_ATTR_CONTENT] = "content", [BW_ATTR_DATA] = "data",
    [BW_ATTR_HEIGHT] = "height",   [BW_ATTR_HIDDEN] = "hidden",
    [BW_ATTR_HREF] = "href",       [BW_ATTR_HTTP_EQUIV] = "http-equiv",
    [BW_ATTR_POSTER] = "poster",   [BW_ATTR_REL] = "rel",
    [BW_ATTR_SRC] = "src",         [BW_ATTR_SRCSET] = "srcset",
    [BW_ATTR_STYLE] = "style",     [BW_ATTR_TYPE] = "type",
    [BW_ATTR_WIDTH] = "width",     [BW_ATTR_XLINK_HREF] = "xlink:href"};

/* s spells the literal; only used where the switch has already matched the length. */
#define IS(lit) (memcmp(s, lit, sizeof(lit) - 1) == 0)

bw_html_tag bw_html_tag_lookup(const char *s, size_t n) {
  switch (n) {
  case 1:
    return s[0] == 'a' ? BW_TAG_A : BW_TAG_OTHER;
  case 2:
    if (IS("br")) return BW_TAG_BR;
    if (IS("hr")) return BW_TAG_HR;
    break;
  case 3:
    if (IS("img")) return BW_TAG_IMG;
    if (IS("col")) return BW_TAG_COL;
    if (IS("use")) return BW_TAG_USE;
    if (IS("wbr")) return BW_TAG_WBR;
    break;
  case 4:
    if (IS("link")) return BW_TAG_LINK;
    if (IS("meta")) return BW_TAG_META;
    if (IS("area")) return BW_TAG_AREA;
    if (IS("base")) return BW_TAG_BASE;
    if (IS("form")) return BW_TAG_FORM;
    break;
  case 5:
    if (IS("style")) return BW_TAG_STYLE;
    if (IS("input")) return BW_TAG_INPUT;
    if (IS("image")) return BW_TAG_IMAGE;
    if (IS("audio")) return BW_TAG_AUDIO;
    if (IS("embed")) return BW_TAG_EMBED;
    if (IS("frame")) return BW_TAG_FRAME;
    if (IS("param")) return BW_TAG_PARAM;
    if (IS("track")) return BW_TAG_TRACK;
    if (IS("video")) return BW_TAG_VIDEO;
    break;
  case 6:
    if (IS("script")) return BW_TAG_SCRIPT;
    if (IS("source")) return BW_TAG_SOURCE;
    if (IS("iframe")) return BW_TAG_IFRAME;
    if (IS("object")) return BW_TAG_OBJECT;
    if (IS("keygen")) return BW_TAG_KEYGEN;
    break;
  case 7:
    if (IS("feimage")) return BW_TAG_FEIMAGE;
    break;
  }
  return BW_TAG_OTHER;
}

bw_html_attr_id bw_html_attr_lookup(const char *s, size_t n) {
  switch (n) {
  case 3:
    if (IS("src")) return BW_ATTR_SRC;
    if (IS("alt")) return BW_ATTR_ALT;
    if (IS("rel")) return BW_ATTR_REL;
    break;
  case 4:
    if (IS("href")) return BW_ATTR_HREF;
    if (IS("type")) return BW_ATTR_TYPE;
    if (IS("data")) return BW_ATTR_DATA;
    break;
  case 5:
    if (IS("style")) return BW_ATTR_STYLE;
    if (IS("width")) return BW_ATTR_WIDTH;
    break;
  case 6:
    if (IS("height")) return BW_ATTR_HEIGHT;
    if (IS("srcset")) return BW_ATTR_SRCSET;
    if (IS("hidden")) return BW_ATTR_HIDDEN;
    if (IS("action")) return BW_ATTR_ACTION;
    if (IS("poster")) return BW_ATTR_POSTER;
    break;
  case 7:
    if (IS("content")) return BW_ATTR_CONTENT;
    break;
  case 10:
    if (IS("background")) return BW_ATTR_BACKGROUND;
    if (IS("http-equiv")) return BW_ATTR_HTTP_EQUIV;
    if (IS("xlink:href")) return BW_ATTR_XLINK_HREF;
    break;
  }
  return BW_ATTR_OTHER;
}

const char *bw_html_tag_name(bw_html_tag tag) {
  return (unsigned)tag < BW_TAG_COUNT ? TAG_NAMES[tag] : "";
}

const char *bw_html_attr_name(bw_html_attr_id attr) {
  return (unsigned)attr < BW_ATTR_COUNT ? ATTR_NAMES[attr] : "";
}
