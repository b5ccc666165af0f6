#!/usr/bin/env python3
"""
mime_vs_python.py - differential test of our MIME view against Python's email package.

For every message of the shared corpora, bw_viewdump prints our view (part tree in
pre-order and the decoded text of each text leaf) together with the exact bytes it
parsed. This script parses the same bytes with
email.message_from_bytes(raw, policy=email.policy.default) and compares:

  (a) the part tree: the content types in pre-order. Our root part ("1") is the
      message's own body, which is what msg.walk() yields first; a message/rfc822
      part has one child, the embedded message's top-level body, which is what
      walk() yields after the message/rfc822 part (the embedded Message object);
  (b) the text of every text/* leaf that we do not treat as an attachment, after
      normalising line endings (CRLF/CR -> LF) and dropping trailing whitespace
      at the end of the text.

Each disagreeing message gets one category (the first difference found, in the
order structure, content types, text). Every category must be documented in
docs/mime-differences.md (as a heading or bold term); the test passes when at least
99% of messages agree and every category seen is documented.

usage: mime_vs_python.py --viewdump PATH --shared DIR [--source DIR] [--report FILE]
"""
import argparse
import base64
import email
import email.policy
import json
import multiprocessing
import os
import re
import subprocess
import sys
import time

AGREEMENT_REQUIRED = 99.0
CHUNK = 40  # files per bw_viewdump run; small chunks keep the two workers balanced

# Directories under corpus/ that hold something other than messages.
SKIP_DIRS = {"newsletter-html"}
# Files next to the messages that are not messages.
SKIP_NAME = re.compile(r"^(LICEN[CS]E|NOTICE|PROVENANCE|README|COPYING)", re.I)


def find_messages(corpus):
    files = []
    for root, dirs, names in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(names):
            path = os.path.join(root, name)
            if name.startswith(".") or SKIP_NAME.match(name):
                continue
            if os.path.getsize(path) == 0:
                continue
            files.append(path)
    return files


# ---- the Python side ------------------------------------------------------------


