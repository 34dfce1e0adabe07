/// The HTTP body of an HCX request or encrypted callback: `{"payload": "<compact JWE>"}`
/// (hcx-specs v0.7 openapi `JWEPayload`; docs reference/hcx-protocol.md §3.2).
public struct HCXRequestBody: Codable, Sendable, Hashable {
    /// The compact JWE text.
    public var payload: String

    public init(payload: String) { self.payload = payload }
}
