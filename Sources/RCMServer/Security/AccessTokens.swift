import Crypto
import Foundation
import JWTKit

/// Short-lived access tokens: HS256 JWTs (RFC 7519) signed with `RCM_JWT_SIGNING_KEY`, valid for
/// ``lifetimeSeconds`` (15 minutes); `sub` = user id, with the user's e-mail, kind and roles. A
/// refresh token (``UserDirectory``) gets a new one.
public struct AccessTokens: Sendable {
    struct Payload: JWTPayload {
        var sub: SubjectClaim
        var iat: IssuedAtClaim
        var exp: ExpirationClaim
        var iss: IssuerClaim
        var email: String
        var kind: String
        var roles: [String]

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
            guard iss.value == AccessTokens.issuer else {
                throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "issuer")
            }
        }
    }

    static let issuer = "rcm"
    /// Lifetime of an access token, in seconds.
    public static let lifetimeSeconds: Double = 900

    private let signingKey: SymmetricKey

    /// - Parameter signingKey: the secret (at least 32 bytes; ``SigningKeySource`` enforces it).
    public init(signingKey: String) { self.signingKey = SymmetricKey(data: Data(signingKey.utf8)) }

    private func keys() async -> JWTKeyCollection {
        await JWTKeyCollection().add(hmac: HMACKey(key: signingKey), digestAlgorithm: .sha256, kid: "rcm-access")
    }

    /// A token for `principal`, issued at `now`.
    public func issue(for principal: Principal, now: Date = Date()) async throws -> String {
        try await keys().sign(
            Payload(
                sub: SubjectClaim(value: principal.userID.uuidString.lowercased()), iat: IssuedAtClaim(value: now),
                exp: ExpirationClaim(value: now.addingTimeInterval(Self.lifetimeSeconds)),
                iss: IssuerClaim(value: Self.issuer), email: principal.email, kind: principal.kind,
                roles: principal.roles.sorted().map(\.rawValue)),
            kid: "rcm-access")
    }

    /// The user id a token was issued to.
    /// - Throws: ``AccessTokenError`` for an expired, forged or malformed token.
    public func userID(of token: String) async throws -> UUID {
        do {
            let payload = try await keys().verify(token, as: Payload.self)
            guard let id = UUID(uuidString: payload.sub.value) else { throw AccessTokenError.invalid }
            return id
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw AccessTokenError.expired
        } catch {
            throw AccessTokenError.invalid
        }
    }
}

/// Why a bearer credential was refused (the answer is always 401).
public enum AccessTokenError: Error, Equatable, CustomStringConvertible {
    case missing, expired, invalid

    public var description: String {
        switch self {
        case .missing: "this route needs Authorization: Bearer <access token or API key>"
        case .expired: "the access token has expired: get a new one at POST /api/v1/auth/refresh"
        case .invalid: "the credential is not valid"
        }
    }
}
