import Foundation
import RCMCore

/// The denial work queue: denied and stopped claims, categorised with their next action, the
/// most money at stake first, then the oldest.
public struct DenialQueue: Sendable {
    let claims: any ClaimRepository
    let now: @Sendable () -> Date

    public init(claims: any ClaimRepository, now: @escaping @Sendable () -> Date) {
        self.claims = claims
        self.now = now
    }

    /// The queue, optionally one category only.
    /// - Parameter limit: at most this many (the most valuable), from the newest 5,000 claims.
    public func cases(category: DenialCategory? = nil, limit: Int = 100) async throws -> [DenialCase] {
        let today = ServiceDate(now(), in: ClaimWorkflow.facilityTimeZone)
        return try await claims.claims(withOutcomes: [.denied, .rejected], limit: 5_000)
            .map { entry in
                DenialCase.classify(
                    id: entry.claim.id, claim: entry.claim.claim, outcome: entry.claim.outcome,
                    approved: entry.claim.approvedTotal, lineReasons: entry.lineReasons, today: today)
            }
            .filter { category == nil || $0.category == category }
            .sorted(by: DenialCase.queueOrder)
            .prefix(limit)
            .map { $0 }
    }
}
