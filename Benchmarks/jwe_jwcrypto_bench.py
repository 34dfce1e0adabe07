#!/usr/bin/env python3
"""jwcrypto doing what rcm-jwe-benchmark does: encrypt (RSA-OAEP-256 + A256GCM) and decrypt one
payload with the same RSA-2048 key, for SECONDS each, on one core.

  jwe_jwcrypto_bench.py PAYLOAD.json PRIVATE.pem PUBLIC.pem [SECONDS]
"""
import pathlib
import sys
import time

from jwcrypto import jwe, jwk
from jwcrypto.common import json_encode

payload = pathlib.Path(sys.argv[1]).read_bytes()
private = jwk.JWK.from_pem(pathlib.Path(sys.argv[2]).read_bytes())
public = jwk.JWK.from_pem(pathlib.Path(sys.argv[3]).read_bytes())
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 3.0
header = json_encode({"alg": "RSA-OAEP-256", "enc": "A256GCM", "x-hcx-sender_code": "bench"})


def encrypt():
    token = jwe.JWE(payload, protected=header)
    token.add_recipient(public)
    return token.serialize(compact=True)


def rate(body):
    start = time.perf_counter()
    operations = 0
    while True:
        body()
        operations += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return operations / elapsed


sample = encrypt()


def decrypt():
    token = jwe.JWE()
    token.deserialize(sample, key=private)


print(f"encrypt_ops_per_second {int(rate(encrypt))}")
print(f"decrypt_ops_per_second {int(rate(decrypt))}")
