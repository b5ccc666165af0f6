/*
 * arena.h - a per-message bump allocator.
 *
 * A scan allocates every string, part, resource and finding from one arena
 * and drops it whole when the result is freed: no per-object frees, no leaks
 * on error paths, and allocation is a pointer bump on the hot path.
 */
#ifndef BW_ARENA_H
#define BW_ARENA_H

#include <stddef.h>

typedef struct bw_arena_block bw_arena_block;

typedef struct bw_arena {
  bw_arena_block *head;
  size_t total; /* bytes handed out, for limits and statistics */
} bw_arena;

void bw_arena_init(bw_arena *a);
void bw_arena_free(bw_arena *a);
/* Returns 8-byte aligned memory, or NULL when out of memory. */
void *bw_arena_alloc(bw_arena *a, size_t n);
void *bw_arena_calloc(bw_arena *a, size_t count, size_t size);
/* Copies len bytes and appends a NUL. NULL-safe: a NULL s gives NULL. */
char *bw_arena_strndup(bw_arena *a, const char *s, size_t len);
char *bw_arena_strdup(bw_arena *a, const char *s);
char *bw_arena_printf(bw_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * A growable array of pointers allocated in an arena. Growth copies into a
 * fresh arena block (the old block is simply abandoned until the arena dies).
 */
typedef struct bw_ptrvec {
  void **items;
  size_t len;
  size_t cap;
} bw_ptrvec;

int bw_ptrvec_push(bw_arena *a, bw_ptrvec *v, void *item);

#endif
