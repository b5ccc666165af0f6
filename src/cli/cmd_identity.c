/*
 * cmd_identity.c - `beaconwatch identity check NAME-OR-DOMAIN`: how a name,
 * address or domain relates to the registry of protected identities.
 *
 * A thin layer over bw_identity_explain(): it builds the engine (with the
 * user's --identities file, so their own organisation is known) and prints
 * the explanation.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int bw_cmd_identity(int argc, char **argv);
void bw_cmd_identity_usage(FILE *out);

void bw_cmd_identity_usage(FILE *out) {
  fprintf(out, "usage: beaconwatch identity check [--identities FILE] NAME-OR-DOMAIN...\n\n"
               "Explains how each argument relates to the protected identities: the identity\n"
               "that owns a domain, the names and alternate names a display name uses, the\n"
               "protected domain a look-alike imitates and how (TR39 skeleton, dnstwist\n"
               "permutation family, edit distance), free-mail providers, and what a display\n"
               "name would claim.\n\n"
               "options:\n"
               "      --identities FILE merge FILE (JSON, docs/identities.md) into the built-in\n"
               "                        registry first\n"
               "  -h, --help            this help\n\n"
               "examples:\n"
               "  beaconwatch identity check bbc-newsroom.test\n"
               "  beaconwatch identity check 'Tobias Rusk | BBC News'\n");
}

static int explain_all(const bw_engine *e, char **queries, int n) {
  bw_buf out;
  bw_buf_init(&out);
  int rc = BW_EXIT_OK;
  for (int i = 0; i < n && rc == BW_EXIT_OK; i++) {
    bw_error err;
    bw_buf_reset(&out);
    if (bw_identity_explain(e, queries[i], &out, &err) != BW_OK) {
      fprintf(stderr, "beaconwatch: %s\n", err.message);
      rc = BW_EXIT_INTERNAL;
    } else if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len)
      rc = BW_EXIT_INTERNAL;
  }
  bw_buf_free(&out);
  return rc;
}

int bw_cmd_identity(int argc, char **argv) {
  static const struct option longopts[] = {{"identities", required_argument, NULL, 'i'},
                                           {"help", no_argument, NULL, 'h'},
                                           {NULL, 0, NULL, 0}};
  bw_config cfg;
  bw_config_init(&cfg);
  optind = 1;
  int c;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    if (c == 'i')
      cfg.identities_path = optarg;
    else if (c == 'h') {
      bw_cmd_identity_usage(stdout);
      return BW_EXIT_OK;
    } else
      return bw_cli_usage_error("identity", "bad option");
  }
  if (optind >= argc || strcmp(argv[optind], "check") != 0)
    return bw_cli_usage_error("identity", "expected 'check'");
  if (optind + 1 >= argc) return bw_cli_usage_error("identity", "nothing to check");
  bw_engine *e = NULL;
  bw_error err;
  if (bw_engine_new(&cfg, &e, &err) != BW_OK) {
    fprintf(stderr, "beaconwatch: %s\n", err.message);
    return BW_EXIT_INPUT;
  }
  int rc = explain_all(e, argv + optind + 1, argc - optind - 1);
  bw_engine_free(e);
  return rc;
}
