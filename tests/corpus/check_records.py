#!/usr/bin/env python3
"""Checks scan output against a corpus directory: one valid record per file.

Every file in these corpora holds exactly one message, so the records' locator
paths must be exactly the set of files, once each, and each record must carry
the keys docs/output.md promises.
"""
import json
import os
import sys

REQUIRED = ["locator", "message_id", "from", "to", "cc", "subject", "date", "auth",
            "parts", "attachments", "resources", "links", "findings", "verdict", "score"]
VERDICTS = {"clean", "commercial_tracking", "suspicious", "targeted_beacon"}


NOT_MAIL = ("LICENSE", "NOTICE", "PROVENANCE.txt", "README.md")


def corpus_files(root):
    """Message files under root; an empty file holds no message and yields no record."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            path = os.path.join(dirpath, name)
            if name.startswith(".") or name in NOT_MAIL or os.path.getsize(path) == 0:
                continue
            found.add(path)
    return found


def main():
    root, records_path = sys.argv[1], sys.argv[2]
    expected = corpus_files(root)
    seen = {}
    problems = []
    with open(records_path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            try:
                rec = json.loads(line)
            except ValueError as e:
                problems.append(f"line {lineno}: not JSON: {e}")
                continue
            path = rec.get("locator", {}).get("path")
            if os.path.basename(path or "") in NOT_MAIL:
                continue  # the licence files beside the corpora are scanned but are not mail
            missing = [k for k in REQUIRED if k not in rec]
            if missing:
                problems.append(f"line {lineno}: missing keys {missing}")
            if rec.get("verdict") not in VERDICTS:
                problems.append(f"line {lineno}: bad verdict {rec.get('verdict')!r}")
            if not rec.get("parts"):
                problems.append(f"line {lineno}: no parts for {rec.get('locator')}")
            seen[path] = seen.get(path, 0) + 1
    extra = [p for p in seen if p not in expected]
    absent = sorted(expected - set(seen))
    dup = [p for p, n in seen.items() if n > 1]
    for label, items in (("unexpected paths", extra), ("files without a record", absent),
                         ("files with several records", dup)):
        if items:
            problems.append(f"{label}: {len(items)}, e.g. {items[:3]}")
    print(f"{root}: {len(expected)} files, {sum(seen.values())} records, {len(problems)} problems")
    for p in problems[:20]:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
