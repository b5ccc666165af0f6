/*
 * bw_bench.c - in-process throughput benchmark for libbeaconwatch.
 *
 * Loads every message under the given paths into memory through the public
 * reader (bw_reader_*), so that disk I/O and the reader are outside the timed
 * region, then times, each REPS times (median reported):
 *
 *   floor   GMime only: g_mime_parser_construct_message on a memory stream,
 *           walk the MIME tree (multiparts and message/rfc822 parts), and
 *           transfer-decode every leaf (g_mime_data_wrapper_write_to_stream
 *           into a memory stream). The least any GMime-based scanner does.
 *   scan    bw_scan + bw_result_to_json into a reused buffer + bw_result_free:
 *           what `beaconwatch scan` does per message, minus reading and writing.
 *
 * each single-threaded and with T threads (pthreads over one shared engine;
 * each thread takes the next message index from an atomic counter).
 *
 * Reported per run: messages/s and MB/s by wall-clock time, and MB/s per
 * core = bytes / CPU-seconds of the whole process (CLOCK_PROCESS_CPUTIME_ID,
 * which sums all threads). MB = 10^6 bytes.
 *
 * usage: bw_bench [-r REPS] [-j THREADS] [-n NAME] [-l LISTFILE] [-m MODES] [-t SECONDS] [PATH...]
 *   -r  repetitions per measurement (default 3; the median is reported)
 *   -j  thread count for the parallel runs (default 2; 1 disables them)
 *   -n  a name for the set, printed in the machine-readable lines
 *   -l  read further paths from LISTFILE, one per line
 *   -m  comma-separated subset of floor,scan,nobeacons (default floor,scan)
 *   -t  each timed run repeats the set until it lasts at least this long
 *       single-threaded (default 0.5 s; sized from one untimed pass)
 *   -W  the floor parses with GMimeParserOptions carrying a (no-op) warning
 *       callback, as bw_view_build does; shows what that costs GMime
 *
 * Besides the table, prints one line per measurement, for scripts:
 *   RESULT set=NAME mode=floor|scan threads=N msgs=.. bytes=.. wall=.. cpu=.. msgs_s=.. mb_s=..
 * mb_s_core=..
 */
#include <beaconwatch.h>
#include <gmime/gmime.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  char *data;
  size_t len;
  char *path;
  int64_t index, offset;
  int truncated;
} msg_t;

static msg_t *g_msgs;
static size_t g_n, g_cap;
static size_t g_bytes;
static const bw_engine *g_engine;
static const bw_engine *g_engine_nobeacons; /* the same configuration, beacon detector skipped */

static void die(const char *what) {
  fprintf(stderr, "bw_bench: %s\n", what);
  exit(2);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) die("out of memory");
  return p;
}

static void load_path(const char *path) {
  bw_reader *r = NULL;
  bw_error err = {0};
  if (bw_reader_open(path, NULL, &r, &err) != BW_OK) {
    fprintf(stderr, "bw_bench: %s: %s\n", path, err.message);
    return;
  }
  for (;;) {
    bw_message m;
    int rc = bw_reader_next(r, &m, &err);
    if (rc == BW_DONE) break;
    if (rc != BW_OK) {
      fprintf(stderr, "bw_bench: skipped: %s\n", err.message);
      continue;
    }
    if (g_n == g_cap) {
      g_cap = g_cap ? g_cap * 2 : 1024;
      g_msgs = realloc(g_msgs, g_cap * sizeof(*g_msgs));
      if (!g_msgs) die("out of memory");
    }
    msg_t *d = &g_msgs[g_n++];
    d->data = xmalloc(m.len);
    memcpy(d->data, m.data, m.len);
    d->len = m.len;
    d->path = strdup(m.locator.path ? m.locator.path : path);
    d->index = m.locator.index;
    d->offset = m.locator.offset;
    d->truncated = m.truncated;
    g_bytes += m.len;
  }
  bw_reader_free(r);
}

static void load_list(const char *list) {
  FILE *f = fopen(list, "r");
  if (!f) die("cannot open the list file");
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) > 0) {
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
    if (n) load_path(line);
  }
  free(line);
  fclose(f);
}

/* ---- floor: GMime parse + transfer decoding of every leaf ---------------- */

