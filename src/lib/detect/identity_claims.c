/*
 * identity_claims.c - reading who a message claims to be from.
 *
 * Claims come from the display name ("BBC News", "Tobias Rusk, BBC News",
 * "Name | Outlet", "Name (Outlet)", "Name via Service", "Senator Name"), the
 * local part of a free-mail address (bbcnews.alerts@gmail.com), addresses or
 * domains written inside the display name, and the signature: the short lines
 * at the end of the text ("Political Editor, Reuters", "Member of Parliament",
 * a bare domain). A claim only names who; whether the sender's domain backs
 * it is decided in identity.c. Hedged words ("contributor", "freelance",
 * "former") turn a claim into an association that cannot be an impersonation
 * on its own. Sentences that merely mention an outlet ("published by BBC News
 * and others", "Copyright Reuters") are not claims.
 */
#include <pthread.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "detect/freemail.h"
#include "detect/identity.h"
#include "detect/wordlist.h"
#include "html/entities.h"

enum {
  MAX_IDS = 4,
  MAX_SIG_LINES = 12,
  MAX_LINE = 100,
  MAX_CLAIM_WORDS = 8,
  MAX_HEDGED_WORDS = 14
};

/* Words that make a claim an association rather than an identity. */
static const char *const HEDGES[] = {"contributor", "contributors", "contributing", "freelance",
                                     "freelancer",  "former",       "formerly",     "ex-",
                                     "retired",     "fan",          "reader",       "subscriber",
                                     "alumnus",     "alumna",       "writing for",  "writes for"};

/* Words of a sentence that mentions a name without claiming it. */
static const char *const SENTENCE_WORDS[] = {
    "published",   "copyright", "(c)",       "rights", "reserved", "read",
    "story",       "article",   "according", "said",   "says",     "reported",
    "reports",     "courtesy",  "reprinted", "sent",   "follow",   "subscribe",
    "unsubscribe", "by",        "watch",     "listen", "view",     "click"};

/* Titles of elected and appointed office, in the languages of parliaments we know. */
static const char *const TITLES[] = {"Senator",
                                     "Sen.",
                                     "MP",
                                     "MEP",
                                     "MdB",
                                     "Member of Parliament",
                                     "Member of the European Parliament",
                                     "Member of Congress",
                                     "Congressman",
                                     "Congresswoman",
                                     "Rep.",
                                     "Parliamentarian",
                                     "Lawmaker",
                                     "Legislator",
                                     "Minister",
                                     "Hon.",
                                     "Honourable",
                                     "Honorable",
                                     "Rt Hon",
                                     "Office of",
                                     "Councillor",
                                     "Député",
                                     "Députée",
                                     "Sénateur",
                                     "Sénatrice",
                                     "Abgeordnete",
                                     "Abgeordneter",
                                     "Diputado",
                                     "Diputada",
                                     "Senador",
                                     "Senadora",
                                     "Deputato",
                                     "Deputata",
                                     "Poseł",
                                     "Posłanka",
                                     "Депутат",
                                     "議員",
                                     "立法委員",
                                     "议员",
                                     "국회의원"};

