#!/usr/bin/env bash
# End-to-end benchmark (not part of the tests): claims per second through `rcm process` — intake,
# coding review, scrub, eligibility and claim over HCX (real HTTP and JWE to the in-process
# sandbox), adjudication and payment posting — on N generated encounters, on SQLite and on a
# throwaway PostgreSQL cluster (fsync on), with the machine's core count. Builds in release mode
# into .build-bench/. Issue 6 sets a ratio target from these first figures.
# Usage: Benchmarks/run-process-benchmark.sh [ENCOUNTERS]   (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-2000}"
PG_PORT="${RCM_BENCH_PG_PORT:-55434}"

swift build -c release --scratch-path .build-bench --product rcm >&2
RCM=.build-bench/release/rcm
WORK=$(mktemp -d /tmp/rcm-process-bench.XXXXXX)
PGV=$(ls /usr/lib/postgresql | sort -V | tail -1)
PGBIN=/usr/lib/postgresql/$PGV/bin
PGDIR=$(mktemp -d /tmp/rcm-bench-pg.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$WORK" "$PGDIR"
}
trap cleanup EXIT
python3 Benchmarks/generate_encounters.py "$COUNT" "$WORK/batch.ndjson" sandbox/rules.json "$WORK/rules.json"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDIR"
as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w \
    -o "-p $PG_PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null
as_pg "$PGBIN/psql" -h "$PGDIR" -p "$PG_PORT" -U postgres -q -c "CREATE DATABASE rcm_bench"

# One run: prints "<claims> <seconds>".
run() {
    local database=$1 keys=$WORK/keys-$2
    DATABASE_URL="$database" "$RCM" migrate --yes >/dev/null
    local start end
    start=$(date +%s.%N)
    DATABASE_URL="$database" RCM_KEYS_DIR="$keys" RCM_SANDBOX_STATE=memory RCM_SANDBOX_RULES="$WORK/rules.json" \
        RCM_ADJUDICATION_TIMEOUT_SECONDS=120 "$RCM" process --json "$WORK/batch.ndjson" >"$WORK/report-$2.json" || true
    end=$(date +%s.%N)
    python3 - "$WORK/report-$2.json" "$start" "$end" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
print(len(report["claims"]), float(sys.argv[3]) - float(sys.argv[2]), json.dumps(report["byOutcome"], sort_keys=True))
PY
}
SQLITE=$(run "sqlite://$WORK/bench.sqlite" sqlite)
POSTGRES=$(run "postgres://postgres@127.0.0.1:$PG_PORT/rcm_bench?sslmode=disable" postgres)
echo "rcm process on $COUNT generated encounters, release build, $(nproc) cores, sandbox in process"
python3 - "$SQLITE" "$POSTGRES" <<'PY'
import sys
for name, line in (("SQLite", sys.argv[1]), ("PostgreSQL", sys.argv[2])):
    claims, seconds, outcomes = line.split(" ", 2)
    print(f"{name:<11} {int(claims):>6} claims in {float(seconds):7.1f} s = {int(claims) / float(seconds):7.1f} claims/s   {outcomes}")
PY
