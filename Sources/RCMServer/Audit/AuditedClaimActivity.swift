import Foundation
import RCMCore
import RevenueCycle

/// ``RevenueCycle/ClaimActivityLog`` over the audit trail: the workflow's decisions become audit
/// entries of actor `system:<worker>`, resource `claim`, with the outcome before and after when it
/// changed and the decision when it differs from the outcome after (a payer's `approved` on a claim
/// a payment notice had already made `paid`).
struct AuditedClaimActivity: ClaimActivityLog {
    let trail: AuditTrail

    func recordOutcome(
        _ claimID: ClaimID, from before: ClaimOutcome, to after: ClaimOutcome, decision: ClaimOutcome,
        action: String, actor: String
    ) async throws {
        var changes: [String: AuditChange] = [:]
        if before != after { changes["outcome"] = AuditChange(before: before.rawValue, after: after.rawValue) }
        if decision != after { changes["decision"] = AuditChange(before: nil, after: decision.rawValue) }
        try await trail.append(
            AuditTrail.Record(
                actor: actor, action: action, resourceType: "claim", resourceID: claimID.description,
                outcome: "success", changes: changes.isEmpty ? nil : changes))
    }

    func atomically<T: Sendable>(_ change: @escaping @Sendable () async throws -> T) async throws -> T {
        try await trail.change(change)
    }
}
