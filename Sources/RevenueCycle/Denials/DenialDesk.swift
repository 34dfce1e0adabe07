import FHIR
import Foundation
import RCMCore
import Workflow

/// Acting on the denial work queue: appeal a claim, write it off, or correct and resubmit it as a
/// new claim that references the one it replaces (FHIR R4 `Claim.related`, relationship `prior`)
/// and runs through the claim workflow again. Each action is recorded with its reason and actor;
/// a write-off or a resubmission takes the claim out of the queue.
public struct DenialDesk: Sendable {
    let claims: any ClaimRepository
    let resolutions: any DenialResolutionLog
    let engine: WorkflowEngine
    let now: @Sendable () -> Date

    public init(
        claims: any ClaimRepository, resolutions: any DenialResolutionLog, engine: WorkflowEngine,
        now: @escaping @Sendable () -> Date
    ) {
        self.claims = claims
        self.resolutions = resolutions
        self.engine = engine
        self.now = now
    }

    /// Records an appeal: the claim stays in the queue.
    /// - Throws: ``RCMCore/DenialResolutionError``; the repository's error for an unknown claim.
    public func appeal(_ id: ClaimID, reason: String, actor: String) async throws -> DenialResolution {
        let (_, reason) = try await actionable(id, reason: reason)
        let resolution = DenialResolution(action: .appeal, claimID: id, reason: reason, actor: actor, at: now())
        try await resolutions.record(resolution)
        return resolution
    }

    /// Writes the claim off: the amount at stake (billed less approved) is no longer pursued.
    /// A zero-paid denial stays a denial until someone writes it off here.
    /// - Throws: ``RCMCore/DenialResolutionError``; the repository's error for an unknown claim.
    public func writeOff(_ id: ClaimID, reason: String, actor: String) async throws -> DenialResolution {
        let (stored, reason) = try await actionable(id, reason: reason)
        let atStake = try stored.claim.billedTotal.subtracting(stored.approvedTotal ?? .zero(stored.claim.currency))
        let resolution = DenialResolution(
            action: .writeOff, claimID: id, reason: reason, actor: actor, at: now(), amount: atStake)
        try await resolutions.record(resolution)
        return resolution
    }

    /// Resubmits the claim as a new claim: the corrected input when given (an HCX claim bundle or
    /// an encounter, read like any input), else the same bundle under a new identifier
    /// (`<identifier>-R<n>`, e.g. after the member's cover was fixed). The new claim carries
    /// `Claim.related` = the old one (`prior`) and its claim workflow is started for the workers.
    /// - Returns: the resolution and the new claim's id.
    /// - Throws: ``RCMCore/DenialResolutionError``; ``RCMCore/ClaimIntakeError`` for a correction
    ///   that cannot be taken in.
    public func resubmit(_ id: ClaimID, reason: String, actor: String, correction: ClaimSubmission? = nil)
        async throws -> (DenialResolution, ClaimID)
    {
        let (stored, reason) = try await actionable(id, reason: reason)
        if let closing = try await resolutions.resolutions(for: id).first(where: \.closesClaim) {
            throw DenialResolutionError.alreadyClosed(id, by: closing.action.rawValue)
        }
        let prior = stored.claim.identifier
        let submission: ClaimSubmission
        if let correction {
            submission = try ClaimSubmission(
                try ClaimBundle(
                    json: try ClaimBundle(json: correction.bundle).replacing(
                        prior: prior, identifierValue: nil, resourceID: UUID().uuidString.lowercased())))
        } else {
            let base = prior.value.replacingOccurrences(of: #"-R[0-9]+$"#, with: "", options: .regularExpression)
            var number = 1
            while try await !claims.claims(
                withIdentifier: ClaimIdentifier(system: prior.system, value: "\(base)-R\(number)")
            ).isEmpty {
                number += 1
            }
            submission = try ClaimSubmission(
                try ClaimBundle(
                    json: try ClaimBundle(json: stored.bundle()).replacing(
                        prior: prior, identifierValue: "\(base)-R\(number)",
                        resourceID: UUID().uuidString.lowercased())))
        }
        let intake = ClaimIntake(claims: claims, engine: engine)
        let (newID, _) = try await intake.takeIn(submission, flagEarlierVersions: false)
        let resolution = DenialResolution(
            action: .correctAndResubmit, claimID: id, reason: reason, actor: actor, at: now(),
            replacementClaimID: newID)
        try await resolutions.record(resolution)
        _ = try await intake.queue(newID)
        return (resolution, newID)
    }

    /// The claim, if it is in the queue (denied or stopped and not closed), and the trimmed reason.
    private func actionable(_ id: ClaimID, reason: String) async throws -> (StoredClaim, String) {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(reason.count) else { throw DenialResolutionError.reasonRequired }
        let stored = try await claims.claim(id)
        guard [.denied, .rejected].contains(stored.outcome) else {
            throw DenialResolutionError.notInQueue(id, outcome: stored.outcome.rawValue)
        }
        return (stored, reason)
    }
}
