import FHIR
import Foundation

/// One encrypted HCX message: the compact JWE and the protocol headers read from it.
public struct HCXEnvelope: Sendable, Hashable {
    /// The JWE as sent.
    public let jwe: CompactJWE
    /// The protocol headers from its protected header.
    public let headers: HCXHeaders

    /// Seals a FHIR resource for a recipient: its JSON bytes become the JWE plaintext and the
    /// headers go into the protected header (encrypted with RSA-OAEP-256 + A256GCM).
    public static func seal(_ resource: Data, headers: HCXHeaders, to recipient: RSAPublicKey) throws -> HCXEnvelope {
        let jwe = try CompactJWE.encrypt(resource, header: headers.protectedHeader, to: recipient)
        return HCXEnvelope(jwe: jwe, headers: headers)
    }

    /// Reads an inbound body without decrypting it (what a gateway does).
    /// - Throws: ``HCXProtocolError`` — `ERR_INVALID_PAYLOAD` for a malformed JWE,
    ///   `ERR_MANDATORY_HEADER_MISSING` / `ERR_INVALID_STATUS` for bad headers.
    public init(body: HCXRequestBody) throws {
        let jwe: CompactJWE
        do {
            jwe = try CompactJWE(body.payload)
        } catch let error as JWEError {
            throw HCXProtocolError(.invalidPayload, "malformed payload: \(error.message)")
        }
        self.init(jwe: jwe, headers: try HCXHeaders(protectedHeader: jwe.protectedHeader))
    }

    private init(jwe: CompactJWE, headers: HCXHeaders) {
        self.jwe = jwe
        self.headers = headers
    }

    /// The request body `{"payload": …}`.
    public var body: HCXRequestBody { HCXRequestBody(payload: jwe.serialized) }

    /// Decrypts the payload with our private key.
    /// - Throws: ``HCXProtocolError`` with `ERR_INVALID_ENCRYPTION`.
    public func open(with key: RSAPrivateKey) throws -> Data {
        do {
            return try jwe.decrypt(with: key)
        } catch let error as JWEError {
            throw HCXProtocolError(.invalidEncryption, error.message)
        }
    }
}
