import Fluent
import Foundation

/// A row of `workflow_steps`: one step of a workflow run.
final class WorkflowStepModel: Model, @unchecked Sendable {
    static let schema = "workflow_steps"

    @ID(key: .id) var id: UUID?
    @Parent(key: "workflow_id") var workflow: WorkflowStateModel
    @Field(key: "name") var name: String
    @Field(key: "position") var position: Int
    /// A `StepStatus` raw value.
    @Field(key: "status") var status: String
    @Field(key: "attempts") var attempts: Int
    /// The output as JSON text.
    @OptionalField(key: "output") var output: String?
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "wait_key") var waitKey: String?
    @OptionalField(key: "wait_deadline") var waitDeadline: Date?
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @OptionalField(key: "next_attempt_at") var nextAttemptAt: Date?
    @OptionalField(key: "duration_ms") var durationMilliseconds: Int?

    init() {}
}
