import Foundation
import Vapor

/// `POST /api/v1/auth/login` (e-mail and password → a 15-minute access token and an 8-hour
/// refresh token), `POST /api/v1/auth/refresh` (a refresh token → a new pair; the old one is
/// revoked) and `POST /api/v1/auth/logout` (revokes a refresh token; 204).
///
/// Sign-ins are checked and throttled by ``SignIn`` (the console's too). Every login, refresh and
/// logout is audited; passwords and tokens never are.
struct AuthController: RouteCollection {
    struct LoginBody: Content {
        var email: String
        var password: String
    }

    struct RefreshBody: Content {
        var refreshToken: String

        enum CodingKeys: String, CodingKey { case refreshToken = "refresh_token" }
    }

    struct TokenPair: Content {
        var accessToken: String
        var tokenType = "Bearer"
        /// Seconds.
        var expiresIn: Int
        var refreshToken: String
        /// Seconds.
        var refreshExpiresIn: Int
        var roles: [String]

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case tokenType = "token_type"
            case expiresIn = "expires_in"
            case refreshToken = "refresh_token"
            case refreshExpiresIn = "refresh_expires_in"
            case roles
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        let auth = routes.grouped("api", "v1", "auth")
        auth.post("login", use: login)
        auth.post("refresh", use: refresh)
        auth.post("logout", use: logout)
    }

    private func security(_ request: Request) throws -> SecurityServices {
        guard let security = request.application.security else {
            throw Abort(.serviceUnavailable, reason: "authentication is not configured")
        }
        return security
    }

    @Sendable func login(request: Request) async throws -> TokenPair {
        let security = try security(request)
        let body = try request.content.decode(LoginBody.self)
        let signIn = SignIn(security: security)
        let principal = try await signIn.authenticate(email: body.email, password: body.password, request: request)
        // The sign-in's entry and its refresh token commit together.
        return try await security.audit.change {
            try await signIn.record(
                SignIn.actor(email: body.email), "success", 200, role: principal.roleList, request: request)
            return try await pair(for: principal, security)
        }
    }

    @Sendable func refresh(request: Request) async throws -> TokenPair {
        let security = try security(request)
        let body = try request.content.decode(RefreshBody.self)
        // The spent token, the new pair and the entry commit together.
        let redeemed: TokenPair? = try await security.audit.change {
            guard let principal = try await security.users.redeemRefreshToken(body.refreshToken) else { return nil }
            try await security.audit.append(
                AuditTrail.Record(
                    actor: principal.actor, role: principal.roleList, action: "auth.refresh", resourceType: "session",
                    outcome: "success", status: 200, ipAddress: request.remoteAddress?.ipAddress,
                    userAgent: request.headers.first(name: .userAgent), requestID: request.id))
            return try await pair(for: principal, security)
        }
        guard let redeemed else {
            // A spent or unknown refresh token: refused and recorded (a reused one may be stolen).
            try await security.audit.append(
                AuditTrail.Record(
                    actor: "anonymous", action: "auth.refresh", resourceType: "session", outcome: "denied", status: 401,
                    ipAddress: request.remoteAddress?.ipAddress, userAgent: request.headers.first(name: .userAgent),
                    requestID: request.id))
            throw Abort(.unauthorized, reason: "the refresh token is not valid: log in again")
        }
        return redeemed
    }

    @Sendable func logout(request: Request) async throws -> HTTPStatus {
        let security = try security(request)
        let body = try request.content.decode(RefreshBody.self)
        try await security.audit.change {
            try await security.users.revokeRefreshToken(body.refreshToken)
            try await security.audit.append(
                AuditTrail.Record(
                    actor: "anonymous", action: "auth.logout", resourceType: "session", outcome: "success", status: 204,
                    ipAddress: request.remoteAddress?.ipAddress, userAgent: request.headers.first(name: .userAgent),
                    requestID: request.id))
        }
        return .noContent
    }

    private func pair(for principal: Principal, _ security: SecurityServices) async throws -> TokenPair {
        TokenPair(
            accessToken: try await security.tokens.issue(for: principal), expiresIn: Int(AccessTokens.lifetimeSeconds),
            refreshToken: try await security.users.issueRefreshToken(for: principal.userID),
            refreshExpiresIn: Int(UserDirectory.refreshLifetimeSeconds), roles: principal.roles.sorted().map(\.rawValue)
        )
    }
}
