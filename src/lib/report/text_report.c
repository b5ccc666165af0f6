/*
 * text_report.c - a readable summary of one scan result for people.
 *
 * Leads with who sent it, to whom, and the verdict; then what opening the
 * message would load from where, the links, attachments and findings. Long
 * lists are cut with a count of what was left out, so one message with
 * thousands of links does not bury the rest of the report.
 */
#include <string.h>

#include "html/resources.h"
#include "scan.h"
#include "util/buf.h"

enum { TEXT_MAX_ITEMS = 15 };

static void put_address(bw_buf *out, const bw_address *a) {
  if (a->name) bw_buf_printf(out, "%s <%s>", a->name, a->address ? a->address : "");
  else bw_buf_puts(out, a->address ? a->address : "");
}

static void put_address_line(bw_buf *out, const char *label, const bw_address_list *list) {
  if (!list->n) return;
  bw_buf_printf(out, "  %-9s ", label);
  for (size_t i = 0; i < list->n; i++) {
    if (i) bw_buf_puts(out, ", ");
    if (i == 3) {
      bw_buf_printf(out, "and %zu more", list->n - 3);
      break;
    }
    put_address(out, &list->items[i]);
  }
  bw_buf_putc(out, '\n');
}

static void put_auth(bw_buf *out, const bw_view *v) {
  if (!v->n_auth) return;
  const bw_auth_results *ar = &v->auth[0];
  bw_buf_printf(out, "  %-9s", "Auth:");
  for (size_t i = 0; i < ar->n_methods; i++)
    bw_buf_printf(out, " %s=%s", ar->methods[i].method, ar->methods[i].result);
  bw_buf_printf(out, " (by %s)\n", ar->authserv_id ? ar->authserv_id : "?");
}

static void put_part_tree(bw_buf *out, const bw_part *p, int indent) {
  bw_buf_printf(out, "  %*s%s", 10 + indent * 2, "", p->content_type);
  if (p->filename) bw_buf_printf(out, " \"%s\"", p->filename);
  if (!p->is_multipart && !p->is_message) {
    bw_buf_printf(out, " (%zu bytes", p->raw_len);
    if (p->charset_used && p->charset_declared && strcmp(p->charset_used, "utf-8") != 0)
      bw_buf_printf(out, ", %s", p->charset_used);
    if (p->transfer_encoding) bw_buf_printf(out, ", %s", p->transfer_encoding);
    bw_buf_putc(out, ')');
  }
  bw_buf_putc(out, '\n');
  for (size_t i = 0; i < p->n_children; i++) put_part_tree(out, p->children[i], indent + 1);
}

static void put_size(bw_buf *out, const bw_resource *r) {
  if (r->width < 0 && r->height < 0) return;
  bw_buf_puts(out, "  ");
  if (r->width >= 0) bw_buf_printf(out, "%g", r->width);
  else bw_buf_putc(out, '?');
  bw_buf_putc(out, 'x');
  if (r->height >= 0) bw_buf_printf(out, "%g", r->height);
  else bw_buf_putc(out, '?');
}

static void put_resources(bw_buf *out, const bw_extraction *x) {
  size_t remote = 0, local = 0, hidden = 0;
  for (size_t i = 0; i < x->resources.len; i++) {
    const bw_resource *r = x->resources.items[i];
    remote += r->url.is_remote;
    local += r->url.is_local;
    hidden += r->url.is_remote && r->hidden;
  }
  if (remote) bw_buf_printf(out, "  Opening it loads %zu remote resource%s (%zu hidden):\n", remote,
                            remote == 1 ? "" : "s", hidden);
  size_t shown = 0;
  for (size_t i = 0; i < x->resources.len && shown < TEXT_MAX_ITEMS; i++) {
    const bw_resource *r = x->resources.items[i];
    if (!r->url.is_remote) continue;
    shown++;
    bw_buf_printf(out, "    %-10s %s", r->kind, r->url.normalized ? r->url.normalized : r->url.raw);
    put_size(out, r);
    if (r->hidden) {
      char reasons[256];
      bw_hidden_reasons(r->hidden, reasons, sizeof(reasons));
      bw_buf_printf(out, "  hidden (%s)", reasons);
    }
    bw_buf_putc(out, '\n');
  }
  if (remote > shown) bw_buf_printf(out, "    ... and %zu more\n", remote - shown);
  if (local) bw_buf_printf(out, "  Embedded (cid:/data:) resources: %zu\n", local);
}

