/*
 * walk.h - walking a directory tree for the mailbox reader: regular files in
 * name order, depth first, skipping dot-files, symlink loops and anything
 * that is neither a file nor a directory; a Maildir contributes only its
 * cur/ and new/ folders.
 */
#ifndef BW_INPUT_WALK_H
#define BW_INPUT_WALK_H

#include <stdint.h>

#include "beaconwatch.h"

typedef struct bw_walk bw_walk;

/* root must name a directory. */
int bw_walk_open(const char *root, bw_walk **out, bw_error *err);
/*
 * BW_OK with the next regular file (*path valid until the next call), BW_DONE
 * at the end, or a negative status for an entry that could not be examined
 * or a directory that could not be listed (err names its path); calling
 * again continues after it.
 */
int bw_walk_next(bw_walk *w, const char **path, int64_t *size, bw_error *err);
void bw_walk_free(bw_walk *w);

#endif
