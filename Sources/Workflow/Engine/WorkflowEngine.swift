import Foundation
import Logging

/// Runs workflows step by step, committing every transition to a ``WorkflowStore`` before the
/// next one begins, parking runs that wait for events and waking them when the event arrives.
///
/// Guarantees (docs DESIGN.md §4): a completed step is never re-run, its output is reused; a run
/// found with a step `RUNNING` and no wait (the process died inside it) re-runs that step; an
/// event that arrives before its step starts waiting is not lost (events are stored first and a
/// step checks for its event after recording its wait); a waiting step whose deadline has passed
/// fails when its run is next advanced, and resume runs it again. Within one process, a run is advanced by
/// one task at a time. Retries, leases and several workers come with the durable engine.
public struct WorkflowEngine: Sendable {
    let store: any WorkflowStore
    let definitions: [String: WorkflowDefinition]
    let now: @Sendable () -> Date
    let logger: Logger
    private let locks = KeyedLock<WorkflowID>()

    /// Creates an engine.
    /// - Parameters:
    ///   - now: the clock (injectable so tests and replays fix "now").
    public init(
        store: any WorkflowStore, definitions: [WorkflowDefinition], now: @escaping @Sendable () -> Date = Date.init,
        logger: Logger
    ) {
        self.store = store
        self.definitions = Dictionary(definitions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.now = now
        self.logger = logger
    }

    /// Starts a run of `definition` (or finds the existing run with this id) and advances it until
    /// it completes, fails or waits.
    /// - Returns: the run's state afterwards.
    /// - Throws: ``WorkflowError/unknownDefinition(_:)``, or a store error.
    @discardableResult
    public func execute(_ definition: String, input: Data, id: WorkflowID) async throws -> WorkflowRecord {
        guard let found = definitions[definition] else { throw WorkflowError.unknownDefinition(definition) }
        let date = now()
        let record = WorkflowRecord(
            id: id, definition: definition, status: .pending, input: input, currentStep: found.steps.first?.name,
            lastError: nil, createdAt: date, updatedAt: date)
        let steps = found.steps.enumerated().map { StepRecord(workflowID: id, name: $1.name, position: $0) }
        let (stored, created) = try await store.create(record, steps: steps)
        if !created { logger.debug("workflow already exists", metadata: ["workflow_id": "\(id)"]) }
        return try await advance(stored.id)
    }

    /// Delivers an external event (e.g. an HCX callback) by key. The first delivery of a key is
    /// recorded and wakes the run parked on it; later deliveries of the same key change nothing.
    /// - Returns: whether this delivery was the first for its key.
    @discardableResult
    public func deliver(eventKey: String, payload: Data) async throws -> Bool {
        let isNew = try await store.recordEvent(key: eventKey, payload: payload, at: now())
        if let id = try await store.workflowWaiting(for: eventKey) {
            try await advance(id)
        }
        return isNew
    }

    /// Continues a run from where it stopped: a `FAILED` run from its failed step, an interrupted
    /// one from the step that was running. Completed steps are not re-run.
    /// - Throws: ``WorkflowError/notFound(_:)``.
    @discardableResult
    public func resume(_ id: WorkflowID) async throws -> WorkflowRecord {
        try await advance(id, resumingFailure: true)
    }

    /// The run and its steps.
    /// - Throws: ``WorkflowError/notFound(_:)``.
    public func status(_ id: WorkflowID) async throws -> WorkflowStatusReport {
        guard let workflow = try await store.workflow(id) else { throw WorkflowError.notFound(id) }
        return WorkflowStatusReport(workflow: workflow, steps: try await store.steps(of: id))
    }

    @discardableResult
    private func advance(_ id: WorkflowID, resumingFailure: Bool = false) async throws -> WorkflowRecord {
        try await locks.withLock(id) {
            try await self.run(id, resumingFailure: resumingFailure)
        }
    }

    /// The run loop; called only while holding the run's lock.
    private func run(_ id: WorkflowID, resumingFailure: Bool) async throws -> WorkflowRecord {
        guard var workflow = try await store.workflow(id) else { throw WorkflowError.notFound(id) }
        guard let definition = definitions[workflow.definition] else {
            throw WorkflowError.unknownDefinition(workflow.definition)
        }
        switch workflow.status {
        case .completed, .cancelled, .paused: return workflow
        case .failed where !resumingFailure: return workflow
        default: break
        }
        var steps = try await store.steps(of: id)
        guard steps.map(\.name) == definition.steps.map(\.name) else {
            throw WorkflowError.definitionMismatch(
                id, "stored steps \(steps.map(\.name)) vs \(definition.steps.map(\.name))")
        }
        if workflow.status != .inProgress {
            workflow.status = .inProgress
            workflow.lastError = nil
            workflow.updatedAt = now()
            try await store.save(workflow, step: nil)
        }
        for index in steps.indices {
            var step = steps[index]
            if step.status.isDone { continue }
            workflow.currentStep = step.name
            if step.isWaiting {
                if let payload = try await store.event(key: step.waitKey!) {
                    try await complete(&step, output: payload, workflow: &workflow)
                    steps[index] = step
                    continue
                }
                guard let deadline = step.waitDeadline, deadline <= now() else { return workflow }
                // The event did not come in time: the step fails, and resume runs it again.
                return try await fail(&step, WorkflowError.waitTimedOut(eventKey: step.waitKey!), workflow: &workflow)
            }
            step.status = .running
            step.attempts += 1
            step.startedAt = now()
            step.lastError = nil
            workflow.updatedAt = now()
            try await store.save(workflow, step: step)
            let outputs = Dictionary(
                steps.filter { $0.status == .completed }.compactMap { done in done.output.map { (done.name, $0) } },
                uniquingKeysWith: { first, _ in first })
            let context = StepContext(workflowID: id, input: workflow.input, outputs: outputs, attempt: step.attempts)
            let result: StepResult
            do {
                result = try await definition.steps[index].run(context)
            } catch {
                return try await fail(&step, error, workflow: &workflow)
            }
            switch result {
            case .completed(let output):
                try await complete(&step, output: output, workflow: &workflow)
            case .wait(let eventKey, let deadline):
                step.waitKey = eventKey
                step.waitDeadline = deadline
                workflow.updatedAt = now()
                try await store.save(workflow, step: step)
                // The event may have arrived while the step ran: look after recording the wait.
                guard let payload = try await store.event(key: eventKey) else { return workflow }
                try await complete(&step, output: payload, workflow: &workflow)
            }
            steps[index] = step
        }
        workflow.status = .completed
        workflow.currentStep = nil
        workflow.updatedAt = now()
        try await store.save(workflow, step: nil)
        return workflow
    }

    private func fail(_ step: inout StepRecord, _ error: any Error, workflow: inout WorkflowRecord) async throws
        -> WorkflowRecord
    {
        step.status = .failed
        step.lastError = "\(error)"
        step.waitKey = nil
        step.waitDeadline = nil
        step.finishedAt = now()
        workflow.status = .failed
        workflow.lastError = "\(step.name): \(error)"
        workflow.updatedAt = now()
        try await store.save(workflow, step: step)
        logger.warning(
            "workflow step failed",
            metadata: ["workflow_id": "\(workflow.id)", "step": "\(step.name)", "error": "\(error)"])
        return workflow
    }

    private func complete(_ step: inout StepRecord, output: Data, workflow: inout WorkflowRecord) async throws {
        step.status = .completed
        step.output = output
        step.finishedAt = now()
        workflow.updatedAt = now()
        try await store.save(workflow, step: step)
    }
}
