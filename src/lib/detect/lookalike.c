/*
 * lookalike.c - domains that imitate protected domains.
 *
 * Every protected domain of the registry is split once into its label and
 * public suffix ("bbc" + "co.uk") and its TR39 skeleton is computed with ICU.
 * A candidate is then compared in order of how sure the comparison is:
 * the protected domain used as a subdomain of another domain; an equal
 * skeleton (homoglyphs, mixed script, punycode); the label with a word added
 * ("theguardian-updates", "scmp-pressdesk") or a different public suffix;
 * one typo of a known kind (addition, insertion, omission, repetition,
 * transposition, replacement, vowel swap, hyphenation, bitsquatting,
 * homoglyph); and finally an edit distance of two on long labels. Short
 * labels allow less: three letters or fewer only take the typo kinds that
 * keep every letter (repetition, transposition, hyphenation, homoglyph), five
 * or fewer at most one edit. Domains the registry owns and free-mail domains
 * are never look-alikes.
 */
#include <assert.h>
#include <idn2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uspoof.h>
#include <unicode/utf8.h>

#include "detect/freemail.h"
#include "detect/lookalike.h"
#include "util/error.h"

typedef struct la_entry {
  const bw_identity *identity;
  const char *domain; /* the registry's string */
  size_t domain_len;
  char *label; /* before the first dot */
  size_t label_len;
  const char *suffix;   /* the public suffix, inside domain */
  char *label_skeleton; /* lowercased TR39 skeleton of the label */
} la_entry;

/*
 * Comparing a domain with every protected domain took most of a scan's time,
 * so candidates come from a sorted table of hashed keys instead: each protected
 * label's deletion neighbourhood (every string left after deleting up to two
 * letters: two strings within edit distance two share one, as in SymSpell),
 * the label itself, its skeleton and the whole domain. Only the entries a
 * query's own keys find are compared in full, in registry order, so the result
 * is exactly that of comparing them all.
 */
typedef struct la_key {
  uint64_t hash; /* of a kind byte and a string */
  uint32_t entry;
} la_key;

enum { KEY_DELETION = 'd', KEY_LABEL = 'L', KEY_SKELETON = 'S', KEY_DOMAIN = 'D' };
enum { FILTER_BITS = 1 << 22 }; /* 512 KiB; about 5% false positives for the default registry */
enum { DIRECTORY_BITS = 16 };   /* 256 KiB: a few keys per range */
enum { ALIKE_TABLE = 0x500 };   /* code points through Cyrillic */

struct bw_lookalike_index {
  const bw_registry *registry;
  USpoofChecker *spoof;
  la_entry *entries;
  size_t n;
  la_key *keys; /* sorted by hash */
  size_t n_keys, cap_keys;
  uint64_t *filter; /* one bit per hash value modulo FILTER_BITS: most lookups stop here */
  /* The keys whose hash starts with the DIRECTORY_BITS bits b are keys[directory[b] ..
     directory[b + 1]): a lookup searches a few keys, not the whole table. */
  uint32_t *directory;
  size_t max_label; /* longest protected label */
  /* The lowercased skeleton of each ASCII character when it is ASCII too, else NULL. */
  char *ascii_skeleton[128];
  size_t ascii_skeleton_len[128];
  /* ascii_lookalike() of the code points below ALIKE_TABLE (Latin, Greek, Cyrillic), read
     once: display names and signatures are full of accented letters. */
  char ascii_alike[ALIKE_TABLE];
  uint64_t id; /* unique per index, so a cache never mistakes a later index at the same address */
};

/* Ranks: lower is surer. */
enum { RANK_SUBDOMAIN, RANK_SKELETON, RANK_WORD, RANK_TYPO, RANK_DISTANCE2, RANK_NONE };

/* Words that attackers add to a real name to make a new domain ("bbcnews", "scmp-media"). */
static const char *const ADDED_WORDS[] = {
    "news",       "mail",  "alerts",   "alert",  "press",   "media",  "online",   "daily",
    "live",       "world", "desk",     "digest", "updates", "update", "briefing", "brief",
    "newsletter", "info",  "official", "global", "intl",    "wire",   "team",     "editor"};

/* ---- text helpers ------------------------------------------------------------ */

static void ascii_lower(char *s) {
  for (; *s; s++)
    if (*s >= 'A' && *s <= 'Z') *s = (char)(*s - 'A' + 'a');
}

static int is_ascii(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s >= 0x80) return 0;
  return 1;
}

/* The lowercased TR39 skeleton of a UTF-8 string (malloc'd), or NULL. */
static char *skeleton_of(const USpoofChecker *sc, const char *s, size_t len) {
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = uspoof_getSkeletonUTF8(sc, 0, s, (int32_t)len, NULL, 0, &st);
  if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st)) return NULL;
  char *out = malloc((size_t)n + 1);
  if (!out) return NULL;
  st = U_ZERO_ERROR;
  uspoof_getSkeletonUTF8(sc, 0, s, (int32_t)len, out, n + 1, &st);
  if (U_FAILURE(st)) {
    free(out);
    return NULL;
  }
  out[n] = '\0';
  ascii_lower(out);
  return out;
}

static char ascii_lookalike(const USpoofChecker *sc, const char *s, size_t n);

/* Fills ix->ascii_alike (see bw_lookalike_index). */
static void read_ascii_alikes(bw_lookalike_index *ix) {
  for (UChar32 c = 0x80; c < ALIKE_TABLE; c++) {
    char buf[4];
    int32_t n = 0;
    U8_APPEND_UNSAFE(buf, n, c);
    ix->ascii_alike[c] = ascii_lookalike(ix->spoof, buf, (size_t)n);
  }
}

