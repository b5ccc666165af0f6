/*
 * fuzz_identity.c - libFuzzer target for the identity claim parsers and the
 * look-alike checker.
 *
 * The input is split at its first two newlines into a display name, an
 * address or domain, and a signature block; each goes through the parser the
 * scanner uses on real mail, and the whole input through `identity check`.
 * Beyond "does not crash": every claim names someone (an identity, a person
 * or a domain) with a known source and kind, a look-alike match carries its
 * protected domain, method and explanation, and a domain the registry owns is
 * never reported as a look-alike.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/identity.h"
#include "detect/lookalike.h"
#include "scan.h"

static bw_engine *engine;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  bw_config cfg;
  bw_config_init(&cfg);
  bw_error err;
  if (bw_engine_new(&cfg, &engine, &err) != BW_OK) abort();
  return 0;
}

static void check(int ok) {
  if (!ok) abort();
}

static void check_claims(const bw_claim_list *l) {
  check(l->n <= sizeof(l->items) / sizeof(l->items[0]));
  for (size_t i = 0; i < l->n; i++) {
    const bw_identity_claim *c = &l->items[i];
    check(c->identity || c->person || c->org_domain);
    check(c->text != NULL);
    check(strcmp(bw_claim_source_name(c->source), "unknown") != 0);
    check(strcmp(bw_identity_kind_name(c->kind), "unknown") != 0);
  }
}

static void check_domain(bw_arena *a, const char *host) {
  bw_lookalike_match m;
  int rc = bw_lookalike_check(engine->lookalikes, engine->urls, a, host, &m);
  check(rc >= -1 && rc <= 1);
  if (rc != 1) return;
  check(m.identity && m.protected_domain && m.method && m.detail);
  const char *reg = bw_url_registrable_domain(engine->urls, a, host);
  check(!reg || !bw_registry_owner_of(engine->registry, reg));
}

/* Copies the next newline-terminated field of data into the arena. */
static char *field(bw_arena *a, const uint8_t **p, const uint8_t *end) {
  const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
  const uint8_t *stop = nl ? nl : end;
  char *s = bw_arena_strndup(a, (const char *)*p, (size_t)(stop - *p));
  *p = nl ? nl + 1 : end;
  return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bw_arena a;
  bw_arena_init(&a);
  const uint8_t *p = data, *end = data + size;
  char *name = field(&a, &p, end), *address = field(&a, &p, end);
  char *sig = bw_arena_strndup(&a, (const char *)p, (size_t)(end - p));
  bw_claim_env env = {engine->registry, engine->lookalikes, engine->urls, &a};
  bw_claim_list l = {0};
  bw_claims_from_display_name(&env, name, &l);
  bw_claims_from_local_part(&env, address, &l);
  bw_claims_from_signature(&env, sig, bw_claims_person_in_name(&env, name), &l);
  check_claims(&l);
  const char *at = address ? strrchr(address, '@') : NULL;
  check_domain(&a, at ? at + 1 : address);
  bw_buf out;
  bw_buf_init(&out);
  bw_error err;
  char *whole = bw_arena_strndup(&a, (const char *)data, size);
  if (whole && *whole) check(bw_identity_explain(engine, whole, &out, &err) == BW_OK);
  bw_buf_free(&out);
  bw_arena_free(&a);
  return 0;
}
