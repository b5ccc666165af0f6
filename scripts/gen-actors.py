#!/usr/bin/env python3
"""gen-actors.py - builds beaconwatch's compiled-in threat-intel data.

1. data/actors/actors.json: one record per threat actor, merged from MITRE
   ATT&CK intrusion sets (aliases, ATT&CK id, techniques from `uses`
   relationships) and MISP galaxy clusters (synonyms), with the source of
   every alias. ATT&CK groups anchor the merge; a galaxy cluster joins the
   actor whose name or aliases its own value names (else its synonyms, when
   they point at one actor only), otherwise it becomes an actor of its own.
2. src/lib/intel/actors_data.inc: that JSON as a C byte array.
3. src/lib/intel/warninglist_data.inc: data/warninglists/known-good-providers.txt
   as a C string array.

usage: scripts/gen-actors.py [SHARED_DIR]   (default ../shared, relative to the repo)
"""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared")
INTEL = os.path.join(SHARED, "intel")

MITRE_NOTICE = ("\u00a9 2025 The MITRE Corporation. This work is reproduced and distributed with "
                "the permission of The MITRE Corporation.")

GALAXIES = [  # (file, source label) in order of authority
    ("threat-actor.json", "misp-galaxy:threat-actor"),
    ("microsoft-activity-group.json", "misp-galaxy:microsoft-activity-group"),
    ("mitre-intrusion-set.json", "misp-galaxy:mitre-intrusion-set"),
    ("tidal-groups.json", "misp-galaxy:tidal-groups"),
    ("360net.json", "misp-galaxy:360net"),
]


def norm(name):
    """Case- and punctuation-insensitive key, as actors.c computes it."""
    return re.sub(r"[^0-9a-z\u0080-\U0010ffff]", "", name.lower())


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class Actor:
    def __init__(self, name):
        self.name = name
        self.attack_id = None
        self.country = None
        self.aliases = {}  # alias -> set of sources
        self.techniques = {}
        self.software = {}

    def add(self, alias, source):
        alias = alias.strip()
        if not alias or not norm(alias):
            return
        same = next((a for a in self.aliases if norm(a) == norm(alias)), alias)
        self.aliases.setdefault(same, set()).add(source)

    def keys(self):
        return {norm(a) for a in self.aliases}


def attack_actors():
    bundle = load(os.path.join(INTEL, "mitre_attack", "enterprise-intrusion-sets.bundle.json"))
    actors, by_stix = [], {}
    for o in bundle["objects"]:
        if o["type"] != "intrusion-set" or o.get("revoked") or o.get("x_mitre_deprecated"):
            continue
        a = Actor(o["name"])
        a.add(o["name"], "mitre-attack")
        for alias in o.get("aliases", []):
            a.add(alias, "mitre-attack")
        for ref in o.get("external_references", []):
            if ref.get("source_name") == "mitre-attack":
                a.attack_id = ref.get("external_id")
        actors.append(a)
        by_stix[o["id"]] = a
    add_techniques(by_stix)
    return actors


def add_techniques(by_stix):
    bundle = load(os.path.join(INTEL, "mitre_attack", "apt31_apt40_subgraph.bundle.json"))
    objs = {o["id"]: o for o in bundle["objects"]}
    for o in bundle["objects"]:
        if o["type"] != "relationship" or o.get("relationship_type") != "uses":
            continue
        actor, target = by_stix.get(o["source_ref"]), objs.get(o["target_ref"])
        if not actor or not target:
            continue
        ext = [r["external_id"] for r in target.get("external_references", [])
               if r.get("source_name") == "mitre-attack" and r.get("external_id")]
        if not ext:
            continue
        if target["type"] == "attack-pattern":
            actor.techniques[ext[0]] = target["name"]
        elif target["type"] in ("malware", "tool"):
            actor.software[ext[0]] = target["name"]


def cluster_names(value):
    names = [value["value"]]
    meta = value.get("meta", {})
    names += meta.get("synonyms", [])
    return names


def strip_attack_suffix(name):
    return re.sub(r"\s+-\s+G\d{4}$", "", name)


