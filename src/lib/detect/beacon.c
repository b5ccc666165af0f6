/*
 * beacon.c - decides which resources and links are beacons (see beacon.h).
 *
 * No single rule catches trackers without catching ordinary mail, so each
 * URL collects signals and the decision needs a strong one or two weaker
 * ones together:
 *   - the recipient's address, encoded or hashed, in the URL: a beacon that
 *     names the recipient, whatever else is true;
 *   - an opaque id (UUID, long hex, random base62) together with a tracking
 *     shape: tiny or hidden, no declared size, loaded from CSS, or in the
 *     query string; a content image named by a hash alone is not enough;
 *   - tiny or hidden and loaded from a third party (not the sender's
 *     registrable domain), which learns of the open even without an id;
 *   - a known tracker vendor's URL (the bundled MailTrackerBlocker and
 *     Trocker rules) with an id or a tracking shape;
 *   - once a host serves a beacon, every other resource from that host tells
 *     it of the open too.
 * Links are click beacons when they carry the recipient, a long opaque id, or
 * a shorter one on a redirector;
 * unsubscribe and preference links are left out, since identifying the
 * recipient is their purpose and the recipient chooses to click them.
 */
#include "detect/beacon.h"

#include <string.h>
#include <strings.h>

#include "detect/recipient_tokens.h"
#include "detect/url_tokens.h"

enum { MAX_SIGNALS = 8, MAX_RECIPIENTS = 32, MAX_URL_SCAN = 8192 };

typedef struct url_analysis {
  const bw_recipient_token *recipient; /* recipient token found, or NULL */
  char recipient_text[160];
  bw_url_token opaque;
  int has_opaque;
  int redirector;
  bw_tracker_match vendor;
  int has_vendor;
} url_analysis;

typedef struct detector {
  bw_beacon_ctx *ctx;
  bw_recipient_tokens tokens;
  int tokens_ready; /* built at the first remote URL: most messages without one need none */
  int oom;
  const char *sender_domain; /* registrable domain of From, or NULL */
} detector;

/* ---- recipients ------------------------------------------------------------ */

static void collect_addresses(const bw_address_list *l, const char **out, size_t *n) {
  for (size_t i = 0; i < l->n && *n < MAX_RECIPIENTS; i++)
    if (l->items[i].address) out[(*n)++] = l->items[i].address;
}

static int is_recipient_header(const char *name) {
  return strcasecmp(name, "To") == 0 || strcasecmp(name, "Cc") == 0 ||
         strcasecmp(name, "Delivered-To") == 0 || strcasecmp(name, "X-Original-To") == 0;
}

/* The addr-specs in a header value: every run around an '@' up to a delimiter. */
static void collect_raw_addresses(bw_arena *a, const char *value, const char **out, size_t *n) {
  static const char delimiters[] = " \t\r\n<>,;:\"()[]";
  for (const char *at = strchr(value, '@'); at && *n < MAX_RECIPIENTS; at = strchr(at + 1, '@')) {
    const char *start = at, *end = at + 1;
    while (start > value && !strchr(delimiters, start[-1])) start--;
    while (*end && !strchr(delimiters, *end)) end++;
    if (start < at && end > at + 1) {
      const char *addr = bw_arena_strndup(a, start, (size_t)(end - start));
      if (addr) out[(*n)++] = addr;
    }
  }
}

/*
 * Security teams receive suspect mail forwarded as an attachment: the beacon
 * then carries the original recipient, named in the embedded message's headers.
 */
static void collect_forwarded_recipients(detector *d, const char **out, size_t *n) {
  const bw_view *v = d->ctx->view;
  for (size_t i = 0; i < v->n_parts; i++) {
    const bw_part *p = v->parts[i];
    for (size_t h = 0; p->is_message && h < p->n_headers; h++)
      if (is_recipient_header(p->headers[h].name))
        collect_raw_addresses(d->ctx->arena, p->headers[h].value, out, n);
  }
}

