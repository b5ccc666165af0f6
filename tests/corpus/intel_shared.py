#!/usr/bin/env python3
"""intel_shared.py - the feed loaders against the real public indicators and samples.

1. For every feed in ../shared/intel (maltrail trails, the CERT-FR APT31 CSV and
   list, signature-base hashes, the OASIS STIX 2.1 bundles and the PyMISP
   events), counts the indicators present here in Python, independently of the
   C loaders, and checks that `beaconwatch intel compile -v` reports exactly
   that many as loaded + unsupported, each unsupported one with a reason.
2. Builds a message from the APT31 trail file (a link to a listed domain, a
   Received line with a listed IP) and checks the scan attributes it to APT31
   with its aliases and gives the verdict targeted_beacon.

usage: intel_shared.py BEACONWATCH SHARED_DIR
"""
import csv
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

BIN, SHARED = sys.argv[1], sys.argv[2]
INTEL = os.path.join(SHARED, "intel")
FAILURES = []

# A STIX comparison: object-type:path, optional NOT, an operator.
CMP = re.compile(r"[a-z0-9-]+:[A-Za-z0-9_.'\-\[\]*]+\s+(NOT\s+)?(=|!=|<=|>=|<|>|IN\b|LIKE\b|MATCHES\b|ISSUBSET\b|ISSUPERSET\b)")
OBSERVABLES = {"domain-name", "url", "ipv4-addr", "ipv6-addr", "email-addr", "email-message", "file"}


def text_lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return [l.strip() for l in f if l.strip() and not l.strip().startswith("#")]


def count_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return len([r for r in rows[1:] if any(c.strip() for c in r)])


def count_stix(path):
    doc = json.load(open(path, encoding="utf-8"))
    if doc.get("type") != "bundle":
        return 0
    n = 0
    for o in doc.get("objects", []):
        if o.get("type") == "indicator":
            if o.get("pattern_type", "stix") != "stix":
                n += 1
            else:
                n += max(1, len(CMP.findall(o.get("pattern", ""))))
        elif o.get("type") in OBSERVABLES:
            n += 1
    return n


def misp_events(doc):
    events = []
    if isinstance(doc, dict) and isinstance(doc.get("Event"), dict):
        events.append(doc["Event"])
    elif isinstance(doc, dict) and any(k in doc for k in ("Attribute", "Object", "info")):
        events.append(doc)
    items = doc if isinstance(doc, list) else doc.get("response", []) if isinstance(doc, dict) else []
    for x in items if isinstance(items, list) else []:
        e = x.get("Event", x) if isinstance(x, dict) else None
        if isinstance(e, dict) and any(k in e for k in ("Attribute", "Object", "info")):
            events.append(e)
    return events


def count_misp(path):
    doc = json.load(open(path, encoding="utf-8"))
    n = 0
    for e in misp_events(doc):
        n += len(e.get("Attribute", []))
        n += sum(len(o.get("Attribute", [])) for o in e.get("Object", []))
    return n


def feeds():
    iocs = os.path.join(INTEL, "threat_intel_iocs")
    for p in sorted(glob.glob(os.path.join(iocs, "maltrail", "*.txt"))):
        yield p, len(text_lines(p))
    yield os.path.join(iocs, "signature-base", "hash-iocs.apt31_apt40.txt"), len(
        text_lines(os.path.join(iocs, "signature-base", "hash-iocs.apt31_apt40.txt")))
    yield os.path.join(iocs, "anssi_certfr_2021_ioc_003", "apt31_ips.txt"), len(
        text_lines(os.path.join(iocs, "anssi_certfr_2021_ioc_003", "apt31_ips.txt")))
    csvp = os.path.join(iocs, "anssi_certfr_2021_ioc_003", "CERTFR-2021-IOC-003-IOC.csv")
    yield csvp, count_csv(csvp)
    samples = os.path.join(INTEL, "stix_misp_samples")
    for p in sorted(glob.glob(os.path.join(samples, "stix21", "**", "*.json"), recursive=True)):
        yield p, count_stix(p)
    for p in sorted(glob.glob(os.path.join(samples, "misp", "*.json"))):
        yield p, count_misp(p)


def compile_one(path, out):
    r = subprocess.run([BIN, "intel", "compile", "-v", path, "-o", out], capture_output=True, text=True)
    m = re.search(r": loaded (\d+), unsupported (\d+)\n", r.stderr)
    if r.returncode != 0 or not m:
        return None, None, r.stderr.strip()
    skips = [l for l in r.stderr.splitlines() if l.startswith("  unsupported: ")]
    reasons_ok = all(re.match(r"  unsupported: .+: \S.*$", l) for l in skips)
    if len(skips) != int(m.group(2)) or not reasons_ok:
        FAILURES.append("%s: %d unsupported lines for %s reported, or one without a reason"
                        % (path, len(skips), m.group(2)))
    return int(m.group(1)), int(m.group(2)), ""


