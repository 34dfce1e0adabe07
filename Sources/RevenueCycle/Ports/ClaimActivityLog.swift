import RCMCore

/// Where the claim workflow records what it decided about a claim, for the audit trail (docs
/// DESIGN.md §8: workflow steps are audited as `system:<worker>`). Implemented in `RCMServer`
/// over the tamper-evident audit trail.
public protocol ClaimActivityLog: Sendable {
    /// Records that `actor` (`system:<worker id>`) moved `claimID` from `before` to `after` by
    /// `action` (`claim.reject`, `claim.adjudicate`).
    func recordOutcome(
        _ claimID: ClaimID, from before: ClaimOutcome, to after: ClaimOutcome, action: String, actor: String
    ) async throws
}
