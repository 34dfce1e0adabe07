import Foundation
import RCMCore

/// Where posted payments are kept (`payments`). Implemented over Fluent in `RCMServer`.
public protocol PaymentLedger: Sendable {
    /// Posts a payment once per payment identifier.
    /// - Parameters:
    ///   - claimID: the claim it was matched to; `nil` leaves it in the unmatched queue.
    ///   - source: `hcx` (a PaymentNotice / PaymentReconciliation) or `manual`.
    /// - Returns: `false` when a payment with this identifier was posted before (nothing changes).
    func post(_ payment: Payment, claimID: ClaimID?, source: String, at date: Date) async throws -> Bool

    /// The payments posted to a claim, oldest first.
    func payments(for claimID: ClaimID) async throws -> [Payment]
}
