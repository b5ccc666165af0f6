/*
 * bw_viewdump.c - prints the MIME view of every message as JSON lines, for
 * the differential test against Python's email package
 * (tests/differential/mime_vs_python.py).
 *
 * Each line holds the locator, the message bytes (base64, so the reference
 * parser sees exactly the bytes we parsed), the part tree's content types in
 * document order and the decoded text of every text leaf.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beaconwatch.h"
#include "findings.h"
#include "mime/view.h"
#include "util/buf.h"
#include "util/json.h"

static void dump_parts(bw_json *j, const bw_view *v) {
  bw_json_key(j, "parts");
  bw_json_array_begin(j);
  for (size_t i = 0; i < v->n_parts; i++) {
    const bw_part *p = v->parts[i];
    bw_json_object_begin(j);
    bw_json_kv_string(j, "id", p->id);
    bw_json_kv_string(j, "content_type", p->content_type);
    bw_json_kv_int(j, "depth", p->depth);
    if (!p->is_multipart && !p->is_message && strncmp(p->content_type, "text/", 5) == 0 && p->decoded) {
      bw_json_key(j, "text");
      bw_json_string_len(j, p->data ? p->data : "", p->data_len);
      bw_json_kv_string(j, "charset_used", p->charset_used);
      bw_json_kv_bool(j, "attachment", p->is_attachment);
    }
    bw_json_object_end(j);
  }
  bw_json_array_end(j);
}

static int dump_message(const bw_message *m, bw_buf *out) {
  bw_config cfg;
  bw_config_init(&cfg);
  bw_arena arena;
  bw_arena_init(&arena);
  bw_findings findings;
  bw_findings_init(&findings, &arena);
  bw_view view;
  int rc = bw_view_build(&view, m->data, m->len, &cfg.limits, &arena, &findings);
  bw_json j;
  bw_json_init(&j, out);
  bw_json_object_begin(&j);
  bw_buf loc;
  bw_buf_init(&loc);
  bw_locator_format(&m->locator, &loc);
  bw_json_kv_string(&j, "locator", loc.data);
  bw_buf_free(&loc);
  gchar *b64 = g_base64_encode((const guchar *)m->data, m->len);
  bw_json_kv_string(&j, "raw_b64", b64);
  g_free(b64);
  bw_json_kv_int(&j, "status", rc);
  if (rc == BW_OK) dump_parts(&j, &view);
  bw_json_object_end(&j);
  bw_buf_putc(out, '\n');
  bw_arena_free(&arena);
  return j.failed ? BW_ENOMEM : BW_OK;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bw_viewdump PATH...\n");
    return 2;
  }
  /* An engine initialises GMime; the view itself needs nothing else from it. */
  bw_engine *e;
  bw_error err;
  if (bw_engine_new(NULL, &e, &err) != BW_OK) {
    fprintf(stderr, "bw_viewdump: %s\n", err.message);
    return 4;
  }
  bw_buf out;
  bw_buf_init(&out);
  int status = 0;
  for (int i = 1; i < argc; i++) {
    bw_reader *r;
    if (bw_reader_open(argv[i], NULL, &r, &err) != BW_OK) {
      fprintf(stderr, "bw_viewdump: %s\n", err.message);
      status = 3;
      continue;
    }
    bw_message m;
    int rc;
    while ((rc = bw_reader_next(r, &m, &err)) != BW_DONE) {
      if (rc != BW_OK) {
        fprintf(stderr, "bw_viewdump: %s\n", err.message);
        status = 3;
        continue;
      }
      bw_buf_reset(&out);
      if (dump_message(&m, &out) != BW_OK) status = 4;
      fwrite(out.data, 1, out.len, stdout);
    }
    bw_reader_free(r);
  }
  bw_buf_free(&out);
  bw_engine_free(e);
  return status;
}
