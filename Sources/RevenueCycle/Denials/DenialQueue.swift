import Foundation
import RCMCore

/// The denial work queue: denied and stopped claims, categorised with their next action, the
/// most money at stake first, then the oldest.
public struct DenialQueue: Sendable {
    let claims: any ClaimRepository
    let calendar: BillingCalendar

    /// - Parameter calendar: the day the cases' ages count to.
    public init(claims: any ClaimRepository, calendar: BillingCalendar) {
        self.claims = claims
        self.calendar = calendar
    }

    /// The queue, optionally one category only: denied and stopped claims not yet written off or
    /// resubmitted (an appealed claim stays until then), the most money at stake first, then the
    /// oldest (``DenialCase/queueOrder(_:_:)`` within one currency; the store orders, so the whole
    /// queue is considered at any size).
    /// - Parameter limit: at most this many.
    public func cases(category: DenialCategory? = nil, limit: Int = 100) async throws -> [DenialCase] {
        try await claims.openDenials(category: category, limit: limit).map { entry in
            denialCase(entry.claim, lineReasons: entry.lineReasons)
        }
    }

    /// The denial case of one denied or stopped claim: category, next action, money at stake and
    /// age (in days, in the facility's time zone).
    /// - Parameter lineReasons: the payer's reason codes per line, in line order.
    public func denialCase(_ claim: StoredClaim, lineReasons: [[String]]) -> DenialCase {
        Self.denialCase(claim, lineReasons: lineReasons, today: calendar.today())
    }

    /// The denial case of a claim as of `today` (its age counted in days to that date).
    static func denialCase(_ claim: StoredClaim, lineReasons: [[String]], today: ServiceDate) -> DenialCase {
        DenialCase.classify(
            id: claim.id, claim: claim.claim, outcome: claim.outcome, approved: claim.approvedTotal,
            lineReasons: lineReasons, today: today)
    }
}
