/*
 * trackers.c - matching URLs against the bundled email-tracker vendor rules.
 *
 * There are some 560 rules, each a PCRE2 regex. Running them all on every
 * URL would cost hundreds of regex executions per URL, so each rule also
 * carries a literal that any URL it matches must contain (computed by
 * scripts/gen-trackers.py). At load, the literals go into an Aho-Corasick
 * automaton, stored as a full transition table over case-folded byte classes.
 * A match walks the URL through it once, collects the rules whose literal
 * occurs, and runs only their regexes, lowest rule (highest priority) first.
 * An ordinary URL usually contains no literal and costs one table walk.
 *
 * Regexes are compiled caseless and without UTF, so any bytes are valid
 * input; with PCRE2's built-in tables caseless means ASCII case only, which
 * is exactly what the ASCII case folding of the prefilter assumes.
 */
#include "detect/trackers.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "beaconwatch.h"

struct bw_tracker_rule {
  const char *vendor;
  const char *pattern;
  const char *literal; /* lowercase; "" when the pattern has none */
  int trigger;
};

#include "detect/trackers_data.inc"

#define RULE_COUNT (sizeof bw_tracker_rules / sizeof bw_tracker_rules[0])
#define RULE_WORDS ((RULE_COUNT + 63) / 64)
#define STATE_MAX (BW_TRACKER_LITERAL_BYTES + 1)
#define NO_RULE UINT16_MAX

_Static_assert(STATE_MAX < UINT16_MAX, "automaton states must fit in 16 bits");
_Static_assert(RULE_COUNT < NO_RULE, "rule indices must fit in 16 bits");

struct bw_trackers {
  pcre2_code *re[RULE_COUNT]; /* NULL for a rule PCRE2 rejected */
  size_t rejected;
  uint64_t no_literal[RULE_WORDS]; /* rules that are always candidates */
  unsigned char cls[256];          /* byte -> class; 0 = no literal uses it */
  size_t nclasses;
  size_t nstates;
  uint16_t *next;      /* nstates x nclasses transitions, failures folded in */
  uint32_t *out_begin; /* rules whose literal ends at state s: outs[out_begin[s]..[s+1]) */
  uint16_t *outs;
};

