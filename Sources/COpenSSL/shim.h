// The system's OpenSSL 3 libcrypto (Debian: libssl-dev), used for the RSA-OAEP operations of HCX
// JWE envelopes and their random content keys (see Sources/HCX/Keys/OpenSSLRSAKey.swift for why).
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/err.h>
#include <openssl/rand.h>