/* Words that never appear in a person's name but often next to an outlet's. */
static const char *const GENERIC[] = {"news",
                                      "newsdesk",
                                      "desk",
                                      "briefing",
                                      "briefings",
                                      "alerts",
                                      "alert",
                                      "editorial",
                                      "team",
                                      "digest",
                                      "daily",
                                      "weekly",
                                      "edition",
                                      "breaking",
                                      "update",
                                      "updates",
                                      "newsletter",
                                      "service",
                                      "services",
                                      "office",
                                      "press",
                                      "media",
                                      "world",
                                      "headlines",
                                      "report",
                                      "bulletin",
                                      "editors",
                                      "the",
                                      "of",
                                      "and",
                                      "morning",
                                      "evening",
                                      "post",
                                      "times",
                                      "radio",
                                      "tv",
                                      "channel",
                                      "network",
                                      "online",
                                      "staff",
                                      "international",
                                      "support",
                                      "info",
                                      "admin",
                                      "customer",
                                      "sales",
                                      "marketing",
                                      "noreply",
                                      "mailer",
                                      "list",
                                      "notifications",
                                      "security",
                                      "account",
                                      "group",
                                      "club",
                                      "foundation",
                                      "institute",
                                      "center",
                                      "centre",
                                      "university",
                                      "department",
                                      "committee",
                                      "council",
                                      "magazine"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- words ---------------------------------------------------------------------------- */

static const char *const VIA[] = {"via"};

/* HEDGES then SENTENCE_WORDS, so that one pass over a signature line finds both. */
static const char *LINE_WORDS[COUNT(HEDGES) + COUNT(SENTENCE_WORDS)];

#define HEDGE_BITS ((UINT64_C(1) << COUNT(HEDGES)) - 1)
#define SENTENCE_BITS (((UINT64_C(1) << COUNT(SENTENCE_WORDS)) - 1) << COUNT(HEDGES))

_Static_assert(COUNT(LINE_WORDS) <= BW_WORDLIST_MAX && COUNT(TITLES) <= BW_WORDLIST_MAX,
               "a word list has one bit per word");

/*
 * The lists above, ready for one pass over a text each (wordlist.h): every
 * display name and signature line is searched for all of them, which word by
 * word was the most expensive part of reading claims. Built once, then only read.
 */
typedef struct claim_words {
  bw_wordlist line; /* LINE_WORDS: the hedges and the words of sentences */
  bw_wordlist titles, via;
} claim_words;

static claim_words WORDS;
static pthread_once_t words_once = PTHREAD_ONCE_INIT;

static void build_words(void) {
  memcpy(LINE_WORDS, HEDGES, sizeof(HEDGES));
  memcpy(LINE_WORDS + COUNT(HEDGES), SENTENCE_WORDS, sizeof(SENTENCE_WORDS));
  /* The lists are constant and fit (asserted above), so none of these can fail. */
  bw_wordlist_init(&WORDS.line, LINE_WORDS, COUNT(LINE_WORDS), 0);
  /* Case matters for short titles ("MP", not "mp3"). */
  bw_wordlist_init(&WORDS.titles, TITLES, COUNT(TITLES), 4);
  bw_wordlist_init(&WORDS.via, VIA, COUNT(VIA), 0);
}

static const claim_words *words(void) {
  pthread_once(&words_once, build_words);
  return &WORDS;
}

static int is_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static int lower(int c) {
  return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int prefix_at(const char *s, const char *w, size_t n, int fold) {
  for (size_t i = 0; i < n; i++) {
    if (!s[i]) return 0;
    if (fold ? lower((unsigned char)s[i]) != lower((unsigned char)w[i]) : s[i] != w[i]) return 0;
  }
  return 1;
}

/* The first title of the list (not of the text) that text holds, or NULL. */
static const char *find_title(const char *text) {
  uint64_t found = bw_wordlist_in(&words()->titles, text);
  return found ? TITLES[bw_wordlist_first(found)] : NULL;
}

static int is_generic(const char *w, size_t n) {
  /* The list is lowercase: most words are told apart by their first letter. */
  for (size_t i = 0; i < COUNT(GENERIC); i++)
    if (GENERIC[i][0] == lower((unsigned char)w[0]) && strlen(GENERIC[i]) == n &&
        prefix_at(w, GENERIC[i], n, 1))
      return 1;
  return 0;
}

static size_t count_words(const char *s) {
  size_t n = 0;
  for (const char *p = s; *p;) {
    while (*p == ' ' || *p == '\t') p++;
    if (!*p) break;
    n++;
    while (*p && *p != ' ' && *p != '\t') p++;
  }
  return n;
}

/* One word of a person's name: "Tobias", "O'Neill", "Jean-Luc", "J.", or non-Latin letters. */
static int name_word(const char *w, size_t n) {
  unsigned char c = (unsigned char)w[0];
  if (!((c >= 'A' && c <= 'Z') || c >= 0x80) || is_generic(w, n)) return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char x = (unsigned char)w[i];
    if ((x >= '0' && x <= '9') || x == '@' || (x == '.' && !(n == 2 && i == 1))) return 0;
  }
  return 1;
}

/* Two to four capitalised name words, or one run of non-Latin letters ("王小明"). */
static int looks_like_person(const char *s) {
  size_t words = 0, ascii_letters = 0;
  for (const char *p = s; *p;) {
    while (*p == ' ') p++;
    if (!*p) break;
    const char *e = p;
    while (*e && *e != ' ') e++;
    if (!name_word(p, (size_t)(e - p))) return 0;
    for (const char *q = p; q < e; q++) ascii_letters += (unsigned char)*q < 0x80;
    words++;
    p = e;
  }
  if (words == 1) return ascii_letters == 0 && strlen(s) >= 4 && strlen(s) <= 24;
  return words >= 2 && words <= 4;
}

static char *trim_copy(bw_arena *a, const char *s, size_t n) {
  while (n && (*s == ' ' || *s == '\t' || *s == '"' || *s == '\'')) s++, n--;
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '"' || s[n - 1] == '\'' ||
               s[n - 1] == '\r'))
    n--;
  return bw_arena_strndup(a, s, n);
}

