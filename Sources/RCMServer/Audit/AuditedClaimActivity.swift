import Foundation
import RCMCore
import RevenueCycle

/// ``RevenueCycle/ClaimActivityLog`` over the audit trail: the workflow's outcome changes become
/// audit entries of actor `system:<worker>`, resource `claim`, with the outcome before and after.
struct AuditedClaimActivity: ClaimActivityLog {
    let trail: AuditTrail

    func recordOutcome(
        _ claimID: ClaimID, from before: ClaimOutcome, to after: ClaimOutcome, action: String, actor: String
    ) async throws {
        try await trail.append(
            AuditTrail.Record(
                actor: actor, action: action, resourceType: "claim", resourceID: claimID.description,
                outcome: "success",
                changes: ["outcome": AuditChange(before: before.rawValue, after: after.rawValue)]))
    }
}
