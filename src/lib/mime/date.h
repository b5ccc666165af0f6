/*
 * date.h - RFC 5322 dates in their usual form, read without GLib (see date.c).
 */
#ifndef BW_MIME_DATE_H
#define BW_MIME_DATE_H

/*
 * Writes value as RFC 3339 ("2026-11-03T10:00:00-08:00") into out when it
 * is a valid date of the form "[Tue, ]3 Nov 2026 10:00:00 -0800[ (PST)]"
 * and returns 1; returns 0 for anything else, which GMime must read.
 */
int bw_date_rfc3339_plain(const char *value, char out[32]);

#endif
