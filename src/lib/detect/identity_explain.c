/*
 * identity_explain.c - `beaconwatch identity check`: how a name or domain
 * relates to the registry of protected identities.
 *
 * An analyst who sees "BBC-News <alerts@bbc-newsroom.test>" wants to know,
 * without reading a whole report, whether bbc-newsroom.test belongs to the
 * BBC, which protected domain it imitates and by which permutation, and what
 * the display name would claim. This answers with the same code the scanner
 * uses, so the explanation and the verdict cannot disagree.
 */
#include <string.h>
#include <strings.h>

#include "detect/freemail.h"
#include "detect/identity.h"
#include "scan.h"
#include "util/buf.h"
#include "util/error.h"

enum { MAX_NAMES = 8 };

static int looks_like_domain(const char *q) {
  return strchr(q, '.') && !strchr(q, ' ');
}

/* "exact name", "alternate name" or "name contained in the text". */
static const char *name_relation(const bw_identity *id, const char *q) {
  if (strcasecmp(id->name, q) == 0) return "its name";
  for (size_t i = 0; i < id->n_alt_names; i++)
    if (strcasecmp(id->alt_names[i], q) == 0) return "an alternate name";
  return "a name it goes by, inside the text";
}

static void explain_domain(const bw_engine *e, bw_arena *a, const char *host, bw_buf *out) {
  const char *reg = bw_url_registrable_domain(e->urls, a, host);
  if (!reg) {
    bw_buf_printf(out, "%s: not a domain name with a public suffix\n", host);
    return;
  }
  const bw_identity *owner = bw_registry_owner_of(e->registry, reg);
  if (owner)
    bw_buf_printf(out, "%s: a domain of %s (%s, id %s): mail from it can back claims to be %s\n",
                  host, owner->name, bw_identity_kind_name(owner->kind), owner->id, owner->name);
  if (bw_freemail_is(reg))
    bw_buf_printf(
        out, "%s: a free-mail provider: anyone can open an account there, so it backs no claim\n",
        host);
  bw_lookalike_match m;
  int rc = bw_lookalike_check(e->lookalikes, e->urls, a, host, &m);
  if (rc > 0)
    bw_buf_printf(out, "%s: a look-alike of %s (%s) by %s%s: %s\n", host, m.protected_domain,
                  m.identity->name, m.method,
                  m.strong ? "" : " (weak: evidence only, alone it proves nothing)", m.detail);
  if (!owner && !bw_freemail_is(reg) && rc <= 0)
    bw_buf_printf(out, "%s: not a domain of any protected identity and no look-alike of one\n",
                  host);
}

static void put_claim(bw_buf *out, const char *q, const bw_identity_claim *c) {
  bw_buf_printf(out, "\"%s\": a display name like this claims to be %s (%s", q,
                c->person     ? c->person
                : c->identity ? c->identity->name
                              : "an office holder",
                bw_identity_kind_name(c->kind));
  if (c->identity && c->person && strcmp(c->person, c->identity->name) != 0)
    bw_buf_printf(out, " of %s", c->identity->name);
  bw_buf_printf(out, ", read as %s)%s; it holds only from ", bw_claim_source_name(c->source),
                c->hedged ? ", hedged: an association, not an identity" : "");
  if (!c->identity) {
    bw_buf_puts(out, "the office's own domain\n");
    return;
  }
  for (size_t i = 0; i < c->identity->n_domains; i++)
    bw_buf_printf(out, "%s%s", i ? ", " : "", c->identity->domains[i]);
  bw_buf_puts(out, c->identity->n_domains ? "\n" : "(no domains listed)\n");
}

static void explain_name(const bw_engine *e, bw_arena *a, const char *q, bw_buf *out) {
  const bw_identity *ids[MAX_NAMES];
  size_t n = bw_registry_find_names(e->registry, q, strlen(q), ids, MAX_NAMES);
  for (size_t i = 0; i < n; i++)
    bw_buf_printf(out, "\"%s\": %s of %s (%s, id %s)\n", q, name_relation(ids[i], q), ids[i]->name,
                  bw_identity_kind_name(ids[i]->kind), ids[i]->id);
  bw_claim_env env = {e->registry, e->lookalikes, e->urls, a};
  bw_claim_list claims = {0};
  bw_claims_from_display_name(&env, q, &claims);
  if (claims.homoglyphs)
    bw_buf_printf(out, "\"%s\": mixes scripts: letters from another alphabet imitate Latin ones\n",
                  q);
  for (size_t i = 0; i < claims.n; i++) put_claim(out, q, &claims.items[i]);
  if (!n && !claims.n)
    bw_buf_printf(out, "\"%s\": names no protected identity and claims no office\n", q);
}

int bw_identity_explain(const bw_engine *e, const char *query, bw_buf *out, bw_error *err) {
  if (!e || !query || !*query)
    return bw_error_set(err, BW_EINVAL, "identity check: nothing to check");
  bw_arena a;
  bw_arena_init(&a);
  const char *at = strrchr(query, '@');
  if (at && at[1])
    explain_domain(e, &a, at + 1, out);
  else if (looks_like_domain(query))
    explain_domain(e, &a, query, out);
  else
    explain_name(e, &a, query, out);
  if (at) {
    bw_claim_env env = {e->registry, e->lookalikes, e->urls, &a};
    bw_claim_list l = {0};
    bw_claims_from_local_part(&env, query, &l);
    if (l.n)
      bw_buf_printf(out,
                    "%.*s: the local part names %s (%s); from a free-mail domain that is a claim\n",
                    (int)(at - query), query, l.items[0].identity->name, l.items[0].identity->id);
  }
  bw_arena_free(&a);
  /* An append that failed left the buffer as it was; one more byte of room tells us memory is
   * there. */
  return bw_buf_reserve(out, 1) == BW_OK ? BW_OK : bw_error_set(err, BW_ENOMEM, "out of memory");
}
