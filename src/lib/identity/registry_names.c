/*
 * registry_names.c - the name matcher of the identity registry: an
 * Aho-Corasick automaton over the folded names, word boundaries, exact-case
 * names and longest-match selection (see registry_names.h).
 *
 * The automaton works on UTF-8 bytes. Its trie keeps each node's children in
 * a sibling list (the root has a direct 256-entry table, since nearly every
 * step that fails falls back to it), which keeps a registry of a few thousand
 * names in a few hundred kilobytes. Compiling then lays the automaton out
 * again for searching (see search_node): nodes numbered breadth first, so
 * that the shallow nodes nearly every step visits sit together, and each
 * node's children side by side, so that a step reads a few adjacent bytes
 * instead of following a list through the whole trie. Once compiled it is
 * never written to, so any number of threads may search it at once.
 */
#include "identity/registry_names.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "identity/registry_fold.h"

#define NO_NODE 0u /* the root; never a child, so 0 also means "no child" */
#define NO_PATTERN UINT32_MAX

typedef struct node {
  uint32_t first_child, next_sibling;
  uint32_t fail; /* longest proper suffix of this node's string that is in the trie */
  uint32_t dict; /* nearest node on the failure chain that ends a pattern, or NO_NODE */
  uint32_t pattern;
  unsigned char byte;
} node;

/* A value a folded name stands for; exact is the unfolded name when case must match. */
typedef struct named {
  uint32_t value;
  char *exact; /* NULL: any case */
  size_t exact_len;
} named;

typedef struct pattern {
  uint32_t len;               /* bytes of the folded name */
  int bound_start, bound_end; /* the name starts/ends with a letter of a spaced script */
  named *values;
  size_t n_values, cap_values;
} pattern;

/*
 * A node as searches read it. Nodes are numbered breadth first: the children
 * of node u are the nodes first_kid of u up to (not including) first_kid of
 * u + 1, entered on the bytes search_byte[] at the same numbers. fail, dict
 * and NO_NODE as in node, in the same numbering.
 */
typedef struct search_node {
  uint32_t first_kid;
  uint32_t fail, dict;
  uint32_t pattern;
} search_node;

struct bw_registry_names {
  node *nodes;
  size_t n_nodes, cap_nodes;
  uint32_t root_next[256];
  /* Once compiled: the automaton for searching (n_nodes + 1 entries, the last one only
     closing the children of the last node), and the root's children in its numbering. */
  search_node *search;
  unsigned char *search_byte;
  uint32_t search_root[256];
  pattern *patterns;
  size_t n_patterns, cap_patterns;
};

typedef struct match {
  size_t start, end;
  uint32_t value;
} match;

/* Grows *items (of size elem) so that one more fits. Returns 0 or -1. */
static int grow(void **items, size_t *cap, size_t n, size_t elem) {
  if (n < *cap) return 0;
  size_t ncap = *cap ? *cap * 2 : 16;
  void *p = realloc(*items, ncap * elem);
  if (!p) return -1;
  *items = p;
  *cap = ncap;
  return 0;
}

/* ---- word boundaries ---------------------------------------------------------------- */

/* Scripts written without spaces between words: their names match anywhere. */
static int unspaced_script(UChar32 c) {
  UErrorCode st = U_ZERO_ERROR;
  switch (uscript_getScript(c, &st)) {
  case USCRIPT_HAN:
  case USCRIPT_HIRAGANA:
  case USCRIPT_KATAKANA:
  case USCRIPT_HANGUL:
  case USCRIPT_THAI:
  case USCRIPT_LAO:
  case USCRIPT_KHMER:
  case USCRIPT_MYANMAR:
  case USCRIPT_TIBETAN:
  case USCRIPT_YI:
    return 1;
  default:
    return 0;
  }
}

