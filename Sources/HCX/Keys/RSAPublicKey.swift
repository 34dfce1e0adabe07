import Crypto
import Foundation
import _CryptoExtras

/// An RSA public key for encrypting JWEs to a participant.
///
/// `@unchecked Sendable`: swift-crypto 4.5.2 does not mark `_RSA.Encryption.PublicKey` as
/// `Sendable`, but it is an immutable handle to a BoringSSL key that is safe to share.
public struct RSAPublicKey: @unchecked Sendable {
    let key: _RSA.Encryption.PublicKey

    init(key: _RSA.Encryption.PublicKey) { self.key = key }

    /// Loads a PEM public key (SPKI `BEGIN PUBLIC KEY` or PKCS#1 `BEGIN RSA PUBLIC KEY`).
    /// - Throws: ``HCXKeyError/unreadableKey(_:)`` when the text is not such a key or is under 2048 bits.
    public init(pemRepresentation pem: String) throws {
        do {
            key = try _RSA.Encryption.PublicKey(pemRepresentation: pem)
        } catch {
            throw HCXKeyError.unreadableKey("not an RSA public key of at least 2048 bits in PEM form (\(error))")
        }
    }

    /// SPKI PEM text (`-----BEGIN PUBLIC KEY-----`).
    public var pemRepresentation: String { key.pemRepresentation }
}
