/*
 * trackers.h - known email-tracker vendors: does this URL belong to one?
 *
 * The rules come from Trocker and MailTrackerBlocker (data/trackers/) and are
 * compiled into the library (trackers_data.inc), so matching needs no data
 * files at run time. bw_trackers_new compiles them once; the result is
 * immutable and may be shared by any number of threads.
 */
#ifndef BW_TRACKERS_H
#define BW_TRACKERS_H

#include <stddef.h>

/* What fetching a matched URL reports to the vendor (a bit set). */
enum {
  BW_TRACKER_OPEN = 1,  /* loading it (an image) reports that the message was opened */
  BW_TRACKER_CLICK = 2, /* following it (a link) reports a click, then redirects */
  BW_TRACKER_ANY = 3    /* the rule does not tell the two apart */
};

typedef struct bw_trackers bw_trackers;

typedef struct bw_tracker_match {
  const char *vendor;  /* e.g. "SendGrid"; static storage */
  const char *pattern; /* the PCRE2 pattern that matched; static storage */
  int trigger;         /* BW_TRACKER_OPEN, _CLICK or _ANY */
} bw_tracker_match;

/* Compiles the bundled rules; NULL only when out of memory. */
bw_trackers *bw_trackers_new(void);
void bw_trackers_free(bw_trackers *t);

/*
 * Number of rules compiled; *rejected (if not NULL) gets the number PCRE2
 * refused to compile, which are left out of matching. The bundled table is
 * expected to have none (the unit test asserts it).
 */
size_t bw_trackers_count(const bw_trackers *t, size_t *rejected);

/*
 * Matches a URL given without its scheme ("host/path?query", lowercase host),
 * the form the patterns were written for; any bytes are accepted. Returns 1
 * and fills *m for the first rule in priority order (Trocker, then
 * MailTrackerBlocker) that matches, 0 if none does, or BW_ENOMEM if the
 * regex match data could not be allocated. Thread-safe.
 */
int bw_trackers_match(const bw_trackers *t, const char *url_no_scheme, size_t len,
                      bw_tracker_match *m);

/*
 * The same answer as bw_trackers_match, found by running every rule's regex
 * in order without the literal prefilter. Slow; it exists so that tests and
 * the benchmark can check the prefilter never changes an answer.
 */
int bw_trackers_match_unfiltered(const bw_trackers *t, const char *url_no_scheme, size_t len,
                                 bw_tracker_match *m);

#endif