/* A letter, digit or mark of a script that separates words with spaces. */
static int word_char(UChar32 c) {
  int8_t t = u_charType(c);
  int mark = t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK;
  return (u_isalnum(c) || mark || c == '_') && !unspaced_script(c);
}

static UChar32 first_char(const char *s, size_t len) {
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(s, i, (int32_t)len, c);
  return c;
}

static UChar32 last_char(const char *s, size_t len) {
  int32_t i = (int32_t)len;
  UChar32 c;
  U8_PREV(s, 0, i, c);
  return c;
}

/* Whether a match of p at [start, end) of text sits on the boundaries it needs. */
static int on_boundaries(const pattern *p, const char *text, size_t len, size_t start, size_t end) {
  if (p->bound_start && start > 0 && word_char(last_char(text, start))) return 0;
  if (p->bound_end && end < len && word_char(first_char(text + end, len - end))) return 0;
  return 1;
}

/* ---- building ----------------------------------------------------------------------- */

bw_registry_names *bw_registry_names_new(void) {
  bw_registry_names *m = calloc(1, sizeof(*m));
  if (!m) return NULL;
  if (grow((void **)&m->nodes, &m->cap_nodes, 0, sizeof(node))) {
    free(m);
    return NULL;
  }
  m->nodes[0] = (node){.pattern = NO_PATTERN};
  m->n_nodes = 1;
  return m;
}

void bw_registry_names_free(bw_registry_names *m) {
  if (!m) return;
  for (size_t i = 0; i < m->n_patterns; i++) {
    for (size_t v = 0; v < m->patterns[i].n_values; v++) free(m->patterns[i].values[v].exact);
    free(m->patterns[i].values);
  }
  free(m->patterns);
  free(m->nodes);
  free(m->search);
  free(m->search_byte);
  free(m);
}

static uint32_t child(const bw_registry_names *m, uint32_t n, unsigned char b) {
  if (n == NO_NODE) return m->root_next[b];
  for (uint32_t c = m->nodes[n].first_child; c != NO_NODE; c = m->nodes[c].next_sibling)
    if (m->nodes[c].byte == b) return c;
  return NO_NODE;
}

/* child() on a compiled matcher, in the search numbering. */
static uint32_t search_child(const bw_registry_names *m, uint32_t n, unsigned char b) {
  if (n == NO_NODE) return m->search_root[b];
  for (uint32_t c = m->search[n].first_kid, end = m->search[n + 1].first_kid; c < end; c++)
    if (m->search_byte[c] == b) return c;
  return NO_NODE;
}

/* The child of n on byte b, created if missing; NO_NODE when out of memory. */
static uint32_t add_child(bw_registry_names *m, uint32_t n, unsigned char b) {
  uint32_t c = child(m, n, b);
  if (c != NO_NODE) return c;
  if (m->n_nodes >= UINT32_MAX - 1 ||
      grow((void **)&m->nodes, &m->cap_nodes, m->n_nodes, sizeof(node)))
    return NO_NODE;
  c = (uint32_t)m->n_nodes++;
  m->nodes[c] = (node){.pattern = NO_PATTERN, .byte = b, .next_sibling = m->nodes[n].first_child};
  m->nodes[n].first_child = c;
  if (n == NO_NODE) m->root_next[b] = c;
  return c;
}

/* The pattern ending at node n, created if missing; NO_PATTERN when out of memory. */
static uint32_t node_pattern(bw_registry_names *m, uint32_t n, const char *folded, size_t len) {
  if (m->nodes[n].pattern != NO_PATTERN) return m->nodes[n].pattern;
  if (grow((void **)&m->patterns, &m->cap_patterns, m->n_patterns, sizeof(pattern)))
    return NO_PATTERN;
  uint32_t id = (uint32_t)m->n_patterns++;
  m->patterns[id] = (pattern){.len = (uint32_t)len,
                              .bound_start = word_char(first_char(folded, len)),
                              .bound_end = word_char(last_char(folded, len))};
  m->nodes[n].pattern = id;
  return id;
}

