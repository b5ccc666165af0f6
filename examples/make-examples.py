#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Regenerate the example mail in examples/ (mailbox.mbox, Maildir/, single.eml).

Every person, organisation and attacker host below is invented and uses reserved
names (.example, .test, .invalid) and documentation IP ranges (192.0.2.0/24,
198.51.100.0/24, 203.0.113.0/24). Real news outlets appear only as the brand an
invented sender claims to be. DKIM-Signature values are decorative and do not
verify; the Authentication-Results headers carry the receiving server's verdicts.

The output is deterministic, and the generated files are committed: the build and
the tests never run this script.  Usage:  python3 examples/make-examples.py
"""

import base64
import binascii
import hashlib
import os
import re
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


# --------------------------------------------------------------------------- helpers

def b64(data, width=76):
    s = base64.b64encode(data).decode("ascii")
    return "\n".join(s[i:i + width] for i in range(0, len(s), width)) + "\n"


def qp(data, width=76):
    """Quoted-printable encode bytes (LF line ends), with soft line breaks."""
    out_lines = []
    for raw in data.split(b"\n"):
        toks = []
        for i, c in enumerate(raw):
            if c == 0x3D or c > 126 or (c < 32 and c != 9):
                toks.append("=%02X" % c)
            elif c in (9, 32) and i == len(raw) - 1:
                toks.append("=%02X" % c)
            else:
                toks.append(chr(c))
        line = ""
        for t in toks:
            if len(line) + len(t) > width - 1:
                out_lines.append(line + "=")
                line = ""
            line += t
        out_lines.append(line)
    return "\n".join(out_lines)


def ew(text, charset, enc="B"):
    """One RFC 2047 encoded-word."""
    return "=?%s?B?%s?=" % (charset, base64.b64encode(text.encode(charset.lower())).decode())


def png_1x1():
    """A valid 1x1 transparent RGBA PNG."""
    def chunk(kind, payload):
        return (struct.pack(">I", len(payload)) + kind + payload
                + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    idat = zlib.compress(b"\x00\x00\x00\x00\x00", 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def uuencode(name, data, mode="644"):
    lines = ["begin %s %s" % (mode, name)]
    for i in range(0, len(data), 45):
        lines.append(binascii.b2a_uu(data[i:i + 45]).decode("ascii").rstrip("\n"))
    lines.append("`")
    lines.append("end")
    return "\n".join(lines) + "\n"


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def sha1(s):
    return hashlib.sha1(s.encode()).hexdigest()


def sha256(s):
    return hashlib.sha256(s.encode()).hexdigest()


def b64url_nopad(s):
    return base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")


def H(*lines):
    """Header block from lines (continuation lines already start with a tab)."""
    return "\n".join(lines) + "\n"


def received(frm, rdns, ip, by, mta, sid, rcpt, date):
    return ("Received: from %s (%s [%s])\n\tby %s (%s) with ESMTPS id %s\n\tfor <%s>; %s"
            % (frm, rdns, ip, by, mta, sid, rcpt, date))


def local_received(by_from, by_to, sid, rcpt, date):
    return ("Received: from %s (%s [192.0.2.10])\n\tby %s (Dovecot) with LMTP id %s\n\tfor <%s>; %s"
            % (by_from, by_from, by_to, sid, rcpt, date))


def auth(authserv, spf, mailfrom, dkims, dmarc, hfrom, spf_ip):
    parts = ["Authentication-Results: %s;" % authserv]
    for res, d, sel in dkims:
        if res == "none":
            parts.append("\tdkim=none (message not signed);")
        else:
            parts.append("\tdkim=%s header.d=%s header.s=%s;" % (res, d, sel))
    parts.append("\tspf=%s (%s: domain of %s %s %s as permitted sender) smtp.mailfrom=%s;"
                 % (spf, authserv, mailfrom, "designates" if spf == "pass" else "does not designate",
                    spf_ip, mailfrom))
    parts.append("\tdmarc=%s header.from=%s" % (dmarc, hfrom))
    return "\n".join(parts)


def dkim_sig(d, s, t):
    # Decorative: does not verify.
    return ("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s; s=%s;\n"
            "\tt=%d; h=from:to:subject:date:message-id:mime-version:content-type;\n"
            "\tbh=ZXhhbXBsZS1ib2R5LWhhc2gtbm90LXJlYWwtMDAwMDAwMDA=;\n"
            "\tb=ZXhhbXBsZS1zaWduYXR1cmUtZG9lcy1ub3QtdmVyaWZ5LWl0LWlzLWRlY29yYXRpdmUtb25seQ\n"
            "\t UtZm9yLWJlYWNvbndhdGNoLWV4YW1wbGVzLTAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw=="
            % (d, s, t))


# mbox envelope lines are "From <addr> Thu Nov 19 HH:MM:SS 2026" (UTC, asctime form)
def envelope(addr, hms):
    return "From %s Thu Nov 19 %s 2026\n" % (addr, hms)


PNG = png_1x1()
PDF = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
       b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")

ALICE = "alice@parliament-a.example"
BOB = "bob@ngo-b.example"
CAROL = "carol.nguyen@newsroom-c.example"
WTLIN = "wt.lin@legislature-d.example"
ERIN = "Erin.Okafor@parliament-a.example"

MX_A = "mx1.parliament-a.example"
MX_B = "mx.ngo-b.example"
MX_C = "mx.newsroom-c.example"
MX_D = "mail.legislature-d.example"


# --------------------------------------------------------------------------- 1
def m01():
    date = "Thu, 19 Nov 2026 08:03:11 +0100"
    hdr = H(
        "Return-Path: <%s>" % BOB,
        local_received(MX_A, "mailstore.parliament-a.example", "kQ2vAx7fPGbGAQAA", ALICE,
                       "Thu, 19 Nov 2026 07:03:14 +0000"),
        received("smtp.ngo-b.example", "smtp.ngo-b.example", "198.51.100.25", MX_A, "Postfix",
                 "4F2A1C3D9E", ALICE, "Thu, 19 Nov 2026 07:03:13 +0000"),
        "Received: from [10.20.0.15] (unknown [203.0.113.47])\n\tby smtp.ngo-b.example (Postfix) "
        "with ESMTPSA id 7B11E2A04\n\tfor <%s>; Thu, 19 Nov 2026 07:03:11 +0000" % ALICE,
        auth(MX_A, "pass", "ngo-b.example", [("pass", "ngo-b.example", "mail2026")], "pass",
             "ngo-b.example", "198.51.100.25"),
        dkim_sig("ngo-b.example", "mail2026", 1795071791),
        "Message-ID: <20261119070311.7B11E2A04@smtp.ngo-b.example>",
        "In-Reply-To: <a1c9f0e2-77d4-4b3a-9b7e-2f1d0c3e4a55@parliament-a.example>",
        "References: <a1c9f0e2-77d4-4b3a-9b7e-2f1d0c3e4a55@parliament-a.example>",
        "Date: %s" % date,
        "From: Bob Lindqvist <%s>" % BOB,
        "To: Alice Moreau <%s>" % ALICE,
        "Subject: Re: Thursday's hearing on press freedom",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8; format=flowed",
        "Content-Transfer-Encoding: 8bit",
    )
    body = """Hi Alice,

