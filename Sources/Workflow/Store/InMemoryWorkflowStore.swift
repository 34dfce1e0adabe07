import Foundation

/// A ``WorkflowStore`` in memory, for unit tests and single-run tools. Nothing survives the process.
public actor InMemoryWorkflowStore: WorkflowStore {
    private var workflows: [WorkflowID: WorkflowRecord] = [:]
    private var stepsByWorkflow: [WorkflowID: [StepRecord]] = [:]
    private var logsByWorkflow: [WorkflowID: [WorkflowLogEntry]] = [:]
    private var events: [String: Data] = [:]

    public init() {}

    public func create(_ workflow: WorkflowRecord, steps: [StepRecord], log: WorkflowLogEntry) -> (
        WorkflowRecord, created: Bool
    ) {
        if let existing = workflows[workflow.id] { return (existing, false) }
        workflows[workflow.id] = workflow
        stepsByWorkflow[workflow.id] = steps.sorted { $0.position < $1.position }
        logsByWorkflow[workflow.id] = [log]
        return (workflow, true)
    }

    public func workflow(_ id: WorkflowID) -> WorkflowRecord? { workflows[id] }

    public func steps(of id: WorkflowID) -> [StepRecord] { stepsByWorkflow[id] ?? [] }

    public func save(
        _ workflow: WorkflowRecord, steps: [StepRecord], log: [WorkflowLogEntry], leaseOwner: String,
        releasingLease: Bool
    ) throws -> WorkflowStatus {
        guard let stored = workflows[workflow.id] else { throw WorkflowError.notFound(workflow.id) }
        guard stored.leaseOwner == leaseOwner else { throw WorkflowError.leaseLost(workflow.id) }
        var saved = workflow
        saved.leaseOwner = releasingLease ? nil : stored.leaseOwner
        saved.leaseExpiresAt = releasingLease ? nil : stored.leaseExpiresAt
        if stored.status == .paused || stored.status == .cancelled { saved.status = stored.status }
        workflows[workflow.id] = saved
        let (keptSteps, keptLog) = saved.status.kept(steps, log)
        for step in keptSteps {
            if let index = stepsByWorkflow[workflow.id]?.firstIndex(where: { $0.name == step.name }) {
                stepsByWorkflow[workflow.id]?[index] = step
            }
        }
        logsByWorkflow[workflow.id, default: []].append(contentsOf: keptLog)
        return saved.status
    }

    public func setStatus(
        _ id: WorkflowID, from: WorkflowStatus, to: WorkflowStatus, nextRunAt: Date?, log: WorkflowLogEntry
    ) -> Bool {
        guard var workflow = workflows[id], workflow.status == from else { return false }
        workflow.status = to
        workflow.nextRunAt = nextRunAt
        workflow.updatedAt = log.at
        workflows[id] = workflow
        logsByWorkflow[id, default: []].append(log)
        return true
    }

    public func recordEvent(key: String, payload: Data, at date: Date) -> Bool {
        guard events[key] == nil else { return false }
        events[key] = payload
        return true
    }

    public func event(key: String) -> Data? { events[key] }

    public func workflowWaiting(for eventKey: String) -> WorkflowID? {
        stepsByWorkflow.first { _, steps in steps.contains { $0.isWaiting && $0.waitKey == eventKey } }?.key
    }

    public func wake(_ id: WorkflowID, at date: Date) {
        workflows[id]?.nextRunAt = date
    }

    public func claimNext(owner: String, until: Date, now: Date) -> WorkflowID? {
        let due = workflows.values
            .filter { workflow in
                workflow.status.isRunnable && (workflow.nextRunAt.map { $0 <= now } ?? true)
                    && (workflow.leaseExpiresAt.map { $0 < now } ?? true)
            }
            .min { ($0.nextRunAt ?? $0.createdAt) < ($1.nextRunAt ?? $1.createdAt) }
        guard var workflow = due else { return nil }
        workflow.leaseOwner = owner
        workflow.leaseExpiresAt = until
        workflows[workflow.id] = workflow
        return workflow.id
    }

    public func acquireLease(_ id: WorkflowID, owner: String, until: Date, now: Date) -> Bool {
        guard let workflow = workflows[id] else { return false }
        let free = workflow.leaseOwner == owner || workflow.leaseOwner == nil || (workflow.leaseExpiresAt ?? now) < now
        guard free else { return false }
        workflows[id]?.leaseOwner = owner
        workflows[id]?.leaseExpiresAt = until
        return true
    }

    public func renewLease(_ id: WorkflowID, owner: String, until: Date) -> Bool {
        guard workflows[id]?.leaseOwner == owner else { return false }
        workflows[id]?.leaseExpiresAt = until
        return true
    }

    public func releaseLease(_ id: WorkflowID, owner: String) {
        guard workflows[id]?.leaseOwner == owner else { return }
        workflows[id]?.leaseOwner = nil
        workflows[id]?.leaseExpiresAt = nil
    }

    public func logs(of id: WorkflowID) -> [WorkflowLogEntry] { logsByWorkflow[id] ?? [] }

    public func list(status: WorkflowStatus?, limit: Int) -> [WorkflowRecord] {
        Array(
            workflows.values.filter { status == nil || $0.status == status }.sorted { $0.updatedAt > $1.updatedAt }
                .prefix(limit))
    }

    public func countInProgress() -> [String: Int] {
        workflows.values.filter { $0.status == .inProgress }.reduce(into: [:]) { $0[$1.definition, default: 0] += 1 }
    }
}
