import Foundation

/// Durable storage of workflow runs, their steps and delivered events.
///
/// Every method commits before it returns: the engine relies on each step transition being
/// durable before the next begins (docs DESIGN.md §4). The Fluent-backed store lives in
/// `RCMServer`; ``InMemoryWorkflowStore`` serves unit tests.
public protocol WorkflowStore: Sendable {
    /// Stores a new run and its steps in one transaction, unless a run with the same id exists.
    /// - Returns: the stored run (the existing one when the id was taken) and whether it was created.
    func create(_ workflow: WorkflowRecord, steps: [StepRecord]) async throws -> (WorkflowRecord, created: Bool)

    /// The run with this id, if any.
    func workflow(_ id: WorkflowID) async throws -> WorkflowRecord?

    /// The run's steps ordered by position.
    func steps(of id: WorkflowID) async throws -> [StepRecord]

    /// Saves a run's state and, when given, one step's state, in one transaction.
    func save(_ workflow: WorkflowRecord, step: StepRecord?) async throws

    /// Records an event's payload under its key.
    /// - Returns: `false` when an event with this key was already recorded (the first one is kept).
    func recordEvent(key: String, payload: Data, at date: Date) async throws -> Bool

    /// The payload of the event with this key, if delivered.
    func event(key: String) async throws -> Data?

    /// The run with a step parked on this event key, if any.
    func workflowWaiting(for eventKey: String) async throws -> WorkflowID?
}