/* Adds value (exact-case when exact is not NULL) to pattern p unless it is there. */
static int add_value(pattern *p, uint32_t value, const char *exact, size_t exact_len) {
  for (size_t i = 0; i < p->n_values; i++)
    if (p->values[i].value == value && !p->values[i].exact == !exact) return 0;
  if (grow((void **)&p->values, &p->cap_values, p->n_values, sizeof(named))) return -1;
  named v = {value, NULL, exact_len};
  if (exact && !(v.exact = strdup(exact))) return -1;
  p->values[p->n_values++] = v;
  return 0;
}

static int add_folded(bw_registry_names *m, const bw_registry_folded *f, int exact_case,
                      uint32_t value) {
  uint32_t n = NO_NODE;
  for (size_t i = 0; i < f->len; i++)
    if ((n = add_child(m, n, (unsigned char)f->folded[i])) == NO_NODE) return -1;
  uint32_t id = node_pattern(m, n, f->folded, f->len);
  if (id == NO_PATTERN) return -1;
  return add_value(&m->patterns[id], value, exact_case ? f->kept : NULL, f->kept_len);
}

int bw_registry_names_add(bw_registry_names *m, const char *name, int exact_case, uint32_t value) {
  bw_registry_folded f;
  if (bw_registry_fold(name, strlen(name), &f)) return -1;
  int rc = f.len ? add_folded(m, &f, exact_case, value) : 0;
  bw_registry_folded_free(&f);
  return rc;
}

/* Sets the failure and dictionary links of v, the child of u on byte b. */
static void link_node(bw_registry_names *m, uint32_t u, uint32_t v, unsigned char b) {
  uint32_t f = NO_NODE;
  if (u != NO_NODE) {
    f = m->nodes[u].fail;
    while (f != NO_NODE && child(m, f, b) == NO_NODE) f = m->nodes[f].fail;
    f = child(m, f, b);
  }
  m->nodes[v].fail = f;
  m->nodes[v].dict = m->nodes[f].pattern != NO_PATTERN ? f : m->nodes[f].dict;
}

/* Numbers the nodes breadth first and writes the search form (see search_node). */
static int lay_out_for_search(bw_registry_names *m) {
  size_t n = m->n_nodes;
  uint32_t *order = malloc(n * sizeof(uint32_t));  /* search number -> node */
  uint32_t *number = malloc(n * sizeof(uint32_t)); /* node -> search number */
  free(m->search);
  free(m->search_byte);
  m->search = malloc((n + 1) * sizeof(search_node));
  m->search_byte = malloc(n);
  if (!order || !number || !m->search || !m->search_byte) {
    free(order);
    free(number);
    return -1;
  }
  size_t tail = 0;
  order[tail] = NO_NODE;
  number[NO_NODE] = (uint32_t)tail++;
  for (size_t k = 0; k < tail; k++) { /* every node is reached: tail ends at n */
    m->search[k].first_kid = (uint32_t)tail;
    for (uint32_t v = m->nodes[order[k]].first_child; v != NO_NODE; v = m->nodes[v].next_sibling) {
      order[tail] = v;
      number[v] = (uint32_t)tail++;
    }
  }
  m->search[n].first_kid = (uint32_t)n;
  for (size_t k = 0; k < n; k++) {
    const node *u = &m->nodes[order[k]];
    m->search[k].fail = number[u->fail];
    m->search[k].dict = number[u->dict];
    m->search[k].pattern = u->pattern;
    m->search_byte[k] = u->byte;
  }
  for (int b = 0; b < 256; b++) m->search_root[b] = number[m->root_next[b]];
  free(order);
  free(number);
  return 0;
}