static int build_tokens(detector *d) {
  const char *addresses[MAX_RECIPIENTS];
  size_t n = 0;
  const bw_view *v = d->ctx->view;
  if (d->ctx->forced_recipient) {
    addresses[n++] = d->ctx->forced_recipient;
  } else {
    collect_addresses(&v->delivered_to, addresses, &n);
    collect_addresses(&v->x_original_to, addresses, &n);
    collect_addresses(&v->to, addresses, &n);
    collect_addresses(&v->cc, addresses, &n);
    collect_forwarded_recipients(d, addresses, &n);
  }
  return bw_recipient_tokens_build(d->ctx->arena, addresses, n, &d->tokens);
}

/* ---- analysing one URL --------------------------------------------------------- */

static const bw_recipient_token *find_recipient(detector *d, const char *s, size_t len, char *copy,
                                                size_t copy_size) {
  char lower[MAX_URL_SCAN];
  if (len > sizeof(lower)) len = sizeof(lower);
  for (size_t i = 0; i < len; i++)
    lower[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
  size_t at;
  const bw_recipient_token *t = bw_recipient_tokens_find(&d->tokens, s, lower, len, &at);
  if (t) {
    size_t n = t->len < copy_size - 1 ? t->len : copy_size - 1;
    memcpy(copy, s + at, n);
    copy[n] = '\0';
  }
  return t;
}

/* What identifies the reader in a URL: the recipient's address encoded, or a per-copy id. */
static void analyse_tokens(detector *d, const bw_url *u, url_analysis *a) {
  memset(a, 0, sizeof(*a));
  if (!d->tokens_ready) {
    d->tokens_ready = 1;
    if (build_tokens(d) != BW_OK) d->oom = 1;
  }
  const char *raw = u->raw ? u->raw : "";
  size_t len = strlen(raw);
  if (len > MAX_URL_SCAN) len = MAX_URL_SCAN;
  a->recipient = find_recipient(d, raw, len, a->recipient_text, sizeof(a->recipient_text));
  if (!a->recipient && memchr(raw, '%', len)) {
    /* Trackers often URL-encode a value that is itself an encoding: look once more, decoded. */
    char decoded[MAX_URL_SCAN + 1];
    size_t n = bw_url_percent_decode(raw, len, decoded);
    a->recipient = find_recipient(d, decoded, n, a->recipient_text, sizeof(a->recipient_text));
  }
  a->has_opaque = bw_url_find_token(raw, len, &a->opaque);
}

/* The rest: a redirector in the URL, and the tracker vendor rules. */
static void analyse_carriers(detector *d, const bw_url *u, url_analysis *a) {
  const char *raw = u->raw ? u->raw : "";
  size_t len = strlen(raw);
  if (len > MAX_URL_SCAN) len = MAX_URL_SCAN;
  a->redirector = bw_url_is_redirector(raw, len);
  /* Vendor rules are written for "host/path?query", as a browser extension sees requests. */
  const char *norm = u->normalized ? u->normalized : raw;
  const char *rest = strstr(norm, "://");
  rest = rest ? rest + 3 : norm;
  a->has_vendor = bw_trackers_match(d->ctx->trackers, rest, strlen(rest), &a->vendor) == 1;
}

/* ---- building beacons ------------------------------------------------------------ */

static void add_signal(bw_beacon *b, const char *signal, const char *detail, const char *token,
                       const char *decodes_to) {
  if (b->n_signals >= MAX_SIGNALS) return;
  b->signals[b->n_signals++] = (bw_beacon_signal){signal, detail, token, decodes_to};
}

static void add_vendor_signal(detector *d, bw_beacon *b, const url_analysis *a) {
  if (!a->has_vendor) return;
  b->vendor = a->vendor.vendor;
  add_signal(b, "vendor",
             bw_arena_printf(d->ctx->arena,
                             "matches the %s tracker rule %s (MailTrackerBlocker/Trocker lists)",
                             a->vendor.vendor, a->vendor.pattern),
             NULL, NULL);
}

static bw_beacon *new_beacon(detector *d, const bw_url *u, const char *part, const char *trigger,
                             const char *kind) {
  bw_arena *a = d->ctx->arena;
  bw_beacon *b = bw_arena_calloc(a, 1, sizeof(*b));
  if (!b) return NULL;
  b->signals = bw_arena_calloc(a, MAX_SIGNALS, sizeof(bw_beacon_signal));
  if (!b->signals) return NULL;
  b->url = u;
  b->part = part;
  b->trigger = trigger;
  b->kind = kind;
  return b;
}

/* Records the id-carrying signals shared by open and click beacons. */
static void add_token_signals(detector *d, bw_beacon *b, const url_analysis *a) {
  bw_arena *ar = d->ctx->arena;
  if (a->recipient) {
    b->identifies_recipient = 1;
    b->token_encoding = a->recipient->encoding;
    b->recipient = a->recipient->address;
    add_signal(b, "recipient_token",
               bw_arena_printf(ar, "the URL carries the %s of the recipient's address",
                               a->recipient->encoding),
               bw_arena_strdup(ar, a->recipient_text), a->recipient->address);
  } else if (a->has_opaque) {
    b->identifies_recipient = 1;
    b->token_encoding = a->opaque.encoding;
    add_signal(
        b, "opaque_id",
        bw_arena_printf(
            ar,
            "a unique %s id in the %s (%.1f bits/char) lets the server tell which copy was opened",
            a->opaque.encoding, a->opaque.where, a->opaque.entropy),
        bw_arena_strdup(ar, a->opaque.text), NULL);
  }
}

static int push_beacon(detector *d, bw_beacon *b) {
  return bw_ptrvec_push(d->ctx->arena, d->ctx->out, b) == 0 ? BW_OK : BW_ENOMEM;
}

static int is_css_kind(const bw_resource *r) {
  return strcmp(r->context, "style-attribute") == 0 || strcmp(r->context, "style-block") == 0 ||
         strcmp(r->kind, "stylesheet") == 0 || strcmp(r->kind, "font") == 0 ||
         strcmp(r->kind, "import") == 0;
}

static int is_third_party(const detector *d, const bw_url *u) {
  return u->registrable_domain &&
         (!d->sender_domain || strcmp(u->registrable_domain, d->sender_domain) != 0);
}

static int already_listed(const detector *d, const bw_url *u, const char *trigger) {
  const bw_ptrvec *out = d->ctx->out;
  for (size_t i = 0; i < out->len; i++) {
    const bw_beacon *b = out->items[i];
    if (strcmp(b->trigger, trigger) == 0 && strcmp(b->url->raw, u->raw) == 0) return 1;
  }
  return 0;
}

/* The shape signals of an image-like resource: returns how many were added. */
static int add_shape_signals(detector *d, bw_beacon *b, const bw_resource *r) {
  int n = 0;
  unsigned visible_hiding = r->hidden & ~(unsigned)(BW_HIDDEN_TINY | BW_HIDDEN_ZERO_SIZE);
  if ((r->width >= 0 && r->width <= 3) || (r->height >= 0 && r->height <= 3)) {
    add_signal(b, "tiny",
               bw_arena_printf(d->ctx->arena, "declared size %gx%g px", r->width, r->height), NULL,
               NULL);
    n++;
  }
  if (visible_hiding) {
    char reasons[256];
    bw_hidden_reasons(visible_hiding, reasons, sizeof(reasons));
    add_signal(b, "hidden", bw_arena_printf(d->ctx->arena, "hidden by %s", reasons), NULL, NULL);
    n++;
  }
  if (is_css_kind(r)) {
    add_signal(b, "css",
               bw_arena_printf(d->ctx->arena, "loaded by CSS (%s, %s)", r->kind, r->context), NULL,
               NULL);
    n++;
  }
  return n;
}

/* The number of shape signals add_shape_signals() gives r, without building them. */
static int shape_count(const bw_resource *r) {
  unsigned visible_hiding = r->hidden & ~(unsigned)(BW_HIDDEN_TINY | BW_HIDDEN_ZERO_SIZE);
  return ((r->width >= 0 && r->width <= 3) || (r->height >= 0 && r->height <= 3)) +
         (visible_hiding != 0) + is_css_kind(r);
}

enum { OPEN_NONE, OPEN_RECIPIENT, OPEN_VENDOR, OPEN_ID, OPEN_THIRD_PARTY };

/* Which kind of open beacon r is, decided before anything is built: most resources are none. */
static int open_kind(detector *d, const bw_resource *r, url_analysis *a) {
  int shape = shape_count(r), no_size = r->width < 0 && r->height < 0;
  analyse_tokens(d, &r->url, a);
  if (!a->recipient && !a->has_opaque && !shape && !no_size) return OPEN_NONE;
  analyse_carriers(d, &r->url, a);
  int vendor_open = a->has_vendor && (a->vendor.trigger & BW_TRACKER_OPEN);
  if (a->recipient) return OPEN_RECIPIENT;
  if (vendor_open && (a->has_opaque || shape || no_size)) return OPEN_VENDOR;
  if (a->has_opaque && (shape || no_size || strcmp(a->opaque.where, "path") != 0)) return OPEN_ID;
  if (shape && is_third_party(d, &r->url) && !is_css_kind(r)) return OPEN_THIRD_PARTY;
  return OPEN_NONE;
}

static int judge_resource(detector *d, const bw_resource *r) {
  if (!r->url.is_remote || already_listed(d, &r->url, "open")) return BW_OK;
  url_analysis a;
  int kind = open_kind(d, r, &a);
  if (kind == OPEN_NONE) return BW_OK;
  bw_beacon *b = new_beacon(d, &r->url, r->part, "open", r->kind);
  if (!b) return BW_ENOMEM;
  add_token_signals(d, b, &a);
  add_vendor_signal(d, b, &a);
  int shape = add_shape_signals(d, b, r);
  int no_size = r->width < 0 && r->height < 0;
  switch (kind) {
  case OPEN_RECIPIENT:
    b->confidence = 0.99;
    break;
  case OPEN_VENDOR:
    b->confidence = 0.95;
    break;
  case OPEN_ID:
    if (no_size && !shape) add_signal(b, "no_size", "no declared size", NULL, NULL);
    b->confidence = shape ? 0.95 : 0.85;
    break;
  default:
    b->identifies_recipient = 0;
    b->token_encoding = NULL;
    add_signal(b, "third_party",
               bw_arena_printf(d->ctx->arena, "loaded from %s, not the sender's domain",
                               r->url.registrable_domain),
               NULL, NULL);
    b->confidence = 0.75;
  }
  return push_beacon(d, b);
}

static int beacon_host_seen(const detector *d, const char *host) {
  const bw_ptrvec *out = d->ctx->out;
  for (size_t i = 0; i < out->len; i++) {
    const bw_beacon *b = out->items[i];
    if (strcmp(b->trigger, "open") == 0 && b->url->host && strcmp(b->url->host, host) == 0)
      return 1;
  }
  return 0;
}

/* A resource from a host that already serves a beacon tells that host of the open too. */
static int judge_same_host(detector *d, const bw_resource *r) {
  if (!r->url.is_remote || !r->url.host || already_listed(d, &r->url, "open")) return BW_OK;
  if (!beacon_host_seen(d, r->url.host)) return BW_OK;
  bw_beacon *b = new_beacon(d, &r->url, r->part, "open", r->kind);
  if (!b) return BW_ENOMEM;
  add_signal(b, "same_host_as_beacon",
             bw_arena_printf(d->ctx->arena, "%s also serves a beacon in this message", r->url.host),
             NULL, NULL);
  b->confidence = 0.7;
  return push_beacon(d, b);
}

/* Whether s holds one of the lowercase words, ASCII letters compared without case. */
static int contains_word(bw_arena *a, const char *s, const char *const *words) {
  if (!s) return 0;
  /* One lowercased copy and strstr: strcasestr per word was most of judging a tracked link. */
  char *lower = bw_arena_strdup(a, s);
  if (!lower) return 0;
  for (char *p = lower; *p; p++)
    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + 32);
  for (size_t i = 0; words[i]; i++)
    if (strstr(lower, words[i])) return 1;
  return 0;
}