/* Remembers the skeleton of every ASCII character that has an ASCII one (see label_skeleton). */
static int read_ascii_skeletons(bw_lookalike_index *ix) {
  for (int c = 1; c < 128; c++) {
    char ch = (char)c;
    char *skel = skeleton_of(ix->spoof, &ch, 1);
    if (!skel) return -1;
    if (is_ascii(skel)) {
      ix->ascii_skeleton[c] = skel;
      ix->ascii_skeleton_len[c] = strlen(skel);
    } else
      free(skel);
  }
  return 0;
}

/*
 * skeleton_of() for a label. TR39 maps each character of the NFD form to its
 * prototype on its own, and ASCII is its own NFD, so the skeleton of a label
 * whose characters all have ASCII skeletons is theirs joined: no ICU needed
 * for the ASCII hosts nearly every check sees.
 */
static char *label_skeleton(const bw_lookalike_index *ix, const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 128 || !ix->ascii_skeleton[c]) return skeleton_of(ix->spoof, s, len);
    n += ix->ascii_skeleton_len[c];
  }
  char *out = malloc(n + 1), *o = out;
  if (!out) return NULL;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    memcpy(o, ix->ascii_skeleton[c], ix->ascii_skeleton_len[c]);
    o += ix->ascii_skeleton_len[c];
  }
  *o = '\0';
  return out;
}

char *bw_lookalike_skeleton(const bw_lookalike_index *ix, const char *s, size_t len) {
  return label_skeleton(ix, s, len);
}

/* The Unicode (U-label) form of an ASCII host, malloc'd; a copy when it has no punycode. */
static char *unicode_form(const char *host) {
  char *out = NULL;
  if (strstr(host, "xn--") && idn2_to_unicode_8z8z(host, &out, 0) == IDN2_OK) {
    char *copy = strdup(out);
    idn2_free(out);
    return copy;
  }
  return strdup(host);
}

/* The ASCII (A-label) form of a host, malloc'd; a lowercased copy when already ASCII. */
static char *ascii_form(const char *host) {
  char *out = NULL;
  if (is_ascii(host))
    out = strdup(host);
  else if (idn2_to_ascii_8z(host, &out, IDN2_NONTRANSITIONAL) == IDN2_OK) {
    char *copy = strdup(out);
    idn2_free(out);
    out = copy;
  } else
    return NULL;
  if (out) ascii_lower(out);
  return out;
}

/* ---- keys ----------------------------------------------------------------------- */

