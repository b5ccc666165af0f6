/*
 * registry_names.h - finding protected names in short texts (display names,
 * signatures, local parts) for the identity registry.
 *
 * Names and texts are folded the same way (registry_fold.h). The folded names
 * go into one Aho-Corasick automaton built at load; a search is one pass over
 * the folded text. Names in scripts written with spaces must sit on word
 * boundaries; names in scripts written without them (Chinese, Japanese,
 * Korean, Thai, Tibetan, ...) match anywhere. A name can be marked exact-case:
 * it then matches only where the text has the same capitals ("Le Monde" the
 * paper, not "le monde" the world). A match inside a longer match is dropped,
 * so "The Times of India" wins over "The Times".
 */
#ifndef BW_IDENTITY_REGISTRY_NAMES_H
#define BW_IDENTITY_REGISTRY_NAMES_H

#include <stddef.h>
#include <stdint.h>

typedef struct bw_registry_names bw_registry_names;

bw_registry_names *bw_registry_names_new(void);
void bw_registry_names_free(bw_registry_names *m);

/* Adds a name (UTF-8, at least one character once folded) that stands for
 * value; several values may share a name. Returns 0, or -1 when out of memory. */
int bw_registry_names_add(bw_registry_names *m, const char *name, int exact_case, uint32_t value);

/* Computes the automaton's failure links; call once after the last add.
 * Returns 0, or -1 when out of memory. */
int bw_registry_names_compile(bw_registry_names *m);

/* Stores in values[0..max) the distinct values whose names occur in the text,
 * in order of where they first occur, and returns how many were stored.
 * Thread-safe on a compiled matcher. Returns 0 when out of memory. */
size_t bw_registry_names_find(const bw_registry_names *m, const char *text, size_t len,
                              uint32_t *values, size_t max);

#endif