static int is_unsubscribe_link(detector *d, const bw_link *l) {
  static const char *const words[] = {"unsubscribe", "optout",   "opt-out",   "opt_out",
                                      "preferences", "abmelden", "désinscri", "desinscri",
                                      "退订",        NULL};
  bw_arena *a = d->ctx->arena;
  return contains_word(a, l->text, words) || contains_word(a, l->url.raw, words);
}

static int judge_link(detector *d, const bw_link *l) {
  if (!l->url.is_remote || already_listed(d, &l->url, "click")) return BW_OK;
  url_analysis a;
  /* A link without either token is no click beacon whatever carries it: most links stop here. */
  analyse_tokens(d, &l->url, &a);
  if (!a.recipient && !a.has_opaque) return BW_OK;
  analyse_carriers(d, &l->url, &a);
  /* A shorter id alone also names forum threads and articles; it needs a redirector or a
     known click-tracking vendor to count. */
  int vendor_click = a.has_vendor && (a.vendor.trigger & BW_TRACKER_CLICK);
  if (!a.recipient && !(a.has_opaque && (a.opaque.strength >= 3 || a.redirector || vendor_click)))
    return BW_OK;
  if (is_unsubscribe_link(d, l)) return BW_OK;
  bw_beacon *b = new_beacon(d, &l->url, l->part, "click", "link");
  if (!b) return BW_ENOMEM;
  add_token_signals(d, b, &a);
  add_vendor_signal(d, b, &a);
  if (a.redirector)
    add_signal(b, "redirector", "the link passes through a redirector to another URL", NULL, NULL);
  b->confidence = a.recipient ? 0.99 : a.redirector ? 0.9 : 0.8;
  return push_beacon(d, b);
}