static uint64_t key_hash(char kind, const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull ^ (unsigned char)kind;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

static int push_key(bw_lookalike_index *ix, char kind, const char *s, size_t n, size_t entry) {
  if (ix->n_keys == ix->cap_keys) {
    size_t cap = ix->cap_keys ? ix->cap_keys * 2 : 4096;
    la_key *k = realloc(ix->keys, cap * sizeof(*k));
    if (!k) return -1;
    ix->keys = k;
    ix->cap_keys = cap;
  }
  ix->keys[ix->n_keys++] = (la_key){key_hash(kind, s, n), (uint32_t)entry};
  return 0;
}

/* Calls fn on every string left after deleting 0, 1 or 2 letters of w (n <= 63). */
static int each_deletion(const char *w, size_t n, int (*fn)(const char *, size_t, void *),
                         void *ctx) {
  char buf[64];
  if (n >= sizeof(buf) || fn(w, n, ctx)) return n >= sizeof(buf) ? 0 : 1;
  for (size_t i = 0; i < n; i++) {
    memcpy(buf, w, i);
    memcpy(buf + i, w + i + 1, n - i - 1);
    if (fn(buf, n - 1, ctx)) return 1;
    for (size_t j = i; j + 1 < n; j++) {
      char two[64];
      memcpy(two, buf, j);
      memcpy(two + j, buf + j + 1, n - 2 - j);
      if (fn(two, n - 2, ctx)) return 1;
    }
  }
  return 0;
}

typedef struct key_sink {
  bw_lookalike_index *ix;
  size_t entry;
  int failed;
} key_sink;

static int add_deletion_key(const char *s, size_t n, void *ctx) {
  key_sink *k = ctx;
  if (push_key(k->ix, KEY_DELETION, s, n, k->entry) != 0) k->failed = 1;
  return k->failed;
}

/*
 * Sorts keys by hash, keys of equal hash staying in entry order (they are
 * pushed in entry order): a stable LSD radix sort, four 16-bit digits. qsort
 * of the ~47,000 keys was a fifth of the engine's start-up.
 */
static int sort_keys(la_key *keys, size_t n) {
  la_key *tmp = malloc(n * sizeof(*tmp) + 1);
  size_t *count = malloc(((size_t)1 << 16) * sizeof(*count));
  if (!tmp || !count) {
    free(tmp);
    free(count);
    return -1;
  }
  la_key *from = keys, *to = tmp;
  for (int shift = 0; shift < 64; shift += 16) {
    memset(count, 0, ((size_t)1 << 16) * sizeof(*count));
    for (size_t i = 0; i < n; i++) count[(from[i].hash >> shift) & 0xFFFF]++;
    size_t sum = 0;
    for (size_t d = 0; d < ((size_t)1 << 16); d++) {
      size_t c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (size_t i = 0; i < n; i++) to[count[(from[i].hash >> shift) & 0xFFFF]++] = from[i];
    la_key *swap = from;
    from = to;
    to = swap;
  }
  /* Four passes: the sorted keys are back in `keys`. */
  assert(from == keys);
  free(tmp);
  free(count);
  return 0;
}

static int build_keys(bw_lookalike_index *ix) {
  for (size_t i = 0; i < ix->n; i++) {
    const la_entry *e = &ix->entries[i];
    key_sink sink = {ix, i, 0};
    each_deletion(e->label, e->label_len, add_deletion_key, &sink);
    if (sink.failed || push_key(ix, KEY_LABEL, e->label, e->label_len, i) != 0 ||
        push_key(ix, KEY_SKELETON, e->label_skeleton, strlen(e->label_skeleton), i) != 0 ||
        push_key(ix, KEY_DOMAIN, e->domain, strlen(e->domain), i) != 0)
      return -1;
    if (e->label_len > ix->max_label) ix->max_label = e->label_len;
  }
  if (sort_keys(ix->keys, ix->n_keys) != 0) return -1;
  ix->filter = calloc(FILTER_BITS / 64, sizeof(uint64_t));
  if (!ix->filter) return -1;
  for (size_t i = 0; i < ix->n_keys; i++) {
    uint64_t bit = ix->keys[i].hash % FILTER_BITS;
    ix->filter[bit / 64] |= 1ull << (bit % 64);
  }
  size_t ranges = (size_t)1 << DIRECTORY_BITS;
  if (ix->n_keys >= UINT32_MAX || !(ix->directory = malloc((ranges + 1) * sizeof(uint32_t))))
    return -1;
  size_t k = 0;
  for (size_t b = 0; b < ranges; b++) {
    ix->directory[b] = (uint32_t)k;
    while (k < ix->n_keys && ix->keys[k].hash >> (64 - DIRECTORY_BITS) == b) k++;
  }
  ix->directory[ranges] = (uint32_t)k;
  return 0;
}

/* ---- the index ----------------------------------------------------------------- */

static int add_entry(bw_lookalike_index *ix, const bw_identity *id, const char *domain) {
  const char *dot = strchr(domain, '.');
  if (!dot || dot == domain) return 0;
  la_entry *e = &ix->entries[ix->n];
  e->identity = id;
  e->domain = domain;
  e->domain_len = strlen(domain);
  e->label_len = (size_t)(dot - domain);
  e->label = strndup(domain, e->label_len);
  e->suffix = dot + 1;
  char *u = unicode_form(e->label);
  e->label_skeleton = u ? skeleton_of(ix->spoof, u, strlen(u)) : NULL;
  free(u);
  if (!e->label || !e->label_skeleton) {
    free(e->label);
    free(e->label_skeleton);
    return -1;
  }
  ix->n++;
  return 0;
}

static size_t count_domains(const bw_registry *r) {
  size_t n = 0;
  for (size_t i = 0; i < bw_registry_count(r); i++) n += bw_registry_at(r, i)->n_domains;
  return n;
}

int bw_lookalike_index_new(const bw_registry *registry, bw_lookalike_index **out, bw_error *err) {
  *out = NULL;
  bw_lookalike_index *ix = calloc(1, sizeof(*ix));
  size_t total = count_domains(registry);
  if (!ix || !(ix->entries = calloc(total ? total : 1, sizeof(la_entry)))) {
    free(ix);
    return bw_error_set(err, BW_ENOMEM, "out of memory building the look-alike index");
  }
  static _Atomic uint64_t next_id = 1;
  ix->registry = registry;
  ix->id = next_id++;
  UErrorCode st = U_ZERO_ERROR;
  ix->spoof = uspoof_open(&st);
  if (U_FAILURE(st)) {
    bw_lookalike_index_free(ix);
    return bw_error_set(err, BW_EINTERNAL, "ICU spoof checker: %s", u_errorName(st));
  }
  uspoof_setChecks(ix->spoof, USPOOF_CONFUSABLE, &st);
  read_ascii_alikes(ix);
  if (read_ascii_skeletons(ix) != 0) {
    bw_lookalike_index_free(ix);
    return bw_error_set(err, BW_ENOMEM, "out of memory building the look-alike index");
  }
  for (size_t i = 0; i < bw_registry_count(registry); i++) {
    const bw_identity *id = bw_registry_at(registry, i);
    for (size_t d = 0; d < id->n_domains; d++) {
      if (add_entry(ix, id, id->domains[d]) != 0) {
        bw_lookalike_index_free(ix);
        return bw_error_set(err, BW_ENOMEM, "out of memory building the look-alike index");
      }
    }
  }
  if (build_keys(ix) != 0) {
    bw_lookalike_index_free(ix);
    return bw_error_set(err, BW_ENOMEM, "out of memory building the look-alike index");
  }
  *out = ix;
  return BW_OK;
}

void bw_lookalike_index_free(bw_lookalike_index *ix) {
  if (!ix) return;
  for (size_t i = 0; i < ix->n; i++) {
    free(ix->entries[i].label);
    free(ix->entries[i].label_skeleton);
  }
  for (int c = 0; c < 128; c++) free(ix->ascii_skeleton[c]);
  free(ix->entries);
  free(ix->keys);
  free(ix->filter);
  free(ix->directory);
  if (ix->spoof) uspoof_close(ix->spoof);
  free(ix);
}

/* ---- distances and families ------------------------------------------------------ */

int bw_lookalike_distance(const char *a, size_t la, const char *b, size_t lb, int limit) {
  if ((la > lb ? la - lb : lb - la) > (size_t)limit) return limit + 1;
  if (la > 63 || lb > 63) return limit + 1;
  int d[64][64];
  for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= la; i++) {
    int row_min = limit + 1;
    for (size_t j = 1; j <= lb; j++) {
      int cost = a[i - 1] != b[j - 1];
      int v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
      if (v < row_min) row_min = v;
    }
    if (row_min > limit) return limit + 1;
  }
  return d[la][lb] > limit ? limit + 1 : d[la][lb];
}

static int is_vowel(char c) {
  return c && strchr("aeiouy", c) != NULL;
}

static int is_homoglyph_pair(char a, char b) {
  static const char *const PAIRS[] = {"0o", "1l", "1i", "il", "5s", "vu", "q9", "g9", "2z", "8b"};
  for (size_t i = 0; i < sizeof(PAIRS) / sizeof(PAIRS[0]); i++)
    if ((PAIRS[i][0] == a && PAIRS[i][1] == b) || (PAIRS[i][0] == b && PAIRS[i][1] == a)) return 1;
  return 0;
}

/* The family of a one-character insertion (c is p with c[i] added). */
static const char *insertion_family(const char *c, size_t lc, size_t i) {
  char ch = c[i];
  if (ch == '-') return "hyphenation";
  if ((i > 0 && c[i - 1] == ch) || (i + 1 < lc && c[i + 1] == ch)) return "repetition";
  return i == lc - 1 ? "addition" : "insertion";
}

/* The single-substitution family at position i. */
static const char *substitution_family(char a, char b) {
  if (is_vowel(a) && is_vowel(b)) return "vowel-swap";
  if (is_homoglyph_pair(a, b)) return "homoglyph";
  unsigned x = (unsigned char)a ^ (unsigned char)b;
  if (x && !(x & (x - 1))) return "bitsquatting";
  return "replacement";
}

static size_t first_mismatch(const char *a, const char *b, size_t n) {
  size_t i = 0;
  while (i < n && a[i] == b[i]) i++;
  return i;
}

/* The dnstwist family turning p into c at distance one, or NULL. */
static const char *typo_family(const char *c, size_t lc, const char *p, size_t lp) {
  if (lc == lp + 1) {
    size_t i = first_mismatch(c, p, lp);
    return strncmp(c + i + 1, p + i, lp - i) == 0 ? insertion_family(c, lc, i) : NULL;
  }
  if (lc + 1 == lp) {
    size_t i = first_mismatch(c, p, lc);
    return strncmp(c + i, p + i + 1, lc - i) == 0 ? "omission" : NULL;
  }
  if (lc != lp) return NULL;
  size_t i = first_mismatch(c, p, lc);
  if (i == lc) return NULL;
  if (i + 1 < lc && c[i] == p[i + 1] && c[i + 1] == p[i] && strcmp(c + i + 2, p + i + 2) == 0)
    return "transposition";
  return strncmp(c + i + 1, p + i + 1, lc - i - 1) == 0 ? substitution_family(c[i], p[i]) : NULL;
}

/* Families that keep every letter of a short name, and so stay rare. */
static int keeps_letters(const char *family) {
  return strcmp(family, "repetition") == 0 || strcmp(family, "transposition") == 0 ||
         strcmp(family, "hyphenation") == 0 || strcmp(family, "homoglyph") == 0;
}

/* ---- comparing one candidate ------------------------------------------------------ */

typedef struct la_best {
  int strong; /* see is_strong() */
  int rank;
  const la_entry *entry;
  const char *family;
  int distance;
  const char *part; /* the part of the label that imitates, when not the whole label */
  size_t part_len;
} la_best;

static int is_strong(const la_best *b);

/* Keeps the better of two matches: a strong one first, then the surer rank. */
static void consider(la_best *b, int rank, const la_entry *e, const char *family, int distance,
                     const char *part, size_t part_len) {
  la_best n = {0, rank, e, family, distance, part, part_len};
  n.strong = is_strong(&n);
  if (n.strong > b->strong || (n.strong == b->strong && rank < b->rank)) *b = n;
}

/* Compares a label (or one word of it) with a protected label. */
static void compare_word(la_best *b, const la_entry *e, const char *w, size_t lw, int whole) {
  const char *part = whole ? NULL : w;
  size_t lp = e->label_len;
  if (lw == lp && strncmp(w, e->label, lp) == 0) {
    if (!whole) consider(b, RANK_WORD, e, "dictionary", 0, part, lw);
    return;
  }
  int limit = lp <= 5 ? 1 : 2;
  int d = bw_lookalike_distance(w, lw, e->label, lp, limit);
  if (d > limit) return;
  char word[64];
  if (lw >= sizeof(word)) return;
  memcpy(word, w, lw);
  word[lw] = '\0';
  const char *family = d == 1 ? typo_family(word, lw, e->label, lp) : NULL;
  if (lp <= 3 && (!family || !keeps_letters(family))) return;
  if (family)
    consider(b, RANK_TYPO, e, family, 1, part, lw);
  else if (lp >= 6)
    consider(b, RANK_DISTANCE2, e, "edit_distance", d, part, lw);
  else if (d == 1)
    consider(b, RANK_TYPO, e, "edit_distance", 1, part, lw);
}

static int is_added_word(const char *w, size_t n) {
  for (size_t i = 0; i < sizeof(ADDED_WORDS) / sizeof(ADDED_WORDS[0]); i++)
    if (strlen(ADDED_WORDS[i]) == n && strncmp(w, ADDED_WORDS[i], n) == 0) return 1;
  return 0;
}

/* The label glued to an added word: "bbcnews", "newsbbc", "theguardiannow" (long names). */
static void compare_glued(la_best *b, const la_entry *e, const char *l, size_t ll) {
  size_t lp = e->label_len;
  if (ll < lp + 3 || lp < 3) return; /* one or two letters more are typos, not words */
  int prefix = strncmp(l, e->label, lp) == 0, suffix = strncmp(l + ll - lp, e->label, lp) == 0;
  if (!prefix && !suffix) return;
  /* A long name glued to anything ("theguardiannow"); a short one, which is often an ordinary
     word (nation, times), only to a word attackers add ("bbcnews"). */
  if (lp >= 8 || is_added_word(prefix ? l + lp : l, ll - lp))
    consider(b, RANK_WORD, e, "dictionary", 0, NULL, 0);
}

/* The label, its hyphen-separated words, and the label without hyphens. */
static void compare_label(la_best *b, const la_entry *e, const char *l, size_t ll,
                          const char *suffix) {
  if (ll == e->label_len && strncmp(l, e->label, ll) == 0) {
    if (strcmp(suffix, e->suffix) != 0) consider(b, RANK_WORD, e, "tld-swap", 0, NULL, 0);
    return;
  }
  compare_word(b, e, l, ll, 1);
  compare_glued(b, e, l, ll);
  if (!memchr(l, '-', ll)) return;
  for (const char *w = l; w < l + ll;) {
    const char *end = memchr(w, '-', (size_t)(l + ll - w));
    if (!end) end = l + ll;
    if (end > w) compare_word(b, e, w, (size_t)(end - w), 0);
    w = end + 1;
  }
}

/* The protected domain, or its label, used as a subdomain: theguardian.com.news-hub.test. */
static void compare_subdomain_of(la_best *b, const la_entry *e, const char *host,
                                 size_t prefix_len);

/*
 * The same with the dots written as hyphens in one label, as hosting services
 * name subdomains: rfa-org.news-mirror.test, www-bbc-co-uk.example.
 */
typedef struct dotted_form {
  char s[256];
  size_t n;
  int hyphens; /* 0: nothing to compare (no hyphen, or too long) */
} dotted_form;

/* The first n bytes of s with hyphens as dots; written once per host, not per entry. */
static void make_dotted(dotted_form *d, const char *s, size_t n) {
  d->n = n;
  d->hyphens = n != 0 && n < sizeof(d->s) && memchr(s, '-', n);
  if (!d->hyphens) return;
  for (size_t i = 0; i < n; i++) d->s[i] = s[i] == '-' ? '.' : s[i];
  d->s[n] = '\0';
}

static void compare_dotted(la_best *b, const la_entry *e, const dotted_form *f) {
  if (!f->hyphens) return;
  la_best d = *b;
  compare_subdomain_of(&d, e, f->s, f->n);
  if (d.rank == RANK_SUBDOMAIN && d.distance == 0 && b->rank != RANK_SUBDOMAIN) *b = d;
}

/* host_dotted and label_dotted: the host before the registrable domain, and the label, dotted. */
static void compare_subdomain(la_best *b, const la_entry *e, const char *host, size_t prefix_len,
                              const dotted_form *host_dotted, const dotted_form *label_dotted) {
  compare_subdomain_of(b, e, host, prefix_len);
  compare_dotted(b, e, host_dotted);
  compare_dotted(b, e, label_dotted);
}

static void compare_subdomain_of(la_best *b, const la_entry *e, const char *host,
                                 size_t prefix_len) {
  size_t ld = e->domain_len;
  if (prefix_len >= ld && strncmp(host + prefix_len - ld, e->domain, ld) == 0 &&
      (prefix_len == ld || host[prefix_len - ld - 1] == '.')) {
    consider(b, RANK_SUBDOMAIN, e, "subdomain", 0, NULL, 0);
    return;
  }
  size_t lp = e->label_len;
  if (lp >= 5 && prefix_len >= lp && strncmp(host + prefix_len - lp, e->label, lp) == 0 &&
      (prefix_len == lp || host[prefix_len - lp - 1] == '.'))
    consider(b, RANK_SUBDOMAIN, e, "subdomain", 1, NULL, 0); /* distance 1: the label only */
}

typedef struct la_candidate {
  const char *host;  /* ASCII */
  size_t prefix_len; /* bytes of host before ".registrable" */
  const char *label; /* registrable label (ASCII) */
  size_t label_len;
  const char *suffix;
  char *label_skeleton; /* of the Unicode label */
  int unicode;          /* the label is an IDN */
} la_candidate;

/*
 * The entries a candidate's keys find, in a list that may repeat them: sorted
 * and made unique before they are compared. Few keys find anything, so the
 * list nearly always fits in place, and a check allocates nothing for it.
 *
 * A host makes a few hundred keys, and the filter is larger than the caches:
 * looked up one at a time, each key waited for its own word of the filter to
 * come from memory. Keys are therefore held back in batches, their filter
 * words requested all together, and only then tested.
 */
enum { LOCAL_CANDIDATES = 128, PENDING_KEYS = 256 };

typedef struct candidate_set {
  const bw_lookalike_index *ix;
  uint32_t *list; /* local, or malloc'd once it outgrows it */
  size_t n, cap;
  int failed; /* out of memory: compare nothing */
  uint32_t local[LOCAL_CANDIDATES];
  uint64_t pending[PENDING_KEYS]; /* hashes of keys not yet looked up */
  size_t n_pending;
} candidate_set;

static void add_entry_candidate(candidate_set *cs, uint32_t e) {
  if (cs->n && cs->list[cs->n - 1] == e) return; /* the keys of one word often find it again */
  if (cs->n == cs->cap) {
    size_t cap = cs->cap * 2;
    uint32_t *list = cs->list == cs->local ? malloc(cap * sizeof(*list))
                                           : realloc(cs->list, cap * sizeof(*list));
    if (!list) {
      cs->failed = 1;
      return;
    }
    if (cs->list == cs->local) memcpy(list, cs->local, sizeof(cs->local));
    cs->list = list;
    cs->cap = cap;
  }
  cs->list[cs->n++] = e;
}

/* Whether a key with hash h may exist; if not, it certainly does not. */
static int in_filter(const bw_lookalike_index *ix, uint64_t h) {
  uint64_t bit = h % FILTER_BITS;
  return (ix->filter[bit / 64] >> (bit % 64)) & 1;
}

/* Adds the entries of the keys with hash h. */
static void look_up(candidate_set *cs, uint64_t h) {
  const bw_lookalike_index *ix = cs->ix;
  size_t range = h >> (64 - DIRECTORY_BITS);
  size_t lo = ix->directory[range], hi = ix->directory[range + 1];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (ix->keys[mid].hash < h)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t i = lo; i < ix->n_keys && ix->keys[i].hash == h; i++)
    add_entry_candidate(cs, ix->keys[i].entry);
}

