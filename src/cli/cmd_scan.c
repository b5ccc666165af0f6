/*
 * cmd_scan.c - `beaconwatch scan`: read mailboxes, scan every message, print.
 *
 * Paths are checked up front (so a typo fails fast and the progress line can
 * show an ETA), messages are copied out of the reader and scanned on -j N
 * threads over one shared engine, and results are written in input order.
 * With -j 2 and more the engine is built while the first messages are read.
 * One unreadable file or message is reported on stderr with its locator and
 * the run goes on; the exit code then says that input was lost.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "pipeline.h"
#include "progress.h"

typedef enum output_format { FORMAT_JSONL, FORMAT_TEXT } output_format;

typedef struct scan_options {
  int jobs;
  output_format format;
  const char *output;
  const char *recipient;
  bw_verdict fail_on;
  int quiet;
  const char *trusted[32]; /* --trust-authserv, in the order given */
  bw_config config;
  const char *intel_paths[64]; /* --intel FILE, in order */
} scan_options;

typedef struct scan_job {
  char *data;
  size_t len;
  char *path;
  bw_locator locator;
  int truncated;
  bw_buf out;
  int status;
  bw_error err;
  bw_verdict verdict;
} scan_job;

typedef struct scan_run {
  const scan_options *opts;
  bw_engine *engine;
  FILE *out;
  bw_progress progress;
  uint64_t messages;
  int64_t bytes_before; /* bytes of readers already finished */
  int64_t total;        /* all paths' sizes, or -1 when any is unknown */
  int input_errors;
  int internal_errors;
  int output_failed;
  int at_or_above_fail_on;
} scan_run;

void bw_cmd_scan_usage(FILE *out) {
  fprintf(out, "usage: beaconwatch scan [OPTIONS] PATH...\n\n"
               "Scans every message under each PATH: a message file, an mbox (mboxo or\n"
               "mboxrd), a Maildir, a directory (recursive), any of them gzip-compressed,\n"
               "or - for standard input. URLs in messages are never fetched.\n\n"
               "options:\n"
               "  -j, --jobs N          scan with N threads (default 1); output keeps input order\n"
               "  -f, --format FMT      jsonl (default) or text\n"
               "  -o, --output FILE     write results to FILE instead of standard output\n"
               "      --recipient ADDR  the recipient to look for in beacon URLs\n"
               "                        (default: Delivered-To, X-Original-To, To, then Cc)\n"
               "      --fail-on VERDICT exit 1 when a message is at or above VERDICT:\n"
               "                        clean, commercial_tracking, suspicious (default),\n"
               "                        targeted_beacon\n"
               "      --limit NAME=N    override a parser limit: message-bytes, header-bytes,\n"
               "                        depth, parts, decoded-bytes, html-bytes, urls\n"
               "      --intel FILE      threat intel: a STIX 2.1 bundle, MISP event, list or\n"
               "                        compiled index (repeatable; see docs/intel.md)\n"
               "      --identities FILE merge FILE (JSON, docs/identities.md) into the built-in\n"
               "                        registry of protected identities\n"
               "      --trust-authserv ID  believe Authentication-Results headers added by ID\n"
               "                        (repeatable; default: only the topmost header)\n"
               "  -q, --quiet           no progress line on standard error\n"
               "  -h, --help            this help\n\n"
               "exit status: 0 nothing at or above --fail-on, 1 something is, 2 usage error,\n"
               "3 some input could not be read, 4 internal error. See beaconwatch(1).\n");
}

/* ---- options ---------------------------------------------------------------- */

static int parse_size(const char *s, size_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || end == s || v == 0) return -1;
  if (*end == 'k' || *end == 'K')
    v <<= 10, end++;
  else if (*end == 'm' || *end == 'M')
    v <<= 20, end++;
  else if (*end == 'g' || *end == 'G')
    v <<= 30, end++;
  if (*end) return -1;
  *out = (size_t)v;
  return 0;
}