int bw_registry_names_compile(bw_registry_names *m) {
  uint32_t *queue = malloc(m->n_nodes * sizeof(uint32_t));
  if (!queue) return -1;
  size_t head = 0, tail = 0;
  queue[tail++] = NO_NODE;
  while (head < tail) { /* breadth first: a node's failure target is always shallower */
    uint32_t u = queue[head++];
    for (uint32_t v = m->nodes[u].first_child; v != NO_NODE; v = m->nodes[v].next_sibling) {
      link_node(m, u, v, m->nodes[v].byte);
      queue[tail++] = v;
    }
  }
  free(queue);
  return lay_out_for_search(m);
}

/* ---- searching ---------------------------------------------------------------------- */

static int by_start_then_longest(const void *a, const void *b) {
  const match *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return x->end > y->end ? -1 : x->end < y->end;
}

/* Whether the kept text under a folded match [start, end) has v's exact case. */
static int case_holds(const named *v, const bw_registry_folded *t, size_t start, size_t end) {
  if (!v->exact) return 1;
  size_t from = t->map[start], to = t->map[end];
  return to - from == v->exact_len && memcmp(t->kept + from, v->exact, v->exact_len) == 0;
}

/* Appends the matches of pattern p ending at end to *v (one per value that holds). */
static int add_matches(const pattern *p, const bw_registry_folded *t, size_t end, match **v,
                       size_t *n, size_t *cap) {
  size_t start = end - p->len;
  if (!on_boundaries(p, t->folded, t->len, start, end)) return 0;
  for (size_t i = 0; i < p->n_values; i++) {
    if (!case_holds(&p->values[i], t, start, end)) continue;
    if (grow((void **)v, cap, *n, sizeof(match))) return -1;
    (*v)[(*n)++] = (match){start, end, p->values[i].value};
  }
  return 0;
}

/* Collects every match that holds into *out (malloc'd); returns the count or -1. */
static long collect(const bw_registry_names *m, const bw_registry_folded *t, match **out) {
  match *v = NULL;
  size_t n = 0, cap = 0;
  uint32_t s = NO_NODE;
  for (size_t i = 0; i < t->len; i++) {
    unsigned char b = (unsigned char)t->folded[i];
    uint32_t next;
    while ((next = search_child(m, s, b)) == NO_NODE && s != NO_NODE) s = m->search[s].fail;
    s = next;
    uint32_t o = m->search[s].pattern != NO_PATTERN ? s : m->search[s].dict;
    for (; o != NO_NODE; o = m->search[o].dict) {
      if (add_matches(&m->patterns[m->search[o].pattern], t, i + 1, &v, &n, &cap)) {
        free(v);
        return -1;
      }
    }
  }
  *out = v;
  return (long)n;
}

/* Appends value unless already in values[0..n); returns the new n. */
static size_t add_distinct(uint32_t value, uint32_t *values, size_t n) {
  for (size_t j = 0; j < n; j++)
    if (values[j] == value) return n;
  values[n] = value;
  return n + 1;
}

size_t bw_registry_names_find(const bw_registry_names *m, const char *text, size_t len,
                              uint32_t *values, size_t max) {
  bw_registry_folded t;
  if (max == 0 || bw_registry_fold(text, len, &t)) return 0;
  match *v = NULL;
  long n = collect(m, &t, &v);
  bw_registry_folded_free(&t);
  if (n <= 0) return 0;
  /* Sorted by start and longest first, a match lies inside another exactly when
   * an earlier match with a different span reaches at least as far. */
  qsort(v, (size_t)n, sizeof(match), by_start_then_longest);
  size_t found = 0, best_start = 0, best_end = 0;
  for (long i = 0; i < n && found < max; i++) {
    int same_span = v[i].start == best_start && v[i].end == best_end;
    if (v[i].end <= best_end && !same_span) continue;
    found = add_distinct(v[i].value, values, found);
    if (v[i].end > best_end) {
      best_start = v[i].start;
      best_end = v[i].end;
    }
  }
  free(v);
  return found;
}
