/*
 * cli.h - what the subcommands of the beaconwatch command share.
 */
#ifndef BW_CLI_H
#define BW_CLI_H

#include <stdio.h>

#include "beaconwatch.h"

/* Exit codes (docs/beaconwatch.1, EXIT STATUS). */
enum {
  BW_EXIT_OK = 0,
  BW_EXIT_FINDINGS = 1,
  BW_EXIT_USAGE = 2,
  BW_EXIT_INPUT = 3,
  BW_EXIT_INTERNAL = 4
};

/* Prints "beaconwatch COMMAND: message" and where to get help; returns BW_EXIT_USAGE. */
int bw_cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

int bw_cmd_scan(int argc, char **argv);
void bw_cmd_scan_usage(FILE *out);
int bw_cmd_intel(int argc, char **argv);
void bw_cmd_intel_usage(FILE *out);

#endif
