import HCX

/// A participant registered with the sandbox: its code, where callbacks go, and its encryption key
/// (the sandbox's stand-in for the HCX registry record's `endpoint_url` and `encryption_cert`).
public struct SandboxParticipant: Sendable {
    /// The participant code, e.g. `provider.rcm@rcm-hcx-sandbox`.
    public let code: String
    /// Base URL the gateway appends bare action paths to, including any version prefix
    /// (`http://127.0.0.1:8000/v0.7`), as HCX gateways do (docs reference/hcx-protocol.md §1.5).
    public let endpointURL: String
    /// The participant's RSA public key for encrypting messages to it.
    public let encryptionKey: RSAPublicKey

    public init(code: String, endpointURL: String, encryptionKey: RSAPublicKey) {
        self.code = code
        self.endpointURL = endpointURL
        self.encryptionKey = encryptionKey
    }
}
