import Foundation
import RCMCore
import X12

/// One CLP of a posted 835 as kept: the claim it matched (`nil`: none) and, for each of its SVC
/// lines in order, the billed line (``RCMCore/ClaimLine/sequence``) it was matched to.
public struct RemittanceClaimRecord: Sendable, Hashable {
    public let claimID: ClaimID?
    public let payment: Remittance835.ClaimPayment
    public let lineSequences: [Int?]

    public init(claimID: ClaimID?, payment: Remittance835.ClaimPayment, lineSequences: [Int?]) {
        self.claimID = claimID
        self.payment = payment
        self.lineSequences = lineSequences
    }
}

/// Where posted 835 remittances are kept whole (`x12_remittances`, `x12_remittance_claims`):
/// the natural key of a remittance is its payer and trace number (TRN03, TRN02), so that the same
/// file read twice posts once. Implemented over SQL in `RCMServer`.
public protocol X12RemittanceLog: Sendable {
    /// Whether the remittance of `payerKey` with this trace number was recorded.
    func isPosted(payerKey: String, traceNumber: String) async throws -> Bool

    /// Records a posted remittance, its provider-level adjustments and its claims with every
    /// adjustment, in one transaction, once.
    /// - Returns: `false` when it was recorded before (nothing changes).
    func record(
        _ remittance: Remittance835, payerKey: String, claims: [RemittanceClaimRecord], fileName: String,
        at date: Date
    ) async throws -> Bool
}
