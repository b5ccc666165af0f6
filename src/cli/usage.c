/*
 * usage.c - the one way every subcommand reports a usage error.
 */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

int bw_cli_usage_error(const char *command, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "beaconwatch %s: ", command);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n(try 'beaconwatch help %s')\n", command);
  va_end(ap);
  return BW_EXIT_USAGE;
}
