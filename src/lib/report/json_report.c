/*
 * json_report.c - one scan result as one JSON object (JSONL when one per line).
 *
 * The keys and their meaning are a public contract documented in
 * docs/output.md: add keys freely, never rename or remove one.
 */
#include <string.h>

#include "html/resources.h"
#include "scan.h"
#include "util/json.h"

static void write_locator(bw_json *j, const bw_locator *loc) {
  bw_json_key(j, "locator");
  bw_json_object_begin(j);
  bw_json_kv_string(j, "path", loc->path);
  bw_json_key(j, "index");
  if (loc->index >= 0) bw_json_int(j, loc->index);
  else bw_json_null(j);
  bw_json_key(j, "offset");
  if (loc->offset >= 0) bw_json_int(j, loc->offset);
  else bw_json_null(j);
  bw_json_object_end(j);
}

static void write_addresses(bw_json *j, const char *key, const bw_address_list *list) {
  bw_json_key(j, key);
  bw_json_array_begin(j);
  for (size_t i = 0; i < list->n; i++) {
    bw_json_object_begin(j);
    bw_json_kv_string(j, "name", list->items[i].name);
    bw_json_kv_string(j, "address", list->items[i].address);
    bw_json_kv_string(j, "domain", list->items[i].domain);
    bw_json_object_end(j);
  }
  bw_json_array_end(j);
}

static void write_auth_method(bw_json *j, const bw_auth_method *m) {
  bw_json_object_begin(j);
  bw_json_kv_string(j, "method", m->method);
  bw_json_kv_string(j, "result", m->result);
  const struct {
    const char *key, *value;
  } props[] = {{"header.d", m->header_d},           {"header.i", m->header_i},
               {"header.s", m->header_s},           {"header.from", m->header_from},
               {"smtp.mailfrom", m->smtp_mailfrom}, {"smtp.helo", m->smtp_helo}};
  for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++)
    if (props[i].value) bw_json_kv_string(j, props[i].key, props[i].value);
  bw_json_object_end(j);
}

static void write_auth(bw_json *j, const bw_view *v) {
  bw_json_key(j, "auth");
  bw_json_array_begin(j);
  for (size_t i = 0; i < v->n_auth; i++) {
    const bw_auth_results *ar = &v->auth[i];
    bw_json_object_begin(j);
    bw_json_kv_string(j, "authserv_id", ar->authserv_id);
    bw_json_kv_int(j, "index", ar->index);
    bw_json_key(j, "results");
    bw_json_array_begin(j);
    for (size_t m = 0; m < ar->n_methods; m++) write_auth_method(j, &ar->methods[m]);
    bw_json_array_end(j);
    bw_json_object_end(j);
  }
  bw_json_array_end(j);
}

static void write_part(bw_json *j, const bw_part *p) {
  bw_json_object_begin(j);
  bw_json_kv_string(j, "id", p->id);
  bw_json_kv_string(j, "content_type", p->content_type);
  if (p->charset_declared) bw_json_kv_string(j, "charset", p->charset_declared);
  if (p->charset_used) bw_json_kv_string(j, "charset_used", p->charset_used);
  if (p->transfer_encoding) bw_json_kv_string(j, "transfer_encoding", p->transfer_encoding);
  if (p->disposition) bw_json_kv_string(j, "disposition", p->disposition);
  if (p->filename) bw_json_kv_string(j, "filename", p->filename);
  if (!p->is_multipart && !p->is_message) {
    bw_json_kv_int(j, "size", (int64_t)p->raw_len);
    if (!p->decoded) bw_json_kv_bool(j, "decoded", 0);
  }
  if (p->n_children) {
    bw_json_key(j, "parts");
    bw_json_array_begin(j);
    for (size_t i = 0; i < p->n_children; i++) write_part(j, p->children[i]);
    bw_json_array_end(j);
  }
  bw_json_object_end(j);
}

