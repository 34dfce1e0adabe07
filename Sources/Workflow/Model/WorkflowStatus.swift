/// States of a workflow (docs DESIGN.md §4).
public enum WorkflowStatus: String, Sendable, Codable, CaseIterable {
    case pending = "PENDING"
    case inProgress = "IN_PROGRESS"
    case completed = "COMPLETED"
    case failed = "FAILED"
    case paused = "PAUSED"
    case cancelled = "CANCELLED"

    /// Whether the workflow has stopped: `COMPLETED`, `FAILED` (an operator may still resume it)
    /// or `CANCELLED`.
    public var isTerminal: Bool { self == .completed || self == .failed || self == .cancelled }
}
