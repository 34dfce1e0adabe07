import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Looks participants up in the HCX registry and fetches their encryption certificates:
/// `POST {baseURL}/participant/search` with `{"filters":{"participant_code":{"eq":CODE}}}`, then
/// `GET encryption_cert` → X.509 PEM (docs reference/hcx-protocol.md §3.3). Keys are cached for
/// `cacheSeconds` and can be dropped after a recipient reports `ERR_INVALID_ENCRYPTION`.
public actor HCXRegistry {
    /// A registry record, the fields RCM uses.
    public struct Participant: Decodable, Sendable, Hashable {
        public let participantCode: String
        public let participantName: String?
        public let status: String?
        public let roles: [String]?
        /// URL of the participant's X.509 encryption certificate (PEM).
        public let encryptionCert: String
        /// Base URL the gateway delivers to.
        public let endpointURL: String?

        enum CodingKeys: String, CodingKey {
            case participantCode = "participant_code"
            case participantName = "participant_name"
            case status, roles
            case encryptionCert = "encryption_cert"
            case endpointURL = "endpoint_url"
        }
    }

    struct SearchResponse: Decodable {
        let participants: [Participant]
    }

    private let searchURL: String
    private let httpClient: HTTPClient
    private let tokens: HCXTokenManager
    private let cacheSeconds: Double
    private let now: @Sendable () -> Date
    private let logger: Logger
    private var keys: [String: (key: RSAPublicKey, fetchedAt: Date)] = [:]

    /// Creates a registry client.
    /// - Parameters:
    ///   - baseURL: the gateway base URL with version prefix.
    ///   - cacheSeconds: how long a fetched key is reused, in seconds (NHCX recommends 24 h).
    public init(
        baseURL: String, httpClient: HTTPClient, tokens: HCXTokenManager, cacheSeconds: Double = 86_400,
        now: @escaping @Sendable () -> Date = Date.init, logger: Logger
    ) {
        self.searchURL = HCXBaseURL.normalized(baseURL) + "/participant/search"
        self.httpClient = httpClient
        self.tokens = tokens
        self.cacheSeconds = cacheSeconds
        self.now = now
        self.logger = logger
    }

    /// The registry record of a participant.
    /// - Throws: ``HCXProtocolError`` `ERR_INVALID_RECIPIENT` when none is registered or it is not
    ///   `Active`; ``HCXClientError`` when the registry cannot be reached.
    public func participant(_ code: String) async throws -> Participant {
        var request = HTTPClientRequest(url: searchURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(try await tokens.token())")
        let filter = ["filters": ["participant_code": ["eq": code]]]
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(filter)))
        let body = try await httpClient.hcxFetch(request, what: "participant search", logger: logger)
        guard let found = try? JSONDecoder().decode(SearchResponse.self, from: body).participants.first else {
            throw HCXProtocolError(.invalidRecipient, "participant '\(code)' is not registered")
        }
        guard (found.status ?? "Active").caseInsensitiveCompare("Active") == .orderedSame else {
            throw HCXProtocolError(.invalidRecipient, "participant '\(code)' is \(found.status ?? "not active")")
        }
        return found
    }

    /// The encryption key of a participant, from the cache or its certificate.
    /// - Throws: as ``participant(_:)``, plus ``HCXKeyError`` when the certificate is unusable.
    public func encryptionKey(for code: String) async throws -> RSAPublicKey {
        if let cached = keys[code], now().timeIntervalSince(cached.fetchedAt) < cacheSeconds { return cached.key }
        let record = try await participant(code)
        var request = HTTPClientRequest(url: record.encryptionCert)
        request.method = .GET
        let pem = String(
            decoding: try await httpClient.hcxFetch(request, what: "certificate of \(code)", logger: logger),
            as: UTF8.self)
        let key = try RSAPublicKey(certificateOrPublicKeyPEM: pem)
        keys[code] = (key, now())
        return key
    }

    /// Forgets a cached key, so the next use fetches the certificate again.
    public func invalidateKey(for code: String) { keys[code] = nil }
}
