import FHIR
import Foundation
import Logging
import RCMCore
import Workflow

/// The main job: reads encounters and HCX claim bundles (``IntakeReader``), takes each claim in once, runs its claim workflow and
/// waits for the payers' answers, then reports.
///
/// Each bundle is taken in on its own: a bad bundle is reported with its source and reason and
/// the others still run; a claim is written with its lines in one transaction or not at all.
public struct ClaimBatchProcessor: Sendable {
    let claims: any ClaimRepository
    let engine: WorkflowEngine
    let ledger: any PaymentLedger
    let submitter: ClaimSubmitter
    let router: SubmissionRouter
    let calendar: BillingCalendar
    let now: @Sendable () -> Date
    let logger: Logger

    /// - Parameter calendar: the day the report's denial ages count to (unless a run fixes its own).
    public init(
        claims: any ClaimRepository, engine: WorkflowEngine, submitter: ClaimSubmitter, router: SubmissionRouter,
        ledger: any PaymentLedger, calendar: BillingCalendar, now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.router = router
        self.calendar = calendar
        self.claims = claims
        self.engine = engine
        self.ledger = ledger
        self.submitter = submitter
        self.now = now
        self.logger = logger
    }

    /// Processes the inputs.
    /// - Parameters:
    ///   - waitSeconds: after every claim was started, how long to wait, in seconds, with no claim
    ///     workflow finishing, before claims still without an answer are reported `pending`.
    ///   - concurrency: how many claims' workflows run at once (their steps up to the first wait
    ///     for the payer; the workers and callbacks take them on from there).
    ///   - progress: called with a note per input entry, as it is handled (from
    ///     several tasks at once when `concurrency` > 1).
    ///   - onProgress: called with the counts as entries are taken in, then as claims settle.
    ///   - chargemaster: prices the services of FHIR clinical bundles; without it they are refused.
    ///   - asOf: the day the scrub edits take as today for the claims this run starts (the
    ///     future-date and timely-filing edits; a claim taken in by an earlier run keeps the day its run
    ///     started with), and the day the report's denial ages count to; `nil`: the calendar's today.
    public func process(
        _ inputs: [ClaimInput], waitSeconds: TimeInterval, chargemaster: Chargemaster? = nil, asOf: ServiceDate? = nil,
        concurrency: Int = 1, progress: @escaping @Sendable (ProcessingNote) -> Void = { _ in },
        onProgress: (ProcessingProgress) -> Void = { _ in }
    ) async throws -> ProcessingReport {
        var started: [(source: String, id: ClaimID, preExisting: Bool)] = []
        var seen: Set<ClaimID> = []
        var duplicates: [ProcessingReport.Skipped] = []
        var errors: [ProcessingReport.Skipped] = []
        // Every input is read first, so that the number of entries (the progress total) is known.
        var readInputs: [(name: String, entries: [IntakeReader.Entry])] = []
        for input in inputs {
            do {
                guard let data = input.data else { throw InputProblem(description: input.problem ?? "cannot be read") }
                readInputs.append((input.name, try IntakeReader(now: now, chargemaster: chargemaster).read(data)))
            } catch {
                errors.append(.init(source: input.name, reason: "\(error)"))
                progress(.init(.skipped, "\(input.name): skipped: \(error)"))
            }
        }
        let total = readInputs.reduce(0) { $0 + $1.entries.count }
        var handled = 0
        onProgress(ProcessingProgress(phase: .takingIn, done: 0, total: total))
        // Intake is sequential (input order decides which repeat is the duplicate); the claims'
        // workflows run up to `concurrency` at a time while later inputs are taken in.
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            var reviewed: [DuplicateKey: Task<Void, any Error>] = [:]
            for (name, entries) in readInputs {
                for entry in entries {
                    defer {
                        handled += 1
                        onProgress(ProcessingProgress(phase: .takingIn, done: handled, total: total))
                    }
                    let source = name + (entry.position ?? "")
                    let submission: ClaimSubmission
                    do {
                        submission = try entry.result.get()
                    } catch {
                        errors.append(.init(source: source, reason: "\(error)"))
                        progress(.init(.rejected, "\(source): rejected: \(error)"))
                        continue
                    }
                    let (id, created) = try await ClaimIntake(claims: claims, engine: engine).takeIn(submission)
                    if !created || seen.contains(id) {
                        duplicates.append(
                            .init(
                                source: source, reason: "claim \(submission.claim.identifier) already taken in as \(id)"
                            ))
                        progress(.init(.duplicate, "\(source): duplicate of claim \(id)"))
                    }
                    guard seen.insert(id).inserted else { continue }
                    started.append((source, id, !created))
                    if running >= max(1, concurrency) {
                        try await group.next()
                        running -= 1
                    }
                    let billed = submission.claim.billedTotal
                    // A claim that could be a duplicate of an earlier one of this batch (same patient,
                    // provider, payer and date of service) starts once that one has been reviewed, as
                    // one at a time would: the scrub's duplicate edit sees what the earlier review decided.
                    let key = DuplicateKey(submission.claim)
                    let earlier = reviewed[key]
                    let task = Task {
                        _ = await earlier?.result
                        try await run(
                            id, preExisting: !created, source: source, billed: billed, asOf: asOf, progress: progress)
                    }
                    reviewed[key] = task
                    group.addTask {
                        try await withTaskCancellationHandler {
                            try await task.value
                        } onCancel: {
                            task.cancel()
                        }
                    }
                    running += 1
                }
            }
            try await group.waitForAll()
        }
        onProgress(ProcessingProgress(phase: .awaitingAnswers, done: 0, total: started.count))

