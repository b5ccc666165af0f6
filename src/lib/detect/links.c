/*
 * links.c - links whose visible text names another site than the one they open.
 *
 * "https://www.rfa.org/english/" written as the text of a link to
 * rfa-org.news-mirror.test is the oldest trick of phishing and of the
 * reconnaissance mail beaconwatch exists for: the reader checks the address
 * they can see. A link is deceptive when its text reads as a URL or a domain
 * whose registrable domain differs from the one the link opens. Newsletters
 * rewrite links through click trackers: through the sender's own domain, a
 * known tracking service (the bundled vendor rules), or a redirector that
 * carries the shown site as its destination. Those links are tracked (the
 * beacon detector reports them), not deceptive.
 */
#include "detect/links.h"

#include <string.h>
#include <strings.h>

#include "url/url.h"

enum { MAX_DECEPTIVE_FINDINGS = 8, MAX_SHOWN = 256 };

/* The text when it reads as one URL or domain ("www.rfa.org", "https://rfa.org/x"), else NULL. */
static const char *shown_address(bw_arena *a, const char *text, size_t *len) {
  while (*text == ' ' || *text == '<' || *text == '(' || *text == '[') text++;
  size_t n = strlen(text);
  while (n && strchr(" >)].,;:!", text[n - 1])) n--;
  if (n < 4 || n > MAX_SHOWN || memchr(text, ' ', n) || !memchr(text, '.', n)) return NULL;
  *len = n;
  if (strncasecmp(text, "http://", 7) == 0 || strncasecmp(text, "https://", 8) == 0)
    return bw_arena_strndup(a, text, n);
  /* A bare domain must look like one: letters, digits, dots and hyphens up to the path. */
  size_t host_end = strcspn(text, "/?#");
  if (host_end > n) host_end = n;
  for (size_t i = 0; i < host_end; i++) {
    char c = text[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '-'))
      return NULL;
  }
  char *url = bw_arena_printf(a, "http://%.*s", (int)n, text);
  if (url) *len = strlen(url);
  return url;
}

/* The site a URL reaches: its registrable domain, or its host for IPs and bare suffixes. */
static const char *site_of(const bw_url *u) {
  return u->registrable_domain ? u->registrable_domain : u->host;
}

/* A redirector whose path or query names the shown site as the destination is tracking. */
static int redirects_to(const bw_links_ctx *ctx, const bw_url *link, const char *site) {
  const char *raw = link->raw;
  const char *rest = raw ? strstr(raw, "://") : NULL;
  if (!rest) return 0;
  rest += 3;
  char decoded[4096];
  size_t n = strlen(rest);
  if (n >= sizeof(decoded)) return 0;
  bw_url_percent_decode(rest, n, decoded);
  for (const char *p = decoded; (p = strstr(p, "://")) != NULL; p += 3) {
    const char *start = p;
    while (start > decoded && !strchr("=&*/?", start[-1])) start--;
    size_t m = strcspn(start, "&");
    bw_url dest;
    if (bw_url_parse(ctx->urls, ctx->arena, start, m, &dest) != 0) return 0;
    if (dest.host && site_of(&dest) && strcmp(site_of(&dest), site) == 0) return 1;
  }
  return 0;
}

static int is_click_tracker(const bw_links_ctx *ctx, const bw_url *u) {
  const char *norm = u->normalized ? u->normalized : u->raw;
  const char *rest = norm ? strstr(norm, "://") : NULL;
  if (!rest || !ctx->trackers) return 0;
  bw_tracker_match m;
  return bw_trackers_match(ctx->trackers, rest + 3, strlen(rest + 3), &m) == 1 &&
         (m.trigger & BW_TRACKER_CLICK);
}

static int judge(const bw_links_ctx *ctx, const bw_link *l, size_t *reported) {
  if (!l->text || !l->url.is_remote || !l->url.host || strcmp(l->tag, "text") == 0) return BW_OK;
  size_t len;
  const char *shown = shown_address(ctx->arena, l->text, &len);
  if (!shown) return BW_OK;
  bw_url s;
  if (bw_url_parse(ctx->urls, ctx->arena, shown, len, &s) != 0) return BW_ENOMEM;
  const char *shown_site = s.error || !s.host ? NULL : site_of(&s);
  const char *real_site = site_of(&l->url);
  if (!shown_site || !real_site || strcmp(shown_site, real_site) == 0) return BW_OK;
  /* The sender's own click tracker, a known tracking service or a redirector to the shown site. */
  if ((ctx->sender_site && strcmp(real_site, ctx->sender_site) == 0) || is_click_tracker(ctx, &l->url) ||
      redirects_to(ctx, &l->url, shown_site))
    return BW_OK;
  if (++*reported > MAX_DECEPTIVE_FINDINGS) return BW_OK;
  bw_finding *f =
      bw_findings_add(ctx->findings, "deceptive_link", "links", BW_SEVERITY_MEDIUM, l->part,
                      "a link shows %s but opens %s", s.host, l->url.host);
  bw_finding_add_evidence(ctx->findings, f, "shown", l->text);
  bw_finding_add_evidence(ctx->findings, f, "shown_site", shown_site);
  bw_finding_add_evidence(ctx->findings, f, "opens", l->url.normalized ? l->url.normalized : l->url.raw);
  bw_finding_add_evidence(ctx->findings, f, "opens_site", real_site);
  return BW_OK;
}

int bw_links_detect(const bw_links_ctx *ctx) {
  size_t reported = 0;
  const bw_ptrvec *links = &ctx->extraction->links;
  for (size_t i = 0; i < links->len; i++)
    if (judge(ctx, links->items[i], &reported) != BW_OK) return BW_ENOMEM;
  return ctx->findings->oom ? BW_ENOMEM : BW_OK;
}