Thanks for the draft. Two small things before Thursday:

1. The figures in section 2 should match our annual report, which is here:
   https://www.ngo-b.example/reports/press-freedom-2026
2. Jürgen from the Zürich office can join by phone; he will call the
   committee clerk directly.

On 18/11/2026 21:40, Alice Moreau wrote:
> Could you check the wording of the second recommendation?
>From the minutes: "the committee notes with concern..." -- is that ours?

Yes, that sentence is ours.

Best,
Bob
--
Bob Lindqvist, Policy Officer, NGO B
"""
    return BOB, "07:03:14", hdr + "\n" + body


# --------------------------------------------------------------------------- 2
def m02():
    sender = "dana.whitfield@policy-lab.example"
    cid = "sig-logo.7c1e@policy-lab.example"
    date = "Thu, 19 Nov 2026 08:41:02 +0000"
    hdr = H(
        "Return-Path: <%s>" % sender,
        local_received(MX_A, "mailstore.parliament-a.example", "pQ3wBy8gQHcHAQAA", ALICE,
                       "Thu, 19 Nov 2026 08:41:05 +0000"),
        received("out.policy-lab.example", "out.policy-lab.example", "198.51.100.61", MX_A,
                 "Postfix", "9C0D11E7F2", ALICE, "Thu, 19 Nov 2026 08:41:04 +0000"),
        auth(MX_A, "pass", "policy-lab.example", [("pass", "policy-lab.example", "s1")], "pass",
             "policy-lab.example", "198.51.100.61"),
        "Message-ID: <CAF4-policylab-0f3e9a@mail.policy-lab.example>",
        "Date: %s" % date,
        "From: Dana Whitfield <%s>" % sender,
        "To: Alice Moreau <%s>" % ALICE,
        "Subject: Notes from the roundtable",
        "MIME-Version: 1.0",
        'Content-Type: multipart/related; boundary="rel-4e1d2c3b"; type="text/html"',
    )
    html = """<html>
<head><meta charset="utf-8"></head>
<body style="font-family:Arial,sans-serif">
<p>Dear Alice,</p>
<p>Thank you for chairing yesterday. My notes are below; the slides are on our
site at <a href="https://www.policy-lab.example/events/roundtable-2026-11">policy-lab.example</a>.</p>
<ul>
<li>Disclosure rules for foreign-funded media</li>
<li>Protection of sources in cross-border investigations</li>
</ul>
<p>Kind regards,<br>Dana</p>
<p><img src="cid:%s" width="96" height="32" alt="Policy Lab"></p>
</body>
</html>
""" % cid
    body = ("This is a multi-part message in MIME format.\n\n"
            "--rel-4e1d2c3b\n"
            "Content-Type: text/html; charset=utf-8\n"
            "Content-Transfer-Encoding: 7bit\n\n" + html + "\n"
            "--rel-4e1d2c3b\n"
            "Content-Type: image/png; name=\"logo.png\"\n"
            "Content-Transfer-Encoding: base64\n"
            "Content-ID: <%s>\n"
            "Content-Disposition: inline; filename=\"logo.png\"\n\n" % cid
            + b64(PNG) + "\n"
            "--rel-4e1d2c3b--\n")
    return sender, "08:41:05", hdr + "\n" + body


# --------------------------------------------------------------------------- 3
NEWS_ID_ALICE = "2fQx8LmZr4TbVw7KpN3sYd"
NEWS_ID_BOB = "9KcT3wVaHq1ZmR6yLs0bXe"


def daily_example(rcpt_name, rcpt, rid, msgid, date, recv_date, mx, envtime, issue):
    bounce = "bounce-%s@bounce.dailyexample.example" % rid.lower()[:10]
    click = "https://click.esp.example/c/%s" % rid

    def link(n, target):
        from urllib.parse import quote
        return "%s/%d?u=%s" % (click, n, quote(target, safe=""))

    a1 = "https://www.dailyexample.example/world/2026/nov/19/summit-ends-without-agreement"
    a2 = "https://www.dailyexample.example/politics/2026/nov/19/budget-vote-delayed"
    a3 = "https://www.dailyexample.example/culture/2026/nov/19/festival-review"
    hdr = H(
        "Return-Path: <%s>" % bounce,
        received("o12.mail.esp.example", "o12.mail.esp.example", "198.51.100.77", mx, "Postfix",
                 "E4C1B0A2" + rid[:4].upper(), rcpt, recv_date),
        auth(mx, "pass", "bounce.dailyexample.example",
             [("pass", "dailyexample.example", "esp1"), ("pass", "esp.example", "s2048")],
             "pass", "dailyexample.example", "198.51.100.77"),
        dkim_sig("dailyexample.example", "esp1", 1795068000),
        dkim_sig("esp.example", "s2048", 1795068000),
        "Message-ID: <%s>" % msgid,
        "Date: %s" % date,
        "From: The Daily Example <newsletter@dailyexample.example>",
        "Reply-To: The Daily Example <readers@dailyexample.example>",
        "To: %s <%s>" % (rcpt_name, rcpt),
        "Subject: Morning Briefing: summit ends without agreement; budget vote delayed",
        "List-Id: The Daily Example Morning Briefing <morning.dailyexample.example>",
        "List-Unsubscribe: <https://mail.esp.example/u/%s?l=morning>,\n"
        "\t<mailto:unsub-%s@mail.esp.example?subject=unsubscribe>" % (rid, rid),
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        "Feedback-ID: morning:dailyexample:esp",
        "Precedence: bulk",
        "MIME-Version: 1.0",
        'Content-Type: multipart/alternative; boundary="alt-de-%s"' % issue,
    )
    text = """THE DAILY EXAMPLE - MORNING BRIEFING
