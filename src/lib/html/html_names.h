/*
 * html_names.h - the element and attribute names the extractor acts on, as
 * small integer ids.
 *
 * The resource extractor asks of every tag "is it img? source? a? void?"
 * and of every attribute "is it src? style? width?". Comparing the name with
 * each candidate string in turn made those questions a large part of the
 * scan; looking a name up once and switching on its id makes them free.
 * Names are the tokenizer's (ASCII-lowercased); any other name is
 * BW_TAG_OTHER / BW_ATTR_OTHER.
 */
#ifndef BW_HTML_NAMES_H
#define BW_HTML_NAMES_H

#include <stddef.h>

typedef enum bw_html_tag {
  BW_TAG_OTHER = 0,
  BW_TAG_A,
  BW_TAG_AREA,
  BW_TAG_AUDIO,
  BW_TAG_BASE,
  BW_TAG_BR,
  BW_TAG_COL,
  BW_TAG_EMBED,
  BW_TAG_FEIMAGE,
  BW_TAG_FORM,
  BW_TAG_FRAME,
  BW_TAG_HR,
  BW_TAG_IFRAME,
  BW_TAG_IMAGE,
  BW_TAG_IMG,
  BW_TAG_INPUT,
  BW_TAG_KEYGEN,
  BW_TAG_LINK,
  BW_TAG_META,
  BW_TAG_OBJECT,
  BW_TAG_PARAM,
  BW_TAG_SCRIPT,
  BW_TAG_SOURCE,
  BW_TAG_STYLE,
  BW_TAG_TRACK,
  BW_TAG_USE,
  BW_TAG_VIDEO,
  BW_TAG_WBR,
  BW_TAG_COUNT
} bw_html_tag;

typedef enum bw_html_attr_id {
  BW_ATTR_OTHER = 0,
  BW_ATTR_ACTION,
  BW_ATTR_ALT,
  BW_ATTR_BACKGROUND,
  BW_ATTR_CONTENT,
  BW_ATTR_DATA,
  BW_ATTR_HEIGHT,
  BW_ATTR_HIDDEN,
  BW_ATTR_HREF,
  BW_ATTR_HTTP_EQUIV,
  BW_ATTR_POSTER,
  BW_ATTR_REL,
  BW_ATTR_SRC,
  BW_ATTR_SRCSET,
  BW_ATTR_STYLE,
  BW_ATTR_TYPE,
  BW_ATTR_WIDTH,
  BW_ATTR_XLINK_HREF,
  BW_ATTR_COUNT
} bw_html_attr_id;

/* The id of a lowercased tag name (not NUL-terminated), or BW_TAG_OTHER. */
bw_html_tag bw_html_tag_lookup(const char *name, size_t len);
/* The id of a lowercased attribute name, or BW_ATTR_OTHER. */
bw_html_attr_id bw_html_attr_lookup(const char *name, size_t len);

/* The name of an id ("img", "srcset"); "" for the OTHER ids and out-of-range values. */
const char *bw_html_tag_name(bw_html_tag tag);
const char *bw_html_attr_name(bw_html_attr_id attr);

#endif