static void write_attachments(bw_json *j, const bw_view *v) {
  bw_json_key(j, "attachments");
  bw_json_array_begin(j);
  for (size_t i = 0; i < v->n_parts; i++) {
    const bw_part *p = v->parts[i];
    if (!p->is_attachment) continue;
    bw_json_object_begin(j);
    bw_json_kv_string(j, "part", p->id);
    bw_json_kv_string(j, "filename", p->filename);
    bw_json_kv_string(j, "content_type", p->content_type);
    bw_json_kv_int(j, "size", (int64_t)p->raw_len);
    bw_json_kv_string(j, "md5", p->decoded ? p->md5 : NULL);
    bw_json_kv_string(j, "sha1", p->decoded ? p->sha1 : NULL);
    bw_json_kv_string(j, "sha256", p->decoded ? p->sha256 : NULL);
    bw_json_object_end(j);
  }
  bw_json_array_end(j);
}

/* The URL fields shared by resources and links. */
static void write_url_fields(bw_json *j, const bw_url *u) {
  bw_json_kv_string(j, "url", u->normalized ? u->normalized : u->raw);
  if (u->normalized && u->raw && strcmp(u->raw, u->normalized) != 0) bw_json_kv_string(j, "raw", u->raw);
  bw_json_kv_string(j, "scheme", u->scheme);
  bw_json_kv_string(j, "host", u->host);
  if (u->host && u->host_unicode && strcmp(u->host, u->host_unicode) != 0)
    bw_json_kv_string(j, "host_unicode", u->host_unicode);
  bw_json_kv_string(j, "registrable_domain", u->registrable_domain);
  if (u->host_kind == BW_HOST_IPV4 || u->host_kind == BW_HOST_IPV6) bw_json_kv_bool(j, "ip_host", 1);
  if (u->host_obfuscated) bw_json_kv_bool(j, "host_obfuscated", 1);
  bw_json_kv_bool(j, "remote", u->is_remote);
  if (u->is_local) bw_json_kv_bool(j, "local", 1);
  if (u->error) bw_json_kv_string(j, "url_error", u->error);
}

static void write_dimension(bw_json *j, const char *key, double v) {
  bw_json_key(j, key);
  if (v >= 0) bw_json_double(j, v);
  else bw_json_null(j);
}

static void write_resources(bw_json *j, const bw_result *r) {
  bw_json_key(j, "resources");
  bw_json_array_begin(j);
  for (size_t i = 0; i < r->extraction.resources.len; i++) {
    const bw_resource *res = r->extraction.resources.items[i];
    bw_json_object_begin(j);
    bw_json_kv_string(j, "part", res->part);
    bw_json_kv_string(j, "tag", res->tag);
    bw_json_kv_string(j, "attr", res->attr);
    bw_json_kv_string(j, "kind", res->kind);
    bw_json_kv_string(j, "context", res->context);
    write_url_fields(j, &res->url);
    write_dimension(j, "width", res->width);
    write_dimension(j, "height", res->height);
    bw_json_kv_bool(j, "hidden", res->hidden != 0);
    if (res->hidden) {
      char reasons[256];
      bw_hidden_reasons(res->hidden, reasons, sizeof(reasons));
      bw_json_kv_string(j, "hidden_reasons", reasons);
    }
    bw_json_kv_int(j, "offset", (int64_t)res->offset);
    bw_json_object_end(j);
  }
  bw_json_array_end(j);
}

static void write_links(bw_json *j, const bw_result *r) {
  bw_json_key(j, "links");
  bw_json_array_begin(j);
  for (size_t i = 0; i < r->extraction.links.len; i++) {
    const bw_link *l = r->extraction.links.items[i];
    bw_json_object_begin(j);
    bw_json_kv_string(j, "part", l->part);
    bw_json_kv_string(j, "tag", l->tag);
    write_url_fields(j, &l->url);
    bw_json_kv_string(j, "text", l->text);
    bw_json_kv_int(j, "offset", (int64_t)l->offset);
    bw_json_object_end(j);
  }
  bw_json_array_end(j);
}

static void write_sends(bw_json *j, const bw_beacon *b) {
  bw_json_key(j, "sends");
  bw_json_array_begin(j);
  bw_json_string(j, "ip");
  bw_json_string(j, "user_agent");
  bw_json_string(j, "time");
  if (b->identifies_recipient) bw_json_string(j, "recipient_id");
  bw_json_array_end(j);
}

