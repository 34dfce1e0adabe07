import Foundation
import RCMCore

/// Sends a claim, and asks about its member's cover, by its payer's transport
/// (``RCMCore/PayerTransport``, `rcm payers set --transport`): over HCX by ``ClaimSubmitter`` (the
/// default, and for payers without a configuration); as X12 files by ``X12ClaimSubmitter`` (270
/// and 837P).
public struct SubmissionRouter: Sendable {
    let claims: any ClaimRepository
    let payers: any PayerDirectory
    let hcx: ClaimSubmitter
    let x12: X12ClaimSubmitter

    public init(claims: any ClaimRepository, payers: any PayerDirectory, hcx: ClaimSubmitter, x12: X12ClaimSubmitter) {
        self.claims = claims
        self.payers = payers
        self.hcx = hcx
        self.x12 = x12
    }

    /// Asks the payer whether the claim's member is covered on its date of service (HCX
    /// `/coverageeligibility/check`, or an X12 270).
    /// - Returns: the event the answer will arrive as.
    /// - Throws: what ``ClaimSubmitter/requestEligibility(_:)`` or
    ///   ``X12ClaimSubmitter/requestEligibility(_:to:)`` throw.
    public func requestEligibility(_ claimID: ClaimID) async throws -> String {
        switch try await transport(of: try await claims.claim(claimID).claim) {
        case .hcx:
            ClaimWorkflow.eligibilityEventKey(
                correlationID: try await hcx.requestEligibility(claimID).correlationID)
        case .x12(let receiver):
            ClaimWorkflow.eligibilityResponseEventKey(
                interchangeControlNumber: try await x12.requestEligibility(claimID, to: receiver))
        }
    }

    /// The transport of the claim's payer.
    /// - Throws: a store error.
    public func transport(of claim: Claim) async throws -> PayerTransport {
        try await payers.configuration(for: claim.payer)?.transport ?? .hcx
    }

    /// Sends (or sends again, with the same ids or control numbers) the claim's submission.
    /// - Throws: what ``ClaimSubmitter/submit(_:)`` or ``X12ClaimSubmitter/submit(_:to:)`` throw.
    public func submit(_ claimID: ClaimID) async throws -> ClaimWorkflow.Submission {
        switch try await transport(of: try await claims.claim(claimID).claim) {
        case .hcx: try await hcx.submit(claimID)
        case .x12(let receiver): try await x12.submit(claimID, to: receiver)
        }
    }
}
