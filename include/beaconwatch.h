/*
 * beaconwatch.h - the public API of libbeaconwatch.
 *
 * libbeaconwatch reads mail (single files, mbox, Maildir, gzip, stdin), turns
 * each message into a view of its headers, MIME parts and every remotely
 * loaded resource, runs detectors over that view and returns findings and a
 * verdict. It never fetches a URL found in a message: that would fire the
 * beacon it is looking for.
 *
 * Conventions:
 *   - Handles are opaque; functions are named bw_<noun>_<verb>.
 *   - Functions that can fail return an int status: BW_OK (0) or a negative
 *     BW_E* code, and fill a caller-supplied bw_error with a message.
 *   - A bw_engine is built once and then shared read-only by any number of
 *     threads; bw_scan() is thread-safe on a const engine.
 */
#ifndef BEACONWATCH_H
#define BEACONWATCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BW_VERSION_STRING "0.1.0"

/* ---- status codes -------------------------------------------------------- */

enum bw_status {
  BW_OK = 0,
  BW_DONE = 1,          /* a reader has no more messages (not an error) */
  BW_ENOMEM = -1,       /* allocation failed */
  BW_EINVAL = -2,       /* a bad argument or option value */
  BW_EIO = -3,          /* a file could not be opened or read */
  BW_EFORMAT = -4,      /* input is not in the expected format */
  BW_ELIMIT = -5,       /* input exceeds a hard limit and was not processed */
  BW_EINTERNAL = -6     /* a bug or an unexpected library failure */
};

/* Filled by failing calls. `code` repeats the returned status. */
typedef struct bw_error {
  int code;
  char message[512];
} bw_error;

/* A short, static, English name for a status code ("io error", ...). */
const char *bw_status_name(int status);

/* ---- growable byte buffer (output of the formatters) --------------------- */

typedef struct bw_buf {
  char *data; /* NUL-terminated when len > 0 */
  size_t len;
  size_t cap;
} bw_buf;

void bw_buf_init(bw_buf *b);
void bw_buf_reset(bw_buf *b); /* len = 0, keeps the memory */
void bw_buf_free(bw_buf *b);

/* ---- limits -------------------------------------------------------------- */

/*
 * Every parser is bounded. Passing a limit never crashes and never silently
 * truncates: the scan records a `limit_exceeded` finding that names the limit.
 * Documented in docs/limits.md. Zero means "use the default".
 */
typedef struct bw_limits {
  size_t max_message_bytes;  /* default 64 MiB; larger messages are scanned up to here */
  size_t max_header_bytes;   /* default 1 MiB of header block per message/part */
  size_t max_depth;          /* default 32 levels of multipart/message nesting */
  size_t max_parts;          /* default 1000 MIME parts */
  size_t max_decoded_bytes;  /* default 128 MiB decoded across all parts */
  size_t max_html_bytes;     /* default 16 MiB of one HTML part tokenized */
  size_t max_urls;           /* default 10000 resources + links per message */
} bw_limits;

/* ---- engine -------------------------------------------------------------- */

/* The detectors a scan runs (bits for bw_config.skip_detectors). */
enum bw_detector {
  BW_DETECTOR_BEACONS = 1 << 0,  /* open and click beacons */
  BW_DETECTOR_IDENTITY = 1 << 1, /* impersonation and look-alikes */
  BW_DETECTOR_INTEL = 1 << 2     /* threat-intelligence matching */
};

typedef struct bw_config {
  bw_limits limits;
  /* BW_DETECTOR_* bits of detectors not to run; 0 runs them all. Parsing and
     extraction always run, so what is skipped simply reports nothing. */
  unsigned skip_detectors;
  /* A JSON file of protected identities merged into the built-in registry
     (the user's own organisation, members, journalists), or NULL. */
  const char *identities_path;
  /* The authserv-ids whose Authentication-Results headers are believed (the
     receiving servers you run). None: only the topmost header is believed.
     The strings must outlive the engine. */
  const char *const *trusted_authserv_ids;
  size_t n_trusted_authserv_ids;
  /* Threat-intel feeds (STIX 2.1, MISP, lists) or compiled indexes (docs/intel.md),
     told apart by content; indexes are memory-mapped, feeds compiled by
     bw_engine_new (the only reader of these strings). */
  const char *const *intel_paths;
  size_t n_intel_paths;
} bw_config;

/* Fills *cfg with the defaults. Always call before setting fields. */
void bw_config_init(bw_config *cfg);

typedef struct bw_engine bw_engine;

/* Builds an engine: loads and compiles bundled data once. Read-only after. */
int bw_engine_new(const bw_config *cfg, bw_engine **out, bw_error *err);
void bw_engine_free(bw_engine *e);

/*
 * Explains how a name or domain relates to the protected-identity registry:
 * which identity owns it or names itself so, which protected domain it
 * imitates and how (TR39 skeleton, a dnstwist permutation family, edit
 * distance), whether it is a free-mail provider, and what a display name
 * with these words would claim. Appends readable lines to out.
 * Returns BW_OK, or BW_ENOMEM.
 */
