/*
 * findings.c - the per-scan findings sink (see findings.h).
 */
#include "findings.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void bw_findings_init(bw_findings *f, bw_arena *arena) {
  memset(f, 0, sizeof(*f));
  f->arena = arena;
}

bw_finding *bw_findings_add(bw_findings *f, const char *kind, const char *detector,
                            bw_severity severity, const char *where, const char *fmt, ...) {
  bw_finding *finding = bw_arena_calloc(f->arena, 1, sizeof(*finding));
  char message[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof(message), fmt, ap);
  va_end(ap);
  if (!finding) goto oom;
  finding->kind = kind;
  finding->detector = detector;
  finding->severity = severity;
  finding->message = bw_arena_strdup(f->arena, message);
  finding->where = bw_arena_strdup(f->arena, where);
  if (!finding->message || (where && !finding->where)) goto oom;
  if (bw_ptrvec_push(f->arena, &f->items, finding) != 0) goto oom;
  return finding;
oom:
  f->oom = 1;
  return NULL;
}

void bw_finding_add_evidence(bw_findings *f, bw_finding *finding, const char *key,
                             const char *value) {
  if (!finding) return;
  bw_evidence *ev = bw_arena_alloc(f->arena, (finding->n_evidence + 1) * sizeof(*ev));
  if (!ev) {
    f->oom = 1;
    return;
  }
  if (finding->n_evidence) memcpy(ev, finding->evidence, finding->n_evidence * sizeof(*ev));
  ev[finding->n_evidence].key = bw_arena_strdup(f->arena, key);
  ev[finding->n_evidence].value = bw_arena_strdup(f->arena, value ? value : "");
  finding->evidence = ev;
  finding->n_evidence++;
}

void bw_findings_limit(bw_findings *f, const char *where, const char *limit, size_t value,
                       const char *consequence) {
  bw_finding *finding = bw_findings_add(f, "limit_exceeded", "parser", BW_SEVERITY_MEDIUM, where,
                                        "%s limit of %zu exceeded: %s", limit, value, consequence);
  char num[32];
  snprintf(num, sizeof(num), "%zu", value);
  bw_finding_add_evidence(f, finding, "limit", limit);
  bw_finding_add_evidence(f, finding, "value", num);
}
