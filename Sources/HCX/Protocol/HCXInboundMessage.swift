import FHIR
import Foundation

/// A message as it arrives at one of our HCX routes: an encrypted body `{"payload": "<jwe>"}`, or a
/// plain-JSON protocol response (error or redirect callbacks carry their `x-hcx-*` headers as JSON
/// members and are not encrypted; hcx-specs v0.7 openapi `oneOf: [JWEPayload, ProtocolResponse]`).
public struct HCXInboundMessage: Sendable {
    /// The protocol headers (from the protected header, or the plain body).
    public let headers: HCXHeaders
    /// The encrypted envelope; `nil` for a plain protocol response.
    public let envelope: HCXEnvelope?
    /// The body exactly as received, for the message log.
    public let rawBody: String

    /// Reads a body.
    /// - Throws: ``HCXProtocolError``: `ERR_INVALID_PAYLOAD` for a body that is not JSON, a
    ///   malformed JWE, or a plain body that is not an error or redirect response; the header codes
    ///   for missing or invalid headers.
    public init(body: Data) throws {
        guard case .object(let members)? = try? JSONValue(parsing: body) else {
            throw HCXProtocolError(.invalidPayload, "the body must be a JSON object: {\"payload\": \"<compact JWE>\"}")
        }
        rawBody = String(decoding: body, as: UTF8.self)
        if let payload = members["payload"] {
            guard case .string(let text) = payload else {
                throw HCXProtocolError(.invalidPayload, "payload must be the compact JWE as a string")
            }
            let envelope = try HCXEnvelope(body: HCXRequestBody(payload: text))
            self.envelope = envelope
            self.headers = envelope.headers
            return
        }
        let headers = try HCXHeaders(protectedHeader: members)
        guard headers.status == .responseError || headers.status == .responseRedirect else {
            throw HCXProtocolError(
                .invalidPayload, "a body without payload must be an error or redirect protocol response (x-hcx-status)")
        }
        self.envelope = nil
        self.headers = headers
    }

    /// The error a plain error response reports (`x-hcx-error_details`), as a protocol error.
    public var reportedError: HCXProtocolError? {
        guard headers.status == .responseError else { return nil }
        let code = headers.errorDetails?["code"]?.stringValue ?? "ERR_UNSPECIFIED"
        let message = headers.errorDetails?["message"]?.stringValue ?? "no message"
        return HCXProtocolError(HCXErrorCode(rawValue: code), message)
    }
}
