import Crypto
import Foundation
import X509
import _CryptoExtras

/// An RSA private key for decrypting JWEs addressed to us.
///
/// `@unchecked Sendable`: swift-crypto 4.5.2 does not mark `_RSA.Encryption.PrivateKey` as
/// `Sendable`, but it is an immutable handle to a BoringSSL key that is safe to share.
public struct RSAPrivateKey: @unchecked Sendable {
    let key: _RSA.Encryption.PrivateKey
    /// The same key in OpenSSL, for the RSA-OAEP private-key operation (``OpenSSLRSAKey``).
    let openSSL: OpenSSLRSAKey

    /// Loads a PEM private key (PKCS#8 `BEGIN PRIVATE KEY` or PKCS#1 `BEGIN RSA PRIVATE KEY`), the
    /// forms HCX SDKs use.
    /// - Throws: ``HCXKeyError/unreadableKey(_:)`` naming what is wrong: a passphrase-protected key,
    ///   a certificate or public key given instead, not RSA, or under 2048 bits.
    public init(pemRepresentation pem: String) throws {
        switch PEMKind(pem) {
        case .privateKey:
            break
        case .encryptedPrivateKey:
            throw HCXKeyError.unreadableKey(
                "passphrase-protected private keys are not supported; decrypt it first (openssl pkey -in KEY -out PLAIN)"
            )
        case .certificate, .publicKey:
            throw HCXKeyError.unreadableKey("this is a certificate or public key, not a private key")
        case .unknown(let label):
            throw HCXKeyError.unreadableKey(
                label.map { "a PEM '\($0)' is not an RSA private key" }
                    ?? "no PEM private key found (expected -----BEGIN PRIVATE KEY-----)")
        }
        let key: _RSA.Encryption.PrivateKey
        do {
            key = try _RSA.Encryption.PrivateKey(pemRepresentation: pem)
        } catch {
            throw HCXKeyError.unreadableKey("not an RSA private key of at least 2048 bits")
        }
        try self.init(key: key)
    }

    /// Generates a new 2048-bit key.
    public static func generate() throws -> RSAPrivateKey {
        try RSAPrivateKey(key: _RSA.Encryption.PrivateKey(keySize: .bits2048))
    }

    private init(key: _RSA.Encryption.PrivateKey) throws {
        self.key = key
        openSSL = try OpenSSLRSAKey(privateKeyDER: key.derRepresentation)
        publicKey = RSAPublicKey(key: key.publicKey)
    }

    /// PKCS#8 PEM text (`-----BEGIN PRIVATE KEY-----`), the form HCX SDKs load.
    public var pkcs8PEMRepresentation: String { key.pkcs8PEMRepresentation }

    /// A self-signed X.509 certificate (PEM) for this key, naming `participantCode` as its common
    /// name, valid for `days` from `now` and signed with SHA-256/RSA: what a participant publishes
    /// as its `encryption_cert` (the HCX sandbox and NHCX use self-signed RSA-2048 certificates,
    /// docs reference/hcx-protocol.md §9).
    public func selfSignedCertificatePEM(participantCode: String, days: Int = 365, now: Date = Date()) throws -> String
    {
        let signingKey = try _RSA.Signing.PrivateKey(derRepresentation: key.derRepresentation)
        let name = try DistinguishedName { CommonName(participantCode) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(signingKey.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(Double(days) * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: Certificate.Extensions(),
            issuerPrivateKey: .init(signingKey))
        return try certificate.serializeAsPEM().pemString
    }

    /// The matching public key.
    public let publicKey: RSAPublicKey
}