def check_counts(tmp):
    total_l = total_u = total_e = 0
    print("%-60s %8s %8s %11s %8s" % ("feed", "present", "loaded", "unsupported", "result"))
    for path, expected in feeds():
        loaded, unsupported, error = compile_one(path, os.path.join(tmp, "one.bwi"))
        name = os.path.relpath(path, INTEL)
        if loaded is None:  # not a feed at all: must hold no indicator
            ok = expected == 0
            print("%-60s %8d %8s %11s %8s  (%s)" % (name, expected, "-", "-", "ok" if ok else "FAIL", error[:80]))
            if not ok:
                FAILURES.append("%s: refused (%s) but holds %d indicators" % (name, error, expected))
            continue
        ok = loaded + unsupported == expected
        print("%-60s %8d %8d %11d %8s" % (name, expected, loaded, unsupported, "ok" if ok else "FAIL"))
        if not ok:
            FAILURES.append("%s: %d present, %d loaded + %d unsupported" % (name, expected, loaded, unsupported))
        total_l, total_u, total_e = total_l + loaded, total_u + unsupported, total_e + expected
    print("total: %d present, %d loaded, %d unsupported" % (total_e, total_l, total_u))


def apt31_message(trail):
    domain = ip = None
    for line in text_lines(trail):
        value = line.split()[0]
        host = value.split(":")[0]
        if re.fullmatch(r"\d+\.\d+\.\d+\.\d+", host):
            ip = ip or host
        elif "/" not in value and "." in value:
            domain = domain or value
    received = ("Received: from relay.example (unknown [%s])\n\tby mx.parliament.example; "
                "Tue, 1 Oct 2024 10:00:00 +0000\n" % ip) if ip else ""
    return domain, ip, (
        received +
        "From: \"World News Desk\" <desk@news-desk.example>\n"
        "To: member@parliament.example\n"
        "Subject: This week's briefing\n"
        "Message-ID: <apt31-test@news-desk.example>\n"
        "Date: Tue, 1 Oct 2024 10:00:00 +0000\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/html; charset=utf-8\n\n"
        "<html><body><p>Read the <a href=\"https://www.%s/article?id=7\">full story</a>.</p>"
        "</body></html>\n" % domain)


def check_attribution(tmp):
    trail = os.path.join(INTEL, "threat_intel_iocs", "maltrail", "apt_judgmentpanda.txt")
    domain, ip, msg = apt31_message(trail)
    path = os.path.join(tmp, "apt31.eml")
    with open(path, "w") as f:
        f.write(msg)
    r = subprocess.run([BIN, "scan", "-q", "--intel", trail, path], capture_output=True, text=True)
    rec = json.loads(r.stdout.splitlines()[0])
    findings = rec["findings"]
    matches = [f for f in findings if f["kind"] == "intel_match"]
    attrs = [f for f in findings if f["kind"] == "intel_attribution"]
    print("message: link to www.%s, Received from %s -> %d intel_match, %d intel_attribution, verdict %s"
          % (domain, ip, len(matches), len(attrs), rec.get("verdict")))
    if not any(m["evidence"].get("indicator") == domain for m in matches):
        FAILURES.append("the link to %s was not matched" % domain)
    if ip and not any(m["evidence"].get("indicator") == ip for m in matches):
        FAILURES.append("the Received IP %s was not matched" % ip)
    apt31 = [a for a in attrs if a["evidence"].get("actor") == "APT31"]
    if not apt31:
        FAILURES.append("no intel_attribution to APT31")
        return
    ev = apt31[0]["evidence"]
    aliases = ev.get("aliases", "").lower()
    print("attribution: %s %s, aliases: %s" % (ev.get("actor"), ev.get("attack_id"), ev.get("aliases")))
    for want in ("zirconium", "violet typhoon", "judgment panda", "bronze vinewood", "ta412"):
        if want not in aliases:
            FAILURES.append("APT31's aliases lack %s" % want)
    if ev.get("attack_id") != "G0128":
        FAILURES.append("APT31 without ATT&CK id G0128")
    if rec.get("verdict") != "targeted_beacon":
        FAILURES.append("verdict %s, expected targeted_beacon for an attributed hit" % rec.get("verdict"))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        check_counts(tmp)
        check_attribution(tmp)
    for f in FAILURES:
        print("FAIL:", f)
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
