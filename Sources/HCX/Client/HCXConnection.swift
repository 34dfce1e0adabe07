/// What a participant needs to send HCX messages: its own participant code, a client for the
/// gateway, and a way to find a recipient's encryption key.
///
/// The walking skeleton resolves keys from configuration; the registry lookup
/// (`/participant/search` → `encryption_cert`) plugs in through ``recipientKey``.
public struct HCXConnection: Sendable {
    /// Our participant code (`x-hcx-sender_code` of what we send).
    public let participantCode: String
    /// The HTTP client bound to the gateway's base URL.
    public let client: HCXClient
    /// The encryption public key of a recipient participant.
    public let recipientKey: @Sendable (_ participantCode: String) async throws -> RSAPublicKey
    /// Our private key, to open what is addressed to us.
    public let privateKey: RSAPrivateKey

    public init(
        participantCode: String, client: HCXClient, privateKey: RSAPrivateKey,
        recipientKey: @escaping @Sendable (_ participantCode: String) async throws -> RSAPublicKey
    ) {
        self.participantCode = participantCode
        self.client = client
        self.privateKey = privateKey
        self.recipientKey = recipientKey
    }
}
