import RCMCore

/// Where denial actions are kept (`denial_actions`). Implemented over Fluent in `RCMServer`.
public protocol DenialResolutionLog: Sendable {
    /// Records an action, unless the claim was already closed (written off or resubmitted), in one
    /// transaction with that check.
    /// - Throws: ``RCMCore/DenialResolutionError/alreadyClosed(_:by:)``.
    func record(_ resolution: DenialResolution) async throws

    /// The actions taken on a claim, oldest first.
    func resolutions(for claimID: ClaimID) async throws -> [DenialResolution]
}
