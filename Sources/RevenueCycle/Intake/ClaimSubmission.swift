import FHIR
import RCMCore

/// A claim ready to be taken in: the domain claim, the bundle to send, and its idempotency key.
public struct ClaimSubmission: Sendable, Hashable {
    /// The claim as RCM reads it.
    public private(set) var claim: Claim
    /// The bundle to send to the payer: as received, with line sequences renumbered 1…n and
    /// modifiers in upper case (`ClaimBundle.normalizingClaimItems()`).
    public let bundle: JSONValue
    /// The idempotency key (see ``ClaimIntakeKey``).
    public let intakeKey: ClaimIntakeKey

    /// Reads an HCX claim bundle into a submission. The patient, insurer and provider are kept as
    /// the business identifiers of the resources the Claim references in the bundle (e.g. the MRN,
    /// `GICOFINDIA`, the facility id), or as the references when the bundle does not hold them.
    /// - Throws: ``RCMCore/ClaimIntakeError`` with field-level findings; a claim over
    ///   ``RCMCore/ClaimLimits/maximumLines`` lines is refused before it is read.
    public init(_ claimBundle: ClaimBundle) throws {
        if let problem = ClaimLimits.lineCountProblem(claimBundle.claim.item?.count ?? 0, field: "Claim.item") {
            throw ClaimIntakeError(findings: [problem])
        }
        let read = try claimBundle.claim.toDomain()
        claim = read.identifying(
            patient: claimBundle.identifierValue(of: claimBundle.claim.patient) ?? read.patientReference,
            payer: claimBundle.identifierValue(of: claimBundle.claim.insurer) ?? read.payer,
            provider: claimBundle.identifierValue(of: claimBundle.claim.provider) ?? read.provider)
        bundle = claimBundle.normalizingClaimItems()
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
