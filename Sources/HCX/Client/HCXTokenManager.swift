import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Obtains the gateway access token and keeps it until shortly before it expires; concurrent
/// callers share one refresh (docs DESIGN.md §5; hcx-platform `JWTController`).
public actor HCXTokenManager {
    /// The token endpoint's answer (Keycloak token JSON).
    struct TokenResponse: Decodable {
        let accessToken: String
        /// Lifetime in seconds.
        let expiresIn: Double?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case expiresIn = "expires_in"
        }
    }

    private let tokenURL: String
    private let credentials: HCXCredentials
    private let httpClient: HTTPClient
    private let refreshMarginSeconds: Double
    private let now: @Sendable () -> Date
    private let metrics: HCXMetrics
    private let logger: Logger
    private var cached: (token: String, expiresAt: Date)?
    private var refreshing: Task<String, any Error>?

    /// Creates a manager.
    /// - Parameters:
    ///   - baseURL: the gateway base URL with version prefix; the token is requested from
    ///     `{baseURL}/participant/auth/token/generate`.
    ///   - refreshMarginSeconds: how long before expiry, in seconds, a token is replaced.
    ///   - metrics: counts each token obtained (`rcm_hcx_token_refreshes_total`).
    public init(
        baseURL: String, credentials: HCXCredentials, httpClient: HTTPClient, refreshMarginSeconds: Double = 60,
        now: @escaping @Sendable () -> Date = Date.init, metrics: HCXMetrics = HCXMetrics(), logger: Logger
    ) {
        self.tokenURL = HCXBaseURL.normalized(baseURL) + "/participant/auth/token/generate"
        self.credentials = credentials
        self.httpClient = httpClient
        self.refreshMarginSeconds = refreshMarginSeconds
        self.now = now
        self.metrics = metrics
        self.logger = logger
    }

    /// A valid access token, from the cache or freshly requested.
    /// - Throws: ``HCXClientError`` when the endpoint cannot be reached or refuses the credentials.
    public func token() async throws -> String {
        if let cached, cached.expiresAt.addingTimeInterval(-refreshMarginSeconds) > now() { return cached.token }
        if let refreshing { return try await refreshing.value }
        let request = Task { try await self.requestToken() }
        refreshing = request
        defer { refreshing = nil }
        return try await request.value
    }

    /// Drops the cached token (e.g. after the gateway answered 401).
    public func invalidate() { cached = nil }

    private func requestToken() async throws -> String {
        var request = HTTPClientRequest(url: tokenURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let form = credentials.formFields.map { "\(Self.formEncode($0))=\(Self.formEncode($1))" }.joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: form))
        let body = try await httpClient.hcxFetch(request, what: "token request", logger: logger)
        guard let token = try? JSONDecoder().decode(TokenResponse.self, from: body) else {
            throw HCXClientError(
                .rejected(status: 200, code: nil),
                "token request answered without an access_token: \(String(decoding: body.prefix(200), as: UTF8.self))"
            )
        }
        cached = (token.accessToken, now().addingTimeInterval(token.expiresIn ?? 300))
        metrics.recordTokenRefresh()
        return token.accessToken
    }

    /// `application/x-www-form-urlencoded` encoding of one name or value.
    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text)
            .replacingOccurrences(of: "%20", with: "+")
    }
}
