#!/usr/bin/env bash
# End-to-end benchmark (not part of the tests): claims per second through `rcm process` — intake,
# coding review, scrub, eligibility and claim over HCX (real HTTP and JWE to the in-process
# sandbox), adjudication and payment posting — on N generated encounters, on SQLite and on a
# throwaway PostgreSQL cluster (fsync on), with the machine's core count. Builds in release mode
# into .build-bench/, or compares the binaries RCM_BENCH_BINARIES names (space-separated, e.g. the
# previous release build and this one), each run in turn on fresh databases with the same input.
# Prints claims/s, CPU ms per claim (user + system of the process: RCM and the in-process
# sandbox), and the ratio to the RSA-bound limit: about ten RSA-2048 private-key operations per
# full cycle, at `openssl speed rsa2048`'s sign/s measured in the same run, on every core.
# Usage: Benchmarks/run-process-benchmark.sh [ENCOUNTERS]   (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-2000}"
PG_PORT="${RCM_BENCH_PG_PORT:-55434}"

if [ -n "${RCM_BENCH_BINARIES:-}" ]; then
    read -r -a BINARIES <<<"$RCM_BENCH_BINARIES"
else
    swift build -c release --scratch-path .build-bench --product rcm >&2
    BINARIES=(.build-bench/release/rcm)
fi
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

# One run: prints "<claims> <seconds> <cpu seconds> <outcomes>".
run() {
    local binary=$1 database=$2 keys=$WORK/keys-$3
    DATABASE_URL="$database" "$binary" migrate --yes >/dev/null
    local start end
    start=$(date +%s.%N)
    DATABASE_URL="$database" RCM_KEYS_DIR="$keys" RCM_SANDBOX_STATE=memory RCM_SANDBOX_RULES="$WORK/rules.json" \
        RCM_ADJUDICATION_TIMEOUT_SECONDS=120 /usr/bin/time -f "%U %S" -o "$WORK/time-$3" \
        "$binary" process --json "$WORK/batch.ndjson" >"$WORK/report-$3.json" || true
    end=$(date +%s.%N)
    python3 - "$WORK/report-$3.json" "$start" "$end" "$WORK/time-$3" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
user, system = (float(x) for x in open(sys.argv[4]).read().split()[-2:])
print(len(report["claims"]), float(sys.argv[3]) - float(sys.argv[2]), user + system,
      json.dumps(report["byOutcome"], sort_keys=True))
PY
}
SIGN_PER_SECOND=$(openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $(NF-1)}')
LINES=()
for index in "${!BINARIES[@]}"; do
    binary=${BINARIES[$index]}
    as_pg "$PGBIN/psql" -h "$PGDIR" -p "$PG_PORT" -U postgres -q -c "DROP DATABASE IF EXISTS rcm_bench" -c "CREATE DATABASE rcm_bench"
    LINES+=("$index SQLite $(run "$binary" "sqlite://$WORK/bench-$index.sqlite" "sqlite-$index")")
    LINES+=("$index PostgreSQL $(run "$binary" "postgres://postgres@127.0.0.1:$PG_PORT/rcm_bench?sslmode=disable" "postgres-$index")")
done
echo "rcm process on $COUNT generated encounters, release build, $(nproc) cores, sandbox in process;" \
    "openssl speed rsa2048: $SIGN_PER_SECOND sign/s per core"
python3 - "$SIGN_PER_SECOND" "$(nproc)" "${BINARIES[@]}" -- "${LINES[@]}" <<'PY'
import sys
args = sys.argv[1:]
sign, cores = float(args[0]), int(args[1])
split = args.index("--")
binaries, lines = args[2:split], args[split + 1:]
limit = sign * cores / 10  # claims/s if the ten RSA private-key operations of a cycle were all the work
print(f"RSA-bound limit: {limit:.0f} claims/s (10 private-key operations per claim on {cores} cores)")
rates = {}
for line in lines:
    index, name, claims, seconds, cpu, outcomes = line.split(" ", 5)
    rate = int(claims) / float(seconds)
    rates[(index, name)] = rate
    print(f"binary {index} {name:<11} {int(claims):>6} claims in {float(seconds):7.1f} s = {rate:7.1f} claims/s, "
          f"{1000 * float(cpu) / int(claims):6.1f} CPU ms/claim, {rate / limit:.3f} of the RSA bound   {outcomes}")
if len(binaries) > 1:
    for name in ("SQLite", "PostgreSQL"):
        print(f"{name}: binary {len(binaries) - 1} / binary 0 = {rates[(str(len(binaries) - 1), name)] / rates[('0', name)]:.2f}×")
for index, binary in enumerate(binaries):
    print(f"binary {index}: {binary}")
PY
