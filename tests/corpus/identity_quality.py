#!/usr/bin/env python3
"""Impersonation and verdict quality on the labelled eval-campaign and on real ham.

Prints the figures and the verdict confusion matrix, and fails unless (issue 5):
  - impersonation recall >= 0.95 and precision >= 0.97 over eval-campaign
    (a message counts as detected when identity.impersonates is non-null);
  - verdict accuracy >= 0.95 for each expected class;
  - over SpamAssassin easy-ham-1 and hard-ham-1 (each): targeted_beacon on no
    message and suspicious on at most 2%.
The rules are not tuned to these corpora; these are measurements. Misses are
written to the report file given as the third argument.
"""
import json
import os
import sys

from bwscan import scan

VERDICTS = ["clean", "commercial_tracking", "suspicious", "targeted_beacon"]


def ratio(a, b):
    return a / b if b else 1.0


def campaign(binary, root, misses):
    labels = {}
    with open(os.path.join(root, "labels.jsonl"), encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            labels[os.path.basename(rec["file"])] = rec
    tp = fp = fn = 0
    matrix = {e: {g: 0 for g in VERDICTS} for e in VERDICTS}
    for rec in scan(binary, os.path.join(root, "messages")):
        name = os.path.basename(rec["locator"]["path"])
        label = labels.get(name)
        if label is None:
            continue
        ours = rec["identity"]["impersonates"] is not None
        truth = label["impersonates"] is not None
        tp += ours and truth
        fp += ours and not truth
        fn += truth and not ours
        if ours != truth:
            misses.append(f"{'FP' if ours else 'FN'} impersonation {name} {label['variant']} "
                          f"from={rec['from'][0]['address'] if rec['from'] else None}")
        matrix[label["expected_verdict"]][rec["verdict"]] += 1
        if rec["verdict"] != label["expected_verdict"]:
            misses.append(f"VERDICT {name} {label['class']}/{label['variant']} expected "
                          f"{label['expected_verdict']} got {rec['verdict']}: {rec['verdict_reasons']}")
    return tp, fp, fn, matrix


def ham(binary, path, misses):
    records = scan(binary, path)
    counts = {v: 0 for v in VERDICTS}
    for rec in records:
        counts[rec["verdict"]] += 1
        if rec["verdict"] in ("suspicious", "targeted_beacon"):
            misses.append(f"HAM {rec['verdict']} {rec['locator']['path']}: {rec['verdict_reasons']}")
    return len(records), counts


def main():
    binary, shared, report = sys.argv[1], sys.argv[2], sys.argv[3]
    misses = []
    ok = True
    tp, fp, fn, matrix = campaign(binary, os.path.join(shared, "eval-campaign"), misses)
    recall, precision = ratio(tp, tp + fn), ratio(tp, tp + fp)
    print(f"eval-campaign impersonation: tp={tp} fp={fp} fn={fn} recall={recall:.3f} precision={precision:.3f}")
    ok &= recall >= 0.95 and precision >= 0.97
    print("verdict confusion (rows expected, columns ours):")
    print(f"  {'':22s}" + "".join(f"{g[:12]:>13s}" for g in VERDICTS) + "   accuracy")
    for e in VERDICTS:
        total = sum(matrix[e].values())
        acc = ratio(matrix[e][e], total)
        print(f"  {e:22s}" + "".join(f"{matrix[e][g]:13d}" for g in VERDICTS) + f"   {acc:.3f} (n={total})")
        ok &= total == 0 or acc >= 0.95
    for sub in ("easy-ham-1", "hard-ham-1"):
        n, counts = ham(binary, os.path.join(shared, "corpus", "spamassassin", sub), misses)
        susp = ratio(counts["suspicious"], n)
        print(f"{sub}: n={n} " + " ".join(f"{v}={counts[v]}" for v in VERDICTS) + f" suspicious_rate={susp:.4f}")
        ok &= counts["targeted_beacon"] == 0 and susp <= 0.02
    with open(report, "w", encoding="utf-8") as f:
        f.write("\n".join(misses) + "\n")
    print("PASS" if ok else f"FAIL (details in {report})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
