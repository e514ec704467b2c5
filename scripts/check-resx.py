#!/usr/bin/env python3
"""Checks every .resx parses and has no duplicate keys (parallel branches append to the same file).
Keys are compared ignoring case, as the resource writer does (it keeps the first and warns)."""
import collections, glob, sys, xml.etree.ElementTree as ET

bad = False
for path in glob.glob("src/**/*.resx", recursive=True):
    try:
        names = [d.get("name").lower() for d in ET.parse(path).getroot().iter("data")]
    except ET.ParseError as e:
        print(f"{path}: not valid XML: {e}"); bad = True; continue
    for name, count in collections.Counter(names).items():
        if count > 1:
            print(f"{path}: duplicate key {name!r}"); bad = True
sys.exit(1 if bad else 0)
