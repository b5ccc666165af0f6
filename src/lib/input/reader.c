/*
 * reader.c - the bw_reader API: turns a path into a stream of messages.
 *
 * A path is stdin ("-"), a directory (walked by walk.c, Maildirs included) or
 * one file; every file, whatever its name, goes through a zlib byte source
 * (source.c) into the splitter (mbox.c), which decides by content whether it
 * holds one message or an mbox. One splitter and its buffers are reused for
 * all files, so memory stays at one input chunk plus the largest message.
 *
 * A file that cannot be opened or decompressed is reported as an error for
 * that file alone; the next call moves on, so one bad file does not stop a
 * scan of a whole tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/locator.h"
#include "input/mbox.h"
#include "input/source.h"
#include "input/walk.h"
#include "util/buf.h"
#include "util/error.h"

/* The documented default of bw_reader_opts.max_message_bytes. */
#define BW_READER_DEFAULT_MAX_MESSAGE ((size_t)64 * 1024 * 1024)

struct bw_reader {
  bw_mbox mbox;
  bw_walk *walk;    /* NULL unless the path is a directory */
  int item_open;    /* the splitter is reading cur_path */
  bw_buf cur_path;  /* the locator path of the current file */
  int64_t cur_size; /* its size, or -1 for a pipe or stdin */
  int64_t done;     /* bytes of the files already finished */
  int64_t total;
};

/* Sets err to "prefix: <its current message>" (the message is copied first: no aliasing). */
static int reader_prefix(bw_error *err, int rc, const char *prefix) {
  char reason[sizeof(err->message)];
  memcpy(reason, err->message, sizeof(reason));
  reason[sizeof(reason) - 1] = '\0';
  return bw_error_set(err, rc, "%s: %s", prefix, reason);
}

/* Starts reading fd as the item named path (size -1 when unknown). */
static int reader_start(bw_reader *r, int fd, const char *path, int64_t size, bw_error *err) {
  bw_buf_reset(&r->cur_path);
  if (bw_buf_puts(&r->cur_path, path) != BW_OK) {
    close(fd);
    return bw_error_set(err, BW_ENOMEM, "%s: out of memory", path);
  }
  bw_source src;
  int rc = bw_source_open_fd(&src, fd, err);
  if (rc != BW_OK) return reader_prefix(err, rc, path);
  bw_mbox_start(&r->mbox, &src);
  r->item_open = 1;
  r->cur_size = size;
  return BW_OK;
}

static int reader_open_stdin(bw_reader *r, bw_error *err) {
  /* A duplicate, so that closing the source leaves the caller's stdin open. */
  int fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) return bw_error_set(err, BW_EIO, "-: cannot read stdin: %s", strerror(errno));
  r->total = -1;
  return reader_start(r, fd, "-", -1, err);
}

/* A file given directly; a FIFO or device is read as a stream of unknown size. */
static int reader_open_file(bw_reader *r, const char *path, bw_error *err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return bw_error_set(err, BW_EIO, "cannot open %s: %s", path, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int saved = errno;
    close(fd);
    return bw_error_set(err, BW_EIO, "cannot open %s: %s", path, strerror(saved));
  }
  r->total = S_ISREG(st.st_mode) ? (int64_t)st.st_size : -1;
  return reader_start(r, fd, path, r->total, err);
}

/* The sum of the sizes of the files a walk of root will read. */
static int64_t reader_tree_size(const char *root) {
  bw_walk *w = NULL;
  bw_error ignored;
  if (bw_walk_open(root, &w, &ignored) != BW_OK) return -1;
  int64_t total = 0;
  const char *path;
  int64_t size;
  int rc;
  while ((rc = bw_walk_next(w, &path, &size, &ignored)) != BW_DONE)
    if (rc == BW_OK) total += size;
  bw_walk_free(w);
  return total;
}

static int reader_open_dir(bw_reader *r, const char *path, bw_error *err) {
  int rc = bw_walk_open(path, &r->walk, err);
  if (rc != BW_OK) return rc;
  r->total = reader_tree_size(path);
  return BW_OK;
}

