#!/usr/bin/env python3
"""identity_coverage.py - how much of a reference list of news sites the
bundled identity registry covers.

Reads data/identities/news-organisations.json and the shared reference list
news-500-domains.csv (rank,domain-or-URL; read at test time, never copied into
the repository), reduces every entry to its registrable domain with the Public
Suffix List from the shared corpora, and counts the entries whose registrable
domain belongs to a registry identity. Entries that are not news organisations
(weather services, aggregators, satire, press-release wires...) are named below
with the reason and left out of the news coverage; so are news brands whose
registrable domain also hands out mailboxes to the public, which the registry
must not vouch for. Fails when the coverage of the top 100 news entries drops
below FLOOR_TOP100.

usage: identity_coverage.py REGISTRY_JSON NEWS_500_CSV PUBLIC_SUFFIX_LIST
"""
import csv
import json
import sys

# Measured 100% (100/100) on the first 100 news entries when written; the floor leaves
# room for an outlet that changes its domain, not for dropping outlets.
FLOOR_TOP100 = 0.98

NOT_NEWS = {
    "reddit.com": "discussion site",
    "news.google.com": "aggregator",
    "shutterstock.com": "stock photos",
    "weather.com": "weather", "accuweather.com": "weather", "wunderground.com": "weather",
    "weather.gov": "weather", "yr.no": "weather", "intellicast.com": "weather",
    "foreca.com": "weather", "metoffice.gov.uk": "weather", "radar.weather.gov": "weather",
    "worldweatheronline.com": "weather", "snow-forecast.com": "weather",
    "weatheronline.co.uk": "weather", "weatherbug.com": "weather", "weather-forecast.com": "weather",
    "onthesnow.com": "weather", "weather2umbrella.com": "weather", "passageweather.com": "weather",
    "weather.unisys.com": "weather",
    "bankrate.com": "personal finance",
    "owl.english.purdue.edu": "writing guide",
    "newsnow.co.uk": "aggregator", "topix.com": "aggregator", "fark.com": "link aggregator",
    "metafilter.com": "community blog", "wn.com": "aggregator", "newsvine.com": "aggregator",
    "einnews.com": "aggregator", "lucianne.com": "aggregator", "voat.co": "discussion site",
    "breakingnews.com": "aggregator", "onlinenewspapers.com": "directory",
    "theonion.com": "satire", "newsthump.com": "satire", "thedailymash.co.uk": "satire",
    "nationalreport.net": "satire", "fakingnews.firstpost.com": "satire",
    "newyorker.com/humor/borowitz-report": "satire",
    "prnewswire.com": "press releases", "prweb.com": "press releases", "cision.com": "press releases",
    "newswire.ca": "press releases", "responsesource.com": "press releases",
    "good.is": "lifestyle", "sunnyskyz.com": "viral content", "goodnewsnetwork.org": "feel-good",
    "beforeitsnews.com": "user-generated conspiracy", "yournewswire.com": "fabricated news",
    "theeventchronicle.com": "conspiracy", "disinfo.com": "conspiracy",
    "examiner.com": "content farm", "guardianlv.com": "content farm",
    "agoracosmopolitan.com": "blog", "michaelmoore.com": "personal site",
    "steynonline.com": "personal site", "billoreilly.com": "personal site",
    "gregpalast.com": "personal site",
    "pewresearch.org": "research", "people-press.org": "research", "journalism.org": "research",
    "rasmussenreports.com": "polling", "mediamatters.org": "media watchdog",
    "sourcewatch.org": "wiki", "globalissues.org": "essays", "filmsforaction.org": "films",
    "lexisnexis.com": "database", "newspapers.com": "archive", "trove.nla.gov.au/newspaper": "archive",
    "tveyes.com": "media monitoring", "smartbrief.com": "newsletter curation",
    "rd.com": "general-interest magazine", "parade.com": "general-interest magazine",
    "uexpress.com": "syndicate", "creators.com": "syndicate",
    "magnumphotos.com": "photo agency", "worldpressphoto.org": "photo award",
    "newseum.org": "museum", "poynter.org": "journalism school", "niemanlab.org": "journalism research",
    "mediabistro.com": "jobs", "journalismjobs.com": "jobs", "collegemagazine.com": "lifestyle",
    "diversityinc.com": "corporate diversity", "jewishworldreview.com": "column syndicate",
    "canadafreepress.com": "opinion blog", "carbonated.tv": "viral video",
    "briefing.com": "market data", "nyse.com": "stock exchange", "federalreserve.gov": "government",
    "fcc.gov": "government", "copyright.gov": "government", "news.gc.ca": "government",
    "un.org/press/en": "United Nations", "wfp.org": "United Nations", "news.harvard.edu/gazette/": "university",
    "jou.ufl.edu": "university", "chnm.gmu.edu": "university", "cnews.canoe.com": "portal",
}
NOT_NEWS = {key.rstrip("/"): reason for key, reason in NOT_NEWS.items()}