/*
 * Looks up the pending keys (see candidate_set): their filter words are
 * fetched together, then the directory ranges of the keys the filter lets
 * through, and only then are the ranges searched.
 */
static void look_up_pending(candidate_set *cs) {
  const bw_lookalike_index *ix = cs->ix;
  for (size_t i = 0; i < cs->n_pending; i++)
    __builtin_prefetch(&ix->filter[cs->pending[i] % FILTER_BITS / 64]);
  size_t passed = 0;
  for (size_t i = 0; i < cs->n_pending; i++) {
    uint64_t h = cs->pending[i];
    if (!in_filter(ix, h)) continue;
    __builtin_prefetch(&ix->directory[h >> (64 - DIRECTORY_BITS)]);
    cs->pending[passed++] = h;
  }
  for (size_t i = 0; i < passed; i++) look_up(cs, cs->pending[i]);
  cs->n_pending = 0;
}

/* Adds the entries of the keys with hash h, once looked up. */
static void add_hash_candidates(candidate_set *cs, uint64_t h) {
  if (cs->n_pending == PENDING_KEYS) look_up_pending(cs);
  cs->pending[cs->n_pending++] = h;
}

static void add_candidates(candidate_set *cs, char kind, const char *s, size_t n) {
  add_hash_candidates(cs, key_hash(kind, s, n));
}