static size_t floor_walk(GMimeObject *obj, int depth) {
  if (!obj || depth > 64) return 0;
  size_t out = 0;
  if (GMIME_IS_MULTIPART(obj)) {
    GMimeMultipart *mp = GMIME_MULTIPART(obj);
    int n = g_mime_multipart_get_count(mp);
    for (int i = 0; i < n; i++) out += floor_walk(g_mime_multipart_get_part(mp, i), depth + 1);
  } else if (GMIME_IS_MESSAGE_PART(obj)) {
    GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
    if (inner) out += floor_walk(g_mime_message_get_mime_part(inner), depth + 1);
  } else if (GMIME_IS_PART(obj)) {
    GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(obj));
    if (content) {
      GMimeStream *mem = g_mime_stream_mem_new();
      g_mime_data_wrapper_write_to_stream(content, mem);
      out += g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem))->len;
      g_object_unref(mem);
    }
  }
  return out;
}

static int
    g_floor_warn; /* -W: the floor passes parser options with a warning callback, as bw_scan does */

static void ignore_warning(gint64 offset, GMimeParserWarning code, const gchar *item,
                           gpointer data) {
  (void)offset, (void)code, (void)item, (void)data;
}

static size_t floor_one(const msg_t *m) {
  GMimeParserOptions *opts = NULL;
  if (g_floor_warn) {
    opts = g_mime_parser_options_new();
    g_mime_parser_options_set_warning_callback(opts, ignore_warning, NULL);
  }
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer(m->data, m->len);
  GMimeParser *parser = g_mime_parser_new_with_stream(stream);
  g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
  GMimeMessage *msg = g_mime_parser_construct_message(parser, opts);
  size_t out = 0;
  if (msg) {
    out = floor_walk(g_mime_message_get_mime_part(msg), 0);
    g_object_unref(msg);
  }
  g_object_unref(parser);
  g_object_unref(stream);
  if (opts) g_mime_parser_options_free(opts);
  return out;
}

/* ---- scan: bw_scan + JSON into a reused buffer ---------------------------- */

static size_t scan_one(const bw_engine *engine, const msg_t *m, bw_buf *json) {
  bw_scan_opts o = {.locator = {.path = m->path, .index = m->index, .offset = m->offset},
                    .truncated = m->truncated};
  bw_result *r = NULL;
  bw_error err = {0};
  if (bw_scan(engine, m->data, m->len, &o, &r, &err) != BW_OK) {
    fprintf(stderr, "bw_bench: scan failed: %s\n", err.message);
    return 0;
  }
  bw_buf_reset(json);
  bw_result_to_json(r, json);
  size_t out = json->len;
  bw_result_free(r);
  return out;
}

/* ---- the timed loops ------------------------------------------------------ */

/* MODE_NOBEACONS scans with the beacon detector skipped, to show what it costs. */
enum { MODE_FLOOR, MODE_SCAN, MODE_NOBEACONS };

typedef struct {
  int mode;
  size_t total; /* messages to take in all: the set, `passes` times over */
  atomic_size_t *next;
  size_t sink; /* bytes produced, so no work can be optimised away */
} worker_t;

static void *worker(void *arg) {
  worker_t *w = arg;
  bw_buf json;
  bw_buf_init(&json);
  for (;;) {
    size_t i = atomic_fetch_add_explicit(w->next, 1, memory_order_relaxed);
    if (i >= w->total) break;
    i %= g_n;
    if (w->mode == MODE_FLOOR)
      w->sink += floor_one(&g_msgs[i]);
    else
      w->sink += scan_one(w->mode == MODE_SCAN ? g_engine : g_engine_nobeacons, &g_msgs[i], &json);
  }
  bw_buf_free(&json);
  return NULL;
}

