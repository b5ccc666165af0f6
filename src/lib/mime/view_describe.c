/*
 * view_describe.c - a complete text form of a view and its findings.
 *
 * Two views are equal when their descriptions are: the differential test of
 * the plain parser against GMime (tests/tools/bw_viewdiff.c) and its fuzz
 * target (tests/fuzz/fuzz_view_parsers.c) compare views this way. Every field
 * of the view is written, decoded content byte for byte.
 */
#include "mime/view.h"

#include <stdio.h>

#include "util/buf.h"

static void put_str(bw_buf *o, const char *key, const char *s) {
  bw_buf_printf(o, "%s=", key);
  if (s)
    bw_buf_puts(o, s);
  else
    bw_buf_puts(o, "(null)");
  bw_buf_putc(o, '\n');
}

static void put_addresses(bw_buf *o, const char *key, const bw_address_list *l) {
  for (size_t i = 0; i < l->n; i++) {
    bw_buf_printf(o, "%s[%zu]\n", key, i);
    put_str(o, " name", l->items[i].name);
    put_str(o, " address", l->items[i].address);
    put_str(o, " domain", l->items[i].domain);
  }
}

static void put_view(bw_buf *o, const bw_view *v);

static void put_part(bw_buf *o, const bw_part *p) {
  bw_buf_printf(o, "part %s depth=%d multipart=%d message=%d attachment=%d decoded=%d\n", p->id,
                p->depth, p->is_multipart, p->is_message, p->is_attachment, p->decoded);
  put_str(o, " content_type", p->content_type);
  put_str(o, " charset_declared", p->charset_declared);
  put_str(o, " charset_used", p->charset_used);
  put_str(o, " transfer_encoding", p->transfer_encoding);
  put_str(o, " disposition", p->disposition);
  put_str(o, " filename", p->filename);
  put_str(o, " content_id", p->content_id);
  put_str(o, " content_location", p->content_location);
  put_str(o, " boundary", p->boundary);
  bw_buf_printf(o, " raw_len=%zu data_len=%zu children=%zu\n", p->raw_len, p->data_len,
                p->n_children);
  bw_buf_puts(o, " data=");
  if (p->data) bw_buf_append(o, p->data, p->data_len);
  bw_buf_putc(o, '\n');
  if (p->is_attachment && p->decoded)
    bw_buf_printf(o, " digests=%s %s %s\n", p->md5, p->sha1, p->sha256);
  if (p->embedded) {
    bw_buf_puts(o, " embedded {\n");
    put_view(o, p->embedded);
    bw_buf_puts(o, " }\n");
  }
}

static void put_view(bw_buf *o, const bw_view *v) {
  for (size_t i = 0; i < v->n_headers; i++) {
    bw_buf_printf(o, "header %s\n", v->headers[i].name);
    put_str(o, " value", v->headers[i].value);
    put_str(o, " raw", v->headers[i].raw);
  }
  put_str(o, "message_id", v->message_id);
  put_str(o, "subject", v->subject);
  put_str(o, "date", v->date);
  put_str(o, "return_path", v->return_path);
  put_addresses(o, "from", &v->from);
  put_addresses(o, "sender", &v->sender);
  put_addresses(o, "reply_to", &v->reply_to);
  put_addresses(o, "to", &v->to);
  put_addresses(o, "cc", &v->cc);
  put_addresses(o, "delivered_to", &v->delivered_to);
  put_addresses(o, "x_original_to", &v->x_original_to);
  for (size_t i = 0; i < v->n_auth; i++) {
    const bw_auth_results *ar = &v->auth[i];
    bw_buf_printf(o, "auth %d %s\n", ar->index, ar->authserv_id ? ar->authserv_id : "(null)");
    for (size_t m = 0; m < ar->n_methods; m++)
      bw_buf_printf(o, " %s=%s d=%s from=%s mailfrom=%s\n", ar->methods[m].method,
                    ar->methods[m].result, ar->methods[m].header_d ? ar->methods[m].header_d : "-",
                    ar->methods[m].header_from ? ar->methods[m].header_from : "-",
                    ar->methods[m].smtp_mailfrom ? ar->methods[m].smtp_mailfrom : "-");
  }
  bw_buf_printf(o, "parts=%zu root=%s\n", v->n_parts, v->root ? v->root->id : "(none)");
  for (size_t i = 0; i < v->n_parts; i++) put_part(o, v->parts[i]);
}

static void put_findings(bw_buf *o, const bw_findings *f) {
  for (size_t i = 0; i < f->items.len; i++) {
    const bw_finding *x = f->items.items[i];
    bw_buf_printf(o, "finding %s %s %d %s: %s\n", x->kind, x->detector, (int)x->severity,
                  x->where ? x->where : "-", x->message);
    for (size_t e = 0; e < x->n_evidence; e++)
      bw_buf_printf(o, " %s=%s\n", x->evidence[e].key, x->evidence[e].value);
  }
}

void bw_view_describe(const bw_view *v, const bw_findings *f, bw_buf *out) {
  put_view(out, v);
  put_findings(out, f);
}
