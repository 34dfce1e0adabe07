#!/usr/bin/env python3
"""Checks the links of the README and docs/*.md (issue 21): every relative link names a file that
exists, and every #anchor a heading of that file (GitHub's anchors: lower case, punctuation
dropped, spaces as hyphens). Links to other sites are not fetched (CI has no general internet).

    python3 scripts/check-doc-links.py
"""
import glob
import os
import re
import sys

LINK = re.compile(r"(?<!\!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~)")


def anchors(path):
    found, in_code = set(), False
    for line in open(path, encoding="utf-8"):
        if FENCE.match(line):
            in_code = not in_code
            continue
        if in_code:
            continue
        match = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if match:
            text = re.sub(r"`", "", match.group(2)).strip().lower()
            text = re.sub(r"[^\w\- ]", "", text)
            found.add(text.replace(" ", "-"))
    return found


def links(path):
    in_code = False
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        if FENCE.match(line.strip()):
            in_code = not in_code
            continue
        if in_code:
            continue
        for match in LINK.finditer(line):
            yield number, match.group(1) or match.group(2)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md")))
    problems, checked = [], 0
    for path in files:
        for number, target in links(path):
            if re.match(r"^[a-z]+:", target):
                continue
            checked += 1
            file_part, _, anchor = target.partition("#")
            resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
            where = f"{os.path.relpath(path, root)}:{number}: {target}"
            if not os.path.exists(resolved):
                problems.append(f"{where}: no such file")
            elif anchor and resolved.endswith(".md") and anchor not in anchors(resolved):
                problems.append(f"{where}: no heading #{anchor}")
    for problem in problems:
        print(problem)
    print(f"{checked} links in {len(files)} files checked; {len(problems)} broken")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