def merge_galaxies(actors):
    index = {}

    def reindex(a):
        for k in a.keys():
            index.setdefault(k, a)

    for a in actors:
        reindex(a)
    for fname, source in GALAXIES:
        galaxy = load(os.path.join(INTEL, "misp_galaxy", fname))
        for v in galaxy["values"]:
            value = strip_attack_suffix(v["value"])
            meta = v.get("meta", {})
            target = index.get(norm(value))
            gid = meta.get("external_id") or meta.get("group_attack_id")
            if not target and gid:
                target = next((a for a in actors if a.attack_id == gid), None)
            if not target:
                hits = {id(index[norm(s)]): index[norm(s)] for s in meta.get("synonyms", [])
                        if norm(s) in index}
                target = next(iter(hits.values())) if len(hits) == 1 else None
            if not target:
                target = Actor(value)
                actors.append(target)
            target.add(value, source)
            for s in meta.get("synonyms", []):
                target.add(s, source)
            if not target.country and isinstance(meta.get("country"), str):
                target.country = meta["country"]
            if fname == "threat-actor.json" and target.attack_id and norm(value) != norm(target.name):
                target.name = value  # the common name (APT31) over ATT&CK's (ZIRCONIUM)
            reindex(target)


def resolve_collisions(actors):
    """An alias key belongs to one actor: the earliest (most authoritative) that claims it."""
    owner, dropped = {}, 0
    for a in actors:
        for k in a.keys():
            owner.setdefault(k, a)
    for a in actors:
        owner[norm(a.name)] = owner.get(norm(a.name), a)
    for a in actors:
        for alias in list(a.aliases):
            if owner[norm(alias)] is not a:
                del a.aliases[alias]
                dropped += 1
    return dropped


def to_json(actors):
    out = []
    for a in actors:
        if not a.aliases:
            continue
        out.append({
            "name": a.name,
            "attack_id": a.attack_id,
            "country": a.country,
            "aliases": [{"name": n, "sources": sorted(s)} for n, s in sorted(a.aliases.items(), key=lambda x: x[0].lower())],
            "techniques": [{"id": k, "name": v} for k, v in sorted(a.techniques.items())],
            "software": [{"id": k, "name": v} for k, v in sorted(a.software.items())],
        })
    return out


def write_inc(path, header, body):
    with open(path, "w", encoding="utf-8") as f:
        f.write(header)
        f.write(body)


def c_bytes(data):
    lines = []
    for i in range(0, len(data), 16):
        lines.append("  " + ", ".join("0x%02x" % b for b in data[i:i + 16]) + ",")
    return "\n".join(lines)


def main():
    actors = attack_actors()
    merge_galaxies(actors)
    dropped = resolve_collisions(actors)
    records = to_json(actors)
    doc = {"sources": {
        "mitre-attack": "MITRE ATT&CK enterprise intrusion sets, github.com/mitre/cti (ATT&CK terms of use, data/actors/LICENSE.mitre-attack.txt)",
        "misp-galaxy": "MISP galaxy clusters, github.com/MISP/misp-galaxy (CC0-1.0 or BSD-2-Clause, data/actors/LICENSE.misp-galaxy.md)"},
        "notice": MITRE_NOTICE,
        "actors": records}
    text = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    with open(os.path.join(ROOT, "data", "actors", "actors.json"), "w", encoding="utf-8") as f:
        f.write(text)
    data = text.encode("utf-8")
    write_inc(os.path.join(ROOT, "src", "lib", "intel", "actors_data.inc"),
              "/*\n * actors_data.inc - data/actors/actors.json (%d actors) as bytes, generated by\n"
              " * scripts/gen-actors.py from MITRE ATT&CK (ATT&CK terms of use) and the MISP galaxy\n"
              " * (CC0-1.0 / BSD-2-Clause); sources and licences in data/actors/. Do not edit.\n"
              " * %s\n */\n"
              % (len(records), MITRE_NOTICE),
              "static const unsigned char BW_ACTORS_JSON[] = {\n%s\n};\n" % c_bytes(data))
    with open(os.path.join(ROOT, "data", "warninglists", "known-good-providers.txt"), encoding="utf-8") as f:
        domains = [l.split("#")[0].strip().lower() for l in f]
    domains = sorted({d for d in domains if d})
    write_inc(os.path.join(ROOT, "src", "lib", "intel", "warninglist_data.inc"),
              "/*\n * warninglist_data.inc - data/warninglists/known-good-providers.txt (%d domains),\n"
              " * generated by scripts/gen-actors.py. Do not edit.\n */\n" % len(domains),
              "static const char BW_WARNINGLIST_NAME[] = \"known-good-providers\";\n"
              "static const char *const BW_WARNING_DOMAINS[] = {\n%s\n};\n"
              % "\n".join('    "%s",' % d for d in domains))
    print("%d actors, %d colliding aliases dropped, %d warninglist domains" % (len(records), dropped, len(domains)))


if __name__ == "__main__":
    main()