static int reader_open_root(bw_reader *r, const char *path, bw_error *err) {
  if (strcmp(path, "-") == 0) return reader_open_stdin(r, err);
  struct stat st;
  if (stat(path, &st) != 0)
    return bw_error_set(err, BW_EIO, "cannot open %s: %s", path, strerror(errno));
  if (S_ISDIR(st.st_mode)) return reader_open_dir(r, path, err);
  return reader_open_file(r, path, err);
}

int bw_reader_open(const char *path, const bw_reader_opts *opts, bw_reader **out, bw_error *err) {
  bw_error e = {0};
  if (!out || !path)
    return bw_error_set(err, BW_EINVAL, "bw_reader_open: path and out are required");
  *out = NULL;
  size_t limit =
      (opts && opts->max_message_bytes) ? opts->max_message_bytes : BW_READER_DEFAULT_MAX_MESSAGE;
  bw_reader *r = calloc(1, sizeof(*r));
  if (!r) return bw_error_set(err, BW_ENOMEM, "out of memory");
  bw_buf_init(&r->cur_path);
  bw_mbox_config cfg;
  bw_mbox_config_init(&cfg, limit);
  int rc = bw_mbox_init(&r->mbox, &cfg, &e);
  if (rc == BW_OK) rc = reader_open_root(r, path, &e);
  if (rc != BW_OK) {
    bw_reader_free(r);
    return bw_error_set(err, rc, "%s", e.message);
  }
  *out = r;
  return BW_OK;
}

static void reader_close_item(bw_reader *r) {
  int64_t consumed = bw_source_consumed(&r->mbox.src);
  r->done += r->cur_size >= 0 ? r->cur_size : consumed;
  bw_mbox_finish(&r->mbox);
  r->item_open = 0;
}

/* Opens the next file of the walk; BW_DONE when there is none. */
static int reader_open_next(bw_reader *r, bw_error *err) {
  if (!r->walk) return BW_DONE;
  const char *path;
  int64_t size;
  int rc = bw_walk_next(r->walk, &path, &size, err);
  if (rc != BW_OK) return rc;
  /* O_NONBLOCK: a file swapped for a FIFO since the walk looked must not hang us. */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    r->done += size;
    return bw_error_set(err, BW_EIO, "%s: %s", path, strerror(errno));
  }
  return reader_start(r, fd, path, size, err);
}

/* Rewrites a splitter error as "locator: reason", naming the message being read. */
static int reader_item_error(bw_reader *r, int rc, bw_error *err) {
  bw_locator loc = {r->cur_path.data, -1, -1};
  if (r->mbox.cur_index >= 0) {
    loc.index = r->mbox.cur_index;
    loc.offset = r->mbox.cur_offset;
  }
  char where[256];
  bw_locator_snprint(where, sizeof(where), &loc);
  return reader_prefix(err, rc, where);
}

int bw_reader_next(bw_reader *r, bw_message *msg, bw_error *err) {
  if (!r || !msg)
    return bw_error_set(err, BW_EINVAL, "bw_reader_next: reader and msg are required");
  bw_error e = {0};
  for (;;) {
    if (!r->item_open) {
      int rc = reader_open_next(r, &e);
      if (rc == BW_DONE) return BW_DONE;
      if (rc != BW_OK) return bw_error_set(err, rc, "%s", e.message);
    }
    bw_mbox_message m;
    int rc = bw_mbox_next(&r->mbox, &m, &e);
    if (rc == BW_OK) {
      msg->data = m.data;
      msg->len = m.len;
      msg->truncated = m.truncated;
      msg->locator.path = r->cur_path.data;
      msg->locator.index = m.index;
      msg->locator.offset = m.offset;
      return BW_OK;
    }
    if (rc < 0) reader_item_error(r, rc, &e);
    reader_close_item(r);
    if (rc != BW_DONE) return bw_error_set(err, rc, "%s", e.message);
  }
}

void bw_reader_progress(const bw_reader *r, int64_t *done, int64_t *total) {
  int64_t d = r->done;
  if (r->item_open) {
    int64_t c = bw_source_consumed(&r->mbox.src);
    d += (r->cur_size >= 0 && c > r->cur_size) ? r->cur_size : c;
  }
  if (done) *done = d;
  if (total) *total = r->total;
}

void bw_reader_free(bw_reader *r) {
  if (!r) return;
  bw_mbox_free(&r->mbox);
  bw_walk_free(r->walk);
  bw_buf_free(&r->cur_path);
  free(r);
}
