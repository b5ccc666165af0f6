/*
 * registry_fold.h - the Unicode folding that the identity registry applies to
 * names and to the texts it searches, so that case, full-width letters,
 * compatibility forms, zero-width characters and odd spaces do not hide a
 * protected name.
 *
 * A text is normalised to NFKC, runs of white space become one space (ends
 * trimmed) and invisible (default-ignorable) characters are dropped: that is
 * the "kept" form, whose case is still the writer's. Each of its characters
 * is then case-folded on its own (Unicode simple case folding, one character
 * for one), which gives the "folded" form and lets a match in the folded form
 * be traced back to the same characters of the kept form to compare case.
 */
#ifndef BW_IDENTITY_REGISTRY_FOLD_H
#define BW_IDENTITY_REGISTRY_FOLD_H

#include <stddef.h>
#include <stdint.h>

typedef struct bw_registry_folded {
  char *kept; /* NFKC, spaces collapsed, invisible characters dropped; UTF-8, NUL-terminated */
  size_t kept_len;
  char *folded; /* kept, case-folded; UTF-8, NUL-terminated */
  size_t len;
  /* For each byte offset of folded where a character starts, and for len:
   * the offset of the same character in kept. Other entries are unset. */
  uint32_t *map;
  void *block; /* when not NULL, the one allocation the three arrays above live in */
} bw_registry_folded;

/* Folds len bytes of UTF-8 (invalid bytes become U+FFFD; texts longer than
 * 16 MiB are folded in their first 16 MiB). Returns 0, or -1 when out of
 * memory (out is then empty). */
int bw_registry_fold(const char *text, size_t len, bw_registry_folded *out);
void bw_registry_folded_free(bw_registry_folded *f);

#endif
