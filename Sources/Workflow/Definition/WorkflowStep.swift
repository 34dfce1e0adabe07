/// One step of a workflow definition: a name and the work it does.
///
/// The work receives the workflow input and the recorded outputs of earlier steps
/// (``StepContext``) and returns ``StepResult``. Throwing fails the step (and the run). A step may
/// be re-run after a crash before its completion was committed, so its external effects must be
/// idempotent (docs DESIGN.md §4).
public struct WorkflowStep: Sendable {
    public let name: String
    public let run: @Sendable (StepContext) async throws -> StepResult

    public init(_ name: String, run: @escaping @Sendable (StepContext) async throws -> StepResult) {
        self.name = name
        self.run = run
    }
}
