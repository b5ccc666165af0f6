/*
 * bench_trackers.c - throughput of the tracker vendor matcher on real URLs.
 *
 * Collects every http(s) URL that appears in the raw bytes of the .eml files
 * of a directory (default: the shared phishing corpus, ../shared/corpus/
 * phishing_pot from the project root, or $BEACONWATCH_SHARED/corpus/
 * phishing_pot), strips the scheme, and times bw_trackers_match over the
 * list. For comparison it also times the unfiltered matcher (every regex on
 * every URL) on a slice, and counts any URL where the two disagree, which
 * would be a prefilter bug.
 *
 * Usage: bench_trackers [dir-of-eml-files] [rounds]
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "detect/trackers.h"

enum { MAX_URL = 2048, UNFILTERED_SLICE = 20000 };

typedef struct url_list {
  char **v;
  size_t n, cap;
} url_list;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int push(url_list *l, const char *p, size_t k) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? 2 * l->cap : 4096;
    char **v = realloc(l->v, cap * sizeof *v);
    if (v == NULL) return -1;
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n] = strndup(p, k);
  return l->v[l->n++] == NULL ? -1 : 0;
}

/* Adds the scheme-less URLs found in one file's raw bytes. */
static int scan_file(const char *path, url_list *l) {
  static char data[8 << 20];
  FILE *f = fopen(path, "rb");
  if (f == NULL) return 0;
  size_t len = fread(data, 1, sizeof data - 1, f);
  fclose(f);
  data[len] = '\0';
  for (char *p = data; (p = strstr(p, "://")) != NULL;) {
    p += 3;
    size_t k = strcspn(p, "\"'<> \t\r\n()");
    if (k > 0 && k < MAX_URL && push(l, p, k) != 0) return -1;
    p += k;
  }
  return 0;
}

static int collect(const char *dir, url_list *l) {
  DIR *d = opendir(dir);
  if (d == NULL) return -1;
  char path[8192];
  int rc = 0;
  for (struct dirent *e; rc == 0 && (e = readdir(d)) != NULL;) {
    if (strstr(e->d_name, ".eml") == NULL) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    rc = scan_file(path, l);
  }
  closedir(d);
  return rc;
}

static double time_filtered(const bw_trackers *t, const url_list *l, int rounds, size_t *hits) {
  bw_tracker_match m;
  *hits = 0;
  double t0 = now();
  for (int r = 0; r < rounds; r++) {
    for (size_t i = 0; i < l->n; i++)
      *hits += bw_trackers_match(t, l->v[i], strlen(l->v[i]), &m) == 1;
  }
  return now() - t0;
}

/* Times the unfiltered matcher on the first n URLs and counts disagreements. */
static double time_unfiltered(const bw_trackers *t, const url_list *l, size_t n, size_t *diff) {
  bw_tracker_match a, b;
  *diff = 0;
  double elapsed = 0;
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(l->v[i]);
    int ra = bw_trackers_match(t, l->v[i], len, &a);
    double t0 = now();
    int rb = bw_trackers_match_unfiltered(t, l->v[i], len, &b);
    elapsed += now() - t0;
    *diff += ra != rb || (ra == 1 && a.pattern != b.pattern);
  }
  return elapsed;
}

int main(int argc, char **argv) {
  char dir[4096];
  const char *shared = getenv("BEACONWATCH_SHARED");
  snprintf(dir, sizeof dir, "%s/corpus/phishing_pot", shared ? shared : "../shared");
  const char *src = argc > 1 ? argv[1] : dir;
  int rounds = argc > 2 ? atoi(argv[2]) : 5;
  if (rounds < 1) rounds = 1;
  url_list l = {0};
  if (collect(src, &l) != 0 || l.n == 0) {
    fprintf(stderr, "bench_trackers: no URLs from %s\n", src);
    return 1;
  }
  double t0 = now();
  bw_trackers *t = bw_trackers_new();
  double load = now() - t0;
  if (t == NULL) return 1;
  size_t rejected;
  size_t loaded = bw_trackers_count(t, &rejected);
  size_t hits, diff;
  double f = time_filtered(t, &l, rounds, &hits);
  size_t slice = l.n < UNFILTERED_SLICE ? l.n : UNFILTERED_SLICE;
  double u = time_unfiltered(t, &l, slice, &diff);
  double per_url = f / ((double)l.n * rounds);
  printf("rules: %zu loaded, %zu rejected; compiled in %.1f ms\n", loaded, rejected, load * 1e3);
  printf("urls: %zu from %s; %zu matched per round (%.1f%%)\n", l.n, src, hits / (size_t)rounds,
         100.0 * (double)hits / ((double)l.n * rounds));
  printf("prefiltered: %.0f URLs/s (%.0f ns/URL)\n", 1.0 / per_url, per_url * 1e9);
  printf("unfiltered:  %.0f URLs/s (%.0f ns/URL) on %zu URLs; %zu disagreements\n",
         (double)slice / u, u / (double)slice * 1e9, slice, diff);
  for (size_t i = 0; i < l.n; i++) free(l.v[i]);
  free(l.v);
  bw_trackers_free(t);
  return diff != 0;
}
