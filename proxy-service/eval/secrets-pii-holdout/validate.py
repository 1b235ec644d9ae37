#!/usr/bin/env python3
"""Sanity checks for both holdout files (CC0-1.0). Run: python3 validate.py"""
import json, os, re, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_pii import luhn_ok, iban_ok, ssn_ok  # noqa

here = os.path.dirname(os.path.abspath(__file__))
ok = True

def fail(*a):
    global ok
    ok = False
    print("FAIL", *a)

# ---- secrets
rows = [json.loads(l) for l in open(os.path.join(here, "secrets-ide-holdout.jsonl"), encoding="utf-8")]
ids = [r["id"] for r in rows]
if len(rows) != 300 or len(set(ids)) != 300: fail("secrets count/ids")
if sum(r["label"] for r in rows) != 150: fail("secrets positives != 150")
for r in rows:
    if set(r) != {"id", "text", "label", "source", "rule", "license"}: fail("keys", r["id"])
    if r["label"] not in (0, 1) or r["source"] != "holdout_secrets" or r["license"] != "CC0-1.0": fail("fields", r["id"])

# ---- pii
rows = [json.loads(l) for l in open(os.path.join(here, "pii-ide-holdout.jsonl"), encoding="utf-8")]
ids = [r["id"] for r in rows]
if len(rows) != 200 or len(set(ids)) != 200: fail("pii count/ids")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
for r in rows:
    t = r["text"]
    covered = set()
    prev_end = -1
    for s in sorted(r["spans"], key=lambda s: s["start"]):
        v = t[s["start"]:s["end"]]
        if s["start"] < prev_end: fail("overlap", r["id"])
        prev_end = s["end"]
        if v != v.strip() or not v: fail("ws", r["id"], v)
        covered.update(range(s["start"], s["end"]))
        if s["type"] == "CREDIT_CARD" and not luhn_ok(v): fail("luhn", r["id"], v)
        if s["type"] == "IBAN_CODE" and not iban_ok(v): fail("iban", r["id"], v)
        if s["type"] == "US_SSN" and not ssn_ok(v): fail("ssn", r["id"], v)
    # unlabelled email / dotted-quad look-alikes are printed for review
    for mm in EMAIL.finditer(t):
        if mm.start() not in covered: fail("unlabelled email?", r["id"], mm.group())
    for mm in IPV4.finditer(t):
        if mm.start() not in covered and all(int(x) < 256 for x in mm.group().split(".")):
            print("note: unlabelled dotted quad (should be a version/other):", r["id"], mm.group(), "|", t[max(0, mm.start() - 30):mm.start()].replace("\n", " "))
print("OK" if ok else "ERRORS")
