#!/usr/bin/env bash
# Disk-full test (issue 19): the main job on an SQLite file whose disk fills up stops with one
# clear line, leaves the file intact (PRAGMA integrity_check), and a run after space returns
# finishes every claim with the figures of a normal run.
#
# Mounts a 32 MB tmpfs (needs root, as .ci/run has), fills it to 200 KB of free space, runs
# `rcm process samples/`, removes the filler and runs it again.
# Usage: scripts/disk-full-test.sh [path to rcm, default .build/debug/rcm]
set -euo pipefail
cd "$(dirname "$0")/.."
RCM=$(realpath "${1:-.build/debug/rcm}")
if [ "$(id -u)" != 0 ]; then
    echo "disk-full test: needs root to mount a small tmpfs (CI runs as root)" >&2
    exit 1
fi
SCRATCH=$(mktemp -d /tmp/rcm-disk-full.XXXXXX)
MOUNT="$SCRATCH/disk"
mkdir -p "$MOUNT"
mount -t tmpfs -o size=32m tmpfs "$MOUNT"
cleanup() { umount "$MOUNT" 2>/dev/null || true; rm -rf "$SCRATCH"; }
trap cleanup EXIT
export DATABASE_URL="sqlite://$MOUNT/rcm.sqlite" RCM_KEYS_DIR="$SCRATCH/keys"
unset HCX_BASE_URL RCM_NOW
state() {
    python3 - "$MOUNT/rcm.sqlite" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print("integrity:", c.execute("PRAGMA integrity_check").fetchone()[0])
print("claims:", dict(c.execute("SELECT outcome, count(*) FROM claims GROUP BY outcome").fetchall()))
print("workflows:", dict(c.execute("SELECT status, count(*) FROM workflow_state GROUP BY status").fetchall()))
PY
}

"$RCM" migrate --yes >/dev/null
AVAIL=$(df -k --output=avail "$MOUNT" | tail -1)
dd if=/dev/zero of="$MOUNT/filler" bs=1k count=$((AVAIL - 200)) status=none || true
set +e
"$RCM" process samples/ >"$SCRATCH/full.out" 2>"$SCRATCH/full.err"
STATUS=$?
set -e
echo "== with the disk full: exit status $STATUS; last line: $(tail -1 "$SCRATCH/full.err")"
FULL_STATE=$(state)
echo "$FULL_STATE"
[ "$STATUS" -eq 1 ] || { echo "FAILED: expected exit status 1 (an error, not a crash)"; exit 1; }
grep -q "disk is full" <(tail -1 "$SCRATCH/full.err") || { echo "FAILED: the last line does not say the disk is full"; exit 1; }
grep -q "integrity: ok" <<<"$FULL_STATE" || { echo "FAILED: the file is damaged"; exit 1; }

rm "$MOUNT/filler"
"$RCM" process samples/ >"$SCRATCH/after.out" 2>"$SCRATCH/after.err" || { echo "FAILED: the run after space returned (exit status $?)"; tail -5 "$SCRATCH/after.err"; tail -25 "$SCRATCH/after.out"; exit 1; }
AFTER_STATE=$(state)
echo "== after space returned"
echo "$AFTER_STATE"
grep -q "integrity: ok" <<<"$AFTER_STATE" || { echo "FAILED: the file is damaged"; exit 1; }
grep -q "workflows: {'COMPLETED': 10}" <<<"$AFTER_STATE" || { echo "FAILED: not every workflow completed"; exit 1; }
grep -q "claims: {'denied': 1, 'paid': 4, 'partially_paid': 3, 'rejected': 2}" <<<"$AFTER_STATE" \
    || { echo "FAILED: the outcomes differ from a normal run of the samples"; exit 1; }
echo "disk-full test passed"
