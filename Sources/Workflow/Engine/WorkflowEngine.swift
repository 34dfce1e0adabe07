import Foundation
import Logging

/// Runs workflows step by step, committing every transition to a ``WorkflowStore`` before the
/// next one begins; retries failed steps by their policy; parks runs that wait for events or for
/// a retry and lets workers (``WorkflowWorker``) or the event's arrival pick them up again.
///
/// Guarantees (docs DESIGN.md §4): a completed step is never re-run, its output is reused; a run
/// is advanced only by the holder of its lease (a worker that dies loses it after
/// ``leaseSeconds`` and another continues), and a save by a worker that lost its lease is refused;
/// a run found with a step `RUNNING` and no wait (its worker died inside it) runs that step again,
/// so step effects must be idempotent (``StepContext/idempotencyKey``); an event that arrives
/// before its step waits is not lost; pause and cancel take effect between steps.
public struct WorkflowEngine: Sendable {
    let store: any WorkflowStore
    let definitions: [String: WorkflowDefinition]
    let now: @Sendable () -> Date
    let random: @Sendable () -> Double
    /// This engine's identity as lease owner and in logs, e.g. `worker:host:4242:1a2b3c4d`.
    public let workerID: String
    /// How long a lease lasts without renewal, in seconds; a running step renews it every third.
    public let leaseSeconds: Double
    let metrics: WorkflowMetrics
    let logger: Logger
    private let locks = KeyedLock<WorkflowID>()
    /// Whether a step's error is the infrastructure's passing trouble (a database restarting, a
    /// connection terminated, a busy or serialization failure) rather than the step's own failure:
    /// such an attempt is tried again after ``transientRetrySeconds`` without counting against the
    /// step's retry policy, so contention never fails a workflow. Given by the store's owner (the
    /// engine knows no database).
    let isTransient: @Sendable (any Error) -> Bool
    /// Seconds before an attempt that met transient trouble is tried again.
    static let transientRetrySeconds = 2.0
    /// The longest a run holds its lease at a stretch (its steps between two waits), in seconds:
    /// past it the heartbeat stops, the work is abandoned and the lease left to lapse, so that a
    /// step stuck in a call that never answers is taken on by another worker.
    public let maxHoldSeconds: Double