/*
 * Removes title words so that "Senator Wren Kolstad" leaves "Wren Kolstad".
 * Titles are blanked in the order of the list, each wherever it occurs; the
 * spaces left behind can make a later title a word of its own, so the titles
 * still present are read again after each one blanked.
 */
static char *without_titles(bw_arena *a, const char *s) {
  const bw_wordlist *titles = &words()->titles;
  uint64_t present = bw_wordlist_in(titles, s);
  if (!present) return trim_copy(a, s, strlen(s)); /* nearly always: no title at all */
  char *out = bw_arena_strdup(a, s);
  if (!out) return NULL;
  while (present) {
    size_t i = bw_wordlist_first(present);
    char *p;
    while ((p = (char *)bw_wordlist_find(titles, i, out))) memset(p, ' ', titles->len[i]);
    present = bw_wordlist_in(titles, out) & ~(((uint64_t)2 << i) - 1);
  }
  return trim_copy(a, out, strlen(out));
}

/* ---- registry searches ------------------------------------------------------------------ */

/*
 * The last registry search made for a text. The same text is often searched
 * twice: a display name and its only segment ("Robert Elz"), a signature line
 * as a person and then as a claim. Searching costs a fold and a walk of the
 * automaton; comparing with the text searched last costs a strcmp.
 */
typedef struct names_memo {
  const char *text; /* NULL: nothing searched yet */
  size_t n;
  const bw_identity *ids[MAX_IDS];
} names_memo;

/* bw_registry_find_names() on text into ids (room for MAX_IDS), through memo when not NULL. */
static size_t find_names(const bw_claim_env *env, const char *text, names_memo *memo,
                         const bw_identity **ids) {
  if (memo && memo->text && strcmp(memo->text, text) == 0) {
    memcpy(ids, memo->ids, memo->n * sizeof(*ids));
    return memo->n;
  }
  size_t n = bw_registry_find_names(env->registry, text, strlen(text), ids, MAX_IDS);
  if (memo) {
    memo->text = text;
    memo->n = n;
    memcpy(memo->ids, ids, n * sizeof(*ids));
  }
  return n;
}

/* ---- the person in a display name ------------------------------------------------------- */

static int is_separator(const char *p, size_t *len) {
  static const char *const SEPS[] = {" | ", "|", ",", "(", ")", " - ",  " – ", " — ",
                                     "/",   ":", ";", "[", "]", " at ", " @ "};
  /* Called for every byte of a name: most bytes begin no separator at all. */
  if (!*p || !strchr(" |,()/:;[]", *p)) return 0;
  for (size_t i = 0; i < COUNT(SEPS); i++) {
    if (SEPS[i][0] != *p) continue;
    size_t n = strlen(SEPS[i]);
    if (strncmp(p, SEPS[i], n) == 0) {
      *len = n;
      return 1;
    }
  }
  return 0;
}

static const char *person_segment(const bw_claim_env *env, const char *seg, names_memo *memo) {
  const bw_identity *ids[MAX_IDS];
  char *clean = without_titles(env->arena, seg);
  if (!clean || !*clean) return NULL;
  /* The cheap test first: most segments are no person, and then the registry need not look. */
  if (!looks_like_person(clean)) return NULL;
  return find_names(env, clean, memo, ids) ? NULL : clean;
}

/* bw_claims_person_in_name(), with the registry searches through memo (or not, when NULL). */
static const char *person_in_name(const bw_claim_env *env, const char *name, names_memo *memo) {
  if (!name) return NULL;
  for (const char *p = name; *p;) {
    const char *e = p;
    size_t sep = 0;
    while (*e && !is_separator(e, &sep)) e++;
    char *seg = trim_copy(env->arena, p, (size_t)(e - p));
    const char *person = seg && *seg ? person_segment(env, seg, memo) : NULL;
    if (person) return person;
    p = *e ? e + sep : e;
  }
  return NULL;
}

const char *bw_claims_person_in_name(const bw_claim_env *env, const char *name) {
  return person_in_name(env, name, NULL);
}

/* ---- claims ------------------------------------------------------------------------- */

static void add_claim(bw_claim_list *out, bw_identity_claim c) {
  if (out->n < COUNT(out->items)) out->items[out->n++] = c;
}

static bw_identity_kind kind_for(const bw_identity *id, const char *person, const char *title) {
  if (id && (id->kind == BW_IDENTITY_JOURNALIST || id->kind == BW_IDENTITY_POLITICIAN))
    return id->kind;
  if (title) return BW_IDENTITY_POLITICIAN;
  if (id && id->kind == BW_IDENTITY_OUTLET && person) return BW_IDENTITY_JOURNALIST;
  return id ? id->kind : BW_IDENTITY_ORGANISATION;
}

