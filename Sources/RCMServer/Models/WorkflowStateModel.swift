import Fluent
import Foundation

/// A row of `workflow_state`: one workflow run.
final class WorkflowStateModel: Model, @unchecked Sendable {
    static let schema = "workflow_state"

    /// The `WorkflowID` text.
    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "definition") var definition: String
    /// A `WorkflowStatus` raw value.
    @Field(key: "status") var status: String
    /// The input as JSON text.
    @Field(key: "input") var input: String
    @OptionalField(key: "current_step") var currentStep: String?
    @OptionalField(key: "last_error") var lastError: String?
    /// When a worker should next look at the run (retries and wait deadlines).
    @OptionalField(key: "next_run_at") var nextRunAt: Date?
    /// The worker holding the lease, and until when.
    @OptionalField(key: "lease_owner") var leaseOwner: String?
    @OptionalField(key: "lease_expires_at") var leaseExpiresAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}
