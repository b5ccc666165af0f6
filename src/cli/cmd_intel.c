/*
 * cmd_intel.c - `beaconwatch intel`: compile feeds, look up actors and values.
 *
 *   intel compile [-v] FEED... -o INDEX   STIX 2.1 / MISP / lists -> one index file
 *   intel actor NAME                      an actor by any alias, with sources and techniques
 *   intel lookup [--intel FILE]... VALUE  which indicators a domain, URL, IP, address or hash hits
 *   intel verify INDEX...                 full check of index files (bounds and checksums)
 *
 * Every loader reports what it could not use; compile prints the counts per
 * feed and, with -v, each unsupported item with its reason.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "intel/actors.h"
#include "intel/intel.h"

void bw_cmd_intel_usage(FILE *out) {
  fprintf(out, "usage: beaconwatch intel compile [-v] FEED... -o INDEX\n"
               "       beaconwatch intel actor NAME\n"
               "       beaconwatch intel lookup --intel FILE [--intel FILE]... VALUE\n"
               "       beaconwatch intel verify INDEX...\n\n"
               "compile  reads STIX 2.1 bundles, MISP events, plain lists, CSV and maltrail\n"
               "         trails and writes one memory-mappable index; prints per feed how many\n"
               "         indicators were loaded and how many are unsupported (-v lists them)\n"
               "actor    finds an actor by any alias (case and punctuation do not matter) and\n"
               "         prints its ATT&CK id, every alias with its sources, and its techniques\n"
               "lookup   looks a domain, URL, IP, e-mail address or hash up in feeds or indexes\n"
               "verify   checks every section and checksum of index files\n\n"
               "exit status: 0 ok (lookup: found), 1 lookup found nothing, 2 usage error,\n"
               "3 a feed or index could not be read. See docs/intel.md.\n");
}

static void print_skips(const bw_intel_report *r, size_t from) {
  for (size_t i = from; i < r->n_skips; i++)
    fprintf(stderr, "  unsupported: %s: %s\n", r->skips[i].item, r->skips[i].reason);
}

static int compile_feeds(char **feeds, int n, const char *out, int verbose) {
  bw_intel_builder *b = bw_intel_builder_new();
  if (!b) return BW_EXIT_INTERNAL;
  bw_intel_report rep;
  bw_intel_report_init(&rep);
  bw_error err = {0};
  int status = BW_EXIT_OK;
  for (int i = 0; i < n && status == BW_EXIT_OK; i++) {
    size_t loaded = rep.loaded, unsupported = rep.unsupported, skips = rep.n_skips;
    if (bw_intel_builder_load_file(b, feeds[i], &rep, &err) != BW_OK) {
      fprintf(stderr, "beaconwatch intel: %s\n", err.message);
      status = BW_EXIT_INPUT;
      break;
    }
    fprintf(stderr, "%s: loaded %zu, unsupported %zu\n", feeds[i], rep.loaded - loaded,
            rep.unsupported - unsupported);
    if (verbose) print_skips(&rep, skips);
  }
  if (status == BW_EXIT_OK && bw_intel_builder_write(b, out, &err) != BW_OK) {
    fprintf(stderr, "beaconwatch intel: %s\n", err.message);
    status = BW_EXIT_INPUT;
  }
  if (status == BW_EXIT_OK)
    fprintf(stderr, "%s: %zu indicators loaded, %zu unsupported\n", out, rep.loaded,
            rep.unsupported);
  bw_intel_report_free(&rep);
  bw_intel_builder_free(b);
  return status;
}

static int cmd_compile(int argc, char **argv) {
  const char *out = NULL;
  int verbose = 0, c;
  optind = 1;
  while ((c = getopt(argc, argv, "o:vh")) != -1) {
    if (c == 'o')
      out = optarg;
    else if (c == 'v')
      verbose = 1;
    else if (c == 'h')
      return bw_cmd_intel_usage(stdout), BW_EXIT_OK;
    else
      return BW_EXIT_USAGE;
  }
  if (!out) return bw_cli_usage_error("intel", "compile needs -o INDEX");
  if (optind >= argc) return bw_cli_usage_error("intel", "compile needs at least one FEED");
  return compile_feeds(argv + optind, argc - optind, out, verbose);
}

static int cmd_actor(int argc, char **argv) {
  if (argc != 2) return bw_cli_usage_error("intel", "actor needs one NAME");
  const bw_actor *a = bw_actor_find(argv[1]);
  if (!a) {
    fprintf(stderr, "beaconwatch intel: no actor known as '%s'\n", argv[1]);
    return BW_EXIT_FINDINGS;
  }
  printf("%s\n", a->name);
  printf("  ATT&CK:  %s\n", a->attack_id ? a->attack_id : "(none)");
  if (a->country) printf("  country: %s\n", a->country);
  printf("  aliases (%zu):\n", a->n_aliases);
  for (size_t i = 0; i < a->n_aliases; i++)
    printf("    %-28s %s\n", a->aliases[i].name, a->aliases[i].sources);
  printf("  techniques (%zu):\n", a->n_techniques);
  for (size_t i = 0; i < a->n_techniques; i++)
    printf("    %-10s %s\n", a->techniques[i].id, a->techniques[i].name);
  if (a->n_software) printf("  software (%zu):\n", a->n_software);
  for (size_t i = 0; i < a->n_software; i++)
    printf("    %-10s %s\n", a->software[i].id, a->software[i].name);
  return BW_EXIT_OK;
}

static int print_hit(const bw_intel_hit *h, void *ctx) {
  (*(int *)ctx)++;
  printf("%s %s  feed=%s", bw_ioc_type_name(h->type), h->value, h->feed);
  if (*h->label) printf("  label=%s", h->label);
  if (h->group) printf("  (term %u of %u ANDed)", h->term + 1, h->n_terms);
  printf("\n");
  if (*h->actors) printf("  attribution: %s\n", h->actors);
  if (*h->refs) printf("  references: %s\n", h->refs);
  return 0;
}

static int cmd_lookup(int argc, char **argv) {
  static const struct option longopts[] = {{"intel", required_argument, NULL, 'i'},
                                           {NULL, 0, NULL, 0}};
  const char *paths[64];
  size_t n = 0;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "i:", longopts, NULL)) != -1) {
    if (c != 'i') return BW_EXIT_USAGE;
    if (n == 64) return bw_cli_usage_error("intel", "more than 64 --intel files");
    paths[n++] = optarg;
  }
  if (!n || optind != argc - 1)
    return bw_cli_usage_error("intel", "lookup needs --intel FILE and one VALUE");
  bw_intel *in = NULL;
  bw_error err = {0};
  if (bw_intel_load(paths, n, &in, NULL, &err) != BW_OK) {
    fprintf(stderr, "beaconwatch intel: %s\n", err.message);
    return BW_EXIT_INPUT;
  }
  int hits = 0;
  bw_intel_lookup_any(in, argv[optind], print_hit, &hits);
  const char *list = bw_intel_warninglist_of(in, argv[optind]);
  if (list) printf("on warninglist %s: hits on this domain are suppressed in scans\n", list);
  bw_intel_free(in);
  return hits ? BW_EXIT_OK : BW_EXIT_FINDINGS;
}

static int cmd_verify(int argc, char **argv) {
  if (argc < 2) return bw_cli_usage_error("intel", "verify needs at least one INDEX");
  int status = BW_EXIT_OK;
  for (int i = 1; i < argc; i++) {
    bw_intel *in = NULL;
    bw_error err = {0};
    const char *one[] = {argv[i]};
    if (bw_intel_is_index_file(argv[i]) != 1) {
      fprintf(stderr, "%s: not an intel index\n", argv[i]);
      status = BW_EXIT_INPUT;
      continue;
    }
    if (bw_intel_load(one, 1, &in, NULL, &err) != BW_OK || bw_intel_verify(in, &err) != BW_OK) {
      fprintf(stderr, "%s\n", err.message);
      status = BW_EXIT_INPUT;
    } else {
      printf("%s: ok, %llu indicators\n", argv[i], (unsigned long long)bw_intel_count(in, 0));
    }
    bw_intel_free(in);
  }
  return status;
}

int bw_cmd_intel(int argc, char **argv) {
  if (argc < 2)
    return bw_cli_usage_error("intel", "missing subcommand (compile, actor, lookup, verify)");
  const char *sub = argv[1];
  if (strcmp(sub, "compile") == 0) return cmd_compile(argc - 1, argv + 1);
  if (strcmp(sub, "actor") == 0) return cmd_actor(argc - 1, argv + 1);
  if (strcmp(sub, "lookup") == 0) return cmd_lookup(argc - 1, argv + 1);
  if (strcmp(sub, "verify") == 0) return cmd_verify(argc - 1, argv + 1);
  if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
    bw_cmd_intel_usage(stdout);
    return BW_EXIT_OK;
  }
  return bw_cli_usage_error("intel", "unknown subcommand (compile, actor, lookup, verify)");
}
