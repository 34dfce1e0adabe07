import Foundation
import JWTKit

/// The claims of the JWT an HCX gateway puts in `Authorization: Bearer` on the calls it makes to
/// participants: RS256, `jti`, `iss`, `sub` (the gateway's registry code), `iat`, `exp`
/// (hcx-specs v0.7 api-security; hcx-platform `JWTUtil.generateHCXGatewayToken`).
public struct HCXGatewayToken: JWTPayload, Equatable {
    public var jti: IDClaim
    public var iss: IssuerClaim
    public var sub: SubjectClaim
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim

    /// Checks the expiry (the signature is checked by the caller's key collection).
    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}