/* ---- the message ------------------------------------------------------------------- */

static void summarise(detector *d) {
  size_t open = 0, click = 0, identifying = 0;
  const bw_ptrvec *out = d->ctx->out;
  for (size_t i = 0; i < out->len; i++) {
    const bw_beacon *b = out->items[i];
    if (strcmp(b->trigger, "open") == 0)
      open++;
    else
      click++;
    identifying += b->identifies_recipient;
  }
  if (open)
    bw_findings_add(d->ctx->findings, "open_beacon", "beacon", BW_SEVERITY_MEDIUM, NULL,
                    "opening this message loads %zu beacon%s", open, open == 1 ? "" : "s");
  if (click)
    bw_findings_add(d->ctx->findings, "click_beacon", "beacon", BW_SEVERITY_LOW, NULL,
                    "%zu link%s report%s the click", click, click == 1 ? "" : "s",
                    click == 1 ? "s" : "");
  if (identifying)
    bw_findings_add(d->ctx->findings, "recipient_identified", "beacon", BW_SEVERITY_MEDIUM, NULL,
                    "%zu beacon%s identify the recipient", identifying,
                    identifying == 1 ? "" : "s");
}

int bw_beacons_detect(bw_beacon_ctx *ctx) {
  detector d = {.ctx = ctx};
  const bw_view *v = ctx->view;
  if (v->from.n && v->from.items[0].domain)
    d.sender_domain = bw_url_registrable_domain(ctx->urls, ctx->arena, v->from.items[0].domain);
  const bw_ptrvec *res = &ctx->extraction->resources;
  for (size_t i = 0; i < res->len; i++)
    if (judge_resource(&d, res->items[i]) != BW_OK) return BW_ENOMEM;
  for (size_t i = 0; i < res->len; i++)
    if (judge_same_host(&d, res->items[i]) != BW_OK) return BW_ENOMEM;
  const bw_ptrvec *links = &ctx->extraction->links;
  for (size_t i = 0; i < links->len; i++)
    if (judge_link(&d, links->items[i]) != BW_OK) return BW_ENOMEM;
  summarise(&d);
  return d.oom ? BW_ENOMEM : BW_OK;
}
