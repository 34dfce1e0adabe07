import Foundation

/// The persisted state of one step of a workflow run.
public struct StepRecord: Sendable, Hashable, Codable {
    public var workflowID: WorkflowID
    /// The step's name in its definition (e.g. `submit`).
    public var name: String
    /// Position in the definition, from 0.
    public var position: Int
    public var status: StepStatus
    /// How many times the step has been started.
    public var attempts: Int
    /// The step's recorded output as JSON bytes, reused on resume.
    public var output: Data?
    public var lastError: String?
    /// The event a waiting step is parked on.
    public var waitKey: String?
    /// When a waiting step stops waiting.
    public var waitDeadline: Date?
    /// When a `RETRYING` step runs again.
    public var nextAttemptAt: Date?
    public var startedAt: Date?
    public var finishedAt: Date?
    /// How long the last attempt's work took, in milliseconds (a wait's time not included).
    public var durationMilliseconds: Int?

    public init(workflowID: WorkflowID, name: String, position: Int) {
        self.workflowID = workflowID
        self.name = name
        self.position = position
        self.status = .pending
        self.attempts = 0
    }

    /// Whether the step is parked on an external event.
    public var isWaiting: Bool { status == .running && waitKey != nil }
}