    /// Creates an engine.
    /// - Parameters:
    ///   - now: the clock (injectable so tests fix "now").
    ///   - random: a source of numbers in 0…1 for retry jitter.
    ///   - isTransient: whether a step's error is passing infrastructure trouble, retried without
    ///     counting (see ``isTransient``).
    ///   - maxHoldSeconds: the longest a run holds its lease at a stretch (``maxHoldSeconds``).
    public init(
        store: any WorkflowStore, definitions: [WorkflowDefinition], workerID: String = WorkflowEngine.newWorkerID(),
        leaseSeconds: Double = 30, now: @escaping @Sendable () -> Date = Date.init,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
        metrics: WorkflowMetrics = WorkflowMetrics(),
        isTransient: @escaping @Sendable (any Error) -> Bool = { _ in false }, maxHoldSeconds: Double = 600,
        logger: Logger
    ) {
        self.isTransient = isTransient
        self.maxHoldSeconds = maxHoldSeconds
        self.store = store
        self.definitions = Dictionary(definitions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.workerID = workerID
        self.leaseSeconds = leaseSeconds
        self.now = now
        self.random = random
        self.metrics = metrics
        self.logger = logger
    }

    /// A worker id unique to this process and engine: `worker:<host>:<pid>:<random>`.
    public static func newWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        return "worker:\(host):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// The names of the registered definitions.
    public var definitionNames: [String] { definitions.keys.sorted() }

    // MARK: Operations

    /// Starts a run of `definition` with this id — or, when a run with this id exists, returns it
    /// without starting a second one — and advances it until it completes, fails, waits, is
    /// scheduled for a retry, or is being advanced by another worker.
    /// - Returns: the run's state afterwards.
    /// - Throws: ``WorkflowError/unknownDefinition(_:)``, or a store error.
    @discardableResult
    public func execute(_ definition: String, input: Data, id: WorkflowID) async throws -> WorkflowRecord {
        let (stored, created) = try await enqueue(definition, input: input, id: id)
        if !created {
            logger.debug("workflow already exists", metadata: ["workflow_id": "\(id)"])
            guard stored.status.isRunnable else { return stored }
        }
        return try await advance(stored.id)
    }

    /// Starts a run for the workers without advancing it here (the same id twice finds the
    /// existing run).
    /// - Returns: the stored run and whether it was created now.
    /// - Throws: ``WorkflowError/unknownDefinition(_:)``, or a store error.
    @discardableResult
    public func enqueue(_ definition: String, input: Data, id: WorkflowID) async throws -> (
        WorkflowRecord, created: Bool
    ) {
        guard let found = definitions[definition] else { throw WorkflowError.unknownDefinition(definition) }
        let date = now()
        let record = WorkflowRecord(
            id: id, definition: definition, status: .pending, input: input, currentStep: found.steps.first?.name,
            lastError: nil, createdAt: date, updatedAt: date)
        return try await store.create(
            record, steps: found.steps.enumerated().map { StepRecord(workflowID: id, name: $1.name, position: $0) },
            log: WorkflowLogEntry(
                workflowID: id, step: nil, fromStatus: nil, toStatus: WorkflowStatus.pending.rawValue,
                message: "started", actor: workerID, at: date))
    }

    /// Delivers an external event (e.g. an HCX callback) by key. The first delivery of a key is
    /// recorded and wakes the run parked on it; later deliveries of the same key change nothing.
    /// - Returns: whether this delivery was the first for its key.
    @discardableResult
    public func deliver(eventKey: String, payload: Data) async throws -> Bool {
        let isNew = try await store.recordEvent(key: eventKey, payload: payload, at: now())
        if let id = try await store.workflowWaiting(for: eventKey) {
            try await store.wake(id, at: now())
            try await advance(id)
        }
        return isNew
    }

    /// Continues a run: a `FAILED` run from its failed step, a `PAUSED` one from where it paused;
    /// a runnable one is advanced now. Completed steps are not re-run.
    /// - Parameters:
    ///   - actor: who asks, for the log (`cli:<user>`, `api:<address>`).
    ///   - advance: run it here now; `false` leaves it due for a worker.
    /// - Throws: ``WorkflowError/notFound(_:)``; ``WorkflowError/illegalTransition(_:from:to:)`` for
    ///   a `COMPLETED` or `CANCELLED` run.
    @discardableResult
    public func resume(_ id: WorkflowID, actor: String? = nil, advance: Bool = true) async throws -> WorkflowRecord {
        guard let workflow = try await store.workflow(id) else { throw WorkflowError.notFound(id) }
        switch workflow.status {
        case .failed, .paused:
            try await operatorTransition(workflow, to: .inProgress, actor: actor, message: "resumed")
            if workflow.status == .failed, let onResume = definitions[workflow.definition]?.onResume {
                do {
                    try await onResume(workflow.input)
                } catch {
                    logger.error(
                        "the workflow's resumption could not be recorded on what it is about",
                        metadata: ["workflow_id": "\(id)", "error": "\(error)"])
                }
            }
        case .pending, .inProgress:
            try await store.wake(id, at: now())
        case .completed, .cancelled:
            throw WorkflowError.illegalTransition(
                id, from: workflow.status.rawValue, to: WorkflowStatus.inProgress.rawValue)
        }
        guard advance else { return try await store.workflow(id) ?? workflow }
        return try await self.advance(id)
    }

    /// Pauses a run between steps: a step already running finishes and is recorded, no further
    /// step starts until ``resume(_:actor:)``.
    /// - Throws: ``WorkflowError/illegalTransition(_:from:to:)`` unless the run is `PENDING` or
    ///   `IN_PROGRESS`; ``WorkflowError/notFound(_:)``.
    @discardableResult
    public func pause(_ id: WorkflowID, actor: String? = nil) async throws -> WorkflowRecord {
        guard let workflow = try await store.workflow(id) else { throw WorkflowError.notFound(id) }
        try await operatorTransition(workflow, to: .paused, actor: actor, message: "paused")
        return try await store.workflow(id) ?? workflow
    }

    /// Cancels a run for good: no further step starts (a running one finishes and is recorded).
    /// - Throws: ``WorkflowError/illegalTransition(_:from:to:)`` for a `COMPLETED` or `CANCELLED`
    ///   run; ``WorkflowError/notFound(_:)``.
    @discardableResult
    public func cancel(_ id: WorkflowID, actor: String? = nil) async throws -> WorkflowRecord {
        guard let workflow = try await store.workflow(id) else { throw WorkflowError.notFound(id) }
        try await operatorTransition(workflow, to: .cancelled, actor: actor, message: "cancelled")
        return try await store.workflow(id) ?? workflow
    }

    /// The run alone, without its steps and log (what a wait for its end needs).
    /// - Throws: ``WorkflowError/notFound(_:)`` for an unknown id.
    public func workflow(_ id: WorkflowID) async throws -> WorkflowRecord {
        guard let workflow = try await store.workflow(id) else { throw WorkflowError.notFound(id) }
        return workflow
    }

    /// The run, its steps (status, attempts, timings, last error, next attempt) and its log.
    /// - Throws: ``WorkflowError/notFound(_:)``.
    public func status(_ id: WorkflowID) async throws -> WorkflowStatusReport {
        guard let workflow = try await store.workflow(id) else { throw WorkflowError.notFound(id) }
        return WorkflowStatusReport(
            workflow: workflow, steps: try await store.steps(of: id), logs: try await store.logs(of: id))
    }

    /// Runs, most recently updated first.
    public func list(status: WorkflowStatus? = nil, limit: Int = 100) async throws -> [WorkflowRecord] {
        try await store.list(status: status, limit: limit)
    }

    private func operatorTransition(
        _ workflow: WorkflowRecord, to next: WorkflowStatus, actor: String?, message: String
    ) async throws {
        guard workflow.status.canTransition(to: next) else {
            throw WorkflowError.illegalTransition(workflow.id, from: workflow.status.rawValue, to: next.rawValue)
        }
        let date = now()
        let moved = try await store.setStatus(
            workflow.id, from: workflow.status, to: next, nextRunAt: next == .inProgress ? date : workflow.nextRunAt,
            log: WorkflowLogEntry(
                workflowID: workflow.id, step: nil, fromStatus: workflow.status.rawValue, toStatus: next.rawValue,
                message: message, actor: actor ?? workerID, at: date))
        guard moved else {
            // It changed meanwhile: decide again on what it is now.
            guard let current = try await store.workflow(workflow.id) else { throw WorkflowError.notFound(workflow.id) }
            guard current.status != next else { return }
            try await operatorTransition(current, to: next, actor: actor, message: message)
            return
        }
    }

    // MARK: Running

    /// Advances a run in this task if its lease can be had (else another worker has it).
    @discardableResult
    func advance(_ id: WorkflowID) async throws -> WorkflowRecord {
        try await locks.withLock(id) {
            guard
                try await store.acquireLease(
                    id, owner: workerID, until: now().addingTimeInterval(leaseSeconds), now: now())
            else {
                guard let workflow = try await store.workflow(id) else { throw WorkflowError.notFound(id) }
                return workflow
            }
            return try await runHoldingLease(id)
        }
    }

    /// Leases the next due run to this engine's worker (``WorkflowStore/claimNext(owner:until:now:)``)
    /// and runs it.
    /// - Returns: the run's state afterwards, or `nil` when nothing was due.
    func runNext() async throws -> WorkflowRecord? {
        let date = now()
        guard
            let id = try await store.claimNext(owner: workerID, until: date.addingTimeInterval(leaseSeconds), now: date)
        else { return nil }
        // Read under the in-process lock: an inline advance of this engine (same lease owner) may
        // have run it between the claim and the lock.
        return try await locks.withLock(id) { try await runHoldingLease(id) }
    }

    /// Reads the run and runs it; called only while holding the run's lease and lock.
    ///
    /// The lease is renewed by a heartbeat beside the work (``holdLease(_:)``). When the lease is
    /// lost — another worker holds it, it could not be renewed before it lapsed, or the run held it
    /// longer than ``maxHoldSeconds`` — the work is cancelled and left behind (``LeasedRun``: a step
    /// stuck in a call that never answers cannot keep the run), nothing more of it is saved (every
    /// save checks the lease), and this throws ``WorkflowError/leaseLost(_:)``.
    private func runHoldingLease(_ id: WorkflowID) async throws -> WorkflowRecord {
        switch await LeasedRun.run(work: { try await self.runLeased(id) }, holdLease: { try await self.holdLease(id) })
        {
        case .work(let result): return try result.get()
        case .leaseLost: throw WorkflowError.leaseLost(id)
        }
    }

    /// The work of ``runHoldingLease(_:)``.
    private func runLeased(_ id: WorkflowID) async throws -> WorkflowRecord {
        var unsaved = Unsaved()
        do {
            guard let (workflow, steps) = try await store.workflowWithSteps(id) else {
                throw WorkflowError.notFound(id)
            }
            let result = try await run(workflow, steps, unsaved: &unsaved)
            // Most runs give the lease up with their last save; the others (not runnable when read,
            // or stopped by an operator) here.
            if !unsaved.leaseReleased { try await store.releaseLease(id, owner: workerID) }
            return result
        } catch {
            // On cancellation (shutdown) the lease is given up at once so another worker continues.
            try? await store.releaseLease(id, owner: workerID)
            throw error
        }
    }

    /// Transitions recorded but not yet saved: they go out with the next save, in its transaction
    /// (a step's completion is committed together with the next step's start, before its work).
    struct Unsaved {
        var steps: [StepRecord] = []
        var log: [WorkflowLogEntry] = []
        /// Whether the last save gave the lease up (the run stopped there).
        var leaseReleased = false
    }

    /// The run loop; called only while holding the run's lease and lock, with the run and its
    /// steps as read under that lease.
    private func run(
        _ stored: WorkflowRecord, _ storedSteps: [StepRecord], unsaved: inout Unsaved
    ) async throws -> WorkflowRecord {
        let id = stored.id
        var workflow = stored
        guard let definition = definitions[workflow.definition] else {
            throw WorkflowError.unknownDefinition(workflow.definition)
        }
        guard workflow.status.isRunnable else { return workflow }
        var steps = storedSteps
        guard steps.map(\.name) == definition.steps.map(\.name) else {
            throw WorkflowError.definitionMismatch(
                id, "stored steps \(steps.map(\.name)) vs \(definition.steps.map(\.name))")
        }
        if workflow.status == .pending { try move(&workflow, to: .inProgress, log: &unsaved.log) }
        for index in steps.indices {
            var step = steps[index]
            if step.status.isDone { continue }
            let stepDefinition = definition.steps[index]
            workflow.currentStep = step.name
            if step.status == .retrying, let at = step.nextAttemptAt, at > now() {
                workflow.nextRunAt = at
                _ = try await save(&workflow, step: nil, log: [], unsaved: &unsaved, releasingLease: true)
                return workflow
            }
            let outputs = Dictionary(
                steps.filter { $0.status == .completed }.compactMap { done in done.output.map { (done.name, $0) } },
                uniquingKeysWith: { first, _ in first })
            if step.isWaiting, let key = step.waitKey {
                var payload = try await store.event(key: key)
                if payload == nil, step.waitDeadline.map({ $0 > now() }) ?? true {
                    workflow.nextRunAt = step.waitDeadline
                    guard try await save(&workflow, step: nil, log: [], unsaved: &unsaved) else { return workflow }
                    // An event that came after the look above woke the run, and this save put its due
                    // time back to the deadline: look once more (a later event wakes it again).
                    payload = try await store.event(key: key)
                    guard payload != nil else { return workflow }
                }
                if let payload {
                    if let failure = StepFailure(eventPayload: payload) {
                        return try await failAttempt(
                            &step, failure, policy: stepDefinition.retry, workflow: &workflow, unsaved: &unsaved)
                    }
                    try complete(&step, output: payload, workflow: &workflow, unsaved: &unsaved)
                    steps[index] = step
                    continue
                }
                // The event did not come in time: a failed attempt, retried by the step's policy.
                return try await failAttempt(
                    &step, WorkflowError.waitTimedOut(eventKey: key), policy: stepDefinition.retry,
                    workflow: &workflow, unsaved: &unsaved)
            }
            let context = StepContext(
                workflowID: id, input: workflow.input, outputs: outputs, attempt: step.attempts + 1, step: step.name,
                workerID: workerID)
            if step.status == .pending, let skipIf = stepDefinition.skipIf, try skipIf(context) {
                try move(&step, to: .skipped, log: &unsaved.log)
                step.finishedAt = now()
                unsaved.steps.append(step)
                steps[index] = step
                continue
            }
            var log: [WorkflowLogEntry] = []
            try move(&step, to: .running, log: &log, message: step.attempts > 0 ? "attempt \(step.attempts + 1)" : nil)
            step.attempts += 1
            step.startedAt = now()
            step.lastError = nil
            step.nextAttemptAt = nil
            step.waitKey = nil
            step.waitDeadline = nil
            workflow.nextRunAt = nil
            guard try await save(&workflow, step: step, log: log, unsaved: &unsaved) else { return workflow }

            let result: StepResult
            let started = ContinuousClock.now
            do {
                result = try await stepDefinition.run(context)
            } catch {
                if error is CancellationError || Task.isCancelled {
                    // Shutting down: nothing is recorded; the step runs again under a new lease.
                    throw CancellationError()
                }
                step.durationMilliseconds = Self.milliseconds(since: started)
                metrics.recordStep(workflow.definition, step: step.name, seconds: Self.seconds(since: started))
                return try await failAttempt(
                    &step, error, policy: stepDefinition.retry, workflow: &workflow, unsaved: &unsaved)
            }
            step.durationMilliseconds = Self.milliseconds(since: started)
            metrics.recordStep(workflow.definition, step: step.name, seconds: Self.seconds(since: started))
            switch result {
            case .completed(let output):
                try complete(&step, output: output, workflow: &workflow, unsaved: &unsaved)
            case .wait(let eventKey, let deadline):
                step.waitKey = eventKey
                step.waitDeadline = deadline
                workflow.nextRunAt = deadline
                let waiting = WorkflowLogEntry(
                    workflowID: id, step: step.name, fromStatus: StepStatus.running.rawValue,
                    toStatus: StepStatus.running.rawValue, message: "waiting for \(eventKey)", actor: workerID,
                    at: now())
                guard try await save(&workflow, step: step, log: [waiting], unsaved: &unsaved) else { return workflow }
                // The event may have arrived while the step ran: look after recording the wait.
                guard let payload = try await store.event(key: eventKey) else { return workflow }
                if let failure = StepFailure(eventPayload: payload) {
                    return try await failAttempt(
                        &step, failure, policy: stepDefinition.retry, workflow: &workflow, unsaved: &unsaved)
                }
                try complete(&step, output: payload, workflow: &workflow, unsaved: &unsaved)
            }
            steps[index] = step
        }
        try move(&workflow, to: .completed, log: &unsaved.log)
        workflow.currentStep = nil
        workflow.nextRunAt = nil
        if try await save(&workflow, step: nil, log: [], unsaved: &unsaved, releasingLease: true),
            workflow.status == .completed
        {
            metrics.recordCompleted(workflow.definition)
        }
        return workflow
    }

    /// Records a failed attempt: `RETRYING` with the next attempt's time when the policy retries
    /// it, else `FAILED` (and the run with it).
    private func failAttempt(
        _ step: inout StepRecord, _ error: any Error, policy: StepRetryPolicy, workflow: inout WorkflowRecord,
        unsaved: inout Unsaved
    ) async throws -> WorkflowRecord {
        var log: [WorkflowLogEntry] = []
        step.lastError = "\(error)"
        step.waitKey = nil
        step.waitDeadline = nil
        step.finishedAt = now()
        if isTransient(error) {
            // Not the step's failure: the attempt does not count, and it is tried again soon.
            step.attempts = max(0, step.attempts - 1)
            let at = now().addingTimeInterval(Self.transientRetrySeconds * (1 + 0.5 * random()))
            try await scheduleRetry(
                &step, at: at, "transient: \(error)", log: &log, workflow: &workflow, unsaved: &unsaved)
            logger.warning(
                "workflow step met transient trouble; it will be tried again",
                metadata: ["workflow_id": "\(workflow.id)", "step": "\(step.name)", "error": "\(error)"])
            return workflow
        }
        if policy.retries(error, afterAttempt: step.attempts) {
            let at = now().addingTimeInterval(policy.intervalSeconds(afterAttempt: step.attempts, random: random()))
            try await scheduleRetry(&step, at: at, "\(error)", log: &log, workflow: &workflow, unsaved: &unsaved)
            logger.info(
                "workflow step will be retried",
                metadata: [
                    "workflow_id": "\(workflow.id)", "step": "\(step.name)", "attempt": "\(step.attempts)",
                    "next_attempt_at": "\(at)", "error": "\(error)",
                ])
            return workflow
        }
        try move(&step, to: .failed, log: &log, message: "\(error)")
        try move(&workflow, to: .failed, log: &log, message: "\(step.name): \(error)")
        workflow.lastError = "\(step.name): \(error)"
        workflow.nextRunAt = nil
        if try await save(&workflow, step: step, log: log, unsaved: &unsaved, releasingLease: true),
            workflow.status == .failed
        {
            metrics.recordFailed(workflow.definition)
            if let onFailure = definitions[workflow.definition]?.onFailure {
                do {
                    try await onFailure(workflow.input, step.name, "\(error)")
                } catch {
                    logger.error(
                        "the workflow's failure could not be recorded on what it is about",
                        metadata: ["workflow_id": "\(workflow.id)", "error": "\(error)"])
                }
            }
        }
        logger.warning(
            "workflow step failed",
            metadata: ["workflow_id": "\(workflow.id)", "step": "\(step.name)", "error": "\(error)"])
        return workflow
    }

    /// Makes a failed attempt `RETRYING` until `at` and saves it, giving the lease up.
    private func scheduleRetry(
        _ step: inout StepRecord, at: Date, _ reason: String, log: inout [WorkflowLogEntry],
        workflow: inout WorkflowRecord, unsaved: inout Unsaved
    ) async throws {
        try move(&step, to: .retrying, log: &log, message: "\(reason); next attempt at \(at)")
        step.nextAttemptAt = at
        workflow.nextRunAt = at
        _ = try await save(&workflow, step: step, log: log, unsaved: &unsaved, releasingLease: true)
    }

    /// Records a step's output, to be saved with the next save.
    private func complete(
        _ step: inout StepRecord, output: Data, workflow: inout WorkflowRecord, unsaved: inout Unsaved
    ) throws {
        try move(&step, to: .completed, log: &unsaved.log)
        step.output = output
        step.finishedAt = now()
        step.waitKey = nil
        step.waitDeadline = nil
        workflow.nextRunAt = nil
        unsaved.steps.append(step)
    }

    /// Saves under the lease, with what was left unsaved; `releasingLease` for the run's last save
    /// under this lease. - Returns: whether the run may go on (an operator did not pause or cancel
    /// it meanwhile); `workflow.status` is updated to what is stored.
    private func save(
        _ workflow: inout WorkflowRecord, step: StepRecord?, log: [WorkflowLogEntry], unsaved: inout Unsaved,
        releasingLease: Bool = false
    ) async throws -> Bool {
        workflow.updatedAt = now()
        let stored = try await store.save(
            workflow, steps: unsaved.steps + (step.map { [$0] } ?? []), log: unsaved.log + log, leaseOwner: workerID,
            releasingLease: releasingLease)
        unsaved = Unsaved(leaseReleased: releasingLease)
        workflow.status = stored
        return stored != .paused && stored != .cancelled
    }

    private func move(
        _ workflow: inout WorkflowRecord, to next: WorkflowStatus, log: inout [WorkflowLogEntry], message: String? = nil
    ) throws {
        guard workflow.status.canTransition(to: next) else {
            throw WorkflowError.illegalTransition(workflow.id, from: workflow.status.rawValue, to: next.rawValue)
        }
        log.append(
            WorkflowLogEntry(
                workflowID: workflow.id, step: nil, fromStatus: workflow.status.rawValue, toStatus: next.rawValue,
                message: message, actor: workerID, at: now()))
        workflow.status = next
    }

    private func move(
        _ step: inout StepRecord, to next: StepStatus, log: inout [WorkflowLogEntry], message: String? = nil
    ) throws {
        guard step.status.canTransition(to: next) else {
            throw WorkflowError.illegalTransition(
                step.workflowID, from: "\(step.name) \(step.status.rawValue)", to: "\(step.name) \(next.rawValue)")
        }
        log.append(
            WorkflowLogEntry(
                workflowID: step.workflowID, step: step.name, fromStatus: step.status.rawValue, toStatus: next.rawValue,
                message: message, actor: workerID, at: now()))
        step.status = next
    }

    /// Renews the lease every third of its length while the run is held, until cancelled (the
    /// work ended). A renewal that fails with an error (the database restarting, a connection
    /// terminated) is tried again every second until the lease would lapse; the heartbeat does not
    /// stop at the first failure. Returns — the lease is lost — when the store says another worker
    /// holds the lease, or when it lapsed before a renewal got through.
    /// - Throws: `CancellationError` when cancelled.
    private func holdLease(_ id: WorkflowID) async throws {
        let held = ContinuousClock.now
        var expires = now().addingTimeInterval(leaseSeconds)
        var interval = leaseSeconds / 3
        while true {
            try await Task.sleep(for: .seconds(interval))
            guard ContinuousClock.now - held < .seconds(maxHoldSeconds) else {
                logger.error(
                    "workflow run held its lease longer than its limit: the step is abandoned, the lease left to lapse",
                    metadata: ["workflow_id": "\(id)", "limit_seconds": "\(maxHoldSeconds)"])
                return
            }
            let until = now().addingTimeInterval(leaseSeconds)
            do {
                guard try await store.renewLease(id, owner: workerID, until: until) else {
                    // A run's last save gives the lease up just before its heartbeat stops.
                    if !Task.isCancelled {
                        logger.warning(
                            "workflow lease lost to another worker: the step is cancelled",
                            metadata: ["workflow_id": "\(id)"])
                    }
                    return
                }
                expires = until
                interval = leaseSeconds / 3
            } catch {
                try Task.checkCancellation()
                guard now() < expires else {
                    logger.warning(
                        "workflow lease lapsed before it could be renewed: the step is cancelled",
                        metadata: ["workflow_id": "\(id)", "error": "\(error)"])
                    return
                }
                logger.warning(
                    "workflow lease could not be renewed; trying again",
                    metadata: ["workflow_id": "\(id)", "error": "\(error)"])
                interval = min(1, leaseSeconds / 10)
            }
        }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        Int((seconds(since: start) * 1000).rounded())
    }
}