static const char *person_for(const bw_identity *id, const char *person) {
  if (id && (id->kind == BW_IDENTITY_JOURNALIST || id->kind == BW_IDENTITY_POLITICIAN))
    return id->name;
  return person;
}

/* Addresses and domains written inside a display name: "news@bbc.co.uk" <x@example.test>. */
static void claims_from_written_domains(const bw_claim_env *env, const char *name,
                                        bw_claim_list *out) {
  for (const char *p = name; *p;) {
    while (*p && !is_alnum((unsigned char)*p)) p++;
    const char *e = p;
    while (*e && (is_alnum((unsigned char)*e) || strchr(".-_@+", *e))) e++;
    const char *start = p;
    p = e;
    if (!memchr(start, '.', (size_t)(e - start))) continue; /* no domain: not worth a copy */
    char *tok = bw_arena_strndup(env->arena, start, (size_t)(e - start));
    if (!tok) continue;
    const char *at = strrchr(tok, '@');
    const char *reg = bw_url_registrable_domain(env->urls, env->arena, at ? at + 1 : tok);
    const bw_identity *id = reg ? bw_registry_owner_of(env->registry, reg) : NULL;
    if (id)
      add_claim(out, (bw_identity_claim){.source = BW_CLAIM_ADDRESS_IN_NAME,
                                         .kind = id->kind,
                                         .identity = id,
                                         .person = person_for(id, NULL),
                                         .text = tok});
  }
}

void bw_claims_from_display_name(const bw_claim_env *env, const char *name, bw_claim_list *out) {
  if (!name || !*name) return;
  int changed = 0;
  const char *folded = bw_lookalike_fold_mixed_script(env->lookalikes, env->arena, name, &changed);
  if (changed) out->homoglyphs = 1;
  const char *via = bw_wordlist_find(&words()->via, 0, folded);
  char *left = via ? trim_copy(env->arena, folded, (size_t)(via - folded)) : (char *)folded;
  if (!left) return;
  claims_from_written_domains(env, left, out);
  const bw_identity *ids[MAX_IDS];
  names_memo memo = {0};
  size_t n = find_names(env, left, &memo, ids);
  int hedged = (bw_wordlist_in(&words()->line, left) & HEDGE_BITS) != 0;
  const char *title = find_title(left);
  const char *person = person_in_name(env, left, &memo);
  /* The signature needs the person of the name as written: the same one, unless "via" or
     look-alike letters made left another text. */
  out->name_person = left == name ? person : person_in_name(env, name, &memo);
  for (size_t i = 0; i < n; i++) {
    bw_claim_source src = via      ? BW_CLAIM_NAME_VIA_SERVICE
                          : person ? BW_CLAIM_NAME_AND_OUTLET
                                   : BW_CLAIM_DISPLAY_NAME;
    add_claim(out, (bw_identity_claim){.source = src,
                                       .kind = kind_for(ids[i], person, title),
                                       .identity = ids[i],
                                       .person = person_for(ids[i], person),
                                       .text = name,
                                       .hedged = hedged});
  }
  if (!n && title)
    add_claim(out, (bw_identity_claim){.source = BW_CLAIM_TITLE,
                                       .kind = BW_IDENTITY_POLITICIAN,
                                       .person = person ? person : without_titles(env->arena, left),
                                       .text = name,
                                       .hedged = hedged});
}

/* A short word of a local part counts only when it is also a name of the identity ("bbc",
   "scmp"), not merely the label of one of its domains ("news" of news.cn). */
static int names_identity(const bw_claim_env *env, const char *word, size_t n,
                          const bw_identity *id) {
  const bw_identity *ids[MAX_IDS];
  size_t found = bw_registry_find_names(env->registry, word, n, ids, MAX_IDS);
  for (size_t i = 0; i < found; i++)
    if (ids[i] == id) return 1;
  return 0;
}

