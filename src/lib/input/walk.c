/*
 * walk.c - the directory walk behind bw_reader: depth first, entries sorted
 * by byte value (not locale) so that every run yields messages in the same
 * order, dot-files skipped (Maildir++ subfolders, editor and index files),
 * symbolic links followed but a directory already on the current path never
 * entered twice (which is what makes a link loop finite).
 */
#include "input/walk.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input/maildir.h"
#include "util/buf.h"
#include "util/error.h"

typedef struct walk_frame {
  char **names; /* sorted entries still to visit, owned */
  size_t n, i;
  size_t path_len; /* this directory's path is w->path.data[0, path_len) */
  dev_t dev;
  ino_t ino;
} walk_frame;

struct bw_walk {
  walk_frame *frames;
  size_t depth, cap;
  bw_buf path;
};

static int walk_skip_dot(const struct dirent *d) {
  return d->d_name[0] != '.';
}

static int walk_by_name(const struct dirent **a, const struct dirent **b) {
  return strcmp((*a)->d_name, (*b)->d_name);
}

static void walk_free_names(char **names, size_t n) {
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
}

/* Lists the directory named by w->path into names (a Maildir: its folders only). */
static int walk_list(bw_walk *w, char ***names, size_t *n, bw_error *err) {
  const char *folders[2];
  size_t nf = bw_maildir_folders(w->path.data, folders);
  struct dirent **ents = NULL;
  int count = nf ? (int)nf : scandir(w->path.data, &ents, walk_skip_dot, walk_by_name);
  if (count < 0)
    return bw_error_set(err, BW_EIO, "%s: cannot read directory: %s", w->path.data,
                        strerror(errno));
  char **out = calloc((size_t)count + 1, sizeof(*out));
  int ok = out != NULL;
  for (int i = 0; i < count; i++) {
    const char *name = nf ? folders[i] : ents[i]->d_name;
    if (ok && !(out[i] = strdup(name))) ok = 0;
    if (!nf) free(ents[i]);
  }
  free(ents);
  if (!ok) {
    if (out) walk_free_names(out, (size_t)count);
    return bw_error_set(err, BW_ENOMEM, "%s: out of memory listing the directory", w->path.data);
  }
  *names = out;
  *n = (size_t)count;
  return BW_OK;
}

static int walk_on_stack(const bw_walk *w, const struct stat *st) {
  for (size_t i = 0; i < w->depth; i++)
    if (w->frames[i].dev == st->st_dev && w->frames[i].ino == st->st_ino) return 1;
  return 0;
}

/* Enters the directory named by w->path. */
static int walk_push(bw_walk *w, const struct stat *st, bw_error *err) {
  if (w->depth == w->cap) {
    size_t cap = w->cap ? w->cap * 2 : 16;
    walk_frame *f = realloc(w->frames, cap * sizeof(*f));
    if (!f) return bw_error_set(err, BW_ENOMEM, "%s: out of memory", w->path.data);
    w->frames = f;
    w->cap = cap;
  }
  walk_frame fr = {.path_len = w->path.len, .dev = st->st_dev, .ino = st->st_ino};
  int rc = walk_list(w, &fr.names, &fr.n, err);
  if (rc != BW_OK) return rc;
  w->frames[w->depth++] = fr;
  return BW_OK;
}

static void walk_pop(bw_walk *w) {
  assert(w->depth > 0);
  walk_frame *f = &w->frames[--w->depth];
  walk_free_names(f->names, f->n);
}

/* Sets w->path to the directory of the top frame joined with name. */
static int walk_join(bw_walk *w, const char *name, bw_error *err) {
  const walk_frame *top = &w->frames[w->depth - 1];
  w->path.len = top->path_len;
  int rc = (w->path.len > 0 && w->path.data[w->path.len - 1] == '/') ? BW_OK
                                                                     : bw_buf_putc(&w->path, '/');
  if (rc == BW_OK) rc = bw_buf_puts(&w->path, name);
  if (rc != BW_OK) return bw_error_set(err, rc, "%s: out of memory", name);
  return BW_OK;
}

int bw_walk_open(const char *root, bw_walk **out, bw_error *err) {
  *out = NULL;
  bw_walk *w = calloc(1, sizeof(*w));
  if (!w) return bw_error_set(err, BW_ENOMEM, "out of memory");
  bw_buf_init(&w->path);
  size_t len = strlen(root);
  while (len > 1 && root[len - 1] == '/') len--; /* "dir/" and "dir" give the same paths */
  struct stat st;
  int rc = bw_buf_append(&w->path, root, len);
  if (rc != BW_OK)
    rc = bw_error_set(err, rc, "out of memory");
  else if (stat(w->path.data, &st) != 0)
    rc = bw_error_set(err, BW_EIO, "%s: %s", root, strerror(errno));
  else
    rc = walk_push(w, &st, err);
  if (rc != BW_OK) {
    bw_walk_free(w);
    return rc;
  }
  *out = w;
  return BW_OK;
}

int bw_walk_next(bw_walk *w, const char **path, int64_t *size, bw_error *err) {
  while (w->depth > 0) {
    walk_frame *top = &w->frames[w->depth - 1];
    if (top->i == top->n) {
      walk_pop(w);
      continue;
    }
    int rc = walk_join(w, top->names[top->i++], err);
    if (rc != BW_OK) return rc;
    struct stat st;
    if (stat(w->path.data, &st) != 0)
      return bw_error_set(err, BW_EIO, "%s: %s", w->path.data, strerror(errno));
    if (S_ISDIR(st.st_mode)) {
      if (walk_on_stack(w, &st)) continue; /* a link back to an ancestor */
      rc = walk_push(w, &st, err);
      if (rc != BW_OK) return rc;
      continue;
    }
    if (!S_ISREG(st.st_mode)) continue; /* FIFOs, sockets and devices hold no mail */
    *path = w->path.data;
    *size = (int64_t)st.st_size;
    return BW_OK;
  }
  return BW_DONE;
}

void bw_walk_free(bw_walk *w) {
  if (!w) return;
  while (w->depth > 0) walk_pop(w);
  free(w->frames);
  bw_buf_free(&w->path);
  free(w);
}
