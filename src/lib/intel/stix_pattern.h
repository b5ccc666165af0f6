/*
 * stix_pattern.h - a recursive-descent parser for the STIX 2.1 patterning
 * language, reduced to what beaconwatch can match in one message.
 *
 * The parser accepts the full comparison syntax (all operators, NOT, lists,
 * typed literals, nested parentheses, observation and comparison AND/OR) and
 * rewrites the pattern as an OR of ANDs of comparisons (disjunctive normal
 * form), so that each alternative can be checked against a message.
 * Qualifiers (WITHIN, REPEATS, START/STOP) and FOLLOWEDBY describe event
 * sequences over time, which one message cannot show: such a pattern is
 * rejected with that reason. Every dimension is bounded (length, depth,
 * comparisons, alternatives, terms per alternative).
 */
#ifndef BW_INTEL_STIX_PATTERN_H
#define BW_INTEL_STIX_PATTERN_H

#include <stddef.h>
#include <stdint.h>

enum {
  BW_STIX_MAX_PATTERN = 65536, /* bytes */
  BW_STIX_MAX_DEPTH = 32,      /* nested brackets and parentheses */
  BW_STIX_MAX_CMPS = 256,      /* comparisons in one pattern */
  BW_STIX_MAX_ALTS = 64,       /* alternatives after expansion */
  BW_STIX_MAX_TERMS = 16       /* comparisons ANDed in one alternative */
};

typedef struct bw_stix_cmp {
  char path[128];              /* "file:hashes.'SHA-256'" as written */
  char op[12];                 /* "=", "!=", "IN", "MATCHES", ..., "EXISTS" */
  int negated;                 /* NOT before the operator */
  int is_string;               /* the value is a plain string literal */
  size_t value_off, value_len; /* unescaped value in the pattern's values buffer */
  size_t text_off, text_len;   /* the comparison as written, in the source */
} bw_stix_cmp;

typedef struct bw_stix_alt {
  uint8_t n;
  uint16_t terms[BW_STIX_MAX_TERMS]; /* indexes into cmps */
} bw_stix_alt;

typedef struct bw_stix_pattern {
  bw_stix_cmp cmps[BW_STIX_MAX_CMPS];
  size_t n_cmps;
  bw_stix_alt alts[BW_STIX_MAX_ALTS];
  size_t n_alts;
  char values[BW_STIX_MAX_PATTERN + 1]; /* unescaped string values */
  size_t values_len;
} bw_stix_pattern;

/*
 * Parses pattern (len bytes). Returns 0 and fills out, or -1 with the reason
 * (syntax error with its offset, unsupported construct, a limit) in why.
 */
int bw_stix_pattern_parse(const char *pattern, size_t len, bw_stix_pattern *out, char *why,
                          size_t why_size);

#endif