static int parse_limit(const char *arg, bw_limits *l) {
  const struct {
    const char *name;
    size_t *field;
  } limits[] = {{"message-bytes", &l->max_message_bytes},
                {"header-bytes", &l->max_header_bytes},
                {"depth", &l->max_depth},
                {"parts", &l->max_parts},
                {"decoded-bytes", &l->max_decoded_bytes},
                {"html-bytes", &l->max_html_bytes},
                {"urls", &l->max_urls}};
  const char *eq = strchr(arg, '=');
  if (!eq) return -1;
  for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
    if (strlen(limits[i].name) == (size_t)(eq - arg) &&
        strncmp(arg, limits[i].name, (size_t)(eq - arg)) == 0)
      return parse_size(eq + 1, limits[i].field);
  }
  return -1;
}

enum { OPT_RECIPIENT = 256, OPT_FAIL_ON, OPT_LIMIT, OPT_INTEL };
enum { MAX_INTEL_PATHS = 64, MAX_TRUSTED = 32 };
enum { OPT_IDENTITIES = 300, OPT_TRUST_AUTHSERV };

/* Returns -1 to go on, else the exit code. */
static int parse_options(int argc, char **argv, scan_options *o) {
  static const struct option longopts[] = {
      {"jobs", required_argument, NULL, 'j'},
      {"format", required_argument, NULL, 'f'},
      {"output", required_argument, NULL, 'o'},
      {"recipient", required_argument, NULL, OPT_RECIPIENT},
      {"fail-on", required_argument, NULL, OPT_FAIL_ON},
      {"limit", required_argument, NULL, OPT_LIMIT},
      {"intel", required_argument, NULL, OPT_INTEL},
      {"identities", required_argument, NULL, OPT_IDENTITIES},
      {"trust-authserv", required_argument, NULL, OPT_TRUST_AUTHSERV},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  memset(o, 0, sizeof(*o));
  o->jobs = 1;
  o->fail_on = BW_VERDICT_SUSPICIOUS;
  bw_config_init(&o->config);
  optind = 1;
  int c;
  while ((c = getopt_long(argc, argv, "j:f:o:qh", longopts, NULL)) != -1) {
    switch (c) {
    case 'j': {
      char *end;
      long n = strtol(optarg, &end, 10);
      if (*end || n < 1 || n > 256)
        return bw_cli_usage_error("scan", "-j wants a number from 1 to 256, not '%s'", optarg);
      o->jobs = (int)n;
      break;
    }
    case 'f':
      if (strcmp(optarg, "jsonl") == 0 || strcmp(optarg, "json") == 0)
        o->format = FORMAT_JSONL;
      else if (strcmp(optarg, "text") == 0)
        o->format = FORMAT_TEXT;
      else
        return bw_cli_usage_error("scan", "unknown format '%s' (jsonl or text)", optarg);
      break;
    case 'o':
      o->output = optarg;
      break;
    case OPT_RECIPIENT:
      o->recipient = optarg;
      break;
    case OPT_FAIL_ON:
      if (bw_verdict_parse(optarg, &o->fail_on) != BW_OK)
        return bw_cli_usage_error("scan", "unknown verdict '%s'", optarg);
      break;
    case OPT_LIMIT:
      if (parse_limit(optarg, &o->config.limits) != 0)
        return bw_cli_usage_error("scan", "bad --limit '%s'", optarg);
      break;
    case OPT_INTEL:
      if (o->config.n_intel_paths == MAX_INTEL_PATHS)
        return bw_cli_usage_error("scan", "more than 64 --intel files (at '%s')", optarg);
      o->intel_paths[o->config.n_intel_paths++] = optarg;
      o->config.intel_paths = o->intel_paths;
      break;
    case OPT_IDENTITIES:
      o->config.identities_path = optarg;
      break;
    case OPT_TRUST_AUTHSERV:
      if (o->config.n_trusted_authserv_ids == MAX_TRUSTED)
        return bw_cli_usage_error("scan", "more than 32 --trust-authserv ids");
      o->trusted[o->config.n_trusted_authserv_ids++] = optarg;
      o->config.trusted_authserv_ids = o->trusted;
      break;
    case 'q':
      o->quiet = 1;
      break;
    case 'h':
      bw_cmd_scan_usage(stdout);
      return BW_EXIT_OK;
    default:
      return bw_cli_usage_error("scan", "bad option");
    }
  }
  if (optind >= argc) return bw_cli_usage_error("scan", "no PATH given (use - for standard input)");
  return -1;
}

/* ---- the work ---------------------------------------------------------------- */

static void scan_one(void *item, void *ctx) {
  scan_job *job = item;
  scan_run *run = ctx;
  bw_scan_opts so = {
      .locator = job->locator, .recipient = run->opts->recipient, .truncated = job->truncated};
  bw_result *res = NULL;
  job->status = bw_scan(run->engine, job->data, job->len, &so, &res, &job->err);
  free(job->data);
  job->data = NULL;
  if (job->status != BW_OK) return;
  job->verdict = bw_result_verdict(res);
  int rc = run->opts->format == FORMAT_TEXT ? bw_result_to_text(res, &job->out)
                                            : bw_result_to_json(res, &job->out);
  if (rc != BW_OK) {
    job->status = rc;
    snprintf(job->err.message, sizeof(job->err.message), "could not format the result: %s",
             bw_status_name(rc));
  }
  bw_result_free(res);
}

static void report_error(scan_run *run, const char *what) {
  bw_progress_clear(&run->progress);
  fprintf(stderr, "beaconwatch: %s\n", what);
}

static void emit_one(void *item, void *ctx) {
  scan_job *job = item;
  scan_run *run = ctx;
  if (job->status == BW_OK) {
    if (job->out.len && fwrite(job->out.data, 1, job->out.len, run->out) != job->out.len)
      run->output_failed = 1;
    if (run->opts->format == FORMAT_JSONL && fputc('\n', run->out) == EOF) run->output_failed = 1;
    if (job->verdict >= run->opts->fail_on) run->at_or_above_fail_on = 1;
  } else {
    bw_buf loc;
    bw_buf_init(&loc);
    bw_locator_format(&job->locator, &loc);
    char msg[1024];
    snprintf(msg, sizeof(msg), "%s: %s", loc.data ? loc.data : "?", job->err.message);
    bw_buf_free(&loc);
    report_error(run, msg);
    run->internal_errors++;
  }
  run->messages++;
  bw_buf_free(&job->out);
  free(job->path);
  free(job);
}

static scan_job *job_from_message(const bw_message *m) {
  scan_job *job = calloc(1, sizeof(*job));
  if (!job) return NULL;
  job->data = malloc(m->len ? m->len : 1);
  job->path = strdup(m->locator.path ? m->locator.path : "-");
  if (!job->data || !job->path) {
    free(job->data);
    free(job->path);
    free(job);
    return NULL;
  }
  if (m->len) memcpy(job->data, m->data, m->len);
  job->len = m->len;
  job->locator = m->locator;
  job->locator.path = job->path;
  job->truncated = m->truncated;
  bw_buf_init(&job->out);
  return job;
}

/* Where reading stands across all paths. */
typedef struct feed {
  bw_reader **readers;
  char **paths;
  unsigned char *deferred; /* a regular file, opened when reading reaches it */
  int n, at;               /* readers[at] is the one being read; finished ones are freed */
} feed;

/* Opens path with the run's limits; reports and counts a failure. */
static bw_reader *open_reader(scan_run *run, const char *path) {
  bw_reader_opts ro = {.max_message_bytes = run->opts->config.limits.max_message_bytes};
  bw_reader *r = NULL;
  bw_error err;
  if (bw_reader_open(path, &ro, &r, &err) == BW_OK) return r;
  report_error(run, err.message);
  run->input_errors++;
  return NULL;
}

/*
 * The next message of all paths as a job, in input order, or NULL at the
 * end. Unreadable messages are reported and skipped; out of memory ends the
 * run.
 */
static scan_job *next_job(scan_run *run, feed *f) {
  while (f->at < f->n) {
    if (f->deferred[f->at]) {
      f->deferred[f->at] = 0;
      f->readers[f->at] = open_reader(run, f->paths[f->at]);
    }
    bw_reader *reader = f->readers[f->at];
    bw_message m;
    bw_error err;
    int rc = reader ? bw_reader_next(reader, &m, &err) : BW_DONE;
    if (rc == BW_DONE) {
      if (reader) {
        int64_t done, total;
        bw_reader_progress(reader, &done, &total);
        run->bytes_before += done;
        bw_reader_free(reader);
        f->readers[f->at] = NULL;
      }
      f->at++;
      continue;
    }
    if (rc != BW_OK) {
      report_error(run, err.message);
      run->input_errors++;
      if (rc == BW_ENOMEM) break;
      continue;
    }
    scan_job *job = job_from_message(&m);
    if (!job) {
      report_error(run, "out of memory copying a message");
      run->internal_errors++;
      break;
    }
    int64_t done, total;
    bw_reader_progress(reader, &done, &total);
    bw_progress_update(&run->progress, run->messages, run->bytes_before + done, run->total);
    return job;
  }
  f->at = f->n;
  return NULL;
}

static void close_feed(feed *f) {
  for (int i = 0; f->readers && i < f->n; i++) bw_reader_free(f->readers[i]);
  free(f->readers);
  free(f->deferred);
}

/*
 * The engine, built on a thread of its own when the scan has several: its
 * start-up (the identity registry, look-alike index and tracker rules, about
 * 23 ms) then overlaps with reading the first messages instead of adding to
 * the run's length. -j 1 builds it first and reads nothing before.
 */
typedef struct engine_start {
  const bw_config *config;
  bw_engine *engine;
  bw_error err;
  int rc;
  pthread_t thread;
  int threaded;
  atomic_int ready;
} engine_start;

static void *build_engine(void *arg) {
  engine_start *es = arg;
  es->rc = bw_engine_new(es->config, &es->engine, &es->err);
  atomic_store(&es->ready, 1);
  return NULL;
}

static void engine_start_begin(engine_start *es, const bw_config *config, int jobs) {
  es->config = config;
  es->threaded = jobs > 1 && pthread_create(&es->thread, NULL, build_engine, es) == 0;
  if (!es->threaded) build_engine(es);
}

static int engine_start_wait(engine_start *es) {
  if (es->threaded) pthread_join(es->thread, NULL);
  return es->rc;
}

/* Read-ahead while the engine starts: bounded, so memory stays bounded on any mailbox. */
enum { READ_AHEAD_MESSAGES = 4096, READ_AHEAD_BYTES = 32 << 20 };

typedef struct job_list {
  scan_job **items;
  size_t n;
} job_list;

static void read_ahead(scan_run *run, feed *f, engine_start *es, job_list *out) {
  out->items = calloc(READ_AHEAD_MESSAGES, sizeof(*out->items));
  size_t bytes = 0;
  while (out->items && !atomic_load(&es->ready) && out->n < READ_AHEAD_MESSAGES &&
         bytes < READ_AHEAD_BYTES) {
    scan_job *job = next_job(run, f);
    if (!job) break;
    out->items[out->n++] = job;
    bytes += job->len;
  }
}

/*
 * Checks every path first, so that a typo fails before any work and the
 * progress line knows the total size. Directories and streams are opened
 * here; regular files only stat()ed, and opened when reading reaches them:
 * opening a thousand files up front took as long as starting the engine.
 */
static int open_feed(scan_run *run, char **paths, int n, feed *f) {
  *f = (feed){calloc((size_t)n, sizeof(*f->readers)), paths, calloc((size_t)n, 1), n, 0};
  if (!f->readers || !f->deferred) return -1;
  run->total = 0;
  for (int i = 0; i < n; i++) {
    struct stat st;
    int64_t total = -1;
    if (strcmp(paths[i], "-") != 0 && stat(paths[i], &st) == 0 && S_ISREG(st.st_mode)) {
      f->deferred[i] = 1;
      total = (int64_t)st.st_size;
    } else if ((f->readers[i] = open_reader(run, paths[i]))) {
      int64_t done;
      bw_reader_progress(f->readers[i], &done, &total);
    } else {
      continue;
    }
    run->total = total < 0 || run->total < 0 ? -1 : run->total + total;
  }
  return 0;
}

static int exit_code(const scan_run *run) {
  if (run->internal_errors || run->output_failed) return BW_EXIT_INTERNAL;
  if (run->input_errors) return BW_EXIT_INPUT;
  return run->at_or_above_fail_on ? BW_EXIT_FINDINGS : BW_EXIT_OK;
}

/* The engine could not be built: the messages read ahead are dropped unscanned. */
static int engine_failed(scan_run *run, const engine_start *es, job_list *ahead, feed *f) {
  for (size_t i = 0; i < ahead->n; i++) {
    free(ahead->items[i]->data);
    free(ahead->items[i]->path);
    free(ahead->items[i]);
  }
  free(ahead->items);
  close_feed(f);
  bw_progress_clear(&run->progress);
  fprintf(stderr, "beaconwatch: %s\n", es->err.message);
  /* an unreadable or malformed --identities or --intel file is bad input, not a bug */
  return es->err.code == BW_EIO || es->err.code == BW_EFORMAT ? BW_EXIT_INPUT : BW_EXIT_INTERNAL;
}

static int run_scan(scan_run *run, char **paths, int n_paths) {
  engine_start es = {0};
  engine_start_begin(&es, &run->opts->config, run->opts->jobs);
  job_list ahead = {0};
  feed f = {0};
  /* Built first (-j 1): a bad --identities or --intel file fails before any path is read. */
  if (!es.threaded && es.rc != BW_OK) return engine_failed(run, &es, &ahead, &f);
  int fed = open_feed(run, paths, n_paths, &f);
  if (fed == 0) read_ahead(run, &f, &es, &ahead);
  if (engine_start_wait(&es) != BW_OK) return engine_failed(run, &es, &ahead, &f);
  run->engine = es.engine;
  bw_pipeline *pipe = fed == 0 ? bw_pipeline_new(run->opts->jobs, (size_t)run->opts->jobs * 32,
                                                 scan_one, emit_one, run)
                               : NULL;
  if (!pipe) {
    free(ahead.items);
    close_feed(&f);
    report_error(run, "could not start the scan (out of memory or no threads)");
    return BW_EXIT_INTERNAL;
  }
  for (size_t i = 0; i < ahead.n; i++) bw_pipeline_submit(pipe, ahead.items[i]);
  free(ahead.items);
  for (scan_job *job; (job = next_job(run, &f));) bw_pipeline_submit(pipe, job);
  bw_pipeline_finish(pipe);
  close_feed(&f);
  bw_progress_clear(&run->progress);
  if (fflush(run->out) != 0) run->output_failed = 1;
  if (run->output_failed)
    fprintf(stderr, "beaconwatch: writing the results failed: %s\n", strerror(errno));
  return exit_code(run);
}

int bw_cmd_scan(int argc, char **argv) {
  scan_options opts;
  int rc = parse_options(argc, argv, &opts);
  if (rc >= 0) return rc;
  scan_run run = {.opts = &opts, .out = stdout};
  bw_progress_init(&run.progress, opts.quiet);
  if (opts.output && !(run.out = fopen(opts.output, "w"))) {
    fprintf(stderr, "beaconwatch: cannot write %s: %s\n", opts.output, strerror(errno));
    return BW_EXIT_INPUT;
  }
  rc = run_scan(&run, argv + optind, argc - optind);
  if (run.out != stdout && fclose(run.out) != 0) rc = BW_EXIT_INTERNAL;
  bw_engine_free(run.engine);
  return rc;
}
