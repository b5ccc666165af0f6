/*
 * fuzz_html.c - libFuzzer target for the HTML tokenizer, the entity decoder
 * and the resource extractor that walks the tokens.
 *
 * Beyond "no crash, no sanitizer report", it checks the promises callers
 * rely on: token offsets lie inside the input and never go backwards, names
 * and data are non-NULL when their length is non-zero, attribute offsets lie
 * inside their tag, no attribute name repeats within a tag, the per-tag
 * attribute limit holds, and bw_html_decode_entities stays inside len + 8.
 * A small max_token_bytes on odd inputs exercises the limit paths too.
 * bw_extract_html then runs on the same input (its open-element stack,
 * deferred CSS and link text are the state to break): every resource and
 * link must lie inside the input, carry a parsed URL, and name only known
 * hidden reasons.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html/html_tokenizer.h"
#include "html/resources.h"

#define CHECK(x)                                                                                   \
  do {                                                                                             \
    if (!(x)) abort();                                                                             \
  } while (0)

typedef struct state {
  size_t len, last_end, max_attrs;
} state;

static void check_attrs(const bw_html_token *t, const state *s) {
  CHECK(t->n_attrs <= s->max_attrs);
  CHECK(t->type == BW_HTML_START_TAG || t->n_attrs == 0);
  for (size_t i = 0; i < t->n_attrs; i++) {
    const bw_html_attr *a = &t->attrs[i];
    CHECK(a->name && a->name_len > 0);
    CHECK(a->value || a->value_len == 0);
    CHECK(a->offset > t->offset && a->offset < t->end);
    for (size_t j = 0; j < i; j++)
      CHECK(t->attrs[j].name_len != a->name_len ||
            memcmp(t->attrs[j].name, a->name, a->name_len) != 0);
    for (size_t k = 0; k < a->name_len; k++) CHECK(!(a->name[k] >= 'A' && a->name[k] <= 'Z'));
  }
}

static int on_token(const bw_html_token *t, void *ctx) {
  state *s = ctx;
  CHECK(t->offset <= t->end && t->end <= s->len);
  CHECK(t->offset >= s->last_end);
  s->last_end = t->end;
  CHECK(t->data || t->data_len == 0);
  switch (t->type) {
  case BW_HTML_START_TAG:
  case BW_HTML_END_TAG:
    CHECK(t->name && t->name_len > 0);
    CHECK(t->end - t->offset >= 3);
    break;
  case BW_HTML_TEXT:
    CHECK(t->data_len > 0 && t->end > t->offset);
    break;
  case BW_HTML_COMMENT:
  case BW_HTML_DOCTYPE:
    CHECK(t->end > t->offset);
    break;
  }
  check_attrs(t, s);
  return 0;
}

static bw_url_ctx *urls;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  urls = bw_url_ctx_new();
  CHECK(urls);
  return 0;
}

static void check_extraction(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1); /* a part's text is NUL-terminated */
  CHECK(text);
  memcpy(text, data, size);
  text[size] = '\0';
  bw_part part = {.id = "1", .content_type = "text/html", .data = text, .data_len = size};
  bw_limits limits = {.max_html_bytes = size, .max_urls = 500};
  bw_arena arena;
  bw_arena_init(&arena);
  bw_findings findings;
  bw_findings_init(&findings, &arena);
  bw_extraction out;
  memset(&out, 0, sizeof out);
  bw_extract_ctx x = {
      .urls = urls, .limits = &limits, .arena = &arena, .findings = &findings, .out = &out};
  CHECK(bw_extract_html(&x, &part) == BW_OK);
  CHECK(out.resources.len + out.links.len <= limits.max_urls);
  for (size_t i = 0; i < out.resources.len; i++) {
    const bw_resource *r = out.resources.items[i];
    CHECK(r->offset < size && r->tag && r->kind && r->context && r->url.raw);
    CHECK(r->hidden < (unsigned)BW_HIDDEN_ANCESTOR << 1);
  }
  for (size_t i = 0; i < out.links.len; i++) {
    const bw_link *l = out.links.items[i];
    CHECK(l->offset < size && l->tag && l->url.raw);
  }
  bw_arena_free(&arena);
  free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bw_html_opts opts = {0};
  if (size && data[0] == 0x01) { /* small limits on some inputs */
    opts.max_attrs = 3;
    opts.max_token_bytes = 100;
  }
  state s = {.len = size, .max_attrs = opts.max_attrs ? opts.max_attrs : 256};
  bw_html_stats st;
  CHECK(bw_html_tokenize((const char *)data, size, &opts, on_token, &s, &st) == 0);

  char *out = malloc(size + 8);
  CHECK(out);
  size_t n = bw_html_decode_entities((const char *)data, size, (int)(size & 1), out);
  CHECK(n <= size + 8);
  free(out);
  check_extraction(data, size);
  return 0;
}
