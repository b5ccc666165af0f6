/*
 * arena.c - the per-message bump allocator (see arena.h).
 *
 * Blocks grow geometrically from 16 KiB so that a typical message needs one
 * or two mallocs in total; a request larger than a block gets its own block.
 */
#include "util/arena.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bw_arena_block {
  bw_arena_block *next;
  size_t used;
  size_t size;
  max_align_t data[];
};

enum { ARENA_FIRST_BLOCK = 16 * 1024, ARENA_MAX_BLOCK = 4 * 1024 * 1024 };

void bw_arena_init(bw_arena *a) {
  a->head = NULL;
  a->total = 0;
}

void bw_arena_free(bw_arena *a) {
  bw_arena_block *b = a->head;
  while (b) {
    bw_arena_block *next = b->next;
    free(b);
    b = next;
  }
  a->head = NULL;
  a->total = 0;
}

static bw_arena_block *arena_new_block(bw_arena *a, size_t need) {
  size_t size = a->head ? a->head->size * 2 : ARENA_FIRST_BLOCK;
  if (size > ARENA_MAX_BLOCK) size = ARENA_MAX_BLOCK;
  if (size < need) size = need;
  bw_arena_block *b = malloc(sizeof(*b) + size);
  if (!b) return NULL;
  b->used = 0;
  b->size = size;
  b->next = a->head;
  a->head = b;
  return b;
}

void *bw_arena_alloc(bw_arena *a, size_t n) {
  size_t rounded = (n + 7u) & ~(size_t)7u;
  if (rounded < n) return NULL; /* overflow */
  bw_arena_block *b = a->head;
  if (!b || b->size - b->used < rounded) {
    b = arena_new_block(a, rounded);
    if (!b) return NULL;
  }
  void *p = (char *)b->data + b->used;
  b->used += rounded;
  a->total += rounded;
  assert(((uintptr_t)p & 7u) == 0);
  return p;
}

void *bw_arena_calloc(bw_arena *a, size_t count, size_t size) {
  if (size && count > SIZE_MAX / size) return NULL;
  void *p = bw_arena_alloc(a, count * size);
  if (p) memset(p, 0, count * size);
  return p;
}

char *bw_arena_strndup(bw_arena *a, const char *s, size_t len) {
  if (!s) return NULL;
  char *p = bw_arena_alloc(a, len + 1);
  if (!p) return NULL;
  memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

char *bw_arena_strdup(bw_arena *a, const char *s) {
  return s ? bw_arena_strndup(a, s, strlen(s)) : NULL;
}

char *bw_arena_printf(bw_arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *p = bw_arena_alloc(a, (size_t)n + 1);
  if (!p) return NULL;
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

int bw_ptrvec_push(bw_arena *a, bw_ptrvec *v, void *item) {
  if (v->len == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 8;
    void **items = bw_arena_alloc(a, cap * sizeof(*items));
    if (!items) return -1;
    if (v->len) memcpy(items, v->items, v->len * sizeof(*items));
    v->items = items;
    v->cap = cap;
  }
  v->items[v->len++] = item;
  return 0;
}
