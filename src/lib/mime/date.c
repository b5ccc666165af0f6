/*
 * date.c - RFC 5322 dates in their usual form, read without GLib.
 *
 * GMime reads a Date header into a GDateTime (a time zone object, a date
 * object, then a formatted string) for every message. Nearly every Date
 * header is written as "Tue, 3 Nov 2026 10:00:00 -0800", optionally with a
 * zone comment; for that form GMime's reading is fully determined, so this
 * file converts it directly and leaves every other form (two-digit years,
 * zone names, missing seconds, out-of-range fields, odd spacing) to GMime.
 * The view's differential test (ctest view_vs_gmime) compares both.
 */
#include "mime/date.h"

#include <string.h>
#include <strings.h>

static const char *const MONTHS[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const DAYS[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

static int digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

static int name_index(const char *s, const char *const *names, int n) {
  for (int i = 0; i < n; i++)
    if (strncasecmp(s, names[i], 3) == 0) return i;
  return -1;
}

static int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

/* v (0 <= v < 10^n) as n decimal digits. */
static char *put_digits(char *o, int v, int n) {
  for (int i = n - 1; i >= 0; i--, v /= 10) o[i] = (char)('0' + v % 10);
  return o + n;
}

/* Nothing, or one zone comment such as " (PST)" or " (UTC)". */
static int plain_tail(const char *s) {
  if (!*s) return 1;
  if (s[0] != ' ' || s[1] != '(') return 0;
  s += 2;
  while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) s++;
  return s[0] == ')' && s[1] == '\0';
}

int bw_date_rfc3339_plain(const char *s, char out[32]) {
  if (strlen(s) >= 5 && s[3] == ',' && s[4] == ' ') {
    if (name_index(s, DAYS, 7) < 0) return 0;
    s += 5;
  }
  int dlen = s[0] && s[1] == ' ' ? 1 : 2;
  int day = digits(s, dlen);
  s += dlen;
  if (day < 1 || *s++ != ' ' || strlen(s) < 4 || s[3] != ' ') return 0;
  int month = name_index(s, MONTHS, 12) + 1;
  s += 4;
  int year = strlen(s) >= 5 && s[4] == ' ' ? digits(s, 4) : -1;
  if (month < 1 || year < 1969) return 0;
  s += 5;
  if (strlen(s) < 14 || s[2] != ':' || s[5] != ':' || s[8] != ' ' || (s[9] != '+' && s[9] != '-'))
    return 0;
  int hour = digits(s, 2), min = digits(s + 3, 2), sec = digits(s + 6, 2);
  int zh = digits(s + 10, 2), zm = digits(s + 12, 2);
  /* GMime's limits: a second of 60 or a zone of 24 hours or 60 minutes are read differently. */
  if (hour < 0 || hour > 23 || min < 0 || min > 59 || sec < 0 || sec > 59 || zh < 0 || zh > 23 ||
      zm < 0 || zm > 59 || day > days_in_month(year, month) || !plain_tail(s + 14))
    return 0;
  char sign = s[9] == '-' && (zh || zm) ? '-' : '+';
  char *o = out;
  o = put_digits(o, year, 4), *o++ = '-', o = put_digits(o, month, 2), *o++ = '-';
  o = put_digits(o, day, 2), *o++ = 'T', o = put_digits(o, hour, 2), *o++ = ':';
  o = put_digits(o, min, 2), *o++ = ':', o = put_digits(o, sec, 2), *o++ = sign;
  o = put_digits(o, zh, 2), *o++ = ':', o = put_digits(o, zm, 2), *o = '\0';
  return 1;
}
