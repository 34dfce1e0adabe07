import FHIR
import RCMCore

/// A claim ready to be taken in: the domain claim, the bundle to send, and its idempotency key.
public struct ClaimSubmission: Sendable, Hashable {
    /// The claim as RCM reads it.
    public private(set) var claim: Claim
    /// The bundle to send to the payer: as received, with line sequences renumbered 1…n.
    public let bundle: JSONValue
    /// The idempotency key (see ``ClaimIntakeKey``).
    public let intakeKey: ClaimIntakeKey

    /// Reads an HCX claim bundle into a submission.
    /// - Throws: ``RCMCore/ClaimIntakeError`` with field-level findings.
    public init(_ claimBundle: ClaimBundle) throws {
        claim = try claimBundle.claim.toDomain()
        bundle = claimBundle.renumberingClaimItems()
        intakeKey = try ClaimIntakeKey(identifier: claim.identifier, claimResource: claimBundle.claimResource)
    }

    /// The same submission with one more finding on its claim (the intake key is unchanged: it
    /// identifies what was sent).
    public func adding(_ finding: ClaimFinding) -> ClaimSubmission {
        var copy = self
        copy.claim = claim.adding(finding)
        return copy
    }
}
