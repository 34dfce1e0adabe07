import Crypto
import FHIR
import Foundation
import _CryptoExtras

/// A JWE in compact serialization (RFC 7516 §7.1): `protected.encrypted_key.iv.ciphertext.tag`.
///
/// HCX puts its protocol headers (`x-hcx-*`) in the protected header beside `alg` and `enc`, and
/// sends the compact form as `{"payload": "<jwe>"}` (docs reference/hcx-protocol.md §2–3).
/// Content encryption is always `A256GCM`: a random 256-bit key, a 96-bit IV, a 128-bit tag, and
/// the ASCII of the encoded protected header as additional authenticated data.
public struct CompactJWE: Sendable, Hashable, CustomStringConvertible {
    /// The compact serialization text.
    public let serialized: String
    /// The decoded protected header (JOSE headers and HCX protocol headers), readable without the key.
    public let protectedHeader: [String: JSONValue]

    private let parts: [Substring]

    /// Parses compact JWE text without decrypting it.
    /// - Throws: ``JWEError`` (`malformed`) unless it has five non-empty base64url parts and a
    ///   JSON-object protected header.
    public init(_ serialized: String) throws {
        let parts = Self.parts(of: serialized)
        guard parts.count == 5 else {
            throw JWEError(.malformed, "a compact JWE has 5 dot-separated parts, this has \(parts.count)")
        }
        let names = ["protected header", "encrypted key", "initialization vector", "ciphertext", "authentication tag"]
        for (part, name) in zip(parts, names) where part.isEmpty || !Base64URL.isValid(part) {
            throw JWEError(.malformed, "the \(name) is \(part.isEmpty ? "empty" : "not base64url")")
        }
        guard let headerData = Base64URL.decode(parts[0]),
            case .object(let header)? = try? JSONDecoder().decode(JSONValue.self, from: headerData)
        else {
            throw JWEError(.malformed, "the protected header is not a JSON object")
        }
        self.serialized = serialized
        self.parts = parts
        self.protectedHeader = header
    }

    private init(serialized: String, protectedHeader: [String: JSONValue], parts: [Substring]) {
        self.serialized = serialized
        self.protectedHeader = protectedHeader
        self.parts = parts
    }

    public var description: String { serialized }

    /// The dot-separated parts, split on UTF-8 bytes (splitting a String by Character walks
    /// grapheme clusters, which costs more than the RSA operation on an 18 KB message).
    private static func parts(of text: String) -> [Substring] {
        text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).map { Substring($0) }
    }

    /// Encrypts `plaintext` to `recipient`.
    /// - Parameters:
    ///   - plaintext: the bytes to protect (for HCX, a FHIR resource as UTF-8 JSON).
    ///   - header: headers to protect besides `alg` and `enc` (for HCX, the `x-hcx-*` headers).
    ///   - recipient: the recipient's RSA public key.
    ///   - algorithm: key management; `RSA-OAEP-256` unless a peer needs `RSA-OAEP`.
    public static func encrypt(
        _ plaintext: Data, header: [String: JSONValue], to recipient: RSAPublicKey,
        algorithm: JWEAlgorithm = .rsaOAEP256
    ) throws -> CompactJWE {
        var protected = header
        protected["alg"] = .string(algorithm.rawValue)
        protected["enc"] = .string("A256GCM")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let encodedHeader = Base64URL.encode(try encoder.encode(JSONValue.object(protected)))
        let contentKey = SymmetricKey(size: .bits256)
        let encryptedKey = try contentKey.withUnsafeBytes { bytes in
            try recipient.key.encrypt(Data(bytes), padding: algorithm.padding)
        }
        let nonce = AES.GCM.Nonce()
        let sealed = try AES.GCM.seal(
            plaintext, using: contentKey, nonce: nonce, authenticating: Data(encodedHeader.utf8))
        let text = [
            encodedHeader, Base64URL.encode(encryptedKey), Base64URL.encode(Data(nonce)),
            Base64URL.encode(sealed.ciphertext), Base64URL.encode(sealed.tag),
        ].joined(separator: ".")
        // Built from parts known to be valid: no need to parse it again.
        return CompactJWE(
            serialized: text, protectedHeader: protected,
            parts: Self.parts(of: text))
    }

    /// Decrypts with our private key.
    /// - Returns: the plaintext bytes.
    /// - Throws: ``JWEError`` (`unsupportedAlgorithm` for other `alg`/`enc` or `zip`;
    ///   `decryptionFailed` for a wrong key or altered content).
    public func decrypt(with key: RSAPrivateKey) throws -> Data {
        guard let algName = protectedHeader["alg"]?.stringValue, let algorithm = JWEAlgorithm(rawValue: algName) else {
            throw JWEError(
                .unsupportedAlgorithm,
                "alg '\(protectedHeader["alg"]?.stringValue ?? "")' is not RSA-OAEP-256 or RSA-OAEP")
        }
        guard protectedHeader["enc"]?.stringValue == "A256GCM" else {
            throw JWEError(.unsupportedAlgorithm, "enc '\(protectedHeader["enc"]?.stringValue ?? "")' is not A256GCM")
        }
        guard protectedHeader["zip"] == nil else {
            throw JWEError(.unsupportedAlgorithm, "compressed JWE (zip) is not used by HCX")
        }
        guard let encryptedKey = Base64URL.decode(parts[1]), let iv = Base64URL.decode(parts[2]),
            let ciphertext = Base64URL.decode(parts[3]), let tag = Base64URL.decode(parts[4])
        else {
            throw JWEError(.malformed, "a part is not canonical base64url")
        }
        let contentKey: Data
        do {
            contentKey = try key.key.decrypt(encryptedKey, padding: algorithm.padding)
        } catch {
            throw JWEError(.decryptionFailed, "the encrypted key does not open with our private key")
        }
        guard contentKey.count == 32, iv.count == 12, tag.count == 16 else {
            throw JWEError(.decryptionFailed, "A256GCM needs a 32-byte key, 12-byte IV and 16-byte tag")
        }
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: iv), ciphertext: ciphertext, tag: tag)
            return try AES.GCM.open(box, using: SymmetricKey(data: contentKey), authenticating: Data(parts[0].utf8))
        } catch {
            throw JWEError(.decryptionFailed, "the content failed authentication (altered or wrong key)")
        }
    }
}

extension JWEAlgorithm {
    var padding: _RSA.Encryption.Padding {
        switch self {
        case .rsaOAEP256: .PKCS1_OAEP_SHA256
        case .rsaOAEP: .PKCS1_OAEP
        }
    }
}
