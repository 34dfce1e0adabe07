import Fluent
import Foundation

/// A row of `workflow_logs`: one transition of a workflow or step (the run's audit trail).
final class WorkflowLogModel: Model, @unchecked Sendable {
    static let schema = "workflow_logs"

    /// Increasing with insertion, so the log reads in the order it was written.
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Parent(key: "workflow_id") var workflow: WorkflowStateModel
    @OptionalField(key: "step") var step: String?
    @OptionalField(key: "from_status") var fromStatus: String?
    @Field(key: "to_status") var toStatus: String
    @OptionalField(key: "message") var message: String?
    @Field(key: "actor") var actor: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
