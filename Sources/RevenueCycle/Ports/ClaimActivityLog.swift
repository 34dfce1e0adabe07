import RCMCore

/// Where the claim workflow records what it decided about a claim, for the audit trail (docs
/// DESIGN.md §8: workflow steps are audited as `system:<worker>`). Implemented in `RCMServer`
/// over the tamper-evident audit trail.
public protocol ClaimActivityLog: Sendable {
    /// Records that `actor` (`system:<worker id>`) took `action` on `claimID` (`claim.reject`,
    /// `claim.adjudicate`): the claim's outcome went from `before` to `after` (equal when the
    /// stored outcome did not change, e.g. a payment notice that overtook the payer's answer had
    /// already made it `partially_paid`), and `decision` is what was decided (the payer's
    /// `ClaimAdjudication.outcome`, or `rejected`).
    func recordOutcome(
        _ claimID: ClaimID, from before: ClaimOutcome, to after: ClaimOutcome, decision: ClaimOutcome,
        action: String, actor: String
    ) async throws

    /// Runs `change` — a change to a claim and the ``recordOutcome(_:from:to:decision:action:actor:)``
    /// that records it — so that both are stored or neither is (one transaction of the audit trail's
    /// database, which the claim stores join).
    /// - Throws: what `change` throws (nothing it wrote is kept then), or the store's error.
    func atomically<T: Sendable>(_ change: @escaping @Sendable () async throws -> T) async throws -> T
}
