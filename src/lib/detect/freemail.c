/*
 * freemail.c - the compiled-in list of free-mail providers (data/freemail).
 *
 * The list is small (under a hundred entries), so a linear scan per message
 * costs less than building any index; entries ending in ".*" match the label
 * under every public suffix (yahoo.co.uk, yahoo.fr).
 */
#include <string.h>

#include "detect/freemail.h"

static const char *const FREEMAIL[] = {
#include "../../../data/freemail/domains.inc"
};

static int entry_matches(const char *entry, const char *domain) {
  size_t n = strlen(entry);
  /* The domain is registrable, so what follows "label." is its public suffix. */
  if (n > 2 && entry[n - 1] == '*' && entry[n - 2] == '.')
    return strncmp(entry, domain, n - 1) == 0;
  return strcmp(entry, domain) == 0;
}

int bw_freemail_is(const char *registrable_domain) {
  if (!registrable_domain) return 0;
  /* An entry matches from its first letter on: most are told apart by that letter alone. */
  for (size_t i = 0; i < sizeof(FREEMAIL) / sizeof(FREEMAIL[0]); i++)
    if (FREEMAIL[i][0] == registrable_domain[0] && entry_matches(FREEMAIL[i], registrable_domain))
      return 1;
  return 0;
}
