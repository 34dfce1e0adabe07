import FHIR
import Foundation
import Logging
import RCMCore
import Workflow

/// The main job: reads HCX claim bundles, takes each claim in once, runs its claim workflow and
/// waits for the payers' answers, then reports.
///
/// Each bundle is taken in on its own: a bad bundle is reported with its source and reason and
/// the others still run; a claim is written with its lines in one transaction or not at all.
public struct ClaimBatchProcessor: Sendable {
    let claims: any ClaimRepository
    let engine: WorkflowEngine
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        claims: any ClaimRepository, engine: WorkflowEngine, now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.claims = claims
        self.engine = engine
        self.now = now
        self.logger = logger
    }

    /// Processes the inputs.
    /// - Parameters:
    ///   - waitSeconds: how long to wait, in seconds, for adjudications still outstanding after
    ///     every claim was submitted; claims without an answer by then are reported `pending`.
    ///   - progress: called with one line of text per input entry, as it is handled.
    public func process(
        _ inputs: [ClaimInput], waitSeconds: TimeInterval, progress: @Sendable (String) -> Void = { _ in }
    ) async throws -> ProcessingReport {
        var started: [(source: String, id: ClaimID, preExisting: Bool)] = []
        var duplicates: [ProcessingReport.Skipped] = []
        var errors: [ProcessingReport.Skipped] = []

        for input in inputs {
            let results: [Result<ClaimBundle, FHIRError>]
            do {
                results = try ClaimBundle.read(input.data)
            } catch {
                errors.append(.init(source: input.name, reason: "\(error)"))
                progress("\(input.name): skipped: \(error)")
                continue
            }
            for (index, result) in results.enumerated() {
                let source = results.count > 1 ? "\(input.name)[\(index)]" : input.name
                do {
                    let submission = try ClaimSubmission(try result.get())
                    let (id, created) = try await claims.intake(submission)
                    if !created || started.contains(where: { $0.id == id }) {
                        duplicates.append(
                            .init(source: source, reason: "claim \(submission.claim.identifier) already taken in"))
                        progress("\(source): duplicate of claim \(id)")
                        if started.contains(where: { $0.id == id }) { continue }
                    }
                    started.append((source, id, !created))
                    let run = try await engine.execute(
                        ClaimWorkflow.name, input: try JSONEncoder().encode(ClaimWorkflow.Input(claimID: id)),
                        id: ClaimWorkflow.workflowID(for: id))
                    if run.status == .failed {
                        try await claims.setOutcome(.failed, for: id)
                        progress("\(source): claim \(id) failed: \(run.lastError ?? "unknown error")")
                    } else if created {
                        progress("\(source): claim \(id) submitted (\(submission.claim.billedTotal))")
                    }
                } catch let error as ClaimIntakeError {
                    errors.append(.init(source: source, reason: error.description))
                    progress("\(source): rejected: \(error)")
                } catch let error as FHIRError {
                    errors.append(.init(source: source, reason: error.description))
                    progress("\(source): skipped: \(error)")
                }
            }
        }

        let deadline = now().addingTimeInterval(waitSeconds)
        var results: [ProcessingReport.ClaimResult] = []
        for entry in started {
            var stored = try await claims.claim(entry.id)
            while stored.outcome == .pending, now() < deadline {
                try await Task.sleep(for: .milliseconds(50))
                stored = try await claims.claim(entry.id)
            }
            results.append(
                .init(
                    source: entry.source, claimID: entry.id, identifier: stored.claim.identifier.value,
                    outcome: stored.outcome, billed: stored.claim.billedTotal, approved: stored.approvedTotal,
                    preExisting: entry.preExisting, findings: stored.claim.findings))
        }
        return ProcessingReport(claims: results, duplicates: duplicates, errors: errors)
    }
}
