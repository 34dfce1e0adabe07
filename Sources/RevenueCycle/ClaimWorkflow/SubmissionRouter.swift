import Foundation
import RCMCore

/// Sends a claim by its payer's transport (``RCMCore/PayerTransport``, `rcm payers set
/// --transport`): over HCX by ``ClaimSubmitter`` (the default, and for payers without a
/// configuration), as an 837P file by ``X12ClaimSubmitter``.
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