static void write_beacon_evidence(bw_json *j, const bw_beacon *b) {
  bw_json_key(j, "evidence");
  bw_json_array_begin(j);
  for (size_t i = 0; i < b->n_signals; i++) {
    const bw_beacon_signal *s = &b->signals[i];
    bw_json_object_begin(j);
    bw_json_kv_string(j, "signal", s->signal);
    bw_json_kv_string(j, "detail", s->detail);
    if (s->token) bw_json_kv_string(j, "token", s->token);
    if (s->decodes_to) bw_json_kv_string(j, "decodes_to", s->decodes_to);
    bw_json_object_end(j);
  }
  bw_json_array_end(j);
}

static void write_beacons(bw_json *j, const bw_result *r) {
  bw_json_key(j, "beacons");
  bw_json_array_begin(j);
  for (size_t i = 0; i < r->beacons.len; i++) {
    const bw_beacon *b = r->beacons.items[i];
    bw_json_object_begin(j);
    bw_json_kv_string(j, "url", b->url->raw);
    bw_json_kv_string(j, "trigger", b->trigger);
    bw_json_kv_string(j, "kind", b->kind);
    bw_json_kv_string(j, "part", b->part);
    write_sends(j, b);
    bw_json_kv_string(j, "host", b->url->host);
    bw_json_kv_string(j, "registrable_domain", b->url->registrable_domain);
    bw_json_kv_string(j, "vendor", b->vendor);
    bw_json_kv_bool(j, "identifies_recipient", b->identifies_recipient);
    bw_json_kv_string(j, "token_encoding", b->token_encoding);
    if (b->recipient) bw_json_kv_string(j, "recipient", b->recipient);
    bw_json_key(j, "confidence");
    bw_json_double(j, b->confidence);
    write_beacon_evidence(j, b);
    bw_json_object_end(j);
  }
  bw_json_array_end(j);
}

static void write_findings(bw_json *j, const bw_result *r) {
  bw_json_key(j, "findings");
  bw_json_array_begin(j);
  for (size_t i = 0; i < r->findings.items.len; i++) {
    const bw_finding *f = r->findings.items.items[i];
    bw_json_object_begin(j);
    bw_json_kv_string(j, "kind", f->kind);
    bw_json_kv_string(j, "detector", f->detector);
    bw_json_kv_string(j, "severity", bw_severity_name(f->severity));
    bw_json_kv_string(j, "message", f->message);
    bw_json_kv_string(j, "where", f->where);
    bw_json_key(j, "evidence");
    bw_json_object_begin(j);
    for (size_t e = 0; e < f->n_evidence; e++) bw_json_kv_string(j, f->evidence[e].key, f->evidence[e].value);
    bw_json_object_end(j);
    bw_json_object_end(j);
  }
  bw_json_array_end(j);
}

static void write_claim(bw_json *j, const bw_identity_claim *c) {
  bw_json_object_begin(j);
  bw_json_kv_string(j, "source", bw_claim_source_name(c->source));
  bw_json_kv_string(j, "kind", bw_identity_kind_name(c->kind));
  bw_json_kv_string(j, "name", c->person ? c->person : c->identity ? c->identity->name : NULL);
  bw_json_kv_string(j, "identity", c->identity ? c->identity->id : NULL);
  bw_json_kv_string(j, "organisation", c->identity && c->person ? c->identity->name : c->org_domain);
  bw_json_kv_string(j, "text", c->text);
  bw_json_kv_bool(j, "hedged", c->hedged);
  bw_json_kv_bool(j, "holds", c->holds);
  bw_json_object_end(j);
}

