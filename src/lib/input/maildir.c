/*
 * maildir.c - recognising a Maildir, so that a directory walk reads only its
 * delivered messages (cur/ and new/) and not tmp/, where files are still
 * being written, nor the index and state files mail servers keep beside them.
 */
#include "input/maildir.h"

#include <stdio.h>
#include <sys/stat.h>

static int maildir_has_subdir(const char *dir, const char *name) {
  char path[4096];
  int n = snprintf(path, sizeof(path), "%s/%s", dir, name);
  if (n < 0 || (size_t)n >= sizeof(path)) return 0;
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

size_t bw_maildir_folders(const char *dir, const char *names[2]) {
  static const char *const folders[] = {"cur", "new"};
  size_t n = 0;
  for (size_t i = 0; i < 2; i++)
    if (maildir_has_subdir(dir, folders[i])) names[n++] = folders[i];
  return n;
}
