/// States of a workflow (docs DESIGN.md §4).
///
/// Transitions: `PENDING` → `IN_PROGRESS` | `PAUSED` | `CANCELLED`; `IN_PROGRESS` → `COMPLETED` |
/// `FAILED` | `PAUSED` | `CANCELLED`; `PAUSED` → `IN_PROGRESS` | `CANCELLED`; `FAILED` →
/// `IN_PROGRESS` (resume) | `CANCELLED`. `COMPLETED` and `CANCELLED` are final.
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

    /// Whether a worker may run it (when due and not leased).
    public var isRunnable: Bool { self == .pending || self == .inProgress }

    /// Whether the transition `self` → `next` is allowed.
    public func canTransition(to next: WorkflowStatus) -> Bool {
        switch (self, next) {
        case (.pending, .inProgress), (.pending, .paused), (.pending, .cancelled): true
        case (.inProgress, .completed), (.inProgress, .failed), (.inProgress, .paused), (.inProgress, .cancelled):
            true
        case (.paused, .inProgress), (.paused, .cancelled): true
        case (.failed, .inProgress), (.failed, .cancelled): true
        default: false
        }
    }
}
