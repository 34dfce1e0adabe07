/// One step of a workflow definition: a name, the work it does, how failures are retried, and an
/// optional condition under which it is skipped.
///
/// The work receives the workflow input and the recorded outputs of earlier steps
/// (``StepContext``) and returns ``StepResult``; throwing fails the attempt. A step may be run
/// again after a crash before its completion was committed, so its external effects must be
/// idempotent: record ``StepContext/idempotencyKey`` with the effect (docs DESIGN.md §4).
public struct WorkflowStep: Sendable {
    public let name: String
    public let retry: StepRetryPolicy
    /// When it returns `true` the step is `SKIPPED` (its output absent).
    public let skipIf: (@Sendable (StepContext) throws -> Bool)?
    public let run: @Sendable (StepContext) async throws -> StepResult

    public init(
        _ name: String, retry: StepRetryPolicy = .none, skipIf: (@Sendable (StepContext) throws -> Bool)? = nil,
        run: @escaping @Sendable (StepContext) async throws -> StepResult
    ) {
        self.name = name
        self.retry = retry
        self.skipIf = skipIf
        self.run = run
    }
}
