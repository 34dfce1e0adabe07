#!/usr/bin/env bash
# Workflow benchmark (not part of the tests): durable workflow steps per second for workflows of
# 8 no-op steps (each step a committed transition), on PostgreSQL and on SQLite, next to
# `pgbench -N -c 4 -j 2 -T 15` (scale 10) on the same PostgreSQL server with the same settings
# (fsync on), in the same run, both over the server's Unix-domain socket. Starts its own throwaway
# PostgreSQL cluster (Debian packages; run as root or as a user who can run initdb) and builds in
# release mode into .build-bench/.
#
# Target (issue 5): RCM's PostgreSQL steps/s >= 0.5 x pgbench's transactions/s.
# Usage: Benchmarks/run-workflow-benchmark.sh [WORKFLOWS] [WORKERS]   (defaults 2000 and 128)
set -euo pipefail
cd "$(dirname "$0")/.."
WORKFLOWS="${1:-2000}"
WORKERS="${2:-128}"
PG_PORT="${RCM_BENCH_PG_PORT:-55433}"

swift build -c release --scratch-path .build-bench --product rcm-workflow-benchmark >&2
PGV=$(ls /usr/lib/postgresql | sort -V | tail -1)
PGBIN=/usr/lib/postgresql/$PGV/bin
PGDIR=$(mktemp -d /tmp/rcm-bench-pg.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDIR"
as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
# Defaults otherwise: fsync on, synchronous_commit on.
as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w \
    -o "-p $PG_PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null
psql() { as_pg "$PGBIN/psql" -h "$PGDIR" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
psql -c "CREATE DATABASE pgbench" -c "CREATE DATABASE rcm_bench"

as_pg "$PGBIN/pgbench" -h "$PGDIR" -p "$PG_PORT" -U postgres -i -s 10 -q pgbench >/dev/null 2>&1
PGBENCH_TPS=$(as_pg "$PGBIN/pgbench" -h "$PGDIR" -p "$PG_PORT" -U postgres -N -c 4 -j 2 -T 15 pgbench 2>/dev/null \
    | awk '/^tps = / {print $3; exit}')

value() { awk -v k="$2" '$1 == k {print $2}' <<<"$1"; }
PG_OUT=$(DATABASE_URL="postgres://postgres@/rcm_bench?host=$PGDIR&port=$PG_PORT" \
    .build-bench/release/rcm-workflow-benchmark "$WORKFLOWS" 8 "$WORKERS")
SQLITE_DIR=$(mktemp -d /tmp/rcm-bench-sqlite.XXXXXX)
SQLITE_OUT=$(DATABASE_URL="sqlite://$SQLITE_DIR/bench.sqlite" \
    .build-bench/release/rcm-workflow-benchmark "$WORKFLOWS" 8 "$WORKERS")
rm -rf "$SQLITE_DIR"

echo "workflows of 8 no-op steps: $WORKFLOWS, $WORKERS worker loops in one process; PostgreSQL $PGV, fsync on"
printf '%-44s %12s\n' "" "per second"
printf '%-44s %12s\n' "pgbench -N -c 4 -j 2 -T 15 (scale 10), tps" "$PGBENCH_TPS"
printf '%-44s %12s\n' "RCM steps, PostgreSQL ($(value "$PG_OUT" connections) connections opened)" \
    "$(value "$PG_OUT" steps_per_second)"
printf '%-44s %12s\n' "RCM steps, SQLite (one connection)" "$(value "$SQLITE_OUT" steps_per_second)"
python3 - "$(value "$PG_OUT" steps_per_second)" "$PGBENCH_TPS" <<'PY'
import sys
steps, tps = map(float, sys.argv[1:])
ratio = steps / tps
print(f"PostgreSQL: {ratio:.2f} x pgbench (target >= 0.5) -> {'met' if ratio >= 0.5 else 'NOT met'}")
PY