static double now(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * `passes` passes over all messages with `threads` threads; returns wall and
 * CPU seconds. A timed run lasts at least -t seconds (see passes_for), so
 * that thread start-up and timer resolution do not decide the -j ratio.
 */
static long g_vcsw, g_ivcsw; /* context switches of the last run_once */
static double g_min_seconds = 0.5;

static size_t run_once(int mode, int threads, size_t passes, double *wall, double *cpu) {
  struct rusage ru0, ru1;
  getrusage(RUSAGE_SELF, &ru0);
  atomic_size_t next = 0;
  worker_t *ws = calloc((size_t)threads, sizeof(*ws));
  pthread_t *ts = calloc((size_t)threads, sizeof(*ts));
  if (!ws || !ts) die("out of memory");
  double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
  for (int t = 0; t < threads; t++) {
    ws[t].mode = mode;
    ws[t].total = g_n * passes;
    ws[t].next = &next;
    if (threads == 1)
      worker(&ws[t]);
    else if (pthread_create(&ts[t], NULL, worker, &ws[t]) != 0)
      die("pthread_create failed");
  }
  if (threads > 1)
    for (int t = 0; t < threads; t++) pthread_join(ts[t], NULL);
  *wall = now(CLOCK_MONOTONIC) - w0;
  *cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
  getrusage(RUSAGE_SELF, &ru1);
  g_vcsw = ru1.ru_nvcsw - ru0.ru_nvcsw;    /* blocking: locks, joins */
  g_ivcsw = ru1.ru_nivcsw - ru0.ru_nivcsw; /* preempted: other load on the machine */
  size_t sink = 0;
  for (int t = 0; t < threads; t++) sink += ws[t].sink;
  free(ws);
  free(ts);
  return sink;
}

/* ---- machine calibration: how much parallelism is the machine giving us now? ---- */

static void *spin(void *arg) {
  volatile unsigned long x = 0;
  for (unsigned long i = 0; i < 60000000UL; i++) x += i;
  *(unsigned long *)arg = x; /* publish the result so the loop is not optimised away */
  return NULL;
}

static double spin_wall(int threads) {
  pthread_t ts[256];
  unsigned long results[256];
  double w0 = now(CLOCK_MONOTONIC);
  for (int t = 0; t < threads; t++)
    if (pthread_create(&ts[t], NULL, spin, &results[t]) != 0) die("pthread_create failed");
  for (int t = 0; t < threads; t++) pthread_join(ts[t], NULL);
  return now(CLOCK_MONOTONIC) - w0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof(*v), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef struct {
  double wall, cpu, msgs_s, mb_s, mb_s_core, msgs_s_core;
} stats_t;

/* Passes per timed run: enough for -t seconds single-threaded, judged from one untimed pass. */
static size_t passes_for(int mode) {
  double w, c;
  run_once(mode, 1, 1, &w, &c);
  size_t passes = w > 0 ? (size_t)(g_min_seconds / w) + 1 : 1;
  return passes < 1000 ? passes : 1000;
}

static stats_t measure(const char *set, int mode, int threads, int reps, size_t passes) {
  double walls[64], cpus[64], vcsw[64], ivcsw[64];
  size_t sink = 0, msgs = g_n * passes;
  for (int i = 0; i < reps; i++) {
    sink = run_once(mode, threads, passes, &walls[i], &cpus[i]);
    vcsw[i] = (double)g_vcsw;
    ivcsw[i] = (double)g_ivcsw;
  }
  stats_t s = {.wall = median(walls, reps), .cpu = median(cpus, reps)};
  double vcs = median(vcsw, reps), ivcs = median(ivcsw, reps);
  double bytes = (double)g_bytes * (double)passes;
  s.msgs_s_core = (double)msgs / s.cpu;
  s.msgs_s = (double)msgs / s.wall;
  s.mb_s = bytes / 1e6 / s.wall;
  s.mb_s_core = bytes / 1e6 / s.cpu;
  const char *name = mode == MODE_FLOOR  ? (g_floor_warn ? "floorW" : "floor")
                     : mode == MODE_SCAN ? "scan"
                                         : "scan-nobeacons";
  printf("  %-6s -j %-2d %8.0f msg/s %8.2f MB/s | per core %8.0f msg/s %8.2f MB/s | %zu pass%s, "
         "wall %.3f s cpu %.3f s ctxsw %.0f/%.0f | out %zu B\n",
         name, threads, s.msgs_s, s.mb_s, s.msgs_s_core, s.mb_s_core, passes,
         passes == 1 ? "" : "es", s.wall, s.cpu, vcs, ivcs, sink);
  printf("RESULT set=%s mode=%s threads=%d msgs=%zu bytes=%.0f wall=%.4f cpu=%.4f msgs_s=%.1f "
         "mb_s=%.3f "
         "msgs_s_core=%.1f mb_s_core=%.3f vcsw=%.0f ivcsw=%.0f\n",
         set, name, threads, msgs, bytes, s.wall, s.cpu, s.msgs_s, s.mb_s, s.msgs_s_core,
         s.mb_s_core, vcs, ivcs);
  fflush(stdout);
  return s;
}

int main(int argc, char **argv) {
  int reps = 3, threads = 2, do_floor = 1, do_scan = 1, do_nobeacons = 0;
  const char *set = "set";
  int opt;
  while ((opt = getopt(argc, argv, "r:j:n:l:m:t:Wh")) != -1) {
    switch (opt) {
    case 'r':
      reps = atoi(optarg);
      break;
    case 'j':
      threads = atoi(optarg);
      break;
    case 'n':
      set = optarg;
      break;
    case 'l':
      load_list(optarg);
      break;
    case 'W':
      g_floor_warn = 1;
      break;
    case 't':
      g_min_seconds = atof(optarg);
      break;
    case 'm':
      do_floor = strstr(optarg, "floor") != NULL;
      do_scan = strstr(optarg, "scan") != NULL;
      do_nobeacons = strstr(optarg, "nobeacons") != NULL;
      break;
    default:
      fprintf(stderr, "usage: bw_bench [-r REPS] [-j THREADS] [-n NAME] [-l LISTFILE] [-m "
                      "floor,scan,nobeacons] [-t SECONDS] [PATH...]\n");
      return 2;
    }
  }
  if (reps < 1 || reps > 64 || threads < 1 || threads > 256) die("bad -r or -j");
  for (int i = optind; i < argc; i++) load_path(argv[i]);
  if (g_n == 0) {
    printf("SKIP bw_bench: no messages under the given paths\n");
    return 0;
  }

  bw_config cfg;
  bw_config_init(&cfg);
  bw_engine *engine = NULL;
  bw_error err = {0};
  if (bw_engine_new(&cfg, &engine, &err) != BW_OK) die(err.message); /* also runs g_mime_init() */
  g_engine = engine;
  cfg.skip_detectors = BW_DETECTOR_BEACONS;
  bw_engine *nobeacons = NULL;
  if (bw_engine_new(&cfg, &nobeacons, &err) != BW_OK) die(err.message);
  g_engine_nobeacons = nobeacons;

  if (threads > 1) {
    double a[5], b[5];
    for (int i = 0; i < 5; i++) {
      a[i] = spin_wall(1);
      b[i] = spin_wall(threads);
    }
    double avail = threads * median(a, 5) / median(b, 5);
    printf("calibration: a CPU-bound loop runs %.2fx faster with %d threads than with 1 right now "
           "(ideal %d.00x; less means other load on the machine)\n",
           avail, threads, threads);
    printf("RESULT set=%s mode=calibration threads=%d speedup=%.3f\n", set, threads, avail);
  }
  printf("set %s: %zu messages, %.2f MB (in memory; I/O not timed)\n", set, g_n,
         (double)g_bytes / 1e6);
  /* The untimed pass that sizes each mode's runs also warms it up (page faults, iconv cache, PSL).
   */
  size_t fp = do_floor ? passes_for(MODE_FLOOR) : 1, sp = do_scan ? passes_for(MODE_SCAN) : 1;
  size_t np = do_nobeacons ? passes_for(MODE_NOBEACONS) : 1;
  stats_t f1 = {0}, fj = {0}, s1 = {0}, sj = {0};
  if (do_floor) f1 = measure(set, MODE_FLOOR, 1, reps, fp);
  if (do_floor && threads > 1) fj = measure(set, MODE_FLOOR, threads, reps, fp);
  if (do_scan) s1 = measure(set, MODE_SCAN, 1, reps, sp);
  if (do_scan && threads > 1) sj = measure(set, MODE_SCAN, threads, reps, sp);
  if (do_scan && do_nobeacons) {
    stats_t nb = measure(set, MODE_NOBEACONS, 1, reps, np);
    printf("  beacon detection adds %.1f%% to scan time (CPU per message, -j 1; target at most "
           "15%%)\n",
           100.0 * (nb.msgs_s_core / s1.msgs_s_core - 1));
  }

  if (do_floor && do_scan)
    printf("  scan/floor -j 1: %.1f%% per core (CPU time), %.1f%% by wall time\n",
           100.0 * s1.msgs_s_core / f1.msgs_s_core, 100.0 * s1.msgs_s / f1.msgs_s);
  if (threads > 1) {
    if (do_floor)
      printf("  floor -j %d / -j 1: %.2fx by wall time; CPU per message %+.1f%%\n", threads,
             fj.msgs_s / f1.msgs_s, 100.0 * (f1.msgs_s_core / fj.msgs_s_core - 1));
    if (do_scan)
      printf("  scan  -j %d / -j 1: %.2fx by wall time; CPU per message %+.1f%%\n", threads,
             sj.msgs_s / s1.msgs_s, 100.0 * (s1.msgs_s_core / sj.msgs_s_core - 1));
  }
  double la[3];
  if (getloadavg(la, 3) == 3)
    printf("  load average at the end: %.2f %.2f %.2f on %ld CPUs (wall-time numbers and -j "
           "scaling are only\n"
           "  meaningful on an otherwise idle machine; per-core numbers use CPU time)\n",
           la[0], la[1], la[2], sysconf(_SC_NPROCESSORS_ONLN));

  bw_engine_free(engine);
  bw_engine_free(nobeacons);
  for (size_t i = 0; i < g_n; i++) {
    free(g_msgs[i].data);
    free(g_msgs[i].path);
  }
  free(g_msgs);
  return 0;
}