int bw_identity_explain(const bw_engine *e, const char *query, bw_buf *out, bw_error *err);

/* ---- where a message came from ------------------------------------------ */

typedef struct bw_locator {
  const char *path;     /* file path, or "-" for stdin */
  int64_t index;        /* 0-based message index within an mbox, or -1 */
  int64_t offset;       /* byte offset of the message in the (uncompressed) mbox, or -1 */
} bw_locator;

/* Writes "path", or "path#index@offset" for mbox messages, into out. */
void bw_locator_format(const bw_locator *loc, bw_buf *out);

/* ---- scanning ------------------------------------------------------------ */

typedef enum bw_verdict {
  BW_VERDICT_CLEAN = 0,
  BW_VERDICT_COMMERCIAL_TRACKING = 1,
  BW_VERDICT_SUSPICIOUS = 2,
  BW_VERDICT_TARGETED_BEACON = 3
} bw_verdict;

/* "clean", "commercial_tracking", "suspicious", "targeted_beacon". */
const char *bw_verdict_name(bw_verdict v);
/* Parses a verdict name; returns BW_EINVAL for an unknown one. */
int bw_verdict_parse(const char *name, bw_verdict *out);

typedef enum bw_severity {
  BW_SEVERITY_INFO = 0,
  BW_SEVERITY_LOW = 1,
  BW_SEVERITY_MEDIUM = 2,
  BW_SEVERITY_HIGH = 3
} bw_severity;

const char *bw_severity_name(bw_severity s);

/* One piece of evidence attached to a finding: a named value. */
typedef struct bw_evidence {
  const char *key;
  const char *value;
} bw_evidence;

/*
 * A finding: something a detector (or a parser) noticed, with evidence.
 * `kind` is a stable identifier documented in docs/output.md, such as
 * "limit_exceeded" or "parse_defect". `where` names the MIME part ("1.2")
 * or is NULL for the whole message. All strings live as long as the result.
 */
typedef struct bw_finding {
  const char *kind;
  const char *detector;
  bw_severity severity;
  const char *message;
  const char *where;
  const bw_evidence *evidence;
  size_t n_evidence;
} bw_finding;

typedef struct bw_scan_opts {
  bw_locator locator;        /* copied into the result; path may be NULL */
  const char *recipient;     /* override the recipient address, or NULL */
  int truncated;             /* the reader cut the message at max_message_bytes */
} bw_scan_opts;

typedef struct bw_result bw_result;

/*
 * Scans one message. Bad input yields findings, not errors: an error return
 * means the scan could not run at all (out of memory, internal failure).
 * Thread-safe: any number of threads may scan with one engine.
 */
int bw_scan(const bw_engine *e, const char *msg, size_t len, const bw_scan_opts *opts,
            bw_result **out, bw_error *err);

bw_verdict bw_result_verdict(const bw_result *r);
int bw_result_score(const bw_result *r);
/* The findings in the order they were made; *n receives the count. */
const bw_finding *const *bw_result_findings(const bw_result *r, size_t *n);
const bw_locator *bw_result_locator(const bw_result *r);

/* Appends one JSON object (no trailing newline) as documented in docs/output.md. */
int bw_result_to_json(const bw_result *r, bw_buf *out);
/* Appends a readable multi-line summary. */
int bw_result_to_text(const bw_result *r, bw_buf *out);
void bw_result_free(bw_result *r);

/* ---- mailbox readers ----------------------------------------------------- */

/*
 * A reader yields the messages found under one path: a single message file,
 * an mbox (mboxo or mboxrd), a Maildir, a directory (walked recursively in
 * name order), any of those files gzip-compressed, or "-" for stdin.
 * Memory stays bounded: mbox files are streamed.
 */
typedef struct bw_reader bw_reader;

typedef struct bw_message {
  const char *data; /* the message bytes; valid until the next call on the reader */
  size_t len;
  bw_locator locator;
  int truncated;    /* 1 when the message was longer than max_message_bytes */
} bw_message;

typedef struct bw_reader_opts {
  size_t max_message_bytes; /* 0: the default limit */
} bw_reader_opts;

int bw_reader_open(const char *path, const bw_reader_opts *opts, bw_reader **out, bw_error *err);
/*
 * Returns BW_OK and fills *msg, BW_DONE at the end, or a negative status for
 * one unreadable item (err names it with its locator); calling again after an
 * error continues with the next item.
 */
int bw_reader_next(bw_reader *r, bw_message *msg, bw_error *err);
/* Bytes consumed so far and the total size when known (else -1), for progress. */
void bw_reader_progress(const bw_reader *r, int64_t *done, int64_t *total);
void bw_reader_free(bw_reader *r);

#ifdef __cplusplus
}
#endif
#endif /* BEACONWATCH_H */