Thursday 19 November 2026

Summit ends without agreement
Leaders left the two-day summit without a joint statement.
Read more: %s

Budget vote delayed
The vote has been moved to next week after a late amendment.
Read more: %s

Festival review: five films to watch
Read more: %s

You are receiving this because you subscribed to the Morning Briefing.
Unsubscribe: https://mail.esp.example/u/%s?l=morning
The Daily Example, 1 Example Street, Exampletown
""" % (link(1, a1), link(2, a2), link(3, a3), rid)
    html = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Morning Briefing</title></head>
<body style="margin:0;background:#f4f4f4">
<table width="600" align="center" cellpadding="0" cellspacing="0" style="background:#ffffff">
<tr><td><a href="%s"><img src="https://img.dailyexample.example/brand/masthead-600.png" width="600" height="80" alt="The Daily Example"></a></td></tr>
<tr><td style="padding:16px;font-family:Georgia,serif">
<h1 style="font-size:22px">Summit ends without agreement</h1>
<img src="https://img.dailyexample.example/2026/11/19/summit-lead-560.jpg" width="560" height="315" alt="Leaders at the summit">
<p>Leaders left the two-day summit without a joint statement. <a href="%s">Read more</a></p>
<h2 style="font-size:18px">Budget vote delayed</h2>
<p>The vote has been moved to next week after a late amendment. <a href="%s">Read more</a></p>
<h2 style="font-size:18px">Festival review: five films to watch</h2>
<p><a href="%s">Read the review</a></p>
</td></tr>
<tr><td style="padding:16px;font-size:11px;color:#777">You are receiving this because you subscribed to the Morning Briefing.
<a href="https://mail.esp.example/u/%s?l=morning">Unsubscribe</a> |
<a href="%s">Manage preferences</a><br>The Daily Example, 1 Example Street, Exampletown</td></tr>
</table>
<img src="https://mail.esp.example/o/%s.gif" width="1" height="1" alt="" style="display:block;border:0;height:1px;width:1px">
</body>
</html>
""" % (link(0, "https://www.dailyexample.example/"), link(1, a1), link(2, a2), link(3, a3), rid,
       link(9, "https://www.dailyexample.example/account/newsletters"), rid)
    b = "alt-de-%s" % issue
    body = ("--%s\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n" % b
            + text + "\n"
            "--%s\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" % b
            + b64(html.encode()) + "\n--%s--\n" % b)
    return bounce, envtime, hdr + "\n" + body


def m03():
    return daily_example("Alice Moreau", ALICE, NEWS_ID_ALICE,
                         "<20261119060000.%s@mail.esp.example>" % NEWS_ID_ALICE,
                         "Thu, 19 Nov 2026 06:00:00 +0000", "Thu, 19 Nov 2026 06:00:07 +0000",
                         MX_A, "06:00:07", "1119")


# --------------------------------------------------------------------------- 4
def m04():
    rcpt_written = "Alice@parliament-a.example"
    tok = md5(rcpt_written.lower())
    bounce = "bounce+7731@mx7.bulk-relay.test"
    date = "Thu, 19 Nov 2026 09:12:40 +0000"
    art = "https://www.bbc.com/news/articles/c4g7x2e9n1po"
    from urllib.parse import quote
    click = "https://t.newsbrief.test/r/%s?u=%s" % (tok, quote(art, safe=""))
    pixel = "https://t.newsbrief.test/o/%s.gif" % tok
    hdr = H(
        "Return-Path: <%s>" % bounce,
        local_received(MX_A, "mailstore.parliament-a.example", "rS4xCz9hRIdIAQAA", ALICE,
                       "Thu, 19 Nov 2026 09:12:45 +0000"),
        received("mx7.bulk-relay.test", "mx7.bulk-relay.test", "203.0.113.66", MX_A, "Postfix",
                 "1D2E3F4A5B", ALICE, "Thu, 19 Nov 2026 09:12:44 +0000"),
        auth(MX_A, "pass", "mx7.bulk-relay.test", [("none", "", "")], "fail (p=none dis=none)",
             "bbc-newsroom.test", "203.0.113.66"),
        "Message-ID: <20261119091240.55e1c0ffee@bbc-newsroom.test>",
        "Date: %s" % date,
        'From: "BBC News" <newsdesk@bbc-newsroom.test>',
        'Reply-To: "BBC News" <bbc.newsdesk.uk@outlook.com>',
        "To: <%s>" % rcpt_written,
        "Subject: Parliamentary alliance members named in new report on foreign pressure",
        "X-Mailer: Microsoft Outlook 16.0",
        "MIME-Version: 1.0",
        'Content-Type: multipart/alternative; boundary="----=_NextPart_000_0013_01DB3A2C.5E6F7A80"',
    )
    b = "----=_NextPart_000_0013_01DB3A2C.5E6F7A80"
    text = """BBC News

Parliamentary alliance members named in new report on foreign pressure

From Brussels, our Europe correspondent reports that a cross-party group of
legislators has published a report describing sustained pressure on its members.

The report lists incidents in eleven countries over two years, including
messages sent to members' official addresses.

Read the full story: %s

BBC News, Broadcasting House, London
""" % art
    html = """<html>
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>
<body style="font-family:Helvetica,Arial,sans-serif;color:#141414">
<table width="640" cellpadding="0" cellspacing="0"><tr><td>
<img src="https://static.bbc-newsroom.test/img/bbc-news-masthead.png" width="640" height="64" alt="BBC News">
<h1 style="font-size:24px">Parliamentary alliance members named in new report on foreign pressure</h1>
<p>
From Brussels, our Europe correspondent reports that a cross-party group of
legislators has published a report describing sustained pressure on its members.
</p>
<p>The report lists incidents in eleven countries over two years, including
messages sent to members' official addresses. Several members said they had
been approached by people claiming to be journalists.</p>
<p><a href="%s">Read the full story</a> | <a href="https://www.bbc.com/news/world">World news</a></p>
<p style="font-size:11px;color:#666">BBC News, Broadcasting House, London</p>
</td></tr></table>
<img src="%s" width="1" height="1" border="0" alt="" style="width:1px;height:1px;border:0;opacity:0">
</body>
</html>
""" % (click, pixel)
    body = ("This is a multipart message in MIME format.\n\n"
            "--%s\nContent-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: 7bit\n\n" % b
            + text + "\n"
            "--%s\nContent-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: 7bit\n\n" % b
            + html + "\n--%s--\n" % b)
    return bounce, "09:12:44", hdr + "\n" + body


