/*
 * defects.h - malformed structure in a message, reported as parse_defect findings.
 *
 * GMime reports what it had to repair through a warning callback, but
 * setting that callback makes GMime decode every header of every message
 * while parsing, which measured as the largest avoidable cost of a scan.
 * So the view parses without it and finds the same defects in two cheaper
 * steps: header-level checks (8-bit and RFC 2047 values, duplicate and
 * conflicting headers, Content-Type and address syntax) done on the few
 * values concerned with an options object that carries the callback, and
 * a second, full parse with the callback only when a structural check on
 * the parsed tree and the raw bytes says the structure is broken.
 */
#ifndef BW_MIME_DEFECTS_H
#define BW_MIME_DEFECTS_H

#include <gmime/gmime.h>

#include "findings.h"
#include "mime/entity.h"
#include "mime/view.h"

typedef struct bw_defects {
  bw_findings *findings;
  bw_arena *arena;
  GMimeParserOptions *opts; /* carries the warning callback */
  size_t count;             /* defects seen, listed or not */
  int structural_pass;      /* 1 during the full parse: only structural kinds are reported */
  int gmime_only;           /* check with GMime even what address.c shows to be plain (tests) */
} bw_defects;

void bw_defects_init(bw_defects *d, bw_findings *findings, bw_arena *arena);
/* Adds the "further defects" count when there were more than could be listed, and frees. */
void bw_defects_finish(bw_defects *d);

/* Reports one defect (a GMimeParserWarning code). */
void bw_defects_report(bw_defects *d, int code, gint64 offset, const char *item);

/* Header-level checks of one header list (a message's or a part's). */
void bw_defects_check_headers(bw_defects *d, const bw_header *headers, size_t n);
/* A part's own headers repeated where only one may appear: GMime keeps one, other software may take
 * the other. */
void bw_defects_check_repeats(bw_defects *d, const bw_raw_header *headers, size_t n);
/* Content-Type and Content-Disposition parameter syntax (decoded values; NULL when absent). */
void bw_defects_check_params(bw_defects *d, const char *content_type, const char *disposition);

/* 1 when the parsed view and the raw bytes show broken structure worth a full parse. */
int bw_defects_structure_suspect(const char *msg, size_t len, const bw_view *v);
/* Parses msg again with the callback, reporting only the structural defects. */
void bw_defects_structural_pass(bw_defects *d, const char *msg, size_t len);

#endif
