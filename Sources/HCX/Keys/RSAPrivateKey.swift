import Crypto
import Foundation
import _CryptoExtras

/// An RSA private key for decrypting JWEs addressed to us.
///
/// `@unchecked Sendable`: swift-crypto 4.5.2 does not mark `_RSA.Encryption.PrivateKey` as
/// `Sendable`, but it is an immutable handle to a BoringSSL key that is safe to share.
public struct RSAPrivateKey: @unchecked Sendable {
    let key: _RSA.Encryption.PrivateKey

    /// Loads a PEM private key (PKCS#8 `BEGIN PRIVATE KEY` or PKCS#1 `BEGIN RSA PRIVATE KEY`).
    /// - Throws: ``HCXKeyError/unreadableKey(_:)`` when the text is not such a key or is under 2048 bits.
    public init(pemRepresentation pem: String) throws {
        do {
            key = try _RSA.Encryption.PrivateKey(pemRepresentation: pem)
        } catch {
            throw HCXKeyError.unreadableKey("not an RSA private key of at least 2048 bits in PEM form (\(error))")
        }
    }

    /// Generates a new 2048-bit key.
    public static func generate() throws -> RSAPrivateKey {
        try RSAPrivateKey(key: _RSA.Encryption.PrivateKey(keySize: .bits2048))
    }

    private init(key: _RSA.Encryption.PrivateKey) { self.key = key }

    /// PKCS#8 PEM text (`-----BEGIN PRIVATE KEY-----`), the form HCX SDKs load.
    public var pkcs8PEMRepresentation: String { key.pkcs8PEMRepresentation }

    /// The matching public key.
    public var publicKey: RSAPublicKey { RSAPublicKey(key: key.publicKey) }
}
