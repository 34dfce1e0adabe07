/// Failures of the workflow engine itself (not of a step's work).
public enum WorkflowError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No definition with this name is registered.
    case unknownDefinition(String)
    /// No workflow run with this id exists.
    case notFound(WorkflowID)
    /// A step asked for the output of a step that has none.
    case missingOutput(step: String)
    /// A waiting step's deadline passed before its event arrived.
    case waitTimedOut(eventKey: String)
    /// The stored steps do not match the definition (it changed since the run started).
    case definitionMismatch(WorkflowID, String)
    /// The operation would move a workflow or step between states that do not connect.
    case illegalTransition(WorkflowID, from: String, to: String)
    /// This worker's lease on the workflow expired and another worker took it: nothing was saved.
    case leaseLost(WorkflowID)

    public var description: String {
        switch self {
        case .unknownDefinition(let name): "no workflow definition named '\(name)'"
        case .notFound(let id): "no workflow \(id)"
        case .missingOutput(let step): "step '\(step)' has no recorded output"
        case .waitTimedOut(let key): "no event '\(key)' arrived before the deadline"
        case .definitionMismatch(let id, let reason): "workflow \(id) does not match its definition: \(reason)"
        case .illegalTransition(let id, let from, let to): "workflow \(id) cannot go from \(from) to \(to)"
        case .leaseLost(let id): "the lease on workflow \(id) was lost to another worker"
        }
    }
}