static unsigned char fold(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static void compile_rules(bw_trackers *t) {
  for (size_t i = 0; i < RULE_COUNT; i++) {
    int code;
    PCRE2_SIZE offset;
    t->re[i] = pcre2_compile((PCRE2_SPTR)bw_tracker_rules[i].pattern, PCRE2_ZERO_TERMINATED,
                             PCRE2_CASELESS, &code, &offset, NULL);
    if (t->re[i] == NULL) {
      t->rejected++;
      continue;
    }
    /* Not JIT-compiled: the literal prefilter leaves few matches to run, and JIT-compiling
       the 559 rules took a third of the engine's start-up (measured; scan speed unchanged). */
  }
}

/* Gives every byte used by a literal its own class, upper case sharing lower's. */
static void assign_classes(bw_trackers *t) {
  t->nclasses = 1;
  for (size_t i = 0; i < RULE_COUNT; i++) {
    for (const unsigned char *p = (const unsigned char *)bw_tracker_rules[i].literal; *p; p++) {
      if (t->cls[*p] == 0) t->cls[*p] = (unsigned char)t->nclasses++;
    }
  }
  for (unsigned c = 'A'; c <= 'Z'; c++) t->cls[c] = t->cls[fold((unsigned char)c)];
}

/* Builds the trie of literals; state 0 is the root, and 0 in next[] means "no child". */
static void insert_literals(bw_trackers *t, uint16_t *own_head, uint16_t *own_next) {
  t->nstates = 1;
  for (size_t i = 0; i < RULE_COUNT; i++) {
    const unsigned char *p = (const unsigned char *)bw_tracker_rules[i].literal;
    if (*p == '\0') {
      t->no_literal[i / 64] |= UINT64_C(1) << (i % 64);
      continue;
    }
    size_t s = 0;
    for (; *p; p++) {
      uint16_t *slot = &t->next[s * t->nclasses + t->cls[*p]];
      if (*slot == 0) *slot = (uint16_t)t->nstates++;
      s = *slot;
    }
    own_next[i] = own_head[s];
    own_head[s] = (uint16_t)i;
  }
}

/*
 * Breadth-first: sets each state's failure link and fills its missing
 * transitions with its failure state's, turning the trie into a DFA.
 * order[] receives the states in breadth-first order.
 */
static void link_failures(bw_trackers *t, uint16_t *fail, uint16_t *order) {
  size_t head = 0, tail = 0, nc = t->nclasses;
  for (size_t c = 0; c < nc; c++) {
    uint16_t child = t->next[c];
    if (child != 0) {
      fail[child] = 0;
      order[tail++] = child;
    }
  }
  while (head < tail) {
    size_t s = order[head++];
    for (size_t c = 0; c < nc; c++) {
      uint16_t *slot = &t->next[s * nc + c];
      uint16_t via_fail = t->next[fail[s] * nc + c];
      if (*slot == 0) {
        *slot = via_fail;
      } else {
        fail[*slot] = via_fail;
        order[tail++] = *slot;
      }
    }
  }
}

/* A state's outputs are its own rules plus those of its failure state. */
static int collect_outputs(bw_trackers *t, const uint16_t *own_head, const uint16_t *own_next,
                           const uint16_t *fail, const uint16_t *order) {
  size_t n = t->nstates;
  uint32_t *count = calloc(n, sizeof *count);
  t->out_begin = calloc(n + 1, sizeof *t->out_begin);
  if (count == NULL || t->out_begin == NULL) {
    free(count);
    return BW_ENOMEM;
  }
  for (size_t k = 0; k + 1 < n; k++) {
    size_t s = order[k];
    for (uint16_t r = own_head[s]; r != NO_RULE; r = own_next[r]) count[s]++;
    count[s] += count[fail[s]];
  }
  for (size_t s = 0; s < n; s++) t->out_begin[s + 1] = t->out_begin[s] + count[s];
  free(count);
  t->outs = malloc((t->out_begin[n] + 1) * sizeof *t->outs);
  if (t->outs == NULL) return BW_ENOMEM;
  for (size_t k = 0; k + 1 < n; k++) {
    size_t s = order[k], w = t->out_begin[s];
    for (uint16_t r = own_head[s]; r != NO_RULE; r = own_next[r]) t->outs[w++] = r;
    uint32_t from = t->out_begin[fail[s]], to = t->out_begin[fail[s] + 1];
    memcpy(&t->outs[w], &t->outs[from], (to - from) * sizeof *t->outs);
  }
  return 0;
}

static int build_automaton(bw_trackers *t) {
  assign_classes(t);
  t->next = calloc(STATE_MAX * t->nclasses, sizeof *t->next);
  uint16_t *scratch = malloc((3 * (size_t)STATE_MAX + RULE_COUNT) * sizeof *scratch);
  if (t->next == NULL || scratch == NULL) {
    free(scratch);
    return BW_ENOMEM;
  }
  uint16_t *own_head = scratch, *own_next = scratch + STATE_MAX;
  uint16_t *fail = own_next + RULE_COUNT, *order = fail + STATE_MAX;
  for (size_t i = 0; i < STATE_MAX; i++) own_head[i] = NO_RULE;
  insert_literals(t, own_head, own_next);
  uint16_t *fitted = realloc(t->next, t->nstates * t->nclasses * sizeof *t->next);
  if (fitted != NULL) t->next = fitted; /* keeping the larger block is harmless */
  link_failures(t, fail, order);
  int rc = collect_outputs(t, own_head, own_next, fail, order);
  free(scratch);
  return rc;
}

bw_trackers *bw_trackers_new(void) {
  bw_trackers *t = calloc(1, sizeof *t);
  if (t == NULL) return NULL;
  compile_rules(t);
  if (build_automaton(t) != 0) {
    bw_trackers_free(t);
    return NULL;
  }
  return t;
}

void bw_trackers_free(bw_trackers *t) {
  if (t == NULL) return;
  for (size_t i = 0; i < RULE_COUNT; i++) pcre2_code_free(t->re[i]);
  free(t->next);
  free(t->out_begin);
  free(t->outs);
  free(t);
}

size_t bw_trackers_count(const bw_trackers *t, size_t *rejected) {
  if (rejected != NULL) *rejected = t->rejected;
  return RULE_COUNT - t->rejected;
}

/* Marks in cand[] every rule whose literal occurs in the URL. */
static void find_candidates(const bw_trackers *t, const unsigned char *url, size_t len,
                            uint64_t *cand) {
  size_t s = 0, nc = t->nclasses;
  for (size_t i = 0; i < len; i++) {
    s = t->next[s * nc + t->cls[url[i]]];
    for (uint32_t k = t->out_begin[s]; k < t->out_begin[s + 1]; k++) {
      cand[t->outs[k] / 64] |= UINT64_C(1) << (t->outs[k] % 64);
    }
  }
}

static int rule_matches(const bw_trackers *t, size_t i, const char *url, size_t len,
                        pcre2_match_data **md) {
  if (t->re[i] == NULL) return 0;
  if (*md == NULL) *md = pcre2_match_data_create(1, NULL);
  if (*md == NULL) return BW_ENOMEM;
  return pcre2_match(t->re[i], (PCRE2_SPTR)url, len, 0, 0, *md, NULL) >= 0;
}

/* Runs the candidate rules in priority order; the first that matches wins. */
static int run_candidates(const bw_trackers *t, const char *url, size_t len, const uint64_t *cand,
                          bw_tracker_match *m) {
  pcre2_match_data *md = NULL;
  int rc = 0;
  for (size_t w = 0; w < RULE_WORDS && rc == 0; w++) {
    for (uint64_t bits = cand[w]; bits != 0 && rc == 0; bits &= bits - 1) {
      size_t i = w * 64 + (size_t)__builtin_ctzll(bits);
      rc = rule_matches(t, i, url, len, &md);
      if (rc == 1) {
        m->vendor = bw_tracker_rules[i].vendor;
        m->pattern = bw_tracker_rules[i].pattern;
        m->trigger = bw_tracker_rules[i].trigger;
      }
    }
  }
  pcre2_match_data_free(md);
  return rc;
}

int bw_trackers_match(const bw_trackers *t, const char *url_no_scheme, size_t len,
                      bw_tracker_match *m) {
  uint64_t cand[RULE_WORDS];
  memcpy(cand, t->no_literal, sizeof cand);
  find_candidates(t, (const unsigned char *)url_no_scheme, len, cand);
  return run_candidates(t, url_no_scheme, len, cand, m);
}

int bw_trackers_match_unfiltered(const bw_trackers *t, const char *url_no_scheme, size_t len,
                                 bw_tracker_match *m) {
  uint64_t cand[RULE_WORDS];
  memset(cand, 0xff, sizeof cand);
  if (RULE_COUNT % 64 != 0) cand[RULE_WORDS - 1] = (UINT64_C(1) << (RULE_COUNT % 64)) - 1;
  return run_candidates(t, url_no_scheme, len, cand, m);
}
