/*
 * verdict.c - from findings to one of four verdicts and a score.
 *
 * Each finding kind that bears on the verdict names the least verdict it
 * implies and the points it adds; the message gets the highest verdict any
 * finding implies and the sum of the points, capped at 100. Parser findings
 * (parse_defect, limit_exceeded) are evidence for an analyst but do not by
 * themselves make mail suspicious: real mail is often malformed.
 */
#include <string.h>

#include "scan.h"

typedef struct verdict_rule {
  const char *kind;
  bw_verdict least;
  int points;
} verdict_rule;

static const verdict_rule RULES[] = {
    {"parse_defect", BW_VERDICT_CLEAN, 0},
    {"limit_exceeded", BW_VERDICT_CLEAN, 0},
    /* Until the identity detector can say whether the sender is who it claims, tracking
       is reported as tracking; impersonation raises it (issue: identity). */
    {"open_beacon", BW_VERDICT_COMMERCIAL_TRACKING, 30},
    {"click_beacon", BW_VERDICT_COMMERCIAL_TRACKING, 10},
    {"recipient_identified", BW_VERDICT_COMMERCIAL_TRACKING, 20},
};

static const verdict_rule *rule_for(const char *kind) {
  for (size_t i = 0; i < sizeof(RULES) / sizeof(RULES[0]); i++)
    if (strcmp(RULES[i].kind, kind) == 0) return &RULES[i];
  return NULL;
}

void bw_verdict_decide(bw_result *r) {
  bw_verdict verdict = BW_VERDICT_CLEAN;
  int score = 0;
  for (size_t i = 0; i < r->findings.items.len; i++) {
    const bw_finding *f = r->findings.items.items[i];
    const verdict_rule *rule = rule_for(f->kind);
    if (!rule) continue;
    if (rule->least > verdict) verdict = rule->least;
    score += rule->points;
  }
  r->verdict = verdict;
  r->score = score > 100 ? 100 : score;
}

const char *bw_verdict_name(bw_verdict v) {
  switch (v) {
  case BW_VERDICT_CLEAN: return "clean";
  case BW_VERDICT_COMMERCIAL_TRACKING: return "commercial_tracking";
  case BW_VERDICT_SUSPICIOUS: return "suspicious";
  case BW_VERDICT_TARGETED_BEACON: return "targeted_beacon";
  }
  return "unknown";
}

int bw_verdict_parse(const char *name, bw_verdict *out) {
  for (int v = BW_VERDICT_CLEAN; v <= BW_VERDICT_TARGETED_BEACON; v++) {
    if (strcmp(name, bw_verdict_name((bw_verdict)v)) == 0) {
      *out = (bw_verdict)v;
      return BW_OK;
    }
  }
  return BW_EINVAL;
}

const char *bw_severity_name(bw_severity s) {
  switch (s) {
  case BW_SEVERITY_INFO: return "info";
  case BW_SEVERITY_LOW: return "low";
  case BW_SEVERITY_MEDIUM: return "medium";
  case BW_SEVERITY_HIGH: return "high";
  }
  return "unknown";
}
