/*
 * fuzz_url.c - libFuzzer target for URL parsing and the text URL finder.
 *
 * Beyond "does not crash", it checks the promises callers rely on: hosts
 * are lowercase ASCII when parsing succeeded, IPv4/IPv6 hosts are valid
 * addresses, the registrable domain is a suffix of the host, a URL is never
 * both remote and local, the normalised form has no raw controls and
 * normalising it again changes nothing; found text URLs lie inside the text,
 * in order, without overlap.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "url/url.h"

static bw_url_ctx *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  ctx = bw_url_ctx_new();
  if (!ctx) abort();
  return 0;
}

static void check(int ok) {
  if (!ok) abort();
}

static void check_host(const bw_url *u) {
  unsigned char addr[16];
  if (u->host_kind == BW_HOST_IPV4) check(inet_pton(AF_INET, u->host, addr) == 1);
  if (u->host_kind == BW_HOST_IPV6 && !u->error) check(inet_pton(AF_INET6, u->host, addr) == 1);
  if (u->host_kind != BW_HOST_DNS) check(u->registrable_domain == NULL);
  if (!u->error)
    for (const char *p = u->host; *p; p++)
      check((unsigned char)*p < 0x80 && !(*p >= 'A' && *p <= 'Z'));
  if (u->registrable_domain) {
    /* The registrable domain leaves out a trailing root dot. */
    size_t h = strlen(u->host), r = strlen(u->registrable_domain);
    if (h > 1 && u->host[h - 1] == '.') h--;
    check(r <= h && strncmp(u->host + h - r, u->registrable_domain, r) == 0);
  }
}

static void check_url(const bw_url *u, bw_arena *a) {
  check(u->raw && u->normalized && u->scheme && u->path);
  check((u->host == NULL) == (u->host_unicode == NULL));
  check(!(u->is_remote && u->is_local));
  check(u->port >= -1 && u->port <= 65535);
  check((u->host == NULL) == (u->host_kind == BW_HOST_NONE));
  for (const char *p = u->scheme; *p; p++) check(!(*p >= 'A' && *p <= 'Z'));
  for (const char *p = u->normalized; *p; p++) check(*p != '\t' && *p != '\n' && *p != '\r');
  if (u->host) check_host(u);
  if (u->error) return;
  for (const char *p = u->normalized; *p; p++)
    check((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7F);
  bw_url again;
  check(bw_url_parse(ctx, a, u->normalized, strlen(u->normalized), &again) == 0);
  check(strcmp(again.normalized, u->normalized) == 0);
}

typedef struct found {
  const char *text;
  size_t len;
  size_t next; /* offsets must not go back or overlap */
} found;

static int on_url(const char *url, size_t len, size_t offset, void *p) {
  found *f = p;
  check(len > 0 && offset >= f->next && offset + len <= f->len && url == f->text + offset);
  f->next = offset + len;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bw_arena a;
  bw_url u;
  bw_arena_init(&a);
  check(bw_url_parse(ctx, &a, (const char *)data, size, &u) == 0);
  check_url(&u, &a);
  found f = {(const char *)data, size, 0};
  check(bw_text_find_urls((const char *)data, size, on_url, &f) == 0);
  bw_arena_free(&a);
  return 0;
}
