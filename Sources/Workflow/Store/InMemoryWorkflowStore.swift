import Foundation

/// A ``WorkflowStore`` in memory, for unit tests and single-run tools. Nothing survives the process.
public actor InMemoryWorkflowStore: WorkflowStore {
    private var workflows: [WorkflowID: WorkflowRecord] = [:]
    private var stepsByWorkflow: [WorkflowID: [StepRecord]] = [:]
    private var events: [String: Data] = [:]

    public init() {}

    public func create(_ workflow: WorkflowRecord, steps: [StepRecord]) -> (WorkflowRecord, created: Bool) {
        if let existing = workflows[workflow.id] { return (existing, false) }
        workflows[workflow.id] = workflow
        stepsByWorkflow[workflow.id] = steps.sorted { $0.position < $1.position }
        return (workflow, true)
    }

    public func workflow(_ id: WorkflowID) -> WorkflowRecord? { workflows[id] }

    public func steps(of id: WorkflowID) -> [StepRecord] { stepsByWorkflow[id] ?? [] }

    public func save(_ workflow: WorkflowRecord, step: StepRecord?) {
        workflows[workflow.id] = workflow
        if let step, let index = stepsByWorkflow[workflow.id]?.firstIndex(where: { $0.name == step.name }) {
            stepsByWorkflow[workflow.id]?[index] = step
        }
    }

    public func recordEvent(key: String, payload: Data, at date: Date) -> Bool {
        guard events[key] == nil else { return false }
        events[key] = payload
        return true
    }

    public func event(key: String) -> Data? { events[key] }

    public func workflowWaiting(for eventKey: String) -> WorkflowID? {
        stepsByWorkflow.first { _, steps in steps.contains { $0.isWaiting && $0.waitKey == eventKey } }?.key
    }
}
