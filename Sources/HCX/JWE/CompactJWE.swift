import COpenSSL
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

    /// Where the five parts lie in ``serialized``, as UTF-8 byte offsets.
    private let parts: [Range<Int>]

    /// Parses compact JWE text without decrypting it.
    /// - Throws: ``JWEError`` (`malformed`) unless it has five non-empty base64url parts and a
    ///   JSON-object protected header.
    public init(_ serialized: String) throws {
        var text = serialized
        text.makeContiguousUTF8()
        let (parts, header) = try text.utf8.withContiguousStorageIfAvailable { bytes in
            let parts = Self.parts(of: bytes)
            guard parts.count == 5 else {
                throw JWEError(
                    .malformed,
                    "a compact JWE has 5 dot-separated parts, this has \(parts.count > 5 ? "more" : "\(parts.count)")")
            }
            let names = [
                "protected header", "encrypted key", "initialization vector", "ciphertext", "authentication tag",
            ]
            for (range, name) in zip(parts, names) {
                let part = UnsafeBufferPointer(rebasing: bytes[range])
                guard !part.isEmpty, Base64URL.isValid(part) else {
                    throw JWEError(.malformed, "the \(name) is \(part.isEmpty ? "empty" : "not base64url")")
                }
            }
            guard let headerBytes = Base64URL.decode(UnsafeBufferPointer(rebasing: bytes[parts[0]])),
                case .object(let header)? = try? JSONValue(parsing: Data(headerBytes))
            else {
                throw JWEError(.malformed, "the protected header is not a JSON object")
            }
            return (parts, header)
        }!
        self.serialized = text
        self.parts = parts
        self.protectedHeader = header
    }

    private init(serialized: String, protectedHeader: [String: JSONValue], parts: [Range<Int>]) {
        self.serialized = serialized
        self.protectedHeader = protectedHeader
        self.parts = parts
    }

    public var description: String { serialized }

    /// The byte ranges of the dot-separated parts (at most six: more than five is an error anyway).
    private static func parts(of bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        parts.reserveCapacity(5)
        var start = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: ".") {
            parts.append(start..<index)
            start = index + 1
            if parts.count > 5 { return parts }  // too many already: no need to find them all
        }
        parts.append(start..<bytes.count)
        return parts
    }

    /// Encrypts `plaintext` to `recipient`.
    /// - Parameters:
    ///   - plaintext: the bytes to protect (for HCX, a FHIR resource as UTF-8 JSON).
    ///   - header: headers to protect besides `alg` and `enc` (for HCX, the `x-hcx-*` headers).
    ///   - recipient: the recipient's RSA public key.
    ///   - algorithm: key management; `RSA-OAEP-256` unless a peer needs `RSA-OAEP`.
    /// - Throws: ``JWEError`` (`encryptionFailed`) when the key cannot wrap the content key or the
    ///   random generator fails.
    public static func encrypt(
        _ plaintext: Data, header: [String: JSONValue], to recipient: RSAPublicKey,
        algorithm: JWEAlgorithm = .rsaOAEP256
    ) throws -> CompactJWE {
        var protected = header
        protected["alg"] = .string(algorithm.rawValue)
        protected["enc"] = .string("A256GCM")
        let headerJSON = JSONValue.object(protected).compactUTF8
        // A fresh 256-bit content key and 96-bit IV from one read of the system's random source.
        var random = [UInt8](repeating: 0, count: 44)
        try Self.fillRandom(&random)
        let contentKey = SymmetricKey(data: random[0..<32])
        let nonce = try AES.GCM.Nonce(data: random[32..<44])
        random.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) }
        let encryptedKey: Data
        do {
            encryptedKey = try contentKey.withUnsafeBytes { try recipient.key.encrypt($0, padding: algorithm.padding) }
        } catch {
            throw JWEError(.encryptionFailed, "the recipient's key cannot wrap a 256-bit content key")
        }
        // The additional authenticated data is the encoded protected header (RFC 7516 §5.1 step 14).
        let encodedHeader = Base64URL.encode(headerJSON)
        let sealed = try AES.GCM.seal(
            plaintext, using: contentKey, nonce: nonce, authenticating: Data(encodedHeader.utf8))
        // The five parts are written straight into one string, their offsets noted on the way.
        let pieces: [Data] = [Data(), encryptedKey, Data(nonce), sealed.ciphertext, sealed.tag]
        let headerCount = encodedHeader.utf8.count
        let total = headerCount + pieces.dropFirst().reduce(0) { $0 + 1 + Base64URL.encodedCount($1.count) }
        var parts: [Range<Int>] = []
        parts.reserveCapacity(5)
        let text = String(unsafeUninitializedCapacity: total) { output in
            let base = UnsafeMutableRawPointer(output.baseAddress!)
            var written =
                encodedHeader.utf8.withContiguousStorageIfAvailable { header in
                    base.copyMemory(from: header.baseAddress!, byteCount: header.count)
                    return header.count
                } ?? 0
            parts.append(0..<written)
            for piece in pieces.dropFirst() {
                base.storeBytes(of: UInt8(ascii: "."), toByteOffset: written, as: UInt8.self)
                written += 1
                let count = piece.withUnsafeBytes { Base64URL.encode($0, into: base + written) }
                parts.append(written..<written + count)
                written += count
            }
            return written
        }
        return CompactJWE(serialized: text, protectedHeader: protected, parts: parts)
    }

    /// Fills `bytes` from OpenSSL's cryptographically secure generator (`RAND_bytes`, a DRBG
    /// seeded from the operating system; one call for the key and the IV).
    /// - Throws: ``JWEError`` (`encryptionFailed`) when the generator fails.
    private static func fillRandom(_ bytes: inout [UInt8]) throws {
        let count = Int32(bytes.count)
        guard bytes.withUnsafeMutableBufferPointer({ RAND_bytes($0.baseAddress, count) }) == 1 else {
            ERR_clear_error()
            throw JWEError(.encryptionFailed, "the random generator failed")
        }
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
        return try serialized.utf8.withContiguousStorageIfAvailable { bytes -> Data in
            func part(_ index: Int) throws -> [UInt8] {
                guard let decoded = Base64URL.decode(UnsafeBufferPointer(rebasing: bytes[parts[index]])) else {
                    throw JWEError(.malformed, "a part is not canonical base64url")
                }
                return decoded
            }
            let encryptedKey = try part(1)
            let iv = try part(2)
            let ciphertext = try part(3)
            let tag = try part(4)
            guard
                let contentKey = encryptedKey.withUnsafeBytes({
                    key.openSSL.decrypt($0, sha256: algorithm == .rsaOAEP256)
                })
            else {
                throw JWEError(.decryptionFailed, "the encrypted key does not open with our private key")
            }
            guard contentKey.count == 32, iv.count == 12, tag.count == 16 else {
                throw JWEError(.decryptionFailed, "A256GCM needs a 32-byte key, 12-byte IV and 16-byte tag")
            }
            do {
                let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: iv), ciphertext: ciphertext, tag: tag)
                return try AES.GCM.open(
                    box, using: SymmetricKey(data: contentKey),
                    authenticating: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[parts[0]]))
            } catch {
                throw JWEError(.decryptionFailed, "the content failed authentication (altered or wrong key)")
            }
        }!
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
