/// States of one step of a workflow (docs DESIGN.md §4). A step waiting for an external event is
/// `RUNNING` with a recorded wait (``StepRecord/waitKey`` and ``StepRecord/waitDeadline``).
///
/// Transitions: `PENDING` → `RUNNING` | `SKIPPED`; `RUNNING` → `COMPLETED` | `FAILED` | `RETRYING` |
/// `RUNNING` (run again after its worker died); `RETRYING` → `RUNNING`; `FAILED` → `RUNNING`
/// (resume). `COMPLETED` and `SKIPPED` are final.
public enum StepStatus: String, Sendable, Codable, CaseIterable {
    case pending = "PENDING"
    case running = "RUNNING"
    case completed = "COMPLETED"
    case failed = "FAILED"
    case skipped = "SKIPPED"
    case retrying = "RETRYING"

    /// Whether the step is done and its output (if any) can be reused.
    public var isDone: Bool { self == .completed || self == .skipped }

    /// Whether the transition `self` → `next` is allowed.
    public func canTransition(to next: StepStatus) -> Bool {
        switch (self, next) {
        case (.pending, .running), (.pending, .skipped): true
        case (.running, .completed), (.running, .failed), (.running, .retrying), (.running, .running): true
        case (.retrying, .running), (.failed, .running): true
        default: false
        }
    }
}
