/// A run and its steps, as ``WorkflowEngine/status(_:)`` reports them.
public struct WorkflowStatusReport: Sendable, Hashable {
    public let workflow: WorkflowRecord
    public let steps: [StepRecord]
}
