import AsyncHTTPClient
import Foundation
import Logging

/// What a participant needs to exchange HCX messages: its participant code and private key, a
/// client bound to the gateway, the gateway access token, and the recipients' encryption keys.
///
/// ``gateway(participantCode:baseURL:credentials:privateKey:httpClient:metrics:logger:)`` wires
/// the real flow (token from `/participant/auth/token/generate`, keys from `/participant/search`
/// → `encryption_cert`); the memberwise initialiser takes fixed lookups (tests, tools).
public struct HCXConnection: Sendable {
    /// Our participant code (`x-hcx-sender_code` of what we send).
    public let participantCode: String
    /// The HTTP client bound to the gateway's base URL.
    public let client: HCXClient
    /// The encryption public key of a recipient participant.
    public let recipientKey: @Sendable (_ participantCode: String) async throws -> RSAPublicKey
    /// Our private key, to open what is addressed to us.
    public let privateKey: RSAPrivateKey
    /// The access token for the gateway, `nil` when it takes none.
    let accessToken: @Sendable () async throws -> String?
    /// Called when the gateway answered 401, so the next call gets a fresh token.
    let tokenRejected: @Sendable () async -> Void

    public init(
        participantCode: String, client: HCXClient, privateKey: RSAPrivateKey,
        accessToken: @escaping @Sendable () async throws -> String? = { nil },
        recipientKey: @escaping @Sendable (_ participantCode: String) async throws -> RSAPublicKey
    ) {
        self.participantCode = participantCode
        self.client = client
        self.privateKey = privateKey
        self.accessToken = accessToken
        self.tokenRejected = {}
        self.recipientKey = recipientKey
    }

    private init(
        participantCode: String, client: HCXClient, privateKey: RSAPrivateKey, tokens: HCXTokenManager,
        registry: HCXRegistry
    ) {
        self.participantCode = participantCode
        self.client = client
        self.privateKey = privateKey
        self.accessToken = { try await tokens.token() }
        self.tokenRejected = { await tokens.invalidate() }
        self.recipientKey = { code in try await registry.encryptionKey(for: code) }
    }

    /// A connection to an HCX gateway at `baseURL` (with version prefix) that logs in with
    /// `credentials` and looks recipients' keys up in the gateway's registry.
    public static func gateway(
        participantCode: String, baseURL: String, credentials: HCXCredentials, privateKey: RSAPrivateKey,
        httpClient: HTTPClient, metrics: HCXMetrics = HCXMetrics(), logger: Logger
    ) -> HCXConnection {
        let tokens = HCXTokenManager(
            baseURL: baseURL, credentials: credentials, httpClient: httpClient, metrics: metrics, logger: logger)
        return HCXConnection(
            participantCode: participantCode,
            client: HCXClient(baseURL: baseURL, httpClient: httpClient, metrics: metrics, logger: logger),
            privateKey: privateKey, tokens: tokens,
            registry: HCXRegistry(baseURL: baseURL, httpClient: httpClient, tokens: tokens, logger: logger))
    }

    /// Sends an envelope with the access token; when the gateway answers 401 the token is
    /// dropped and the call is made once more with a fresh one.
    /// - Throws: ``HCXClientError`` as ``HCXClient/send(_:operation:bearerToken:)``.
    public func send(_ envelope: HCXEnvelope, operation: HCXOperation) async throws -> HCXAcknowledgement {
        do {
            return try await client.send(envelope, operation: operation, bearerToken: try await accessToken())
        } catch let error as HCXClientError {
            guard case .rejected(401, _) = error.kind else { throw error }
            await tokenRejected()
            return try await client.send(envelope, operation: operation, bearerToken: try await accessToken())
        }
    }
}
