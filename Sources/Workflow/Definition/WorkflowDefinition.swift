/// A named, ordered list of steps. Definitions are code; runs of them are ``WorkflowRecord``s.
public struct WorkflowDefinition: Sendable {
    /// The name stored on each run, used to find the definition again on resume.
    public let name: String
    /// The steps, run in order.
    public let steps: [WorkflowStep]

    /// Creates a definition.
    /// - Precondition: step names are unique.
    public init(name: String, steps: [WorkflowStep]) {
        precondition(Set(steps.map(\.name)).count == steps.count, "step names must be unique in \(name)")
        self.name = name
        self.steps = steps
    }
}
