import FHIR
import RCMCore

/// A claim as stored: RCM's id, the claim, the bundle to send, and where it stands.
public struct StoredClaim: Sendable, Hashable {
    public let id: ClaimID
    public let claim: Claim
    /// The ClaimRequestBundle to send (see ``ClaimSubmission/bundle``).
    public let bundle: JSONValue
    public let outcome: ClaimOutcome
    /// Total approved by the payer, once adjudicated.
    public let approvedTotal: Money?

    public init(id: ClaimID, claim: Claim, bundle: JSONValue, outcome: ClaimOutcome, approvedTotal: Money?) {
        self.id = id
        self.claim = claim
        self.bundle = bundle
        self.outcome = outcome
        self.approvedTotal = approvedTotal
    }
}
