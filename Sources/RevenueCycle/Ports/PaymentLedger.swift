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

    /// How many payments were posted in all (matched or not): a run watches it grow while payment
    /// notices keep coming.
    func postedCount() async throws -> Int

    /// Payments that matched no claim, oldest first, with when and how they arrived.
    func unmatched(limit: Int) async throws -> [(payment: Payment, source: String, postedAt: Date)]

    /// Matches an unmatched payment to a claim.
    /// - Returns: the payment, or `nil` when no unmatched payment has this identifier (unknown,
    ///   or already matched).
    func match(_ paymentIdentifier: String, to claimID: ClaimID) async throws -> Payment?
}
