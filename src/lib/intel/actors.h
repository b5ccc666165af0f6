/*
 * actors.h - the bundled threat-actor knowledge base and alias resolution.
 *
 * Every vendor names actors differently: APT31 is ZIRCONIUM to ATT&CK,
 * Violet Typhoon to Microsoft, Judgment Panda to CrowdStrike. The knowledge
 * base (data/actors/actors.json, compiled into the library) lets any of those
 * names find the one actor, with all its aliases, their sources, its ATT&CK
 * id and techniques. Names compare case- and punctuation-insensitively.
 */
#ifndef BW_INTEL_ACTORS_H
#define BW_INTEL_ACTORS_H

#include <stddef.h>

typedef struct bw_actor_alias {
  const char *name;
  const char *sources; /* comma-separated: "mitre-attack,misp-galaxy:threat-actor" */
} bw_actor_alias;

typedef struct bw_actor_technique {
  const char *id; /* "T1566.002" */
  const char *name;
} bw_actor_technique;

typedef struct bw_actor {
  const char *name;      /* canonical name ("APT31") */
  const char *attack_id; /* "G0128", or NULL */
  const char *country;   /* ISO code or NULL */
  const bw_actor_alias *aliases;
  size_t n_aliases;
  const bw_actor_technique *techniques;
  size_t n_techniques;
  const bw_actor_technique *software; /* ATT&CK software (S-ids) the actor uses */
  size_t n_software;
} bw_actor;

/* The actor any of whose names (or ATT&CK id) is name, or NULL. Thread-safe. */
const bw_actor *bw_actor_find(const char *name);
/* Number of actors (the knowledge base is loaded on first use). */
size_t bw_actor_count(void);
/* The alias key: lowercase ASCII letters and digits and all non-ASCII bytes, nothing else. */
void bw_actor_key(const char *name, char *out, size_t size);
/* Writes the actor's aliases as one comma-separated line ("APT31, ZIRCONIUM, ..."). */
void bw_actor_alias_list(const bw_actor *a, char *out, size_t size);

#endif
