/// A run, its steps and its log, as ``WorkflowEngine/status(_:)`` reports them.
public struct WorkflowStatusReport: Sendable, Hashable {
    public let workflow: WorkflowRecord
    public let steps: [StepRecord]
    public let logs: [WorkflowLogEntry]
}
