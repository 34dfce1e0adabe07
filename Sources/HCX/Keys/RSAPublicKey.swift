import Crypto
import Foundation
import X509
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
        let key: _RSA.Encryption.PublicKey
        do {
            key = try _RSA.Encryption.PublicKey(pemRepresentation: pem)
        } catch {
            throw HCXKeyError.unreadableKey("not an RSA public key of at least 2048 bits in PEM form")
        }
        self.init(key: key)
    }

    /// Reads the RSA key of an X.509 certificate in PEM form (`BEGIN CERTIFICATE`), as HCX
    /// participants publish in the registry's `encryption_cert` (docs reference/hcx-protocol.md §3.3).
    /// - Throws: ``HCXKeyError/unreadableKey(_:)`` naming what is wrong: not a certificate, not an
    ///   RSA key, under 2048 bits.
    public init(certificatePEM pem: String) throws {
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: pem)
        } catch {
            throw HCXKeyError.unreadableKey("not an X.509 certificate in PEM form (BEGIN CERTIFICATE)")
        }
        guard let signingKey = _RSA.Signing.PublicKey(certificate.publicKey) else {
            throw HCXKeyError.unreadableKey("the certificate's key is not an RSA key")
        }
        let key: _RSA.Encryption.PublicKey
        do {
            key = try _RSA.Encryption.PublicKey(derRepresentation: signingKey.derRepresentation)
        } catch {
            throw HCXKeyError.unreadableKey("the certificate's RSA key is shorter than 2048 bits")
        }
        self.init(key: key)
    }

    /// Reads whichever form `pem` holds: an X.509 certificate or a public key.
    /// - Throws: ``HCXKeyError/unreadableKey(_:)``; a private key is refused with a message saying so.
    public init(certificateOrPublicKeyPEM pem: String) throws {
        switch PEMKind(pem) {
        case .certificate: try self.init(certificatePEM: pem)
        case .publicKey: try self.init(pemRepresentation: pem)
        case .privateKey, .encryptedPrivateKey:
            throw HCXKeyError.unreadableKey("this is a private key; give the recipient's certificate or public key")
        case .unknown(let label):
            throw HCXKeyError.unreadableKey(
                label.map { "a PEM '\($0)' is neither a certificate nor a public key" }
                    ?? "no PEM certificate or public key found (expected -----BEGIN CERTIFICATE-----)")
        }
    }

    /// SPKI PEM text (`-----BEGIN PUBLIC KEY-----`).
    public var pemRepresentation: String { key.pemRepresentation }
}
