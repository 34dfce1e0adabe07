import Foundation

/// One transition of a workflow or of one of its steps, appended to `workflow_logs`: the audit
/// trail of a run (who moved it, from what to what, when, and why).
public struct WorkflowLogEntry: Sendable, Hashable, Codable {
    public var workflowID: WorkflowID
    /// The step, or `nil` for a transition of the workflow itself.
    public var step: String?
    public var fromStatus: String?
    public var toStatus: String
    /// Error text, retry time, or the operator action.
    public var message: String?
    /// The worker or actor that made the transition (`worker:<host>:<pid>:<n>`, `cli:<user>`).
    public var actor: String
    public var at: Date

    public init(
        workflowID: WorkflowID, step: String?, fromStatus: String?, toStatus: String, message: String?, actor: String,
        at: Date
    ) {
        self.workflowID = workflowID
        self.step = step
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.message = message
        self.actor = actor
        self.at = at
    }
}
