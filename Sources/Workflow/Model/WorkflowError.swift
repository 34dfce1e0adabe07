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

    public var description: String {
        switch self {
        case .unknownDefinition(let name): "no workflow definition named '\(name)'"
        case .notFound(let id): "no workflow \(id)"
        case .missingOutput(let step): "step '\(step)' has no recorded output"
        case .waitTimedOut(let key): "no event '\(key)' arrived before the deadline"
        case .definitionMismatch(let id, let reason): "workflow \(id) does not match its definition: \(reason)"
        }
    }
}
