import Foundation
import RCMCore
import Workflow

/// Taking a claim in: stored once per intake key (a repeat returns the claim already there), with
/// a warning when another claim with the same identifier but other content was taken in before;
/// and, for claims that arrive one at a time (the API, resubmissions), its claim workflow queued
/// for the workers.
public struct ClaimIntake: Sendable {
    let claims: any ClaimRepository
    let engine: WorkflowEngine

    public init(claims: any ClaimRepository, engine: WorkflowEngine) {
        self.claims = claims
        self.engine = engine
    }

    /// Stores the submission unless its intake key is known.
    /// - Parameter flagEarlierVersions: add the "other content under the same identifier" warning
    ///   (not for a resubmission, which names the claim it replaces).
    /// - Returns: the claim's id and whether it was created now.
    public func takeIn(_ submission: ClaimSubmission, flagEarlierVersions: Bool = true) async throws -> (
        ClaimID, created: Bool
    ) {
        var submission = submission
        if flagEarlierVersions {
            let earlier = try await claims.claims(withIdentifier: submission.claim.identifier)
            if !earlier.isEmpty, !earlier.contains(where: { $0.1 == submission.intakeKey }) {
                let ids = earlier.map { "\($0.0)" }.joined(separator: ", ")
                submission = submission.adding(
                    ClaimFinding(
                        .warning, field: "Claim.identifier",
                        "a claim with identifier \(submission.claim.identifier) and other content was taken in earlier "
                            + "(\(ids)); if this corrects it, send it as a corrected claim referencing that one"))
            }
        }
        return try await claims.intake(submission)
    }

    /// Takes the submission in and queues its claim workflow (once: a repeat finds the run that exists).
    /// - Returns: the claim's id, whether it was created now, and its workflow run.
    public func takeInAndQueue(_ submission: ClaimSubmission, flagEarlierVersions: Bool = true) async throws -> (
        ClaimID, created: Bool, run: WorkflowRecord
    ) {
        let (id, created) = try await takeIn(submission, flagEarlierVersions: flagEarlierVersions)
        return (id, created, try await queue(id))
    }

    /// Queues the claim workflow of a stored claim for the workers, or finds the run that exists.
    public func queue(_ id: ClaimID) async throws -> WorkflowRecord {
        try await engine.enqueue(
            ClaimWorkflow.name, input: try JSONEncoder().encode(ClaimWorkflow.Input(claimID: id)),
            id: ClaimWorkflow.workflowID(for: id)
        ).0
    }
}