static void put_beacons(bw_buf *out, const bw_result *r) {
  if (!r->beacons.len) return;
  bw_buf_printf(out, "  Beacons (%zu):\n", r->beacons.len);
  for (size_t i = 0; i < r->beacons.len && i < TEXT_MAX_ITEMS; i++) {
    const bw_beacon *b = r->beacons.items[i];
    bw_buf_printf(out, "    %-5s %.0f%%  %s", b->trigger, b->confidence * 100, b->url->raw);
    if (b->token_encoding) bw_buf_printf(out, "  [%s]", b->token_encoding);
    bw_buf_putc(out, '\n');
  }
  if (r->beacons.len > TEXT_MAX_ITEMS) bw_buf_printf(out, "    ... and %zu more\n", r->beacons.len - TEXT_MAX_ITEMS);
}

static void put_links(bw_buf *out, const bw_extraction *x) {
  if (!x->links.len) return;
  bw_buf_printf(out, "  Links (%zu):\n", x->links.len);
  for (size_t i = 0; i < x->links.len && i < TEXT_MAX_ITEMS; i++) {
    const bw_link *l = x->links.items[i];
    bw_buf_printf(out, "    %s", l->url.normalized ? l->url.normalized : l->url.raw);
    if (l->text) bw_buf_printf(out, "  \"%.80s\"", l->text);
    bw_buf_putc(out, '\n');
  }
  if (x->links.len > TEXT_MAX_ITEMS) bw_buf_printf(out, "    ... and %zu more\n", x->links.len - TEXT_MAX_ITEMS);
}

static void put_attachments(bw_buf *out, const bw_view *v) {
  int header = 0;
  for (size_t i = 0; i < v->n_parts; i++) {
    const bw_part *p = v->parts[i];
    if (!p->is_attachment) continue;
    if (!header++) bw_buf_puts(out, "  Attachments:\n");
    bw_buf_printf(out, "    %s  %s  %zu bytes  sha256 %s\n", p->filename ? p->filename : "(unnamed)",
                  p->content_type, p->raw_len, p->decoded ? p->sha256 : "(not decoded)");
  }
}

static void put_findings(bw_buf *out, const bw_findings *f) {
  if (!f->items.len) return;
  bw_buf_puts(out, "  Findings:\n");
  for (size_t i = 0; i < f->items.len; i++) {
    const bw_finding *x = f->items.items[i];
    bw_buf_printf(out, "    [%s] %s: %s", bw_severity_name(x->severity), x->kind, x->message);
    if (x->where) bw_buf_printf(out, " (part %s)", x->where);
    bw_buf_putc(out, '\n');
  }
}

/* The first beacon that names the recipient, else the first open beacon, else the first beacon. */
static const bw_beacon *headline_beacon(const bw_result *r, const char *trigger) {
  const bw_beacon *first = NULL;
  for (size_t i = 0; i < r->beacons.len; i++) {
    const bw_beacon *b = r->beacons.items[i];
    if (strcmp(b->trigger, trigger) != 0) continue;
    if (b->identifies_recipient && b->recipient) return b;
    if (!first) first = b;
  }
  return first;
}

static void put_beacon_sentence(bw_buf *out, const bw_beacon *b, const char *verb) {
  const char *host = b->url->host ? b->url->host : "an unknown host";
  bw_buf_printf(out, "  %s this message tells %s your IP address (and so roughly where you are), your "
                     "device and mail program",
                verb, host);
  if (b->identifies_recipient && b->recipient)
    bw_buf_printf(out, ", and that %s %s it (the URL carries the %s of the address).\n", b->recipient,
                  strcmp(b->trigger, "open") == 0 ? "opened" : "clicked", b->token_encoding);
  else if (b->identifies_recipient)
    bw_buf_printf(out, ", and which copy of the message it was: a unique %s id in the URL tells recipients apart.\n",
                  b->token_encoding);
  else bw_buf_puts(out, ".\n");
}