# --------------------------------------------------------------------------- 5
def m05():
    sender = "jane.doe.reuters.desk@gmail.com"
    tok = b64url_nopad(BOB)
    date = "Thu, 19 Nov 2026 10:27:19 +0800"
    hdr = H(
        "Return-Path: <%s>" % sender,
        received("mail-sor-f41.google.com", "mail-sor-f41.google.com", "198.51.100.141", MX_B,
                 "Postfix", "3A9B8C7D6E", BOB, "Thu, 19 Nov 2026 02:27:21 +0000"),
        auth(MX_B, "pass", "gmail.com", [("pass", "gmail.com", "20230601")], "pass", "gmail.com",
             "198.51.100.141"),
        dkim_sig("gmail.com", "20230601", 1795055239),
        "Message-ID: <CAB7xQ2kZm1rT9pWv4Hc8sNfYd0eJ3uLq6aG5oK=EXAMPLE+w@mail.gmail.com>",
        "Date: %s" % date,
        "From: Jane Doe | Reuters <%s>" % sender,
        "To: Bob Lindqvist <%s>" % BOB,
        "Subject: Request for comment: NGO funding disclosure rules",
        "MIME-Version: 1.0",
        'Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f60718"',
    )
    b = "000000000000a1b2c3d4e5f60718"
    text = """Dear Mr Lindqvist,

I am a correspondent with Reuters covering civil society in the region. We are
preparing a piece on the proposed disclosure rules for foreign-funded NGOs and
would welcome a short comment from your organisation by Friday.

Our earlier coverage: https://www.reuters.com/world/

Best regards,
Jane Doe
Senior Correspondent, Asia
Reuters
+44 20 7946 0000
"""
    html = """<div dir="ltr"><div style="background-image:url('https://cdn.press-files.test/bg/%s.png');background-repeat:no-repeat;background-size:1px 1px;width:1px;height:1px;line-height:1px;font-size:1px">&nbsp;</div>
<div>Dear Mr Lindqvist,</div><div><br></div>
<div>I am a correspondent with Reuters covering civil society in the region. We are preparing a piece on the proposed disclosure rules for foreign-funded NGOs and would welcome a short comment from your organisation by Friday.</div><div><br></div>
<div>Our earlier coverage: <a href="https://www.reuters.com/world/">https://www.reuters.com/world/</a></div><div><br></div>
<div>Best regards,</div><div>Jane Doe</div><div>Senior Correspondent, Asia</div><div><b>Reuters</b></div><div>+44 20 7946 0000</div></div>
""" % tok
    body = ("--%s\nContent-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: quoted-printable\n\n" % b
            + qp(text.encode()) + "\n"
            "--%s\nContent-Type: text/html; charset=\"UTF-8\"\nContent-Transfer-Encoding: quoted-printable\n\n" % b
            + qp(html.encode()) + "\n--%s--\n" % b)
    return sender, "02:27:21", hdr + "\n" + body


# --------------------------------------------------------------------------- 6
def m06():
    sender = "newsletter@rfa-newsdesk.test"
    hexid = CAROL.encode().hex()
    shaid = sha256(CAROL.lower())
    date = "Thu, 19 Nov 2026 03:05:55 -0500"
    hdr = H(
        "Return-Path: <%s>" % sender,
        received("smtp.rfa-newsdesk.test", "smtp.rfa-newsdesk.test", "203.0.113.88", MX_C,
                 "Postfix", "6E5D4C3B2A", CAROL, "Thu, 19 Nov 2026 08:05:58 +0000"),
        auth(MX_C, "pass", "rfa-newsdesk.test", [("pass", "rfa-newsdesk.test", "default")], "pass",
             "rfa-newsdesk.test", "203.0.113.88"),
        dkim_sig("rfa-newsdesk.test", "default", 1795075555),
        "Message-ID: <b3f1e2d4c5a6.20261119080555@rfa-newsdesk.test>",
        "Date: %s" % date,
        "From: Radio Free Asia <%s>" % sender,
        "To: Carol Nguyen <%s>" % CAROL,
        "Subject: RFA Weekly: press freedom in the region, November edition",
        "MIME-Version: 1.0",
        "Content-Type: text/html; charset=utf-8",
        "Content-Transfer-Encoding: base64",
    )
    html = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<style type="text/css">
