import Fluent
import Foundation

/// A row of `workflow_events`: an external event delivered to workflows (the first per key).
final class WorkflowEventModel: Model, @unchecked Sendable {
    static let schema = "workflow_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "event_key") var eventKey: String
    /// The payload as JSON text.
    @Field(key: "payload") var payload: String
    @Field(key: "received_at") var receivedAt: Date

    init() {}
}
