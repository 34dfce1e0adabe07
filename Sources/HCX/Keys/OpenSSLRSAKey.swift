import COpenSSL
import Foundation

/// An RSA private key held by the system's OpenSSL 3 libcrypto, for the RSA-OAEP decryption of JWE
/// content keys (RFC 7518 §4.3: `RSA-OAEP` is OAEP with SHA-1 and MGF1-SHA-1, `RSA-OAEP-256` with
/// SHA-256 and MGF1-SHA-256).
///
/// Why OpenSSL here and swift-crypto (BoringSSL) elsewhere: decrypting an inbound envelope is
/// bound by one RSA-2048 private-key operation, and OpenSSL 3 runs it with AVX-512 IFMA where the
/// CPU has it — 4,150 operations/s on the development machine against BoringSSL's 1,735 (issue 3's
/// benchmark). Keys are still parsed, generated and certified through swift-crypto and
/// swift-certificates, and reach OpenSSL as DER. Encryption (a public-key operation: 19 µs in
/// BoringSSL against 22 µs through OpenSSL's per-operation set-up) stays with swift-crypto.
///
/// `@unchecked Sendable`: the `EVP_PKEY` is never changed after loading, and OpenSSL 3 allows
/// concurrent operations on one key, each with its own `EVP_PKEY_CTX`.
final class OpenSSLRSAKey: @unchecked Sendable {
    private let key: OpaquePointer

    /// Loads a private key from DER (PKCS#1 `RSAPrivateKey` or PKCS#8).
    /// - Throws: ``HCXKeyError/unreadableKey(_:)`` when OpenSSL cannot read it.
    init(privateKeyDER der: Data) throws {
        let loaded = der.withUnsafeBytes { raw -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = raw.bindMemory(to: UInt8.self).baseAddress
            return d2i_AutoPrivateKey(nil, &cursor, raw.count)
        }
        guard let loaded else { throw Self.failure("OpenSSL cannot read the RSA private key") }
        key = loaded
    }

    deinit { EVP_PKEY_free(key) }

    /// Decrypts an RSA-OAEP ciphertext (one private-key operation).
    /// - Parameter sha256: OAEP with SHA-256 (`RSA-OAEP-256`); otherwise SHA-1 (`RSA-OAEP`).
    /// - Returns: `nil` when the ciphertext does not open with this key.
    func decrypt(_ ciphertext: UnsafeRawBufferPointer, sha256: Bool) -> [UInt8]? {
        guard let context = EVP_PKEY_CTX_new(key, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        let digest = sha256 ? EVP_sha256() : EVP_sha1()
        let input = ciphertext.bindMemory(to: UInt8.self)
        var length = 0
        guard EVP_PKEY_decrypt_init(context) == 1,
            EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_OAEP_PADDING) == 1,
            EVP_PKEY_CTX_set_rsa_oaep_md(context, digest) == 1,
            EVP_PKEY_CTX_set_rsa_mgf1_md(context, digest) == 1,
            EVP_PKEY_decrypt(context, nil, &length, input.baseAddress, input.count) == 1
        else {
            ERR_clear_error()
            return nil
        }
        var output = [UInt8](repeating: 0, count: length)
        let status = output.withUnsafeMutableBufferPointer {
            EVP_PKEY_decrypt(context, $0.baseAddress, &length, input.baseAddress, input.count)
        }
        guard status == 1 else {
            ERR_clear_error()
            return nil
        }
        output.removeSubrange(length...)
        return output
    }

    private static func failure(_ message: String) -> HCXKeyError {
        ERR_clear_error()
        return .unreadableKey(message)
    }
}