@import url("https://fonts.rfa-cdn.test/css2?family=Noto+Serif&r=%s");
@font-face {
  font-family: "RFA Serif";
  src: url(https://fonts.rfa-cdn.test/f/%s.woff2) format("woff2"),
       url('https://fonts.rfa-cdn.test/f/%s.woff') format("woff");
}
body { font-family: "RFA Serif", Georgia, serif; color: #222; }
h1 { font-size: 24px; }
</style>
</head>
<body>
<h1>Press freedom in the region: November edition</h1>
<p>This month: new accreditation rules for foreign correspondents, and an
interview with a newsroom that moved its servers abroad.</p>
<p><a href="https://www.rfa.org/english/">Radio Free Asia</a></p>
</body>
</html>
""" % (hexid, shaid, shaid)
    return sender, "08:05:58", hdr + "\n" + b64(html.encode())


# --------------------------------------------------------------------------- 7
def m07():
    sender = "min.zhao.hk@outlook.com"
    real = "https://rfa-org.news-mirror.test/english/news/alliance-2026-11.html"
    date = "Thu, 19 Nov 2026 11:48:30 +0000"
    hdr = H(
        "Return-Path: <%s>" % sender,
        local_received(MX_A, "mailstore.parliament-a.example", "tU5yDa0iSJeJAQAA", ALICE,
                       "Thu, 19 Nov 2026 11:48:36 +0000"),
        received("EUR05-AM6-obe.outbound.protection.outlook.com",
                 "mail-am6eur05olkn2045.outbound.protection.outlook.com", "198.51.100.203", MX_A,
                 "Postfix", "8F7E6D5C4B", ALICE, "Thu, 19 Nov 2026 11:48:35 +0000"),
        auth(MX_A, "pass", "outlook.com", [("pass", "outlook.com", "selector1")], "pass",
             "outlook.com", "198.51.100.203"),
        "Message-ID: <DB9P192MB1733E0A5C1B2D3E4F5A6B7C8D9E0@DB9P192MB1733.EURP192.PROD.OUTLOOK.COM>",
        "Date: %s" % date,
        "From: Min Zhao <%s>" % sender,
        "To: Alice Moreau <%s>" % ALICE,
        "Subject: RFA story about the alliance - you are mentioned",
        "MIME-Version: 1.0",
        'Content-Type: multipart/alternative; boundary="_000_DB9P192MB1733E0A5_"',
    )
    b = "_000_DB9P192MB1733E0A5_"
    text = """Dear Ms Moreau,

Radio Free Asia published a story this morning about the alliance, and your
name is in it:

https://www.rfa.org/english/<%s>

The full archive is at www.rfa.org/english/news/ if the link does not open.

Regards,
Min Zhao
""" % real
    html = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=us-ascii"></head>
<body>
<p>Dear Ms Moreau,</p>
<p>Radio Free Asia published a story this morning about the alliance, and your name is in it:</p>
<p><a href="%s" title="https://www.rfa.org/english/">https://www.rfa.org/english/</a></p>
<p>The full archive is at www.rfa.org/english/news/ if the link does not open.</p>
<p>Regards,<br>Min Zhao</p>
</body></html>
""" % real
    body = ("--%s\nContent-Type: text/plain; charset=\"us-ascii\"\nContent-Transfer-Encoding: 7bit\n\n" % b
            + text + "\n"
            "--%s\nContent-Type: text/html; charset=\"us-ascii\"\nContent-Transfer-Encoding: quoted-printable\n\n" % b
            + qp(html.encode()) + "\n--%s--\n" % b)
    return sender, "11:48:36", hdr + "\n" + body


# --------------------------------------------------------------------------- 8
def m08():
    sender = "news@cna-tw-press.test"
    tok = base64.b64encode(WTLIN.encode()).decode()  # standard alphabet, padded ("==")
    pixel = "https://img.cna-tw-press.test/newsletter/2026/1119/spacer.gif?cid=tw1119&uid=%s" % tok
    date = "Thu, 19 Nov 2026 17:20:08 +0800"
    subj = ew("中央社獨家：", "UTF-8") + " " + ew("立法院专访邀请", "GB2312")
    hdr = H(
        "Return-Path: <%s>" % sender,
        received("smtp.cna-tw-press.test", "smtp.cna-tw-press.test", "203.0.113.120", MX_D,
                 "Postfix", "2B3C4D5E6F", WTLIN, "Thu, 19 Nov 2026 09:20:11 +0000"),
        auth(MX_D, "softfail", "cna-tw-press.test", [("none", "", "")], "fail (p=quarantine)",
             "cna-tw-press.test", "203.0.113.120"),
        "Message-ID: <20261119172008.88421@cna-tw-press.test>",
        "Date: %s" % date,
        "From: %s <%s>" % (ew("中央通訊社 即時新聞", "Big5"), sender),
        "To: %s <%s>" % (ew("林委員", "Big5"), WTLIN),
        "Subject: %s" % subj,
        "MIME-Version: 1.0",
        'Content-Type: multipart/alternative; boundary="=_cna_alt_5f1c"',
    )
    b = "=_cna_alt_5f1c"
    text = """各位委員您好：

中央通訊社擬於下週就國會外交議題進行專訪，敬請撥冗回覆。

全文請見： https://www.cna.com.tw/news/aipl/202611190001.aspx

中央通訊社 編輯部
"""
    html = """<html>
<head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head>
<body style="font-family:PMingLiU,serif">
<p><img src="https://img.cna-tw-press.test/newsletter/2026/1119/masthead.png" width="600" height="60" alt="中央通訊社"></p>
<p>各位委員您好：</p>
<p>中央通訊社擬於下週就國會外交議題進行專訪，敬請撥冗回覆。</p>
<p><a href="https://www.cna.com.tw/news/aipl/202611190001.aspx">全文請見</a></p>
<p>中央通訊社 編輯部</p>
<img src="%s" width="1" height="1" style="border:0;display:block" alt="">
</body>
</html>
""" % pixel
    body = (b"--" + b.encode() + b"\nContent-Type: text/plain; charset=big5\n"
            b"Content-Transfer-Encoding: 8bit\n\n" + text.encode("big5") + b"\n"
            b"--" + b.encode() + b"\nContent-Type: text/html; charset=big5\n"
            b"Content-Transfer-Encoding: quoted-printable\n\n"
            + qp(html.encode("big5")).encode("ascii") + b"\n--" + b.encode() + b"--\n")
    return sender, "09:20:11", (hdr + "\n").encode() + body


# --------------------------------------------------------------------------- 9
def m09():
    date = "Thu, 19 Nov 2026 12:15:00 +0100"
    inner_tok = "bob%40ngo-b.example"
    inner_date = "Wed, 18 Nov 2026 16:02:33 +0900"
    inner = H(
        "Return-Path: <briefing@nikkei-asia-desk.test>",
        received("mta3.nikkei-asia-desk.test", "mta3.nikkei-asia-desk.test", "203.0.113.150", MX_B,
                 "Postfix", "5A6B7C8D9E", BOB, "Wed, 18 Nov 2026 07:02:36 +0000"),
        auth(MX_B, "pass", "nikkei-asia-desk.test", [("none", "", "")], "none",
             "nikkei-asia-desk.test", "203.0.113.150"),
        "Message-ID: <0a1b2c3d4e5f.briefing@nikkei-asia-desk.test>",
        "Date: %s" % inner_date,
        "From: Nikkei Asia <briefing@nikkei-asia-desk.test>",
        "To: Bob Lindqvist <%s>" % BOB,
        "Subject: Interview request: civil society and the new disclosure law",
        "MIME-Version: 1.0",
        "Content-Type: text/html; charset=utf-8",
        "Content-Transfer-Encoding: 7bit",
    ) + "\n" + """<html><body>
<img src="https://www.nikkei-asia-desk.test/assets/masthead.png" width="560" height="56" alt="Nikkei Asia">
<p>Dear Mr Lindqvist,</p>
<p>Nikkei Asia is preparing a feature on the new disclosure law and would like
to interview you this week.</p>
<p><a href="https://asia.nikkei.com/Politics">Our recent coverage</a></p>
<img src="https://px.asia-briefing.test/o.gif?rcpt=%s&amp;w=1118" width="1" height="1" alt="">
</body></html>
""" % inner_tok
    hdr = H(
        "Return-Path: <%s>" % BOB,
        received("smtp.ngo-b.example", "smtp.ngo-b.example", "198.51.100.25", MX_B, "Postfix",
                 "0C1D2E3F4A", "security@ngo-b.example", "Thu, 19 Nov 2026 11:15:02 +0000"),
        auth(MX_B, "pass", "ngo-b.example", [("pass", "ngo-b.example", "mail2026")], "pass",
             "ngo-b.example", "198.51.100.25"),
        "Message-ID: <20261119111500.0C1D2E3F4A@smtp.ngo-b.example>",
        "Date: %s" % date,
        "From: Bob Lindqvist <%s>" % BOB,
        "To: IT Security <security@ngo-b.example>",
        "Subject: Fwd: Interview request: civil society and the new disclosure law",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="fwd-mixed-77aa"',
    )
    fname = "Rapport%20annuel%202026%20%E2%80%93%20r%C3%A9sum%C3%A9.pdf"
    body = ("This is a multi-part message in MIME format.\n\n"
            "--fwd-mixed-77aa\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n"
            "Hi team,\n\nThis arrived yesterday and looks odd: the sender is not a nikkei.com\n"
            "address. Forwarding it as an attachment, unopened. I also attach the summary\n"
            "of our annual report that they asked about.\n\nBob\n\n"
            "--fwd-mixed-77aa\nContent-Type: message/rfc822\n"
            "Content-Disposition: attachment; filename=\"Interview request.eml\"\n\n"
            + inner + "\n"
            "--fwd-mixed-77aa\nContent-Type: application/pdf; name=\"Rapport annuel 2026.pdf\"\n"
            "Content-Transfer-Encoding: base64\n"
            "Content-Disposition: attachment;\n\tfilename*=UTF-8''%s\n\n" % fname
            + b64(PDF) + "\n--fwd-mixed-77aa--\n")
    return BOB, "11:15:02", hdr + "\n" + body


# --------------------------------------------------------------------------- 10
def m10():
    sender = "elodie.martin@assoc-e.example"
    date = "Thu, 19 Nov 2026 13:30:12 +0100"
    hdr = H(
        "Return-Path: <%s>" % sender,
        local_received(MX_A, "mailstore.parliament-a.example", "vW6zEb1jTKfKAQAA", ALICE,
                       "Thu, 19 Nov 2026 12:30:16 +0000"),
        received("mail.assoc-e.example", "mail.assoc-e.example", "192.0.2.77", MX_A, "Postfix",
                 "4D5E6F7A8B", ALICE, "Thu, 19 Nov 2026 12:30:15 +0000"),
        auth(MX_A, "pass", "assoc-e.example", [("pass", "assoc-e.example", "k1")], "pass",
             "assoc-e.example", "192.0.2.77"),
        "Message-ID: <5f6e7d8c9b0a@mail.assoc-e.example>",
        "Date: %s" % date,
        "From: Elodie Martin <%s>" % sender,
        "To: Alice Moreau <%s>" % ALICE,
    ).encode()
    # An unencoded ISO-8859-1 byte (0xE9) in the Subject, a header line without a
    # colon, and a multipart body whose closing boundary is missing.
    hdr += b"Subject: R\xe9union de jeudi / ordre du jour\n"
    hdr += H(
        "MIME-Version: 1.0",
        'Content-Type: multipart/alternative; boundary="b10-broken-3c"',
        "X-Legacy-Gateway this header line has no colon",
        "X-Mailer: LegacyMail 2.1",
    ).encode()
    body = ("--b10-broken-3c\nContent-Type: text/plain; charset=utf-8\n\n"
            "Bonjour Alice,\n\nVoici l'ordre du jour pour jeudi. La salle est la 4.12.\n\n"
            "Elodie\n\n"
            "--b10-broken-3c\nContent-Type: text/html; charset=utf-8\n\n"
            "<html><body>\n<p>Bonjour Alice,</p>\n"
            "<p>Voici l'ordre du jour pour jeudi. La salle est la 4.12.</p>\n"
            "<p>Elodie</p>\n"
            "<p><img src=\"https://www.assoc-e.example/img/logo-assoc-e.png\" width=\"120\" height=\"40\" alt=\"Association E\"></p>\n"
            "</body></html>\n")
    return sender, "12:30:16", hdr + b"\n" + body.encode()


# --------------------------------------------------------------------------- 11
FORUM_ID = "3f9c2a7e-5b41-4d8e-9a06-c1e2f3a4b5d6"


def m11():
    sender = "events@policyforum.example"
    u = FORUM_ID
    date = "Thu, 19 Nov 2026 14:00:00 +0000"
    hdr = H(
        "Return-Path: <bounces@policyforum.example>",
        local_received(MX_A, "mailstore.parliament-a.example", "xY7aFc2kULgLAQAA", ALICE,
                       "Thu, 19 Nov 2026 14:00:04 +0000"),
        received("out1.policyforum.example", "out1.policyforum.example", "198.51.100.99", MX_A,
                 "Postfix", "7A8B9C0D1E", ALICE, "Thu, 19 Nov 2026 14:00:03 +0000"),
        auth(MX_A, "pass", "policyforum.example", [("pass", "policyforum.example", "pf1")], "pass",
             "policyforum.example", "198.51.100.99"),
        "Message-ID: <invite-2026-12.%s@policyforum.example>" % u[:8],
        "Date: %s" % date,
        "From: Example Policy Forum <%s>" % sender,
        "To: Alice Moreau <%s>" % ALICE,
        "Subject: Invitation: Winter Policy Forum, 10 December",
        "List-Unsubscribe: <https://events.policyforum.example/unsubscribe?a=%s>" % u,
        "MIME-Version: 1.0",
        "Content-Type: text/html; charset=utf-8",
        "Content-Transfer-Encoding: 7bit",
    )
    html = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="0; url=https://events.policyforum.example/view/%(u)s">
<link rel="icon" href="https://www.policyforum.example/favicon.ico">
<title>Winter Policy Forum</title>
</head>
<body>
<table width="640" background="https://img.policyforum.example/bg/paper-texture.png" cellpadding="12">
<tr><td>
<img src="https://img.policyforum.example/banner-640.jpg"
     srcset="https://img.policyforum.example/banner-640.jpg 1x, https://img.policyforum.example/banner-1280.jpg 2x"
     width="640" height="200" alt="Winter Policy Forum">
<h1>Winter Policy Forum, 10 December</h1>
<picture>
  <source srcset="https://img.policyforum.example/speakers-640.webp 640w, https://img.policyforum.example/speakers-1280.webp 1280w" type="image/webp">
  <img src="https://img.policyforum.example/speakers-640.jpg" width="640" alt="Speakers">
</picture>
<video width="320" height="180" poster="https://img.policyforum.example/trailer-poster.jpg" controls>
  <source src="https://media.policyforum.example/trailer.mp4" type="video/mp4">
</video>
<form action="https://events.policyforum.example/rsvp" method="get">
  <input type="hidden" name="a" value="%(u)s">
  <input type="image" src="https://img.policyforum.example/buttons/rsvp.png" alt="RSVP">
</form>
<iframe src="https://events.policyforum.example/embed/agenda?a=%(u)s" width="600" height="120" frameborder="0"></iframe>
<p><a href="https://events.policyforum.example/programme?a=%(u)s">Full programme</a></p>
</td></tr>
</table>
<img src="https://pixel.forum-analytics.test/v1/open/%(u)s.gif" style="display:none" alt="">
<img src="https://pixel.forum-analytics.test/v1/z/%(u)s.png" width="0" height="0" alt="">
<div style="position:absolute;left:-9999px;top:-9999px"><img src="https://pixel.forum-analytics.test/v1/p/%(u)s.gif" width="1" height="1" alt=""></div>
</body>
</html>
""" % {"u": u}
    return "bounces@policyforum.example", "14:00:04", hdr + "\n" + html


# --------------------------------------------------------------------------- 12
def m12():
    sender = "tom.reyes@ngo-b.example"
    date = "Thu, 19 Nov 2026 15:45:51 +0100"
    notes = (b"Meeting notes, 18 November 2026\n"
             b"- agenda for the 26th: https://www.ngo-b.example/agenda/2026-11-26\n"
             b"- bring passports for the building pass\n"
             b"- Alice to circulate the hearing transcript\n")
    hdr = H(
        "Return-Path: <%s>" % sender,
        local_received(MX_A, "mailstore.parliament-a.example", "zA8bGd3lVMhMAQAA", ALICE,
                       "Thu, 19 Nov 2026 14:45:55 +0000"),
        received("smtp.ngo-b.example", "smtp.ngo-b.example", "198.51.100.25", MX_A, "Postfix",
                 "8B9C0D1E2F", ALICE, "Thu, 19 Nov 2026 14:45:54 +0000"),
        auth(MX_A, "pass", "ngo-b.example", [("pass", "ngo-b.example", "mail2026")], "pass",
             "ngo-b.example", "198.51.100.25"),
        "Message-ID: <20261119144551.8B9C0D1E2F@smtp.ngo-b.example>",
        "Date: %s" % date,
        "From: Tom Reyes <%s>" % sender,
        "To: Alice Moreau <%s>" % ALICE,
        "Subject: notes from yesterday (old mail client, sorry)",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=us-ascii",
        "Content-Transfer-Encoding: 7bit",
    )
    body = ("Alice,\n\nMy notes from yesterday are attached the old-fashioned way.\n\nTom\n\n"
            + uuencode("notes.txt", notes))
    return sender, "14:45:55", hdr + "\n" + body


# --------------------------------------------------------------------------- Maildir
def maildir_clean():
    date = "Thu, 19 Nov 2026 07:55:20 +0100"
    hdr = H(
        "Return-Path: <%s>" % ALICE,
        received("smtp.parliament-a.example", "smtp.parliament-a.example", "192.0.2.25", MX_B,
                 "Postfix", "1A2B3C4D5E", BOB, "Thu, 19 Nov 2026 06:55:23 +0000"),
        auth(MX_B, "pass", "parliament-a.example", [("pass", "parliament-a.example", "pa2026")],
             "pass", "parliament-a.example", "192.0.2.25"),
        "Message-ID: <a1c9f0e2-77d4-4b3a-9b7e-2f1d0c3e4a56@parliament-a.example>",
        "Date: %s" % date,
        "From: Alice Moreau <%s>" % ALICE,
        "To: Bob Lindqvist <%s>" % BOB,
        "Subject: Room change for Thursday",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 7bit",
    )
    body = ("Bob,\n\nThe hearing moves to room 4.12. Same time, 10:00.\n"
            "Visitor passes: https://www.parliament-a.example/visit\n\nAlice\n")
    return hdr + "\n" + body


def maildir_newsletter():
    _, _, msg = daily_example("Bob Lindqvist", BOB, NEWS_ID_BOB,
                              "<20261119060000.%s@mail.esp.example>" % NEWS_ID_BOB,
                              "Thu, 19 Nov 2026 06:00:00 +0000",
                              "Thu, 19 Nov 2026 06:00:09 +0000", MX_B, "06:00:09", "1119b")
    return msg


# --------------------------------------------------------------------------- single.eml
def single():
    rcpt = ERIN
    tok = sha1(rcpt.lower())
    art = "https://www.theguardian.com/world/2026/nov/19/alliance-report-foreign-pressure"
    from urllib.parse import quote
    date = "Thu, 19 Nov 2026 16:10:05 +0000"
    hdr = H(
        "Return-Path: <bounces+c81f@bounces.bulkmail-relay.test>",
        local_received(MX_A, "mailstore.parliament-a.example", "bC9cHe4mWNiNAQAA", rcpt.lower(),
                       "Thu, 19 Nov 2026 16:10:09 +0000"),
        received("o7.bulkmail-relay.test", "o7.bulkmail-relay.test", "203.0.113.201", MX_A,
                 "Postfix", "9D0E1F2A3B", rcpt.lower(), "Thu, 19 Nov 2026 16:10:08 +0000"),
        auth(MX_A, "pass", "bounces.bulkmail-relay.test",
             [("pass", "bulkmail-relay.test", "s1")], "fail (p=none dis=none)",
             "theguardian-briefing.test", "203.0.113.201"),
        dkim_sig("bulkmail-relay.test", "s1", 1795104605),
        "Message-ID: <c81f.20261119161005.4417@bulkmail-relay.test>",
        "Date: %s" % date,
        "From: The Guardian <newsletters@theguardian-briefing.test>",
        "To: Erin Okafor <%s>" % rcpt,
        "Subject: Exclusive: alliance report on foreign pressure - your response requested",
        "List-Unsubscribe: <https://open.bulkmail-relay.test/u/%s>" % tok,
        "MIME-Version: 1.0",
        "Content-Type: text/html; charset=utf-8",
        "Content-Transfer-Encoding: 7bit",
    )
    html = """<html>
<body style="font-family:Georgia,serif">
<p><img src="https://open.bulkmail-relay.test/t/%s/p.gif" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0"></p>
<h1>Alliance report on foreign pressure names eleven parliaments</h1>
<p>A cross-party report published today describes sustained pressure on members
of an inter-parliamentary alliance, including email campaigns impersonating the press.</p>
<p>We would welcome your response before publication.
<a href="https://open.bulkmail-relay.test/c/%s?to=%s">Read the draft article</a></p>
<p>The Guardian, Kings Place, London</p>
</body>
</html>
""" % (tok, tok, quote(art, safe=""))
    return (hdr + "\n" + html).replace("\n", "\r\n")


# --------------------------------------------------------------------------- writers
FROM_LINE = re.compile(rb"^>*From ")


def mboxrd_escape(msg):
    out = []
    for line in msg.split(b"\n"):
        out.append(b">" + line if FROM_LINE.match(line) else line)
    return b"\n".join(out)


def as_bytes(x):
    return x if isinstance(x, bytes) else x.encode("utf-8")


def main():
    msgs = [m01(), m02(), m03(), m04(), m05(), m06(), m07(), m08(), m09(), m10(), m11(), m12()]
    with open(os.path.join(HERE, "mailbox.mbox"), "wb") as f:
        for env_addr, hms, msg in msgs:
            msg = as_bytes(msg)
            if not msg.endswith(b"\n"):
                msg += b"\n"
            f.write(envelope(env_addr, hms).encode())
            f.write(mboxrd_escape(msg))
            f.write(b"\n")
    md = os.path.join(HERE, "Maildir")
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(md, sub), exist_ok=True)
    with open(os.path.join(md, "cur", "1795071323.M412907P2201.mx.ngo-b.example:2,S"), "wb") as f:
        f.write(as_bytes(maildir_clean()))
    with open(os.path.join(md, "new", "1795068009.M88123P2207.mx.ngo-b.example"), "wb") as f:
        f.write(as_bytes(maildir_newsletter()))
    with open(os.path.join(md, "tmp", ".gitkeep"), "wb") as f:
        pass
    with open(os.path.join(HERE, "single.eml"), "wb") as f:
        f.write(as_bytes(single()))


if __name__ == "__main__":
    main()