void bw_claims_from_local_part(const bw_claim_env *env, const char *address, bw_claim_list *out) {
  const char *at = address ? strrchr(address, '@') : NULL;
  if (!at) return;
  for (const char *p = address; p < at;) {
    while (p < at && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) p++;
    const char *e = p;
    while (e < at && ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z'))) e++;
    char word[64];
    size_t n = (size_t)(e - p);
    if (n && n < sizeof(word)) {
      for (size_t i = 0; i < n; i++) word[i] = (char)lower((unsigned char)p[i]);
      const bw_identity *id = bw_lookalike_label_owner(env->lookalikes, word, n);
      if (id && (n >= 6 || names_identity(env, word, n, id))) {
        add_claim(out, (bw_identity_claim){.source = BW_CLAIM_LOCAL_PART,
                                           .kind = id->kind,
                                           .identity = id,
                                           .person = person_for(id, NULL),
                                           .text = address});
        return;
      }
    }
    p = e;
  }
}

/* ---- the signature ---------------------------------------------------------------------- */

/* A line that is only a domain or URL ("parliament-b.example", "https://www.rfa.org/"): its host.
 */
static const char *line_domain(bw_arena *a, const char *line) {
  if (strchr(line, ' ') || !strchr(line, '.')) return NULL;
  const char *p = line;
  const char *scheme = strstr(p, "://");
  if (scheme) p = scheme + 3;
  if (strncmp(p, "www.", 4) == 0) p += 4;
  const char *e = p;
  while (*e && (is_alnum((unsigned char)*e) || *e == '.' || *e == '-')) e++;
  if (*e && *e != '/') return NULL;
  return bw_arena_strndup(a, p, (size_t)(e - p));
}

/* The line with URLs blanked, so that "www.scmp.com/..." does not read as the name SCMP. */
static char *without_urls(bw_arena *a, const char *line) {
  char *out = bw_arena_strdup(a, line);
  if (!out) return NULL;
  for (char *p = out; *p; p++) {
    if ((*p != 'h' && *p != 'w') || (strncmp(p, "http", 4) != 0 && strncmp(p, "www.", 4) != 0))
      continue;
    if (p != out && p[-1] != ' ' && p[-1] != '<' && p[-1] != '(') continue;
    while (*p && *p != ' ') *p++ = ' ';
    if (!*p) break;
  }
  return out;
}

typedef struct sig_lines {
  char *items[MAX_SIG_LINES];
  const char *hosts[MAX_SIG_LINES]; /* the domain a line consists of (line_domain), or NULL */
  names_memo names[MAX_SIG_LINES];  /* each line's last registry search */
  size_t n;
} sig_lines;

static void split_lines(bw_arena *a, const char *sig, sig_lines *out) {
  for (const char *p = sig; *p && out->n < MAX_SIG_LINES;) {
    const char *e = strchr(p, '\n');
    if (!e) e = p + strlen(p);
    char *line = trim_copy(a, p, (size_t)(e - p));
    if (line && *line && strlen(line) <= MAX_LINE) {
      out->hosts[out->n] = line_domain(a, line);
      out->items[out->n++] = line;
    }
    p = *e ? e + 1 : e;
  }
}

typedef struct sig_facts {
  const char *person;
  const char *title;
  const char *org_domain;
} sig_facts;

static sig_facts signature_facts(const bw_claim_env *env, sig_lines *lines,
                                 const char *display_person) {
  sig_facts f = {.person = display_person};
  const bw_identity *ids[MAX_IDS];
  for (size_t i = 0; i < lines->n; i++) {
    const char *line = lines->items[i], *host = lines->hosts[i];
    if (host) {
      const char *reg = bw_url_registrable_domain(env->urls, env->arena, host);
      if (reg && !f.org_domain && !bw_freemail_is(reg)) f.org_domain = reg;
      continue;
    }
    const char *title = count_words(line) <= 6 ? find_title(line) : NULL;
    if (title && !f.title) f.title = title;
    if (!f.person && looks_like_person(line) && !find_names(env, line, &lines->names[i], ids))
      f.person = line;
  }
  return f;
}

static int is_connector(const char *w, size_t n) {
  static const char *const CONNECTORS[] = {"of",  "at",  "for", "and", "&",   "the", "de",
                                           "du",  "des", "la",  "le",  "el",  "y",   "und",
                                           "für", "di",  "da",  "van", "von", "in"};
  for (size_t i = 0; i < COUNT(CONNECTORS); i++)
    if (CONNECTORS[i][0] == w[0] && strlen(CONNECTORS[i]) == n && strncmp(w, CONNECTORS[i], n) == 0)
      return 1;
  return 0;
}

/* A signature line reads like a title or a name ("Political Editor, Reuters", "BBC News"), not
   like a sentence or the end of one: it starts with a capital, every other word is capitalised,
   in another script, or a connector ("of", "at"), and it does not end with a full stop. */
static int has_title_shape(const char *text) {
  size_t n = strlen(text);
  if (n && text[n - 1] == '.') return 0; /* the end of a sentence */
  int first = 1;
  for (const char *p = text; *p;) {
    p += strspn(p, " \t,;:|/()-");
    if (!*p) break;
    const char *e = p + strcspn(p, " \t,;:|/()");
    unsigned char c = (unsigned char)*p;
    int capital = (c >= 'A' && c <= 'Z') || c >= 0x80;
    if (!capital && (first || !is_connector(p, (size_t)(e - p)))) return 0;
    first = 0;
    p = e;
  }
  return 1;
}

/* The claims of one signature line naming protected identities. memo: the line's last registry
   search (signature_facts may have searched it as a person). */
static size_t line_claims(const bw_claim_env *env, const char *line, names_memo *memo,
                          const sig_facts *f, bw_claim_list *out) {
  char *text = without_urls(env->arena, line);
  size_t len = text ? strlen(text) : 0;
  /* "SF Weekly:" introduces a quotation; it does not sign the message. */
  if (!len || text[len - 1] == ':') return 0;
  uint64_t found = bw_wordlist_in(&words()->line, text);
  int hedged = (found & HEDGE_BITS) != 0;
  if (count_words(text) > (hedged ? MAX_HEDGED_WORDS : MAX_CLAIM_WORDS)) return 0;
  if (!hedged && ((found & SENTENCE_BITS) || !has_title_shape(text))) return 0;
  int changed = 0;
  const char *folded = bw_lookalike_fold_mixed_script(env->lookalikes, env->arena, text, &changed);
  const bw_identity *ids[MAX_IDS];
  size_t n = find_names(env, folded, memo, ids);
  if (n && changed) out->homoglyphs = 1;
  for (size_t i = 0; i < n; i++)
    add_claim(out, (bw_identity_claim){.source = BW_CLAIM_SIGNATURE,
                                       .kind = kind_for(ids[i], f->person, f->title),
                                       .identity = ids[i],
                                       .person = person_for(ids[i], f->person),
                                       .text = line,
                                       .hedged = hedged});
  return n;
}

void bw_claims_from_signature(const bw_claim_env *env, const char *sig, const char *display_person,
                              bw_claim_list *out) {
  if (!sig) return;
  sig_lines lines = {0};
  split_lines(env->arena, sig, &lines);
  sig_facts f = signature_facts(env, &lines, display_person);
  size_t n = 0;
  for (size_t i = 0; i < lines.n; i++)
    if (!lines.hosts[i]) n += line_claims(env, lines.items[i], &lines.names[i], &f, out);
  if (n || !f.title || !f.person) return;
  const bw_identity *org = f.org_domain ? bw_registry_owner_of(env->registry, f.org_domain) : NULL;
  add_claim(out, (bw_identity_claim){.source = BW_CLAIM_SIGNATURE,
                                     .kind = BW_IDENTITY_POLITICIAN,
                                     .identity = org,
                                     .person = f.person,
                                     .org_domain = f.org_domain,
                                     .text = f.title});
}

/* ---- the signature block of a message --------------------------------------------------- */

/*
 * Tags that start a new line of text: br, p, div, tr, li, h1 to h6, table,
 * blockquote, hr, ul, ol (any case). Asked of every tag of every HTML body,
 * so decided by length and letters rather than by comparing with each name.
 */
static int is_block_tag(const char *name, size_t n) {
  int a = n ? lower((unsigned char)name[0]) : 0, b = n > 1 ? lower((unsigned char)name[1]) : 0;
  switch (n) {
  case 1:
    return a == 'p';
  case 2:
    return (b == 'r' && (a == 'b' || a == 't' || a == 'h')) || (a == 'l' && b == 'i') ||
           (a == 'h' && b >= '1' && b <= '6') || (b == 'l' && (a == 'u' || a == 'o'));
  case 3:
    return prefix_at(name, "div", 3, 1);
  case 5:
    return prefix_at(name, "table", 5, 1);
  case 10:
    return prefix_at(name, "blockquote", 10, 1);
  default:
    return 0;
  }
}

/*
 * memchr(s, c, end - s). A body has hundreds of tags, most a few dozen bytes
 * long: looked for inline, sixteen bytes at a time where SSE2 can, the end of
 * each costs less than a call.
 */
static const char *find_byte(const char *s, const char *end, char c) {
#ifdef __SSE2__
  const __m128i want = _mm_set1_epi8(c);
  for (; end - s >= 16; s += 16) {
    int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)s), want));
    if (mask) return s + __builtin_ctz((unsigned)mask);
  }
