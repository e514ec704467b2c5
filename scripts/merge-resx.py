#!/usr/bin/env python3
"""git merge driver for .resx: keeps every entry of both sides (ours wins on the same key), in order.

Enable once per clone:  git config merge.resx.driver "python3 scripts/merge-resx.py %O %A %B"
"""
import sys, xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

def entries(path):
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, FileNotFoundError):
        return []
    return [(d.get("name"), d.findtext("value") or "") for d in root.iter("data")]

def main(base, ours, theirs):
    head = open(ours, encoding="utf-8").read()
    header = head[: head.index("<data")] if "<data" in head else head[: head.index("</root>")]
    merged, seen = [], set()
    for name, value in entries(ours) + entries(theirs):
        if name not in seen:
            seen.add(name)
            merged.append((name, value))
    body = "".join(f'  <data name={quoteattr(n, {chr(10): "&#10;"})} xml:space="preserve">\n    <value>{escape(v)}</value>\n  </data>\n' for n, v in merged)
    open(ours, "w", encoding="utf-8").write(header + body + "</root>\n")
    return 0

if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
