import Foundation
import JWTKit

/// Signs (as a gateway) or verifies (as a participant) the gateway's RS256 bearer JWT on HCX
/// calls delivered to participants (docs reference/hcx-protocol.md §3.4, hcx-platform issue #197).
public struct HCXGatewayAuthenticator: Sendable {
    private let keys: JWTKeyCollection
    private let gatewayCode: String?

    /// An authenticator that signs tokens as `gatewayCode` with the gateway's private key.
    public static func signing(with key: RSAPrivateKey, gatewayCode: String) async throws -> HCXGatewayAuthenticator {
        let keys = JWTKeyCollection()
        await keys.add(rsa: try Insecure.RSA.PrivateKey(pem: key.pkcs8PEMRepresentation), digestAlgorithm: .sha256)
        return HCXGatewayAuthenticator(keys: keys, gatewayCode: gatewayCode)
    }

    /// An authenticator that verifies tokens against the gateway's certificate or public key (PEM).
    /// - Throws: ``HCXKeyError/unreadableKey(_:)`` when the PEM is neither.
    public static func verifying(gatewayCertificateOrPublicKeyPEM pem: String) async throws -> HCXGatewayAuthenticator {
        let keys = JWTKeyCollection()
        do {
            let key =
                pem.contains("BEGIN CERTIFICATE")
                ? try Insecure.RSA.PublicKey(certificatePEM: pem) : try Insecure.RSA.PublicKey(pem: pem)
            await keys.add(rsa: key, digestAlgorithm: .sha256)
        } catch {
            throw HCXKeyError.unreadableKey(
                "the gateway's key is not an RSA certificate or public key of 2048 bits or more")
        }
        return HCXGatewayAuthenticator(keys: keys, gatewayCode: nil)
    }

    /// A new token for one call, valid for `lifetimeSeconds` (the Swasth gateway uses 24 h).
    public func token(now: Date = Date(), lifetimeSeconds: Double = 86_400) async throws -> String {
        let payload = HCXGatewayToken(
            jti: IDClaim(value: UUID().uuidString.lowercased()), iss: IssuerClaim(value: gatewayCode ?? "hcx-gateway"),
            sub: SubjectClaim(value: gatewayCode ?? "hcx-gateway"), iat: IssuedAtClaim(value: now),
            exp: ExpirationClaim(value: now.addingTimeInterval(lifetimeSeconds)))
        return try await keys.sign(payload)
    }

    /// Verifies the `Authorization` header value of an inbound call.
    /// - Parameter authorization: the header value, `Bearer <jwt>`, or `nil` when absent.
    /// - Returns: the token's claims.
    /// - Throws: ``HCXProtocolError`` with `ERR_ACCESS_DENIED` for a missing, malformed, wrongly
    ///   signed or expired token.
    public func verify(authorization: String?) async throws -> HCXGatewayToken {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else {
            throw HCXProtocolError(.accessDenied, "the gateway's bearer token is missing")
        }
        let token = String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        do {
            return try await keys.verify(token, as: HCXGatewayToken.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw HCXProtocolError(.accessDenied, "the gateway's bearer token has expired")
        } catch {
            throw HCXProtocolError(.accessDenied, "the gateway's bearer token is not valid (signature or format)")
        }
    }
}