#endif
  return memchr(s, c, (size_t)(end - s));
}

/* Skips a tag at s[0] == '<' (before end, where the text stops). Sets *newline for a block
   tag, and *skip_to to the end tag to look for after a style or script tag. */
static const char *skip_tag(const char *s, const char *end, int *newline, const char **skip_to) {
  const char *name = s + 1 + (s[1] == '/');
  size_t n = 0;
  while (name[n] && is_alnum((unsigned char)name[n])) n++;
  *newline = is_block_tag(name, n);
  const char *close = find_byte(s, end, '>');
  if (!close) return end;
  *skip_to = NULL;
  if (s[1] != '/' &&
      ((n == 5 && prefix_at(name, "style", 5, 1)) || (n == 6 && prefix_at(name, "script", 6, 1))))
    *skip_to = n == 5 ? "</style" : "</script";
  return close + 1;
}

/* The first end tag w ("</style") in s (before end), in any case. */
static const char *find_end_tag(const char *s, const char *end, const char *w) {
  size_t n = strlen(w);
  for (s = find_byte(s, end, '<'); s; s = find_byte(s + 1, end, '<'))
    if (prefix_at(s, w, n, 1)) return s;
  return NULL;
}

/* In html_text(), what each byte of plain text becomes: line breaks and tabs a space (blocks
   make the lines), '<' and '&' 0 (they end the run), other bytes themselves. */
