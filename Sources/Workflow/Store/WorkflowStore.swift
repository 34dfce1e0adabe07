import Foundation

/// Durable storage of workflow runs, their steps, their logs, delivered events and worker leases.
///
/// Every method commits before it returns: the engine relies on each step transition being
/// durable before the next begins (docs DESIGN.md §4). The Fluent-backed store lives in
/// `RCMServer`; ``InMemoryWorkflowStore`` serves unit tests.
public protocol WorkflowStore: Sendable {
    /// Stores a new run, its steps and its first log entry in one transaction, unless a run with
    /// the same id exists.
    /// - Returns: the stored run (the existing one when the id was taken) and whether it was created.
    func create(_ workflow: WorkflowRecord, steps: [StepRecord], log: WorkflowLogEntry) async throws -> (
        WorkflowRecord, created: Bool
    )

    /// The run with this id, if any.
    func workflow(_ id: WorkflowID) async throws -> WorkflowRecord?

    /// The run's steps ordered by position.
    func steps(of id: WorkflowID) async throws -> [StepRecord]

    /// The run with this id and its steps ordered by position, if the run exists (what a worker
    /// reads for each run it leased; a store may answer in one round trip).
    func workflowWithSteps(_ id: WorkflowID) async throws -> (WorkflowRecord, [StepRecord])?

    /// Saves a run's state, steps' states and log entries in one transaction, if `leaseOwner`
    /// still holds the run's lease. A `PAUSED` or `CANCELLED` status an operator set meanwhile is
    /// kept: steps' results are saved all the same (their work happened), but a step about to
    /// start (`RUNNING` without a wait) is not, nor its log entry, nor an entry of the run's own
    /// status (``WorkflowStatus/kept(_:_:)``).
    /// - Parameter releasingLease: give the lease up in the same transaction (the run's last save
    ///   under this lease: it completed, failed, or waits for a time or an event).
    /// - Returns: the run's status as stored afterwards.
    /// - Throws: ``WorkflowError/leaseLost(_:)`` when another worker holds the lease (nothing saved).
    func save(
        _ workflow: WorkflowRecord, steps: [StepRecord], log: [WorkflowLogEntry], leaseOwner: String,
        releasingLease: Bool
    ) async throws -> WorkflowStatus

    /// An operator's transition: moves the run from `from` to `to` (setting `nextRunAt`) and logs
    /// it, only if its status is still `from`.
    /// - Returns: whether it moved.
    func setStatus(
        _ id: WorkflowID, from: WorkflowStatus, to: WorkflowStatus, nextRunAt: Date?, log: WorkflowLogEntry
    ) async throws -> Bool

    /// Records an event's payload under its key.
    /// - Returns: `false` when an event with this key was already recorded (the first one is kept).
    func recordEvent(key: String, payload: Data, at date: Date) async throws -> Bool

    /// The payload of the event with this key, if delivered.
    func event(key: String) async throws -> Data?

    /// The run with a step parked on this event key, if any.
    func workflowWaiting(for eventKey: String) async throws -> WorkflowID?

    /// Makes a run due at `date` (an event arrived for it).
    func wake(_ id: WorkflowID, at date: Date) async throws

    /// Leases the next runnable run to `owner` until `until`: status `PENDING` or `IN_PROGRESS`,
    /// due (`nextRunAt` unset or not after `now`), not leased or with an expired lease; the
    /// earliest due first (a run without `nextRunAt` is due since its creation, so resumed runs
    /// and due retries do not wait behind a backlog of new runs). Several processes may call it at
    /// once (PostgreSQL: `FOR UPDATE SKIP LOCKED`). The caller reads the run afterwards
    /// (``workflowWithSteps(_:)``), once the lease is committed.
    /// - Returns: the leased run's id, or `nil` when nothing is due.
    func claimNext(owner: String, until: Date, now: Date) async throws -> WorkflowID?

    /// Leases one run to `owner` until `until` if it is not leased, its lease expired, or `owner`
    /// holds it already.
    /// - Returns: whether `owner` holds the lease now.
    func acquireLease(_ id: WorkflowID, owner: String, until: Date, now: Date) async throws -> Bool

    /// Extends `owner`'s lease.
    /// - Returns: `false` when `owner` no longer holds it.
    func renewLease(_ id: WorkflowID, owner: String, until: Date) async throws -> Bool

    /// Gives the lease up, if `owner` holds it.
    func releaseLease(_ id: WorkflowID, owner: String) async throws

    /// The run's log, oldest first.
    func logs(of id: WorkflowID) async throws -> [WorkflowLogEntry]

    /// Runs, most recently updated first, optionally with one status.
    func list(status: WorkflowStatus?, limit: Int) async throws -> [WorkflowRecord]

    /// How many runs of each definition are `IN_PROGRESS`.
    func countInProgress() async throws -> [String: Int]
}

extension WorkflowStore {
    /// ``workflow(_:)`` then ``steps(of:)``.
    public func workflowWithSteps(_ id: WorkflowID) async throws -> (WorkflowRecord, [StepRecord])? {
        guard let workflow = try await workflow(id) else { return nil }
        return (workflow, try await steps(of: id))
    }
}

extension WorkflowStatus {
    /// What a save keeps when an operator stopped the run (see ``WorkflowStore/save(_:steps:log:leaseOwner:releasingLease:)``):
    /// steps' results, but not a step about to start nor its log entry, and no entry of the run's
    /// own status (it stays as the operator set it).
    public func kept(_ steps: [StepRecord], _ log: [WorkflowLogEntry]) -> ([StepRecord], [WorkflowLogEntry]) {
        guard self == .paused || self == .cancelled else { return (steps, log) }
        let starting = steps.startingNames
        return (steps.filter { !starting.contains($0.name) }, log.filter { !$0.isDropped(whenStopped: starting) })
    }
}

extension Sequence<StepRecord> {
    /// The names of the steps a save starts (`RUNNING` without a wait).
    public var startingNames: Set<String> {
        Set(filter { $0.status == .running && $0.waitKey == nil }.map(\.name))
    }
}

extension WorkflowLogEntry {
    /// Whether a save leaves this entry out when an operator stopped the run: an entry of the run's
    /// own status, or of a step in `starting` (see ``WorkflowStatus/kept(_:_:)``).
    public func isDropped(whenStopped starting: Set<String>) -> Bool {
        guard let step else { return true }
        return toStatus == StepStatus.running.rawValue && starting.contains(step)
    }
}