/* "Tobias Rusk of BBC News", or just the name. */
static void put_impersonated(bw_buf *out, const bw_identity_result *id) {
  if (id->impersonates_org) bw_buf_printf(out, "%s of %s", id->impersonates_name, id->impersonates_org);
  else bw_buf_puts(out, id->impersonates_name);
}

/* Who the sender pretends to be, when the claim fails: the first thing a reader must know. */
static void put_identity_sentence(bw_buf *out, const bw_identity_result *id) {
  const char *from = id->from_domain ? id->from_domain : "an unknown domain";
  if (id->impersonation) {
    bw_buf_puts(out, "  This message claims to be from ");
    put_impersonated(out, id);
  }
  if (id->impersonation && strcmp(id->failure, "lookalike") == 0)
    bw_buf_printf(out, " but comes from %s, a look-alike of %s.\n", id->lookalike_domain, id->lookalike_of);
  else if (id->impersonation && strcmp(id->failure, "unauthenticated") == 0)
    bw_buf_printf(out, "; its From domain %s failed authentication: it is forged.\n", from);
  else if (id->impersonation)
    bw_buf_printf(out, " but comes from %s, %s.\n", from,
                  strcmp(id->failure, "freemail") == 0 ? "a free-mail account" : "a domain that is not theirs");
  else if (id->lookalike_of && strcmp(id->lookalike_where, "link") != 0)
    bw_buf_printf(out, "  This message comes from %s, a look-alike of %s.\n", id->lookalike_domain, id->lookalike_of);
}

/* One sentence a non-expert understands, before any detail. */
static void put_plain_words(bw_buf *out, const bw_result *r) {
  put_identity_sentence(out, &r->identity);
  const bw_beacon *open = headline_beacon(r, "open");
  const bw_beacon *click = headline_beacon(r, "click");
  if (open) put_beacon_sentence(out, open, "Opening");
  if (click && (!open || (click->identifies_recipient && !open->identifies_recipient)))
    put_beacon_sentence(out, click, "Clicking a link in");
  if (!open && !click) bw_buf_puts(out, "  Opening this message reports nothing about you that we can see.\n");
}

int bw_result_to_text(const bw_result *r, bw_buf *out) {
  const bw_view *v = &r->view;
  bw_buf loc;
  bw_buf_init(&loc);
  bw_locator_format(&r->locator, &loc);
  bw_buf_printf(out, "== %s\n", loc.len ? loc.data : "(message)");
  bw_buf_free(&loc);
  put_plain_words(out, r);
  bw_buf_printf(out, "  %-9s %s (score %d)\n", "Verdict:", bw_verdict_name(r->verdict), r->score);
  for (size_t i = 0; i < r->verdict_reasons.len; i++)
    bw_buf_printf(out, "  %-9s %s\n", i ? "" : "Because:", (const char *)r->verdict_reasons.items[i]);
  put_address_line(out, "From:", &v->from);
  if (v->reply_to.n) put_address_line(out, "Reply-To:", &v->reply_to);
  put_address_line(out, "To:", &v->to);
  put_address_line(out, "Cc:", &v->cc);
  if (v->subject) bw_buf_printf(out, "  %-9s %s\n", "Subject:", v->subject);
  if (v->date) bw_buf_printf(out, "  %-9s %s\n", "Date:", v->date);
  put_auth(out, v);
  if (v->root) {
    bw_buf_puts(out, "  Parts:\n");
    put_part_tree(out, v->root, 0);
  }
  put_resources(out, &r->extraction);
  put_beacons(out, r);
  put_links(out, &r->extraction);
  put_attachments(out, v);
  put_findings(out, &r->findings);
  return bw_buf_putc(out, '\n');
}