/* key_hash() continued over s[from..to). */
static uint64_t hash_more(uint64_t h, const char *s, size_t from, size_t to) {
  for (size_t i = from; i < to; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

/*
 * Entries a word can be within edit distance two of, or equal to: the deletion
 * keys of each_deletion(), hashed in place. The hash of the bytes before a
 * deleted one is shared by every deletion after it, and nothing is copied.
 */
static void word_candidates(candidate_set *cs, const char *w, size_t n) {
  if (n > cs->ix->max_label + 2 || n >= 64) return; /* each_deletion() takes no longer words */
  uint64_t before_i = key_hash(KEY_DELETION, w, 0); /* the hash of w[0..i) */
  add_hash_candidates(cs, hash_more(before_i, w, 0, n));
  for (size_t i = 0; i < n; i++) {
    add_hash_candidates(cs, hash_more(before_i, w, i + 1, n)); /* without w[i] */
    uint64_t between = before_i;                               /* w[0..i) then w[i+1..k) */
    for (size_t k = i + 1; k < n; k++) {
      add_hash_candidates(cs, hash_more(between, w, k + 1, n)); /* without w[i] and w[k] */
      between = hash_more(between, w, k, k + 1);
    }
    before_i = hash_more(before_i, w, i, i + 1);
  }
}

/* Every entry the comparisons of best_match could match, whatever the rule. */
static void gather_candidates(candidate_set *cs, const la_candidate *c) {
  const char *l = c->label;
  size_t ll = c->label_len;
  word_candidates(cs, l, ll);
  for (const char *w = l; memchr(l, '-', ll) && w < l + ll;) {
    const char *end = memchr(w, '-', (size_t)(l + ll - w));
    if (!end) end = l + ll;
    if (end > w) word_candidates(cs, w, (size_t)(end - w));
    w = end + 1;
  }
  for (size_t k = 1; k <= ll; k++) { /* the label glued to a word, or with another suffix */
    add_candidates(cs, KEY_LABEL, l, k);
    add_candidates(cs, KEY_LABEL, l + ll - k, k);
  }
  if (c->label_skeleton)
    add_candidates(cs, KEY_SKELETON, c->label_skeleton, strlen(c->label_skeleton));
  for (size_t i = 0; i < c->prefix_len; i++) { /* a protected domain or label as a subdomain */
    if (i > 0 && c->host[i - 1] != '.' && c->host[i - 1] != '-') continue;
    char dotted[256];
    size_t n = c->prefix_len - i;
    if (n >= sizeof(dotted)) continue;
    for (size_t k = 0; k < n; k++) dotted[k] = c->host[i + k] == '-' ? '.' : c->host[i + k];
    add_candidates(cs, KEY_DOMAIN, c->host + i, n);
    add_candidates(cs, KEY_LABEL, c->host + i, n);
    add_candidates(cs, KEY_DOMAIN, dotted, n);
  }
  for (size_t i = 0; memchr(l, '-', ll) && i < ll; i++) { /* www-bbc-co-uk: the label, dotted */
    if (i > 0 && l[i - 1] != '-') continue;
    char dotted[256];
    size_t n = ll - i;
    if (n >= sizeof(dotted)) continue;
    for (size_t k = 0; k < n; k++) dotted[k] = l[i + k] == '-' ? '.' : l[i + k];
    add_candidates(cs, KEY_DOMAIN, dotted, n);
  }
}

static int by_index(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

static la_best best_match(const bw_lookalike_index *ix, const la_candidate *c) {
  la_best b = {.rank = RANK_NONE};
  candidate_set cs = {.ix = ix, .cap = LOCAL_CANDIDATES};
  cs.list = cs.local;
  gather_candidates(&cs, c);
  look_up_pending(&cs);
  if (cs.failed) cs.n = 0;
  qsort(cs.list, cs.n, sizeof(*cs.list), by_index); /* registry order, as when comparing all */
  dotted_form host_dotted, label_dotted;
  make_dotted(&host_dotted, c->host, c->prefix_len);
  make_dotted(&label_dotted, c->label, c->label_len);
  for (size_t k = 0; k < cs.n; k++) {
    if (k && cs.list[k] == cs.list[k - 1]) continue; /* each entry once */
    const la_entry *e = &ix->entries[cs.list[k]];
    compare_subdomain(&b, e, c->host, c->prefix_len, &host_dotted, &label_dotted);
    if (c->label_skeleton && strcmp(c->label_skeleton, e->label_skeleton) == 0 &&
        !(c->label_len == e->label_len && strncmp(c->label, e->label, e->label_len) == 0))
      consider(&b, RANK_SKELETON, e, c->unicode ? "skeleton" : "homoglyph", 0, NULL, 0);
    compare_label(&b, e, c->label, c->label_len, c->suffix);
  }
  if (cs.list != cs.local) free(cs.list);
  return b;
}

/*
 * Whether a match alone is deception (see bw_lookalike_match.strong). Short names are
 * acronyms or ordinary words (kbs, news, salon, globo): other organisations own domains one
 * edit or one word away, so only long names, whole protected domains and skeletons count.
 */
static int is_strong(const la_best *b) {
  size_t lp = b->entry->label_len;
  switch (b->rank) {
  case RANK_SUBDOMAIN:
    return b->distance == 0 || lp >= 6;
  case RANK_SKELETON:
    return 1;
  case RANK_WORD:
    return strcmp(b->family, "tld-swap") == 0 ? lp >= 5 : lp >= 6;
  case RANK_TYPO:
    return lp >= 6 && strcmp(b->family, "edit_distance") != 0 &&
           strcmp(b->family, "replacement") != 0;
  default:
    return 0;
  }
}

static const char *method_of(bw_arena *a, const la_best *b) {
  if (strcmp(b->family, "skeleton") == 0) return "skeleton";
  if (strcmp(b->family, "edit_distance") == 0)
    return bw_arena_printf(a, "edit_distance:%d", b->distance);
  return bw_arena_printf(a, "dnstwist:%s", b->family);
}

static const char *detail_of(bw_arena *a, const la_best *b, const char *host) {
  const la_entry *e = b->entry;
  if (b->rank == RANK_SUBDOMAIN)
    return bw_arena_printf(a, "%s puts %s in front of a domain that is not theirs", host,
                           e->domain);
  if (b->rank == RANK_SKELETON)
    return bw_arena_printf(a, "%s looks the same as %s (same Unicode TR39 skeleton)", host,
                           e->domain);
  if (b->part)
    return b->distance ? bw_arena_printf(a, "%s contains \"%.*s\", a %s of \"%s\" (%s)", host,
                                         (int)b->part_len, b->part, b->family, e->label, e->domain)
                       : bw_arena_printf(a, "%s is the name \"%s\" of %s with a word added", host,
                                         e->label, e->domain);
  if (b->rank == RANK_WORD)
    return bw_arena_printf(a, "%s is the name \"%s\" of %s with %s", host, e->label, e->domain,
                           strcmp(b->family, "tld-swap") == 0 ? "another public suffix"
                                                              : "a word added");
  return bw_arena_printf(a, "%s differs from %s by %s", host, e->domain, b->family);
}

static int fill_candidate(la_candidate *c, char *host, const char *reg) {
  size_t lh = strlen(host), lr = strlen(reg);
  if (lr > lh || strcmp(host + lh - lr, reg) != 0) return -1;
  c->host = host;
  c->prefix_len = lh > lr ? lh - lr - 1 : 0;
  c->label = host + lh - lr;
  const char *dot = strchr(c->label, '.');
  if (!dot) return -1;
  c->label_len = (size_t)(dot - c->label);
  c->suffix = dot + 1;
  return 0;
}

static int check_ascii(const bw_lookalike_index *ix, const bw_url_ctx *urls, bw_arena *a,
                       char *host, bw_lookalike_match *m) {
  const char *reg = bw_url_registrable_domain(urls, a, host);
  if (!reg) return 0;
  char *reg_ascii = ascii_form(reg);
  if (!reg_ascii) return 0;
  la_candidate c = {0};
  int rc = 0;
  if (!bw_registry_owner_of(ix->registry, reg_ascii) && !bw_freemail_is(reg_ascii) &&
      fill_candidate(&c, host, reg_ascii) == 0) {
    char *label = strndup(c.label, c.label_len);
    char *u = label ? unicode_form(label) : NULL;
    c.unicode = u && !is_ascii(u);
    c.label_skeleton = u ? label_skeleton(ix, u, strlen(u)) : NULL;
    la_best b = best_match(ix, &c);
    if (b.rank != RANK_NONE) {
      *m = (bw_lookalike_match){b.entry->identity, b.entry->domain,        method_of(a, &b),
                                b.family,          detail_of(a, &b, host), b.strong};
      rc = m->method && m->detail ? 1 : -1;
    }
    free(label);
    free(u);
    free(c.label_skeleton);
  }
  free(reg_ascii);
  return rc;
}

/*
 * Most hosts a scan checks are ordinary and recur (a list's own domain, the
 * same CDNs), so each thread remembers recent hosts that matched nothing.
 */
enum { CLEAN_CACHE = 1024, CLEAN_CACHE_HOST = 80 };

typedef struct clean_host {
  uint64_t ix; /* the index's id */
  char host[CLEAN_CACHE_HOST];
} clean_host;

static _Thread_local clean_host clean_cache[CLEAN_CACHE];

static clean_host *clean_slot(const char *host, size_t n) {
  return &clean_cache[key_hash('h', host, n) % CLEAN_CACHE];
}

int bw_lookalike_check(const bw_lookalike_index *ix, const bw_url_ctx *urls, bw_arena *a,
                       const char *host, bw_lookalike_match *m) {
  memset(m, 0, sizeof(*m));
  if (!ix || !host || !*host) return 0;
  size_t hn = strlen(host);
  clean_host *slot = hn < CLEAN_CACHE_HOST ? clean_slot(host, hn) : NULL;
  if (slot && slot->ix == ix->id && strcmp(slot->host, host) == 0) return 0;
  char *ascii = ascii_form(host);
  if (!ascii) return 0;
  size_t n = strlen(ascii);
  if (n && ascii[n - 1] == '.') ascii[n - 1] = '\0';
  int rc = check_ascii(ix, urls, a, ascii, m);
  free(ascii);
  if (rc == 0 && slot) {
    slot->ix = ix->id;
    memcpy(slot->host, host, hn + 1);
  }
  return rc;
}

/* ---- exact labels and mixed-script words ------------------------------------------- */

const bw_identity *bw_lookalike_label_owner(const bw_lookalike_index *ix, const char *word,
                                            size_t len) {
  if (!ix || len < 3) return NULL;
  for (size_t i = 0; i < ix->n; i++) {
    const la_entry *e = &ix->entries[i];
    size_t lp = e->label_len;
    /* A label that is itself an ordinary word (news.cn) names nobody in "news.desk". */
    if (lp < 3 || lp > len || e->label[0] != word[0] || strncmp(word, e->label, lp) != 0 ||
        is_added_word(e->label, lp))
      continue;
    if (lp == len || is_added_word(word + lp, len - lp)) return e->identity;
  }
  return NULL;
}

/* The single ASCII letter a code point looks like, or 0. */
static char ascii_lookalike(const USpoofChecker *sc, const char *s, size_t n) {
  char buf[16];
  UErrorCode st = U_ZERO_ERROR;
  int32_t len = uspoof_getSkeletonUTF8(sc, 0, s, (int32_t)n, buf, (int32_t)sizeof(buf), &st);
  if (U_FAILURE(st) || len != 1) return 0;
  char c = buf[0];
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ? c : 0;
}

static int word_has_ascii_letter(const char *w, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= 'A' && w[i] <= 'Z')) return 1;
  return 0;
}

/* Folds one word into out (room for n bytes); returns the bytes written. */
static size_t fold_word(const bw_lookalike_index *ix, const char *w, size_t n, char *out,
                        int *changed) {
  if (!word_has_ascii_letter(w, n)) {
    memcpy(out, w, n);
    return n;
  }
  size_t o = 0;
  for (int32_t i = 0; i < (int32_t)n;) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(w, i, (int32_t)n, c);
    char ascii = c < 0x80          ? 0
                 : c < ALIKE_TABLE ? ix->ascii_alike[c]
                                   : ascii_lookalike(ix->spoof, w + start, (size_t)(i - start));
    if (ascii) {
      out[o++] = ascii;
      *changed = 1;
    } else {
      memcpy(out + o, w + start, (size_t)(i - start));
      o += (size_t)(i - start);
    }
  }
  return o;
}

const char *bw_lookalike_fold_mixed_script(const bw_lookalike_index *ix, bw_arena *a,
                                           const char *text, int *changed) {
  *changed = 0;
  if (!ix || !text || is_ascii(text)) return text;
  size_t n = strlen(text);
  char *out = bw_arena_alloc(a, n + 1);
  if (!out) return text;
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && text[j] != ' ') j++;
    o += fold_word(ix, text + i, j - i, out + o, changed);
    if (j < n) out[o++] = ' ';
    i = j + 1;
  }
  out[o] = '\0';
  return *changed ? out : text;
}
