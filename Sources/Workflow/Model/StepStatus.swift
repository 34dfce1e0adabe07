/// States of one step of a workflow (docs DESIGN.md §4). A step waiting for an external event is
/// `RUNNING` with a recorded wait (``StepRecord/waitKey`` and ``StepRecord/waitDeadline``).
public enum StepStatus: String, Sendable, Codable, CaseIterable {
    case pending = "PENDING"
    case running = "RUNNING"
    case completed = "COMPLETED"
    case failed = "FAILED"
    case skipped = "SKIPPED"
    case retrying = "RETRYING"

    /// Whether the step is done and its output (if any) can be reused.
    public var isDone: Bool { self == .completed || self == .skipped }
}