static unsigned char PLAIN[256];
static pthread_once_t plain_once = PTHREAD_ONCE_INIT;

/*
 * The references that make nearly all of those in mail (&nbsp; alone half),
 * with what bw_html_decode_ref() makes of them: written in full, with the
 * semicolon, they mean the same wherever they are, so each is decoded once
 * here instead of searched for in the table of names every time.
 */
static struct common_ref {
  const char *ref;
  size_t len;
  char value[BW_HTML_REF_MAX];
  size_t value_len;
} COMMON_REFS[] = {
    {.ref = "&nbsp;"}, {.ref = "&quot;"}, {.ref = "&gt;"}, {.ref = "&lt;"}, {.ref = "&amp;"}};

static void build_plain(void) {
  for (int c = 0; c < 256; c++) PLAIN[c] = (unsigned char)c;
  PLAIN['\n'] = PLAIN['\r'] = PLAIN['\t'] = ' ';
  PLAIN['<'] = PLAIN['&'] = 0;
  for (size_t i = 0; i < COUNT(COMMON_REFS); i++) {
    struct common_ref *r = &COMMON_REFS[i];
    size_t errs = 0;
    r->len = strlen(r->ref);
    if (bw_html_decode_ref(r->ref, r->len, 0, r->value, &r->value_len, &errs) != r->len)
      r->len = 0; /* never happens; and then the reference is decoded as any other */
  }
}

/* A reference of COMMON_REFS at p (before end), or NULL. */
static const struct common_ref *common_ref(const char *p, const char *end) {
  for (size_t i = 0; i < COUNT(COMMON_REFS); i++) {
    const struct common_ref *r = &COMMON_REFS[i];
    if (r->len && (size_t)(end - p) >= r->len && memcmp(p, r->ref, r->len) == 0) return r;
  }
  return NULL;
}

/*
 * Copies plain text from p (before end) to out, line breaks and tabs as
 * spaces, up to the first '<' or '&' (or a NUL, which never comes before
 * end); returns the bytes copied. Most of an HTML body goes through here,
 * sixteen bytes at a time where SSE2 can compare them; ending runs only at
 * tags and references keeps the branches that guess where a run ends few.
 * out may be written up to 16 bytes past what is copied: html_text() has room
 * for twice its input.
 */
static size_t copy_plain(const char *p, const char *end, char *out) {
  size_t n = 0;
#ifdef __SSE2__
  const __m128i lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&'), nl = _mm_set1_epi8('\n'),
                cr = _mm_set1_epi8('\r'), tab = _mm_set1_epi8('\t'), space = _mm_set1_epi8(' ');
  while (end - (p + n) >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(p + n));
    __m128i stop = _mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, amp));
    __m128i blank = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, nl), _mm_cmpeq_epi8(v, cr)),
                                 _mm_cmpeq_epi8(v, tab));
    v = _mm_or_si128(_mm_andnot_si128(blank, v), _mm_and_si128(blank, space));
    _mm_storeu_si128((__m128i *)(out + n), v);
    int mask = _mm_movemask_epi8(stop);
    if (mask) return n + (size_t)__builtin_ctz((unsigned)mask);
    n += 16;
  }
#endif
  for (; p + n < end; n++) {
    unsigned char c = PLAIN[(unsigned char)p[n]];
    if (!c) break;
    out[n] = (char)c;
  }
  return n;
}

