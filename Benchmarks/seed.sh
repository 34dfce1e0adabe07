#!/usr/bin/env bash
# Seeds a database with N claims at the shape RCM's stores write (Benchmarks/seed-claims.py:
# claims, lines, workflow state and steps, payments, denial actions), migrating it first and
# classifying its denied claims after (`rcm denials reclassify`: the seeder writes no queue keys),
# and prints its size on disk per claim. Not a test; for the scale runs of docs/benchmarks.md.
# Usage: Benchmarks/seed.sh N DATABASE_URL      (sqlite:///path/file.sqlite or postgres://…)
#        RCM=path/to/rcm (default .build/debug/rcm) runs the migrations.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:?usage: Benchmarks/seed.sh N DATABASE_URL}"
URL="${2:?usage: Benchmarks/seed.sh N DATABASE_URL}"
RCM="${RCM:-.build/debug/rcm}"
DATABASE_URL="$URL" "$RCM" migrate --yes >/dev/null
start=$(date +%s)
case "$URL" in
    sqlite://*)
        FILE="${URL#sqlite://}"
        python3 Benchmarks/seed-claims.py --database "$FILE" --claims "$COUNT"
        DATABASE_URL="$URL" "$RCM" denials reclassify
        sqlite3 "$FILE" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null 2>&1 || true
        BYTES=$(stat -c %s "$FILE")
        ;;
    postgres://* | postgresql://*)
        python3 Benchmarks/seed-claims.py --postgres "$URL" --claims "$COUNT"
        DATABASE_URL="$URL" "$RCM" denials reclassify
        psql "$URL" -q -c "VACUUM ANALYZE" >/dev/null
        BYTES=$(psql "$URL" -tAc "SELECT pg_database_size(current_database())")
        ;;
    *) echo "DATABASE_URL must start with sqlite:// or postgres://" >&2; exit 64 ;;
esac
CLAIMS=$(python3 - "$URL" <<'PY'
import sqlite3, subprocess, sys
url = sys.argv[1]
if url.startswith("sqlite://"):
    print(sqlite3.connect(url[len("sqlite://"):]).execute("SELECT COUNT(*) FROM claims").fetchone()[0])
else:
    print(subprocess.run(["psql", url, "-tAc", "SELECT COUNT(*) FROM claims"], capture_output=True, text=True,
                         check=True).stdout.strip())
PY
)
echo "seeded $COUNT claims in $(( $(date +%s) - start )) s; the database holds $CLAIMS claims in $BYTES bytes = $(( BYTES / CLAIMS )) bytes per claim"
