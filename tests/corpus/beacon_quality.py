#!/usr/bin/env python3
"""Beacon detection quality on the labelled eval-campaign and on easy ham.

Prints the confusion figures and fails unless (issue 4):
  - URL-level recall and precision >= 0.97, for open and click beacons alike;
  - recipient-identifying tokens recognised with their encoding for >= 98%;
  - beacons reported in at most 1% of SpamAssassin easy-ham-1 messages.
The detector is not tuned to this corpus; these are measurements.
"""
import json
import os
import sys

from bwscan import scan


def campaign_figures(binary, root):
    labels = {}
    with open(os.path.join(root, "labels.jsonl"), encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            labels[os.path.basename(rec["file"])] = rec
    records = scan(binary, os.path.join(root, "messages"))
    counts = {t: {"tp": 0, "fp": 0, "fn": 0} for t in ("open", "click")}
    tokens_total = tokens_ok = 0
    misses = []
    for rec in records:
        name = os.path.basename(rec["locator"]["path"])
        label = labels.get(name)
        if label is None:
            continue
        truth = {(b["url"], b["trigger"]): b for b in label["beacons"]}
        found = {(b["url"], b["trigger"]): b for b in rec.get("beacons", [])}
        for key in truth.keys() | found.keys():
            trig = key[1] if key[1] in counts else "open"
            if key in truth and key in found:
                counts[trig]["tp"] += 1
            elif key in found:
                counts[trig]["fp"] += 1
                misses.append(f"FP {name} {key[1]} {key[0][:100]}")
            else:
                counts[trig]["fn"] += 1
                misses.append(f"FN {name} {key[1]} {key[0][:100]}")
        for key, b in truth.items():
            if not b.get("identifies_recipient"):
                continue
            tokens_total += 1
            ours = found.get(key)
            if not ours or not ours.get("identifies_recipient"):
                continue
            ev_tokens = {e.get("token") for e in ours.get("evidence", [])}
            if ours.get("token_encoding") == b.get("token_encoding") or b.get("token") in ev_tokens:
                tokens_ok += 1
            else:
                misses.append(f"ENC {name} {b.get('token_encoding')} vs {ours.get('token_encoding')}")
    return counts, tokens_ok, tokens_total, misses


def ratio(a, b):
    return a / b if b else 1.0


def main():
    binary, shared, report = sys.argv[1], sys.argv[2], sys.argv[3]
    ok = True
    counts, tok_ok, tok_total, misses = campaign_figures(binary, os.path.join(shared, "eval-campaign"))
    with open(report, "w", encoding="utf-8") as f:
        f.write("\n".join(misses) + "\n")
    for trig, c in counts.items():
        recall = ratio(c["tp"], c["tp"] + c["fn"])
        precision = ratio(c["tp"], c["tp"] + c["fp"])
        print(f"eval-campaign {trig:5s} beacons: tp={c['tp']} fp={c['fp']} fn={c['fn']} "
              f"recall={recall:.3f} precision={precision:.3f}")
        ok &= recall >= 0.97 and precision >= 0.97
    tok_rate = ratio(tok_ok, tok_total)
    print(f"eval-campaign identifying tokens recognised: {tok_ok}/{tok_total} = {tok_rate:.3f}")
    ok &= tok_rate >= 0.98
    ham = scan(binary, os.path.join(shared, "corpus", "spamassassin", "easy-ham-1"))
    with_beacons = [r for r in ham if r.get("beacons")]
    rate = ratio(len(with_beacons), len(ham))
    print(f"easy-ham-1: beacons in {len(with_beacons)}/{len(ham)} messages = {rate:.4f}")
    for r in with_beacons[:10]:
        print("   ", r["locator"]["path"].rsplit("/", 1)[-1], r["beacons"][0]["trigger"], r["beacons"][0]["url"][:90])
    ok &= rate <= 0.01
    print(f"details of every miss: {report}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
