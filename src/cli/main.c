/*
 * main.c - the beaconwatch command: dispatches to one subcommand.
 *
 * Every subcommand lives in its own file and is a thin layer over
 * libbeaconwatch: it parses options, calls the library and prints.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct command {
  const char *name;
  const char *summary;
  int (*run)(int argc, char **argv);
  void (*usage)(FILE *out);
} command;

/* cmd_identity.c */
int bw_cmd_identity(int argc, char **argv);
void bw_cmd_identity_usage(FILE *out);

static const command COMMANDS[] = {
    {"scan", "scan messages for beacons, impersonation and threat intelligence", bw_cmd_scan,
     bw_cmd_scan_usage},
    {"intel", "threat intel: compile feeds into an index, look up actors and values", bw_cmd_intel,
     bw_cmd_intel_usage},
    {"identity", "explain how a name or domain relates to the protected identities",
     bw_cmd_identity, bw_cmd_identity_usage},
};
enum { N_COMMANDS = sizeof(COMMANDS) / sizeof(COMMANDS[0]) };

static void usage(FILE *out) {
  fprintf(out, "usage: beaconwatch COMMAND [OPTIONS] [ARGS]\n\n"
               "Finds what opening or clicking an email reveals about you, and to whom.\n"
               "beaconwatch never fetches a URL found in a message.\n\ncommands:\n");
  for (size_t i = 0; i < N_COMMANDS; i++)
    fprintf(out, "  %-8s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
  fprintf(out, "\n  beaconwatch help COMMAND   help for one command\n"
               "  beaconwatch --version      print the version\n\n"
               "See beaconwatch(1) and docs/output.md.\n");
}

static const command *find_command(const char *name) {
  for (size_t i = 0; i < N_COMMANDS; i++)
    if (strcmp(COMMANDS[i].name, name) == 0) return &COMMANDS[i];
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return BW_EXIT_USAGE;
  }
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
    usage(stdout);
    return BW_EXIT_OK;
  }
  if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
    printf("beaconwatch %s\n", BW_VERSION_STRING);
    return BW_EXIT_OK;
  }
  if (strcmp(name, "help") == 0) {
    const command *c = argc > 2 ? find_command(argv[2]) : NULL;
    if (argc > 2 && !c) {
      fprintf(stderr, "beaconwatch: no command '%s'\n", argv[2]);
      return BW_EXIT_USAGE;
    }
    if (c)
      c->usage(stdout);
    else
      usage(stdout);
    return BW_EXIT_OK;
  }
  const command *c = find_command(name);
  if (!c) {
    fprintf(stderr, "beaconwatch: unknown command '%s' (try 'beaconwatch --help')\n", name);
    return BW_EXIT_USAGE;
  }
  return c->run(argc - 1, argv + 1);
}