def normalise(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip()


def python_text(part):
    """Decoded text of a text/* leaf as Python's email package gives it."""
    try:
        return part.get_content(), None
    except Exception as exc:  # unknown charset, broken payload, ...
        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset() or "utf-8"
        try:
            return payload.decode(charset, "replace"), type(exc).__name__
        except LookupError:
            return payload.decode("utf-8", "replace"), type(exc).__name__


def walk_mime(part, status_groups):
    """msg.walk(), except that the groups of a message/delivery-status body are not parts.

    Python parses the body of message/delivery-status (RFC 3464) into one Message per
    group of status fields and walk() yields them as text/plain parts. They are not
    MIME entities (the body has no boundaries or part headers), and GMime, like mail
    clients, keeps the report as one leaf; so they are left out of the tree and counted.
    """
    yield part
    if not part.is_multipart():
        return
    if part.get_content_type() == "message/delivery-status":
        status_groups[0] += len(part.get_payload())
        return
    for sub in part.get_payload():
        yield from walk_mime(sub, status_groups)


def python_parts(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    parts = []
    status_groups = [0]
    for part in walk_mime(msg, status_groups):
        entry = {"content_type": part.get_content_type(), "msg": part}
        if part.get_content_maintype() == "text" and not part.is_multipart():
            entry["part"] = part
        parts.append(entry)
    return msg, parts


# ---- comparison -----------------------------------------------------------------


def excerpt(a, b, width=60):
    """The first difference between two strings, with some context on each side."""
    i = 0
    n = min(len(a), len(b))
    while i < n and a[i] == b[i]:
        i += 1
    start = max(0, i - width // 2)
    return "at %d: ours=%r python=%r (lengths %d/%d)" % (
        i, a[start:i + width], b[start:i + width], len(a), len(b))


def is_textish_default(a, b):
    pair = {a, b}
    return pair == {"text/plain", "application/octet-stream"}


BOUNDARY_DEFECTS = ("NoBoundaryInMultipartDefect", "StartBoundaryNotFoundDefect",
                    "InvalidHeaderDefect", "CloseBoundaryNotFoundDefect")


def classify_structure(ours, theirs):
    """Category and detail for part trees that differ, or None when they agree."""
    o_types = [p["content_type"] for p in ours]
    p_types = [p["content_type"] for p in theirs]
    if o_types == p_types:
        return None
    detail = "ours=%s python=%s" % (o_types[:12], p_types[:12])
    # The first position where the trees differ, and the Python part there or before it.
    i = 0
    while i < min(len(o_types), len(p_types)) and o_types[i] == p_types[i]:
        i += 1
    at = theirs[min(i, len(theirs) - 1)]["msg"]
    prev = theirs[i - 1]["msg"] if i > 0 else at
    for cand in (prev, at):
        if len(cand.get_all("content-type") or []) > 1:
            return "conflicting_content_type", detail
    if len(o_types) > len(p_types) and prev.get_content_maintype() == "multipart":
        defects = [type(d).__name__ for d in prev.defects]
        if not prev.is_multipart() or any(d in BOUNDARY_DEFECTS for d in defects):
            return "lenient_boundary", detail + " python defects=%s" % defects
    if len(o_types) != len(p_types):
        before = o_types[:i]
        if "message/rfc822" in before or "message/global" in before:
            return "embedded_message_structure", detail
        return "structure_count", detail
    for a, b in zip(o_types, p_types):
        if a == b:
            continue
        if is_textish_default(a, b):
            return "content_type_default", detail
        return "content_type_mismatch", detail
    return "structure_count", detail


def only_whitespace_differs(a, b):
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def known_label(label):
    import codecs
    try:
        codecs.lookup(label)
        return True
    except LookupError:
        return False


def classify_text(msg, our_part, py_part, our_text, py_text, py_error):
    if any(type(d).__name__ == "MissingHeaderBodySeparatorDefect" for d in msg.defects):
        return "header_block_end"
    if only_whitespace_differs(our_text, py_text):
        return "text_whitespace"
    declared = (py_part.get_param("charset") or "").strip().strip("'\" ").lower()
    cte = (py_part.get("Content-Transfer-Encoding") or "").strip().lower()
    payload = py_part.get_payload(decode=True) or b""
    if cte == "base64" and re.fullmatch(r"[A-Za-z0-9+/=\s]{40,}", py_text[:400]) and \
            not re.fullmatch(r"[A-Za-z0-9+/=\s]{40,}", our_text[:400]):
        return "python_base64_fallback"
    if cte == "quoted-printable":
        raw_body = py_part.get_payload(decode=False)
        if isinstance(raw_body, str) and re.search(r"=(?![0-9A-Fa-f]{2}|\r?\n|$)", raw_body):
            return "qp_invalid_escape"
    if not declared or declared in ("us-ascii", "ascii") or not known_label(declared):
        try:
            if normalise(payload.decode("utf-8")) == our_text:
                return "undeclared_8bit_utf8"
        except UnicodeDecodeError:
            pass
    used = (our_part.get("charset_used") or "").lower()
    if declared and used and used != "utf-8" and our_text.count("\ufffd") < py_text.count("\ufffd"):
        return "charset_superset"
    if py_error:
        return "python_exception"
    if re.sub("\ufffd+", "\ufffd", our_text) == re.sub("\ufffd+", "\ufffd", py_text):
        return "replacement_granularity"
    if "\ufffd" in our_text or "\ufffd" in py_text or declared not in ("", "utf-8", "us-ascii"):
        return "charset_decoding"
    if cte in ("base64", "quoted-printable") or "uu" in cte:
        return "transfer_decoding"
    return "text_mismatch"


def client_reads_as_utf8(part, our_text):
    """True when the part has no usable charset label but is valid UTF-8, and we show that.

    Python decodes text without a charset (or labelled us-ascii) as ASCII, so every
    8-bit byte becomes U+FFFD; mail clients show valid UTF-8 as UTF-8. For these parts
    the reference is the client's reading (docs/mime-differences.md, undeclared_8bit_utf8);
    the messages are counted in the summary as agreeing only after this adjustment.
    """
    declared = (part.get_param("charset") or "").strip().strip("'\" ").lower()
    if declared and declared not in ("us-ascii", "ascii") and known_label(declared):
        return False
    try:
        return normalise((part.get_payload(decode=True) or b"").decode("utf-8")) == our_text
    except UnicodeDecodeError:
        return False


def compare(record):
    """(locator, category or None, detail, adjustment or None) for one bw_viewdump record."""
    loc = record["locator"]
    if record.get("status", 0) != 0 or "parts" not in record:
        return loc, "viewdump_error", "bw_viewdump status %s" % record.get("status"), None
    raw = base64.b64decode(record["raw_b64"])
    try:
        msg, theirs = python_parts(raw)
    except Exception as exc:
        return loc, "python_exception", "%s: %s" % (type(exc).__name__, exc), None
    ours = record["parts"]
    structure = classify_structure(ours, theirs)
    if structure:
        return loc, structure[0], structure[1], None
    adjusted = None
    for o, p in zip(ours, theirs):
        if "text" not in o or o.get("attachment") or "part" not in p:
            continue
        try:
            py_text, py_error = python_text(p["part"])
        except Exception as exc:
            return loc, "python_exception", "part %s: %s: %s" % (o["id"], type(exc).__name__, exc), None
        a, b = normalise(o["text"]), normalise(py_text)
        if a == b:
            continue
        if client_reads_as_utf8(p["part"], a):
            adjusted = "undeclared_8bit_utf8"
            continue
        category = classify_text(msg, o, p["part"], a, b, py_error)
        detail = "part %s %s charset=%r used=%r cte=%r: %s" % (
            o["id"], o["content_type"], p["part"].get_param("charset"), o.get("charset_used"),
            p["part"].get("Content-Transfer-Encoding"), excerpt(a, b))
        if py_error:
            detail += " (python raised %s)" % py_error
        return loc, category, detail, None
    return loc, None, "", adjusted


def run_chunk(args):
    viewdump, files = args
    proc = subprocess.run([viewdump] + files, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    results = []
    for line in proc.stdout.splitlines():
        if line.strip():
            results.append(compare(json.loads(line)))
    errors = proc.stderr.decode("utf-8", "replace").strip()
    return results, proc.returncode, errors


# ---- documentation check ------------------------------------------------------


def documented_categories(doc_path):
    try:
        with open(doc_path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return set()
    names = set()
    for m in re.finditer(r"^#+\s*`?([a-z0-9_]+)`?", text, re.M):
        names.add(m.group(1))
    for m in re.finditer(r"\*\*`?([a-z0-9_]+)`?\*\*", text):
        names.add(m.group(1))
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--viewdump", required=True)
    ap.add_argument("--shared", required=True)
    ap.add_argument("--source", default=os.path.join(os.path.dirname(__file__), "..", ".."))
    ap.add_argument("--report", default=os.path.join(os.environ.get("BW_BUILD_DIR", "."),
                                                     "mime_vs_python_report.txt"))
    ap.add_argument("--jobs", type=int, default=2)
    opts = ap.parse_args()

    corpus = os.path.join(opts.shared, "corpus")
    files = find_messages(corpus)
    if not files:
        print("mime_vs_python: no messages under %s" % corpus)
        return 1
    started = time.time()
    chunks = [(opts.viewdump, files[i:i + CHUNK]) for i in range(0, len(files), CHUNK)]
    results = []
    failures = []
    with multiprocessing.Pool(max(1, opts.jobs)) as pool:
        for chunk_results, rc, errors in pool.imap(run_chunk, chunks):
            results.extend(chunk_results)
            if rc != 0 or errors:
                failures.append("bw_viewdump exit %d: %s" % (rc, errors[:300]))
    elapsed = time.time() - started

    total = len(results)
    disagreeing = [r for r in results if r[1]]
    agreeing = total - len(disagreeing)
    pct = 100.0 * agreeing / total if total else 0.0
    counts = {}
    for _, cat, _, _ in disagreeing:
        counts[cat] = counts.get(cat, 0) + 1
    adjustments = {}
    for _, cat, _, adj in results:
        if not cat and adj:
            adjustments[adj] = adjustments.get(adj, 0) + 1
    doc = os.path.join(opts.source, "docs", "mime-differences.md")
    documented = documented_categories(doc)
    undocumented = sorted(c for c in set(counts) | set(adjustments) if c not in documented)

    summary = ["MIME view vs Python email (policy=default)",
               "messages compared: %d (from %d files, %.1fs)" % (total, len(files), elapsed),
               "agreeing: %d (%.2f%%)" % (agreeing, pct),
               "disagreeing: %d" % len(disagreeing)]
    for cat, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        summary.append("  %-28s %5d%s" % (cat, n, "" if cat in documented else "  (UNDOCUMENTED)"))
    for adj, n in sorted(adjustments.items()):
        summary.append("agreeing only after the documented reference adjustment %s: %d" % (adj, n))
        summary.append("  (without it: %d agreeing, %.2f%%)" % (
            agreeing - n, 100.0 * (agreeing - n) / total if total else 0.0))
    for f in failures:
        summary.append("warning: " + f)

    os.makedirs(os.path.dirname(os.path.abspath(opts.report)), exist_ok=True)
    with open(opts.report, "w", encoding="utf-8") as out:
        out.write("\n".join(summary) + "\n\n")
        for loc, cat, detail, _ in sorted(disagreeing, key=lambda r: (r[1], r[0])):
            out.write("%s\t%s\n    %s\n" % (cat, loc, detail))
        adjusted = sorted(r[0] for r in results if not r[1] and r[3])
        if adjusted:
            out.write("\nagreeing after the undeclared_8bit_utf8 adjustment:\n")
            out.writelines("    %s\n" % loc for loc in adjusted)
    print("\n".join(summary))
    print("report: %s" % opts.report)

    ok = True
    if pct < AGREEMENT_REQUIRED:
        print("FAIL: agreement %.2f%% is below the required %.0f%%" % (pct, AGREEMENT_REQUIRED))
        ok = False
    if undocumented:
        print("FAIL: categories not documented in %s: %s" % (doc, ", ".join(undocumented)))
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
