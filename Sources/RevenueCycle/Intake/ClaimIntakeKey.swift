import Crypto
import FHIR
import Foundation
import RCMCore

/// The idempotency key of a submitted claim: its business identifier plus a SHA-256 digest of
/// the Claim resource in canonical JSON (sorted keys, no whitespace).
///
/// The same claim sent again — in a re-run, or in two bundles — has the same key and is taken in
/// once; a corrected claim (any element changed) has a new key.
public struct ClaimIntakeKey: Hashable, Sendable, Codable, CustomStringConvertible {
    /// `<system|value>#sha256:<hex>`, at most a few hundred characters.
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// The key of `claimResource` with business identifier `identifier`.
    /// - Throws: an encoding error only if the resource cannot be re-encoded (it came from JSON).
    public init(identifier: ClaimIdentifier, claimResource: JSONValue) throws {
        let digest = SHA256.hash(data: try claimResource.canonicalData())
        let hex = digest.map { String(format: "%02x", $0) }.joined()
        self.rawValue = "\(identifier)#sha256:\(hex)"
    }

    public var description: String { rawValue }
}