        let deadline =
            started.isEmpty ? now() : try await awaitAnswers(started.map(\.id), idleSeconds: waitSeconds)
        // Payment notices follow the payers' answers shortly: the run waits for them while they
        // keep coming, and at most `paymentGraceSeconds` past the last one posted.
        var payments = PaymentWait(
            deadline: now().addingTimeInterval(paymentGraceSeconds), posted: try await ledger.postedCount())
        var results: [ProcessingReport.ClaimResult] = []
        for entry in started {
            var stored = try await settled(entry.id, deadline: deadline)
            if stored.outcome == .approved || stored.outcome == .partiallyApproved {
                stored = try await paid(entry.id, waiting: &payments)
            }
            if stored.outcome == .pending {
                progress(
                    .init(
                        .pending,
                        "\(entry.source): claim \(entry.id) is still pending\(try await cycleStatus(entry.id))"))
            }
            results.append(
                .init(
                    source: entry.source, claimID: entry.id, identifier: stored.claim.identifier.value,
                    outcome: stored.outcome, billed: stored.claim.billedTotal, approved: stored.approvedTotal,
                    paid: try await paidTotal(entry.id, currency: stored.claim.currency),
                    preExisting: entry.preExisting, findings: stored.claim.findings))
            onProgress(ProcessingProgress(phase: .awaitingAnswers, done: results.count, total: started.count))
        }
        var denials: [DenialCase] = []
        for result in results where [.denied, .rejected].contains(result.outcome) {
            let (stored, lineReasons) = try await claims.claimWithLineReasons(result.claimID)
            denials.append(
                DenialQueue.denialCase(
                    stored, lineReasons: lineReasons, today: calendar.fixed(at: asOf).today()))
        }
        denials.sort(by: DenialCase.queueOrder)
        return ProcessingReport(claims: results, duplicates: duplicates, errors: errors, denials: denials)
    }

    /// Starts the claim's workflow, or continues one an earlier run left: a failed run is resumed
    /// from its failed step (which re-sends what it must), and a run still waiting for its payer has
    /// its recorded submission sent again with the same ids, so that a payer that lost it answers
    /// now (a gateway that has it reports a duplicate api_call_id, which counts as delivered).
    private func run(
        _ id: ClaimID, preExisting: Bool, source: String, billed: Money, asOf: ServiceDate?,
        progress: @Sendable (ProcessingNote) -> Void
    ) async throws {
        let workflowID = ClaimWorkflow.workflowID(for: id)
        var run = try await engine.execute(
            ClaimWorkflow.name, input: try JSONEncoder().encode(ClaimWorkflow.Input(claimID: id, asOf: asOf)),
            id: workflowID)
        if preExisting, run.status == .failed {
            progress(.init(.resumed, "\(source): resuming claim \(id) after: \(run.lastError ?? "an earlier failure")"))
            run = try await engine.resume(workflowID)
        } else if preExisting, run.status == .inProgress,
            [.pending, .failed].contains(try await claims.outcome(of: id)),
            try await waitsForAdjudication(workflowID)
        {
            do {
                _ = try await router.submit(id)
                progress(.init(.resumed, "\(source): claim \(id) re-sent (no answer from the payer yet)"))
            } catch {
                progress(.init(.pending, "\(source): claim \(id) could not be re-sent: \(error)"))
            }
        }
        if run.status == .failed {
            try await claims.setOutcome(.failed, for: id)
            progress(.init(.failed, "\(source): claim \(id) failed: \(run.lastError ?? "unknown error")"))
        } else if run.status == .inProgress, !preExisting {
            progress(.init(.started, "\(source): claim \(id) started (\(billed)), waiting for the payer"))
        } else if run.status == .completed, !preExisting {
            let outcome = try await claims.outcome(of: id)
            progress(
                .init(
                    outcome == .rejected ? .stopped : .started,
                    "\(source): claim \(id) \(outcome == .rejected ? "rejected before submission (findings in the summary)" : outcome.rawValue) (\(billed))"
                ))
        }
    }

    /// Whether the run has submitted the claim and waits for the payer's answer — the only state in
    /// which the recorded submission may be sent again (never before eligibility and the reviews).
    private func waitsForAdjudication(_ id: WorkflowID) async throws -> Bool {
        let steps = try await engine.status(id).steps
        return steps.first { $0.name == ClaimWorkflow.Step.submit }?.status == .completed
            && steps.first { $0.name == ClaimWorkflow.Step.adjudication }?.isWaiting == true
    }

    /// What the gateway says about a pending claim's cycle, for the operator: whether the payer has
    /// it and whether it answered (an answer that never arrived must be re-delivered by the gateway).
    private func cycleStatus(_ id: ClaimID) async throws -> String {
        guard let result = try? await submitter.status(id) else { return "" }
        if let answered = result["response_status"]?.stringValue {
            return ": the gateway says the payer answered (\(answered)) but the answer has not reached RCM; "
                + "it stays pending until the gateway delivers it again"
        }
        switch result["protocol_status"]?.stringValue {
        case "request.queued"?: return ": the gateway has not delivered it to the payer yet"
        case "request.dispatched"?: return ": the payer has it and has not answered yet"
        default: return ""
        }
    }

    /// How long, in seconds, a run waits for payment notices after the last one that came.
    let paymentGraceSeconds: TimeInterval = 5

    /// Waits while the payers' answers keep coming: until none of this batch's claim workflows is
    /// pending or in progress (a pending one waits for a worker: one whose lease a crashed process
    /// held is taken once the lease lapses), or none has finished for `idleSeconds` (a large batch
    /// may take longer than that in all). Only the batch's own runs are watched, each read by its id: counting every
    /// run in progress in the database counted other batches' and the payers' backlog too (at a
    /// million claims, a scan of tens of thousands of waiting runs every 100 ms, and a batch that
    /// waited out `idleSeconds` for runs not its own).
    /// - Returns: when it stopped waiting (the deadline for the claims still without an answer).
    private func awaitAnswers(_ claims: [ClaimID], idleSeconds: TimeInterval) async throws -> Date {
        var deadline = now().addingTimeInterval(idleSeconds)
        var remaining = claims.map(ClaimWorkflow.workflowID(for:))
        while true {
            var still: [WorkflowID] = []
            for id in remaining where try await engine.workflow(id).status.isRunnable { still.append(id) }
            if still.count < remaining.count { deadline = now().addingTimeInterval(idleSeconds) }
            remaining = still
            if remaining.isEmpty || now() >= deadline { return min(deadline, now()) }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// How long the run still waits for payment notices.
    private struct PaymentWait {
        /// When the run stops waiting unless another payment is posted first.
        var deadline: Date
        /// Payments posted in all when last looked.
        var posted: Int
    }

    /// The stored claim once a payment was posted to it, or when no payment (to any claim) has
    /// been posted for `paymentGraceSeconds`.
    private func paid(_ id: ClaimID, waiting wait: inout PaymentWait) async throws -> StoredClaim {
        while true {
            let outcome = try await claims.outcome(of: id)
            if outcome == .paid || outcome == .partiallyPaid { return try await claims.claim(id) }
            let posted = try await ledger.postedCount()
            if posted > wait.posted {
                wait.posted = posted
                wait.deadline = now().addingTimeInterval(paymentGraceSeconds)
            }
            if now() >= wait.deadline { return try await claims.claim(id) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Payments posted to a claim, in its currency; `nil` when none.
    private func paidTotal(_ id: ClaimID, currency: CurrencyCode) async throws -> Money? {
        let payments = try await ledger.payments(for: id)
        guard !payments.isEmpty else { return nil }
        return payments.reduce(Money.zero(currency)) { (try? $0.adding($1.amount)) ?? $0 }
    }

    /// The stored claim once its workflow has stopped (completed, failed or cancelled), or when
    /// `deadline` passes. Waiting on the workflow rather than on the claim's outcome means the
    /// report never shows a run between its last two commits.
    private func settled(_ id: ClaimID, deadline: Date) async throws -> StoredClaim {
        while true {
            let workflow = try await engine.workflow(ClaimWorkflow.workflowID(for: id))
            if workflow.status == .failed, try await claims.outcome(of: id) != .failed {
                try await claims.setOutcome(.failed, for: id)
            }
            if workflow.status.isTerminal || now() >= deadline { return try await claims.claim(id) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// What the scrub's duplicate edit compares first (docs DESIGN.md §4): patient, provider, payer and date of service.
private struct DuplicateKey: Hashable {
    let patient: String
    let provider: String
    let payer: String
    let dateOfService: ServiceDate

    init(_ claim: Claim) {
        patient = claim.patientReference
        provider = claim.provider
        payer = claim.payer
        dateOfService = claim.dateOfService
    }
}

/// An input that could not be read at all.
private struct InputProblem: Error, CustomStringConvertible {
    let description: String
}