/* The visible text of HTML, one line per block, entities decoded. */
static char *html_text(bw_arena *a, const char *html, size_t len) {
  /* A reference may decode to more bytes than it is written with ("&nGt;"): room for twice. */
  char *out = bw_arena_alloc(a, 2 * len + 1);
  if (!out) return NULL;
  const char *end = html + strlen(html); /* the text stops at a NUL, as it always has */
  pthread_once(&plain_once, build_plain);
  const struct common_ref *common;
  size_t o = 0;
  for (const char *p = html; p < end;) {
    /* Plain text, copied up to the next byte that needs a look. */
    size_t run = copy_plain(p, end, out + o);
    o += run;
    p += run;
    if (p == end) break;
    if (*p == '<') {
      int nl = 0;
      const char *skip_to = NULL;
      p = skip_tag(p, end, &nl, &skip_to);
      if (skip_to) {
        const char *close = find_end_tag(p, end, skip_to);
        p = close ? close : end;
      }
      out[o++] = nl ? '\n' : ' ';
    } else if ((common = common_ref(p, end))) {
      memcpy(out + o, common->value, common->value_len);
      o += common->value_len;
      p += common->len;
    } else { /* another reference, or a lone '&' */
      char buf[BW_HTML_REF_MAX];
      size_t n = 0, errs = 0;
      size_t used = bw_html_decode_ref(p, (size_t)(end - p), 0, buf, &n, &errs);
      if (used) {
        memcpy(out + o, buf, n);
        o += n;
        p += used;
      } else
        out[o++] = *p++;
    }
  }
  out[o] = '\0';
  return out;
}

/* Where quoted text starts: "> ", "On ... wrote:", "-----Original Message-----". */
static int is_quote_start(const char *line, size_t n) {
  if (n && line[0] == '>') return 1;
  if (n >= 13 && prefix_at(line, "-----Original", 13, 1)) return 1;
  if (n >= 3 && prefix_at(line, "On ", 3, 0) && n >= 6 && strncmp(line + n - 6, "wrote:", 6) == 0)
    return 1;
  return n >= 10 && strspn(line, "_") == n;
}

static int is_delimiter(const char *line, size_t n) {
  return (n == 2 || n == 3) && strncmp(line, "--", 2) == 0 && (n == 2 || line[2] == ' ');
}

typedef struct line_span {
  const char *p;
  size_t n;
} line_span;

/* A signature is among the last lines before any quoted text; only those are kept. */
enum { TAIL_LINES = MAX_SIG_LINES + 6 };

/*
 * The last `TAIL_LINES` non-empty lines of text before any quoted part, in order,
 * kept in a ring so that a long body costs no memory.
 */
static size_t body_tail(const char *text, const char *end, line_span *tail) {
  line_span ring[TAIL_LINES];
  size_t count = 0;
  for (const char *p = text; p < end;) {
    const char *e = find_byte(p, end, '\n');
    if (!e) e = end;
    const char *s = p + strspn(p, " \t\r"); /* stops at e, a line break or the NUL */
    size_t n = (size_t)(e - s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\t')) n--;
    if (is_quote_start(s, n)) break;
    if (n) ring[count++ % TAIL_LINES] = (line_span){s, n};
    p = *e ? e + 1 : e;
  }
  size_t kept = count < TAIL_LINES ? count : TAIL_LINES;
  for (size_t i = 0; i < kept; i++) tail[i] = ring[(count - kept + i) % TAIL_LINES];
  return kept;
}

static const bw_part *first_text_part(const bw_view *v, const char *type) {
  for (size_t i = 0; i < v->n_parts; i++) {
    const bw_part *p = v->parts[i];
    if (!p->is_multipart && !p->is_message && !p->is_attachment && p->data && p->content_type &&
        strcmp(p->content_type, type) == 0)
      return p;
  }
  return NULL;
}

const char *bw_claims_signature_text(bw_arena *a, const bw_view *view) {
  const bw_part *plain = first_text_part(view, "text/plain");
  const bw_part *html = plain ? NULL : first_text_part(view, "text/html");
  const char *text = plain ? plain->data : html ? html_text(a, html->data, html->data_len) : NULL;
  if (!text) return NULL;
  line_span lines[TAIL_LINES];
  /* The text stops at a NUL, as it always has. */
  size_t n = body_tail(text, text + strlen(text), lines), start = n > 6 ? n - 6 : 0;
  for (size_t i = n; i-- > 0 && n - i <= MAX_SIG_LINES;)
    if (is_delimiter(lines[i].p, lines[i].n)) {
      start = i + 1;
      break;
    }
  size_t total = 0;
  for (size_t i = start; i < n; i++) total += lines[i].n + 1;
  char *out = bw_arena_alloc(a, total + 1), *o = out;
  if (!out) return NULL;
  for (size_t i = start; i < n; i++) {
    memcpy(o, lines[i].p, lines[i].n);
    o += lines[i].n;
    *o++ = '\n';
  }
  *o = '\0';
  return out;
}
