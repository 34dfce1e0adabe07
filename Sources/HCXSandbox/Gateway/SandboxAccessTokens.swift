import Foundation
import HCX
import JWTKit

/// The access tokens the sandbox gateway issues from `/participant/auth/token/generate` and
/// checks on every protocol call: RS256 JWTs signed with the gateway key, `sub` = the
/// participant code (the gateway's rule "sender code = token owner", docs
/// reference/hcx-protocol.md §2.2, §4.5).
struct SandboxAccessTokens: Sendable {
    struct Payload: JWTPayload {
        var jti: IDClaim
        var sub: SubjectClaim
        var iss: IssuerClaim
        var iat: IssuedAtClaim
        var exp: ExpirationClaim
        /// Registry roles (the Swasth gateway reads `participant_roles`).
        var participantRoles: [String]

        enum CodingKeys: String, CodingKey {
            case jti, sub, iss, iat, exp
            case participantRoles = "participant_roles"
        }

        func verify(using algorithm: some JWTAlgorithm) async throws { try exp.verifyNotExpired() }
    }

    private let keys: JWTKeyCollection
    let issuer: String
    /// Lifetime of an issued token, in seconds.
    let lifetimeSeconds: Double

    static func make(gatewayKey: RSAPrivateKey, issuer: String, lifetimeSeconds: Double) async throws
        -> SandboxAccessTokens
    {
        let keys = JWTKeyCollection()
        await keys.add(
            rsa: try Insecure.RSA.PrivateKey(pem: gatewayKey.pkcs8PEMRepresentation), digestAlgorithm: .sha256,
            kid: "sandbox-access")
        return SandboxAccessTokens(keys: keys, issuer: issuer, lifetimeSeconds: lifetimeSeconds)
    }

    /// A token for a participant.
    func issue(for participant: SandboxParticipant, now: Date = Date()) async throws -> String {
        try await keys.sign(
            Payload(
                jti: IDClaim(value: UUID().uuidString.lowercased()), sub: SubjectClaim(value: participant.code),
                iss: IssuerClaim(value: issuer), iat: IssuedAtClaim(value: now),
                exp: ExpirationClaim(value: now.addingTimeInterval(lifetimeSeconds)),
                participantRoles: participant.roles),
            kid: "sandbox-access")
    }

    /// The participant code a bearer token was issued to.
    /// - Throws: ``HCXProtocolError`` `ERR_ACCESS_DENIED` for a missing, expired or forged token.
    func participantCode(authorization: String?) async throws -> String {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else {
            throw HCXProtocolError(.accessDenied, "the Authorization: Bearer token is missing")
        }
        let token = String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        do {
            return try await keys.verify(token, as: Payload.self).sub.value
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw HCXProtocolError(.accessDenied, "the access token has expired")
        } catch {
            throw HCXProtocolError(.accessDenied, "the access token is not valid")
        }
    }
}
