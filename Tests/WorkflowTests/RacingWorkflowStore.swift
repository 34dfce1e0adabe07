import Foundation

@testable import Workflow

/// An in-memory store that runs a hook at the moment a race would do harm: just after a worker
/// looked for an event and found none (another process delivers it then), or just after a worker
/// claimed a run and before it runs it (an inline advance in the same process runs it then).
actor RacingWorkflowStore: WorkflowStore {
    let inner = InMemoryWorkflowStore()
    private var onMissedEvent: (@Sendable () async throws -> Void)?
    private var onClaimed: (@Sendable (WorkflowID) async throws -> Void)?

    /// Runs `hook` once, the next time an event is looked for and not found.
    func armMissedEvent(_ hook: @escaping @Sendable () async throws -> Void) { onMissedEvent = hook }

    /// Runs `hook` once, the next time a run is claimed, before the claim returns.
    func armClaimed(_ hook: @escaping @Sendable (WorkflowID) async throws -> Void) { onClaimed = hook }

    func event(key: String) async throws -> Data? {
        let found = await inner.event(key: key)
        if found == nil, let hook = onMissedEvent {
            onMissedEvent = nil
            try await hook()
        }
        return found
    }

    func create(_ workflow: WorkflowRecord, steps: [StepRecord], log: WorkflowLogEntry) async throws -> (
        WorkflowRecord, created: Bool
    ) { await inner.create(workflow, steps: steps, log: log) }
    func workflow(_ id: WorkflowID) async throws -> WorkflowRecord? { await inner.workflow(id) }
    func steps(of id: WorkflowID) async throws -> [StepRecord] { await inner.steps(of: id) }
    func save(
        _ workflow: WorkflowRecord, steps: [StepRecord], log: [WorkflowLogEntry], leaseOwner: String,
        releasingLease: Bool
    ) async throws -> WorkflowStatus {
        try await inner.save(workflow, steps: steps, log: log, leaseOwner: leaseOwner, releasingLease: releasingLease)
    }
    func setStatus(
        _ id: WorkflowID, from: WorkflowStatus, to: WorkflowStatus, nextRunAt: Date?, log: WorkflowLogEntry
    ) async throws -> Bool { await inner.setStatus(id, from: from, to: to, nextRunAt: nextRunAt, log: log) }
    func recordEvent(key: String, payload: Data, at date: Date) async throws -> Bool {
        await inner.recordEvent(key: key, payload: payload, at: date)
    }
    func workflowWaiting(for eventKey: String) async throws -> WorkflowID? {
        await inner.workflowWaiting(for: eventKey)
    }
    func wake(_ id: WorkflowID, at date: Date) async throws { await inner.wake(id, at: date) }
    func claimNext(owner: String, until: Date, now: Date) async throws -> WorkflowID? {
        let claimed = await inner.claimNext(owner: owner, until: until, now: now)
        if let claimed, let hook = onClaimed {
            onClaimed = nil
            try await hook(claimed)
        }
        return claimed
    }
    func acquireLease(_ id: WorkflowID, owner: String, until: Date, now: Date) async throws -> Bool {
        await inner.acquireLease(id, owner: owner, until: until, now: now)
    }
    /// What the next lease renewals answer, one each, before the store answers for itself:
    /// `nil` throws (the database is away), `false` says another worker holds the lease.
    private var renewals: [Bool?] = []
    private(set) var renewalAttempts = 0
    func armRenewals(_ answers: [Bool?]) { renewals = answers }

    func renewLease(_ id: WorkflowID, owner: String, until: Date) async throws -> Bool {
        renewalAttempts += 1
        if !renewals.isEmpty {
            guard let answer = renewals.removeFirst() else { throw RenewalRefused() }
            return answer
        }
        return await inner.renewLease(id, owner: owner, until: until)
    }

    struct RenewalRefused: Error {}
    func releaseLease(_ id: WorkflowID, owner: String) async throws { await inner.releaseLease(id, owner: owner) }
    func logs(of id: WorkflowID) async throws -> [WorkflowLogEntry] { await inner.logs(of: id) }
    func list(status: WorkflowStatus?, limit: Int) async throws -> [WorkflowRecord] {
        await inner.list(status: status, limit: limit)
    }
    func countInProgress() async throws -> [String: Int] { await inner.countInProgress() }
}
