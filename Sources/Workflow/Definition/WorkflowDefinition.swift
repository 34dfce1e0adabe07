import Foundation

/// A named, ordered list of steps. Definitions are code; runs of them are ``WorkflowRecord``s.
public struct WorkflowDefinition: Sendable {
    /// The name stored on each run, used to find the definition again on resume.
    public let name: String
    /// The steps, run in order.
    public let steps: [WorkflowStep]
    /// Called once a run of this definition is FAILED (its retries exhausted), after that is saved:
    /// with the run's input, the failed step and its error, so that what the run is about can say
    /// so (a claim becomes `failed`). Its own errors are logged, not thrown.
    public let onFailure: (@Sendable (_ input: Data, _ step: String, _ error: String) async throws -> Void)?
    /// Called when a FAILED run is resumed, after that is saved, with the run's input (a claim
    /// marked `failed` by ``onFailure`` is pending again). Its own errors are logged, not thrown.
    public let onResume: (@Sendable (_ input: Data) async throws -> Void)?

    /// Creates a definition.
    /// - Precondition: step names are unique.
    public init(
        name: String, steps: [WorkflowStep],
        onFailure: (@Sendable (_ input: Data, _ step: String, _ error: String) async throws -> Void)? = nil,
        onResume: (@Sendable (_ input: Data) async throws -> Void)? = nil
    ) {
        precondition(Set(steps.map(\.name)).count == steps.count, "step names must be unique in \(name)")
        self.name = name
        self.steps = steps
        self.onFailure = onFailure
        self.onResume = onResume
    }
}
