#!/usr/bin/env bash
# JWE benchmark (not part of the tests): RCM's envelope encrypt/decrypt of the 18 KB HCX claim
# bundle sample on one core, next to jwcrypto on the same key and payload, and next to
# `openssl speed rsa2048` (the RSA private-key operation bounds decrypt). Builds in release mode
# (about 16 minutes from clean on 2 cores) into .build-bench/.
#
# Targets (issue 3): decrypt >= 0.85 x the openssl private-op rate; encrypt >= 4 x jwcrypto.
# Usage: Benchmarks/run-jwe-benchmark.sh [SECONDS]   (default 3 s per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-3}"
PAYLOAD="${RCM_BENCH_PAYLOAD:-../shared/samples/hcx/claim_request_bundle_v0.7.1_sdk.json}"
WORK=$(mktemp -d /tmp/rcm-jwe-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

swift build -c release --scratch-path .build-bench --product rcm-jwe-benchmark >&2
if [ ! -x .venv-interop/bin/python ]; then
    python3 -m venv .venv-interop
    .venv-interop/bin/pip install -q --disable-pip-version-check -r Tests/Interop/requirements.txt
fi

# One core for everyone.
PIN="taskset -c 0"
command -v taskset >/dev/null || PIN=""

$PIN .build-bench/release/rcm-jwe-benchmark "$PAYLOAD" "$WORK" "$SECONDS_EACH" > "$WORK/swift.txt"
$PIN .venv-interop/bin/python Benchmarks/jwe_jwcrypto_bench.py "$PAYLOAD" "$WORK/bench.private.pem" \
    "$WORK/bench.public.pem" "$SECONDS_EACH" > "$WORK/python.txt"
OPENSSL_SIGN=$($PIN openssl speed -seconds "$SECONDS_EACH" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $(NF-1)}')

value() { awk -v k="$2" '$1 == k {print $2}' "$1"; }
SWIFT_ENC=$(value "$WORK/swift.txt" encrypt_ops_per_second)
SWIFT_DEC=$(value "$WORK/swift.txt" decrypt_ops_per_second)
PY_ENC=$(value "$WORK/python.txt" encrypt_ops_per_second)
PY_DEC=$(value "$WORK/python.txt" decrypt_ops_per_second)

echo "payload: $PAYLOAD ($(value "$WORK/swift.txt" payload_bytes) bytes), RSA-2048, one core, ${SECONDS_EACH}s each"
printf '%-28s %12s %12s\n' "" "encrypt/s" "decrypt/s"
printf '%-28s %12s %12s\n' "RCM (Swift, release)" "$SWIFT_ENC" "$SWIFT_DEC"
printf '%-28s %12s %12s\n' "jwcrypto 1.6.1" "$PY_ENC" "$PY_DEC"
printf '%-28s %12s %12s\n' "openssl rsa2048 private op" "" "$OPENSSL_SIGN"
python3 - "$SWIFT_ENC" "$SWIFT_DEC" "$PY_ENC" "$PY_DEC" "$OPENSSL_SIGN" <<'PY'
import sys
swift_enc, swift_dec, py_enc, py_dec, openssl = map(float, sys.argv[1:])
decrypt_ratio, encrypt_ratio = swift_dec / openssl, swift_enc / py_enc
print(f"decrypt: {decrypt_ratio:.2f} x openssl private op (target >= 0.85; jwcrypto {py_dec / openssl:.2f})"
      f" -> {'met' if decrypt_ratio >= 0.85 else 'NOT met'}")
print(f"encrypt: {encrypt_ratio:.2f} x jwcrypto (target >= 4) -> {'met' if encrypt_ratio >= 4 else 'NOT met'}")
PY