/* The identity object: claims, impersonation, look-alike, alignment, evidence (docs/output.md). */
static void write_identity(bw_json *j, const bw_identity_result *id) {
  bw_json_key(j, "identity");
  bw_json_object_begin(j);
  bw_json_key(j, "claims");
  bw_json_array_begin(j);
  for (size_t i = 0; i < id->n_claims; i++) write_claim(j, &id->claims[i]);
  bw_json_array_end(j);
  bw_json_key(j, "impersonates");
  if (id->impersonation) {
    bw_json_object_begin(j);
    bw_json_kv_string(j, "name", id->impersonates_name);
    bw_json_kv_string(j, "kind", bw_identity_kind_name(id->impersonates_kind));
    bw_json_kv_string(j, "id", id->impersonates_id);
    bw_json_kv_string(j, "organisation", id->impersonates_org);
    bw_json_kv_string(j, "failure", id->failure);
    bw_json_object_end(j);
  } else bw_json_null(j);
  bw_json_kv_string(j, "lookalike_of", id->lookalike_of);
  if (id->lookalike_of) {
    bw_json_kv_string(j, "lookalike_domain", id->lookalike_domain);
    bw_json_kv_string(j, "lookalike_method", id->lookalike_method);
    bw_json_kv_string(j, "lookalike_where", id->lookalike_where);
  }
  bw_json_key(j, "aligned");
  if (id->aligned < 0) bw_json_null(j);
  else bw_json_bool(j, id->aligned);
  bw_json_kv_bool(j, "freemail", id->freemail);
  bw_json_key(j, "evidence");
  bw_json_array_begin(j);
  for (size_t i = 0; i < id->n_evidence; i++) {
    bw_json_object_begin(j);
    bw_json_kv_string(j, "signal", id->evidence[i].signal);
    bw_json_kv_string(j, "detail", id->evidence[i].detail);
    bw_json_object_end(j);
  }
  bw_json_array_end(j);
  bw_json_object_end(j);
}

static void write_reasons(bw_json *j, const bw_result *r) {
  bw_json_key(j, "verdict_reasons");
  bw_json_array_begin(j);
  for (size_t i = 0; i < r->verdict_reasons.len; i++) bw_json_string(j, r->verdict_reasons.items[i]);
  bw_json_array_end(j);
}

/* Messages forwarded as attachments, each with its own sender and identity. */
static void write_forwarded(bw_json *j, const bw_result *r) {
  bw_json_key(j, "forwarded");
  bw_json_array_begin(j);
  for (size_t i = 0; i < r->embedded.len; i++) {
    const bw_embedded *em = r->embedded.items[i];
    const bw_view *v = em->part->embedded;
    bw_json_object_begin(j);
    bw_json_kv_string(j, "part", em->part->id);
    bw_json_kv_string(j, "message_id", v->message_id);
    write_addresses(j, "from", &v->from);
    write_addresses(j, "to", &v->to);
    write_addresses(j, "reply_to", &v->reply_to);
    bw_json_kv_string(j, "subject", v->subject);
    bw_json_kv_string(j, "date", v->date);
    write_auth(j, v);
    write_identity(j, &em->identity);
    bw_json_object_end(j);
  }
  bw_json_array_end(j);
}

int bw_result_to_json(const bw_result *r, bw_buf *out) {
  const bw_view *v = &r->view;
  bw_json j;
  bw_json_init(&j, out);
  bw_json_object_begin(&j);
  write_locator(&j, &r->locator);
  bw_json_kv_string(&j, "message_id", v->message_id);
  write_addresses(&j, "from", &v->from);
  write_addresses(&j, "to", &v->to);
  write_addresses(&j, "cc", &v->cc);
  write_addresses(&j, "reply_to", &v->reply_to);
  bw_json_kv_string(&j, "return_path", v->return_path);
  bw_json_kv_string(&j, "subject", v->subject);
  bw_json_kv_string(&j, "date", v->date);
  bw_json_kv_string(&j, "recipient", r->recipient);
  write_auth(&j, v);
  bw_json_key(&j, "parts");
  bw_json_array_begin(&j);
  if (v->root) write_part(&j, v->root);
  bw_json_array_end(&j);
  write_attachments(&j, v);
  write_resources(&j, r);
  write_links(&j, r);
  write_beacons(&j, r);
  write_findings(&j, r);
  write_identity(&j, &r->identity);
  write_forwarded(&j, r);
  bw_json_kv_string(&j, "verdict", bw_verdict_name(r->verdict));
  bw_json_kv_int(&j, "score", r->score);
  write_reasons(&j, r);
  bw_json_object_end(&j);
  return j.failed ? BW_ENOMEM : BW_OK;
}
