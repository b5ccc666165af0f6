/*
 * html_tokenizer.h - an HTML5 tokenizer that follows the WHATWG tokenization
 * states, without tree construction.
 *
 * Why our own: gumbo, the HTML5 parser in Debian, builds a full tree and
 * parses only ~27 MB/s here, which made it most of the scan's CPU time. The
 * scan needs tokens (tags, attributes, text), not a tree. gumbo stays as the
 * oracle of a differential test (tests/differential/html_vs_gumbo.c).
 *
 * The tokenizer switches to the RCDATA / RAWTEXT / script data / PLAINTEXT
 * states after the start tags that make a tree builder do so (title,
 * textarea; style, xmp, iframe, noembed, noframes; script; plaintext), and
 * honours CDATA sections only inside svg/math, as the tree builder would.
 * Deliberate differences from a full parser are listed in docs/html.md.
 */
#ifndef BW_HTML_TOKENIZER_H
#define BW_HTML_TOKENIZER_H

#include <stddef.h>

typedef enum bw_html_token_type {
  BW_HTML_START_TAG,
  BW_HTML_END_TAG,
  BW_HTML_TEXT,    /* a run of character tokens, coalesced */
  BW_HTML_COMMENT,
  BW_HTML_DOCTYPE
} bw_html_token_type;

typedef struct bw_html_attr {
  const char *name; /* ASCII-lowercased as the spec says */
  size_t name_len;
  const char *value; /* character references decoded, UTF-8 */
  size_t value_len;
  size_t offset; /* byte offset of the attribute name in the input */
} bw_html_attr;

typedef struct bw_html_token {
  bw_html_token_type type;
  const char *name; /* tag or doctype name, ASCII-lowercased; NULL for text/comment */
  size_t name_len;
  const bw_html_attr *attrs; /* duplicate attribute names dropped, first wins (spec) */
  size_t n_attrs;
  int self_closing;
  const char *data; /* text (references decoded) or comment data */
  size_t data_len;
  size_t offset; /* byte offset in the input where the token starts */
  size_t end;    /* byte offset just past the token */
} bw_html_token;

/* Return non-zero to stop tokenizing (bw_html_tokenize then returns that value). */
typedef int (*bw_html_token_fn)(const bw_html_token *tok, void *ctx);

typedef struct bw_html_stats {
  size_t parse_errors;     /* spec parse errors seen (an evasion signal when many) */
  size_t attrs_dropped;    /* attributes over max_attrs or duplicates */
  int limit_hit;           /* 1 when a limit below cut something */
} bw_html_stats;

typedef struct bw_html_opts {
  size_t max_attrs;        /* per tag; 0 = default 256 */
  size_t max_token_bytes;  /* one tag, comment or text run; 0 = default 4 MiB */
} bw_html_opts;

/*
 * Tokenizes input (any bytes; invalid UTF-8 passes through unchanged and NUL
 * becomes U+FFFD where the spec says so). Pointers inside a token are valid
 * only during the callback. Returns 0, the callback's non-zero value, or -1
 * when out of memory. opts and stats may be NULL.
 */
int bw_html_tokenize(const char *input, size_t len, const bw_html_opts *opts,
                     bw_html_token_fn fn, void *ctx, bw_html_stats *stats);

/*
 * Decodes character references in s (as in an attribute value when
 * in_attribute, else as in text) into out, which must hold at least len
 * bytes plus 8 (a reference never decodes longer than it is written, except
 * for &#x...; of 3 or 4 bytes, which is why the slack). Returns the length.
 */
size_t bw_html_decode_entities(const char *s, size_t len, int in_attribute, char *out);

#endif