# News brands on a registrable domain that also gives mailboxes to the public.
MAILBOX_DOMAINS = {"yahoo.com": "Yahoo Mail", "aol.com": "AOL Mail", "sky.com": "Sky broadband mail"}


def load_psl(path):
    rules, exceptions, wildcards = set(), set(), set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            rule = line.split()[0].lower()
            if rule.startswith("!"):
                exceptions.add(rule[1:])
            elif rule.startswith("*."):
                wildcards.add(rule[2:])
            else:
                rules.add(rule)
    return rules, exceptions, wildcards


def registrable(host, psl):
    """The registrable domain (eTLD+1) of host under the Public Suffix List."""
    rules, exceptions, wildcards = psl
    labels = host.lower().strip(".").split(".")
    for i in range(len(labels)):
        candidate = ".".join(labels[i:])
        if candidate in exceptions:
            return candidate
        parent = ".".join(labels[i + 1:])
        if candidate in rules or (parent and parent in wildcards):
            return ".".join(labels[i - 1:]) if i > 0 else None
    return ".".join(labels[-2:]) if len(labels) >= 2 else None


def main():
    registry_path, csv_path, psl_path = sys.argv[1:4]
    psl = load_psl(psl_path)
    registry = json.load(open(registry_path, encoding="utf-8"))
    owners = {}
    for ident in registry["identities"]:
        for d in ident.get("domains", []):
            owners.setdefault(registrable(d, psl), ident["id"])
    entries = []
    with open(csv_path, newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            if len(row) >= 2 and row[0].strip().isdigit():
                entries.append((int(row[0]), row[1].strip().lower()))
    entries.sort()

    covered, news, news_covered, uncovered, excluded = 0, [], 0, [], {}
    for rank, entry in entries:
        key = entry.rstrip("/")
        host = key.split("/")[0]
        reg = registrable(host, psl)
        owner = owners.get(reg)
        covered += owner is not None
        reason = NOT_NEWS.get(key) or NOT_NEWS.get(host)
        if reason is None and reg in MAILBOX_DOMAINS:
            reason = "public mailboxes: " + MAILBOX_DOMAINS[reg]
        if reason:
            excluded[entry] = reason
            continue
        news.append((rank, entry, owner))
        news_covered += owner is not None
        if owner is None:
            uncovered.append((rank, entry))

    top = news[:100]
    top_covered = sum(1 for _, _, o in top if o)
    print(f"registry: {len(registry['identities'])} identities, {len(owners)} registrable domains")
    print(f"all entries: {covered}/{len(entries)} owned by a registry identity")
    mailbox = sum(1 for reason in excluded.values() if reason.startswith("public mailboxes"))
    print(f"left out: {len(excluded) - mailbox} entries that are not news organisations, "
          f"{mailbox} news brands on a domain with public mailboxes")
    print(f"news entries: {news_covered}/{len(news)} covered ({news_covered / len(news):.1%})")
    print(f"top 100 news entries (up to rank {top[-1][0]}): {top_covered}/100 covered "
          f"(floor {FLOOR_TOP100:.0%})")
    print("top uncovered news entries:")
    for rank, entry in uncovered[:25]:
        print(f"  {rank:4d} {entry}")
    if top_covered / len(top) < FLOOR_TOP100:
        print(f"FAIL: top-100 coverage {top_covered / len(top):.0%} is below {FLOOR_TOP100:.0%}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
