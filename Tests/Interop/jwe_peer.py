#!/usr/bin/env python3
"""JWE peer for RCM's interop tests, using jwcrypto (an independent JOSE implementation).

  jwe_peer.py encrypt --public PUBLIC.pem --alg RSA-OAEP-256 --header '{"x-hcx-sender_code":"a"}' < plaintext
      prints a compact JWE (enc A256GCM) of standard input to the key.
  jwe_peer.py decrypt --private PRIVATE.pem < token
      prints {"header": {...}, "plaintext": "..."} for a compact JWE on standard input; exits 1 when
      the token does not decrypt.
"""
import argparse
import json
import pathlib
import sys

from jwcrypto import jwe, jwk
from jwcrypto.common import json_encode

parser = argparse.ArgumentParser()
sub = parser.add_subparsers(dest="command", required=True)
enc = sub.add_parser("encrypt")
enc.add_argument("--public", required=True)
enc.add_argument("--alg", default="RSA-OAEP-256", choices=["RSA-OAEP-256", "RSA-OAEP"])
enc.add_argument("--header", default="{}")
dec = sub.add_parser("decrypt")
dec.add_argument("--private", required=True)
args = parser.parse_args()

if args.command == "encrypt":
    key = jwk.JWK.from_pem(pathlib.Path(args.public).read_bytes())
    header = dict(json.loads(args.header), alg=args.alg, enc="A256GCM")
    token = jwe.JWE(sys.stdin.buffer.read(), protected=json_encode(header))
    token.add_recipient(key)
    print(token.serialize(compact=True))
else:
    key = jwk.JWK.from_pem(pathlib.Path(args.private).read_bytes())
    token = jwe.JWE()
    try:
        token.deserialize(sys.stdin.read().strip(), key=key)
    except Exception as error:  # jwcrypto raises several types; any of them means "does not decrypt"
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
    print(json.dumps({"header": json.loads(token.objects["protected"]), "plaintext": token.payload.decode()}))
